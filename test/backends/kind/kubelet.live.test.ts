// A real kind cluster from the node image `npm run tools` built, and what its real kubelet does to
// the JobManager's real container, as the run's truth lane records it: a restart shows a moment
// after the kill (not at once, as kwok would), with restartCount + 1 and the kubelet's own reason
// (`Error`: a kill ends the process with 143), the pod ready again once the stub serves; a crash
// loop restarts the container on the kubelet's back-off, never ready. The trackers run as in any
// scenario; their verdicts on kind are the conformance test's business (conformance.live.test.ts).
// Afterwards nothing the run made is left.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { execa } from 'execa';
import { describe, expect, test } from 'vitest';
import { kindBackend } from '../../../src/backends/kind/backend.ts';
import { readFile } from 'node:fs/promises';
import type { TruthEntry } from '../../../src/record/truth.ts';
import { readRunRecord } from '../../../src/record/store.ts';
import { runAndStore } from '../../../src/pipeline/run-and-store.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import { LIBRARY } from '../../support/conformance.ts';
import { missingKind, withDockerEngine } from '../../support/kind.ts';

const missing = await missingKind();
const docker = async (args: string[]) => (await execa('docker', args)).stdout.trim().split('\n').filter(Boolean);

describe.skipIf(missing !== undefined)('a real kubelet on kind', () => {
  test('restart and crash loop: the kubelet\'s restarts, reasons and readiness in the truth lane; nothing left after', { timeout: 600_000 }, () =>
    withDockerEngine(join(tmpdir(), `kind-kubelet-dockerd-${process.pid}.log`), async () => {
      const networksBefore = await docker(['network', 'ls', '--format', '{{.Name}}']);
      const scenarios = await loadScenarios([join(LIBRARY, 'restart-without-fault.yaml'), join(LIBRARY, 'jobmanager-crash-loop.yaml')]);
      const outDir = await mkdtemp(join(tmpdir(), 'kind-kubelet-'));
      await runAndStore({ backend: await kindBackend({ env: process.env, workDir: outDir }), scenarios, variants: ['v2.1.4'], seed: 1, repeat: 1, profile: 'fast', outDir, workDir: outDir, onProgress: () => {} });
      const record = await readRunRecord(outDir);
      expect(record.metadata.backend).toBe('kind');
      const truthOf = async (name: string) => ({ lanes: (JSON.parse(await readFile(join(outDir, 'runs', `${name}-1.json`), 'utf8')) as { lanes: { truth: TruthEntry[] } }).lanes });
      const [restart, crashLoop] = await Promise.all(['restart-without-fault', 'jobmanager-crash-loop'].map(truthOf));

      // restart at 60 s: the pod shows it later (the kubelet's relist and restart), restarted once, the kubelet's reason, ready again
      const restarted = restart!.lanes.truth.find((entry) => (entry.pod?.restartCount ?? 0) > 0)!;
      expect(restarted.t).toBeGreaterThan(60_000);
      expect(restarted.pod).toMatchObject({ phase: 'Running', restartCount: 1, lastTerminated: 'Error' });
      expect(restart!.lanes.truth.at(-1)).toMatchObject({ pod: { restartCount: 1, ready: true }, restServing: true, jobs: { 'flink-demo': 'RUNNING' } });

      // crash loop at 60 s: restarted again and again on the back-off, never ready, REST never back
      const counts = crashLoop!.lanes.truth.map((entry) => entry.pod?.restartCount ?? 0);
      expect(Math.max(...counts)).toBeGreaterThanOrEqual(2);
      const after = crashLoop!.lanes.truth.filter((entry) => entry.t > 80_000);
      expect(after.every((entry) => entry.pod?.ready === false && !entry.restServing)).toBe(true);
      expect(crashLoop!.lanes.truth.at(-1)!.pod?.lastTerminated).toBe('Error');

      expect(await docker(['ps', '-a', '--filter', 'label=io.x-k8s.kind.cluster', '--format', '{{.Names}}'])).toEqual([]);
      expect(await docker(['network', 'ls', '--format', '{{.Name}}'])).toEqual(networksBefore);
    }),
  );
});
