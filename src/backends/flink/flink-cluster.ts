/**
 * The Flink side of the world: the jobs of one cluster and what its REST API would answer,
 * following the JobManager. Used by the simulation directly and by the live backends' REST
 * stub, so both tell the same story:
 *   - while the JobManager is down the REST endpoint refuses;
 *   - when it is back, each job goes through the scenario's recovery states (what Flink really
 *     reports: `unavailable` = HTTP 503 until the JobManager is leader, `none` = no job listed
 *     yet, then job states such as INITIALIZING), then RUNNING — under
 *     the same job id with HA or a fixed job id (StreamPark fixes it at submit), under a new one
 *     otherwise; a session cluster without HA comes back without its jobs;
 *   - fail/finish/cancel end a job; in application mode Flink then shuts the cluster down
 *     (deletes its deployment) after `shutdownDelayMs`, having written the history archive.
 * All time goes through the given clock (scenario milliseconds).
 */
import { createHash } from 'node:crypto';
import type { ArchiveDir } from '../../models/ports.ts';
import type { FlinkJobState } from '../../states.ts';
import type { ArchiveSetting } from '../../scenario/schema.ts';
import type { ScenarioApp } from '../../scenario/types.ts';

export interface ClusterClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface JobView {
  name: string;
  jid: string;
  /** undefined while the job is not listed (recovery step `none`) */
  state: FlinkJobState | undefined;
  /** session mode without HA: the job went with the JobManager that ran it and is never listed again */
  lost?: true;
}

/**
 * The id an application cluster gives its job on its `start`-th restart when neither HA nor a
 * fixed job id pins it (Flink: a random JobID; here a stable stand-in per job and restart).
 */
export function restartedJobId(name: string, start: number): string {
  return createHash('sha256').update(`statuschaos/${name}/jobmanager-start-${start}`).digest('hex').slice(0, 32);
}

/** Does a tracker that reads `dir` find an archive Flink wrote where `written` says? */
export function archiveReadable(written: ArchiveSetting, dir: ArchiveDir): boolean {
  return written !== 'none' && (dir === 'job' || dir === written);
}

const TERMINAL: ReadonlySet<FlinkJobState> = new Set(['FAILED', 'FINISHED', 'CANCELED']);
/** How long a cancelled job reports CANCELLING before CANCELED (Flink 1.18.1: 40–50 ms, test/fixtures/flink/cancel-*.json). */
export const CANCELLING_MS = 50;

export class FlinkCluster {
  private readonly app: ScenarioApp;
  private readonly clock: ClusterClock;
  private readonly jobs: JobView[];
  private readonly archive = new Map<string, FlinkJobState>();
  private serving = true;
  /** serving, but answering 503 (no leader yet): recovery step `unavailable` */
  private unavailable = false;
  /** how many times the JobManager has come back */
  private restarts = 0;
  private recoveryTimers: unknown[] = [];
  private shutdownTimer: unknown;
  private readonly onChange: () => void;
  private readonly onShutdown: () => void;

  private readonly onArchived: ((job: { jid: string; name: string; state: FlinkJobState }) => void) | undefined;
  constructor(app: ScenarioApp, clock: ClusterClock, hooks: { onChange: () => void; onShutdown: () => void; onArchived?: (job: { jid: string; name: string; state: FlinkJobState }) => void }) {
    this.onArchived = hooks.onArchived;
    this.app = app;
    this.clock = clock;
    this.jobs = app.jobs.map((job) => ({ name: job.name, jid: job.jobId, state: 'RUNNING' }));
    this.onChange = hooks.onChange;
    this.onShutdown = hooks.onShutdown;
  }

  /** Is the REST endpoint accepting requests? */
  isServing(): boolean {
    return this.serving;
  }

  /** Serving, but answering 503 while the JobManager waits for its leadership (recovery step `unavailable`)? */
  awaitsLeadership(): boolean {
    return this.serving && this.unavailable;
  }

  /** GET /jobs/overview as Flink answers it (jobs not yet recovered are left out). */
  overview(): { jobs: { jid: string; name: string; state: string }[] } {
    return { jobs: this.jobs.filter((job) => job.state !== undefined).map((job) => ({ jid: job.jid, name: job.name, state: job.state! })) };
  }

  jobStates(): Record<string, FlinkJobState | 'not listed'> {
    return Object.fromEntries(this.jobs.map((job) => [job.name, job.state ?? 'not listed']));
  }

  /** Every archive Flink wrote: final state by job id (whoever reads it, from wherever). */
  archivedJobs(): Record<string, FlinkJobState> {
    return Object.fromEntries(this.archive);
  }

  /** The archived final state of a job, as a reader of `dir` finds it. */
  archivedState(jobId: string, dir: ArchiveDir): FlinkJobState | undefined {
    return archiveReadable(this.app.archive, dir) ? this.archive.get(jobId) : undefined;
  }

  /** The JobManager process stopped (container restart, pod deleted, deployment deleted). */
  jobManagerDown(): void {
    this.cancelRecovery();
    this.serving = false;
    this.unavailable = false;
    this.onChange();
  }

  /**
   * The JobManager serves again after a restart: without HA a session cluster has lost its jobs,
   * and an application cluster without a fixed job id runs its job under a new id; the jobs that
   * come back go through the scenario's recovery steps.
   */
  jobManagerUp(): void {
    this.restarts += 1;
    const resumable = this.resumableJobs();
    if (this.app.mode === 'session' && !this.app.ha) {
      // jobs submitted to a session cluster live in its JobManager; without HA nothing brings them back
      for (const job of resumable) Object.assign(job, { state: undefined, lost: true });
      this.recover([]);
      return;
    }
    if (this.app.mode === 'application' && !this.app.ha && !this.app.fixedJobId) {
      // ApplicationDispatcherBootstrap runs main() again and the job is submitted under a new random id
      for (const job of resumable) job.jid = restartedJobId(job.name, this.restarts);
    }
    this.recover(resumable);
  }

  /** The JobManager's first start (the kind REST stub: the first start of its pod): the configured jobs, through the recovery steps. */
  jobManagerStarted(): void {
    this.recover(this.resumableJobs());
  }

  /** A fresh process that is the JobManager's `restarts`-th restart (the kind REST stub after its container restarted): as jobManagerUp after that many. */
  jobManagerRestartedAs(restarts: number): void {
    this.restarts = restarts - 1;
    this.jobManagerUp();
  }

  private resumableJobs(): JobView[] {
    return this.jobs.filter((job) => !job.lost && (job.state === undefined || !TERMINAL.has(job.state)));
  }

  private recover(resumable: JobView[]): void {
    this.serving = true;
    let offset = 0;
    const steps = [...this.app.recovery, { state: 'RUNNING' as const, forMs: 0 }];
    for (const step of steps) {
      const apply = () => {
        this.unavailable = step.state === 'unavailable';
        for (const job of resumable) job.state = step.state === 'none' || step.state === 'unavailable' ? undefined : step.state;
        this.onChange();
      };
      if (offset === 0) apply();
      else this.recoveryTimers.push(this.clock.setTimeout(apply, offset));
      offset += step.forMs;
    }
    this.onChange();
  }

  /**
   * The job fails (fail-job); application mode then shuts the cluster down. Flink 1.18 reports
   * FAILING for 60–100 ms first (test/fixtures/flink/fail-*.json), too short for any poll here
   * to count on, so the stub goes to FAILED at once.
   */
  failJob(name: string): void {
    this.endJob(name, 'FAILED');
  }

  finishJob(name: string): void {
    this.endJob(name, 'FINISHED');
  }

  /**
   * PATCH /jobs/:jid?mode=cancel: CANCELLING, then CANCELED. Cancelling a job that is already
   * cancelling or cancelled succeeds (every tracker variant sends its own cancel to the one job);
   * false when there is no such job or it ended otherwise.
   */
  cancelJob(jid: string): boolean {
    const job = this.jobs.find((candidate) => candidate.jid === jid);
    if (job?.state === 'CANCELLING' || job?.state === 'CANCELED') return true;
    if (job === undefined || job.state === undefined || TERMINAL.has(job.state)) return false;
    job.state = 'CANCELLING';
    this.onChange();
    this.clock.setTimeout(() => this.endJob(job.name, 'CANCELED'), CANCELLING_MS);
    return true;
  }

  /** Stop every timer (the cluster is gone or the run is over). */
  dispose(): void {
    this.cancelRecovery();
    if (this.shutdownTimer !== undefined) this.clock.clearTimeout(this.shutdownTimer);
  }

  private endJob(name: string, state: FlinkJobState): void {
    const job = this.jobs.find((candidate) => candidate.name === name);
    // a job ends only in a JobManager that runs it: not while it is down, not once a restart lost it
    if (job === undefined || job.lost === true || !this.serving) return;
    job.state = state;
    if (this.app.archive !== 'none') {
      this.archive.set(job.jid, state); // written on a globally terminal state only
      this.onArchived?.({ jid: job.jid, name: job.name, state });
    }
    this.onChange();
    if (this.app.mode === 'application' && this.shutdownTimer === undefined) {
      this.shutdownTimer = this.clock.setTimeout(() => {
        this.serving = false;
        this.onShutdown();
        this.onChange();
      }, this.app.shutdownDelayMs);
    }
  }

  private cancelRecovery(): void {
    for (const timer of this.recoveryTimers) this.clock.clearTimeout(timer);
    this.recoveryTimers = [];
  }
}
