/**
 * The Flink JobManager of one live scenario, as the session drives and observes it. Three kinds:
 *   - in this process (local, kubeconfig): a FlinkCluster and its REST stub on 127.0.0.1; the
 *     session tells it when the JobManager goes down and comes back;
 *   - real Flink JVMs on this machine (local with `--flink real`): the session's actions kill and
 *     start them (src/backends/local/flink/real-flink-side.ts);
 *   - in the JobManager container (kind): the stub image or a real Flink, which really stops when
 *     its container is killed; the session only watches it (src/backends/kind/container-flink.ts).
 */
import type { ArchiveDir } from '../../models/ports.ts';
import type { FlinkJobState } from '../../states.ts';
import type { ScenarioApp } from '../../scenario/types.ts';
import { FlinkCluster, type ClusterClock } from '../flink/flink-cluster.ts';
import { startFlinkRestStub } from '../flink/flink-rest-stub.ts';
import { ARCHIVE_SUBFOLDER, writeArchiveFile } from '../flink/archive-file.ts';
import { join } from 'node:path';

export interface FlinkSide {
  /** `host:port` the `flink-rest` proxy forwards to */
  readonly upstream: string;
  /** resolves once the REST endpoint serves and every job runs: the scenario may start */
  ready(signal?: AbortSignal): Promise<void>;
  isServing(): boolean;
  /** Flink's view of each job by name ('not listed' while it recovers) */
  jobStates(): Record<string, string>;
  /** the history archive (not behind the network), as a reader of `dir` finds it */
  archivedState(jobId: string, dir: ArchiveDir): FlinkJobState | undefined;
  /** where on this machine Flink writes its archive files, when the scenario has it write them (a tracker with its own file reads them there) */
  readonly archiveFolder?: string;
  /** the JobManager process stopped; back after `backAfterMs` scenario ms (undefined: for good) */
  jobManagerStopped(backAfterMs: number | undefined): void;
  failJob(name: string): Promise<void>;
  finishJob(name: string): Promise<void>;
  /** stop watching and serving; safe to call twice */
  close(): Promise<void>;
}

export interface FlinkSideContext {
  app: ScenarioApp;
  /** the session's scenario clock */
  clock: ClusterClock;
  /** something Flink-side changed (the truth lane takes a snapshot) */
  onChange: () => void;
  /** application mode: the job ended and Flink shut its cluster down (delete its Deployment) */
  onShutdown: () => void;
  /** this scenario run's folder, where a real cluster keeps its files and logs (live sessions set it) */
  runDir?: string;
  /** the scenario's namespace on a live cluster (live sessions set it) */
  namespace?: string;
  onProgress?: (message: string) => void;
}

/** The in-process JobManager: a FlinkCluster on the session's clock and its REST stub on 127.0.0.1. */
export async function inProcessFlink(context: FlinkSideContext): Promise<FlinkSide> {
  let sync: () => void = () => {};
  // the stub writes the archive file where real Flink would, for trackers that read files
  const archiveFolder = context.app.archive !== 'none' && context.runDir !== undefined ? join(context.runDir, 'flink', ARCHIVE_SUBFOLDER) : undefined;
  const flink = new FlinkCluster(context.app, context.clock, {
    onChange: () => {
      sync();
      context.onChange();
    },
    onShutdown: context.onShutdown,
    ...(archiveFolder !== undefined ? { onArchived: (job: { jid: string; name: string; state: FlinkJobState }) => void writeArchiveFile(archiveFolder, job).catch((error: unknown) => context.onProgress?.(`could not write the archive of ${job.name}: ${String(error)}`)) } : {}),
  });
  const stub = await startFlinkRestStub(flink);
  sync = () => void stub.sync();
  let closed = false;
  return {
    upstream: `127.0.0.1:${stub.port}`,
    ...(archiveFolder !== undefined ? { archiveFolder } : {}),
    ready: async () => {},
    isServing: () => flink.isServing(),
    jobStates: () => flink.jobStates(),
    archivedState: (jobId, dir) => flink.archivedState(jobId, dir),
    jobManagerStopped(backAfterMs) {
      flink.jobManagerDown();
      if (backAfterMs !== undefined) context.clock.setTimeout(() => flink.jobManagerUp(), backAfterMs);
    },
    failJob: async (name) => flink.failJob(name),
    finishJob: async (name) => flink.finishJob(name),
    async close() {
      if (closed) return;
      closed = true;
      flink.dispose();
      await stub.close();
    },
  };
}
