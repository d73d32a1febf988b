/**
 * The pipeline of a run: scenarios run on a backend (runner), each scenario run checked (check)
 * and stored as it finishes (record), so the report can be rendered from the folder afterwards.
 */
import { checkScenarioRun } from '../check/scenario-check.ts';
import { RUN_FORMAT, type RunHeader } from '../record/run-record.ts';
import { RunStore } from '../record/store.ts';
import { PROFILE_SCALE } from '../models/timing.ts';
import { runScenarios, type RunOptions } from '../runner/run.ts';
import { TOOL } from '../tool.ts';

/** The header of a run's record, from its options. */
export function runHeader(options: Pick<RunOptions, 'backend' | 'profile' | 'variants'>, metadata: Record<string, string> = {}): RunHeader {
  return {
    format: RUN_FORMAT,
    tool: TOOL,
    backend: options.backend.name,
    startedAt: new Date().toISOString(),
    metadata: { ...metadata },
    timing: { profile: options.profile ?? 'per scenario', scale: options.profile ? PROFILE_SCALE[options.profile] : 1 },
    variants: options.variants,
  };
}

/**
 * Run, check and store every scenario run into `outDir`; run.json says `complete` at the end,
 * or `interrupted` when the run was stopped (the error is rethrown after the files are closed).
 */
export async function runAndStore(options: RunOptions & { outDir: string; metadata?: Record<string, string> }): Promise<RunStore> {
  const store = await RunStore.create(options.outDir, runHeader(options, options.metadata), options.scenarios.length * options.repeat);
  try {
    await runScenarios(options, async (run) => store.add(run, checkScenarioRun(run, options.variants)));
  } catch (error) {
    await store.finish('interrupted');
    throw error;
  }
  await store.finish('complete');
  return store;
}
