#!/usr/bin/env node
// Benchmark of the simulation backend: the whole scenario library with StreamPark timings, all
// variants, measured side by side in one run: on one thread, and on one worker thread per core
// with V8's default (parallel) GC and with its single-threaded GC. Prints virtual seconds
// simulated per wall second ("sim speedup") and runs per second.
// Usage: npm run bench:sim [-- --rounds N --scenarios DIR]
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { argv } from 'zx';

const rounds = Number(argv.rounds ?? 5);
const scenarioDir = argv.scenarios ?? new URL('../scenarios', import.meta.url).pathname;

/** Runs `files` once with `seed`; returns the virtual time covered and each file's wall time. */
async function runShare(files, seed) {
  const { loadScenarios } = await import('../src/scenario/files.ts');
  const { runScenario } = await import('../src/runner/run-scenario.ts');
  const { simBackend } = await import('../src/backends/sim/backend.ts');
  const { modelNames } = await import('../src/models/registry.ts');
  const scenarios = await loadScenarios(files);
  let virtualMs = 0;
  const wallByFile = {};
  for (const scenario of scenarios) {
    const started = performance.now();
    await runScenario(scenario, { backend: simBackend, variants: modelNames(), seed, runDir: '/tmp/statuschaos-bench' });
    wallByFile[scenario.file] = performance.now() - started;
    virtualMs += scenario.durationMs;
  }
  return { virtualMs, runs: scenarios.length, wallByFile };
}

/** Round 0 warms up (module loading, JIT); the median of the others is reported. */
async function measure(run) {
  const figures = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    const { virtualMs, runs, wallByFile } = await run(round + 1);
    const wallMs = performance.now() - started;
    if (round > 0) figures.push({ speedup: virtualMs / wallMs, runsPerSecond: (runs / wallMs) * 1000, wallMs, virtualMs, runs, wallByFile });
  }
  const median = [...figures].sort((a, b) => a.speedup - b.speedup)[Math.floor(figures.length / 2)];
  return { ...median, best: Math.max(...figures.map((figure) => figure.speedup)) };
}

function describe(label, figure) {
  return `${label.padEnd(34)}: ${figure.runs} scenario runs × 6 variants, ${(figure.virtualMs / 1000).toFixed(0)} s virtual in ${figure.wallMs.toFixed(0)} ms (median of ${rounds}; best ${figure.best.toFixed(0)}×) → ${figure.speedup.toFixed(0)}× real time, ${figure.runsPerSecond.toFixed(1)} runs/s`;
}

/** One long-lived worker per share of `files`, shared out by measured cost, costliest first to the least loaded. */
async function measureInWorkers(files, costByFile) {
  const shares = Array.from({ length: availableParallelism() }, () => ({ files: [], load: 0 }));
  for (const file of [...files].sort((a, b) => costByFile[b] - costByFile[a])) {
    const lightest = shares.reduce((a, b) => (b.load < a.load ? b : a));
    lightest.files.push(file);
    lightest.load += costByFile[file];
  }
  const workers = shares.filter((share) => share.files.length > 0).map((share) => new Worker(new URL(import.meta.url), { workerData: { files: share.files } }));
  const oneRound = (seed) =>
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
  try {
    return { ...(await measure(oneRound)), workers: workers.length };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

if (!isMainThread) {
  // a long-lived worker: one message per round, so module loading and JIT warm-up happen once
  parentPort.on('message', async ({ seed }) => parentPort.postMessage(await runShare(workerData.files, seed)));
} else if (argv['workers-only']) {
  // child process started with other V8 flags: measure the workers, answer with one JSON line
  const { files, costs } = JSON.parse(argv['workers-only']);
  console.log(JSON.stringify(await measureInWorkers(files, costs)));
} else {
  const { scenarioFiles } = await import('../src/scenario/files.ts');
  const files = await scenarioFiles([scenarioDir]);
  console.log(`library: ${files.length} scenarios from ${scenarioDir}; ${availableParallelism()} core(s); StreamPark timings; all variants`);

  const single = await measure((seed) => runShare(files, seed));
  console.log(describe('one thread', single));
  // scenarios differ up to 3× in cost per virtual second, so the workers' shares follow measured cost
  const parallel = await measureInWorkers(files, single.wallByFile);
  console.log(describe(`${parallel.workers} workers, parallel GC`, parallel));
  // V8's GC helper threads compete with the workers for 2 cores; its single-threaded GC does not
  const child = execFileSync(process.execPath, ['--single-threaded-gc', new URL(import.meta.url).pathname, '--rounds', String(rounds), '--workers-only', JSON.stringify({ files, costs: single.wallByFile })], { encoding: 'utf8' });
  const singleGc = JSON.parse(child.trim().split('\n').at(-1));
  console.log(describe(`${singleGc.workers} workers, single-threaded GC`, singleGc));

  const configurations = [
    ['one thread', single],
    [`${parallel.workers} workers, parallel GC`, parallel],
    [`${singleGc.workers} workers, single-threaded GC`, singleGc],
  ];
  const [fastestLabel, fastest] = configurations.reduce((a, b) => (b[1].speedup > a[1].speedup ? b : a));
  console.log(`workers / one thread: ${(parallel.speedup / single.speedup).toFixed(2)}× (parallel GC), ${(singleGc.speedup / single.speedup).toFixed(2)}× (single-threaded GC)`);
  console.log(`sim speedup: ${Math.round(fastest.speedup)}× real time (${fastestLabel}; ${fastest.runsPerSecond.toFixed(1)} runs/s)`);
}
