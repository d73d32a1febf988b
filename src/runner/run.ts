/**
 * A whole run: every scenario × seed on one backend, saved as it goes (run.json is rewritten
 * after each scenario, so a crash still leaves what was done), then checked and summarised.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Backend } from '../backends/backend.ts';
import { PROFILE_SCALE, type ProfileName } from '../models/timing.ts';
import type { Scenario } from '../scenario/types.ts';
import { RUN_FORMAT, type Result, type RunRecord } from './record.ts';
import { runScenario } from './run-scenario.ts';
import { writeRunRecord } from '../report/write.ts';
import { TOOL } from '../tool.ts';

export interface RunOptions {
  backend: Backend;
  scenarios: Scenario[];
  variants: string[];
  /** first seed; run i uses seed + i */
  seed: number | undefined;
  repeat: number;
  profile: ProfileName | undefined;
  outDir: string;
  onProgress: (message: string) => void;
  signal?: AbortSignal;
  metadata?: Record<string, string>;
}

export function summarize(results: readonly Result[], warnings: number): RunRecord['summary'] {
  const count = (verdict: Result['verdict']) => results.filter((result) => result.verdict === verdict).length;
  return { pass: count('pass'), fail: count('fail'), unchecked: count('unchecked'), inconclusive: count('inconclusive'), warnings };
}

export async function runAll(options: RunOptions): Promise<RunRecord> {
  await mkdir(options.outDir, { recursive: true });
  const record: RunRecord = {
    format: RUN_FORMAT,
    tool: TOOL,
    backend: options.backend.name,
    startedAt: new Date().toISOString(),
    metadata: { ...options.metadata },
    timing: { profile: options.profile ?? 'per scenario', scale: options.profile ? PROFILE_SCALE[options.profile] : 1 },
    variants: options.variants,
    results: [],
    scenarios: [],
    summary: summarize([], 0),
  };
  try {
    await runEach(options, record);
  } finally {
    await options.backend.shutdown?.();
  }
  return record;
}

async function runEach(options: RunOptions, record: RunRecord): Promise<void> {
  const total = options.scenarios.length * options.repeat;
  let done = 0;
  for (let repetition = 0; repetition < options.repeat; repetition++) {
    for (const scenario of options.scenarios) {
      if (options.signal?.aborted) throw options.signal.reason;
      const seed = (options.seed ?? scenario.seed ?? 1) + repetition;
      options.onProgress(`[${++done}/${total}] ${scenario.name} (seed ${seed})`);
      const { run, results } = await runScenario(scenario, {
        backend: options.backend,
        variants: options.variants,
        seed,
        profile: options.profile,
        runDir: join(options.outDir, 'runs', `${scenario.name}-${seed}`),
        onProgress: options.onProgress,
        signal: options.signal,
      });
      record.scenarios.push(run);
      for (const [key, value] of Object.entries(run.metadata)) if (key !== 'namespace') record.metadata[key] ??= value;
      record.results.push(...results);
      record.summary = summarize(record.results, record.scenarios.reduce((sum, item) => sum + item.warnings.length, 0));
      await writeRunRecord(record, options.outDir);
    }
  }
}
