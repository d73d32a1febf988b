/**
 * The Flink side of a local scenario with `--flink real`: a real Flink application cluster
 * (JobManager, one TaskManager, ZooKeeper with `app.ha`) as JVMs on this machine. The session's
 * actions reach the processes as they would reach pods: a container restart kills the
 * JobManager's JVM and starts it again after the downtime, a deleted deployment takes the
 * JobManager and its TaskManager away, fail-job and finish-job drop a trigger file the job reads.
 * The harness watches `/jobs/overview` straight at the JobManager's port, never through the proxy.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLINK_TERMINAL_STATES, type FlinkJobState } from '../../../states.ts';
import { BackendError } from '../../backend.ts';
import type { FlinkSide, FlinkSideContext } from '../../shared/flink-side.ts';
import { archivedState } from '../../flink/archive-file.ts';
import { logTail } from '../../../processes/processes.ts';
import { freeLocalPort } from '../../shared/toxiproxy/free-port.ts';
import { clusterPaths, type ClusterLayout } from './flink-commands.ts';
import type { FlinkInstall } from './flink-install.ts';
import { FlinkProcesses, type FlinkExit } from './flink-processes.ts';
import { fullyRunning, readOverview, type OverviewAnswer } from './flink-rest.ts';

/** How often the harness reads /jobs/overview (wall ms). */
const WATCH_MS = 100;
/** How long ready() waits for the first start: JVMs, job submission, tasks deployed. */
const READY_TIMEOUT_MS = 120_000;

export interface RealFlinkOptions {
  install: FlinkInstall;
  env: NodeJS.ProcessEnv;
}

/** The real side, plus what tests and the bench look at. */
export interface RealFlinkSide extends FlinkSide {
  readonly processes: FlinkProcesses;
}

/** Start a real application cluster for one scenario; ready() resolves when its job runs with every task. */
export async function realFlinkSide(context: FlinkSideContext, options: RealFlinkOptions): Promise<RealFlinkSide> {
  const { app } = context;
  if (app.mode !== 'application' || app.jobs.length !== 1) throw new BackendError('--flink real runs application mode (one job) only', { hint: 'run session-mode scenarios with the REST stub (drop --flink real)' });
  const jobName = app.jobs[0]!.name;
  if (context.runDir === undefined) throw new Error('realFlinkSide needs the scenario run folder (context.runDir)');
  const layout: ClusterLayout = {
    dir: join(context.runDir, 'flink'),
    logsDir: join(context.runDir, 'logs'),
    restPort: await freeLocalPort(),
    rpcPort: await freeLocalPort(),
    zooKeeperPort: app.ha ? await freeLocalPort() : undefined,
    jobName,
    clusterId: app.clusterId,
    // StreamPark submits with $internal.pipeline.job-id (app.fixedJobId): the same id after a restart
    fixedJobId: app.fixedJobId ? app.jobs[0]!.jobId : undefined,
  };
  const progress = context.onProgress ?? (() => {});
  let seen: OverviewAnswer = { kind: 'down', error: 'not started' };
  let jobState: string = 'not listed';
  let jobId: string | undefined;
  let gone = false; // deployment deleted or application finished: the JobManager stays down
  let closed = false;
  let restartTimer: unknown;

  const onExit = (exit: FlinkExit) => {
    if (closed) return;
    const how = exit.signal ?? `exit code ${exit.code}`;
    if (exit.role === 'jobmanager' && FLINK_TERMINAL_STATES.has(jobState)) {
      // application mode: the job ended, Flink shut its cluster down (and deletes its deployment on Kubernetes)
      gone = true;
      progress(`Flink: the JobManager shut the cluster down after the job ended ${jobState} (${how})`);
      void processes.stop('taskmanager');
      context.onShutdown();
    } else progress(`Flink: the ${exit.role} exited on its own (${how}); see ${layout.logsDir}`);
    context.onChange();
  };
  const processes = new FlinkProcesses(options.install, layout, options.env, onExit);
  await processes.prepare();
  try {
    if (app.ha) processes.startZooKeeper();
    processes.startJobManager();
    processes.startTaskManager();
  } catch (error) {
    await processes.stopAll(); // the session never gets this side to close
    throw new BackendError(`real Flink did not start: ${error instanceof Error ? error.message : String(error)}`, { hint: `is \`${options.install.java}\` a Java 17? (JAVA_HOME, or java on PATH)` });
  }

  const apply = (answer: OverviewAnswer) => {
    const before = `${serving()}|${jobState}`;
    seen = answer;
    if (answer.kind === 'status') jobState = 'not listed'; // 503: no leader yet, no job to report
    if (answer.kind === 'jobs') {
      const job = answer.jobs.find((candidate) => candidate.name === jobName);
      jobState = job?.state ?? 'not listed';
      if (job !== undefined && job.jid !== jobId) {
        if (jobId !== undefined) progress(`Flink: job ${jobName} now runs as ${job.jid} (was ${jobId})${app.ha || app.fixedJobId ? '' : ': without HA or a fixed job id the restarted JobManager submitted it under a new one'}`);
        jobId = job.jid;
      }
    }
    if (`${serving()}|${jobState}` !== before) context.onChange();
  };
  // the REST endpoint answers (a 503 included, as the simulation's `unavailable` step): while it is down, the last states stand
  const serving = () => processes.isRunning('jobmanager') && seen.kind !== 'down';
  const watch = (async () => {
    while (!closed) {
      apply(processes.isRunning('jobmanager') ? await readOverview(layout.restPort) : { kind: 'down', error: 'JobManager not running' });
      await sleep(WATCH_MS);
    }
  })();

  const trigger = async (name: string, file: 'fail' | 'finish') => {
    if (name !== jobName) throw new BackendError(`${file}-job: no job ${name} in this cluster (it runs ${jobName})`);
    await writeFile(join(clusterPaths(layout).triggers, file), `${new Date().toISOString()}\n`);
  };

  return {
    processes,
    upstream: `127.0.0.1:${layout.restPort}`,
    async ready(signal) {
      const deadline = performance.now() + READY_TIMEOUT_MS;
      for (;;) {
        signal?.throwIfAborted();
        const answer = processes.isRunning('jobmanager') ? await readOverview(layout.restPort) : seen;
        apply(answer);
        if (answer.kind === 'jobs' && answer.jobs.some((job) => job.name === jobName && fullyRunning(job))) return;
        if (!processes.isRunning('jobmanager') || performance.now() > deadline) {
          const why = processes.isRunning('jobmanager') ? `its job did not run within ${READY_TIMEOUT_MS / 1000} s (last answer: ${JSON.stringify(answer).slice(0, 300)})` : 'the JobManager exited';
          throw new BackendError(`real Flink did not start: ${why}`, { hint: `JobManager log ${join(layout.logsDir, 'flink-jobmanager.log')}:\n${await logTail(join(layout.logsDir, 'flink-jobmanager.log'), 15)}` });
        }
        await sleep(WATCH_MS);
      }
    },
    isServing: serving,
    jobStates: () => ({ [jobName]: jobState }),
    archiveFolder: clusterPaths(layout).archive,
    archivedState: (id) => archivedState(clusterPaths(layout).archive, id),
    jobManagerStopped(backAfterMs) {
      if (restartTimer !== undefined) context.clock.clearTimeout(restartTimer);
      restartTimer = undefined;
      void processes.kill('jobmanager').then(() => context.onChange());
      if (backAfterMs === undefined) {
        // the deployment is deleted: its TaskManagers go with it
        gone = true;
        void processes.stop('taskmanager');
        return;
      }
      restartTimer = context.clock.setTimeout(() => {
        restartTimer = undefined;
        if (!closed && !gone) processes.startJobManager();
      }, backAfterMs);
    },
    failJob: (name) => trigger(name, 'fail'),
    finishJob: (name) => trigger(name, 'finish'),
    async close() {
      if (closed) return;
      closed = true;
      if (restartTimer !== undefined) context.clock.clearTimeout(restartTimer);
      await watch;
      await processes.stopAll();
    },
  };
}

/** Metadata key under which a run says which of real Flink's durations the timing profile could not scale. */
export const UNSCALED_KEY = 'not scaled (real Flink)';

/**
 * What a scaled clock cannot speed up with real Flink, for the run's metadata (the report shows
 * it): at scale 0.1 each of these lasts ten times longer in scenario time than at StreamPark's.
 */
export function unscaledDurations(timeScale: number): Record<string, string> {
  if (timeScale === 1) return {};
  const factor = (1 / timeScale).toFixed(timeScale < 1 ? 0 : 2);
  return {
    [UNSCALED_KEY]:
      `time scale ${timeScale}: JobManager start after a restart (JVM and job submission, about 3 s wall), Flink's recovery states, ` +
      `cancelling and failing (about 2 s until the cluster shuts down), the application's shutdown delay, and the TaskManager heartbeat timeout (10 s) ` +
      `run at wall speed, so they last ${factor}× longer in scenario time than they would at StreamPark timing`,
  };
}
