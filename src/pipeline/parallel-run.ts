/**
 * A run's tasks on worker threads (scenario-worker.ts) through the ordered pool: the same tasks
 * as a sequential run (runner/run.ts), handed to `onRun` in the same order, so the stored run is
 * the same whatever the number of threads. Each thread opens its own backend.
 */
import type { BackendSettings } from '../backends/backend.ts';
import { shardTasks, type RunOptions } from '../runner/run.ts';
import type { ScenarioOutcome, ScenarioWork, ScenarioWorkerSetup } from './scenario-worker.ts';
import { mapInWorkers } from './worker-pool.ts';

export interface WorkerSettings {
  /** threads at most */
  count: number;
  /** what each thread creates its backend from */
  backendSettings: BackendSettings;
  /** after Ctrl-C, how long threads may clean up (a live backend's namespaces and processes) */
  stopGraceMs: number;
}

const SCENARIO_WORKER = new URL('./scenario-worker.ts', import.meta.url);

/** Run, on `workers.count` threads, the tasks runScenarios would run; `onRun` gets each in task order. */
export async function runInWorkers(options: RunOptions, workers: WorkerSettings, onRun: (outcome: ScenarioOutcome) => Promise<void>): Promise<void> {
  const { tasks, count } = shardTasks(options);
  const setup: ScenarioWorkerSetup = { backend: options.backend.name, settings: workers.backendSettings, variants: options.variants, profile: options.profile, workDir: options.workDir };
  function* work(): Generator<ScenarioWork> {
    let index = 0;
    for (const { scenario, seed } of tasks) {
      options.onProgress(`[${++index}/${count}] ${scenario.name} (seed ${seed})`);
      yield { scenario, seed };
    }
  }
  const outcomes = mapInWorkers<ScenarioWork, ScenarioOutcome>(work(), {
    module: SCENARIO_WORKER,
    workers: workers.count,
    workerData: setup,
    stopGraceMs: workers.stopGraceMs,
    onProgress: options.onProgress,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    for await (const outcome of outcomes) await onRun(outcome);
  } finally {
    await options.backend.shutdown?.(); // the threads' backends are closed by the threads; this one was never opened
  }
}
