#!/usr/bin/env node
// Benchmark of the live local backend (needs `npm run tools`): control-plane cold start from
// built tools, each scenario's wall time against its scheduled (scaled) duration, and what
// running 6 tracker variants costs against 1, side by side in one run.
// Usage: npm run bench:live [-- --scenario scenarios/incident-3618.yaml]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'zx';

const { startControlPlane } = await import('../src/backends/local/control-plane/index.ts');
const { localBackend } = await import('../src/backends/local/backend.ts');
const { runAll } = await import('../src/runner/run.ts');
const { loadScenarios } = await import('../src/scenario/files.ts');
const { modelNames } = await import('../src/models/registry.ts');
const { PROFILE_SCALE } = await import('../src/models/timing.ts');

const scenarioFile = argv.scenario ?? new URL('../scenarios/incident-3618.yaml', import.meta.url).pathname;
const work = await mkdtemp(join(tmpdir(), 'statuschaos-bench-live-'));

// 1. cold start, three times
const starts = [];
for (let i = 0; i < 3; i++) {
  const began = performance.now();
  const plane = await startControlPlane({ runDir: join(work, `cold-${i}`) });
  starts.push((performance.now() - began) / 1000);
  await plane.stop();
}
starts.sort((a, b) => a - b);
console.log(`control plane cold start (built tools → API ready, node Ready): median ${starts[1].toFixed(2)} s (runs: ${starts.map((s) => s.toFixed(2)).join(', ')})`);

// 2. and 3. one scenario with 1 variant and with all 6, fast timing
const [scenario] = await loadScenarios([scenarioFile]);
const scale = PROFILE_SCALE.fast;
const scheduledWallS = (scenario.durationMs * scale) / 1000;
const measure = async (variants) => {
  const outDir = join(work, `run-${variants.length}`);
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  const record = await runAll({ backend: localBackend({ env: process.env, workDir: outDir }), scenarios: [scenario], variants, seed: 1, repeat: 1, profile: 'fast', outDir, onProgress: () => {} });
  const wallS = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const run = record.scenarios[0];
  const lateness = run.lanes.faults.filter((entry) => entry.kind !== 'fault.removed').map((entry) => {
    const planned = [...run.faults, ...run.actions].find((item) => item.id === entry.id);
    return planned ? entry.t - planned.atMs : 0;
  });
  const polls = Object.values(run.lanes.variants).reduce((sum, lane) => sum + lane.polls.length, 0);
  return { wallS, scenarioWallS: run.phases.runMs / 1000, setupS: run.phases.setupMs / 1000, teardownS: run.phases.teardownMs / 1000, cpuS: (cpu.user + cpu.system) / 1e6, lateMs: Math.max(0, ...lateness), polls, verdicts: record.results.map((r) => r.verdict) };
};
const one = await measure(['minimal-fix']);
const six = await measure(modelNames());
for (const [label, m] of [['1 variant ', one], ['6 variants', six]]) {
  console.log(`${label}: ${scenario.name} scheduled ${scheduledWallS.toFixed(1)} s wall, ran ${m.scenarioWallS.toFixed(1)} s (ratio ${(m.scenarioWallS / scheduledWallS).toFixed(3)}); setup ${m.setupS.toFixed(1)} s (control plane, Toxiproxy, workload), teardown ${m.teardownS.toFixed(1)} s; ${m.wallS.toFixed(1)} s in all, harness CPU ${m.cpuS.toFixed(2)} s, ${m.polls} port calls, timeline events at most ${m.lateMs.toFixed(0)} ms (scenario time) late, verdicts ${[...new Set(m.verdicts)].join('/')}`);
}
console.log(`6 vs 1 variants: CPU ×${(six.cpuS / one.cpuS).toFixed(2)}, scenario wall ×${(six.scenarioWallS / one.scenarioWallS).toFixed(2)}, port calls ×${(six.polls / one.polls).toFixed(2)}`);
await rm(work, { recursive: true, force: true });
