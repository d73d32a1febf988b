/**
 * Every scenario × seed (or a shard's share of them) on one backend, one after the other; each
 * finished scenario run is handed to `onRun` before the next starts (the caller checks and stores
 * it, so a crash still leaves what was done). The backend is shut down at the end, whatever
 * happened. Worker threads run the same tasks in pipeline/parallel-run.ts.
 */
import { join } from 'node:path';
import type { Backend } from '../backends/backend.ts';
import type { ProfileName } from '../models/timing.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import { shardSize, takeShard, WHOLE, type Shard } from '../record/shard.ts';
import { scenarioRunId } from '../record/store.ts';
import type { Scenario } from '../scenario/types.ts';
import { runScenario } from './run-scenario.ts';

export interface RunOptions {
  backend: Backend;
  scenarios: Scenario[];
  variants: string[];
  /** first seed; repetition i uses seed + i (default: the scenario's own `seed`, else 1) */
  seed: number | undefined;
  repeat: number;
  /** run only this shard's part of the tasks (`--shard i/n`; default: all) */
  shard?: Shard;
  profile: ProfileName | undefined;
  /** where backends keep per-scenario files (logs, kubeconfigs): `<workDir>/runs/<id>` */
  workDir: string;
  onProgress: (message: string) => void;
  signal?: AbortSignal;
  /** the trackers' settings (`STATUSCHAOS_STREAMPARK_HOME`, …); default: this process's environment */
  env?: NodeJS.ProcessEnv;
}

/** One scenario at one seed: the unit of work of a run. */
export interface ScenarioTask {
  scenario: Scenario;
  seed: number;
}

/** The run's tasks in order, one at a time (a long --repeat is never held in memory): every repetition of every scenario. */
export function* scenarioTasks(scenarios: readonly Scenario[], seed: number | undefined, repeat: number): Generator<ScenarioTask> {
  for (let repetition = 0; repetition < repeat; repetition++) {
    for (const scenario of scenarios) yield { scenario, seed: (seed ?? scenario.seed ?? 1) + repetition };
  }
}

/** The tasks this process runs — the shard's share of the run's tasks, in the run's order, one at a time — and how many they are. */
export function shardTasks(options: Pick<RunOptions, 'scenarios' | 'seed' | 'repeat' | 'shard'>): { tasks: Generator<ScenarioTask>; count: number } {
  const shard = options.shard ?? WHOLE;
  return { tasks: takeShard(scenarioTasks(options.scenarios, options.seed, options.repeat), shard), count: shardSize(options.scenarios.length * options.repeat, shard) };
}

export async function runScenarios(options: RunOptions, onRun: (run: ScenarioRun) => Promise<void>): Promise<void> {
  const { tasks, count } = shardTasks(options);
  let index = 0;
  try {
    for (const { scenario, seed } of tasks) {
      if (options.signal?.aborted) throw options.signal.reason;
      index += 1;
      options.onProgress(`[${index}/${count}] ${scenario.name} (seed ${seed})`);
      const run = await runScenario(scenario, {
        backend: options.backend,
        variants: options.variants,
        seed,
        profile: options.profile,
        runDir: join(options.workDir, 'runs', scenarioRunId(scenario.name, seed)),
        onProgress: options.onProgress,
        signal: options.signal,
        ...(options.env !== undefined ? { env: options.env } : {}),
      });
      await onRun(run);
    }
  } finally {
    await options.backend.shutdown?.();
  }
}
