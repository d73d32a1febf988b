/**
 * The JVMs of one real Flink application cluster on this machine (JobManager, TaskManager,
 * ZooKeeper with HA), each in its own process group with its output in the logs folder, as the
 * control plane's processes are (shared/processes.ts): stopped with the session, and killed by
 * the exit hook if this process dies first.
 */
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startProcess, stopProcess, type ManagedProcess } from '../../../processes/processes.ts';
import { clusterPaths, jobManagerCommand, taskManagerCommand, zooKeeperCommand, type ClusterLayout, type ProcessCommand } from './flink-commands.ts';
import type { FlinkInstall } from './flink-install.ts';

export type FlinkRole = 'jobmanager' | 'taskmanager' | 'zookeeper';

/** A JVM that exited by itself (not stopped or killed by the harness). */
export interface FlinkExit {
  role: FlinkRole;
  pid: number;
  code: number | undefined;
  signal: string | undefined;
}

export class FlinkProcesses {
  readonly install: FlinkInstall;
  readonly layout: ClusterLayout;
  private readonly env: NodeJS.ProcessEnv;
  private readonly running = new Map<FlinkRole, ManagedProcess>();
  /** every pid this cluster ever started (tests check that none outlives the session) */
  readonly startedPids: number[] = [];
  private readonly onExit: (exit: FlinkExit) => void;

  constructor(install: FlinkInstall, layout: ClusterLayout, env: NodeJS.ProcessEnv, onExit: (exit: FlinkExit) => void = () => {}) {
    this.install = install;
    this.layout = layout;
    this.env = env;
    this.onExit = onExit;
  }

  /** Create the cluster's folders and its configuration (a copy of the installed conf/). */
  async prepare(): Promise<void> {
    const paths = clusterPaths(this.layout);
    for (const dir of [paths.conf, paths.tmp, join(paths.tmp, 'web'), paths.work, paths.archive, paths.triggers, paths.ha, paths.zooKeeperData, this.layout.logsDir]) await mkdir(dir, { recursive: true });
    for (const file of await readdir(this.install.confDir)) await copyFile(join(this.install.confDir, file), join(paths.conf, file));
  }

  pid(role: FlinkRole): number | undefined {
    const process_ = this.running.get(role);
    return process_?.exit === undefined ? process_?.pid : undefined;
  }

  isRunning(role: FlinkRole): boolean {
    return this.pid(role) !== undefined;
  }

  startJobManager(): ManagedProcess {
    return this.start('jobmanager', jobManagerCommand(this.install, this.layout));
  }

  startTaskManager(): ManagedProcess {
    return this.start('taskmanager', taskManagerCommand(this.install, this.layout));
  }

  startZooKeeper(): ManagedProcess {
    return this.start('zookeeper', zooKeeperCommand(this.install, this.layout));
  }

  /** SIGKILL, as the kernel ends a container (OOMKilled) or a crashed JVM: no shutdown hooks, no goodbye to ZooKeeper or the TaskManager. */
  async kill(role: FlinkRole): Promise<void> {
    const process_ = this.running.get(role);
    if (process_ === undefined) return;
    this.running.delete(role);
    if (process_.exit === undefined) {
      try {
        process.kill(-process_.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await process_.exited;
  }

  /** Stop one process: SIGTERM (the JVM's shutdown hooks run), SIGKILL after `graceMs`. */
  async stop(role: FlinkRole, graceMs = 5_000): Promise<void> {
    const process_ = this.running.get(role);
    if (process_ === undefined) return;
    this.running.delete(role);
    await stopProcess(process_, graceMs);
  }

  /** Stop every process of the cluster; safe to call twice. */
  async stopAll(): Promise<void> {
    for (const role of ['jobmanager', 'taskmanager', 'zookeeper'] as const) await this.stop(role);
  }

  private start(role: FlinkRole, command: ProcessCommand): ManagedProcess {
    if (this.isRunning(role)) throw new Error(`the ${role} of ${this.layout.dir} is already running (pid ${this.pid(role)})`);
    const process_ = startProcess(`flink-${role}`, command.file, command.args, {
      logPath: join(this.layout.logsDir, `flink-${role}.out`),
      // FLINK_LIB_DIR: the entrypoint finds the job jar in the usrlib/ beside it and ships it to the TaskManager
      env: { ...stringEnv(this.env), FLINK_LIB_DIR: this.install.libDir },
      cwd: this.install.home,
    });
    this.running.set(role, process_);
    this.startedPids.push(process_.pid);
    void process_.exited.then(() => {
      // still registered: it ended by itself rather than through kill() or stop()
      if (this.running.get(role) !== process_) return;
      this.running.delete(role);
      this.onExit({ role, pid: process_.pid, code: process_.exit?.code, signal: process_.exit?.signal });
    });
    return process_;
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
