/**
 * The time bounds the truth oracles judge by, from the timing the trackers ran with (StreamPark's
 * poll interval and status cache lifetime, scaled with any scenario override). Defaults at
 * StreamPark timings (5 s poll, 20 s cache): truthful 15 s, converges 30 s, detects 2 min,
 * informative 15 s, tracking 15 s; a JobManager away for 100 s is down.
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
  /** how long the console may show SILENT, or a state Flink does not report, while Flink answers with the job's state */
  informativeMs: number;
  /** how long a tracker may go on tracking once a call could show the deployment gone and its end is shown */
  trackingMs: number;
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

/**
 * While Flink answers the tracker's calls within a poll, the console shows what Flink reports
 * within 3 polls: the first observation started after the change (within a poll) settles within
 * two more — the same latency as `truthful`'s. Longer, SILENT (or a stale state) hides what
 * anyone polling could see.
 */
export const INFORMATIVE_POLLS = 3;

/**
 * Once a call could show the deployment gone and the end is shown, the next observation (within a
 * poll, taking at most two) sees it gone and stops tracking: 3 polls. StreamPark's watcher asks
 * at once after writing an end state (updateState's untrack check), ours on its next observation.
 */
export const TRACKING_POLLS = 3;

export function defaultBounds(timing: Pick<TrackerTiming, 'pollIntervalMs' | 'statusCacheTtlMs'>): OracleBounds {
  return {
    truthfulMs: timing.pollIntervalMs * TRUTHFUL_POLLS,
    convergesMs: timing.pollIntervalMs * 2 + timing.statusCacheTtlMs,
    detectsMs: timing.pollIntervalMs * DETECTION_POLLS,
    downAfterMs: timing.pollIntervalMs * DOWN_POLLS,
    glimpseMs: timing.pollIntervalMs,
    informativeMs: timing.pollIntervalMs * INFORMATIVE_POLLS,
    trackingMs: timing.pollIntervalMs * TRACKING_POLLS,
  };
}
