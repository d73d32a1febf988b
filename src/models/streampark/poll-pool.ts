/**
 * The thread pool StreamPark's status watcher runs its polls on (issue 21 item 8).
 *
 * 2.1.3: `Executors.newWorkStealingPool()` (FlinkJobStatusWatcher.scala v2.1.3 line 63), a
 * ForkJoinPool with one thread per visible core that does not grow for blocking work (no
 * ManagedBlocker); the polls' `Future`s and their `onComplete` callbacks — updateState, and the
 * isDeploymentExists that untracks an end state — run on it (lines 101–111, 215–237).
 * 2.1.4: `new ScheduledThreadPoolExecutor(max(4, 2 × cores))` (FlinkWatcher.scala v2.1.4 lines
 * 29–31), which also runs the fixed-rate tick; the tick's doWatch blocks in Await.ready for the
 * whole cycle, so one thread fewer is left for the polls.
 *
 * Modelled: each poll (a probe) and each untrack check holds a thread from its start to its end;
 * what cannot start waits, first in first out. updateState itself is microseconds of work and
 * runs when its poll reports. Unset cores: as many threads as the polls need.
 */
import type { TrackerTiming } from '../timing.ts';
import type { TrackId } from './types.ts';

export type PoolKind = 'workStealing' | 'scheduledWithTick';

/**
 * A piece of work waiting for a thread. A poll reads the caches (the REST URL, the cluster
 * version) when it runs, not when it was submitted: `touchApplicationJob` calls
 * `getClusterRestUrl` from inside the Future.
 */
export type PoolTask = { actor: 'poll'; id: string; trackId: TrackId; cycle: number; sessionIds: TrackId[] } | { actor: 'untrackCheck'; id: string; trackId: TrackId };

export interface PoolState {
  busy: number;
  queue: PoolTask[];
}

/** How many polls and checks can run at once. */
export function poolThreads(kind: PoolKind, timing: Pick<TrackerTiming, 'consoleCpus'>): number {
  const cpus = timing.consoleCpus;
  if (cpus === undefined) return Number.POSITIVE_INFINITY;
  return kind === 'workStealing' ? cpus : Math.max(4, 2 * cpus) - 1;
}

/** The tasks that start now, and the pool after they did. */
export function startable(pool: PoolState, threads: number): { start: PoolTask[]; pool: PoolState } {
  const free = Math.max(0, threads - pool.busy);
  const start = pool.queue.slice(0, free);
  return { start, pool: { busy: pool.busy + start.length, queue: pool.queue.slice(start.length) } };
}

/** Does this finished child hold a thread of the pool? */
export function holdsThread(childId: string): boolean {
  return childId.startsWith('probe-') || childId.startsWith('untrack-');
}
