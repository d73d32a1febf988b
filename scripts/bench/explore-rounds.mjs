// One round of bench:explore on the tree at `root` (this one, or --against's worktree), for the
// issue-23 targets: schedules/s on one thread with every variant and oracle (no shrinking); a whole
// exploration of every variant on `workers` threads, shrinking included; and the wall time from the
// start of `explore --seed` to its first #3618-class finding. Loads that tree's own src/.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const load = (root, path) => import(pathToFileURL(join(root, path)).href);

export async function setup(root, { schedules: count = 200, runs = 1_280, seed = 1, workers = 2 } = {}) {
  const fc = (await load(root, 'node_modules/fast-check/lib/fast-check.js')).default;
  const { scheduleArbitrary } = await load(root, 'src/explore/arbitraries.ts');
  const { evaluate } = await load(root, 'src/explore/evaluate.ts');
  const { explore } = await load(root, 'src/explore/explore.ts');
  const { healPhase } = await load(root, 'src/explore/schedule.ts');
  const { ALL_ORACLES } = await load(root, 'src/check/oracles.ts');
  const { modelNames } = await load(root, 'src/models/registry.ts');
  const variants = modelNames();
  const heal = healPhase();
  const schedules = fc.sample(scheduleArbitrary(), { seed, numRuns: count + 20 });
  for (const schedule of schedules.slice(0, 20)) await evaluate(schedule, { variants, oracles: ALL_ORACLES, heal }); // warm-up

  async function throughput() {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const schedule of schedules.slice(20)) await evaluate(schedule, { variants, oracles: ALL_ORACLES, heal });
    const cpu = process.cpuUsage(cpuBefore);
    return { perSecond: count / ((performance.now() - started) / 1000), perCpuSecond: count / ((cpu.user + cpu.system) / 1e6) };
  }
  async function exploration() {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await explore({ seed, variants, oracles: ALL_ORACLES, budget: { runs }, heal, workers });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6; // every thread of the process: steadier than wall time on a busy machine
    return { perSecond: result.schedules / seconds, perCpuSecond: result.schedules / cpuSeconds, seconds, findings: result.findings.length };
  }
  async function firstIncident() {
    const controller = new AbortController();
    let found;
    const started = performance.now();
    await explore({
      seed, variants, oracles: [{ name: 'truthful' }], budget: { ms: 120_000 }, heal, signal: controller.signal,
      onFinding: (finding) => {
        if (found === undefined && finding.variant === 'v2.1.3' && finding.schedule.mode === 'application' && /FAILED while RUNNING, to the end$/.test(finding.signature)) {
          found = { seconds: (performance.now() - started) / 1000, schedule: finding.found.schedule, events: finding.schedule.events.length };
          controller.abort(new Error('found'));
        }
      },
    });
    return found ?? { seconds: Number.POSITIVE_INFINITY, schedule: '-', events: '-' };
  }

  return {
    async round() {
      const one = await throughput();
      const explored = await exploration();
      const incident = await firstIncident();
      return {
        throughput: { label: 'one thread, six variants, no shrinking', value: one.perSecond, unit: 'schedules/s', text: `${one.perSecond.toFixed(1)} schedules/s one thread` },
        throughputCpu: { label: 'one thread, schedules per CPU second', value: one.perCpuSecond, unit: 'schedules/CPU s', text: `${one.perCpuSecond.toFixed(1)} per CPU s` },
        explore: { label: `explore, every variant, ${workers} threads, shrinking`, value: explored.perSecond, unit: 'schedules/s', text: `explore ${explored.perSecond.toFixed(1)} schedules/s (${runs} in ${explored.seconds.toFixed(1)} s, ${explored.findings} findings)` },
        exploreCpu: { label: 'explore, schedules per CPU second', value: explored.perCpuSecond, unit: 'schedules/CPU s', text: `${explored.perCpuSecond.toFixed(1)} schedules per CPU s` },
        incident: { label: 'first #3618-class finding', value: incident.seconds, unit: 's', lowerIsBetter: true, text: `first #3618 ${incident.seconds.toFixed(1)} s (schedule ${incident.schedule}, ${incident.events} events)` },
      };
    },
  };
}
