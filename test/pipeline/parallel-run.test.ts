// A run on 1, 2 or 4 worker threads stores the same files, byte for byte but for wall-clock
// timings: the pool hands results to the store in task order, and a simulated run depends only
// on its scenario and seed, not on which thread ran it or what that thread ran before.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runAndStore } from '../../src/pipeline/run-and-store.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { comparableRun } from '../support/run-folder.ts';

const library = new URL('../../scenarios', import.meta.url).pathname;

async function runWith(workers: number) {
  const outDir = await mkdtemp(join(tmpdir(), `statuschaos-workers-${workers}-`));
  const scenarios = await loadScenarios([library]);
  await runAndStore({
    backend: simBackend,
    scenarios,
    variants: modelNames(),
    seed: 7,
    repeat: 1,
    profile: undefined,
    outDir,
    workDir: outDir,
    onProgress: () => {},
    workers: { count: workers, backendSettings: { env: {} }, stopGraceMs: 1_000 },
  });
  return comparableRun(outDir);
}

test('1, 2 and 4 workers store the same run.json, results.jsonl and lanes', async () => {
  const scenarios = await loadScenarios([library]);
  const one = await runWith(1);
  expect(one.results.trim().split('\n')).toHaveLength(scenarios.length);
  expect(Object.keys(one.runs)).toHaveLength(scenarios.length);
  for (const workers of [2, 4]) expect(await runWith(workers), `${workers} workers`).toEqual(one);
});
