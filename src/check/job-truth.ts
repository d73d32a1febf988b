/**
 * What was true of a job over time, as Flink would have it — the truth every oracle and the
 * report judge the console against. From the recorded truth lane:
 *   - Flink's own state for the job while its JobManager serves (`not listed` while it is back
 *     but lists nothing yet);
 *   - `recovering` while the JobManager does not serve but comes back by itself (a restart with a
 *     downtime: it serves again later in the run), for at most the detection bound;
 *   - `down` while the JobManager has been away longer than the detection bound, or will not come
 *     back (it never serves again in the run: a crash loop), or its deployment is gone;
 *   - a state Flink reported as final (FAILED, FINISHED, CANCELED) stays, whatever follows.
 */
import type { ScenarioRun } from '../record/run-record.ts';
import type { TruthEntry } from '../record/truth.ts';
import { defaultBounds } from './bounds.ts';
import { FLINK_TERMINAL_STATES } from '../states.ts';
import { stepSegments, type Segment } from './segments.ts';

export const RECOVERING = 'recovering';
export const DOWN = 'down';

/** True for a job truth that means the job is over: a final Flink state, or down. */
export function isJobOver(state: string): boolean {
  return FLINK_TERMINAL_STATES.has(state) || state === DOWN;
}

/** Flink's state for the job in one snapshot (`not listed` when it lists none). */
function reportedState(entry: TruthEntry, app: string): string {
  return entry.jobs[app] ?? 'not listed';
}

/** The job's truth as segments of scenario time, `endMs` the end of the run. */
export function jobTruthSegments(truth: readonly TruthEntry[], app: string, endMs: number, detectionBoundMs: number): Segment[] {
  const points: { t: number; value: string }[] = [];
  let finished: string | undefined;
  for (let index = 0; index < truth.length; index++) {
    const entry = truth[index]!;
    const reported = reportedState(entry, app);
    if (finished === undefined && FLINK_TERMINAL_STATES.has(reported)) finished = reported;
    if (finished !== undefined) {
      points.push({ t: entry.t, value: finished });
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
    const awaySince = awayStart(truth, index);
    const back = truth.slice(index + 1).find((later) => later.restServing && later.deploymentExists);
    if (back === undefined) points.push({ t: entry.t, value: DOWN });
    else {
      const downAt = awaySince + detectionBoundMs;
      points.push({ t: entry.t, value: entry.t >= downAt ? DOWN : RECOVERING });
      const next = truth[index + 1];
      if (entry.t < downAt && downAt < Math.min(next?.t ?? endMs, endMs)) points.push({ t: downAt, value: DOWN });
    }
  }
  return stepSegments(points, (point) => point.value, endMs);
}

/**
 * The spans in which the JobManager has been away for less than the detection bound (whether or
 * not it comes back): RUNNING then is not yet a contradiction — no tracker can know so soon that
 * it will not come back — even where the job truth already says `down`.
 */
export function awayGrace(truth: readonly TruthEntry[], endMs: number, detectionBoundMs: number): { from: number; to: number }[] {
  const spans: { from: number; to: number }[] = [];
  truth.forEach((entry, index) => {
    const away = entry.deploymentExists && !entry.restServing;
    const previous = truth[index - 1];
    if (!away || (previous !== undefined && previous.deploymentExists && !previous.restServing)) return;
    const back = truth.slice(index + 1).find((later) => later.restServing || !later.deploymentExists)?.t ?? endMs;
    spans.push({ from: entry.t, to: Math.min(back, entry.t + detectionBoundMs, endMs) });
  });
  return spans;
}

/** When the JobManager stopped serving, for the away entry at `index` (its first away entry's time). */
function awayStart(truth: readonly TruthEntry[], index: number): number {
  let start = index;
  while (start > 0 && !truth[start - 1]!.restServing && truth[start - 1]!.deploymentExists) start--;
  return truth[start]!.t;
}

/** The truth lanes the timeline draws, each as segments, keyed by a lane label; the job lanes as job-truth.ts derives them. */
export function truthLanes(truth: readonly TruthEntry[], apps: readonly string[], endMs: number, detectionBoundMs: number): { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] {
  const lanes: { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] = [
    { label: 'deployment', kind: 'deployment', segments: stepSegments(truth, (entry) => (entry.deploymentExists ? 'exists' : 'gone'), endMs) },
    { label: 'JobManager pod', kind: 'pod', segments: stepSegments(truth, podLabel, endMs) },
    { label: 'Flink REST', kind: 'rest', segments: stepSegments(truth, (entry) => (entry.restServing ? 'serving' : 'down'), endMs) },
  ];
  for (const app of apps) lanes.push({ label: apps.length > 1 ? `job ${app}` : 'Flink job', kind: 'job', segments: jobTruthSegments(truth, app, endMs, detectionBoundMs) });
  return lanes;
}

/** The pod as one line: `Running · ready · restarts 1`, `Pending · not ready · restarts 0`, `none`. */
export function podLabel(entry: TruthEntry): string {
  const pod = entry.pod;
  if (pod === undefined) return 'none';
  return `${pod.phase} · ${pod.ready ? 'ready' : 'not ready'} · restarts ${pod.restartCount}`;
}

/** A run's job truth for one application, judged with the run's own detection bound. */
export function jobTruthOf(run: Pick<ScenarioRun, 'lanes' | 'durationMs' | 'timing'>, app: string): Segment[] {
  return jobTruthSegments(run.lanes.truth, app, run.durationMs, defaultBounds(run.timing).detectsMs);
}
