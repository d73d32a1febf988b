/**
 * StreamPark's decision rules that are pure functions of data, kept apart from the machines so
 * each can be tested against the source on its own (docs/models.md names the lines).
 */
import type { PodView } from '../ports.ts';
import type { FlinkJobState } from '../../states.ts';
import type { CachedJobStatus } from './types.ts';

/**
 * KubernetesDeploymentHelper.isDeploymentError, given the pods already fetched (a failed fetch
 * is an empty list): no pod → true; Unknown/Failed → true; Pending → false; otherwise
 * true when the first container has a lastState.terminated (it restarted at least once).
 */
export function isDeploymentError(pods: readonly PodView[]): boolean {
  return deploymentErrorReading(pods) !== undefined;
}

/** What isDeploymentError read as an error (a cause's mechanism: models/telemetry.ts), or undefined when it saw none. */
export function deploymentErrorReading(pods: readonly PodView[]): string | undefined {
  const pod = pods[0];
  if (pod === undefined) return 'no pod listed'; // pods.head throws, Try(...).getOrElse(true)
  switch (pod.phase) {
    case 'Unknown':
    case 'Failed':
      return `the first pod listed ${pod.phase}`;
    case 'Pending':
      return undefined;
    default: {
      const container = pod.containers[0];
      if (container === undefined) return 'a pod without container status'; // getContainerStatuses.head throws
      return container.lastTerminated !== undefined ? 'a restarted container (lastState.terminated)' : undefined;
    }
  }
}

/**
 * FlinkJobStatusWatcher.inferFromPreCache: no cache entry → SILENT; an entry that has been
 * SILENT for at least the keep time → LOST; anything else → SILENT.
 */
export function inferFromPreCache(latest: CachedJobStatus | undefined, now: number, silentKeepMs: number): FlinkJobState {
  if (latest === undefined) return 'SILENT';
  if (latest.state === 'SILENT' && now - latest.pollAckTime >= silentKeepMs) return 'LOST';
  return 'SILENT';
}

/** Caffeine expireAfterWrite: an entry is gone once `ttl` has passed since it was written. */
export function freshEntry<T extends { writtenAt: number }>(entry: T | undefined, now: number, ttlMs: number): T | undefined {
  return entry !== undefined && now - entry.writtenAt < ttlMs ? entry : undefined;
}

/**
 * The pollAckTime a new observation carries: a SILENT that follows a cached SILENT keeps the
 * older times, which is what lets SILENT age into LOST.
 */
export function pollAckTimeFor(state: FlinkJobState, latest: CachedJobStatus | undefined, now: number): number {
  return state === 'SILENT' && latest?.state === 'SILENT' ? latest.pollAckTime : now;
}

/** JobStatusCV.diff: publish when there is no cached entry, or the state or job id changed. */
export function statusDiffers(latest: CachedJobStatus | undefined, state: FlinkJobState, jobId: string): boolean {
  return latest === undefined || latest.state !== state || latest.jobId !== jobId;
}
