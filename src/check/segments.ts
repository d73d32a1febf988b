/**
 * Lanes as segments of scenario time: each console and truth lane is a step function (a value
 * holds from one entry until the next change), which both the timeline and the lie detector use.
 */
import type { TruthEntry } from '../record/truth.ts';
import type { VariantLane } from '../record/run-record.ts';

export interface Segment {
  from: number;
  to: number;
  value: string;
}

/**
 * Step segments from time-ordered entries: a value holds from its entry to the next entry with a
 * different value, the last to `endMs`. Repeats merge; a value replaced at the same instant
 * leaves no segment; entries without a value (undefined) leave a gap.
 */
export function stepSegments<E extends { t: number }>(entries: readonly E[], valueOf: (entry: E) => string | undefined, endMs: number): Segment[] {
  const segments: Segment[] = [];
  let open: { from: number; value: string | undefined } | undefined;
  const close = (at: number) => {
    if (open !== undefined && open.value !== undefined && at > open.from) segments.push({ from: open.from, to: at, value: open.value });
  };
  for (const entry of entries) {
    const value = valueOf(entry);
    if (open !== undefined && open.value === value) continue;
    close(entry.t);
    open = { from: entry.t, value };
  }
  close(Math.max(endMs, open?.from ?? endMs));
  // a value written again after a zero-length interruption continues its segment
  return segments.reduce<Segment[]>((merged, segment) => {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.value === segment.value && last.to === segment.from) last.to = segment.to;
    else merged.push({ ...segment });
    return merged;
  }, []);
}

/** One application's console state over time, from a variant's writes. */
export function consoleSegments(lane: VariantLane, app: string, endMs: number): Segment[] {
  return stepSegments(lane.writes.filter((write) => write.app === app), (write) => write.state, endMs);
}

// Flink's job states that mean the job is over (anything else: running or coming back)
const JOB_END_STATES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/** True for a truth job state that means the job is over (`GONE` included). */
export function isJobOver(state: string): boolean {
  return JOB_END_STATES.has(state) || state === 'GONE';
}

/**
 * What was true of one job: Flink's state for it, `not listed` while the JobManager is back but
 * lists nothing yet, and `GONE` when the deployment was deleted under a job that had not ended.
 */
export function truthJobState(entry: TruthEntry, app: string): string {
  const state = entry.jobs[app] ?? 'not listed';
  return !entry.deploymentExists && !JOB_END_STATES.has(state) ? 'GONE' : state;
}

/** The truth lanes the timeline draws, each as segments, keyed by a lane label. */
export function truthLanes(truth: readonly TruthEntry[], apps: readonly string[], endMs: number): { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] {
  const lanes: { label: string; kind: 'deployment' | 'pod' | 'rest' | 'job'; segments: Segment[] }[] = [
    { label: 'deployment', kind: 'deployment', segments: stepSegments(truth, (entry) => (entry.deploymentExists ? 'exists' : 'gone'), endMs) },
    { label: 'JobManager pod', kind: 'pod', segments: stepSegments(truth, podLabel, endMs) },
    { label: 'Flink REST', kind: 'rest', segments: stepSegments(truth, (entry) => (entry.restServing ? 'serving' : 'down'), endMs) },
  ];
  for (const app of apps) lanes.push({ label: apps.length > 1 ? `job ${app}` : 'Flink job', kind: 'job', segments: stepSegments(truth, (entry) => truthJobState(entry, app), endMs) });
  return lanes;
}

/** The pod as one line: `Running · ready · restarts 1`, `Pending · not ready · restarts 0`, `none`. */
export function podLabel(entry: TruthEntry): string {
  const pod = entry.pod;
  if (pod === undefined) return 'none';
  return `${pod.phase} · ${pod.ready ? 'ready' : 'not ready'} · restarts ${pod.restartCount}`;
}

/** The value of a lane at a time (undefined outside its segments). */
export function valueAt(segments: readonly Segment[], t: number): string | undefined {
  return segments.find((segment) => segment.from <= t && t < segment.to)?.value;
}
