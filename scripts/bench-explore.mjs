#!/usr/bin/env node
// Benchmark of the explorer, side by side in one run: schedules × variants per second on one
// thread (generation, the simulation and every oracle, without shrinking); whole explorations
// (shrinking included) on 1 and 2 worker threads, every variant and `proposed` alone, with the
// ratio; and the wall time from the start of `explore --seed 1` to its first #3618-class finding
// (v2.1.3 showing FAILED for good while the job runs), with the size it was shrunk to; and how
// far past its --budget an exploration ends (shrinking included), on 1 and 2 threads.
// With `--against <git ref>`, measures that commit (from a temporary worktree) and this tree in
// alternating rounds instead: one thread without shrinking, every variant explored on --workers
// threads (default 2) with shrinking, and the first #3618-class finding; both figures per round,
// the medians and current ÷ ref (scripts/bench/against.mjs).
// Usage: npm run bench:explore [-- --schedules N --runs N --seed N --budget-seconds N --against REF --rounds N --workers N]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { argv } from 'zx';
import { againstRef, benchAgainst } from './bench/against.mjs';

const count = Number(argv.schedules ?? 200);
const runs = Number(argv.runs ?? 1_280);
const seed = Number(argv.seed ?? 1);
const budgetSeconds = Number(argv['budget-seconds'] ?? 10);
const ref = againstRef();
if (ref !== undefined) {
  const options = { schedules: count, runs, seed, workers: Number(argv.workers ?? 2) };
  await benchAgainst({ ref, module: './explore-rounds.mjs', rounds: Math.max(3, Number(argv.rounds ?? 3)), configurations: [{ title: 'explorer', options, execArgv: process.execArgv }] });
  process.exit(0);
}
const fc = (await import('fast-check')).default;
const { scheduleArbitrary } = await import('../src/explore/arbitraries.ts');
const { evaluate } = await import('../src/explore/evaluate.ts');
const { explore } = await import('../src/explore/explore.ts');
const { healPhase, describeSchedule } = await import('../src/explore/schedule.ts');
const { ALL_ORACLES } = await import('../src/check/oracles.ts');
const { modelNames } = await import('../src/models/registry.ts');

const variants = modelNames();
const heal = healPhase();

/** Schedules per second on this thread, over `count` generated schedules (after a warm-up of 20). */
async function throughput() {
  const schedules = fc.sample(scheduleArbitrary(), { seed, numRuns: count + 20 });
  for (const schedule of schedules.slice(0, 20)) await evaluate(schedule, { variants, oracles: ALL_ORACLES, heal });
  const started = performance.now();
  for (const schedule of schedules.slice(20)) await evaluate(schedule, { variants, oracles: ALL_ORACLES, heal });
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, seconds };
}

/** A whole exploration of `runs` schedules (findings shrunk) on `workers` threads: schedules per second. */
async function exploration(workers, chosen) {
  const started = performance.now();
  const result = await explore({ seed, variants: chosen, oracles: ALL_ORACLES, budget: { runs }, heal, workers });
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: result.schedules / seconds, seconds, findings: result.findings.length };
}

/** Wall time to the first finding of the #3618 class. */
async function firstIncident() {
  const controller = new AbortController();
  let found;
  const started = performance.now();
  await explore({
    seed,
    variants,
    oracles: [{ name: 'truthful' }],
    budget: { ms: 120_000 },
    heal,
    signal: controller.signal,
    onFinding: (finding) => {
      if (found === undefined && finding.variant === 'v2.1.3' && finding.schedule.mode === 'application' && /FAILED while RUNNING, to the end( · |$)/.test(finding.signature)) {
        found = { finding, ms: performance.now() - started };
        controller.abort(new Error('found'));
      }
    },
  });
  return found;
}

const one = await throughput();
console.log(`one thread            : ${one.perSecond.toFixed(1)} schedules/s × ${variants.length} variants = ${(one.perSecond * variants.length).toFixed(0)} schedule-variants/s (${count} schedules in ${one.seconds.toFixed(1)} s, all ${ALL_ORACLES.length} oracles)`);
for (const [label, chosen] of [['every variant', variants], ['proposed alone', ['proposed']]]) {
  const single = await exploration(1, chosen);
  const double = await exploration(2, chosen);
  const line = (workers, figures) => `explore, ${label.padEnd(14)}, ${workers} thread(s): ${figures.perSecond.toFixed(1)} schedules/s (${runs} in ${figures.seconds.toFixed(1)} s, ${figures.findings} finding(s) shrunk)`;
  console.log(line(1, single));
  console.log(line(2, double));
  console.log(`explore, ${label.padEnd(14)}, 2 threads / 1: ${(double.perSecond / single.perSecond).toFixed(2)}×`);
}
const incident = await firstIncident();
if (incident === undefined) console.log('first #3618 finding   : none within 120 s');
else console.log(`first #3618 finding   : after ${(incident.ms / 1000).toFixed(1)} s wall (schedule ${incident.finding.found.schedule}), shrunk to ${incident.finding.schedule.events.length} event(s): ${describeSchedule(incident.finding.schedule)}`);

/** How long an exploration of a `budgetSeconds` budget really takes, to the return of explore() (the CLI then writes the pages). */
async function budgetOverrun(workers) {
  const started = performance.now();
  const result = await explore({ seed, variants, oracles: ALL_ORACLES, budget: { ms: budgetSeconds * 1000 }, heal, workers });
  const seconds = (performance.now() - started) / 1000;
  const notShrunk = result.findings.filter((finding) => finding.notShrunk).length;
  return { seconds, schedules: result.schedules, findings: result.findings.length, notShrunk };
}
for (const workers of [1, 2]) {
  const figures = await budgetOverrun(workers);
  console.log(`--budget ${budgetSeconds}s, ${workers} thread(s): ended after ${figures.seconds.toFixed(1)} s (${(figures.seconds - budgetSeconds).toFixed(1)} s over), ${figures.schedules} schedules, ${figures.findings} finding(s), ${figures.notShrunk} of them not shrunk when the budget ran out`);
}
