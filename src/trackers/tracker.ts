/**
 * The tracker plug-in: what the harness runs beside the world and judges. A tracker belongs to a
 * system (whose console states it writes), plays a role for the checks, says where it can run,
 * and starts from a context: the applications to track, the clock and timing, where to report,
 * and the world through the faults (ports for in-process trackers; on live backends, endpoints
 * for trackers that bring their own clients). docs/trackers.md says how to add one.
 */
import type { TrackerCommand } from '../models/commands.ts';
import type { TrackedApp } from '../models/environment.ts';
import type { CallTarget, CallTimeouts, TrackerPorts } from '../models/ports.ts';
import type { VariantRole } from '../models/registry.ts';
import type { ProfileName, TrackerTiming } from '../models/timing.ts';

export type { TrackedApp, TrackerCommand };
export type TrackerRole = VariantRole;

/** Scenario time: `now()` and timers in scenario ms, whatever the wall-clock scale. */
export interface TrackerClock {
  now(): number;
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The world as a tracker with its own clients reaches it, through the same faults as the ports. */
export interface LiveEndpoints {
  /** a kubeconfig file whose server is the `apiserver` proxy (Toxiproxy) */
  kubeconfig: string;
  /** the API server URL in it (the proxy) */
  apiServer: string;
  /** the JobManager's REST address behind the `flink-rest` proxy */
  flinkRest: string;
  /**
   * where Flink writes a finished job's history archive on this machine, when the scenario has it
   * write one (app.archive): `workspace` (a StreamPark 2.1.3 workspace's
   * `…/historyserver/archive`) or `fs-dir` (the Flink environment's jobmanager.archive.fs.dir)
   */
  archive?: { setting: 'workspace' | 'fs-dir'; folder: string };
}

/** One call a tracker made, for the report's poll lane. */
export interface PollReport {
  call: string;
  target: CallTarget;
  /** ok, or how it failed: refused, reset, closed, timeout, http, invalid */
  outcome: string;
  /** how long it took, scenario ms */
  ms: number;
}

/**
 * Where a tracker reports. `at` is scenario ms; without it, now. A tracker that can no longer be
 * trusted (crashed, hung, garbage on its channel) calls `fail`: its verdicts become inconclusive.
 */
export interface TrackerReport {
  /** a console state write: the trace the checks judge */
  write(write: { appId: string; state: string; tracking: 0 | 1; cause: string; at?: number }): void;
  /** an alert the console sent */
  alert(alert: { appId: string; state: string; at?: number }): void;
  poll(poll: PollReport & { at?: number }): void;
  /** anything else worth showing (tracking stopped, a restart, …) */
  event(type: string, fields: Record<string, unknown>, at?: number): void;
  fail(reason: string, detail?: string): void;
}

export interface TrackerContext {
  /** which tracker of the run this is (its lane's name) */
  variant: string;
  apps: readonly TrackedApp[];
  clock: TrackerClock;
  /** the run's timing (scenario ms) */
  timing: TrackerTiming;
  /** wall ms per scenario ms */
  timeScale: number;
  report: TrackerReport;
  /** the world as calls through the faults, on every backend (in-process trackers) */
  ports(): TrackerPorts;
  /** live backends: the endpoints through the faults (undefined on the simulation) */
  endpoints: LiveEndpoints | undefined;
  /** a folder this tracker may write into (logs, its state) */
  workDir: string;
  /** the harness's settings as environment variables (`STATUSCHAOS_STREAMPARK_HOME`, …) */
  env: NodeJS.ProcessEnv;
  /** the run was stopped (Ctrl-C, SIGTERM): give up and clean up */
  signal?: AbortSignal;
}

/**
 * A started tracker. `start` resolves once it is ready to track without tracking yet, so that a
 * slow start (a JVM) is not counted in scenario time; `begin` is scenario time 0.
 */
export interface RunningTracker {
  begin(): void;
  send(command: TrackerCommand): void;
  /** stop tracking and release everything (processes too); safe to call twice */
  stop(): Promise<void>;
  /** what really ran (a version line), for the run record */
  readonly version?: string;
}

export interface TrackerPlugin {
  /** the variant name runs and scenario files use, e.g. `v2.1.3`, `real-2.1.3` */
  name: string;
  /** the system whose console states it writes (src/systems/) */
  system: string;
  role: TrackerRole;
  description: string;
  /** `model`: an XState model in this process; `process`: a program of its own (docs/trackers.md) */
  kind: 'model' | 'process';
  /** the backends it can run on (`sim`, `local`, `kind`, `kubeconfig`) */
  backends: readonly string[];
  /** a model of this tracker: a scenario's expectation for it applies to this one too, unless the file names this one */
  counterpart?: string;
  /** run when `--variants` is not given */
  byDefault: boolean;
  /** timing profiles it can honour (`fast` scales timeouts that real code hard-codes); undefined: every profile */
  profiles?: readonly ProfileName[];
  /** why it cannot run here, if it cannot (a missing build); checked before anything starts */
  unavailable?(env: NodeJS.ProcessEnv): string | undefined;
  /**
   * The timeouts its design gives its calls, per path: the oracles judge what a source could tell
   * it by calls with these (check/reach.ts). Undefined: StreamPark's clients' (fabric8, Flink's).
   */
  callTimeouts?(timing: TrackerTiming): CallTimeouts;
  start(context: TrackerContext): Promise<RunningTracker>;
}
