/**
 * The tracker ports over the simulated world and network: each call becomes the requests the
 * real client would make (Kubernetes API calls to `apiserver`, REST calls to `flink-rest`),
 * with payload sizes close to real ones so bandwidth, slicer and limit_data toxics bite alike.
 */
import type { Random } from './random.ts';
import { PortError, type HttpTimeouts, type JobsOverview, type PodView, type TrackerPorts } from '../../models/ports.ts';
import { cancelAnswer, type ClusterClock } from '../flink/flink-cluster.ts';
import type { SimNetwork } from './network.ts';
import { withHttpclient5Retries } from '../shared/http-client.ts';
import type { SimWorld } from './world.ts';

/** Typical sizes in bytes of the requests and answers (kubectl -v8 and Flink 1.15 measurements). */
const BYTES = {
  apiRequest: 350,
  serviceGet: 2_400,
  version: 260,
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
/** What Flink's REST API answers while its JobManager is not yet leader (recovery step `unavailable`). */
const LEADER_ELECTION = { status: 503, message: 'Service temporarily unavailable due to an ongoing leader election. Please refresh.' } as const;
const API_SERVER_MS = 2;
/** What the simulated API server answers on GET /version (the local control plane's release). */
const SIM_API_SERVER_VERSION = 'v1.37.2';
/**
 * etcd round trips kube-apiserver needs to answer, as measured under etcd latency
 * (test/fixtures/etcd-faults/measured.json): a GET one; a LIST of deployments one; a LIST of
 * pods two (its watch cache waits for a progress notification to reach the current revision);
 * /version none.
 */
const ETCD_ROUND_TRIPS = { none: undefined, get: 1, listDeployments: 1, listPods: 2 } as const;
const REST_SERVER_MS = 1;

/** One tracker's ports; `random`: its own draws on the network. */
export function simPorts(world: SimWorld, network: SimNetwork, clock: ClusterClock, random: Random): TrackerPorts {
  const api = <T>(call: string, timeouts: HttpTimeouts, responseBytes: number, serve: () => T, etcd: keyof typeof ETCD_ROUND_TRIPS) =>
    network.request<T>({ call, target: 'apiserver', requestBytes: BYTES.apiRequest, responseBytes, serverMs: API_SERVER_MS, responseTimeoutMs: timeouts.responseTimeoutMs, upstreamReachable: () => true, serve: () => ({ ok: serve() }), etcdRoundTrips: ETCD_ROUND_TRIPS[etcd], random });

  const getDeploymentPods = async (request: { namespace: string; name: string } & HttpTimeouts): Promise<PodView[]> => {
    // Deployment get, then a pod list with its selector; a missing Deployment ends it (NPE → []).
    const exists = await api('getDeployment', request, BYTES.deploymentGet, () => world.deploymentPods(request.namespace, request.name) !== undefined, 'get');
    if (!exists) return [];
    const pods = world.deploymentPods(request.namespace, request.name) ?? [];
    return api('listPods', request, BYTES.podList + pods.length * BYTES.podItem, () => world.deploymentPods(request.namespace, request.name) ?? [], 'listPods');
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));

  return {
    now: () => clock.now(),
    fetchJobsOverview: (request) =>
      withHttpclient5Retries(() => network.request<JobsOverview>({
        call: 'fetchJobsOverview',
        target: 'flink-rest',
        requestBytes: BYTES.restRequest,
        responseBytes: BYTES.overview + world.app.jobs.length * BYTES.overviewJob,
        serverMs: REST_SERVER_MS,
        responseTimeoutMs: request.responseTimeoutMs,
        upstreamReachable: () => world.flink.isServing(),
        serve: () => (world.flink.awaitsLeadership() ? LEADER_ELECTION : { ok: world.flink.overview() }),
        random,
      }), { statusRetryIntervalMs: request.statusRetryIntervalMs, responseTimeoutMs: request.responseTimeoutMs, sleep }),
    lookupRestService: (request) => api('getService', request, BYTES.serviceGet, () => world.restServiceUrl(request.namespace, request.clusterId), 'get'),
    getApiServerVersion: (request) => api('getVersion', request, BYTES.version, () => SIM_API_SERVER_VERSION, 'none'),
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
        clock.setTimeout(() => resolve(world.flink.archivedState(request.jobId, request.dir)), 1); // a local file read
      }),
    cancelJob: async (request) => {
      const url = await api('getService', request, BYTES.serviceGet, () => world.restServiceUrl(request.namespace, request.clusterId), 'get');
      if (url === undefined) throw new PortError('cancelJob', 'http', `service ${request.clusterId}-rest not found`);
      await cancelFlinkJob({ restUrl: url, jobId: request.jobId, connectTimeoutMs: request.connectTimeoutMs, responseTimeoutMs: request.responseTimeoutMs });
    },
    cancelFlinkJob,
  };

  /** One PATCH /jobs/<id>?mode=cancel through the flink-rest path. */
  function cancelFlinkJob(request: { restUrl: string; jobId: string } & HttpTimeouts): Promise<void> {
    return network.request<void>({
      call: 'cancelFlinkJob',
      target: 'flink-rest',
      serverClosesAfterAnswer: true, // Flink's RestClient sends `Connection: close`
      requestBytes: BYTES.restRequest,
      responseBytes: BYTES.cancelAnswer,
      serverMs: REST_SERVER_MS,
      responseTimeoutMs: request.responseTimeoutMs,
      upstreamReachable: () => world.flink.isServing(),
      serve: () => {
        if (world.flink.awaitsLeadership()) return LEADER_ELECTION;
        const answer = cancelAnswer(world.flink.cancelJob(request.jobId));
        return answer.status === 202 ? { ok: undefined } : answer;
      },
      random,
    });
  }
}
