/**
 * Messages for what a zod schema refused in an input file (a scenario, a stored run): the path
 * of the value, what was expected there and what the file has, never zod's bare "Invalid input".
 */
import type { z } from 'zod';
import { describeValue } from '../errors/user-error.ts';

/** A path in a document as messages write it: `timeline[0].fault.latency` (`root`: the document itself). */
export function describePath(path: readonly PropertyKey[], root = 'the scenario'): string {
  return path.length === 0 ? root : path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : String(segment))).join('.').replace(/\.\[/g, '[');
}

const EXPECTED: Readonly<Record<string, string>> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping' };

/** One zod issue as a message: what was expected at that path, and what the file has there (`root`: what the document is called). */
export function issueMessage(issue: z.core.$ZodIssue, root = 'the scenario'): { message: string; hint?: string } {
  const field = issue.path[issue.path.length - 1];
  const hasInput = Object.hasOwn(issue, 'input') && issue.input !== undefined;
  // no value at all where a field is required (a missing key: zod's input is undefined)
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && !hasInput) return { message: `missing \`${String(field)}\` in ${describePath(issue.path.slice(0, -1), root)}`, hint: root === 'the scenario' ? `add \`${String(field)}:\` (see \`statuschaos schema\`)` : undefined };
  const got = hasInput && (issue.code === 'invalid_type' || typeof issue.input !== 'object' || issue.input === null) ? `, got ${describeValue(issue.input)}` : '';
  if (issue.code === 'invalid_type') {
    if (!issue.message.startsWith('Invalid input')) return { message: issue.message.includes(', got ') ? issue.message : `${issue.message}${got}` };
    return { message: `${describePath(issue.path, root)}: expected ${EXPECTED[issue.expected] ?? issue.expected}${got}` };
  }
  const message = issue.message.replace(/^Invalid input:?\s*/, 'invalid value ').trim().replace(/\.$/, '');
  const named = field !== undefined && message.includes(`\`${String(field)}\``);
  const shown = message.includes(' got ') || (typeof issue.input === 'string' && message.includes(`\`${issue.input}\``));
  return { message: `${named ? '' : `${describePath(issue.path, root)}: `}${message}${shown ? '' : got}` };
}

