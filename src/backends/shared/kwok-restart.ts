import { CoreV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { statusOf, tokenKubeConfig, type ApiAccess } from './kube-access.ts';

/** The node annotation kwok selects on; only nodes that carry it are simulated. */
export const FAKE_NODE_ANNOTATION = 'statuschaos.io/kwok-node';

/**
 * Pod annotations the harness writes and the kwok Stages in clusters/local/stages read
 * (pod-container-restart.yaml, pod-container-restarted.yaml).
 */
export const RESTART_ANNOTATIONS = {
  /** Restart generation: kwok restarts the containers while this exceeds their restartCount. */
  restart: 'statuschaos.io/restart',
  /** RFC 3339 time at which the restarted containers run and are ready again. */
  until: 'statuschaos.io/restart-until',
  /** The same downtime as a Go duration (`8000ms`), for readers and as kwok's fallback. */
  downtime: 'statuschaos.io/restart-downtime',
  /** lastState.terminated.reason of the restarted containers (kwok's default: Error). */
  reason: 'statuschaos.io/restart-reason',
} as const;

const CONFLICT_RETRIES = 5;

/**
 * Asks kwok to restart every container of a Running pod: restartCount + 1, lastState.terminated
 * set, not ready for `downtimeMs` (counted from now), then running and ready again. Resolves once
 * the request is recorded on the pod, not when kwok has acted on it.
 */
export async function requestContainerRestart(
  api: ApiAccess,
  namespace: string,
  podName: string,
  options: { downtimeMs: number; reason?: string },
): Promise<void> {
  if (!Number.isFinite(options.downtimeMs) || options.downtimeMs < 0) {
    throw new TypeError(`Expected \`downtimeMs\` to be a non-negative number of milliseconds, got \`${String(options.downtimeMs)}\` (${typeof options.downtimeMs})`);
  }
  return requestContainerRestartVia(tokenKubeConfig(api).makeApiClient(CoreV1Api), namespace, podName, options);
}

/**
 * requestContainerRestart with a client of your own (any kubeconfig, e.g. the kubeconfig backend's).
 * `restartedAt` (wall ms, Date.now()) is when the container stopped, for a request recorded late
 * (late-restart.ts): the downtime counts from then, not from the write.
 */
export async function requestContainerRestartVia(core: CoreV1Api, namespace: string, podName: string, options: { downtimeMs: number; reason?: string; restartedAt?: number }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const pod = await core.readNamespacedPod({ name: podName, namespace });
    if (pod.status?.phase !== 'Running') {
      throw new Error(`cannot restart the containers of pod ${namespace}/${podName}: its phase is ${pod.status?.phase ?? 'unknown'}, and only Running pods restart containers`);
    }
    // Wall-clock deadline on purpose: kwok, a separate process, compares it with its own clock.
    const until = new Date((options.restartedAt ?? Date.now()) + options.downtimeMs).toISOString();
    const body = {
      metadata: {
        // Optimistic concurrency: two requests racing must not collapse into one restart.
        resourceVersion: pod.metadata?.resourceVersion,
        annotations: {
          [RESTART_ANNOTATIONS.restart]: String(nextRestartGeneration(pod)),
          [RESTART_ANNOTATIONS.until]: until,
          [RESTART_ANNOTATIONS.downtime]: `${Math.round(options.downtimeMs)}ms`,
          [RESTART_ANNOTATIONS.reason]: options.reason ?? null,
        },
      },
    };
    try {
      await core.patchNamespacedPod({ name: podName, namespace, body }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      return;
    } catch (error) {
      if (statusOf(error) !== 409 || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

/** The next restart generation: one past both the containers' restartCount and any request kwok has not acted on yet. */
export function nextRestartGeneration(pod: V1Pod): number {
  const restartCounts = (pod.status?.containerStatuses ?? []).map((s) => s.restartCount);
  const pending = Number.parseInt(pod.metadata?.annotations?.[RESTART_ANNOTATIONS.restart] ?? '0', 10);
  return Math.max(0, ...restartCounts, Number.isNaN(pending) ? 0 : pending) + 1;
}
