#!/usr/bin/env node
// Benchmark of the simulation backend: the whole scenario library with StreamPark timings, all
// variants, each scenario run simulated and checked as `statuschaos run` does, measured side by
// side in one run: on one thread, and on one worker thread per core (the pipeline's worker pool,
// as `run --workers N` uses it) with V8's default (parallel) GC and with its single-threaded GC.
// Prints virtual seconds simulated per wall second ("sim speedup") and runs per second.
// With `--against <git ref>`, measures that commit (from a temporary worktree, its own library)
// and this tree in alternating rounds instead, one thread and the workers with single-threaded GC,
// and prints both figures per round, the medians and current ÷ ref (scripts/bench/against.mjs).
// Usage: npm run bench:sim [-- --rounds N --scenarios DIR --against REF]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { argv } from 'zx';
import { againstRef, benchAgainst } from './bench/against.mjs';

const rounds = Number(argv.rounds ?? 5);
const scenarioDir = argv.scenarios ?? new URL('../scenarios', import.meta.url).pathname;
const ref = againstRef();
if (ref !== undefined) {
  const workers = availableParallelism();
  const scenarios = argv.scenarios === undefined ? {} : { scenarios: scenarioDir };
  await benchAgainst({
    ref,
    module: './sim-rounds.mjs',
    rounds: Math.max(3, rounds),
    configurations: [
      { title: 'one thread', options: { workers: 1, ...scenarios }, execArgv: process.execArgv },
      { title: `${workers} workers, single-threaded GC`, options: { workers, ...scenarios }, execArgv: [...process.execArgv, '--single-threaded-gc'] },
    ],
  });
  process.exit(0);
}
const { loadScenarios } = await import('../src/scenario/files.ts');
const { modelNames } = await import('../src/models/registry.ts');
const variants = modelNames();

/** Runs and checks `scenarios` once with `seed` on this thread; returns the virtual time covered and each file's wall time. */
async function runShare(scenarios, seed) {
  const { runScenario } = await import('../src/runner/run-scenario.ts');
  const { checkScenarioRun } = await import('../src/check/scenario-check.ts');
  const { simBackend } = await import('../src/backends/sim/backend.ts');
  let virtualMs = 0;
  const wallByFile = {};
  for (const scenario of scenarios) {
    const started = performance.now();
    checkScenarioRun(await runScenario(scenario, { backend: simBackend, variants, seed, runDir: '/tmp/statuschaos-bench' }), variants);
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

/**
 * The pool with one thread per core, kept across rounds (module loading and JIT warm-up happen in
 * round 0); each round hands it the library costliest scenario first, so no thread is left with a
 * long scenario at the end (scenarios differ up to 3× in cost per virtual second).
 */
async function measureInWorkers(scenarios, costByFile) {
  const { WorkerPool } = await import('../src/pipeline/worker-pool.ts');
  const ordered = [...scenarios].sort((a, b) => costByFile[b.file] - costByFile[a.file]);
  const workers = Math.min(availableParallelism(), scenarios.length);
  const pool = new WorkerPool({ module: new URL('../src/pipeline/scenario-worker.ts', import.meta.url), workers, workerData: { backend: 'sim', settings: { env: {} }, variants, profile: undefined, workDir: '/tmp/statuschaos-bench' } });
  const oneRound = async (seed) => {
    for await (const _ of pool.map(ordered.map((scenario) => ({ scenario, seed }))));
    return { virtualMs: ordered.reduce((sum, scenario) => sum + scenario.durationMs, 0), runs: ordered.length };
  };
  try {
    return { ...(await measure(oneRound)), workers };
  } finally {
    await pool.close();
  }
}

if (argv['workers-only']) {
  // child process started with other V8 flags: measure the workers, answer with one JSON line
  const { costs } = JSON.parse(argv['workers-only']);
  console.log(JSON.stringify(await measureInWorkers(await loadScenarios([scenarioDir]), costs)));
} else {
  const scenarios = await loadScenarios([scenarioDir]);
  console.log(`library: ${scenarios.length} scenarios from ${scenarioDir}; ${availableParallelism()} core(s); StreamPark timings; all variants`);

  const single = await measure((seed) => runShare(scenarios, seed));
  console.log(describe('one thread', single));
  const parallel = await measureInWorkers(scenarios, single.wallByFile);
  console.log(describe(`${parallel.workers} workers, parallel GC`, parallel));
  // V8's GC helper threads compete with the workers for 2 cores; its single-threaded GC does not
  const child = execFileSync(process.execPath, ['--single-threaded-gc', new URL(import.meta.url).pathname, '--rounds', String(rounds), '--workers-only', JSON.stringify({ costs: single.wallByFile })], { encoding: 'utf8' });
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
