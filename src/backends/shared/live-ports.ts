/**
 * The tracker ports on a live cluster: Kubernetes calls with @kubernetes/client-node through the
 * `apiserver` proxy, Flink REST calls over plain HTTP through the `flink-rest` proxy. Timeouts
 * come from the model in scenario ms and are scaled to wall time; every failure is a PortError.
 */
import { ApiException, Observable, VersionApi, type ConfigurationOptions, type KubeConfig, type ObservableMiddleware, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import { PortError, type ArchiveDir, type HttpTimeouts, type JobsOverview, type PodView, type TrackerPorts } from '../../models/ports.ts';
import { apiClients, statusOf } from './kube-access.ts';
import { classifyNetworkError, httpCall, withHttpclient5Retries } from './http-client.ts';
import type { ScaledClock } from './scaled-clock.ts';

export const FLINK_LABEL_SELECTOR = 'type=flink-native-kubernetes';

interface LivePortsOptions {
  /** the trackers' kubeconfig: server = the apiserver proxy */
  kubeConfig: KubeConfig;
  /** the Flink REST URL through the flink-rest proxy (what the `-rest` Service maps to) */
  restUrl: string;
  clock: ScaledClock;
  /** Flink's history archive (a local file store, not behind the network) */
  archivedState: (jobId: string, dir: ArchiveDir) => string | undefined;
}

/** The tracker ports over a live cluster: Kubernetes calls with client-node, Flink REST over HTTP, each through its fault path. */
export function livePorts(options: LivePortsOptions): TrackerPorts {
  const { clock } = options;
  const clients = apiClients(options.kubeConfig);
  const versionApi = options.kubeConfig.makeApiClient(VersionApi);
  /**
   * A per-call deadline for fabric8's request timeout, as client-node middleware. fabric8's is
   * OkHttp's read timeout, a limit on the silence of the raw socket (TLS handshake included); a
   * deadline for the whole call is the nearest client-node offers (undici's headers and body
   * timeouts count silence in decrypted data, whole TLS records: measured, a sliced answer then
   * times out where OkHttp's would not). The two differ only for an answer that trickles in for
   * longer than the limit without pausing that long (docs/toxics.md).
   */
  /**
   * One connection pool per tracker, as fabric8's OkHttp client keeps its connections alive:
   * client-node 2 makes a new undici Agent (so a new connection and TLS handshake) for every call,
   * which behind a latency toxic doubled each call's time (the handshake's server flight is delayed
   * too; measured 8 s a call at 4 s latency where fabric8 and the simulation take 4 s). The first
   * call's dispatcher serves every later one. undici closes a connection idle for 4 s, OkHttp after
   * 5 minutes: at the streampark profile a poll's first call may still open a new connection.
   */
  let pool: ReturnType<RequestContext['getDispatcher']>;
  const deadline = (timeouts: HttpTimeouts): ConfigurationOptions<ObservableMiddleware> => ({
    middleware: [
      {
        pre: (context: RequestContext) => {
          pool ??= context.getDispatcher();
          if (pool !== undefined) context.setDispatcher(pool);
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
      // an HTTP answer is an ApiException; a timeout's DOMException has a numeric `code` too (23), which is no status
      const status = error instanceof ApiException ? statusOf(error) : undefined;
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
    // in the API's order (by name): StreamPark takes pods.head as it comes
    return (pods?.items ?? []).map((pod) => ({
      name: pod.metadata?.name ?? '',
      phase: pod.status?.phase ?? 'Unknown',
      ...(pod.status?.reason ? { reason: pod.status.reason } : {}),
      ...(pod.metadata?.deletionTimestamp ? { terminating: true } : {}),
      ...readyChangedAt(pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.lastTransitionTime),
      containers: (pod.status?.containerStatuses ?? []).map((container) => ({
        name: container.name,
        restartCount: container.restartCount,
        ready: container.ready,
        ...(container.lastState?.terminated ? { lastTerminated: { reason: container.lastState.terminated.reason ?? '', exitCode: container.lastState.terminated.exitCode } } : {}),
        ...(container.state?.waiting?.reason ? { waitingReason: container.state.waiting.reason } : {}),
      })),
    }));
  };

  /**
   * The Ready condition's lastTransitionTime in scenario ms. Kubernetes keeps whole seconds: the
   * latest the change can have been (a second later), never after now — a tracker that counts
   * from it never counts too early.
   */
  const readyChangedAt = (at: Date | string | undefined): { readyChangedAt?: number } => {
    if (at === undefined) return {};
    const epochMs = new Date(at).getTime();
    return Number.isFinite(epochMs) ? { readyChangedAt: Math.min(clock.now(), clock.scenarioTimeOf(epochMs + 1_000)) } : {};
  };

  const serviceUrl = async (request: { namespace: string; clusterId: string } & HttpTimeouts) => {
    const service = await api('getService', request, (o) => clients.core.readNamespacedService({ name: `${request.clusterId}-rest`, namespace: request.namespace }, o), undefined);
    return service === undefined ? undefined : options.restUrl;
  };

  /** One PATCH /jobs/<id>?mode=cancel through the flink-rest proxy, with `Connection: close` as Flink's RestClient sends it. */
  const cancelFlinkJob = async (request: { restUrl: string; jobId: string } & HttpTimeouts): Promise<void> => {
    const { status } = await httpCall('cancelFlinkJob', 'PATCH', `${request.restUrl}/jobs/${request.jobId}?mode=cancel`, wall(request));
    if (status < 200 || status >= 300) throw new PortError('cancelFlinkJob', 'http', `HTTP ${status}`);
  };

  return {
    now: () => clock.now(),
    async fetchJobsOverview(request) {
      const get = async () => {
        const answer = await httpCall('fetchJobsOverview', 'GET', `${request.restUrl}/jobs/overview`, wall(request), { keepAlive: true }); // httpclient5: HTTP/1.1 keep-alive
        if (answer.status < 200 || answer.status >= 300) throw new PortError('fetchJobsOverview', 'http', `HTTP ${answer.status}`); // returnContent() throws
        return answer;
      };
      const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(() => resolve(), ms)); // scenario ms, scaled
      const { body } = await withHttpclient5Retries(get, { statusRetryIntervalMs: request.statusRetryIntervalMs, responseTimeoutMs: request.responseTimeoutMs, sleep });
      try {
        const parsed = JSON.parse(body) as { jobs?: unknown };
        if (!Array.isArray(parsed.jobs)) return undefined; // JobDetails.as → None
        return { jobs: parsed.jobs.map((job: { jid?: string; name?: string; state?: string }) => ({ jid: job.jid ?? '', name: job.name ?? '', state: job.state ?? '' })) } satisfies JobsOverview;
      } catch {
        return undefined;
      }
    },
    lookupRestService: serviceUrl,
    async getApiServerVersion(request) {
      const version = await api('getVersion', request, (o) => versionApi.getCode(o), undefined);
      if (version === undefined) throw new PortError('getVersion', 'http', 'HTTP 404');
      return version.gitVersion;
    },
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
      return options.archivedState(request.jobId, request.dir);
    },
    async cancelJob(request) {
      const url = await serviceUrl(request);
      if (url === undefined) throw new PortError('cancelJob', 'http', `service ${request.clusterId}-rest not found`);
      await cancelFlinkJob({ restUrl: url, jobId: request.jobId, connectTimeoutMs: request.connectTimeoutMs, responseTimeoutMs: request.responseTimeoutMs });
    },
    cancelFlinkJob,
  };
}
