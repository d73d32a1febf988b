import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { ControlPlaneError } from './errors.ts';
import { describeExit, logTail, type ManagedProcess } from '../../../processes/processes.ts';

/** Fetches `url` (http or https, TLS verified against `ca`), returning status and body; rejects on network errors. */
export function httpGet(url: string, options: { ca?: string; token?: string; timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        timeout: options.timeoutMs ?? 2_000,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 2_000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Throws a ControlPlaneError naming the first of `processes` that has exited, with its exit and log tail. */
export async function assertRunning(processes: readonly ManagedProcess[], while_: string): Promise<void> {
  const dead = processes.find((p) => p.exit !== undefined);
  if (dead === undefined) return;
  throw new ControlPlaneError(
    `${dead.name} exited (${describeExit(dead)}) while ${while_}; last 20 lines of ${dead.logPath}:\n${await logTail(dead.logPath)}`,
    { component: dead.name, ...(dead.exit?.code === undefined ? {} : { processExitCode: dead.exit.code }) },
  );
}

/**
 * Polls `check` until it returns a value other than undefined, failing fast if any of `processes`
 * exits, and with a ControlPlaneError after `timeoutMs` that names `what` and the owner's log tail.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal; processes: readonly ManagedProcess[]; owner?: ManagedProcess },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  let lastProblem = 'not ready yet';
  for (;;) {
    options.signal?.throwIfAborted();
    await assertRunning(options.processes, `waiting for ${what}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    if (performance.now() > deadline) {
      const owner = options.owner;
      const tail = owner === undefined ? '' : `; last 20 lines of ${owner.logPath}:\n${await logTail(owner.logPath)}`;
      throw new ControlPlaneError(`timed out after ${(options.timeoutMs / 1000).toFixed(0)} s waiting for ${what} (${lastProblem})${tail}`, {
        ...(owner === undefined ? {} : { component: owner.name }),
      });
    }
    // An abort during the pause rejects with the signal's own reason, not a generic AbortError.
    await sleep(options.intervalMs ?? 200, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => options.signal?.throwIfAborted());
  }
}
