/**
 * kubectl evidence into an incident: the files read (kubectl-json.ts), their facts (evidence.ts)
 * placed on the incident's clock and appended to its `known:` list — in the YAML text itself, so
 * the incident the search runs is a file the engineer can read, keep and edit (written to the
 * output folder as incident.yaml). Facts kubectl cannot place on the clock are refused (exit 2).
 */
import { isSeq, parseDocument, stringify } from 'yaml';
import { UserError, UserErrors } from '../errors/user-error.ts';
import { parseYamlMapping } from '../scenario/load.ts';
import { clockFrom } from '../scenario/incident-clock.ts';
import { evidenceFrom, knownEntries, type Evidence } from './evidence.ts';
import type { KubectlFile } from './kubectl-json.ts';

export interface IncidentWithEvidence {
  text: string;
  evidence: Evidence;
}

/** Read the JobManager's cluster id and the clock from the incident text (before it is validated as a whole). */
function clusterAndClock(text: string, file: string) {
  const { raw } = parseYamlMapping(text, file, { kind: 'incident', topLevel: '`name`, `observed`, `truth` and `known`' });
  const app = typeof raw.app === 'object' && raw.app !== null ? (raw.app as Record<string, unknown>) : {};
  return { clusterId: typeof app.clusterId === 'string' ? app.clusterId : 'flink-demo', start: typeof raw.start === 'string' ? raw.start : undefined };
}

export function addEvidence(text: string, file: string, kubectl: readonly KubectlFile[]): IncidentWithEvidence {
  const { clusterId, start } = clusterAndClock(text, file);
  const clock = clockFrom(start);
  const evidence = evidenceFrom(kubectl, clusterId);
  const files = kubectl.map((entry) => entry.file).join(', ');
  if (clock?.kind !== 'date-time') {
    throw new UserErrors([new UserError(`kubectl's times are date-times, and the incident's \`start\` is ${start === undefined ? 'not given' : `\`${start}\`, not a date-time`}: the evidence of ${files} cannot be placed on its clock`, { location: { file }, hint: 'give `start` as a date-time with its zone, e.g. `start: 2024-03-21T13:55:00+08:00` (kubectl prints UTC: …Z)' })]);
  }
  const early = evidence.facts.filter((fact) => fact.atMs < clock.startEpochMs);
  if (early.length > 0) {
    throw new UserErrors(early.map((fact) => new UserError(`kubectl shows a ${fact.fact} at ${new Date(fact.atMs).toISOString()}, before the incident's start (${clock.start}): ${fact.sources[0]}`, { location: { file }, hint: 'move `start` earlier (an incident spans at most 1h), or leave that file out' })));
  }
  const document = parseDocument(text);
  const entries = knownEntries(evidence, clock);
  const known = document.get('known', true);
  if (isSeq(known)) for (const entry of entries) known.add(document.createNode(entry));
  else document.set('known', document.createNode(entries));
  const header = `# kubectl evidence from ${files}: ${evidence.facts.length} fact(s) added to \`known\` (statuschaos reproduce --from-kubectl)${evidence.notes.map((note) => `\n# note: ${note}`).join('')}\n`;
  return { text: `${header}${document.toString({ lineWidth: 0 })}`, evidence };
}

/** The facts alone, as YAML to paste under `known:` (times in UTC, as kubectl prints them). */
export function evidenceAsYaml(kubectl: readonly KubectlFile[], clusterId: string | undefined): { text: string; evidence: Evidence } {
  const evidence = evidenceFrom(kubectl, clusterId);
  const first = Math.min(...evidence.facts.map((fact) => fact.atMs));
  const lines = [
    `# Known facts from kubectl (${kubectl.map((entry) => entry.file).join(', ')}): JobManager pod(s) ${evidence.pods.join(', ') || '(from events only)'}`,
    ...evidence.notes.map((note) => `# note: ${note}`),
    '# Paste them under `known:` of your incident file, or give the JSON files with it:',
    '#   statuschaos reproduce incident.yaml --from-kubectl events.json pods.json',
    `# Their times are date-times: the incident's \`start\` must be one too${Number.isFinite(first) ? `, before the first of them (e.g. start: ${new Date(first - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')})` : ''}.`,
  ];
  return { text: `${lines.join('\n')}\n${stringify({ known: knownEntries(evidence, undefined) }, { lineWidth: 0 })}`, evidence };
}
