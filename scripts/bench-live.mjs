#!/usr/bin/env node
// Benchmark of the live local backend (needs `npm run tools`): control-plane cold start from
// built tools, each scenario's wall time against its scheduled (scaled) duration, and what
// running 6 tracker variants costs against 1, side by side in one run; then real Flink
// (--flink real, skipped without its build): JobManager cold start, restart to RUNNING, and a
// scenario's wall time ÷ schedule at StreamPark timing.
// scenario's wall time ÷ schedule at StreamPark timing; then StreamPark's own code (real-2.1.3,
// real-2.1.4, skipped without its driver): JVM spawn → hello → ready, → first poll, wall ÷
// scheduled beside the models, peak RSS per console JVM.
// Usage: npm run bench:live [-- --scenario scenarios/incident-3618.yaml] [-- --flink-scenario scenarios/restart-without-fault.yaml] [-- --no-flink] [-- --real-scenario scenarios/restart-without-fault.yaml] [-- --no-real]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { argv } from 'zx';

const { startControlPlane } = await import('../src/backends/local/control-plane/index.ts');
const { localBackend } = await import('../src/backends/local/backend.ts');
const { runAndStore } = await import('../src/pipeline/run-and-store.ts');
const { readRunRecord } = await import('../src/record/store.ts');
const { loadScenarios } = await import('../src/scenario/files.ts');
const { modelNames } = await import('../src/models/registry.ts');
const { PROFILE_SCALE } = await import('../src/models/timing.ts');
const { defaultToolsDir } = await import('../src/backends/shared/tools-dir.ts');

const scenarioFile = argv.scenario ?? new URL('../scenarios/incident-3618.yaml', import.meta.url).pathname;
const work = await mkdtemp(join(tmpdir(), 'statuschaos-bench-live-'));
const seconds = (ms) => (ms / 1000).toFixed(2);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// 1. cold start, three times
const starts = [];
for (let i = 0; i < 3; i++) {
  const began = performance.now();
  const plane = await startControlPlane({ runDir: join(work, `cold-${i}`) });
  starts.push((performance.now() - began) / 1000);
  await plane.stop();
}
console.log(`control plane cold start (built tools → API ready, node Ready): median ${median(starts).toFixed(2)} s (runs: ${starts.map((s) => s.toFixed(2)).join(', ')})`);

/** One run of `scenario` on the local backend; wall, CPU and what the scenario run recorded. */
async function measure(scenario, variants, profile, settings = {}) {
  const outDir = join(work, `run-${variants.length}-${settings.flink ?? 'stub'}`);
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  await runAndStore({ backend: localBackend({ env: process.env, workDir: outDir, ...settings }), scenarios: [scenario], variants, seed: 1, repeat: 1, profile, outDir, workDir: outDir, onProgress: () => {} });
  const record = await readRunRecord(outDir);
  const wallS = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const run = record.scenarios[0];
  const lateness = run.lanes.faults.filter((entry) => entry.kind !== 'fault.removed').map((entry) => {
    const planned = [...run.faults, ...run.actions].find((item) => item.id === entry.id);
    return planned ? entry.t - planned.atMs : 0;
  });
  const polls = Object.values(run.lanes.variants).reduce((sum, lane) => sum + lane.polls.length, 0);
  return { wallS, scheduledS: (scenario.durationMs * PROFILE_SCALE[profile]) / 1000, scenarioWallS: run.phases.runMs / 1000, setupS: run.phases.setupMs / 1000, teardownS: run.phases.teardownMs / 1000, cpuS: (cpu.user + cpu.system) / 1e6, lateMs: Math.max(0, ...lateness), polls, verdicts: record.results.map((r) => r.verdict), run };
}
const describe = (label, scenario, m) =>
  `${label}: ${scenario.name} scheduled ${m.scheduledS.toFixed(1)} s wall, ran ${m.scenarioWallS.toFixed(1)} s (ratio ${(m.scenarioWallS / m.scheduledS).toFixed(3)}); setup ${m.setupS.toFixed(1)} s, teardown ${m.teardownS.toFixed(1)} s; ${m.wallS.toFixed(1)} s in all (÷ scheduled ${(m.wallS / m.scheduledS).toFixed(2)}), harness CPU ${m.cpuS.toFixed(2)} s, ${m.polls} port calls, timeline events at most ${m.lateMs.toFixed(0)} ms (scenario time) late, verdicts ${[...new Set(m.verdicts)].join('/')}`;

// 2. and 3. one scenario with 1 variant and with all 6, fast timing, the REST stub
const [scenario] = await loadScenarios([scenarioFile]);
const one = await measure(scenario, ['minimal-fix'], 'fast');
const six = await measure(scenario, modelNames(), 'fast');
console.log(describe('1 variant ', scenario, one));
console.log(describe('6 variants', scenario, six));
console.log(`6 vs 1 variants: CPU ×${(six.cpuS / one.cpuS).toFixed(2)}, scenario wall ×${(six.scenarioWallS / one.scenarioWallS).toFixed(2)}, port calls ×${(six.polls / one.polls).toFixed(2)}`);

// 4. real Flink: cold start and restart of the JobManager (its own processes, no control plane), then a scenario
if (argv.flink === false || !existsSync(join(defaultToolsDir(), 'flink', 'jvm-params.json'))) {
  console.log('real Flink: skipped (not built: `npm run tools` with a JDK and Maven; or --no-flink)');
} else {
  const { loadFlinkInstall } = await import('../src/backends/local/flink/flink-install.ts');
  const { FlinkProcesses } = await import('../src/backends/local/flink/flink-processes.ts');
  const { fullyRunning, readOverview } = await import('../src/backends/local/flink/flink-rest.ts');
  const { freeLocalPort } = await import('../src/backends/shared/toxiproxy/free-port.ts');
  const install = loadFlinkInstall(process.env);
  /** ms from `since` to the first answer of any kind, to the job RUNNING, and to every task running. */
  const watch = async (port, since) => {
    const at = {};
    for (;;) {
      const answer = await readOverview(port);
      const t = performance.now() - since;
      if (answer.kind !== 'down') at.rest ??= t;
      const job = answer.kind === 'jobs' ? answer.jobs[0] : undefined;
      if (job?.state === 'RUNNING') at.running ??= t;
      if (job !== undefined && fullyRunning(job)) return { ...at, tasks: t };
      if (t > 120_000) throw new Error('real Flink did not run its job within 120 s');
      await sleep(25);
    }
  };
  const cold = [];
  const restart = [];
  for (let i = 0; i < 3; i++) {
    const dir = join(work, `flink-${i}`);
    const layout = { dir, logsDir: join(dir, 'logs'), restPort: await freeLocalPort(), rpcPort: await freeLocalPort(), zooKeeperPort: undefined, jobName: 'bench', clusterId: 'bench' };
    const processes = new FlinkProcesses(install, layout, process.env);
    await processes.prepare();
    try {
      let began = performance.now();
      processes.startJobManager();
      processes.startTaskManager();
      cold.push(await watch(layout.restPort, began));
      // a container restart with a 12 s downtime (longer than the TaskManager's 10 s heartbeat timeout, as in the library)
      await processes.kill('jobmanager');
      await sleep(12_000);
      began = performance.now();
      processes.startJobManager();
      restart.push(await watch(layout.restPort, began));
    } finally {
      await processes.stopAll();
    }
  }
  const figures = (runs, key) => `median ${seconds(median(runs.map((run) => run[key])))} s (${runs.map((run) => seconds(run[key])).join(', ')})`;
  console.log(`real Flink JobManager cold start (JVM launch → REST answers): ${figures(cold, 'rest')}; → job RUNNING: ${figures(cold, 'running')}; → every task running: ${figures(cold, 'tasks')}`);
  console.log(`real Flink restart (JobManager started again after 12 s down → REST answers): ${figures(restart, 'rest')}; → job RUNNING (what trackers see): ${figures(restart, 'running')}; → every task running: ${figures(restart, 'tasks')}`);
  const [flinkScenario] = await loadScenarios([argv['flink-scenario'] ?? new URL('../scenarios/restart-without-fault.yaml', import.meta.url).pathname]);
  const real = await measure(flinkScenario, modelNames(), 'streampark', { flink: 'real' });
  console.log(describe('real Flink, 6 variants, StreamPark timing', flinkScenario, real));
}
// 5. StreamPark's own code beside its models, at StreamPark's timing (the only one it runs at)
const { getTracker } = await import('../src/trackers/registry.ts');
const realTrackers = ['real-2.1.3', 'real-2.1.4'];
const notBuilt = realTrackers.map((name) => getTracker(name).unavailable?.(process.env)).find((why) => why !== undefined);
if (argv.real === false || notBuilt !== undefined) {
  console.log(`real trackers: skipped (${notBuilt ?? '--no-real'})`);
} else {
  const [realScenario] = await loadScenarios([argv['real-scenario'] ?? new URL('../scenarios/restart-without-fault.yaml', import.meta.url).pathname]);
  const both = await measure(realScenario, ['v2.1.3', 'real-2.1.3', 'v2.1.4', 'real-2.1.4'], 'streampark');
  console.log(describe('models and real trackers, StreamPark timing', realScenario, both));
  for (const name of realTrackers) {
    const events = both.run.lanes.variants[name]?.events ?? [];
    const first = (type) => events.find((event) => event.type === type);
    const started = first('process.started');
    const polled = first('rest-url.resolved'); // the first poll resolves the JobManager's REST URL first
    const memory = first('process.memory');
    const ready = started?.readyWallMs;
    console.log(
      `${name}: JVM spawn → hello ${started ? seconds(started.helloWallMs) : '?'} s, → ready ${ready !== undefined ? seconds(ready) : '?'} s; ` +
        `time 0 → first poll ${polled ? seconds(polled.t) : '?'} s (spawn → first poll, the harness's wait before time 0 left out: ${ready !== undefined && polled ? seconds(ready + polled.t) : '?'} s); ` +
        `watcher registered ${first('watcher.registered') ? seconds(first('watcher.registered').t) : '?'} s after time 0; peak RSS ${memory ? (memory.peakRssKiB / 1024).toFixed(0) : '?'} MiB`,
    );
  }
}
await rm(work, { recursive: true, force: true });
