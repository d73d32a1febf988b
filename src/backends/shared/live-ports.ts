/**
 * The tracker ports on a live cluster: Kubernetes calls with @kubernetes/client-node through the
 * `apiserver` proxy, Flink REST calls over plain HTTP through the `flink-rest` proxy. Timeouts
 * come from the model in scenario ms and are scaled to wall time; every failure is a PortError.
 */
import { ApiException, Observable, type ConfigurationOptions, type KubeConfig, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import { PortError, type HttpTimeouts, type JobsOverview, type PodView, type TrackerPorts } from '../../models/ports.ts';
import { apiClients, statusOf } from './kube-access.ts';
import { classifyNetworkError, httpCall } from './http-client.ts';
import type { ScaledClock } from './scaled-clock.ts';

export const FLINK_LABEL_SELECTOR = 'type=flink-native-kubernetes';

interface LivePortsOptions {
  /** the trackers' kubeconfig: server = the apiserver proxy */
  kubeConfig: KubeConfig;
  /** the Flink REST URL through the flink-rest proxy (what the `-rest` Service maps to) */
  restUrl: string;
  clock: ScaledClock;
  /** Flink's history archive (a local file store, not behind the network) */
  archivedState: (jobId: string) => string | undefined;
}

/** The tracker ports over a live cluster: Kubernetes calls with client-node, Flink REST over HTTP, each through its fault path. */
export function livePorts(options: LivePortsOptions): TrackerPorts {
  const { clock } = options;
  const clients = apiClients(options.kubeConfig);
  /** A per-call deadline (fabric8's request timeout), as client-node middleware. */
  const deadline = (timeouts: HttpTimeouts): ConfigurationOptions<ObservableMiddleware> => ({
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(AbortSignal.timeout(Math.max(1, Math.round(clock.toWall(timeouts.responseTimeoutMs)))));
          return new Observable(Promise.resolve(context));
        },
        post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  });
  /** Run an API call; 404 answers `notFound`, other failures become PortErrors. */
  const api = async <T, N>(call: string, timeouts: HttpTimeouts, run: (options: ReturnType<typeof deadline>) => Promise<T>, notFound: N): Promise<T | N> => {
    try {
      return await run(deadline(timeouts));
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return notFound;
      if (status !== undefined) throw new PortError(call, 'http', `HTTP ${status}`);
      throw new PortError(call, classifyNetworkError(error), error instanceof Error ? error.message : String(error));
    }
  };
  const wall = (timeouts: HttpTimeouts) => ({ connectTimeoutMs: clock.toWall(timeouts.connectTimeoutMs), responseTimeoutMs: clock.toWall(timeouts.responseTimeoutMs) });

  const getDeploymentPods = async (request: { namespace: string; name: string } & HttpTimeouts): Promise<PodView[]> => {
    const deployment = await api('getDeployment', request, (o) => clients.apps.readNamespacedDeployment({ name: request.name, namespace: request.namespace }, o), undefined);
    const matchLabels = deployment?.spec?.selector?.matchLabels;
    if (matchLabels === undefined) return []; // StreamPark: NPE inside Try → empty list
    const selector = Object.entries(matchLabels).map(([key, value]) => `${key}=${value}`).join(',');
    const pods = await api('listPods', request, (o) => clients.core.listNamespacedPod({ namespace: request.namespace, labelSelector: selector }, o), undefined);
    return (pods?.items ?? []).map((pod) => ({
      name: pod.metadata?.name ?? '',
      phase: pod.status?.phase ?? 'Unknown',
      ...(pod.metadata?.deletionTimestamp ? { terminating: true } : {}),
      containers: (pod.status?.containerStatuses ?? []).map((container) => ({
        name: container.name,
        restartCount: container.restartCount,
        ready: container.ready,
        ...(container.lastState?.terminated ? { lastTerminated: { reason: container.lastState.terminated.reason ?? '', exitCode: container.lastState.terminated.exitCode } } : {}),
        ...(container.state?.waiting?.reason ? { waitingReason: container.state.waiting.reason } : {}),
      })),
    }));
  };

  const serviceUrl = async (request: { namespace: string; clusterId: string } & HttpTimeouts) => {
    const service = await api('getService', request, (o) => clients.core.readNamespacedService({ name: `${request.clusterId}-rest`, namespace: request.namespace }, o), undefined);
    return service === undefined ? undefined : options.restUrl;
  };

  return {
    now: () => clock.now(),
    async fetchJobsOverview(request) {
      const { status, body } = await httpCall('fetchJobsOverview', 'GET', `${request.restUrl}/jobs/overview`, wall(request));
      if (status < 200 || status >= 300) throw new PortError('fetchJobsOverview', 'http', `HTTP ${status}`); // returnContent() throws
      try {
        const parsed = JSON.parse(body) as { jobs?: unknown };
        if (!Array.isArray(parsed.jobs)) return undefined; // JobDetails.as → None
        return { jobs: parsed.jobs.map((job: { jid?: string; name?: string; state?: string }) => ({ jid: job.jid ?? '', name: job.name ?? '', state: job.state ?? '' })) } satisfies JobsOverview;
      } catch {
        return undefined;
      }
    },
    lookupRestService: serviceUrl,
    async lookupIngress(request) {
      const ingress = await api('getIngress', request, (o) => clients.networking.readNamespacedIngress({ name: request.clusterId, namespace: request.namespace }, o), undefined);
      const rule = ingress?.spec?.rules?.[0];
      return rule?.host === undefined ? undefined : `http://${rule.host}${rule.http?.paths?.[0]?.path ?? ''}`;
    },
    async listFlinkDeployments(request) {
      const list = await api('listDeployments', request, (o) => clients.apps.listNamespacedDeployment({ namespace: request.namespace, labelSelector: FLINK_LABEL_SELECTOR }, o), undefined);
      return (list?.items ?? []).map((deployment) => deployment.metadata?.name ?? '');
    },
    getDeploymentPods,
    async fetchTerminatedPodLog(request) {
      const pods = await getDeploymentPods(request);
      const pod = pods[0];
      if (pod === undefined) return;
      await api('getPodLog', request, (o) => clients.core.readNamespacedPodLog({ name: pod.name, namespace: request.namespace, previous: true }, o), undefined);
    },
    async readHistoryArchive(request) {
      return options.archivedState(request.jobId);
    },
    async cancelJob(request) {
      const url = await serviceUrl(request);
      if (url === undefined) throw new PortError('cancelJob', 'http', `service ${request.clusterId}-rest not found`);
      const { status } = await httpCall('cancelJob', 'PATCH', `${url}/jobs/${request.jobId}?mode=cancel`, wall(request));
      if (status < 200 || status >= 300) throw new PortError('cancelJob', 'http', `HTTP ${status}`);
    },
  };
}
