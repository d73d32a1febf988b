/**
 * The truth oracles: properties every honest tracker has, judged from a recorded run without a
 * hand-written trace — the console lanes against the job truth (check/job-truth.ts).
 *
 *   truthful   the console never contradicts the job for longer than a bound: an end state while
 *              the job is live, RUNNING while it is over (check/lies.ts; default 3 polls)
 *   converges  once the world has settled, the console agrees with the truth within a bound and
 *              stays tracked to the end (default 2 polls + the status cache lifetime); a stop is
 *              held against it only after its detection time (the detects bound plus the time
 *              nobody could see it: detects judges it until then)
 *   detects    a real stop (the job failed, finished or was cancelled; its JobManager is down for
 *              good or its deployment gone) shows as the right end state, or an alerting state,
 *              within a bound (default 24 polls: 2 minutes at StreamPark timings), plus any time in
 *              which nobody could observe it (check/blindness.ts)
 *   quiet      no alert while the job is live
 *
 * Each violation carries a signature (oracle and the shape of the first divergence) so that the
 * explorer can group findings, and a sentence for people.
 */
import type { ScenarioRun, VariantLane } from '../record/run-record.ts';
import { ORACLE_NAMES, type OracleName, type OracleRequest } from '../scenario/oracle-names.ts';
import { blindSpans, detectionDeadline } from './blindness.ts';
import { defaultBounds } from './bounds.ts';
import { isJobOver, jobTruthOf, RECOVERING, VANISHED } from './job-truth.ts';
import { claimOf, showsEnd } from './claims.ts';
import { findLies } from './lies.ts';
import { systemOf } from '../record/tracker-info.ts';
import type { TrackerSystem } from '../systems/system.ts';
import { consoleSegments, valueAt, type Segment } from './segments.ts';


export interface OracleViolation {
  oracle: OracleName;
  variant: string;
  app: string;
  /** when it began (scenario ms) */
  at: number;
  /** the shape of the first divergence, e.g. `FAILED while RUNNING, to the end` */
  signature: string;
  message: string;
}

type Judge = (run: ScenarioRun, variant: string, app: string, boundMs: number) => OracleViolation[];

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const DEFAULT_BOUND: Record<OracleName, keyof ReturnType<typeof defaultBounds> | undefined> = { truthful: 'truthfulMs', converges: 'convergesMs', detects: 'detectsMs', quiet: undefined };

/** The bound an oracle uses for a run: the request's, else the default for the run's timing. */
export function boundOf(run: Pick<ScenarioRun, 'timing'>, request: OracleRequest): number {
  const key = DEFAULT_BOUND[request.name];
  return request.boundMs ?? (key === undefined ? 0 : defaultBounds(run.timing)[key]);
}

const truthful: Judge = (run, variant, app, boundMs) =>
  findLies(run, variant, app, boundMs)
    .filter((lie) => lie.kind === 'lie')
    .map((lie) => ({
      oracle: 'truthful',
      variant,
      app,
      at: lie.from,
      signature: `${lie.state} while ${lie.truth[0]}${lie.toEnd ? ', to the end' : ''}`,
      message: `showed ${lie.state} from ${seconds(lie.from)} ${lie.toEnd ? 'to the end' : `to ${seconds(lie.to)}`} while the job was ${lie.truth.join(' / ')}`,
    }));

/** Does the console state agree with the job truth? An end must fit it; a live job shows live once it is RUNNING. */
function agrees(system: TrackerSystem, shown: string, truth: string): boolean {
  if (isJobOver(truth)) return showsEnd(system, shown, truth);
  if (truth === 'RUNNING') return claimOf(system, shown) === 'live';
  return claimOf(system, shown) !== 'over';
}

/** Is the application still tracked at the end (the watcher polls it, the row says so)? And since when not. */
function untrackedSince(lane: VariantLane, app: string): number | undefined {
  let since: number | undefined;
  for (const event of lane.events) {
    if (event.type === 'tracking.stopped' && event.appId === app) since ??= event.t;
    else if (event.type === 'tracking.started' && event.appId === app) since = undefined;
    else if (event.type === 'tracker.restarted') since = Array.isArray(event.tracked) && event.tracked.includes(app) ? undefined : (since ?? event.t);
  }
  return since;
}

const converges: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  const from = run.settledAtMs + boundMs;
  if (lane === undefined || from >= run.durationMs) return []; // the run ended too soon to judge
  const shown = consoleSegments(lane, app, run.durationMs);
  const truth = jobTruthOf(run, app);
  const detecting = detectionWindows(run, truth);
  const violations: OracleViolation[] = [];
  const cuts = [...new Set([from, ...[...shown, ...truth, ...detecting].flatMap((segment) => [segment.from, segment.to])])].filter((t) => t >= from && t < run.durationMs).sort((a, b) => a - b);
  for (const t of cuts) {
    const state = valueAt(shown, t);
    const real = valueAt(truth, t);
    if (state === undefined || real === undefined || agrees(systemOf(run, variant), state, real)) continue;
    if (isJobOver(real) && detecting.some((span) => span.from <= t && t < span.to)) continue; // a stop still within its detection time: detects judges it
    const toEnd = shown.every((segment) => segment.to <= t || segment.value === state);
    violations.push({ oracle: 'converges', variant, app, at: t, signature: `${state} while ${real}${toEnd ? ', to the end' : ''}`, message: `still showed ${state} ${seconds(boundMs)} after the world settled (at ${seconds(run.settledAtMs)}) while the job was ${real}${toEnd ? ', and never came right' : ''}` });
    break;
  }
  const lastTruth = truth[truth.length - 1]?.value;
  const untracked = untrackedSince(lane, app);
  if (violations.length === 0 && untracked !== undefined && lastTruth !== undefined && !isJobOver(lastTruth)) {
    violations.push({ oracle: 'converges', variant, app, at: untracked, signature: `untracked while ${lastTruth}`, message: `stopped tracking the job at ${seconds(untracked)} and never tracked it again, while it was ${lastTruth} at the end` });
  }
  return violations;
};

/** The blind spans for a stop of each kind: one only Flink can tell (vanished), or any other. */
function stopBlindness(run: ScenarioRun): (truth: string) => { from: number; to: number }[] {
  const any = blindSpans(run);
  const flinkOnly = blindSpans(run, true);
  return (truth) => (truth === VANISHED ? flinkOnly : any);
}

/**
 * From each stop (the job truth turning over) to its detection deadline: the detection bound plus
 * the time nobody could see it (check/blindness.ts). Converging to a stop is judged only after.
 */
function detectionWindows(run: ScenarioRun, truth: readonly Segment[]): { from: number; to: number }[] {
  const blind = stopBlindness(run);
  const boundMs = boundOf(run, { name: 'detects' });
  return truth.filter((segment, index) => isJobOver(segment.value) && !(index > 0 && isJobOver(truth[index - 1]!.value))).map((segment) => ({ from: segment.from, to: detectionDeadline(run, blind(segment.value), segment.from, boundMs) }));
}


const detects: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  if (lane === undefined) return [];
  const truth = jobTruthOf(run, app);
  const shown = consoleSegments(lane, app, run.durationMs);
  const blind = stopBlindness(run);
  const violations: OracleViolation[] = [];
  truth.forEach((segment, index) => {
    const before = truth[index - 1];
    if (!isJobOver(segment.value) || (before !== undefined && isJobOver(before.value))) return;
    // time in which nobody could observe the job (or the console was down) does not count against it
    const deadline = detectionDeadline(run, blind(segment.value), segment.from, boundMs);
    const liveAgain = truth.slice(index + 1).find((later) => !isJobOver(later.value))?.from ?? Number.POSITIVE_INFINITY;
    if (deadline > run.durationMs || liveAgain <= deadline) return; // not judgeable, or over by itself
    const shownRightly = shown.some((part) => part.to > segment.from && part.from <= deadline && showsEnd(systemOf(run, variant), part.value, segment.value));
    const alerted = lane.alerts.some((alert) => alert.app === app && alert.t >= segment.from && alert.t <= deadline);
    if (shownRightly || alerted) return;
    const at = valueAt(shown, deadline) ?? '(nothing)';
    violations.push({ oracle: 'detects', variant, app, at: segment.from, signature: `${at} for ${segment.value}`, message: `the job was ${segment.value} from ${seconds(segment.from)}, but ${seconds(boundMs)} later the console still showed ${at} and had sent no alert` });
  });
  return violations;
};

const quiet: Judge = (run, variant, app) => {
  const lane = run.lanes.variants[variant];
  if (lane === undefined) return [];
  const truth = jobTruthOf(run, app);
  const violations: OracleViolation[] = [];
  for (const alert of lane.alerts) {
    if (alert.app !== app) continue;
    const real = truthAt(truth, alert.t);
    if (real === undefined || isJobOver(real)) continue;
    violations.push({ oracle: 'quiet', variant, app, at: alert.t, signature: `alert ${alert.state} while ${real === RECOVERING ? 'recovering' : real}`, message: `alerted ${alert.state} at ${seconds(alert.t)} while the job was ${real}` });
    break;
  }
  return violations;
};

/** The truth at `t`; at the very end of the run, the last segment's value. */
function truthAt(truth: readonly Segment[], t: number): string | undefined {
  return valueAt(truth, t) ?? (truth.length > 0 && t >= truth[truth.length - 1]!.to ? truth[truth.length - 1]!.value : undefined);
}

const JUDGES: Record<OracleName, Judge> = { truthful, converges, detects, quiet };

/** Every violation of the requested oracles by one variant about one application, in request order. */
export function checkOracles(run: ScenarioRun, variant: string, app: string, requests: readonly OracleRequest[]): OracleViolation[] {
  return requests.flatMap((request) => JUDGES[request.name](run, variant, app, boundOf(run, request)));
}

/** All four oracles at their default bounds. */
export const ALL_ORACLES: readonly OracleRequest[] = ORACLE_NAMES.map((name) => ({ name }));
