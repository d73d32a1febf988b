/**
 * The stops of a job in a run — each time the job truth turns over (check/job-truth.ts) — with
 * the time by which a tracker must show each: the detection bound plus the time in which nobody
 * could see it (check/blindness.ts). detects, alerts and tracking judge the same stops; a stop
 * whose deadline falls after the end of the run could not be judged, and is said so (`unjudged`),
 * never passed in silence.
 */
import type { ScenarioRun } from '../record/run-record.ts';
import { blindSpans, detectionDeadline, type BlindnessRun, type StopKind } from './blindness.ts';
import { defaultBounds } from './bounds.ts';
import { DOWN, isJobOver, jobTruthOf, VANISHED } from './job-truth.ts';
import { mustStopTrackingBy } from './tracking.ts';

export interface Stop {
  app: string;
  /** when the job truth turned over */
  from: number;
  /** what it turned into: a Flink end state (FAILED, FINISHED, CANCELED), down or vanished */
  truth: string;
  kind: StopKind;
  /** by when it must show, for the variant judged */
  deadline: number;
  /** when the job is live again by itself (Infinity: never in the run) */
  liveAgain: number;
}

/** What a fresh console could see of a stop (check/blindness.ts, StopKind). */
function kindOf(truth: string): StopKind {
  if (truth === VANISHED) return 'vanished';
  return truth === DOWN ? 'away' : 'seen';
}

export type StopRun = BlindnessRun & Pick<ScenarioRun, 'durationMs'>;

/** Every stop of `app` in the run, with its deadline for `variant` (the detects bound given, or the run's default). */
export function stopsOf(run: StopRun, variant: string, app: string, boundMs = defaultBounds(run.timing).detectsMs): Stop[] {
  const truth = jobTruthOf(run, app);
  const stops: Stop[] = [];
  truth.forEach((segment, index) => {
    const before = truth[index - 1];
    if (!isJobOver(segment.value) || (before !== undefined && isJobOver(before.value))) return;
    const kind = kindOf(segment.value);
    const deadline = detectionDeadline(run, blindSpans(run, variant, kind), segment.from, boundMs, kind);
    const liveAgain = truth.slice(index + 1).find((later) => !isJobOver(later.value))?.from ?? Number.POSITIVE_INFINITY;
    stops.push({ app, from: segment.from, truth: segment.value, kind, deadline, liveAgain });
  });
  return stops;
}

/** The run went on past the stop's deadline (and the job did not come back before it by itself): it can be judged. */
export function isJudgeable(stop: Stop, run: Pick<ScenarioRun, 'durationMs'>): boolean {
  return stop.deadline <= run.durationMs && stop.liveAgain > stop.deadline;
}

/** The stop's deadline falls after the end of the run, and the job was not back by then: nobody could judge it in this run. */
export function isUnjudged(stop: Stop, run: Pick<ScenarioRun, 'durationMs'>): boolean {
  return stop.deadline > run.durationMs && stop.liveAgain > run.durationMs;
}

/**
 * By when every stop of the run can be judged for every variant: the latest deadline of a stop the
 * job does not come back from by itself before it, and the latest time tracking must have stopped
 * (check/tracking.ts). The explorer runs a schedule at least this long, plus two polls.
 */
export function judgementHorizon(run: StopRun & Pick<ScenarioRun, 'apps'>, variants: readonly string[]): number {
  let latest = 0;
  const trackingMs = defaultBounds(run.timing).trackingMs;
  for (const variant of variants) {
    for (const app of run.apps) {
      for (const stop of stopsOf(run, variant, app)) if (stop.liveAgain > stop.deadline) latest = Math.max(latest, stop.deadline);
      latest = Math.max(latest, mustStopTrackingBy(run, variant, app, trackingMs) ?? 0);
    }
  }
  return latest;
}

/** The stops (per job, by when they began) that some variant's oracles could not judge in this run. */
export function unjudgedStops(run: StopRun & Pick<ScenarioRun, 'apps'>, variants: readonly string[]): { app: string; from: number; truth: string }[] {
  const found = new Map<string, { app: string; from: number; truth: string }>();
  for (const variant of variants) for (const app of run.apps) for (const stop of stopsOf(run, variant, app)) if (isUnjudged(stop, run)) found.set(`${app} ${stop.from}`, { app, from: stop.from, truth: stop.truth });
  return [...found.values()];
}
