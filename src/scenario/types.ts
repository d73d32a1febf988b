/**
 * A scenario after loading and validation: durations in scenario milliseconds, defaults filled
 * in, every fault and action with its schedule. This is what runners and backends consume.
 */
import { longestEtcdReconnectWallMs } from './etcd-reconnect.ts';
import { restartLagMs } from './kubelet-timing.ts';
import { JOBMANAGER_RESTARTS } from './actions.ts';
import type { FlinkJobState } from '../states.ts';
import type { ProfileName, TrackerTiming } from '../models/timing.ts';
import type { OracleRequest } from './oracle-names.ts';
import type { FaultSpec } from './toxics.ts';
import type { ActionName, ArchiveSetting, Listed, POD_PHASES } from './schema.ts';

export interface ScenarioJob {
  /** console application id and Flink job name */
  name: string;
  /** Flink job id: 32 hex digits, derived from the name */
  jobId: string;
}

/** A recovery step: a job state, no job listed yet, or the REST API answering 503 (no leader yet). */
export type RecoveryState = FlinkJobState | 'none' | 'unavailable';

/** A JobManager pod that exists beside the running one from the start (app.pods). */
export interface ExtraPod {
  /** its name: `<clusterId>-0-extra-<n>` sorts before every JobManager pod, `<clusterId>-zzzzzzzzzz-extra-<n>` after */
  name: string;
  phase: (typeof POD_PHASES)[number];
  reason: string | undefined;
  terminating: boolean;
  /** lastState.terminated reason of its container, when it restarted before */
  lastTerminated: string | undefined;
}

export interface ScenarioApp {
  clusterId: string;
  namespace: string;
  mode: 'application' | 'session';
  jobs: ScenarioJob[];
  /** what Flink reports after the JobManager serves again, before RUNNING (`unavailable`: HTTP 503; `none`: no job listed) */
  recovery: { state: RecoveryState; forMs: number }[];
  /**
   * Where Flink writes a history archive when a job ends (jobmanager.archive.fs.dir): `none` on a
   * stock Kubernetes-only install, `workspace` when a 2.1.3 console with Hadoop submitted the
   * job, `fs-dir` when the Flink environment's flink-conf.yaml sets a directory.
   */
  archive: ArchiveSetting;
  /** JobManager pods left over beside the running one, in the order the scenario gave them */
  pods: ExtraPod[];
  /** Flink HA: a restarted JobManager recovers its jobs under the same ids */
  ha: boolean;
  /** application mode: the job id is fixed at submit (StreamPark sets $internal.pipeline.job-id), so it survives a JobManager restart without HA */
  fixedJobId: boolean;
  shutdownDelayMs: number;
}

export interface ScheduledFault {
  id: string;
  atMs: number;
  /** undefined: stays until the end of the run */
  untilMs: number | undefined;
  spec: FaultSpec;
  name: string;
  line: number | undefined;
}

export interface ScheduledAction {
  id: string;
  atMs: number;
  action: ActionName;
  /** JobManager or console downtime, where the action has one */
  downtimeMs: number | undefined;
  reason: string | undefined;
  /** the job an action is about (session mode), by name */
  job: string | undefined;
  /** evict-jobmanager-pod: where the evicted pod sorts against its replacement */
  listed: Listed | undefined;
  name: string;
  line: number | undefined;
}

export interface Expectation {
  trace: string | undefined;
  /** console states, in the system of the tracker the expectation is for */
  ignore: string[];
  final: string | undefined;
  never: string[];
  withinMs: number | undefined;
  maxAlerts: number | undefined;
  /** truth oracles the variant must hold (check/oracles.ts) */
  oracles: OracleRequest[];
}

export interface Scenario {
  file: string;
  name: string;
  description: string;
  app: ScenarioApp;
  timing: { profile: ProfileName; overrides: Partial<TrackerTiming> };
  durationMs: number;
  seed: number | undefined;
  discriminates: boolean;
  faults: ScheduledFault[];
  actions: ScheduledAction[];
  /** per tracker (variant) name */
  expect: Partial<Record<string, Expectation>>;
}

export { JOBMANAGER_RESTARTS } from './actions.ts';

/** The name of an extra JobManager pod: sorted before or after every pod the Deployment's ReplicaSet makes. */
export function extraPodName(clusterId: string, listed: Listed, label: string): string {
  // ReplicaSet pod names are <deployment>-<hash>-<suffix> over [bcdfghjklmnpqrstvwxz2456789] (and the
  // simulation's <clusterId>-jobmanager-<n>): '0' sorts before all of them, ten 'z's after all of them
  return `${clusterId}-${listed === 'first' ? '0' : 'zzzzzzzzzz'}-${label}`;
}

/**
 * When the world has settled: the last fault removed (after an etcd fault, etcd's client
 * reconnected: at most longestEtcdReconnectWallMs of wall time, so longer in scenario time on a
 * scaled clock), the last downtime over and, after a JobManager came back, Flink's recovery steps
 * done (the job RUNNING again), and a container restart shown by the kubelet (kubelet-timing.ts:
 * wall time too). `timeScale`: wall ms per scenario ms.
 */
export function settledAt(scenario: Scenario, timeScale = 1): number {
  const recoveryMs = scenario.app.recovery.reduce((sum, step) => sum + step.forMs, 0);
  let last = 0;
  for (const fault of scenario.faults) {
    const until = fault.untilMs ?? scenario.durationMs;
    const reconnectMs = fault.spec.target === 'etcd' ? longestEtcdReconnectWallMs((until - fault.atMs) * timeScale) / timeScale : 0;
    last = Math.max(last, until + reconnectMs);
  }
  for (const action of scenario.actions) {
    const jobManagerBack = JOBMANAGER_RESTARTS.has(action.action);
    last = Math.max(last, action.atMs + (action.downtimeMs ?? 0) + (jobManagerBack ? recoveryMs : 0));
    if (action.action === 'restart-jobmanager' || action.action === 'crash-loop-jobmanager') last = Math.max(last, action.atMs + restartLagMs(timeScale));
  }
  return last;
}
