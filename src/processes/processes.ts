import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { noteStarted } from './leftovers.ts';

/** One long-running process of the control plane, its log file, and how it ended (if it did). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Settles when the process has exited; never rejects. */
  readonly exited: Promise<void>;
  /** Undefined while running. */
  exit: { code: number | undefined; signal: string | undefined } | undefined;
}

// Safety net: if the Node process exits without stop() (a crashed test run), still kill every
// process group started here, so no etcd or API server outlives its harness.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  });
}

/** Sends `signal` to the process group `pid` leads; false if it is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Returns true if a process with this PID still exists (zombies included). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts `file` in its own process group with stdout and stderr appended to `logPath`. */
export function startProcess(name: string, file: string, args: readonly string[], options: { logPath: string; env?: Record<string, string>; cwd?: string; outliveHarness?: boolean }): ManagedProcess {
  return launch(name, file, args, options, false).managed;
}

/** A process the harness talks to: its stdin and stdout are pipes, its stderr goes to `logPath`. */
export interface TalkingProcess extends ManagedProcess {
  readonly stdin: Writable;
  readonly stdout: Readable;
}

/** Starts `file` in its own process group, stdin and stdout piped to this process, stderr appended to `logPath`. */
export function startTalkingProcess(name: string, file: string, args: readonly string[], options: { logPath: string; env?: Record<string, string>; cwd?: string }): TalkingProcess {
  const { managed, subprocess } = launch(name, file, args, options, true);
  if (subprocess.stdin === null || subprocess.stdout === null) throw new Error(`could not open the pipes of ${name}`);
  return Object.assign(managed, { stdin: subprocess.stdin, stdout: subprocess.stdout });
}

function launch(name: string, file: string, args: readonly string[], options: { logPath: string; env?: Record<string, string>; cwd?: string; outliveHarness?: boolean }, talking: boolean) {
  installExitHook();
  const fd = openSync(options.logPath, 'a');
  const subprocess = execa(file, args, {
    detached: true,
    cleanup: false,
    reject: false,
    // The child writes straight into the log file (no piping through this process). execa's
    // types take a descriptor only as a numeric literal, hence the cast.
    stdio: [talking ? 'pipe' : 'ignore', talking ? 'pipe' : (fd as 3), fd as 3],
    // a talking process's output is read line by line as it comes, never gathered
    buffer: false,
    env: options.env ?? {},
    cwd: options.cwd,
  });
  const pid = subprocess.pid;
  if (pid === undefined) {
    closeSync(fd);
    throw new Error(`could not start ${name} (${file})`);
  }
  let noted = () => {};
  if (options.outliveHarness) {
    // `statuschaos cluster up`: the processes keep running, and must not keep this one alive
    void Promise.resolve(subprocess.nodeChildProcess).then((child) => child.unref());
    closeSync(fd);
  } else {
    liveGroups.add(pid);
    noted = noteStarted(`process ${name} (pid ${pid}): killed (SIGKILL) as statuschaos exits; its log stays in ${dirname(options.logPath)}`);
  }
  const managed: ManagedProcess = {
    name,
    pid,
    logPath: options.logPath,
    exit: undefined,
    exited: subprocess.then(
      (result) => {
        managed.exit = { code: result.exitCode, signal: result.signal };
      },
      () => {
        managed.exit = { code: undefined, signal: undefined };
      },
    ).finally(() => {
      liveGroups.delete(pid);
      noted();
      if (!options.outliveHarness) closeSync(fd);
    }),
  };
  return { managed, subprocess };
}

/** Stops a process group: SIGTERM, then SIGKILL after `graceMs`; resolves once the leader has exited. Never throws. */
export async function stopProcess(process_: ManagedProcess, graceMs = 5_000): Promise<void> {
  if (process_.exit === undefined) signalGroup(process_.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([process_.exited.then(() => 'exited' as const), grace]);
  clearTimeout(timer);
  // Kill what is left of the group either way: a leader that exited may leave children behind.
  signalGroup(process_.pid, 'SIGKILL');
  if (outcome === 'timeout') await process_.exited;
}

/** Kills a process group at once (SIGKILL, no grace: a crash, not a shutdown); resolves once the leader has exited. */
export async function killProcess(process_: ManagedProcess): Promise<void> {
  signalGroup(process_.pid, 'SIGKILL');
  await process_.exited;
}

/** Returns the last `count` lines of a log file, or a note that it could not be read. */
export async function logTail(logPath: string, count = 20): Promise<string> {
  try {
    const lines = (await readFile(logPath, 'utf8')).trimEnd().split('\n');
    return lines.slice(-count).join('\n');
  } catch (error) {
    return `(could not read ${logPath}: ${(error as Error).message})`;
  }
}

/** Describes how a process ended, e.g. `exit code 1` or `signal SIGKILL`. */
export function describeExit(process_: ManagedProcess): string {
  if (process_.exit === undefined) return 'still running';
  if (process_.exit.signal !== undefined) return `signal ${process_.exit.signal}`;
  return process_.exit.code === undefined ? 'unknown exit' : `exit code ${process_.exit.code}`;
}
