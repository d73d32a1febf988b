/**
 * The Docker engine kind needs, shared by everything that uses it on this machine: `npm run
 * tools` (it builds the images), the kind backend, its tests and benchmarks. A daemon that
 * answers is used as it is and never stopped. One that does not, where `dockerd` is installed and
 * we are root, is started here and marked as started by statuschaos; each user holds a lease (a
 * file named after its pid and a random suffix: one process may hold several, a test and the
 * backend it runs) and the last lease to be released stops a daemon statuschaos started.
 * A daemon the user started (no mark) is never stopped.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

/** Where the leases and the mark live: /run is emptied by a reboot, as a daemon's life is. */
export const ENGINE_STATE_DIR = process.env.STATUSCHAOS_DOCKER_STATE ?? '/run/statuschaos-docker';
const MARK = 'started-by-statuschaos';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/**
 * Published ports by the kernel's NAT rather than docker-proxy: a connection to a JobManager that
 * is down is then refused by its pod's address at once, where docker-proxy accepts it and resets
 * it only after its own dial has failed (seconds on a loaded machine; the trackers would see hangs
 * a real NodePort does not make).
 */
const DOCKERD_ARGS = ['--userland-proxy=false'];

export interface DockerEngineLease {
  /** the daemon's version (`docker info`) */
  version: string;
  /** this lease started the daemon (the log says where its output goes) */
  started: { pid: number; logFile: string } | undefined;
  /** give the lease back; stops the daemon when statuschaos started it and no other lease is held. Says what it did. */
  release(): Promise<string | undefined>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The daemon's version, or undefined when `docker info` gets no answer. */
export async function dockerServerVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const result = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { env, reject: false, timeout: 15_000, stdin: 'ignore' });
  const version = result.stdout.trim();
  return result.exitCode === 0 && version !== '' ? version : undefined;
}

/** The leases held by live processes (a dead process's lease is removed), as file names. */
async function liveLeases(): Promise<string[]> {
  const names = await readdir(join(ENGINE_STATE_DIR, 'leases')).catch(() => [] as string[]);
  const live: string[] = [];
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) live.push(name);
    else await rm(join(ENGINE_STATE_DIR, 'leases', name), { force: true });
  }
  return live;
}

/** Start `dockerd` in the background, its output in `logFile`, and wait until it answers. */
async function startDaemon(env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  const fd = openSync(logFile, 'a');
  const child = spawn('dockerd', DOCKERD_ARGS, { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('dockerd did not start (no pid)');
  const deadline = performance.now() + START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || !alive(pid)) break;
    if ((await dockerServerVersion(env)) !== undefined) return pid;
    await sleep(250);
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-15).join('\n');
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  throw new Error(`dockerd did not answer within ${START_TIMEOUT_MS / 1000} s (log ${logFile}):\n${tail}`);
}

/**
 * A lease on a running Docker engine: the daemon that answers, or one started here. Throws with
 * what to do when there is none and none can be started (not installed, not root).
 */
export async function acquireDockerEngine(options: { env?: NodeJS.ProcessEnv; logFile: string; onProgress?: (message: string) => void }): Promise<DockerEngineLease> {
  const env = options.env ?? process.env;
  await mkdir(join(ENGINE_STATE_DIR, 'leases'), { recursive: true });
  const leaseName = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const lease = join(ENGINE_STATE_DIR, 'leases', leaseName);
  await writeFile(lease, `${new Date().toISOString()}\n`);
  let started: DockerEngineLease['started'];
  let version = await dockerServerVersion(env);
  if (version === undefined) {
    const dockerd = await execa('sh', ['-c', 'command -v dockerd'], { env, reject: false });
    if (dockerd.exitCode !== 0 || process.getuid?.() !== 0) {
      await rm(lease, { force: true });
      throw new Error(dockerd.exitCode !== 0 ? 'the Docker daemon is not running and dockerd is not installed (Debian: `apt-get install docker.io`, or `npm run tools` as root)' : 'the Docker daemon is not running, and only root can start it here (`sudo dockerd &`, or `sudo systemctl start docker`)');
    }
    options.onProgress?.(`docker: the daemon is not running; starting dockerd (output in ${options.logFile}); it is stopped when the last statuschaos user of it is done`);
    try {
      const pid = await startDaemon(env, options.logFile);
      await writeFile(join(ENGINE_STATE_DIR, MARK), `${pid}\n`);
      started = { pid, logFile: options.logFile };
      version = (await dockerServerVersion(env)) ?? 'unknown';
    } catch (error) {
      await rm(lease, { force: true });
      throw error;
    }
  }
  let released = false;
  return {
    version,
    started,
    async release() {
      if (released) return undefined;
      released = true;
      await rm(lease, { force: true });
      const mark = Number((await readFile(join(ENGINE_STATE_DIR, MARK), 'utf8').catch(() => '')).trim());
      if (!Number.isInteger(mark) || mark <= 0 || !alive(mark)) return undefined;
      const others = (await liveLeases()).filter((name) => name !== leaseName);
      if (others.length > 0) return `docker: dockerd (pid ${mark}) left running for ${others.length} other statuschaos lease(s) (pids ${[...new Set(others.map((name) => name.split('-')[0]))].join(', ')})`;
      process.kill(mark, 'SIGTERM');
      const deadline = performance.now() + STOP_TIMEOUT_MS;
      while (alive(mark) && performance.now() < deadline) await sleep(200);
      if (alive(mark)) return `docker: dockerd (pid ${mark}) did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; stop it with \`kill ${mark}\``;
      await rm(join(ENGINE_STATE_DIR, MARK), { force: true });
      return `docker: stopped dockerd (pid ${mark}), which statuschaos had started`;
    },
  };
}
