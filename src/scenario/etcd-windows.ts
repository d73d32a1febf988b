/**
 * While etcd is faulted nothing can be written to the cluster: kwok cannot record a restart, the
 * ReplicaSet controller cannot create a pod, Flink cannot delete its deployment. The simulation
 * would apply such a change at once and the local backend not at all, so a scenario may not ask
 * for one inside an etcd fault (docs/toxics.md, "The etcd target").
 */
import { formatDuration } from './duration.ts';
import { actionsWhere } from './actions.ts';
import type { ScheduledAction, ScheduledFault } from './types.ts';

/** Actions the cluster must record through its API server (kwok, the controllers, this harness write through it). */
const WRITES_TO_CLUSTER = actionsWhere((action) => action.writesToCluster);
/** Actions that end the job; in application mode Flink then deletes its deployment. */
const ENDS_JOB = actionsWhere((action) => action.endsJob);

/** Every action that would change the cluster while an etcd fault lasts, with the sentence that says so. */
export function writesDuringEtcdFaults(faults: readonly ScheduledFault[], actions: readonly ScheduledAction[], mode: 'application' | 'session', shutdownDelayMs: number, durationMs: number): { action: ScheduledAction; message: string }[] {
  const found: { action: ScheduledAction; message: string }[] = [];
  for (const fault of faults.filter((candidate) => candidate.spec.target === 'etcd')) {
    const end = fault.untilMs ?? durationMs;
    for (const action of actions) {
      const writesAt = WRITES_TO_CLUSTER.has(action.action) ? action.atMs : mode === 'application' && ENDS_JOB.has(action.action) ? action.atMs + shutdownDelayMs : undefined;
      const loopsInto = action.action === 'crash-loop-jobmanager' && action.atMs < fault.atMs;
      if (!loopsInto && (writesAt === undefined || writesAt < fault.atMs || writesAt >= end)) continue;
      const what = loopsInto ? 'its crashes go on into' : writesAt === action.atMs ? 'it falls inside' : `Flink's removal of its deployment (${formatDuration(writesAt!)}) falls inside`;
      found.push({ action, message: `\`${action.action}\` at ${formatDuration(action.atMs)} changes the cluster, and ${what} the etcd fault at line ${fault.line ?? '?'} (${formatDuration(fault.atMs)}–${formatDuration(end)}), when the API server cannot record anything` });
    }
  }
  return found;
}
