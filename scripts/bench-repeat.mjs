#!/usr/bin/env node
// Benchmark of long runs (`--repeat`): the CLI runs one short scenario N times for growing N and
// reports, side by side, the wall time per scenario run over the first and the last tenth of the
// run (read from the progress lines' arrival) and the process's peak memory. Streaming results
// means both stay flat as N grows (docs/limits.md, "Long runs stream").
// Usage: npm run bench:repeat [-- --repeats 500,2000,8000 --scenario scenarios/restart-without-fault.yaml]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'zx';

const root = new URL('..', import.meta.url).pathname;
const repeats = String(argv.repeats ?? '500,2000,8000').split(',').map(Number);
const scenario = argv.scenario ?? join(root, 'scenarios', 'restart-without-fault.yaml');
const TIME = '/usr/bin/time';

/** One run of the CLI with `--repeat n`: per-run milliseconds at the start and the end, peak RSS in MB. */
async function measure(n) {
  const dir = mkdtempSync(join(tmpdir(), 'statuschaos-bench-repeat-'));
  const rssFile = join(dir, 'rss');
  const args = [join(root, 'bin', 'statuschaos.js'), 'run', '--out', join(dir, 'out'), '--variants', 'v2.1.3,proposed', '--repeat', String(n), scenario];
  const child = existsSync(TIME) ? spawn(TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]) : spawn(process.execPath, args);
  const arrivals = [];
  let pending = '';
  child.stderr.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) if (/^statuschaos: \[\d+\/\d+\]/.test(line)) arrivals.push(performance.now());
  });
  child.stdout.resume();
  const started = performance.now();
  const code = await new Promise((resolve) => child.on('exit', resolve));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`--repeat ${n} exited ${code}`);
  const tenth = Math.max(2, Math.floor(n / 10));
  const perRun = (from, to) => (arrivals[to] - arrivals[from]) / (to - from);
  const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024 : NaN;
  rmSync(dir, { recursive: true, force: true });
  return { n, first: perRun(0, tenth), last: perRun(n - tenth, n - 1), wallMs, rssMb };
}

const rows = [];
for (const n of repeats) rows.push(await measure(n));
console.log(`scenario: ${scenario}, variants v2.1.3 and proposed`);
console.log(['--repeat', 'ms/run first 10%', 'ms/run last 10%', 'wall (s)', 'peak RSS (MB)'].map((head) => head.padEnd(18)).join(''));
for (const row of rows) console.log([row.n, row.first.toFixed(2), row.last.toFixed(2), (row.wallMs / 1000).toFixed(1), row.rssMb.toFixed(0)].map((cell) => String(cell).padEnd(18)).join(''));
const [small, large] = [rows[0], rows.at(-1)];
console.log(`last-tenth time per run grew ${(large.last / small.last).toFixed(2)}× and peak memory ${(large.rssMb / small.rssMb).toFixed(2)}× from ${small.n} to ${large.n} repeats`);
