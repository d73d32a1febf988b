/**
 * What was true of a job over time, as Flink would have it — the truth every oracle and the
 * report judge the console against. From the recorded truth lane:
 *   - Flink's own state for the job while its JobManager serves (`not listed` while it is back
 *     but does not list the job yet);
 *   - `recovering` while the JobManager does not serve but comes back by itself (a restart with a
 *     downtime: it serves again later in the run), for at most `downAfterMs`;
 *   - `down` while the JobManager has been away longer than that, or will not come back (it never
 *     serves again in the run: a crash loop), or its deployment is gone;
 *   - `vanished` from when a serving JobManager no longer lists a job it will not list again (a
 *     session cluster without HA loses its jobs when its JobManager restarts), whatever follows;
 *   - a state Flink reported as final (FAILED, FINISHED, CANCELED) stays, whatever follows.
 */
import type { ScenarioRun } from '../record/run-record.ts';
import type { TruthEntry } from '../record/truth.ts';
import type { Span } from './spans.ts';
import { defaultBounds, type OracleBounds } from './bounds.ts';
import { FLINK_TERMINAL_STATES } from '../states.ts';
import { stepSegments, type Segment } from './segments.ts';

export const RECOVERING = 'recovering';
export const DOWN = 'down';
/** a serving JobManager no longer has the job, for good (a session cluster that restarted without HA) */
export const VANISHED = 'vanished';

/** True for a job truth that means the job is over: a final Flink state, down, or vanished. */
export function isJobOver(state: string): boolean {
  return FLINK_TERMINAL_STATES.has(state) || state === DOWN || state === VANISHED;
}

/** True for an over truth that names no end (down, vanished): any end state the console shows fits it. */
export function isUnnamedEnd(state: string): boolean {
  return state === DOWN || state === VANISHED;
}

/** Flink's state for the job in one snapshot (`not listed` when it lists none). */
function reportedState(entry: TruthEntry, app: string): string {
  return entry.jobs[app] ?? 'not listed';
}

/** Flink serves but does not list the job (yet, or any more) */
export const NOT_LISTED = 'not listed';

/** Is the job listed in no later snapshot? (It is gone from its cluster for good.) */
function neverListedAfter(truth: readonly TruthEntry[], index: number, app: string): boolean {
  return truth.slice(index + 1).every((later) => reportedState(later, app) === NOT_LISTED);
}

/** The job's truth as segments of scenario time, `endMs` the end of the run. */
export function jobTruthSegments(truth: readonly TruthEntry[], app: string, endMs: number, bounds: Pick<OracleBounds, 'downAfterMs' | 'glimpseMs'>): Segment[] {
  const points: { t: number; value: string }[] = [];
  let finished: string | undefined;
  let vanished = false; // a serving JobManager stopped listing it for good, whatever its JobManager does next
  for (let index = 0; index < truth.length; index++) {
    const entry = truth[index]!;
    const reported = reportedState(entry, app);
    if (finished === undefined && FLINK_TERMINAL_STATES.has(reported)) finished = reported;
    if (finished !== undefined) {
      points.push({ t: entry.t, value: finished });
      continue;
    }
    vanished ||= entry.restServing && entry.deploymentExists && reported === NOT_LISTED && neverListedAfter(truth, index, app);
    if (vanished) {
      points.push({ t: entry.t, value: VANISHED });
      continue;
    }
    if (!entry.deploymentExists) {
      points.push({ t: entry.t, value: DOWN });
      continue;
    }
    if (entry.restServing) {
      points.push({ t: entry.t, value: reported });
      continue;
    }
    // away: does it serve again later (by itself), and how long until it counts as down?
    const awaySince = awayStart(truth, index, bounds.glimpseMs);
    const back = truth.slice(index + 1).find((later) => later.restServing && later.deploymentExists);
    if (back === undefined) points.push({ t: entry.t, value: DOWN });
    else {
      const downAt = awaySince + bounds.downAfterMs;
      points.push({ t: entry.t, value: entry.t >= downAt ? DOWN : RECOVERING });
      const next = truth[index + 1];
      if (entry.t < downAt && downAt < Math.min(next?.t ?? endMs, endMs)) points.push({ t: downAt, value: DOWN });
    }
  }
  return stepSegments(points, (point) => point.value, endMs);
}

/**
 * The spans in which the JobManager has been away, or the job missing from a serving JobManager,
 * until its detection deadline (the detection bound by default; for a run, plus the time nobody
 * could see it: check/blindness.ts), whether or not it comes back: no tracker can know so soon
 * that it will not come back, so RUNNING then is no contradiction, nor is any state that does not
 * claim the job is over — even where the job truth already says `down`.
 */
export function detectionGrace(truth: readonly TruthEntry[], app: string, endMs: number, detectionBoundMs: number, deadline: (kind: 'away' | 'missing', from: number) => number = (_, from) => from + detectionBoundMs): Span[] {
  const spans: Span[] = [];
  // away and missing are two absences: a job found missing once its JobManager is back is news of its own
  const absence = (entry: TruthEntry | undefined) => {
    if (entry === undefined || !entry.deploymentExists || FLINK_TERMINAL_STATES.has(reportedState(entry, app))) return undefined;
    if (!entry.restServing) return 'away';
    return reportedState(entry, app) === NOT_LISTED ? 'missing' : undefined;
  };
  truth.forEach((entry, index) => {
    const kind = absence(entry);
    if (kind === undefined || absence(truth[index - 1]) === kind) return;
    const back = truth.slice(index + 1).find((later) => absence(later) !== kind)?.t ?? endMs;
    spans.push({ from: entry.t, to: Math.min(back, deadline(kind, entry.t), endMs) });
  });
  return spans;
}

const isAway = (entry: TruthEntry) => entry.deploymentExists && !entry.restServing;

/**
 * When the JobManager stopped serving, for the away entry at `index`: its first away entry's
 * time, reaching back over any stretch in which it served for less than `glimpseMs` (a tracker
 * that polls need not have seen it serve, so it has been away all along for the truth too).
 */
function awayStart(truth: readonly TruthEntry[], index: number, glimpseMs: number): number {
  let start = index;
  for (;;) {
    while (start > 0 && isAway(truth[start - 1]!)) start--;
    let served = start;
    while (served > 0 && !isAway(truth[served - 1]!) && truth[served - 1]!.deploymentExists) served--;
    if (served === 0 || served === start || !isAway(truth[served - 1]!) || truth[start]!.t - truth[served]!.t >= glimpseMs) return truth[start]!.t;
    start = served - 1;
  }
}

/** The truth lanes the timeline draws, each as segments, keyed by a lane label; the job lanes as job-truth.ts derives them. */
export function truthLanes(truth: readonly TruthEntry[], apps: readonly string[], endMs: number, bounds: Pick<OracleBounds, 'downAfterMs' | 'glimpseMs'>): { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] {
  const lanes: { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] = [
    { label: 'deployment', kind: 'deployment', segments: stepSegments(truth, (entry) => (entry.deploymentExists ? 'exists' : 'gone'), endMs) },
    { label: 'JobManager pod', kind: 'pod', segments: stepSegments(truth, podLabel, endMs) },
    { label: 'Flink REST', kind: 'rest', segments: stepSegments(truth, (entry) => (entry.restServing ? 'serving' : 'down'), endMs) },
  ];
  for (const app of apps) lanes.push({ label: apps.length > 1 ? `job ${app}` : 'Flink job', kind: 'job', segments: jobTruthSegments(truth, app, endMs, bounds) });
  return lanes;
}

/** The pod as one line: `Running · ready · restarts 1`, `Pending · not ready · restarts 0`, `none`. */
export function podLabel(entry: TruthEntry): string {
  const pod = entry.pod;
  if (pod === undefined) return 'none';
  return `${pod.phase} · ${pod.ready ? 'ready' : 'not ready'} · restarts ${pod.restartCount}`;
}

/** A run's job truth for one application, with the bounds of the run's own timing. */
export function jobTruthOf(run: Pick<ScenarioRun, 'lanes' | 'durationMs' | 'timing'>, app: string): Segment[] {
  return jobTruthSegments(run.lanes.truth, app, run.durationMs, defaultBounds(run.timing));
}

/**
 * Where the JobManager itself is down for the truth — away longer than the bound or for good, or
 * its deployment gone — whatever its jobs: the truth of a job that would run for ever in it.
 */
export function jobManagerDownSpans(run: Pick<ScenarioRun, 'lanes' | 'durationMs' | 'timing'>): Span[] {
  const forever = '\u0000jobmanager';
  const asJob = run.lanes.truth.map((entry) => ({ ...entry, jobs: { [forever]: 'RUNNING' } }));
  return jobTruthSegments(asJob, forever, run.durationMs, defaultBounds(run.timing)).filter((segment) => segment.value === DOWN);
}
