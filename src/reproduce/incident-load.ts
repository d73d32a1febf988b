/**
 * Reads an incident file: YAML with line numbers (the scenario loader's reader), the incident
 * schema, then the rules that cross fields — times on the incident's clock, windows inside the
 * observation, a trace in the trace language, facts that do not contradict `never` or the truth.
 * Every problem is reported at once, each as `file:line:col: message`, exit 2.
 */
import { UserError, UserErrors, suggestion } from '../errors/user-error.ts';
import { defaultTrackers } from '../trackers/registry.ts';
import { formatDuration, parseDuration } from '../scenario/duration.ts';
import { LIMITS } from '../scenario/limits.ts';
import { parseYamlMapping, readInputText, schemaErrors } from '../scenario/load.ts';
import { Problems } from '../scenario/problems.ts';
import type { RawScenario } from '../scenario/schema.ts';
import type { SourceMap } from '../scenario/source-map.ts';
import { TARGETS } from '../scenario/toxics.ts';
import { parsePattern, PatternError } from '../scenario/trace-pattern.ts';
import { normalizeScenario } from '../scenario/validate.ts';
import { clockFrom, toScenarioMs, type IncidentClock } from '../scenario/incident-clock.ts';
import { incidentSchema, type RawFact, type RawIncident } from './incident-schema.ts';
import { ENDING_ACTIONS, FACT_ACTIONS, type Incident, type KnownFact, type ObservedTime, type TimeWindow } from './incident.ts';

const DEFAULT_WITHIN_MS = 60_000;
const DEFAULT_TOLERANCE_MS = 60_000;
/** Without `end`, the observation lasts this long after the last time the file gives. */
const DEFAULT_AFTER_LAST_MS = 5 * 60_000;

const INCIDENT = { kind: 'incident', topLevel: '`name`, `observed`, `truth` and `known`' };

/** Read and load an incident file. */
export async function loadIncidentFile(file: string): Promise<Incident> {
  return parseIncident(await readInputText(file, { kind: 'incident', maxBytes: LIMITS.scenarioFileBytes, typical: 'an incident is a few KB', give: 'an incident .yaml file' }), file);
}

/** Parse incident text; `file` is used in messages. Throws UserErrors listing every problem. */
export function parseIncident(text: string, file: string): Incident {
  const { raw, source } = parseYamlMapping(text, file, INCIDENT);
  const parsed = incidentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw schemaErrors(parsed.error, source, incidentSchema);
  return normalizeIncident(parsed.data, source);
}

function normalizeIncident(raw: RawIncident, source: SourceMap): Incident {
  const problems = new Problems(source);
  const clock = clockFrom(raw.start) ?? { kind: 'offsets' as const };
  if (clockFrom(raw.start) === undefined) problems.add(`\`start: ${raw.start}\` is not a time of day or a date-time`, ['start'], 'write `start: "13:55"` or `start: 2024-03-21T13:55:00+08:00`');
  const at = (text: string, path: PropertyKey[]): number | undefined => {
    const result = toScenarioMs(clock, text);
    if ('problem' in result) return void problems.add(result.problem, path, result.hint);
    if (result.ms > LIMITS.durationMs) return void problems.add(`\`${text}\` is ${formatDuration(result.ms)} after the incident's start; an incident spans at most ${formatDuration(LIMITS.durationMs)}`, path, 'move `start` later, or leave out what happened long before');
    return result.ms;
  };

  const app = appOf(raw, source, problems);
  const jobs = app.scenario.jobs.map((job) => job.name);
  const job = raw.observed.job ?? (jobs.length === 1 ? jobs[0]! : undefined);
  if (raw.observed.job !== undefined && !jobs.includes(raw.observed.job)) problems.add(`unknown job \`${raw.observed.job}\``, ['observed', 'job'], suggestion(raw.observed.job, jobs));
  if (job === undefined) problems.add('the cluster runs several jobs: say whose console row was observed', ['observed'], `add \`job:\` (one of ${jobs.join(', ')})`, 'trace');
  try {
    parsePattern(raw.observed.trace);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    problems.errors.push(new UserError(`trace pattern: ${error.message} (column ${error.column} of the pattern)`, { location: problems.locateInside(['observed', 'trace'], error.column), hint: error.hint ?? 'see docs/scenarios.md for the trace language' }));
  }
  const tolerance = duration(problems, raw.observed.tolerance, ['observed', 'tolerance']) ?? DEFAULT_TOLERANCE_MS;
  const times: ObservedTime[] = [];
  (raw.observed.times ?? []).forEach((entry, index) => {
    const path = ['observed', 'times', index];
    const atMs = at(entry.at, [...path, 'at']);
    if (atMs !== undefined) times.push({ state: entry.state, atMs, toleranceMs: duration(problems, entry.tolerance, [...path, 'tolerance']) ?? tolerance, line: source.locate(path).line });
  });

  const known: KnownFact[] = [];
  const windows: { window: TimeWindow; path: PropertyKey[] }[] = [];
  (raw.known ?? []).forEach((fact, index) => {
    const path = ['known', index];
    const window = windowOf(fact, path, problems, at);
    if (window === undefined) return;
    windows.push({ window, path });
    const base = { window, sure: fact.certainty !== 'maybe', label: fact.name ?? describeFact(fact), line: source.locate(path).line };
    const downtimeMs = 'downtime' in fact ? duration(problems, fact.downtime, [...path, 'downtime']) : undefined;
    if (fact.fact === 'network') known.push({ ...base, fact: 'network', targets: typeof fact.target === 'string' ? [fact.target] : [...new Set(fact.target)], kind: fact.kind ?? 'any' });
    else if (fact.fact === 'jobmanager-restart') known.push({ ...base, fact: fact.fact, ...(fact.reason !== undefined ? { reason: fact.reason } : {}), ...(downtimeMs !== undefined ? { downtimeMs } : {}) });
    else if (fact.fact === 'pod-eviction') known.push({ ...base, fact: fact.fact, ...(fact.listed !== undefined ? { listed: fact.listed } : {}), ...(downtimeMs !== undefined ? { downtimeMs } : {}) });
    else known.push({ ...base, fact: fact.fact, ...(downtimeMs !== undefined ? { downtimeMs } : {}) });
    if (fact.fact !== 'network' && (raw.never ?? []).includes(FACT_ACTIONS[fact.fact])) problems.add(`this fact says \`${FACT_ACTIONS[fact.fact]}\` happened, and \`never\` says it did not`, path, 'drop one of the two');
  });

  const truth = raw.truth;
  for (const action of raw.never ?? []) if (ENDING_ACTIONS[action] === truth && truth !== 'unknown') problems.add(`\`truth: ${truth}\` needs \`${action}\`, which \`never\` rules out`, ['never'], 'drop it from `never`, or say `truth: unknown`');

  const lastGiven = Math.max(0, ...times.map((time) => time.atMs), ...windows.map(({ window }) => window.toMs));
  const endMs = raw.end === undefined ? Math.min(LIMITS.durationMs, lastGiven + DEFAULT_AFTER_LAST_MS) : at(raw.end, ['end']);
  if (endMs !== undefined) {
    if (endMs <= 0) problems.add('`end` is the start: nothing was observed', ['end'], 'give the time the console was last looked at');
    for (const { window, path } of windows) if (window.fromMs >= endMs) problems.add(`this happened after the end of the observation (${formatDuration(endMs)} after the start)`, path, 'move `end` later, or drop the fact');
    for (const time of times) if (time.atMs - time.toleranceMs > endMs) problems.add(`this time is after the end of the observation (${formatDuration(endMs)} after the start)`, ['observed', 'times', times.indexOf(time)], 'move `end` later');
  }

  if (problems.errors.length > 0) throw new UserErrors(problems.errors);
  return {
    file: source.file,
    name: raw.name,
    description: raw.description ?? '',
    trackers: raw.tracker === undefined ? defaultTrackers('sim') : [raw.tracker],
    namedTracker: raw.tracker,
    mode: app.scenario.mode,
    app,
    clock,
    endMs: endMs!,
    observed: { trace: raw.observed.trace, ignore: raw.observed.ignore ?? [], job: job!, times },
    truth,
    known,
    nothingElse: raw.nothingElse ?? false,
    never: raw.never ?? [],
  };
}

/** The incident's app as the scenario loader makes it (its problems at their lines in the incident file). */
function appOf(raw: RawIncident, source: SourceMap, problems: Problems): Incident['app'] {
  const yaml = (raw.app as Record<string, unknown> | undefined) ?? { clusterId: 'flink-demo', mode: 'application' };
  try {
    return { scenario: normalizeScenario({ name: raw.name, duration: '1h', ...(raw.app ? { app: raw.app } : {}) } as RawScenario, source).app, yaml };
  } catch (error) {
    if (!(error instanceof UserErrors)) throw error;
    problems.errors.push(...error.errors);
    return { scenario: normalizeScenario({ name: raw.name, duration: '1h' } as RawScenario, source).app, yaml };
  }
}

function windowOf(fact: RawFact, path: PropertyKey[], problems: Problems, at: (text: string, path: PropertyKey[]) => number | undefined): TimeWindow | undefined {
  if (fact.at !== undefined && (fact.from !== undefined || fact.to !== undefined)) return void problems.add('a fact has either `at` (with `within`) or `from`/`to`, not both', path, 'keep one');
  if (fact.at === undefined && fact.from === undefined && fact.to === undefined) return void problems.add('when did it happen? give `at` (with `within`) or `from` and `to`', path, 'e.g. `at: "14:01"` and `within: 1m`', 'fact');
  if (fact.at === undefined && fact.within !== undefined) return void problems.add('`within` goes with `at`', [...path, 'within'], undefined, 'within');
  if (fact.at !== undefined) {
    const atMs = at(fact.at, [...path, 'at']);
    const within = duration(problems, fact.within, [...path, 'within']) ?? DEFAULT_WITHIN_MS;
    return atMs === undefined ? undefined : { fromMs: Math.max(0, atMs - within), toMs: atMs + within };
  }
  const fromMs = fact.from === undefined ? 0 : at(fact.from, [...path, 'from']);
  const toMs = fact.to === undefined ? LIMITS.durationMs : at(fact.to, [...path, 'to']);
  if (fromMs === undefined || toMs === undefined) return undefined;
  if (toMs <= fromMs) return void problems.add(`\`to\` (${fact.to}) is not after \`from\` (${fact.from})`, [...path, 'to'], 'swap them, or check the clock times');
  return { fromMs, toMs };
}

function duration(problems: Problems, text: string | undefined, path: PropertyKey[]): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) return void problems.add(`Expected a positive duration like \`30s\`, got \`${text}\``, path);
  return ms;
}

/** A fact in words, for the report: `JobManager restart (OOMKilled)`, `apiserver trouble (down)`. */
export function describeFact(fact: RawFact): string {
  switch (fact.fact) {
    case 'jobmanager-restart':
      return `JobManager restart${fact.reason ? ` (${fact.reason})` : ''}`;
    case 'pod-eviction':
      return 'JobManager pod evicted';
    case 'pod-deletion':
      return 'JobManager pod deleted';
    case 'console-restart':
      return 'console restart';
    case 'network': {
      const targets = typeof fact.target === 'string' ? [fact.target] : fact.target;
      return `${targets.length === TARGETS.length ? 'network' : targets.join(' or ')} trouble${fact.kind && fact.kind !== 'any' ? ` (${fact.kind})` : ''}`;
    }
  }
}

export type { IncidentClock };
