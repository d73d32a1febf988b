/**
 * The only way a tracker model touches the world. Every backend (simulation, local control
 * plane, kind, kubeconfig) implements this interface; the models invoke each call as a
 * promise actor, so no socket or timer lives inside a model.
 *
 * A call either resolves with what the remote side answered or rejects with a PortError.
 * Timeouts are passed in by the model (from its timing profile) and enforced by the backend.
 */

/** Where a cluster lives: StreamPark's ClusterKey (namespace + cluster id). */
export interface ClusterRef {
  namespace: string;
  clusterId: string;
}

export interface HttpTimeouts {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

/**
 * The timeouts a tracker's design gives its calls, per path: what its contract says a call may
 * take. The oracles judge what a source could tell that tracker by calls with these timeouts
 * (check/reach.ts), whatever the running code does.
 */
export interface CallTimeouts {
  /** Flink's REST API */
  rest: HttpTimeouts;
  /** the Kubernetes API */
  api: HttpTimeouts;
  /**
   * An answer that takes longer is of no use to the design, whatever the timeouts (which limit a
   * connection's silence: a trickle never trips them): ours gives an observation two polls;
   * StreamPark uses a late answer whenever it comes (undefined).
   */
  usefulWithinMs?: number;
}

/** One job in Flink's `GET /jobs/overview` answer (the fields the trackers read). */
export interface FlinkJobOverview {
  jid: string;
  name: string;
  /** Flink's JobStatus name, e.g. RUNNING; parsed by the model (unknown → OTHER). */
  state: string;
}

/** The answer of `/jobs/overview`; `undefined` when the body had no `jobs` array (JobDetails.as → None). */
export type JobsOverview = { jobs: FlinkJobOverview[] } | undefined;

/** What a tracker can see of a pod: enough for isDeploymentError and the proposed tracker. */
export interface PodView {
  name: string;
  /** Pending | Running | Succeeded | Failed | Unknown */
  phase: string;
  /** status.reason, e.g. Evicted */
  reason?: string;
  /** metadata.deletionTimestamp is set: the pod is being deleted but still listed (an evicted pod, the old pod of a rollout) */
  terminating?: boolean;
  /**
   * When its Ready condition last changed (status.conditions[Ready].lastTransitionTime), in
   * scenario ms: since when a pod that is not ready has not been — a crash loop shows it as long
   * as it lasts, to any console that looks.
   */
  readyChangedAt?: number;
  containers: ContainerView[];
}

export interface ContainerView {
  name: string;
  restartCount: number;
  ready: boolean;
  /** lastState.terminated, when the container has terminated at least once. */
  lastTerminated?: { reason: string; exitCode: number };
  /** state.waiting.reason, e.g. CrashLoopBackOff, while the container waits to (re)start */
  waitingReason?: string;
}

/**
 * Where a tracker looks for a job's Flink history archive: `workspace` is 2.1.3's
 * `<remote workspace>/historyserver/archive`, `fs-dir` the Flink environment's
 * `jobmanager.archive.fs.dir` that 2.1.4 reads from the TrackId's properties, `job` wherever the
 * job's own configuration sent it (the proposed tracker).
 */
export type ArchiveDir = 'workspace' | 'fs-dir' | 'job';

/** How a failed call failed. `timeout` is Jepsen's "unknown": it may or may not have happened. */
export type PortErrorKind = 'refused' | 'reset' | 'closed' | 'timeout' | 'http' | 'invalid';

/** The rejection value of every port call. */
export class PortError extends Error {
  readonly kind: PortErrorKind;
  readonly call: string;
  constructor(call: string, kind: PortErrorKind, message: string) {
    // Port errors are outcomes, not bugs: the simulation makes thousands a second, and capturing
    // a stack for each was a measurable share of its time.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${call}: ${kind}: ${message}`);
    Error.stackTraceLimit = limit;
    this.name = 'PortError';
    this.kind = kind;
    this.call = call;
  }
}

/** Names of the port calls, used to label poll outcomes in the run record. */
export type PortCall = keyof Omit<TrackerPorts, 'now'>;

/** Where a call goes: through the API server's fault path, Flink REST's, or nowhere (a local file). */
export type CallTarget = 'apiserver' | 'flink-rest' | 'local';

/** Every port call, once, with the path it takes (the poll lanes and the canary read it). */
export const PORT_CALLS: Readonly<Record<PortCall, CallTarget>> = {
  fetchJobsOverview: 'flink-rest',
  lookupRestService: 'apiserver',
  getApiServerVersion: 'apiserver',
  lookupIngress: 'apiserver',
  listFlinkDeployments: 'apiserver',
  getDeploymentPods: 'apiserver',
  fetchTerminatedPodLog: 'apiserver',
  readHistoryArchive: 'local',
  cancelJob: 'flink-rest',
  cancelFlinkJob: 'flink-rest',
};

export interface TrackerPorts {
  /** Current time in ms on the tracker's clock (virtual in the simulation). */
  now(): number;
  /**
   * GET {restUrl}/jobs/overview with connect and response timeouts (Flink REST path), through
   * httpclient5 5.1's default retry strategy: one retry in all, at once after a connection closed
   * or reset before the answer; after `statusRetryIntervalMs` after a 503 or 429 when the caller's
   * client waits for those (none when it is undefined or longer than the response timeout).
   */
  fetchJobsOverview(request: { restUrl: string; statusRetryIntervalMs?: number } & HttpTimeouts): Promise<JobsOverview>;
  /** Flink's cluster-client retrieval: read the `<clusterId>-rest` Service; undefined when it does not exist. */
  lookupRestService(request: ClusterRef & HttpTimeouts): Promise<string | undefined>;
  /** GET /version of the Kubernetes API server (fabric8 `getVersion`): its gitVersion, e.g. v1.30.2. */
  getApiServerVersion(request: HttpTimeouts): Promise<string>;
  /** Read the Ingress named after the cluster; undefined when there is none. */
  lookupIngress(request: ClusterRef & HttpTimeouts): Promise<string | undefined>;
  /** List Deployments labelled type=flink-native-kubernetes in a namespace; resolves with their names. */
  listFlinkDeployments(request: { namespace: string } & HttpTimeouts): Promise<string[]>;
  /** Get the Deployment, then list the pods its selector's matchLabels select ([] when it does not exist). */
  getDeploymentPods(request: { namespace: string; name: string } & HttpTimeouts): Promise<PodView[]>;
  /** Read the terminated JobManager container's log (StreamPark saves it; the content is not used). */
  fetchTerminatedPodLog(request: { namespace: string; name: string } & HttpTimeouts): Promise<void>;
  /** The job's state in the Flink history archive under `dir`, or undefined when there is none there. */
  readHistoryArchive(request: { jobId: string; dir: ArchiveDir }): Promise<string | undefined>;
  /** Cancel a job from the console: cluster-client retrieval through the API, then the REST cancel call. */
  cancelJob(request: ClusterRef & { jobId: string } & HttpTimeouts): Promise<void>;
  /** One attempt of Flink's REST cancel: PATCH {restUrl}/jobs/{jobId}?mode=cancel; 404 when there is no such running job. */
  cancelFlinkJob(request: { restUrl: string; jobId: string } & HttpTimeouts): Promise<void>;
}

/** The HTTP status of a PortError of kind `http` (its message starts `HTTP <status>`), else undefined. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof PortError) || error.kind !== 'http') return undefined;
  const match = /\bHTTP (\d{3})\b/.exec(error.message);
  return match === null ? undefined : Number(match[1]);
}

/** Convert anything thrown by a port to a PortError (a backend bug shows as `invalid`). */
export function asPortError(call: string, error: unknown): PortError {
  if (error instanceof PortError) return error;
  return new PortError(call, 'invalid', error instanceof Error ? error.message : String(error));
}
