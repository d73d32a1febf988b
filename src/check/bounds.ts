/**
 * The time bounds the truth oracles judge by, from the timing the trackers ran with (StreamPark's
 * poll interval and status cache lifetime, scaled with any scenario override). Defaults at
 * StreamPark timings (5 s poll, 20 s cache): truthful 15 s, converges 30 s, detects 2 min; a
 * JobManager away for 100 s is down.
 */
import type { TrackerTiming } from '../models/timing.ts';

export interface OracleBounds {
  /** how long the console may contradict the job before it is a lie */
  truthfulMs: number;
  /** how long after the world settled the console may take to agree with it */
  convergesMs: number;
  /** how long after a real stop the console may take to show it (and RUNNING for a JobManager away that long is no lie yet) */
  detectsMs: number;
  /** how long a JobManager may be away (or a session job missing) before the truth counts it as down */
  downAfterMs: number;
  /** a JobManager that served for less than this between two absences may have gone unseen: one absence for the truth (a poll) */
  glimpseMs: number;
}

/** Poll intervals within which a stop must show. */
export const DETECTION_POLLS = 24;
/**
 * Poll intervals after which a JobManager that does not serve counts as down: before the
 * detection bound, so that a tracker can say so in time (it sees the JobManager away within a
 * poll, and its observation of the moment takes up to two more).
 */
export const DOWN_POLLS = 20;

/**
 * A state is at most one observation old: a change is seen by the first observation started
 * after it (within a poll), which settles within two more (a call may take a whole interval).
 * So a contradiction of up to 3 polls is a tracker's latency, not a lie.
 */
export const TRUTHFUL_POLLS = 3;

export function defaultBounds(timing: Pick<TrackerTiming, 'pollIntervalMs' | 'statusCacheTtlMs'>): OracleBounds {
  return {
    truthfulMs: timing.pollIntervalMs * TRUTHFUL_POLLS,
    convergesMs: timing.pollIntervalMs * 2 + timing.statusCacheTtlMs,
    detectsMs: timing.pollIntervalMs * DETECTION_POLLS,
    downAfterMs: timing.pollIntervalMs * DOWN_POLLS,
    glimpseMs: timing.pollIntervalMs,
  };
}
