/**
 * A worker thread of a parallel run (parallel-run.ts): it opens its own backend once, then runs
 * and checks the scenario runs the pool sends it, one at a time, and closes the backend when the
 * pool closes. Checking happens here too, so the main thread only stores.
 */
import { join } from 'node:path';
import type { BackendName, BackendSettings } from '../backends/backend.ts';
import { createBackend } from '../backends/registry.ts';
import { checkScenarioRun } from '../check/scenario-check.ts';
import type { ProfileName } from '../models/timing.ts';
import type { ScenarioCheck, ScenarioRun } from '../record/run-record.ts';
import { scenarioRunId } from '../record/store.ts';
import { runScenario } from '../runner/run-scenario.ts';
import type { Scenario } from '../scenario/types.ts';
import { serveTasks } from './worker-tasks.ts';

/** What every worker of a run is told once. */
export interface ScenarioWorkerSetup {
  backend: BackendName;
  /** the backend's settings; each worker keeps its files in `<workDir>/workers/<n>` */
  settings: BackendSettings;
  variants: string[];
  profile: ProfileName | undefined;
  /** the run's folder: scenario runs keep their files in `<workDir>/runs/<id>` as in a sequential run */
  workDir: string;
}

export interface ScenarioWork {
  scenario: Scenario;
  seed: number;
}

export interface ScenarioOutcome {
  run: ScenarioRun;
  check: ScenarioCheck;
}

serveTasks<ScenarioWork, ScenarioOutcome>(async (data, index) => {
  const setup = data as ScenarioWorkerSetup;
  const backend = await createBackend(setup.backend, { ...setup.settings, workDir: join(setup.workDir, 'workers', String(index + 1)) });
  return {
    async run({ scenario, seed }, { signal, progress }) {
      const runDir = join(setup.workDir, 'runs', scenarioRunId(scenario.name, seed));
      const run = await runScenario(scenario, { backend, variants: setup.variants, seed, profile: setup.profile, runDir, onProgress: progress, signal, env: setup.settings.env });
      return { run, check: checkScenarioRun(run, setup.variants) };
    },
    dispose: async () => backend.shutdown?.(),
  };
});
