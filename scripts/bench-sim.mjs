#!/usr/bin/env node
// Benchmark of the simulation backend: the whole scenario library with StreamPark timings, all
// variants, measured side by side in one process on one thread and on one worker per core.
// Prints virtual seconds simulated per wall second ("sim speedup") and runs per second.
// Usage: npm run bench:sim [-- --rounds N --scenarios DIR]
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { argv } from 'zx';

const rounds = Number(argv.rounds ?? 3);
const scenarioDir = argv.scenarios ?? new URL('../scenarios', import.meta.url).pathname;

async function runShare(files, seed) {
  const { loadScenarios } = await import('../src/scenario/files.ts');
  const { runScenario } = await import('../src/runner/run-scenario.ts');
  const { simBackend } = await import('../src/backends/sim/backend.ts');
  const { modelNames } = await import('../src/models/registry.ts');
  const scenarios = await loadScenarios(files);
  let virtualMs = 0;
  for (const scenario of scenarios) {
    await runScenario(scenario, { backend: simBackend, variants: modelNames(), seed, runDir: '/tmp/statuschaos-bench' });
    virtualMs += scenario.durationMs;
  }
  return { virtualMs, runs: scenarios.length };
}

if (!isMainThread) {
  // a long-lived worker: one message per round, so module loading and JIT warm-up happen once
  parentPort.on('message', async ({ seed }) => parentPort.postMessage(await runShare(workerData.files, seed)));
} else {
  const { scenarioFiles } = await import('../src/scenario/files.ts');
  const files = await scenarioFiles([scenarioDir]);
  const cores = availableParallelism();
  // longest scenarios first, each to the least loaded worker, so the workers finish together
  const { loadScenarios } = await import('../src/scenario/files.ts');
  const byLength = (await loadScenarios(files)).sort((a, b) => b.durationMs - a.durationMs);
  const shares = Array.from({ length: cores }, () => ({ files: [], load: 0 }));
  for (const scenario of byLength) {
    const lightest = shares.reduce((a, b) => (b.load < a.load ? b : a));
    lightest.files.push(scenario.file);
    lightest.load += scenario.durationMs;
  }
  const workers = shares.filter((share) => share.files.length > 0).map((share) => new Worker(new URL(import.meta.url), { workerData: { files: share.files } }));
  const inWorkers = (seed) =>
    Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.postMessage({ seed });
          }),
      ),
    ).then((parts) => parts.reduce((sum, part) => ({ virtualMs: sum.virtualMs + part.virtualMs, runs: sum.runs + part.runs }), { virtualMs: 0, runs: 0 }));

  const measure = async (label, run) => {
    const figures = [];
    for (let round = 0; round <= rounds; round++) {
      const started = performance.now();
      const { virtualMs, runs } = await run(round + 1);
      const wallMs = performance.now() - started;
      if (round === 0) continue; // warm-up: module loading and JIT
      figures.push({ speedup: virtualMs / wallMs, runsPerSecond: (runs / wallMs) * 1000, wallMs, virtualMs, runs });
    }
    const best = figures.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const median = [...figures].sort((a, b) => a.speedup - b.speedup)[Math.floor(figures.length / 2)];
    console.log(`${label}: ${median.runs} scenario runs × 6 variants, ${(median.virtualMs / 1000).toFixed(0)} s virtual in ${median.wallMs.toFixed(0)} ms (median of ${figures.length}; best ${best.speedup.toFixed(0)}×) → ${median.speedup.toFixed(0)}× real time, ${median.runsPerSecond.toFixed(1)} runs/s`);
    return median;
  };

  console.log(`library: ${files.length} scenarios from ${scenarioDir}; ${cores} core(s); StreamPark timings; all variants`);
  const single = await measure('one thread   ', (seed) => runShare(files, seed));
  const parallel = await measure(`${cores} workers    `, inWorkers);
  await Promise.all(workers.map((worker) => worker.terminate()));
  console.log(`parallel / single: ${(parallel.speedup / single.speedup).toFixed(2)}×`);
  console.log(`sim speedup: ${Math.round(Math.max(single.speedup, parallel.speedup))}× real time`);
}
