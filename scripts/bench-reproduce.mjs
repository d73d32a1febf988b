#!/usr/bin/env node
// Benchmark of `statuschaos reproduce` on the #3618 example (docs/examples/incident-3618.yaml):
// schedules per second on one thread (generation, the simulation, the judge; no shrinking), the
// wall and CPU time from the start of the search to its first explanation and to the API-error
// explanation (with its size and certificate), and whole searches of N schedules on 1 and 2
// worker threads. The load average is printed beside: wall times on a shared machine are noisy.
// Usage: npm run bench:reproduce [-- --schedules N --runs N --seed N]
import './pinned-node.mjs';
import { loadavg } from 'node:os';
import { argv } from 'zx';

const count = Number(argv.schedules ?? 128);
const runs = Number(argv.runs ?? 256);
const seed = Number(argv.seed ?? 1);
const fc = (await import('fast-check')).default;
const { evaluate } = await import('../src/explore/evaluate.ts');
const { describeSchedule, healPhase } = await import('../src/explore/schedule.ts');
const { modelNames } = await import('../src/models/registry.ts');
const { incidentArbitrary } = await import('../src/reproduce/incident-arbitrary.ts');
const { loadIncidentFile } = await import('../src/reproduce/incident-load.ts');
const { compileIncident, judge } = await import('../src/reproduce/judge.ts');
const { searchIncident } = await import('../src/reproduce/search.ts');

const incident = await loadIncidentFile(new URL('../docs/examples/incident-3618.yaml', import.meta.url).pathname);
const heal = healPhase();
const certify = modelNames();
const cpuSeconds = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** Schedules judged per second on this thread (after a warm-up of 16). */
async function throughput() {
  const compiled = compileIncident(incident);
  const schedules = fc.sample(incidentArbitrary(incident), { seed, numRuns: count + 16 });
  const judgeOne = async (schedule) => judge((await evaluate(schedule, { variants: incident.trackers, oracles: [], heal, app: incident.app, minDurationMs: incident.endMs })).run, compiled, incident.trackers[0]);
  for (const schedule of schedules.slice(0, 16)) await judgeOne(schedule);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let explained = 0;
  for (const schedule of schedules.slice(16)) if ((await judgeOne(schedule)).explains) explained += 1;
  return { perSecond: count / ((performance.now() - started) / 1000), cpu: cpuSeconds(cpu), explained };
}

/** From the start of a search to its first explanation, and to the API-error one (at most 120 s). */
async function firstExplanations(workers) {
  const controller = new AbortController();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const at = {};
  await searchIncident({
    incident,
    trackers: incident.trackers,
    certify,
    heal,
    seed,
    budget: { ms: 120_000 },
    workers,
    signal: controller.signal,
    onExplanation: (explanation) => {
      const mark = { ms: performance.now() - started, cpu: cpuSeconds(cpu), explanation };
      at.first ??= mark;
      if (at.apiError === undefined && /a failed deployment list read as gone/.test(explanation.mechanism)) {
        at.apiError = mark;
        controller.abort(new Error('found'));
      }
    },
  });
  return at;
}

/** A whole search of `runs` schedules (explanations shrunk) on `workers` threads. */
async function search(workers) {
  const started = performance.now();
  const result = await searchIncident({ incident, trackers: incident.trackers, certify, heal, seed, budget: { runs }, workers });
  return { perSecond: result.schedules / ((performance.now() - started) / 1000), seconds: (performance.now() - started) / 1000, explanations: result.explanations.length };
}

console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} (2 cores here)`);
const one = await throughput();
console.log(`one thread              : ${one.perSecond.toFixed(1)} schedules/s (${count} schedules, ${one.cpu.toFixed(1)} s CPU, ${one.explained} explain the incident; judged to the end of the observation, ${incident.endMs / 60_000} min)`);
for (const workers of [1, 2]) {
  const at = await firstExplanations(workers);
  const describe = (mark) => (mark === undefined ? 'none within 120 s' : `${(mark.ms / 1000).toFixed(1)} s wall${workers === 1 ? `, ${mark.cpu.toFixed(1)} s CPU` : ''} (schedule ${mark.explanation.found.schedule}), ${mark.explanation.schedule.events.length} event(s): ${describeSchedule(mark.explanation.schedule)}`);
  console.log(`first explanation, ${workers} thread(s): ${describe(at.first)}`);
  console.log(`API-error explanation, ${workers} thread(s): ${describe(at.apiError)}${at.apiError ? `; would have shown the truth: ${at.apiError.explanation.certificate.filter((entry) => entry.showsTruth).map((entry) => entry.variant).join(', ')}` : ''}`);
}
const single = await search(1);
const double = await search(2);
for (const [workers, figures] of [[1, single], [2, double]]) console.log(`reproduce, ${workers} thread(s)     : ${figures.perSecond.toFixed(1)} schedules/s (${runs} in ${figures.seconds.toFixed(1)} s, ${figures.explanations} explanation(s) shrunk)`);
console.log(`reproduce, 2 threads / 1 : ${(double.perSecond / single.perSecond).toFixed(2)}×`);
console.log(`load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
