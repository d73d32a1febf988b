/**
 * restart-jobmanager on an existing cluster: on a kwok node, the restart request the local
 * backend uses (pod annotations its Stages act on), confirmed by the restartCount going up; on a
 * real kubelet, kill the container's main process with `kubectl exec`.
 */
import type { V1Node } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError } from '../backend.ts';
import { killMainProcess, type KubectlTarget } from '../shared/exec-restart.ts';
import type { ApiClients } from '../shared/kube-access.ts';
import { FAKE_NODE_ANNOTATION, requestContainerRestartVia } from '../shared/kwok-restart.ts';
import type { NamespaceFence } from './namespace-fence.ts';

/** How long kwok gets to act on a restart request before the backend says its Stages are missing. */
const KWOK_CONFIRM_MS = 5_000;

/** Is the node simulated by kwok (kwok's own marks, or the local control plane's)? */
export function isKwokNode(node: V1Node): boolean {
  const annotations = node.metadata?.annotations ?? {};
  return annotations['kwok.x-k8s.io/node'] === 'fake' || annotations[FAKE_NODE_ANNOTATION] === 'true' || node.metadata?.labels?.type === 'kwok';
}

/** Is the node a kwok node? A user who may not read nodes (403) runs on real kubelets as far as the harness can tell. */
async function onKwokNode(admin: ApiClients, nodeName: string): Promise<boolean> {
  try {
    return isKwokNode(await admin.core.readNode({ name: nodeName }));
  } catch (error) {
    if ((error as { code?: number }).code === 403) return false;
    throw error;
  }
}

/** A restartContainer for LiveCluster that works on kwok nodes and on real kubelets. */
export function containerRestarter(admin: ApiClients, fence: NamespaceFence, kubectl: () => Promise<KubectlTarget>) {
  const kwokNodes = new Map<string, boolean>();
  return async (namespace: string, podName: string, options: { downtimeMs: number; reason?: string }): Promise<void> => {
    const pod = await admin.core.readNamespacedPod({ name: podName, namespace });
    const nodeName = pod.spec?.nodeName;
    if (nodeName === undefined) throw new BackendError(`cannot restart the JobManager container of ${namespace}/${podName}: the pod is not on a node yet`);
    if (!kwokNodes.has(nodeName)) kwokNodes.set(nodeName, await onKwokNode(admin, nodeName));
    if (!kwokNodes.get(nodeName)) {
      fence.assertOwned(namespace, 'kubectl exec');
      return killMainProcess(await kubectl(), namespace, podName);
    }
    const before = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((status) => status.restartCount));
    await requestContainerRestartVia(admin.core, namespace, podName, options);
    const deadline = performance.now() + KWOK_CONFIRM_MS;
    for (;;) {
      const current = await admin.core.readNamespacedPod({ name: podName, namespace });
      if ((current.status?.containerStatuses ?? []).some((status) => status.restartCount > before)) return;
      if (performance.now() > deadline) {
        throw new BackendError(`kwok did not restart the containers of ${namespace}/${podName} within ${KWOK_CONFIRM_MS / 1000} s (node ${nodeName})`, {
          hint: "this kwok does not run statuschaos's Stages: start it with every clusters/local/stages/*.yaml as --config (clusters/local/README.md)",
        });
      }
      await sleep(50);
    }
  };
}
