// Ctrl-C in the middle of a live run leaves nothing behind: no process, no proxy, no port.
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

describe.skipIf(missing !== undefined)('interrupting a live run', () => {
  test('SIGINT mid-scenario: exit 130, and every process, proxy and port is gone', { timeout: 120_000 }, async () => {
    const marker = `STATUSCHAOS_TEST_MARKER_${randomUUID()}`;
    const out = await mkdtemp(join(tmpdir(), 'interrupt-'));
    const child = execa('node', ['bin/statuschaos.js', 'run', '--backend', 'local', '--out', out, 'scenarios/incident-3618.yaml'], {
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
    expect(await processesWithMarker(marker)).not.toEqual([]);
    const ports = [...output.matchAll(/(?:apiserver|flink-rest) 127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(ports).toHaveLength(2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.all).toContain('interrupted');
    expect(await processesWithMarker(marker)).toEqual([]);
    for (const port of ports) expect(await portRefused(port)).toBe(true);
  });
});

describe.skipIf(missing !== undefined)('interrupting a live run during an etcd fault on a kept control plane', () => {
  test('SIGINT while etcd is faulted: exit 130, the control plane’s etcd proxy is left enabled and clean', { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'interrupt-etcd-'));
    const cli = (args: string[], options: { all?: boolean } = {}) => execa('node', ['bin/statuschaos.js', ...args], { cwd: root, reject: false, ...options });
    expect((await cli(['cluster', 'up', '--cluster-dir', dir])).exitCode).toBe(0);
    try {
      const state = JSON.parse(await readFile(join(dir, 'cluster.json'), 'utf8')) as { etcdProxy: { apiUrl: string; name: string } };
      const proxy = async () => (await (await fetch(`${state.etcdProxy.apiUrl}/proxies/${state.etcdProxy.name}`)).json()) as { enabled: boolean; toxics: unknown[] };
      const child = cli(['run', '--backend', 'local', '--cluster-dir', dir, '--out', join(dir, 'out'), 'scenarios/etcd-outage-during-restart.yaml'], { all: true });
      const deadline = Date.now() + 120_000;
      while ((await proxy()).toxics.length === 0) {
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
