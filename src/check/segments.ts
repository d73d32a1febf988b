/**
 * Lanes as segments of scenario time: each console and truth lane is a step function (a value
 * holds from one entry until the next change), which both the timeline and the lie detector use.
 */
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

/** The value of a lane at a time (undefined outside its segments). */
export function valueAt(segments: readonly Segment[], t: number): string | undefined {
  return segments.find((segment) => segment.from <= t && t < segment.to)?.value;
}

/** Why the console showed what it showed for `app` at `t`: the cause of the last write at or before it. */
export function causeAt(lane: VariantLane, app: string, t: number): string | undefined {
  let cause: string | undefined;
  for (const write of lane.writes) {
    if (write.t > t) break;
    if (write.app === app) cause = write.cause;
  }
  return cause;
}
