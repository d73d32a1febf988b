/**
 * The truth oracles: properties every honest tracker has, judged from a recorded run without a
 * hand-written trace — the console lanes against the job truth (check/job-truth.ts).
 *
 *   truthful     the console never contradicts the job for longer than a bound: an end state while
 *                the job is live, RUNNING while it is over (check/lies.ts; default 3 polls); a state
 *                kept from before is excused only while no source answers at all
 *   converges    once the world has settled, the console agrees with the truth within a bound and
 *                stays tracked to the end (default 2 polls + the status cache lifetime); a stop is
 *                held against it only after its detection time (detects judges it until then)
 *   detects      a real stop (the job failed, finished or was cancelled; its JobManager is down for
 *                good or its deployment gone) shows as the right end state within a bound (default
 *                24 polls: 2 minutes at StreamPark timings), plus any time in which nobody could
 *                observe it (check/blindness.ts, check/stops.ts)
 *   quiet        no alert while the job is live
 *   alerts       every stop the user did not ask for is alerted, once, by the same deadline; a
 *                cancel the user asked for (and Flink accepted) is never alerted, nor ends LOST or
 *                FAILED (check/alerts.ts)
 *   tracking     once a call could show the deployment gone and the end is shown, tracking stops
 *                within a bound (default 3 polls; check/tracking.ts)
 *   informative  while Flink answers with the job's state, the console shows it within a bound
 *                (default 3 polls): no SILENT or stale state (check/informative.ts)
 *
 * Each violation carries a signature (oracle and the shape of the first divergence), the cause
 * the variant gave for the write behind it (so the explorer can tell mechanisms apart), and a
 * sentence for people.
 */
import type { ScenarioRun, VariantLane } from '../record/run-record.ts';
import { ORACLE_NAMES, type OracleName, type OracleRequest } from '../scenario/oracle-names.ts';
import { alerts } from './alerts.ts';
import { defaultBounds, type OracleBounds } from './bounds.ts';
import { detects } from './detects.ts';
import { informative } from './informative.ts';
import { isJobOver, jobTruthOf, RECOVERING } from './job-truth.ts';
import { claimOf, showsEnd } from './claims.ts';
import { findLies } from './lies.ts';
import { systemOf } from '../record/tracker-info.ts';
import type { TrackerSystem } from '../systems/system.ts';
import { seconds, type Judge, type OracleViolation } from './oracle-types.ts';
import { causeAt, consoleSegments, valueAt, type Segment } from './segments.ts';
import { stopsOf } from './stops.ts';
import { tracking, untrackedSince } from './tracking.ts';

export type { OracleViolation };

const DEFAULT_BOUND: Record<OracleName, keyof OracleBounds | undefined> = {
  truthful: 'truthfulMs',
  converges: 'convergesMs',
  detects: 'detectsMs',
  quiet: undefined,
  alerts: 'detectsMs',
  tracking: 'trackingMs',
  informative: 'informativeMs',
};

/** The bound an oracle uses for a run: the request's, else the default for the run's timing. */
export function boundOf(run: Pick<ScenarioRun, 'timing'>, request: OracleRequest): number {
  const key = DEFAULT_BOUND[request.name];
  return request.boundMs ?? (key === undefined ? 0 : defaultBounds(run.timing)[key]);
}

const truthful: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  return findLies(run, variant, app, boundMs)
    .filter((lie) => lie.kind === 'lie')
    .map((lie) => ({
      oracle: 'truthful',
      variant,
      app,
      at: lie.from,
      signature: `${lie.state} while ${lie.truth[0]}${lie.toEnd ? ', to the end' : ''}`,
      ...causeOf(lane, app, lie.from),
      message: `showed ${lie.state} from ${seconds(lie.from)} ${lie.toEnd ? 'to the end' : `to ${seconds(lie.to)}`} while the job was ${lie.truth.join(' / ')}`,
    }));
};

/** The cause of what the console showed at `t`, as a violation's field. */
function causeOf(lane: VariantLane | undefined, app: string, t: number): { cause?: string } {
  const cause = lane === undefined ? undefined : causeAt(lane, app, t);
  return cause === undefined ? {} : { cause };
}

/** Does the console state agree with the job truth? An end must fit it; a live job shows live once it is RUNNING. */
function agrees(system: TrackerSystem, shown: string, truth: string): boolean {
  if (isJobOver(truth)) return showsEnd(system, shown, truth);
  if (truth === 'RUNNING') return claimOf(system, shown) === 'live';
  return claimOf(system, shown) !== 'over';
}

const converges: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  const from = run.settledAtMs + boundMs;
  if (lane === undefined || from >= run.durationMs) return []; // the run ended too soon to judge
  const shown = consoleSegments(lane, app, run.durationMs);
  const truth = jobTruthOf(run, app);
  // a stop still within its detection time is judged by detects
  const detecting = stopsOf(run, variant, app).map((stop) => ({ from: stop.from, to: stop.deadline }));
  const violations: OracleViolation[] = [];
  const cuts = [...new Set([from, ...[...shown, ...truth, ...detecting].flatMap((segment) => [segment.from, segment.to])])].filter((t) => t >= from && t < run.durationMs).sort((a, b) => a - b);
  for (const t of cuts) {
    const state = valueAt(shown, t);
    const real = valueAt(truth, t);
    if (state === undefined || real === undefined || agrees(systemOf(run, variant), state, real)) continue;
    if (isJobOver(real) && detecting.some((span) => span.from <= t && t < span.to)) continue;
    const toEnd = shown.every((segment) => segment.to <= t || segment.value === state);
    violations.push({ oracle: 'converges', variant, app, at: t, signature: `${state} while ${real}${toEnd ? ', to the end' : ''}`, ...causeOf(lane, app, t), message: `still showed ${state} ${seconds(boundMs)} after the world settled (at ${seconds(run.settledAtMs)}) while the job was ${real}${toEnd ? ', and never came right' : ''}` });
    break;
  }
  const lastTruth = truth[truth.length - 1]?.value;
  const untracked = untrackedSince(lane, app);
  if (violations.length === 0 && untracked !== undefined && lastTruth !== undefined && !isJobOver(lastTruth)) {
    violations.push({ oracle: 'converges', variant, app, at: untracked, signature: `untracked while ${lastTruth}`, ...causeOf(lane, app, untracked), message: `stopped tracking the job at ${seconds(untracked)} and never tracked it again, while it was ${lastTruth} at the end` });
  }
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
    violations.push({ oracle: 'quiet', variant, app, at: alert.t, signature: `alert ${alert.state} while ${real === RECOVERING ? 'recovering' : real}`, ...causeOf(lane, app, alert.t), message: `alerted ${alert.state} at ${seconds(alert.t)} while the job was ${real}` });
    break;
  }
  return violations;
};

/** The truth at `t`; at the very end of the run, the last segment's value. */
function truthAt(truth: readonly Segment[], t: number): string | undefined {
  return valueAt(truth, t) ?? (truth.length > 0 && t >= truth[truth.length - 1]!.to ? truth[truth.length - 1]!.value : undefined);
}

const JUDGES: Record<OracleName, Judge> = { truthful, converges, detects, quiet, alerts, tracking, informative };

/** Every violation of the requested oracles by one variant about one application, in request order. */
export function checkOracles(run: ScenarioRun, variant: string, app: string, requests: readonly OracleRequest[]): OracleViolation[] {
  return requests.flatMap((request) => JUDGES[request.name](run, variant, app, boundOf(run, request)));
}

/** Every oracle at its default bound. */
export const ALL_ORACLES: readonly OracleRequest[] = ORACLE_NAMES.map((name) => ({ name }));
