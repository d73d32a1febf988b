/**
 * How long a real kubelet takes to show a container restart, measured on kind (kubelet v1.37.2;
 * `node scripts/bench-kind.mjs`, docs/kind.md "The kubelet's timing"): from the container's
 * process exiting until the API shows it not ready and running again with restartCount + 1 (the
 * PLEG's one-second relist, the restart, the status update). Wall time: a node's, not a
 * scenario's, so a run at the fast profile sees it ten times longer in scenario time. The
 * simulation and the local backend follow it (src/backends/kubelet.ts); the world has not
 * settled before a restart shows.
 */
export const KUBELET_RESTART_MS = 1_700;

/** The restart's delay in scenario ms for a run at `timeScale` wall ms per scenario ms. */
export function restartLagMs(timeScale = 1): number {
  return KUBELET_RESTART_MS / timeScale;
}
