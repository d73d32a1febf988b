#!/usr/bin/env node
// Benchmark of scaling out (docs/scaling.md), side by side in one run:
//  1. sim throughput of `run`'s worker pool (simulate, check, store) with 1 and 2 workers, with
//     V8's default GC and with the GC settings --workers uses (GC_FLAGS below), each in a fresh
//     process, warm (round 0 is discarded), median of --rounds;
//  2. a run as 4 shards, each a process as on 4 runners, plus `statuschaos merge`, against the
//     same run as one process (all with --workers 1, one after the other);
//  3. the merge of a 1,000-scenario-run run (10 scenarios × 100 seeds in 4 shards).
// The machine may be shared: the load average is printed, CPU time per scenario run beside the
// wall-clock figures, and the speed-up of a busy loop on 2 threads against 1 (the most any
// 2-thread program gets from the machine at that moment).
// Usage: npm run bench:scale [-- --rounds N --seeds S --repeat R --parts 1,2,3]
// On a shared Linux machine the scheduler shares the cores between sessions (autogroups), whatever
// `nice` says; as root, give the benchmark's session the cores with
//   setsid -w sh -c 'echo -20 > /proc/self/autogroup && exec npm run bench:scale'
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'zx';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin', 'statuschaos.js');
const rounds = Number(argv.rounds ?? 5);
const seedsPerRound = Number(argv.seeds ?? 4);
const repeat = Number(argv.repeat ?? 40);
const parts = new Set(String(argv.parts ?? '1,2,3').split(',').map(Number));
/** The V8 flags compared with the default in part 1: what `npm run statuschaos`, the image and the example workflow start Node with (docs/scaling.md). */
const GC_FLAGS = ['--single-threaded-gc'];

/** Part 1, in a child process: a warm pool of `workers` threads over the library, `rounds` times. */
async function throughput({ workers }) {
  const { WorkerPool } = await import('../src/pipeline/worker-pool.ts');
  const { RunStore } = await import('../src/record/store.ts');
  const { runHeader } = await import('../src/pipeline/run-and-store.ts');
  const { simBackend } = await import('../src/backends/sim/backend.ts');
  const { loadScenarios } = await import('../src/scenario/files.ts');
  const { modelNames } = await import('../src/models/registry.ts');
  const scenarios = await loadScenarios([join(ROOT, 'scenarios')]);
  const variants = modelNames();
  const work = await mkdtemp(join(tmpdir(), 'statuschaos-bench-scale-'));
  const pool = new WorkerPool({ module: new URL('../src/pipeline/scenario-worker.ts', import.meta.url), workers, workerData: { backend: 'sim', settings: { env: {} }, variants, profile: undefined, workDir: work } });
  const figures = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      const tasks = Array.from({ length: seedsPerRound }, (_, seed) => scenarios.map((scenario) => ({ scenario, seed: round * seedsPerRound + seed + 1 }))).flat();
      const store = await RunStore.create(join(work, `round-${round}`), runHeader({ backend: simBackend, variants, profile: undefined }), tasks.length);
      const cpu = process.cpuUsage();
      const began = performance.now();
      for await (const { run, check } of pool.map(tasks)) await store.add(run, check);
      await store.finish('complete');
      const wallMs = performance.now() - began;
      const { user, system } = process.cpuUsage(cpu);
      if (round > 0) figures.push({ runsPerSecond: (tasks.length / wallMs) * 1000, cpuMsPerRun: (user + system) / 1000 / tasks.length, runs: tasks.length });
    }
  } finally {
    await pool.close();
    await rm(work, { recursive: true, force: true });
  }
  figures.sort((a, b) => a.runsPerSecond - b.runsPerSecond);
  return figures[Math.floor(figures.length / 2)];
}

/** One `statuschaos` command as its own process; its wall time in ms. */
function timed(args) {
  const began = performance.now();
  execFileSync(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT });
  return performance.now() - began;
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (argv['throughput-only']) {
  console.log(JSON.stringify(await throughput(JSON.parse(argv['throughput-only']))));
} else {
  console.log(`${availableParallelism()} core(s); load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} (other processes share the cores)`);

  // the three parts, one after the other
  if (parts.has(1)) await partOne();
  const work = await mkdtemp(join(tmpdir(), 'statuschaos-bench-shards-'));
  if (parts.has(2)) await partTwo(work);
  if (parts.has(3)) await partThree(work);
  console.log(`\nload average at the end ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  await rm(work, { recursive: true, force: true });
}

/** Wall time of a fixed amount of arithmetic split over `threads` threads (no memory, no GC). */
async function busyLoop(threads, iterations = 4e8) {
  const code = `require('node:worker_threads').parentPort.on('message', (n) => { let x = 0; for (let i = 0; i < n; i++) x = (x * 31 + i) % 1000003; require('node:worker_threads').parentPort.postMessage(x); });`;
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
  const round = (n) => Promise.all(workers.map((worker) => new Promise((resolve) => (worker.once('message', resolve), worker.postMessage(n)))));
  await round(1e6);
  const began = performance.now();
  await round(iterations / threads);
  const wallMs = performance.now() - began;
  await Promise.all(workers.map((worker) => worker.terminate()));
  return wallMs;
}

/** 1. throughput of the pool with 1 and 2 workers, default and other GC flags */
async function partOne() {
  const ceiling = (await busyLoop(1)) / (await busyLoop(2));
  const configurations = [
    { label: '1 worker, default GC', workers: 1, flags: [] },
    { label: '2 workers, default GC', workers: 2, flags: [] },
    { label: `1 worker, ${GC_FLAGS.join(' ')}`, workers: 1, flags: GC_FLAGS },
    { label: `2 workers, ${GC_FLAGS.join(' ')}`, workers: 2, flags: GC_FLAGS },
  ];
  const measured = {};
  for (const configuration of configurations) {
    const output = execFileSync(process.execPath, [...configuration.flags, new URL(import.meta.url).pathname, '--rounds', String(rounds), '--seeds', String(seedsPerRound), '--throughput-only', JSON.stringify({ workers: configuration.workers })], { encoding: 'utf8' });
    measured[configuration.label] = JSON.parse(output.trim().split('\n').at(-1));
  }
  console.log(`\n1. sim throughput of \`run\`'s pool (simulate, check, store): the library × ${seedsPerRound} seeds per round, median of ${rounds}`);
  for (const { label } of configurations) {
    const figure = measured[label];
    console.log(`   ${label.padEnd(34)} ${figure.runsPerSecond.toFixed(1).padStart(6)} runs/s   ${figure.cpuMsPerRun.toFixed(1).padStart(5)} ms CPU per run`);
  }
  console.log(`   a busy loop on 2 threads / 1 thread: ${ceiling.toFixed(2)}× (the machine's ceiling for any 2-thread program right now)`);
  for (const flags of ['default GC', GC_FLAGS.join(' ')]) {
    const one = measured[`1 worker, ${flags}`];
    const two = measured[`2 workers, ${flags}`];
    console.log(`   2 workers / 1 worker, ${flags}: ${(two.runsPerSecond / one.runsPerSecond).toFixed(2)}× wall clock; CPU per run ${(two.cpuMsPerRun / one.cpuMsPerRun).toFixed(2)}× (2 ÷ that = ${(2 / (two.cpuMsPerRun / one.cpuMsPerRun)).toFixed(2)}×, the speed-up on 2 idle cores)`);
  }

}

/** 2. shards as processes + merge, against one process */
async function partTwo(work) {
  const run = ['run', 'scenarios', '--repeat', String(repeat), '--workers', '1'];
  const oneProcess = timed([...run, '--out', join(work, 'one')]);
  const shards = [1, 2, 3, 4].map((index) => timed([...run, '--shard', `${index}/4`, '--out', join(work, `shard-${index}`)]));
  const mergeProcess = timed(['merge', ...[1, 2, 3, 4].map((index) => join(work, `shard-${index}`)), '--out', join(work, 'merged')]);
  const parts = await mergeParts([1, 2, 3, 4].map((index) => join(work, `shard-${index}`)), join(work, 'merged-in-process'));
  const runs = 13 * repeat;
  console.log(`\n2. ${runs} scenario runs (the library × ${repeat} seeds, all variants, --workers 1), each process one after the other`);
  console.log(`   one process                         ${seconds(oneProcess)} (run, check, store, report)`);
  console.log(`   4 shards                            ${shards.map(seconds).join(', ')}: ${seconds(Math.max(...shards))} on 4 runners, ${seconds(shards.reduce((a, b) => a + b, 0))} of runner time`);
  console.log(`   merge (process)                     ${seconds(mergeProcess)}: merging the files ${seconds(parts.mergeMs)}, the report ${seconds(parts.reportMs)} (which one process renders too), start-up and the rest ${seconds(mergeProcess - parts.mergeMs - parts.reportMs)}`);
  console.log(`   4 runners + merge vs one process    ${seconds(Math.max(...shards) + mergeProcess)} vs ${seconds(oneProcess)}: ${(oneProcess / (Math.max(...shards) + mergeProcess)).toFixed(2)}× faster; merge overhead ${((100 * mergeProcess) / oneProcess).toFixed(1)} % of the one-process run (${((100 * (mergeProcess - parts.reportMs)) / oneProcess).toFixed(1)} % without the report)`);

}

/** 3. merging 1,000 scenario runs */
async function partThree(work) {
  const library = (await readdir(join(ROOT, 'scenarios'))).filter((file) => file.endsWith('.yaml')).sort().slice(0, 10).map((file) => join('scenarios', file));
  for (const index of [1, 2, 3, 4]) timed(['run', ...library, '--repeat', '100', '--shard', `${index}/4`, '--out', join(work, `thousand-${index}`)]);
  const thousandProcess = timed(['merge', ...[1, 2, 3, 4].map((index) => join(work, `thousand-${index}`)), '--out', join(work, 'thousand-merged')]);
  const thousand = await mergeParts([1, 2, 3, 4].map((index) => join(work, `thousand-${index}`)), join(work, 'thousand-in-process'));
  console.log(`\n3. merging 1,000 scenario runs (${library.length} scenarios × 100 seeds, 4 shards; lanes kept for ${thousand.kept})`);
  console.log(`   merge (process)                     ${seconds(thousandProcess)}: merging the files ${seconds(thousand.mergeMs)} (${(thousand.mergeMs / 1000).toFixed(2)} ms per scenario run), the report ${seconds(thousand.reportMs)}`);
}

/** The merge's own parts, timed in this process: joining the files, rendering the report. */
async function mergeParts(dirs, outDir) {
  const { mergeShards } = await import('../src/record/merge-shards.ts');
  const { readRunRecord } = await import('../src/record/store.ts');
  const { writeReport } = await import('../src/report/write.ts');
  const began = performance.now();
  await mergeShards(dirs, outDir);
  const merged = performance.now();
  const record = await readRunRecord(outDir);
  await writeReport(record, outDir);
  return { mergeMs: merged - began, reportMs: performance.now() - merged, kept: record.scenarios.length };
}
