// One round of bench:sim on the tree at `root` (this one, or --against's worktree): the scenario
// library simulated and checked with every variant, on this thread or on a pool of `workers`
// threads (costliest scenario first). Loads that tree's own src/ and scenarios/, so a ref's round
// runs its own code on its own library; the figure is per virtual second, so the two compare.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const load = (root, path) => import(pathToFileURL(join(root, path)).href);

export async function setup(root, { workers = 1, scenarios: scenarioDir = join(root, 'scenarios') } = {}) {
  const { loadScenarios } = await load(root, 'src/scenario/files.ts');
  const { modelNames } = await load(root, 'src/models/registry.ts');
  const { runScenario } = await load(root, 'src/runner/run-scenario.ts');
  const { checkScenarioRun } = await load(root, 'src/check/scenario-check.ts');
  const { simBackend } = await load(root, 'src/backends/sim/backend.ts');
  const variants = modelNames();
  const scenarios = await loadScenarios([scenarioDir]);
  const virtualMs = scenarios.reduce((sum, scenario) => sum + scenario.durationMs, 0);

  const costByFile = {};
  const oneThread = async (seed) => {
    for (const scenario of scenarios) {
      const started = performance.now();
      checkScenarioRun(await runScenario(scenario, { backend: simBackend, variants, seed, runDir: '/tmp/statuschaos-bench' }), variants);
      costByFile[scenario.file] = performance.now() - started;
    }
  };
  await oneThread(0); // warm-up (module loading, JIT), and each scenario's cost for the pool's order
  let pool;
  let run = oneThread;
  if (workers > 1) {
    const { WorkerPool } = await load(root, 'src/pipeline/worker-pool.ts');
    const ordered = [...scenarios].sort((a, b) => costByFile[b.file] - costByFile[a.file]);
    pool = new WorkerPool({ module: pathToFileURL(join(root, 'src/pipeline/scenario-worker.ts')), workers, workerData: { backend: 'sim', settings: { env: {} }, variants, profile: undefined, workDir: '/tmp/statuschaos-bench' } });
    run = async (seed) => {
      for await (const _ of pool.map(ordered.map((scenario) => ({ scenario, seed }))));
    };
    await run(0);
  }
  return {
    async round(seed) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      await run(seed);
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000; // this process's threads (workers and GC helpers included): steadier than wall time on a busy machine
      const speedup = virtualMs / wallMs;
      const runsPerSecond = (scenarios.length / wallMs) * 1000;
      return {
        speedup: { label: 'sim speedup', value: speedup, unit: '× real time', text: `${speedup.toFixed(0)}× real time (${scenarios.length} scenarios, ${(virtualMs / 1000).toFixed(0)} s virtual in ${wallMs.toFixed(0)} ms, ${runsPerSecond.toFixed(1)} runs/s)` },
        perCpu: { label: 'virtual s per CPU s', value: virtualMs / cpuMs, unit: '× per CPU second', text: `${(virtualMs / cpuMs).toFixed(0)}× per CPU second (${cpuMs.toFixed(0)} ms CPU)` },
      };
    },
    close: () => pool?.close(),
  };
}
