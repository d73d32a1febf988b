/**
 * What a kubelet does to the JobManager's container, measured on a real one (kind v0.33.0,
 * kubelet v1.37.2: `node scripts/bench-kind.mjs`, docs/kind.md "The kubelet's timing") and
 * followed by the simulation and by the local backend's kwok:
 * - a restart is not seen at once: the container's process exits, the kubelet's PLEG notices it on
 *   its next relist (every second), reports the container not ready and starts it again a few
 *   tenths of a second later (a first restart without back-off: restartCount + 1,
 *   lastState.terminated); the model folds the two into one moment, KUBELET_RESTART_MS after the
 *   exit (the time between them is below any tracker's poll interval);
 * - a container that keeps crashing is restarted after a back-off that starts at 10 s and doubles
 *   up to 5 minutes (Kubernetes' documented CrashLoopBackOff; ReduceDefaultCrashLoopBackOffDecay is
 *   still alpha, off, in 1.37), counted from each exit, waiting in `CrashLoopBackOff` meanwhile.
 * These are wall-clock times of the node, not of the scenario: a run at the fast profile (scenario
 * time ×0.1) sees them ten times longer in scenario time, on kind as on the simulation.
 */

import { KUBELET_RESTART_MS, restartLagMs } from '../scenario/kubelet-timing.ts';

export { KUBELET_RESTART_MS, restartLagMs };
const FIRST_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;

/**
 * When a crash-looping container is restarted (restartCount + 1), in scenario ms after it first
 * exits, up to `untilMs`: the first restart comes without back-off, each later one the back-off
 * after the previous exit (the container fails at once), plus the kubelet's restart time.
 */
export function crashLoopRestarts(untilMs: number, timeScale = 1): number[] {
  const restarts: number[] = [];
  let backoff = 0;
  for (let at = KUBELET_RESTART_MS / timeScale; at <= untilMs; ) {
    restarts.push(at);
    backoff = backoff === 0 ? FIRST_BACKOFF_MS : Math.min(backoff * 2, MAX_BACKOFF_MS);
    at += (backoff + KUBELET_RESTART_MS) / timeScale;
  }
  return restarts;
}
