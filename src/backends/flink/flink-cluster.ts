/**
 * The Flink side of the world: the jobs of one cluster and what its REST API would answer,
 * following the JobManager. Used by the simulation directly and by the live backends' REST
 * stub, so both tell the same story:
 *   - while the JobManager is down the REST endpoint refuses;
 *   - when it is back, each job goes through the scenario's recovery states (what Flink really
 *     reports: `unavailable` = HTTP 503 until the JobManager is leader, `none` = no job listed
 *     yet, then job states such as INITIALIZING), then RUNNING;
 *   - fail/finish/cancel end a job; in application mode Flink then shuts the cluster down
 *     (deletes its deployment) after `shutdownDelayMs`, having written the history archive.
 * All time goes through the given clock (scenario milliseconds).
 */
import type { FlinkJobState } from '../../states.ts';
import { createHash } from 'node:crypto';
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
  /** the JobManager has been down since the job was submitted (a start-up is not a resubmission) */
  private wentDown = false;
  private recoveryTimers: unknown[] = [];
  private shutdownTimer: unknown;
  private readonly onChange: () => void;
  private readonly onShutdown: () => void;

  constructor(app: ScenarioApp, clock: ClusterClock, hooks: { onChange: () => void; onShutdown: () => void }) {
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

  archivedState(jobId: string): FlinkJobState | undefined {
    return this.archive.get(jobId);
  }

  /**
   * The JobManager process stopped (container restart, pod deleted, deployment deleted);
   * `resubmits: false` for a process that has not submitted the job yet (the kind stub image's start).
   */
  jobManagerDown(resubmits = true): void {
    this.cancelRecovery();
    this.serving = false;
    this.unavailable = false;
    this.wentDown ||= resubmits;
    this.onChange();
  }

  /**
   * The JobManager serves again: jobs recover through the scenario's recovery steps. Without HA
   * an application cluster's JobManager submits its job again, under a new job id.
   */
  jobManagerUp(): void {
    this.serving = true;
    const resumable = this.jobs.filter((job) => job.state === undefined || !TERMINAL.has(job.state));
    if (this.wentDown && this.app.mode === 'application' && !this.app.ha) for (const job of resumable) job.jid = nextJobId(job.jid);
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
    if (job === undefined) return;
    job.state = state;
    if (this.app.archive) this.archive.set(job.jid, state);
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

/** A new job id for a resubmitted job: Flink draws a random one; here it follows from the last, so runs repeat. */
function nextJobId(previous: string): string {
  return createHash('sha256').update(`resubmitted ${previous}`).digest('hex').slice(0, 32);
}
