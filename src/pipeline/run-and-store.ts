/**
 * The pipeline of a run: scenarios run on a backend (runner), each scenario run checked (check)
 * and stored as it finishes (record), so the report can be rendered from the folder afterwards.
 * On one thread, or on worker threads (parallel-run.ts) with the same result; the whole run or
 * one shard of it (`--shard i/n`, merged later by `statuschaos merge`).
 */
import { checkScenarioRun } from '../check/scenario-check.ts';
import { RUN_FORMAT, type RunHeader } from '../record/run-record.ts';
import { shardSize, WHOLE } from '../record/shard.ts';
import { RunStore } from '../record/store.ts';
import { PROFILE_SCALE } from '../models/timing.ts';
import { runScenarios, type RunOptions } from '../runner/run.ts';
import { TOOL } from '../tool.ts';
import { runInWorkers, type WorkerSettings } from './parallel-run.ts';
import { shardRecord } from './shard-record.ts';

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

export interface RunAndStoreOptions extends RunOptions {
  outDir: string;
  metadata?: Record<string, string>;
  /** run on worker threads (when more than one thread would have work) */
  workers?: WorkerSettings;
}

/**
 * Run, check and store every scenario run into `outDir`; run.json says `complete` at the end,
 * or `interrupted` when the run was stopped (the error is rethrown after the files are closed).
 */
export async function runAndStore(options: RunAndStoreOptions): Promise<RunStore> {
  // keep-lanes decisions and ids follow the whole run, so a shard stores what the whole run would
  const totalRuns = options.scenarios.length * options.repeat;
  const header = runHeader(options, options.metadata);
  if (options.shard !== undefined) header.shard = shardRecord(options, options.shard, totalRuns);
  const store = await RunStore.create(options.outDir, header, totalRuns);
  const threads = Math.min(options.workers?.count ?? 1, shardSize(totalRuns, options.shard ?? WHOLE));
  try {
    if (threads > 1) await runInWorkers(options, { ...options.workers!, count: threads }, async ({ run, check }) => store.add(run, check));
    else await runScenarios(options, async (run) => store.add(run, checkScenarioRun(run, options.variants)));
  } catch (error) {
    await store.finish('interrupted');
    throw error;
  }
  await store.finish('complete');
  return store;
}
