#!/usr/bin/env node
// How good the oracles and the generator are: every mutant of our tracker (src/models/proposed/
// mutants.ts — one rule each changed as a developer plausibly would) explored on two seeds, each
// up to a fixed number of schedules and stopped at its first kill: a finding whose shrunk schedule
// the design itself passes (the same oracle, run with `proposed`) — a finding the design shares
// is no kill. The design alongside as the control (it must find nothing). Prints per mutant:
// killed or survived, the oracle that caught it, the time to the kill and the size it was shrunk
// to; then the mutation score.
// Usage: npm run bench:mutants [-- --runs N --seeds 1,2 --workers N --only name,name]
import './pinned-node.mjs';
import { argv } from 'zx';

const runs = Number(argv.runs ?? 3_000);
const seeds = String(argv.seeds ?? '1,2').split(',').map(Number);
const workers = Number(argv.workers ?? 2);
const only = argv.only === undefined ? undefined : String(argv.only).split(',');
const { explore } = await import('../src/explore/explore.ts');
const { evaluate } = await import('../src/explore/evaluate.ts');
const { healPhase, describeSchedule } = await import('../src/explore/schedule.ts');
const { ALL_ORACLES } = await import('../src/check/oracles.ts');
const { MUTANTS } = await import('../src/models/proposed/mutants.ts');
const { MUTANT_PREFIX } = await import('../src/models/registry.ts');

/** Does the design itself break the same oracle on the finding's shrunk schedule? */
async function designShares(finding) {
  const { violations } = await evaluate(finding.schedule, { variants: ['proposed'], oracles: [{ name: finding.oracle }], heal: healPhase() });
  return violations.length > 0;
}

/** The first kill of `variant` on `seed` within the budget, and how long it took (wall). */
async function firstFinding(variant, seed) {
  const controller = new AbortController();
  let first;
  const shared = [];
  const started = performance.now();
  const result = await explore({
    seed,
    variants: [variant],
    oracles: ALL_ORACLES,
    budget: { runs },
    heal: healPhase(),
    workers,
    signal: controller.signal,
    onFinding: async (finding) => {
      if (first !== undefined) return;
      if (variant !== 'proposed' && (await designShares(finding))) return void shared.push(finding.signature);
      first = { finding, seconds: (performance.now() - started) / 1000 };
      controller.abort(new Error('found'));
    },
  });
  return { first, shared, schedules: result.schedules, seconds: (performance.now() - started) / 1000 };
}

const rows = [];
const chosen = [{ name: 'proposed', change: 'the design itself (control: must survive)' }, ...MUTANTS].filter((mutant) => only === undefined || only.includes(mutant.name));
for (const mutant of chosen) {
  const variant = mutant.name === 'proposed' ? 'proposed' : `${MUTANT_PREFIX}${mutant.name}`;
  const outcomes = [];
  for (const seed of seeds) outcomes.push({ seed, ...(await firstFinding(variant, seed)) });
  const found = outcomes.filter((outcome) => outcome.first !== undefined);
  const fastest = found.sort((a, b) => a.first.seconds - b.first.seconds)[0];
  const row = {
    name: mutant.name,
    killed: found.length > 0,
    oracle: fastest?.first.finding.oracle ?? '—',
    seconds: fastest?.first.seconds,
    events: fastest?.first.finding.schedule.events.length,
    seeds: outcomes.map((outcome) => (outcome.first === undefined ? `seed ${outcome.seed}: none in ${outcome.schedules} (${outcome.seconds.toFixed(0)} s)` : `seed ${outcome.seed}: ${outcome.first.seconds.toFixed(1)} s`)).join(', '),
    signature: fastest?.first.finding.signature,
    schedule: fastest === undefined ? undefined : describeSchedule(fastest.first.finding.schedule),
  };
  rows.push(row);
  console.log(`${row.killed ? 'killed  ' : 'survived'} ${row.name.padEnd(36)} ${row.oracle.padEnd(11)} ${row.seconds === undefined ? '      —' : `${row.seconds.toFixed(1).padStart(6)} s`} ${row.events === undefined ? '' : `${row.events} event(s)`}  [${row.seeds}]`);
  if (row.signature !== undefined) console.log(`         ${row.signature}\n         ${row.schedule}`);
  for (const signature of new Set(outcomes.flatMap((outcome) => outcome.shared))) console.log(`         (shared with the design, no kill: ${signature})`);
}
const mutants = rows.filter((row) => row.name !== 'proposed');
const killed = mutants.filter((row) => row.killed);
const control = rows.find((row) => row.name === 'proposed');
console.log(`\nmutation score: ${killed.length}/${mutants.length} killed (${((100 * killed.length) / Math.max(1, mutants.length)).toFixed(0)} %), ${runs} schedules per seed at most, seeds ${seeds.join(', ')}, ${workers} worker thread(s)`);
console.log(`killed within 60 s: ${killed.filter((row) => row.seconds <= 60).length}/${mutants.length}`);
if (control !== undefined) console.log(`control (proposed as designed): ${control.killed ? `FOUND ${control.signature}` : 'no finding'}`);
