/**
 * FlinkK8sChangeEventListener.subscribeJobStatusChange, as pure functions over a console row.
 *
 *   app = row for id; if none: return
 *   if app.state is a console end state: return              # BUG 2 (removed by PR #3634)
 *   state = observed, POS_TERMINATED/TERMINATED resolved against the stored state
 *   write state (watcher → console mapping), tracking flag, job id
 *   alert when the new state is FAILED, LOST, RESTARTING or FINISHED
 *
 * The end-state guard is a variant rule: see `isAbsorbedByEndState` in console.ts.
 */
import { inferStateFromPersist, toConsoleState, toWatcherState, trackingFlag } from './states.ts';
import type { AppRow, JobStatus } from './types.ts';

/** setByJobStatusCV: the row after the listener has applied an observation. */
export function applyJobStatus(row: AppRow, status: JobStatus): AppRow {
  const resolved = inferStateFromPersist(status.state, toWatcherState(row.state));
  const state = toConsoleState(resolved);
  // app.setJobId(jobStatus.jobId()); the mapper writes job_id only when it is not empty (ApplicationMapper.xml v2.1.4 line 213)
  return { ...row, state, tracking: trackingFlag(state), jobId: status.jobId === '' ? row.jobId : status.jobId };
}

/** The listener's alert rule: FAILED, LOST, RESTARTING or FINISHED (the system's `alerts`). */
export { alertsOn } from './states.ts';
