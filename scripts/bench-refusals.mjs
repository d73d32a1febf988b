#!/usr/bin/env node
// Benchmark of refusals: the hostile-input corpus (test/support/hostile-corpus.ts, 90+ inputs) run
// through the CLI one input at a time, each as a child process on Node 22, with its wall time,
// CPU time and peak memory, against docs/limits.md's promise: every bad input refused (exit 2)
// within 5 s and 500 MB. The unit test (test/cli/hostile-inputs.test.ts) holds each input to its
// message, to 5 s of CPU and to 500 MB, but not to wall time, which depends on the machine's load:
// this prints it, with the load average beside it. Exit 1 only when an input is not refused with
// exit 2 (a figure of a broken run means nothing); a slow refusal is reported, not failed.
// Usage: npm run bench:refusals [-- --rounds N --only TEXT]
import './pinned-node.mjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'zx';

const { HOSTILE_CASES, REFUSAL_LIMITS, runCli } = await import('../test/support/hostile-corpus.ts');

const rounds = Number(argv.rounds ?? 3);
const cases = HOSTILE_CASES.filter((hostile) => argv.only === undefined || hostile.name.includes(String(argv.only)));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const seconds = (ms) => `${(ms / 1_000).toFixed(2)} s`;

console.log(`refusals: ${cases.length} inputs × ${rounds} rounds, one CLI process at a time; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
const rows = [];
for (const hostile of cases) {
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    const dir = await mkdtemp(join(tmpdir(), 'statuschaos-bench-refusal-'));
    try {
      await hostile.setup?.(dir);
      const outcome = await runCli(hostile.args(dir), dir, hostile.env);
      if (outcome.code !== 2) {
        console.error(`${hostile.name}: exit ${outcome.code}, not 2:\n${outcome.stderr}`);
        process.exit(1);
      }
      samples.push(outcome);
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
  const row = { name: hostile.name, wallMs: median(samples.map((s) => s.wallMs)), worstWallMs: Math.max(...samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), rssMb: Math.max(...samples.map((s) => s.maxRssKb)) / 1024 };
  rows.push(row);
  console.log(`  ${row.name.padEnd(60)} wall ${seconds(row.wallMs)} (worst ${seconds(row.worstWallMs)})  CPU ${seconds(row.cpuMs)}  peak ${Math.round(row.rssMb)} MB`);
}

const slowest = rows.reduce((a, b) => (b.worstWallMs > a.worstWallMs ? b : a));
const hungriest = rows.reduce((a, b) => (b.rssMb > a.rssMb ? b : a));
const costliest = rows.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
const withinTime = rows.filter((row) => row.worstWallMs < REFUSAL_LIMITS.wallMs).length;
const withinMemory = rows.filter((row) => row.rssMb * 1024 < REFUSAL_LIMITS.memoryKb).length;
console.log(`median wall time of a refusal: ${seconds(median(rows.map((row) => row.wallMs)))}; slowest: ${seconds(slowest.worstWallMs)} (${slowest.name})`);
console.log(`most CPU: ${seconds(costliest.cpuMs)} (${costliest.name}); most memory: ${Math.round(hungriest.rssMb)} MB (${hungriest.name})`);
console.log(`within ${seconds(REFUSAL_LIMITS.wallMs)}: ${withinTime} of ${rows.length}; within ${REFUSAL_LIMITS.memoryKb / 1024} MB: ${withinMemory} of ${rows.length}; load average now ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
