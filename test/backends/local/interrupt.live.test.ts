// Ctrl-C in the middle of a live run stops the scenario at once and leaves nothing behind: no
// process, no proxy, no port (measured: about 1.4 s from the signal to the exit, issue 13's aim
// being 3 s); a second signal during the cleanup gives up on it and says what is left.
import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { findProcesses, portRefused } from '../../support/processes.ts';
import { missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'toxiproxy-server']);
const root = new URL('../../..', import.meta.url).pathname;

/** PIDs of live processes whose environment carries the marker (our children inherit it). */
const processesWithMarker = (marker: string) => findProcesses(async (pid) => (await readFile(`/proc/${pid}/environ`, 'latin1')).includes(marker));

/** Start a live run of incident-3618 and resolve once its trackers run (the proxies' ports, the output so far). */
async function startLiveRun(marker: string) {
  const out = await mkdtemp(join(tmpdir(), 'interrupt-'));
  const child = execa('node', ['bin/statuschaos.js', 'run', '--backend', 'local', '--out', join(out, 'run'), 'scenarios/incident-3618.yaml'], {
    cwd: root,
    env: { [marker]: '1' },
    reject: false,
    all: true,
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the run never started:\n${output}`)), 60_000);
    child.all!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('running 6 variant(s)')) {
        clearTimeout(timer);
        setTimeout(resolve, 2_000); // a few polls and the first faults in flight
      }
    });
  });
  const ports = [...output.matchAll(/(?:apiserver|flink-rest) 127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
  return { child, ports, out: join(out, 'run'), output: () => output };
}

describe.skipIf(missing !== undefined)('interrupting a live run', () => {
  test('SIGINT mid-scenario: exit 130 within seconds, and every process, proxy and port is gone', { timeout: 120_000 }, async () => {
    const marker = `STATUSCHAOS_TEST_MARKER_${randomUUID()}`;
    const { child, ports } = await startLiveRun(marker);
    expect(await processesWithMarker(marker)).not.toEqual([]);
    expect(ports).toHaveLength(2);
    const sent = performance.now();
    child.kill('SIGINT');
    const result = await child;
    const stopSeconds = (performance.now() - sent) / 1000;
    console.info(`live run stopped and cleaned up ${stopSeconds.toFixed(1)} s after SIGINT`);
    expect(stopSeconds).toBeLessThan(10); // the cleanup does not wait out grace periods or a terminating namespace (about 1.4 s here)
    expect(result.exitCode).toBe(130);
    expect(result.all).toContain('interrupted; everything it started was cleaned up');
    expect(await processesWithMarker(marker)).toEqual([]);
    for (const port of ports) expect(await portRefused(port)).toBe(true);
  });

  test('a second SIGTERM during the cleanup gives up on it, says what was left (and kills the processes): exit 143', { timeout: 120_000 }, async () => {
    const marker = `STATUSCHAOS_TEST_MARKER_${randomUUID()}`;
    const { child, output } = await startLiveRun(marker);
    child.kill('SIGTERM');
    // the second once the first is handled: two SIGTERMs pending at once are delivered as one
    const deadline = performance.now() + 10_000;
    while (!/SIGTERM[^\n]*: stopping/.test(output()) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(result.all).toMatch(/SIGTERM again: cleanup abandoned; (left behind:\n(  - .*\n?)+|nothing it started is known to be left)/);
    expect(await processesWithMarker(marker)).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)('interrupting a live run during an etcd fault on a kept control plane', () => {
  test('SIGINT while etcd is faulted: exit 130, the control plane’s etcd proxy is left enabled and clean', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interrupt-etcd-'));
    // the output folder beside the cluster folder: a run refuses one inside its inputs
    const out = await mkdtemp(join(tmpdir(), 'interrupt-etcd-out-'));
    const cli = (args: string[], options: { all?: boolean } = {}) => execa('node', ['bin/statuschaos.js', ...args], { cwd: root, reject: false, ...options });
    expect((await cli(['cluster', 'up', '--cluster-dir', dir])).exitCode).toBe(0);
    try {
      const state = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as { etcdProxy: { apiUrl: string; name: string } };
      const proxy = async () => (await (await fetch(`${state.etcdProxy.apiUrl}/proxies/${state.etcdProxy.name}`)).json()) as { enabled: boolean; toxics: unknown[] };
      const child = cli(['run', '--backend', 'local', '--cluster-dir', dir, '--out', join(out, 'run'), 'scenarios/etcd-outage-during-restart.yaml'], { all: true });
      let exited = false;
      void child.then(() => (exited = true));
      const deadline = Date.now() + 120_000;
      while ((await proxy()).toxics.length === 0) {
        if (exited) throw new Error(`the run ended before its etcd fault:\n${(await child).all}`);
        if (Date.now() > deadline) throw new Error('the etcd fault was never applied');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).toBe(130);
      expect(await proxy()).toMatchObject({ enabled: true, toxics: [] });
    } finally {
      expect((await cli(['cluster', 'down', '--cluster-dir', dir])).exitCode).toBe(0);
    }
  });
});
