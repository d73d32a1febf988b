/**
 * `alerts`: the alerts a user gets are the stops they did not ask for — each alerted, once, by the
 * stop's detection deadline (check/stops.ts: the detects bound plus the time nobody could see
 * it); once means no second alert while the console still shows the end it alerted (after it
 * withdrew it, an alert is news again) — and nothing for a cancel they asked for: a cancel from
 * the console that Flink accepted (the job truth ends CANCELED), and that the console could know it
 * accepted, is never alerted and never ends shown as another end (LOST, FAILED). A cancel whose
 * answer was lost on the way back, its cluster gone at once, is not known to have been accepted:
 * an alert then is no lie, and none is no lie either. No alert while the job is live is `quiet`'s
 * to judge.
 */
import type { ScenarioRun, VariantLane } from '../record/run-record.ts';
import { claimOf, namesEnd } from './claims.ts';
import { systemOf } from '../record/tracker-info.ts';
import { seconds, type Judge, type OracleViolation } from './oracle-types.ts';
import { flinkAnswers, type BlindnessRun } from './blindness.ts';
import { causeAt, consoleSegments, stepSegments, valueAt } from './segments.ts';
import { intersect } from './spans.ts';
import { isJudgeable, stopsOf, type Stop } from './stops.ts';

/** The end a cancel from the console asks Flink for (a Flink job state; the one place check/alerts names it). */
const CANCELLED = 'CANCELED';

/** When the user cancelled `app` from the console before `t` (the last such cancel), if they did. */
function cancelledBefore(run: Pick<ScenarioRun, 'actions'>, app: string, t: number): number | undefined {
  return run.actions.filter((action) => action.action === 'cancel-from-console' && (action.job === undefined || action.job === app) && action.atMs <= t).at(-1)?.atMs;
}

/**
 * The cancel the user asked for: Flink reported the job CANCELED after a cancel from the console.
 * `known`: the console could know Flink accepted it — its cancel call got Flink's answer; or it
 * read Flink's overview while Flink reported CANCELED; or Flink answered its calls within a poll
 * for a poll on end while reporting it, in which a tracker that polls cannot have missed it (an
 * application cluster removes itself a second after: a glimpse proves nothing).
 */
function askedFor(run: BlindnessRun, variant: string, lane: VariantLane, stop: Stop): { at: number; known: boolean } | undefined {
  const at = stop.truth === CANCELLED ? cancelledBefore(run, stop.app, stop.from) : undefined;
  if (at === undefined) return undefined;
  const answered = lane.polls.some((call) => call.t >= at && /^cancel/.test(call.call) && call.outcome === 'ok');
  const reported = stepSegments(run.lanes.truth, (entry) => (entry.restServing && entry.deploymentExists && entry.jobs[stop.app] === CANCELLED ? 'reported' : undefined), run.durationMs);
  const read = lane.polls.some((call) => call.call === 'fetchJobsOverview' && call.outcome === 'ok' && reported.some((span) => span.from <= call.t && call.t + call.ms < span.to));
  const plain = intersect(reported, flinkAnswers(run, variant)).some((span) => span.to - span.from >= run.timing.pollIntervalMs);
  return { at, known: answered || read || plain };
}

const alertsOf = (lane: VariantLane, app: string, from: number, to: number) => lane.alerts.filter((alert) => alert.app === app && alert.t >= from && alert.t <= to);

export const alerts: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  if (lane === undefined) return [];
  const violations: OracleViolation[] = [];
  const system = systemOf(run, variant);
  const shown = consoleSegments(lane, app, run.durationMs);
  const withCause = (t: number) => {
    const cause = causeAt(lane, app, t);
    return cause === undefined ? {} : { cause };
  };
  for (const stop of stopsOf(run, variant, app, boundMs)) {
    const over = Math.min(stop.liveAgain, run.durationMs); // the stop lasts to here
    const asked = askedFor(run, variant, lane, stop);
    if (asked !== undefined && !asked.known) continue; // an alert or none: either is honest when nobody could know Flink accepted it
    const cancelledAt = asked?.at;
    if (cancelledAt !== undefined) {
      const alerted = alertsOf(lane, app, cancelledAt, over)[0];
      if (alerted !== undefined) violations.push({ oracle: 'alerts', variant, app, at: alerted.t, signature: `alert ${alerted.state} for the user's cancel`, ...withCause(alerted.t), message: `alerted ${alerted.state} at ${seconds(alerted.t)} for the cancel the user asked for at ${seconds(cancelledAt)} (Flink cancelled the job)` });
      const last = valueAt(shown, over - 1) ?? shown.at(-1)?.value;
      if (isJudgeable(stop, run) && last !== undefined && claimOf(system, last) === 'over' && !namesEnd(system, last, CANCELLED)) {
        violations.push({ oracle: 'alerts', variant, app, at: stop.from, signature: `${last} for the user's cancel`, ...withCause(over - 1), message: `ended showing ${last} for the cancel the user asked for at ${seconds(cancelledAt)} (Flink cancelled the job)` });
      }
      continue;
    }
    if (!isJudgeable(stop, run)) continue;
    const inTime = alertsOf(lane, app, stop.from, stop.deadline);
    if (inTime.length === 0) {
      const at = valueAt(shown, stop.deadline) ?? shown.at(-1)?.value ?? '(nothing)';
      violations.push({ oracle: 'alerts', variant, app, at: stop.from, signature: `no alert for ${stop.truth}`, ...withCause(stop.deadline), message: `the job was ${stop.truth} from ${seconds(stop.from)}, but by ${seconds(stop.deadline)} no alert had gone out (the console showed ${at})` });
      continue;
    }
    // once: a second alert while the console went on showing an end is no news (after a withdrawal it is)
    const all = alertsOf(lane, app, stop.from, over);
    const again = all.find((alert, index) => index > 0 && shown.filter((part) => part.to > all[index - 1]!.t && part.from <= alert.t).every((part) => claimOf(system, part.value) === 'over'));
    if (again !== undefined) violations.push({ oracle: 'alerts', variant, app, at: again.t, signature: `alerted again for ${stop.truth}`, ...withCause(again.t), message: `alerted ${all.map((alert) => `${alert.state} at ${seconds(alert.t)}`).join(', ')} for one stop (the job was ${stop.truth} from ${seconds(stop.from)}), the second while the console still showed the end it had alerted` });
  }
  return violations;
};

