import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { Toxiproxy } from 'toxiproxy-node-client';
import { FaultInjectionError } from './errors.ts';
import { freeLocalPort } from './free-port.ts';
import { noteStarted } from '../../../processes/leftovers.ts';

const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;
const POLL_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 1_000;
const LOG_TAIL_LINES = 20;

/** How the server process ended; both undefined if execa could not tell. */
export interface ServerExit {
  code: number | undefined;
  signal: string | undefined;
}

/** A running toxiproxy-server whose HTTP API answers on 127.0.0.1. */
export interface ToxiproxyServer {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:34567`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** As `GET /version` reports it, e.g. `2.12.0`. */
  readonly version: string;
  readonly logFile: string;
  /** Settles (never rejects) once the process has exited. */
  readonly exited: Promise<ServerExit>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. Safe to call any number of times. */
  stop(): Promise<void>;
}

export interface StartToxiproxyServerOptions {
  /** Defaults to `defaultToxiproxyBinary()`. */
  binary?: string;
  /** stdout and stderr of the server are appended here. */
  logFile: string;
  /** Aborting cancels a start in progress (the promise rejects) or stops a started server. */
  signal?: AbortSignal;
  /** How long the API may take to answer after spawn; default 10 s. */
  readyTimeoutMs?: number;
  /** How long SIGTERM is given before SIGKILL; default 2 s. */
  stopGraceMs?: number;
  /** Picks the API port to try; default: one the OS hands out. Tests pass a taken port to exercise the retry. */
  pickPort?: () => Promise<number>;
}

/** Returns where `npm run tools` puts toxiproxy-server: `$STATUSCHAOS_TOOLS_DIR/bin`, else `<project>/.tools/bin`. */
export function defaultToxiproxyBinary(env: NodeJS.ProcessEnv = process.env): string {
  const toolsDir = env.STATUSCHAOS_TOOLS_DIR ?? resolve(import.meta.dirname, '..', '..', '..', '..', '.tools');
  return resolve(toolsDir, 'bin', 'toxiproxy-server');
}

/** Starts toxiproxy-server on 127.0.0.1 and a free port and resolves once its API answers; rejects with the log tail if it dies or stays silent. */
export async function startToxiproxyServer(options: StartToxiproxyServerOptions): Promise<ToxiproxyServer> {
  const binary = options.binary ?? defaultToxiproxyBinary();
  if (!existsSync(binary)) {
    throw new FaultInjectionError(`toxiproxy-server not found at ${binary}; run \`npm run tools\`, set STATUSCHAOS_TOOLS_DIR, or pass \`binary\``);
  }
  options.signal?.throwIfAborted();
  // A proxy only this process knows, loaded from its startup config: when the API at our port
  // shows it, the API is ours and not another server that won the race for the port.
  const sentinel = `statuschaos-ready-${randomBytes(6).toString('hex')}`;
  // next to the log (inside the run's folder), not in /tmp: nothing outside the output folder is written
  const configDir = await mkdtemp(join(dirname(options.logFile), '.toxiproxy-'));
  try {
    const configPath = join(configDir, 'sentinel.json');
    await writeFile(configPath, JSON.stringify([{ name: sentinel, listen: `${HOST}:0`, upstream: `${HOST}:9`, enabled: false }]));
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      const port = await (options.pickPort ?? freeLocalPort)();
      const started = await startOnce({ ...options, binary, port, configPath, sentinel, attempt });
      if (started !== 'port-taken') return started;
    }
    throw new FaultInjectionError(`toxiproxy-server lost the race for a free port ${PORT_ATTEMPTS} times in a row; is something grabbing ports on ${HOST}? See ${options.logFile}`);
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
}

interface AttemptOptions extends StartToxiproxyServerOptions {
  binary: string;
  port: number;
  configPath: string;
  sentinel: string;
  attempt: number;
}

/** One spawn on one port: the ready server, or 'port-taken' if another process bound the port first. */
async function startOnce(options: AttemptOptions): Promise<ToxiproxyServer | 'port-taken'> {
  const { binary, port, logFile, signal } = options;
  const url = `http://${HOST}:${port}`;
  const logOffset = appendLine(logFile, `# statuschaos: starting ${binary} on ${HOST}:${port} (attempt ${options.attempt})`);
  // cleanup: execa kills the server if this Node process exits without stop().
  const child = execa(binary, ['-host', HOST, '-port', String(port), '-config', options.configPath], {
    stdin: 'ignore',
    stdout: { file: logFile, append: true },
    stderr: { file: logFile, append: true },
    reject: false,
    cleanup: true,
    forceKillAfterDelay: false,
  });
  let exit: ServerExit | undefined;
  const exited: Promise<ServerExit> = child.then(
    (result) => (exit = { code: result.exitCode, signal: result.signal }),
    () => (exit = { code: undefined, signal: undefined }),
  );
  const graceMs = options.stopGraceMs ?? 2_000;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= terminate(child, exited, () => exit !== undefined, graceMs));

  try {
    if (child.pid === undefined) {
      await exited;
      throw new FaultInjectionError(`could not start ${binary}; see ${logFile}`);
    }
    const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
    for (;;) {
      signal?.throwIfAborted();
      if (exit !== undefined) {
        throw new FaultInjectionError(`toxiproxy-server exited (${describeExit(exit)}) before its API answered on ${url}; last lines of ${logFile}:\n${await logTail(logFile, logOffset)}`);
      }
      // The server logs a failed bind and keeps running, so the log is where a lost race shows.
      if ((await readFrom(logFile, logOffset)).includes('address already in use')) {
        await stop();
        return 'port-taken';
      }
      if (await showsProxy(url, options.sentinel)) break;
      if (Date.now() > deadline) {
        throw new FaultInjectionError(`toxiproxy-server did not answer on ${url} within ${options.readyTimeoutMs ?? 10_000} ms; last lines of ${logFile}:\n${await logTail(logFile, logOffset)}`);
      }
      await sleep(POLL_INTERVAL_MS, undefined, signal === undefined ? {} : { signal });
    }
    const client = new Toxiproxy(url);
    await (await client.get(options.sentinel)).remove();
    const version = parseVersion(await client.getVersion());
    const pid = child.pid;
    void exited.finally(noteStarted(`process toxiproxy-server (pid ${pid}): killed as statuschaos exits, with its proxies and toxics`));
    if (signal !== undefined) {
      const onAbort = (): void => void stop();
      signal.addEventListener('abort', onAbort, { once: true });
      void exited.finally(() => signal.removeEventListener('abort', onAbort));
    }
    return { url, host: HOST, port, pid, version, logFile, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sends SIGTERM, waits up to `graceMs`, then SIGKILL; resolves once the process has exited. */
async function terminate(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<ServerExit>, hasExited: () => boolean, graceMs: number): Promise<void> {
  if (hasExited()) return;
  child.kill('SIGTERM');
  const timer = sleep(graceMs, 'grace-over' as const, { ref: false });
  if ((await Promise.race([exited, timer])) === 'grace-over') child.kill('SIGKILL');
  await exited;
}

/** True if the API at `url` answers and lists the proxy `name`; false on any failure. */
async function showsProxy(url: string, name: string): Promise<boolean> {
  return (await proxyStatus(url, name, PROBE_TIMEOUT_MS)) === 200;
}

/**
 * The HTTP status of `GET /proxies/<name>` on the API at `url` (200 listed, 404 not), or undefined
 * when no answer came within `timeoutMs`. fetch rather than toxiproxy-node-client: the client has
 * no request timeout, and a foreign process holding the port might never answer.
 */
export async function proxyStatus(url: string, name: string, timeoutMs: number): Promise<number | undefined> {
  try {
    const response = await fetch(`${url}/proxies/${name}`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/** Reads `{"version": "2.12.0"}` (v2.x) or a bare version string (older servers). */
function parseVersion(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { version?: unknown }).version === 'string') {
      return (parsed as { version: string }).version;
    }
  } catch {
    // not JSON: fall through
  }
  return body.trim();
}

/** Appends one line to the file and returns the file's length after it: where the server's output starts. */
function appendLine(path: string, line: string): number {
  appendFileSync(path, `${line}\n`);
  return statSync(path).size;
}

async function readFrom(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size <= offset) return '';
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

async function logTail(path: string, offset: number): Promise<string> {
  const text = (await readFrom(path, offset).catch((error: Error) => `(could not read: ${error.message})`)).trimEnd();
  return text === '' ? '(empty)' : text.split('\n').slice(-LOG_TAIL_LINES).join('\n');
}

function describeExit(exit: ServerExit): string {
  if (exit.signal !== undefined) return `signal ${exit.signal}`;
  return exit.code === undefined ? 'could not be spawned' : `exit code ${exit.code}`;
}
