/**
 * The time bounds the truth oracles judge by, from the timing the trackers ran with (StreamPark's
 * poll interval and status cache lifetime, scaled with any scenario override). Defaults at
 * StreamPark timings (5 s poll, 20 s cache): truthful 7.5 s, converges 30 s, detects 2 min.
 */
import type { TrackerTiming } from '../models/timing.ts';

export interface OracleBounds {
  /** how long the console may contradict the job before it is a lie */
  truthfulMs: number;
  /** how long after the world settled the console may take to agree with it */
  convergesMs: number;
  /** how long after a real stop the console may take to show it; also when a JobManager that is away counts as down */
  detectsMs: number;
}

/** Poll intervals after which a JobManager that does not serve counts as down, and a stop must show. */
export const DETECTION_POLLS = 24;

export function defaultBounds(timing: Pick<TrackerTiming, 'pollIntervalMs' | 'statusCacheTtlMs'>): OracleBounds {
  return {
    truthfulMs: Math.round(timing.pollIntervalMs * 1.5),
    convergesMs: timing.pollIntervalMs * 2 + timing.statusCacheTtlMs,
    detectsMs: timing.pollIntervalMs * DETECTION_POLLS,
  };
}
