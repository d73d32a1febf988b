/**
 * The Flink application as Kubernetes objects, created and acted on with the harness's own
 * (unfaulted) client: the JobManager Deployment `<clusterId>` (label type=flink-native-kubernetes),
 * and the `<clusterId>-rest` Service owned by it, as Flink's native Kubernetes mode creates them.
 */
import { PatchStrategy, setHeaderOptions, type V1Container, type V1Deployment, type V1Pod, type V1Service, type V1Volume } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/types.ts';
import { statusOf, type ApiClients } from './kube-access.ts';

/** The JobManager container's name, as Flink's native Kubernetes mode names it. */
export const JOBMANAGER_CONTAINER = 'flink-main-container';

/**
 * Label of the JobManager pods the harness makes itself (an evicted pod's remains, a pod stuck
 * terminating): they carry the JobManager labels, so the Deployment's selector lists them, but
 * they are no JobManager of the harness's (no ReplicaSet owns them, nothing schedules them).
 */
export const EXTRA_POD_LABEL = 'statuschaos.io/extra-pod';
/** The finalizer that keeps a "terminating" extra pod listed; removed before the namespace goes. */
export const HOLD_FINALIZER = 'statuschaos.io/hold';

export interface WorkloadSpec {
  namespace: string;
  clusterId: string;
  /** image of the JobManager container (not pulled on kwok nodes) */
  image: string;
  /** wall time a new pod stays Pending on kwok nodes (the `statuschaos.io/start-delay` annotation) */
  startDelayMs: number;
  /** extra labels on every object (e.g. the harness's ownership label) */
  labels: Record<string, string>;
  /** the JobManager container beyond its name, image and REST port (default: Flink's `jobmanager` args) */
  container?: Pick<V1Container, 'command' | 'args' | 'env' | 'readinessProbe' | 'imagePullPolicy' | 'volumeMounts'>;
  /** more containers in the JobManager pod (a TaskManager beside a real Flink JobManager) */
  sidecars?: V1Container[];
  volumes?: V1Volume[];
  /** make the `-rest` Service a NodePort on this port (kind reaches it through extraPortMappings) */
  restNodePort?: number;
  /**
   * the NodePort keeps a JobManager that is not ready as its endpoint, so a connection while it is
   * down is refused by the pod's address (a TCP reset) rather than by kube-proxy's ICMP reject,
   * which this machine's network drops: the client would hang in SYN retries (kind, docs/kind.md)
   */
  restPublishNotReady?: boolean;
  /**
   * the `flink-rest` proxy's port on this machine: the `-rest` Service becomes a LoadBalancer on
   * that port whose address is 127.0.0.1, so that Flink's own cluster-client retrieval (which the
   * real StreamPark trackers run) leads through the proxy as the trackers' REST URL does
   */
  restProxyPort?: number;
  /** more Services, created after the Deployment (the REST stub's control port on kind) */
  extraServices?: V1Service[];
}


export function jobManagerLabels(clusterId: string): Record<string, string> {
  return { app: clusterId, component: 'jobmanager', type: 'flink-native-kubernetes' };
}

/** The Deployment and its `-rest` Service for a spec (the Service's owner reference is added once the Deployment exists). */
export function workloadObjects(spec: WorkloadSpec): { deployment: V1Deployment; service: V1Service } {
  const selector = jobManagerLabels(spec.clusterId);
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.clusterId, namespace: spec.namespace, labels: { ...selector, ...spec.labels } },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector, ...spec.labels }, annotations: { 'statuschaos.io/start-delay': `${Math.max(1, Math.round(spec.startDelayMs))}ms` } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 0,
          containers: [{ args: ['jobmanager'], ...spec.container, name: JOBMANAGER_CONTAINER, image: spec.image, ports: [{ name: 'rest', containerPort: 8081 }] }, ...(spec.sidecars ?? [])],
          ...(spec.volumes ? { volumes: spec.volumes } : {}),
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${spec.clusterId}-rest`, namespace: spec.namespace, labels: { ...selector, ...spec.labels } },
    spec: restServiceSpec(spec, selector),
  };
  return { deployment, service };
}

/**
 * The `-rest` Service. Flink 1.14's KubernetesClusterDescriptor reads a LoadBalancer's address
 * from its status with the Service's port, a NodePort's from a node with the node port (which no
 * proxy port fits), a ClusterIP's as a cluster DNS name (unreachable from this machine)
 * (docs/trackers.md). So with a proxy port it is a LoadBalancer on that port (keeping the node
 * port kind maps), its address set to 127.0.0.1 by `publishRestAddress`.
 */
function restServiceSpec(spec: WorkloadSpec, selector: Record<string, string>): V1Service['spec'] {
  const nodePort = spec.restNodePort === undefined ? {} : { nodePort: spec.restNodePort };
  if (spec.restProxyPort !== undefined) return { type: 'LoadBalancer', selector, ports: [{ name: 'rest', port: spec.restProxyPort, targetPort: 8081, ...nodePort }] };
  if (spec.restNodePort === undefined) return { type: 'ClusterIP', selector, ports: [{ name: 'rest', port: 8081, targetPort: 8081 }] };
  return { type: 'NodePort', selector, ports: [{ name: 'rest', port: 8081, targetPort: 8081, ...nodePort }], ...(spec.restPublishNotReady ? { publishNotReadyAddresses: true } : {}) };
}

/** What a load-balancer controller would do: give the `-rest` LoadBalancer its address (none runs here to overwrite it). */
async function publishRestAddress(clients: ApiClients, spec: WorkloadSpec): Promise<void> {
  if (spec.restProxyPort === undefined) return;
  await clients.core.patchNamespacedServiceStatus(
    { name: `${spec.clusterId}-rest`, namespace: spec.namespace, body: { status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

/** Create the Deployment and its REST Service; resolves when both exist (not when the pod runs). */
export async function createWorkload(clients: ApiClients, spec: WorkloadSpec): Promise<void> {
  const { deployment, service } = workloadObjects(spec);
  const created = await clients.apps.createNamespacedDeployment({ namespace: spec.namespace, body: deployment });
  // owned by the Deployment, as Flink does it: deleting the Deployment deletes the Service
  service.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: spec.clusterId, uid: created.metadata!.uid!, blockOwnerDeletion: true }];
  await clients.core.createNamespacedService({ namespace: spec.namespace, body: service });
  await publishRestAddress(clients, spec);
  for (const extra of spec.extraServices ?? []) await clients.core.createNamespacedService({ namespace: spec.namespace, body: extra });
}

/** The JobManager pods the Deployment runs (not the harness's extra pods, not terminating ones), newest first. */
export async function jobManagerPods(clients: ApiClients, namespace: string, clusterId: string): Promise<V1Pod[]> {
  const selector = Object.entries(jobManagerLabels(clusterId)).map(([key, value]) => `${key}=${value}`).join(',');
  const pods = await clients.core.listNamespacedPod({ namespace, labelSelector: `${selector},!${EXTRA_POD_LABEL}` });
  return [...pods.items]
    .filter((pod) => pod.metadata?.deletionTimestamp === undefined)
    .sort((a, b) => String(b.metadata?.creationTimestamp ?? '').localeCompare(String(a.metadata?.creationTimestamp ?? '')));
}

/** What an extra JobManager pod's status says (phase, reason, its container's restart history). */
export interface ExtraPodStatus {
  name: string;
  phase: string;
  reason?: string;
  message?: string;
  terminating: boolean;
  restartCount: number;
  /** lastState.terminated reason (the container restarted before) */
  lastTerminated?: string;
}

/**
 * Create a JobManager pod of the harness's own beside the Deployment's: unschedulable (a node
 * selector no node has, so neither the scheduler nor kwok touches it, and deleting it needs no
 * kubelet), its status written through the status subresource; a terminating one carries a
 * finalizer and is deleted, so it stays listed with a deletionTimestamp.
 */
export async function createExtraPod(clients: ApiClients, spec: Pick<WorkloadSpec, 'namespace' | 'clusterId' | 'image' | 'labels'>, pod: ExtraPodStatus): Promise<void> {
  const { namespace } = spec;
  await clients.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: pod.name, labels: { ...jobManagerLabels(spec.clusterId), ...spec.labels, [EXTRA_POD_LABEL]: 'true' }, ...(pod.terminating ? { finalizers: [HOLD_FINALIZER] } : {}) },
      spec: { automountServiceAccountToken: false, nodeSelector: { 'statuschaos.io/unschedulable': 'true' }, containers: [{ name: JOBMANAGER_CONTAINER, image: spec.image }] },
    },
  });
  const failed = pod.phase === 'Failed' || pod.phase === 'Succeeded';
  const containerStatus = {
    name: JOBMANAGER_CONTAINER,
    image: spec.image,
    imageID: '',
    ready: false,
    restartCount: pod.restartCount,
    state: failed ? { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' } } : { running: { startedAt: new Date() } },
    ...(pod.lastTerminated ? { lastState: { terminated: { exitCode: 1, reason: pod.lastTerminated } } } : {}),
  };
  await clients.core.patchNamespacedPodStatus(
    { name: pod.name, namespace, body: { status: { phase: pod.phase, ...(pod.reason ? { reason: pod.reason } : {}), ...(pod.message ? { message: pod.message } : {}), containerStatuses: [containerStatus] } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  if (pod.terminating) await clients.core.deleteNamespacedPod({ name: pod.name, namespace });
}

/** Take the hold finalizer off every extra pod, so that deleting the namespace can finish. */
export async function releaseExtraPods(clients: ApiClients, namespace: string): Promise<void> {
  const pods = await clients.core.listNamespacedPod({ namespace, labelSelector: EXTRA_POD_LABEL });
  for (const pod of pods.items) {
    if (!(pod.metadata?.finalizers ?? []).includes(HOLD_FINALIZER)) continue;
    try {
      await clients.core.patchNamespacedPod({ name: pod.metadata!.name!, namespace, body: { metadata: { finalizers: null } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

export function isRunningAndReady(pod: V1Pod | undefined): boolean {
  return pod?.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((container) => container.ready);
}

/** Wait (bounded) until the JobManager pod runs and is ready; throws with what it last saw. */
export async function waitForJobManager(clients: ApiClients, namespace: string, clusterId: string, timeoutMs: number, signal?: AbortSignal): Promise<V1Pod> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no pod yet';
  for (;;) {
    signal?.throwIfAborted();
    const [pod] = await jobManagerPods(clients, namespace, clusterId);
    if (pod !== undefined && isRunningAndReady(pod)) return pod;
    if (pod !== undefined) last = `pod ${pod.metadata?.name} is ${pod.status?.phase ?? 'unknown'}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ', not scheduled'}`;
    if (performance.now() > deadline) throw new Error(`the JobManager pod of ${namespace}/${clusterId} did not become ready within ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Delete the JobManager pod (its ReplicaSet creates a replacement); returns the deleted pod's name. */
export async function deleteJobManagerPod(clients: ApiClients, namespace: string, clusterId: string): Promise<string | undefined> {
  const [pod] = await jobManagerPods(clients, namespace, clusterId);
  if (pod?.metadata?.name === undefined) return undefined;
  await clients.core.deleteNamespacedPod({ name: pod.metadata.name, namespace, gracePeriodSeconds: 0 });
  return pod.metadata.name;
}

/**
 * Evict the JobManager pod through the API's Eviction subresource (what `kubectl drain` does; no
 * grace period, as the harness's deletions): its ReplicaSet replaces it. Returns its name.
 */
export async function evictJobManagerPod(clients: ApiClients, namespace: string, clusterId: string): Promise<string | undefined> {
  const [pod] = await jobManagerPods(clients, namespace, clusterId);
  if (pod?.metadata?.name === undefined) return undefined;
  await clients.core.createNamespacedPodEviction({ name: pod.metadata.name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name, namespace }, deleteOptions: { gracePeriodSeconds: 0 } } });
  return pod.metadata.name;
}

/** Delete the Deployment for good (the garbage collector removes its ReplicaSet, pod and Service). */
export async function deleteDeployment(clients: ApiClients, namespace: string, clusterId: string): Promise<void> {
  try {
    await clients.apps.deleteNamespacedDeployment({ name: clusterId, namespace, propagationPolicy: 'Background' });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/** Wall time a replacement JobManager pod stays Pending: the scenario's pod downtime (deletion or eviction), scaled. */
export function podStartDelayMs(scenario: Scenario, timeScale: number): number {
  const deletion = scenario.actions.find((action) => action.action === 'delete-jobmanager-pod' || action.action === 'evict-jobmanager-pod');
  return deletion?.downtimeMs === undefined ? 300 : deletion.downtimeMs * timeScale;
}

/** True once the pod's first container shows at least `restartCount` restarts; false after `waitMs` wall ms. */
export async function waitForRestartCount(clients: ApiClients, namespace: string, clusterId: string, podName: string, restartCount: number, waitMs: number): Promise<boolean> {
  const deadline = performance.now() + waitMs;
  while (performance.now() < deadline) {
    const pods = await jobManagerPods(clients, namespace, clusterId).catch(() => []);
    if ((pods.find((pod) => pod.metadata?.name === podName)?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= restartCount) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
