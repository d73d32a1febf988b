/**
 * Cross-field rules and defaults: turns a schema-valid scenario into a Scenario, or reports
 * every rule it breaks (windows that overlap, events after `duration`, attributes that the
 * toxic does not have, actions on a JobManager that is gone, broken trace patterns, …).
 */
import { createHash } from 'node:crypto';
import { parsePattern, PatternError } from './trace-pattern.ts';
import { UserError, UserErrors, suggestion } from '../errors/user-error.ts';
import { TIMING_FIELDS, type TrackerTiming } from '../models/timing.ts';
import type { FlinkJobState } from '../states.ts';
import { formatDuration, parseDuration } from './duration.ts';
import type { OracleName, OracleRequest } from './oracle-names.ts';
import { LIMITS } from './limits.ts';
import { defaultAttributes, toxic as toxicDefinition, type FaultSpec, type ToxicType } from './toxics.ts';
import type { SourceMap } from './source-map.ts';
import { Problems } from './problems.ts';
import { checkJobManagerGone, checkOverlaps } from './timeline-rules.ts';
import { writesDuringEtcdFaults } from './etcd-windows.ts';
import { systemOfTracker, TRACKER_NAMES } from '../trackers/registry.ts';
import type { TrackerSystem } from '../systems/system.ts';
import type { ActionName, RawScenario } from './schema.ts';
import { ACTION_DEFINITIONS, actionsWhere } from './actions.ts';
import { extraPodName, type Expectation, type ExtraPod, type RecoveryState, type Scenario, type ScenarioJob, type ScheduledAction, type ScheduledFault } from './types.ts';


/**
 * What Flink 1.18.1 reports once a restarted JobManager's REST endpoint answers, before its job
 * is RUNNING, as recorded in test/fixtures/flink/restart-*.json (test/backends/flink/
 * conformance.test.ts holds these to the recordings within 1 s per step): 503 until it is
 * leader, then, without HA, an empty job list while it submits the job again; INITIALIZING
 * while the JobMaster starts. There is no CREATED in /jobs/overview.
 */
export const DEFAULT_RECOVERY = {
  noHa: [
    { state: 'unavailable', for: '200ms' },
    { state: 'none', for: '500ms' },
    { state: 'INITIALIZING', for: '500ms' },
  ],
  ha: [
    { state: 'unavailable', for: '1s' },
    { state: 'INITIALIZING', for: '500ms' },
  ],
} as const satisfies Record<string, readonly { state: RecoveryState; for: string }[]>;

/** From a job's end state to the REST endpoint gone (application mode shuts down; recorded 0.3–1.9 s). */
export const DEFAULT_SHUTDOWN_DELAY_MS = 1_000;

/** A stable Flink-style job id (32 hex digits) for a job name. */
export function jobIdFor(name: string): string {
  return createHash('sha256').update(`statuschaos/${name}`).digest('hex').slice(0, 32);
}

function positiveDuration(problems: Problems, text: string | undefined, path: PropertyKey[], what: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    problems.add(`Expected \`${what}\` to be a positive duration like \`30s\`, got \`${text}\``, path);
    return undefined;
  }
  return ms;
}

function faultSpec(problems: Problems, raw: Record<string, unknown>, path: PropertyKey[]): FaultSpec {
  const toxic = raw.toxic as ToxicType;
  const units = toxicDefinition(toxic).attributes;
  const attributes = defaultAttributes(toxic);
  for (const [key, value] of Object.entries(raw)) {
    if (['target', 'toxic', 'stream', 'toxicity'].includes(key)) continue;
    const unit = units[key];
    if (unit === undefined) {
      const names = Object.keys(units);
      problems.add(`toxic \`${toxic}\` has no attribute \`${key}\``, path, names.length === 0 ? `\`${toxic}\` takes no attributes` : `its attributes: ${names.join(', ')}`, key);
      continue;
    }
    if (typeof value === 'string') {
      const ms = parseDuration(value);
      if (unit !== 'ms') problems.add(`\`${key}\` of \`${toxic}\` is not a time; give a number (${unit})`, [...path, key]);
      else if (ms !== undefined) attributes[key] = ms;
    } else attributes[key] = value as number;
  }
  // Toxiproxy's own rules (it crashes or recurses for ever otherwise): refused here, for every backend
  const invalid = toxicDefinition(toxic).invalid?.(attributes);
  if (invalid !== undefined) problems.add(invalid, path, 'see docs/toxics.md');
  if (toxic === 'latency' && attributes.jitter! > attributes.latency! && attributes.latency! >= 0) {
    // Toxiproxy allows it (delays can go negative and become 0); say so rather than surprise.
    if (attributes.latency === 0) problems.add('a latency toxic with `latency: 0` does nothing', [...path, 'latency'], 'set `latency`, e.g. `latency: 3s`');
  }
  return { target: raw.target as FaultSpec['target'], toxic, stream: (raw.stream as FaultSpec['stream']) ?? 'downstream', toxicity: (raw.toxicity as number) ?? 1, attributes };
}

/** An expectation for a tracker, in the vocabulary of the tracker's system. */
function expectation(problems: Problems, raw: NonNullable<NonNullable<RawScenario['expect']>[string]>, path: PropertyKey[], system: TrackerSystem | undefined): Expectation {
  const states = system?.states ?? [];
  for (const field of ['ignore', 'never'] as const) {
    (raw[field] ?? []).forEach((state, index) => {
      if (!states.includes(state)) problems.add(`\`${state}\` is no state of ${system?.title ?? 'this tracker'}'s console`, [...path, field, index], suggestion(state, states));
    });
  }
  if (raw.final !== undefined && !states.includes(raw.final)) problems.add(`\`${raw.final}\` is no state of ${system?.title ?? 'this tracker'}'s console`, [...path, 'final'], suggestion(raw.final, states));
  if (raw.trace !== undefined) {
    try {
      parsePattern(raw.trace, states);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      const at = problems.locateInside([...path, 'trace'], error.column);
      problems.errors.push(new UserError(`trace pattern: ${error.message} (column ${error.column} of the pattern)`, { location: at, hint: error.hint ?? 'see docs/scenarios.md for the trace language' }));
    }
  }
  if (raw.trace === undefined && raw.final === undefined && raw.never === undefined && raw.maxAlerts === undefined && (raw.oracles ?? []).length === 0) {
    problems.add('this expectation checks nothing', path, 'give at least one of `trace`, `final`, `never`, `maxAlerts`, `oracles`');
  }
  const oracles: OracleRequest[] = [];
  (raw.oracles ?? []).forEach((entry, index) => {
    if (typeof entry === 'string') oracles.push({ name: entry });
    else {
      const pairs = Object.entries(entry) as [OracleName, string][];
      if (pairs.length !== 1) problems.add('an oracle with a bound is one `name: bound` pair, e.g. `{ converges: 30s }`', [...path, 'oracles', index]);
      for (const [name, bound] of pairs) {
        const boundMs = positiveDuration(problems, bound, [...path, 'oracles', index, name], name);
        if (boundMs !== undefined) oracles.push({ name, boundMs });
      }
    }
    const name = oracles[oracles.length - 1]?.name;
    if (name !== undefined && oracles.filter((oracle) => oracle.name === name).length > 1) problems.add(`oracle \`${name}\` is named twice`, [...path, 'oracles', index]);
  });
  if (raw.within !== undefined && raw.trace === undefined && raw.final === undefined) problems.add('`within` needs a `trace` or `final` to converge to', [...path, 'within']);
  return {
    trace: raw.trace,
    ignore: raw.ignore ?? [],
    final: raw.final,
    never: raw.never ?? [],
    withinMs: positiveDuration(problems, raw.within, [...path, 'within'], 'within'),
    maxAlerts: raw.maxAlerts,
    oracles,
  };
}

/** app.pods with their names (the order of the list is the API's: by name). */
function extraPods(raw: RawScenario, clusterId: string): ExtraPod[] {
  return (raw.app?.pods ?? []).map((pod, index) => ({
    name: extraPodName(clusterId, pod.listed, `extra-${index + 1}`),
    phase: pod.phase,
    reason: pod.reason,
    terminating: pod.terminating ?? false,
    lastTerminated: pod.lastTerminated,
  }));
}

/** Turn a schema-valid scenario into a Scenario, or throw UserErrors with every problem found. */
export function normalizeScenario(raw: RawScenario, source: SourceMap): Scenario {
  const problems = new Problems(source);
  let durationMs = positiveDuration(problems, raw.duration, ['duration'], 'duration') ?? 1;
  if (durationMs > LIMITS.durationMs) {
    problems.add(`\`duration: ${raw.duration}\` is longer than the ${formatDuration(LIMITS.durationMs)} a scenario may last`, ['duration'], 'split it into shorter scenarios (docs/limits.md)');
    durationMs = LIMITS.durationMs;
  }
  const mode = raw.app?.mode ?? 'application';
  const clusterId = raw.app?.clusterId ?? 'flink-demo';
  const jobNames = raw.app?.jobs ?? [clusterId];
  if (mode === 'application' && jobNames.length > 1) problems.add('an application-mode cluster runs one job', ['app', 'jobs'], 'use `mode: session` for several jobs');
  if (new Set(jobNames).size !== jobNames.length) problems.add('job names must be unique', ['app', 'jobs']);
  const jobs: ScenarioJob[] = jobNames.map((name) => ({ name, jobId: jobIdFor(name) }));

  const ha = raw.app?.ha ?? false;
  const recovery = (raw.app?.recovery ?? (ha ? DEFAULT_RECOVERY.ha : DEFAULT_RECOVERY.noHa)).map((step, index) => ({ state: step.state as RecoveryState, forMs: positiveDuration(problems, step.for, ['app', 'recovery', index, 'for'], 'for') ?? 1 }));

  const overrides: Partial<TrackerTiming> = {};
  let profile: Scenario['timing']['profile'] = 'streampark';
  if (typeof raw.timing === 'string') profile = raw.timing;
  else if (raw.timing !== undefined) {
    profile = raw.timing.profile ?? 'streampark';
    for (const field of TIMING_FIELDS) {
      const key = field.replace(/Ms$/, '');
      const value = (raw.timing as Record<string, string | undefined>)[key];
      const ms = positiveDuration(problems, value, ['timing', key], key);
      if (ms !== undefined && ms < LIMITS.minTimingMs) problems.add(`\`${key}: ${value}\` is shorter than ${formatDuration(LIMITS.minTimingMs)}, the shortest timing allowed (shorter polls multiply the work of a run)`, ['timing', key], 'docs/limits.md');
      else if (ms !== undefined) overrides[field] = ms;
    }
  }

  const faults: ScheduledFault[] = [];
  const actions: ScheduledAction[] = [];
  (raw.timeline ?? []).forEach((entry, index) => {
    const path: PropertyKey[] = ['timeline', index];
    const line = source.locate(path).line;
    const atMs = parseDuration(entry.at);
    if (atMs === undefined) return; // the schema already said so
    if (atMs >= durationMs) problems.add(`this event at ${entry.at} is not before the end of the run (\`duration: ${raw.duration}\`)`, [...path, 'at'], 'move it earlier or make `duration` longer');
    if ((entry.fault === undefined) === (entry.action === undefined)) {
      problems.add(entry.fault === undefined ? 'a timeline entry needs a `fault` or an `action`' : 'a timeline entry has either a `fault` or an `action`, not both', path, 'split it into two entries');
      return;
    }
    if (entry.fault !== undefined) {
      for (const key of ['downtime', 'reason', 'job'] as const) if (entry[key] !== undefined) problems.add(`\`${key}\` belongs to actions, not faults`, [...path, key], undefined, key);
      const forMs = positiveDuration(problems, entry.for, [...path, 'for'], 'for');
      if (forMs !== undefined && atMs + forMs > durationMs) problems.add(`this fault lasts until ${formatDuration(atMs + forMs)}, after the end of the run (${raw.duration})`, [...path, 'for'], 'shorten `for`, or leave `for` out to keep the fault until the end');
      const spec = faultSpec(problems, entry.fault as Record<string, unknown>, [...path, 'fault']);
      faults.push({ id: `fault-${index}`, atMs, untilMs: forMs === undefined ? undefined : atMs + forMs, spec, name: entry.name ?? `${spec.target} ${spec.toxic}`, line });
      return;
    }
    const action = entry.action!;
    if (entry.for !== undefined) problems.add('`for` belongs to faults; an action takes `downtime`', [...path, 'for'], undefined, 'for');
    const definition = ACTION_DEFINITIONS[action];
    if (entry.downtime !== undefined && definition.defaultDowntimeMs === undefined) problems.add(`\`${action}\` has no downtime`, [...path, 'downtime'], undefined, 'downtime');
    if (entry.reason !== undefined && !definition.takesReason) problems.add(`\`reason\` is only for ${[...actionsWhere((candidate) => candidate.takesReason)].join(' and ')}`, [...path, 'reason'], undefined, 'reason');
    if (entry.listed !== undefined && !definition.takesListed) problems.add(`\`listed\` is only for ${[...actionsWhere((candidate) => candidate.takesListed)].join(' and ')}`, [...path, 'listed'], undefined, 'listed');
    if (entry.listed === undefined && definition.takesListed) problems.add('`evict-jobmanager-pod` needs `listed: first` or `listed: last`: whether the evicted pod or its replacement is the first pod the API lists', path, 'on a real cluster the pods\' random name suffixes decide; the scenario chooses one case');
    if (entry.job !== undefined && !jobNames.includes(entry.job)) problems.add(`unknown job \`${entry.job}\``, [...path, 'job'], suggestion(entry.job, jobNames));
    if (entry.job === undefined && jobNames.length > 1 && definition.aboutJob) problems.add(`\`${action}\` needs \`job\` when the cluster runs several jobs`, path, `one of: ${jobNames.join(', ')}`);
    const downtimeMs = definition.defaultDowntimeMs !== undefined ? (positiveDuration(problems, entry.downtime, [...path, 'downtime'], 'downtime') ?? definition.defaultDowntimeMs) : undefined;
    actions.push({ id: `action-${index}`, atMs, action, downtimeMs, reason: entry.reason, job: entry.job ?? (jobNames.length === 1 ? jobNames[0] : undefined), listed: entry.listed, name: entry.name ?? action, line });
  });
  checkOverlaps(problems, faults, actions, durationMs);
  checkJobManagerGone(problems, actions, mode);
  const shutdownDelayMs = positiveDuration(problems, raw.app?.shutdownDelay, ['app', 'shutdownDelay'], 'shutdownDelay') ?? DEFAULT_SHUTDOWN_DELAY_MS;
  for (const write of writesDuringEtcdFaults(faults, actions, mode, shutdownDelayMs, durationMs)) {
    problems.errors.push(new UserError(write.message, { location: problems.locate(['timeline', Number(write.action.id.split('-')[1]), 'at']), hint: 'move it before the etcd fault begins or after it ends' }));
  }

  const expect: Partial<Record<string, Expectation>> = {};
  for (const variant of TRACKER_NAMES) {
    const rawExpectation = raw.expect?.[variant];
    if (rawExpectation !== undefined) expect[variant] = expectation(problems, rawExpectation, ['expect', variant], systemOfTracker(variant));
  }

  if (problems.errors.length > 0) throw new UserErrors(problems.errors);
  return {
    file: source.file,
    name: raw.name,
    description: raw.description ?? '',
    app: { clusterId, namespace: raw.app?.namespace ?? 'default', mode, jobs, recovery, archive: raw.app?.archive ?? 'none', pods: extraPods(raw, clusterId), ha, fixedJobId: raw.app?.fixedJobId ?? true, shutdownDelayMs },
    timing: { profile, overrides },
    durationMs,
    seed: raw.seed,
    discriminates: raw.discriminates ?? true,
    faults,
    actions,
    expect,
  };
}
