/**
 * The tracker ports over the simulated world and network: each call becomes the requests the
 * real client would make (Kubernetes API calls to `apiserver`, REST calls to `flink-rest`),
 * with payload sizes close to real ones so bandwidth, slicer and limit_data toxics bite alike.
 */
import { PortError, type HttpTimeouts, type JobsOverview, type PodView, type TrackerPorts } from '../../models/ports.ts';
import type { ClusterClock } from '../flink/flink-cluster.ts';
import type { SimNetwork } from './network.ts';
import type { SimWorld } from './world.ts';

/** Typical sizes in bytes of the requests and answers (kubectl -v8 and Flink 1.15 measurements). */
const BYTES = {
  apiRequest: 350,
  serviceGet: 2_400,
  notFound: 250,
  deploymentList: 1_200,
  deploymentItem: 4_500,
  deploymentGet: 4_500,
  podList: 1_000,
  podItem: 5_500,
  podLog: 3_000,
  restRequest: 180,
  overview: 40,
  overviewJob: 330,
  cancelAnswer: 30,
} as const;
const API_SERVER_MS = 2;
/**
 * etcd round trips kube-apiserver needs to answer, as measured under etcd latency
 * (test/fixtures/etcd-faults/measured.json): a GET one; a LIST of deployments one; a LIST of
 * pods two (its watch cache waits for a progress notification to reach the current revision);
 * /version none.
 */
const ETCD_ROUND_TRIPS = { none: undefined, get: 1, listDeployments: 1, listPods: 2 } as const;
const REST_SERVER_MS = 1;

export function simPorts(world: SimWorld, network: SimNetwork, clock: ClusterClock): TrackerPorts {
  const api = <T>(call: string, timeouts: HttpTimeouts, responseBytes: number, serve: () => T, etcd: keyof typeof ETCD_ROUND_TRIPS) =>
    network.request<T>({ call, target: 'apiserver', requestBytes: BYTES.apiRequest, responseBytes, serverMs: API_SERVER_MS, responseTimeoutMs: timeouts.responseTimeoutMs, upstreamReachable: () => true, serve: () => ({ ok: serve() }), etcdRoundTrips: ETCD_ROUND_TRIPS[etcd] });

  const getDeploymentPods = async (request: { namespace: string; name: string } & HttpTimeouts): Promise<PodView[]> => {
    // Deployment get, then a pod list with its selector; a missing Deployment ends it (NPE → []).
    const exists = await api('getDeployment', request, BYTES.deploymentGet, () => world.deploymentPods(request.namespace, request.name) !== undefined, 'get');
    if (!exists) return [];
    const pods = world.deploymentPods(request.namespace, request.name) ?? [];
    return api('listPods', request, BYTES.podList + pods.length * BYTES.podItem, () => world.deploymentPods(request.namespace, request.name) ?? [], 'listPods');
  };

  return {
    now: () => clock.now(),
    fetchJobsOverview: (request) =>
      network.request<JobsOverview>({
        call: 'fetchJobsOverview',
        target: 'flink-rest',
        requestBytes: BYTES.restRequest,
        responseBytes: BYTES.overview + world.app.jobs.length * BYTES.overviewJob,
        serverMs: REST_SERVER_MS,
        responseTimeoutMs: request.responseTimeoutMs,
        upstreamReachable: () => world.flink.isServing(),
        serve: () => ({ ok: world.flink.overview() }),
      }),
    lookupRestService: (request) => api('getService', request, BYTES.serviceGet, () => world.restServiceUrl(request.namespace, request.clusterId), 'get'),
    lookupIngress: (request) => api('getIngress', request, BYTES.notFound, () => undefined, 'get'),
    listFlinkDeployments: (request) =>
      api('listDeployments', request, BYTES.deploymentList + world.flinkDeploymentNames(request.namespace).length * BYTES.deploymentItem, () => world.flinkDeploymentNames(request.namespace), 'listDeployments'),
    getDeploymentPods,
    fetchTerminatedPodLog: async (request) => {
      await getDeploymentPods(request);
      await api('getPodLog', request, BYTES.podLog, () => undefined, 'get');
    },
    readHistoryArchive: (request) =>
      new Promise((resolve) => {
        clock.setTimeout(() => resolve(world.flink.archivedState(request.jobId)), 1); // a local file read
      }),
    cancelJob: async (request) => {
      const url = await api('getService', request, BYTES.serviceGet, () => world.restServiceUrl(request.namespace, request.clusterId), 'get');
      if (url === undefined) throw new PortError('cancelJob', 'http', `service ${request.clusterId}-rest not found`);
      await network.request<void>({
        call: 'cancelJob',
        target: 'flink-rest',
        requestBytes: BYTES.restRequest,
        responseBytes: BYTES.cancelAnswer,
        serverMs: REST_SERVER_MS,
        responseTimeoutMs: request.responseTimeoutMs,
        upstreamReachable: () => world.flink.isServing(),
        serve: () => (world.flink.cancelJob(request.jobId) ? { ok: undefined } : { status: 404, message: `job ${request.jobId} not found or not running` }),
      });
    },
  };
}
