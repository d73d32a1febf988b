/** Runs and their checks as `statuschaos run` makes them, for tests. */
import type { Backend } from '../../src/backends/backend.ts';
import { checkScenarioRun } from '../../src/check/scenario-check.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runAndStore } from '../../src/pipeline/run-and-store.ts';
import type { CheckedScenarioRun, Result, RunRecord } from '../../src/record/run-record.ts';
import { readRunRecord } from '../../src/record/store.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import type { RunOptions } from '../../src/runner/run.ts';
import type { Scenario } from '../../src/scenario/types.ts';

export async function runChecked(scenario: Scenario, options: { backend: Backend; seed: number; variants?: string[]; runDir?: string }): Promise<{ run: CheckedScenarioRun; results: Result[] }> {
  const variants = options.variants ?? modelNames();
  const run = await runScenario(scenario, { backend: options.backend, variants, seed: options.seed, runDir: options.runDir ?? '/tmp/statuschaos-test' });
  const { results, ...check } = checkScenarioRun(run, variants);
  return { run: { ...run, ...check }, results };
}

/** A whole run into `outDir` (run, check, store), read back as the report reads it. */
export async function runAndRead(options: Omit<RunOptions, 'workDir'> & { outDir: string }): Promise<RunRecord> {
  await runAndStore({ ...options, workDir: options.outDir });
  return readRunRecord(options.outDir);
}
