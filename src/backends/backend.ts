/**
 * The two faces every backend shows the runner: the ports the trackers call,
 * through the faults, and a world controller (faults, actions, truth). One `BackendSession` is
 * one scenario run; `close()` must leave nothing behind, whatever happened before.
 */
import type { TrackerPorts } from '../models/ports.ts';
import type { Scenario, ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import type { Target } from '../scenario/toxics.ts';
import type { ActionName } from '../scenario/schema.ts';
import type { TruthSnapshot } from '../record/truth.ts';
import type { TimerLateness } from '../record/run-record.ts';
import type { LiveEndpoints } from '../trackers/tracker.ts';

export const BACKEND_NAMES = ['sim', 'local', 'kind', 'kubeconfig'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Where each backend can put a fault. `etcd` needs a way in between kube-apiserver and etcd: the
 * simulation models it and the local backend runs its own control plane with a proxy there; on
 * an existing cluster the API server talks to its etcd directly, and on kind too: its etcd is a
 * static pod on the node that kube-apiserver reaches on the node's loopback, and putting a proxy
 * there would mean rewriting kubeadm's manifests (docs/kind.md, "What kind does not offer").
 */
export const FAULT_TARGETS: Readonly<Record<BackendName, readonly Target[]>> = {
  sim: ['apiserver', 'flink-rest', 'etcd'],
  local: ['apiserver', 'flink-rest', 'etcd'],
  kind: ['apiserver', 'flink-rest'],
  kubeconfig: ['apiserver', 'flink-rest'],
};

/**
 * Actions a backend cannot perform faithfully. A crash loop needs a container that stays down:
 * kwok (local) keeps it waiting as told; on kind the JobManager's image fails at every start once
 * marked, and the real kubelet backs off; on an existing cluster the harness can only kill the
 * process (the image is the user's), and the kubelet brings it back.
 */
export const UNSUPPORTED_ACTIONS: Readonly<Record<BackendName, readonly ActionName[]>> = {
  sim: [],
  local: [],
  kind: [],
  kubeconfig: ['crash-loop-jobmanager'],
};

/** Scenario-time clock: `now()` and timers in scenario ms, whatever the wall-clock scale. */
export interface RunClock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** live clocks: how late its timers (the trackers' polls, the timeline) fired, scenario ms */
  lateness?(): TimerLateness;
}


export interface OpenOptions {
  seed: number;
  /** wall ms per scenario ms on live backends (the timing profile's scale) */
  timeScale: number;
  /** folder of this run (logs, kubeconfig) */
  runDir: string;
  onTruth: (snapshot: TruthSnapshot) => void;
  onProgress: (message: string) => void;
  signal?: AbortSignal;
}

export interface BackendSession {
  readonly clock: RunClock;
  /** where the application really lives, when the backend made its own namespace */
  readonly appNamespace?: string;
  /** tool versions and endpoints for the run record */
  readonly metadata: Record<string, string>;
  /** ports for one tracker, `client` naming it (a variant, the canary); every tracker gets its own (connections, and on the simulation its draws, are not shared) */
  trackerPorts(client: string): TrackerPorts;
  /** the Flink REST URL the trackers reach (through the flink-rest fault path) */
  restEndpoint(): string;
  /** live backends: where a tracker with clients of its own reaches the world through the faults (a kubeconfig file written into `dir`) */
  trackerEndpoints?(client: string, dir: string): Promise<LiveEndpoints>;
  /** scenario time 0 is now: every tracker is ready (a live session's clock starts here; the simulation's is at 0 already) */
  begin(): void;
  applyFault(fault: ScheduledFault): Promise<void>;
  removeFault(fault: ScheduledFault): Promise<void>;
  /** a world action: restart-jobmanager, delete-jobmanager-pod, evict-jobmanager-pod, delete-deployment, fail-job, finish-job */
  perform(action: ScheduledAction): Promise<void>;
  /** let scenario time pass until `t` (virtual on the simulation, real on live backends) */
  runUntil(t: number): Promise<void>;
  /** undo every fault and stop everything this session started; safe to call twice */
  close(): Promise<void>;
}

/** Where the local backend's JobManager runs: the REST stub in this process, or real Flink JVMs. */
export const FLINK_KINDS = ['stub', 'real'] as const;
export type FlinkKind = (typeof FLINK_KINDS)[number];

/** What the command line tells a backend before it starts (flags and environment). */
export interface BackendSettings {
  env: NodeJS.ProcessEnv;
  /** kubeconfig backend: the cluster's kubeconfig file */
  kubeconfig?: string;
  /** kubeconfig backend: the context to use (default: the file's current context) */
  context?: string;
  /** kubeconfig backend: the allow-list from the command line, `context=https://server` entries (else the repository's clusters/allowed-contexts; never the environment) */
  allowedContexts?: string[];
  /** kind backend: leave the cluster it created running */
  keepCluster?: boolean;
  /** kind: a real Flink image in application mode instead of the REST stub image; kubeconfig: the JobManager pod's image */
  flinkImage?: string;
  /** local backend: the REST stub (default) or a real Flink application cluster (`--flink real`) */
  flink?: FlinkKind;
  /** local backend: use the control plane `statuschaos cluster up` left running there */
  clusterDir?: string;
  /** folder for cluster state and logs (the run's output folder) */
  workDir?: string;
}

export interface Backend {
  readonly name: BackendName;
  open(scenario: Scenario, options: OpenOptions): Promise<BackendSession>;
  /** stop what the backend keeps across scenarios (a control plane, Toxiproxy); safe to call twice */
  shutdown?(): Promise<void>;
}

/** The backend could not run (missing tool, cluster did not start): exit code 3. */
export class BackendError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BackendError';
    this.hint = options.hint;
  }
}
