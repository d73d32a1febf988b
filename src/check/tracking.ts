/**
 * `tracking`: once a successful call has shown a tracker that the deployment is gone — its own list
 * of the deployments, made after the deployment went for good, answered in time for its design
 * (check/reach.ts: ours uses an answer within two polls), or the API answered calls
 * made with its own timeouts (check/reach.ts) promptly for 3 polls on end while the console was
 * up, in which a tracker that polls cannot have missed it — and the console shows the job's end,
 * the tracker stops tracking it within a bound (3 polls: the next observation, started within a
 * poll, takes at most two). Both designs follow that rule: StreamPark's watcher asks whether the deployment
 * exists right after it writes an end state (updateState's untrack check) and untracks when it is
 * gone; ours stops on the observation that sees it gone. Judged by what the tracker reports
 * (`tracking.stopped`) and by what it does: once every job of the run must have stopped, no more
 * calls.
 */
import type { ScenarioRun, VariantLane } from '../record/run-record.ts';
import { consoleDowntimes, type BlindnessRun } from './blindness.ts';
import { claimOf } from './claims.ts';
import { systemOf } from '../record/tracker-info.ts';
import { seconds, type Judge, type OracleViolation } from './oracle-types.ts';
import { contractTimeouts, pathReach } from './reach.ts';
import { causeAt, consoleSegments } from './segments.ts';
import { complement, intersect, type Span } from './spans.ts';

/** Since when the application is no longer tracked (the watcher does not poll it, the row says so), if it is not at the end. */
export function untrackedSince(lane: VariantLane, app: string): number | undefined {
  let since: number | undefined;
  for (const event of lane.events) {
    if (event.type === 'tracking.stopped' && event.appId === app) since ??= event.t;
    else if (event.type === 'tracking.started' && event.appId === app) since = undefined;
    else if (event.type === 'tracker.restarted') since = Array.isArray(event.tracked) && event.tracked.includes(app) ? undefined : (since ?? event.t);
  }
  return since;
}

/** The first time at or after `t` inside the spans. */
function firstWithin(spans: readonly Span[], t: number): number | undefined {
  for (const span of spans) if (span.to > t) return Math.max(span.from, t);
  return undefined;
}

/** When the deployment went for good (undefined: it is there at the end). */
function goneForGoodAt(run: Pick<ScenarioRun, 'lanes'>): number | undefined {
  const truth = run.lanes.truth;
  if (truth.length === 0 || truth.at(-1)!.deploymentExists) return undefined;
  let index = truth.length - 1;
  while (index > 0 && !truth[index - 1]!.deploymentExists) index--;
  return truth[index]!.t;
}

/** By when `variant` must have stopped tracking `app`, if the run shows it a reason to. */
export function mustStopTrackingBy(run: BlindnessRun, variant: string, app: string, boundMs: number): number | undefined {
  const lane = run.lanes.variants[variant];
  const gone = goneForGoodAt(run);
  if (lane === undefined || gone === undefined) return undefined;
  const contract = contractTimeouts(run, variant);
  // its own deployment list, started after the deployment went and answered in time for its design
  const ownCall = lane.polls.find((call) => call.call === 'listFlinkDeployments' && call.outcome === 'ok' && call.t >= gone && call.ms <= (contract.usefulWithinMs ?? Number.POSITIVE_INFINITY));
  const answering = intersect(pathReach(run, 'apiserver', contract).promptly, complement(consoleDowntimes(run), run.durationMs));
  const longEnough = answering.filter((span) => span.to - Math.max(span.from, gone) >= boundMs);
  const knowable = Math.min(ownCall === undefined ? Number.POSITIVE_INFINITY : ownCall.t + ownCall.ms, firstWithin(longEnough, gone) ?? Number.POSITIVE_INFINITY);
  if (!Number.isFinite(knowable)) return undefined;
  const ended = consoleSegments(lane, app, run.durationMs).filter((segment) => claimOf(systemOf(run, variant), segment.value) === 'over');
  const shown = firstWithin(ended, knowable);
  return shown === undefined ? undefined : shown + boundMs;
}

export const tracking: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  const by = mustStopTrackingBy(run, variant, app, boundMs);
  if (lane === undefined || by === undefined || by > run.durationMs) return [];
  const cause = causeAt(lane, app, by);
  const because = cause === undefined ? {} : { cause };
  const since = untrackedSince(lane, app);
  if (since === undefined || since > by) {
    return [{ oracle: 'tracking', variant, app, at: by, signature: 'still tracked after the deployment was gone', ...because, message: `still tracked the job at ${seconds(by)}, ${seconds(boundMs)} after a call could show its deployment gone and its end was shown${since === undefined ? '' : ` (it stopped at ${seconds(since)})`}` }];
  }
  const everyJob = run.apps.map((other) => mustStopTrackingBy(run, variant, other, boundMs));
  if (everyJob.some((other) => other === undefined)) return [];
  const last = Math.max(...(everyJob as number[]));
  const call = lane.polls.find((poll) => poll.t > last);
  const violations: OracleViolation[] = [];
  if (call !== undefined) violations.push({ oracle: 'tracking', variant, app, at: call.t, signature: 'still calling after the deployment was gone', ...because, message: `made ${lane.polls.filter((poll) => poll.t > last).length} call(s) from ${seconds(call.t)} on (${call.call} first), after every job's tracking had to stop by ${seconds(last)}` });
  return violations;
};
