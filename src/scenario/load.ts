/**
 * Reads a scenario file: YAML with line numbers, the zod schema, then the cross-field rules of
 * validate.ts. Every problem in a file is reported at once, each as `file:line:col: message`.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError, UserErrors, suggestion } from '../errors/user-error.ts';
import { scenarioSchema, type RawScenario } from './schema.ts';
import { SourceMap } from './source-map.ts';
import { normalizeScenario } from './validate.ts';
import type { Scenario } from './types.ts';

/** The keys an object accepts at a path of the schema (for "did you mean" on unknown fields). */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = scenarioSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject && typeof segment === 'string' && segment in schema.shape) schema = schema.shape[segment] as z.ZodType;
    else return [];
  }
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/** The object schema inside optionals and unions (a union's object option), else the schema itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodUnion) {
      const object = (current.options as readonly z.ZodType[]).find((option) => option instanceof z.ZodObject);
      if (object === undefined) return current;
      current = object;
    } else return current;
  }
}

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the scenario' : path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : String(segment))).join('.').replace(/\.\[/g, '[');
}

function schemaErrors(error: z.ZodError, source: SourceMap): UserError[] {
  const errors: UserError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(issue.path);
      for (const key of issue.keys) {
        const where = issue.path.length === 1 && issue.path[0] === 'expect' ? 'variant' : 'field';
        errors.push(new UserError(`unknown ${where} \`${key}\` in ${describePath(issue.path)}`, { location: source.locate(issue.path, key), hint: suggestion(key, allowed) }));
      }
      continue;
    }
    const value = source.locate(issue.path);
    const field = issue.path[issue.path.length - 1];
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    const message = missing ? `missing \`${String(field)}\` in ${describePath(issue.path.slice(0, -1))}` : `${describePath(issue.path)}: ${issue.message}`;
    errors.push(new UserError(message, { location: value, hint: missing ? `add \`${String(field)}:\` (see \`statuschaos schema\`)` : undefined }));
  }
  return errors;
}

/** Parse scenario text; `file` is used in messages. Throws UserErrors listing every problem. */
export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = new SourceMap(file, document, lines);
  if (document.errors.length > 0) {
    throw new UserErrors(
      document.errors.map((yamlError) => {
        const position = yamlError.linePos?.[0] ?? lines.linePos(yamlError.pos[0]);
        return new UserError(`YAML: ${yamlError.message.split('\n')[0]}`, { location: { file, line: position?.line, column: position?.col }, hint: 'check indentation and quoting around this line' });
      }),
    );
  }
  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserErrors([new UserError('a scenario file must be a YAML mapping with `name`, `duration` and `timeline`', { location: { file, line: 1 } })]);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new UserErrors(schemaErrors(parsed.error, source));
  return normalizeScenario(parsed.data as RawScenario, source);
}

/** Read and parse a scenario file. */
export async function loadScenarioFile(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserErrors([new UserError(`cannot read the scenario file: ${(error as Error).message}`, { location: { file }, hint: 'check the path' })]);
  }
  return parseScenario(text, file);
}
