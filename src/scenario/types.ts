/**
 * A scenario after loading and validation: durations in scenario milliseconds, defaults filled
 * in, every fault and action with its schedule. This is what runners and backends consume.
 */
import type { ConsoleState, FlinkJobState } from '../states.ts';
import type { ProfileName, TrackerTiming } from '../models/timing.ts';
import type { FaultSpec } from './toxics.ts';
import type { VariantName } from '../models/registry.ts';
import type { ActionName, ArchiveSetting } from './schema.ts';

export interface ScenarioJob {
  /** console application id and Flink job name */
  name: string;
  /** Flink job id: 32 hex digits, derived from the name */
  jobId: string;
}

export interface ScenarioApp {
  clusterId: string;
  namespace: string;
  mode: 'application' | 'session';
  jobs: ScenarioJob[];
  /** what Flink reports after the JobManager serves again, before RUNNING */
  recovery: { state: FlinkJobState | 'none'; forMs: number }[];
  /**
   * Where Flink writes a history archive when a job ends (jobmanager.archive.fs.dir): `none` on a
   * stock Kubernetes-only install, `workspace` when a 2.1.3 console with Hadoop submitted the
   * job, `fs-dir` when the Flink environment's flink-conf.yaml sets a directory.
   */
  archive: ArchiveSetting;
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
  name: string;
  line: number | undefined;
}

export interface Expectation {
  trace: string | undefined;
  ignore: ConsoleState[];
  final: ConsoleState | undefined;
  never: ConsoleState[];
  withinMs: number | undefined;
  maxAlerts: number | undefined;
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
  expect: Partial<Record<VariantName, Expectation>>;
}

/**
 * When the world has settled: the last fault removed, the last downtime over and, after a
 * JobManager came back, Flink's recovery steps done (the job RUNNING again).
 */
export function settledAt(scenario: Scenario): number {
  const recoveryMs = scenario.app.recovery.reduce((sum, step) => sum + step.forMs, 0);
  let last = 0;
  for (const fault of scenario.faults) last = Math.max(last, fault.untilMs ?? scenario.durationMs);
  for (const action of scenario.actions) {
    const jobManagerBack = action.action === 'restart-jobmanager' || action.action === 'delete-jobmanager-pod';
    last = Math.max(last, action.atMs + (action.downtimeMs ?? 0) + (jobManagerBack ? recoveryMs : 0));
  }
  return last;
}
