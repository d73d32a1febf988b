// SIGTERM in the middle of a kind run (`statuschaos run --backend kind` as a user starts it):
// exit 143, and what the run made is gone: the cluster and its node container, the network kind
// made for it, the stub image the run built, Toxiproxy and every process it started. On a host
// that cannot run --privileged containers the run says, before the cluster is created, that it
// applies the workaround (docs/kind.md).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { readHostFacts } from '../../../src/backends/kind/host.ts';
import { findProcesses } from '../../support/processes.ts';
import { missingKind, withDockerEngine } from '../../support/kind.ts';
import { toolsBinDir } from '../../support/tools.ts';

const missing = await missingKind();
const root = new URL('../../..', import.meta.url).pathname;
const docker = async (args: string[]) => (await execa('docker', args)).stdout.trim().split('\n').filter(Boolean);

describe.skipIf(missing !== undefined)('interrupting a kind run', () => {
  test('SIGTERM mid-scenario: exit 143; no cluster, node container, network, built image or process left', { timeout: 300_000 }, () =>
    withDockerEngine(join(tmpdir(), `kind-interrupt-dockerd-${process.pid}.log`), async () => {
      const marker = `STATUSCHAOS_TEST_MARKER_${randomUUID()}`;
      const networksBefore = await docker(['network', 'ls', '--format', '{{.Name}}']);
      const imagesBefore = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
      const out = join(await mkdtemp(join(tmpdir(), 'kind-interrupt-')), 'run');
      const child = execa('node', ['bin/statuschaos.js', 'run', '--backend', 'kind', '--out', out, 'scenarios/incident-3618.yaml'], { cwd: root, env: { [marker]: '1' }, reject: false, all: true });
      let output = '';
      let exited = false;
      child.all!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      void child.then(() => (exited = true));
      const deadline = performance.now() + 240_000;
      while (!output.includes('running 6 variant(s)') && !exited && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(output).toContain('running 6 variant(s)');
      expect(await docker(['ps', '--filter', 'label=io.x-k8s.kind.cluster=statuschaos', '--format', '{{.Names}}'])).toEqual(['statuschaos-control-plane']);
      if ((await readHostFacts()).missingCapabilities.length > 0) expect(output).toMatch(/this host cannot start --privileged containers .*applying the workaround of docs\/kind\.md/);
      child.kill('SIGTERM');
      const result = await child;
      // 143, or the signal itself when the CLI re-raises it after its cleanup
      expect(result.exitCode === 143 || result.signal === 'SIGTERM').toBe(true);
      expect(result.all).toMatch(/deleting kind cluster statuschaos/);
      expect((await execa(join(toolsBinDir, 'kind'), ['get', 'clusters'])).stdout).not.toContain('statuschaos');
      expect(await docker(['ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster', '--format', '{{.Names}}'])).toEqual([]);
      expect(await docker(['network', 'ls', '--format', '{{.Name}}'])).toEqual(networksBefore);
      // the same images; `docker image ls` lists them in no fixed order after a restart of the engine
      expect((await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).sort()).toEqual([...imagesBefore].sort());
      expect(await findProcesses(async (pid) => (await readFile(`/proc/${pid}/environ`, 'latin1')).includes(marker))).toEqual([]);
    }),
  );
});
