/**
 * A fault schedule: what the explorer generates, runs, shrinks and writes out. It is the part of
 * a scenario that varies — the mode and the timeline — and becomes a full Scenario (to run) or a
 * scenario file (to replay with `statuschaos run`); both say the same thing (a test holds them to
 * it, and every finding is replayed from its file before it is reported).
 */
import { stringify } from 'yaml';
import { consoleDowntimes, deadlineAfter } from '../check/blindness.ts';
import { defaultBounds } from '../check/bounds.ts';
import { CALL_PATHS, faultPeriods } from '../scenario/fault-periods.ts';
import { STREAMPARK_TIMING } from '../models/timing.ts';
import { parseScenario } from '../scenario/load.ts';
import { formatDuration } from '../scenario/duration.ts';
import { settledAt, type Scenario, type ScenarioApp, type ScheduledAction, type ScheduledFault } from '../scenario/types.ts';
import { actionsWhere, JOBMANAGER_RESTARTS, type ActionName } from '../scenario/actions.ts';
import type { Stream, Target, ToxicType } from '../scenario/toxics.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';

export interface FaultEvent {
  kind: 'fault';
  atMs: number;
  forMs: number;
  target: Target;
  toxic: ToxicType;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
}

export interface ActionEvent {
  kind: 'action';
  atMs: number;
  action: ActionName;
  downtimeMs?: number;
  reason?: string;
  /** session mode: the job it is about */
  job?: string;
  /** evict-jobmanager-pod: is the evicted pod listed before its replacement (first) or after (last)? */
  listed?: 'first' | 'last';
}

export type ScheduleEvent = FaultEvent | ActionEvent;

export interface Schedule {
  mode: 'application' | 'session';
  events: ScheduleEvent[];
}

/** The jobs of each mode: one in application mode, two in session mode. */
export const JOBS: Readonly<Record<Schedule['mode'], readonly string[]>> = { application: ['flink-demo'], session: ['orders', 'payments'] };
const CLUSTER_ID = 'flink-demo';

/** The app of each mode exactly as the loader makes it from a file that sets only the mode and jobs (its defaults are the format's). */
export const APPS: Readonly<Record<Schedule['mode'], ScenarioApp>> = {
  application: parseScenario(`name: app\nduration: 1s\napp: { clusterId: ${CLUSTER_ID}, mode: application }\n`, 'defaults.yaml').app,
  session: parseScenario(`name: app\nduration: 1s\napp: { clusterId: ${CLUSTER_ID}, mode: session, jobs: [${JOBS.session.join(', ')}] }\n`, 'defaults.yaml').app,
};

/**
 * How long the world stays healed, so liveness can be judged: `healMs` after the last fault and
 * downtime (the converges bound and a margin), and `stopMs` after each time the job may stop (the
 * detects bound and a margin), pushed back by every fault and console downtime after it (the most
 * blind time there can be). A guess from the schedule alone: when the run shows a stop judged
 * later still, evaluate.ts runs the schedule on to its deadline.
 */
export interface HealPhase {
  healMs: number;
  stopMs: number;
}

/** The heal phase for StreamPark timings: the oracles' default bounds plus two polls. */
export function healPhase(): HealPhase {
  const bounds = defaultBounds(STREAMPARK_TIMING);
  return { healMs: bounds.convergesMs + 2 * STREAMPARK_TIMING.pollIntervalMs, stopMs: bounds.detectsMs + 2 * STREAMPARK_TIMING.pollIntervalMs };
}

const STOPS = actionsWhere((action) => action.stopsJob);

/**
 * Where a schedule runs when it is not the explorer's default app of its mode (an incident's
 * app): the app as the loader made it, and as written in its file.
 */
export interface ScheduleApp {
  scenario: ScenarioApp;
  yaml: Record<string, unknown>;
}

/** What toScenario and toYaml may be told beyond the schedule. */
export interface ScenarioOptions {
  heal: HealPhase;
  name: string;
  description?: string;
  expect?: Scenario['expect'];
  /** the app to run in (default: APPS of the schedule's mode) */
  app?: ScheduleApp;
  /** the run lasts at least this long: an incident's observation; a stop judged later than the heal phase (evaluate.ts) */
  minDurationMs?: number;
}

/**
 * When the job may stop: at an action that stops it (a poll later at most: a cancel takes Flink a
 * few seconds); a JobManager away longer than the truth waits (it is down then); a session
 * JobManager back from a restart without its jobs (they vanished).
 */
function stopCandidates(scenario: Scenario): number[] {
  const downAfterMs = defaultBounds(STREAMPARK_TIMING).downAfterMs;
  return scenario.actions.flatMap((action) => {
    if (STOPS.has(action.action)) return [action.atMs + STREAMPARK_TIMING.pollIntervalMs];
    if (!JOBMANAGER_RESTARTS.has(action.action)) return [];
    const downtime = action.downtimeMs ?? 0;
    return [...(downtime >= downAfterMs ? [action.atMs + downAfterMs] : []), ...(scenario.app.mode === 'session' ? [action.atMs + downtime] : [])];
  });
}

/** The latest time a stop of the schedule may have to show by: its bound after each candidate, plus all fault and console downtime after it. */
function latestLikelyDeadline(scenario: Scenario, stopMs: number): number {
  const blindAtMost = [
    ...CALL_PATHS.flatMap((path) => faultPeriods(scenario.faults, path, Number.POSITIVE_INFINITY, 1)),
    ...consoleDowntimes(scenario),
  ];
  return Math.max(0, ...stopCandidates(scenario).map((at) => deadlineAfter(blindAtMost, at, stopMs)));
}

/** A schedule as a runnable Scenario (what the loader would make of its file). */
export function toScenario(schedule: Schedule, options: ScenarioOptions): Scenario {
  const app = options.app?.scenario ?? APPS[schedule.mode];
  const jobs = app.jobs;
  const faults: ScheduledFault[] = [];
  const actions: ScheduledAction[] = [];
  schedule.events.forEach((event, index) => {
    if (event.kind === 'fault') {
      faults.push({
        id: `fault-${index}`,
        atMs: event.atMs,
        untilMs: event.atMs + event.forMs,
        spec: { target: event.target, toxic: event.toxic, stream: event.stream, toxicity: event.toxicity, attributes: event.attributes },
        name: `${event.target} ${event.toxic}`,
        line: undefined,
      });
    } else {
      actions.push({
        id: `action-${index}`,
        atMs: event.atMs,
        action: event.action,
        downtimeMs: event.downtimeMs,
        reason: event.reason,
        job: event.job ?? (jobs.length === 1 ? jobs[0]!.name : undefined),
        listed: event.listed,
        name: event.action,
        line: undefined,
      });
    }
  });
  const scenario: Scenario = {
    file: `${options.name}.yaml`,
    name: options.name,
    description: options.description ?? '',
    app,
    timing: { profile: 'streampark', overrides: {} },
    durationMs: 0,
    seed: 1,
    discriminates: false,
    faults,
    actions,
    expect: options.expect ?? {},
  };
  // at least the heal phase (and what the caller asks: an incident's end, the run a finding was judged on)
  scenario.durationMs = Math.max(settledAt(scenario) + options.heal.healMs, latestLikelyDeadline(scenario, options.heal.stopMs), options.minDurationMs ?? 0);
  return scenario;
}

/** The scenario file of a schedule, with expectations given as written in YAML and a comment on top. */
export function toYaml(schedule: Schedule, options: Omit<ScenarioOptions, 'expect'> & { description: string; comment: string; expect: Record<string, YamlExpectation> }): string {
  const durationMs = toScenario(schedule, { heal: options.heal, name: options.name, ...(options.app ? { app: options.app } : {}), ...(options.minDurationMs !== undefined ? { minDurationMs: options.minDurationMs } : {}) }).durationMs;
  const document = {
    name: options.name,
    description: options.description,
    app: options.app?.yaml ?? (schedule.mode === 'session' ? { clusterId: CLUSTER_ID, mode: 'session', jobs: [...JOBS.session] } : { clusterId: CLUSTER_ID, mode: 'application' }),
    timing: 'streampark',
    duration: formatDuration(durationMs),
    seed: 1,
    discriminates: false,
    timeline: schedule.events.map(timelineEntry),
    expect: options.expect,
  };
  const comment = options.comment.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n');
  return `${comment}\n${stringify(document, { lineWidth: 0 })}`;
}

/** An expectation as it is written in a scenario file. */
export interface YamlExpectation {
  trace?: string;
  oracles?: (OracleRequest['name'] | Record<string, string>)[];
}

function timelineEntry(event: ScheduleEvent): Record<string, unknown> {
  if (event.kind === 'fault') {
    const fault: Record<string, unknown> = { target: event.target, toxic: event.toxic };
    if (event.stream !== 'downstream') fault.stream = event.stream;
    if (event.toxicity !== 1) fault.toxicity = event.toxicity;
    for (const [name, value] of Object.entries(event.attributes)) fault[name] = value;
    return { at: formatDuration(event.atMs), fault, for: formatDuration(event.forMs) };
  }
  const entry: Record<string, unknown> = { at: formatDuration(event.atMs), action: event.action };
  if (event.downtimeMs !== undefined) entry.downtime = formatDuration(event.downtimeMs);
  if (event.reason !== undefined) entry.reason = event.reason;
  if (event.job !== undefined) entry.job = event.job;
  if (event.listed !== undefined) entry.listed = event.listed;
  return entry;
}

/** One line per event, for progress output and the report: `60s apiserver timeout for 2m; 70s restart-jobmanager (30s)`. */
export function describeSchedule(schedule: Schedule): string {
  const parts = schedule.events.map((event) =>
    event.kind === 'fault'
      ? `${formatDuration(event.atMs)} ${event.target} ${event.toxic}${Object.keys(event.attributes).length > 0 ? `(${Object.entries(event.attributes).map(([key, value]) => `${key}=${value}`).join(', ')})` : ''} for ${formatDuration(event.forMs)}`
      : `${formatDuration(event.atMs)} ${event.action}${event.downtimeMs !== undefined ? ` (${formatDuration(event.downtimeMs)})` : ''}${event.job !== undefined && schedule.mode === 'session' ? ` [${event.job}]` : ''}`,
  );
  return `${schedule.mode}: ${parts.join('; ') || 'no events'}`;
}
