/**
 * The incident search: batches of schedules the incident allows (batch.ts), in batch order on this
 * thread or worker threads (the explorer's loop), until the budget is spent. An explanation is a
 * mechanism the first time a batch shows it, shrunk there; how many schedules showed it is its
 * support. With `--runs` the explanations are the same for any number of threads.
 */
import { BATCH_SIZE, batchResults } from '../explore/batch-loop.ts';
import type { FoundAt } from '../record/explore-record.ts';
import { prepare, reproduceBatch, type BatchExplanation, type ReproduceBatchResult, type ReproduceSettings } from './batch.ts';

const REPRODUCE_WORKER = new URL('./reproduce-worker.ts', import.meta.url);
/** Distinct traces kept per tracker for "what was tried" (the most frequent). */
const TRIED_TRACES = 8;

export interface SearchOptions extends ReproduceSettings {
  seed: number;
  budget: { runs?: number; ms?: number };
  workers?: number;
  onProgress?: (progress: SearchProgress) => void;
  /** called when a new explanation is shrunk (before the search goes on) */
  onExplanation?: (explanation: Explanation) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface SearchProgress {
  schedules: number;
  explanations: number;
  elapsedMs: number;
  rate: number;
  leftMs: number | undefined;
  doing: string;
}

export interface Explanation extends Omit<BatchExplanation, 'index'> {
  /** how many schedules explained the incident by this mechanism */
  support: number;
  found: FoundAt;
}

export interface SearchResult {
  schedules: number;
  elapsedMs: number;
  interrupted: boolean;
  explanations: Explanation[];
  /** wall time to the first explanation */
  firstExplanationMs: number | undefined;
  misses: ReproduceBatchResult['misses'];
  /** per tracker, the most frequent traces of schedules that explained nothing */
  traces: Record<string, { trace: string; count: number }[]>;
}

export async function searchIncident(options: SearchOptions): Promise<SearchResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const settings: ReproduceSettings = { incident: options.incident, trackers: options.trackers, certify: options.certify, heal: options.heal };
  const found = new Map<string, Explanation>();
  const misses = { truth: 0, trace: 0, times: 0 };
  const traces: Record<string, Record<string, number>> = {};
  let schedules = 0;
  let firstExplanationMs: number | undefined;
  let lastReport = 0;
  let doing = 'searching';
  const report = (force = false) => {
    if (!force && elapsed() - lastReport < 1_000) return;
    lastReport = elapsed();
    const seconds = elapsed() / 1_000;
    options.onProgress?.({ schedules, explanations: found.size, elapsedMs: elapsed(), rate: seconds > 0 ? schedules / seconds : 0, leftMs: options.budget.ms === undefined ? undefined : Math.max(0, options.budget.ms - elapsed()), doing });
  };
  const onDoing = (text: string) => {
    doing = text;
    report(true);
  };
  const results = batchResults<ReproduceBatchResult>({
    seed: options.seed,
    budget: options.budget,
    workers: options.workers ?? 1,
    workerModule: REPRODUCE_WORKER,
    workerData: settings,
    inThisThread: () => {
      const prepared = prepare(settings);
      return (task) => reproduceBatch(task, prepared, { ...(options.signal ? { signal: options.signal } : {}), onShrink: (mechanism) => onDoing(`shrinking ${mechanism}`) });
    },
    known: () => [...found.keys()],
    onDoing,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const { task, result } of results) {
    for (const [mechanism, count] of Object.entries(result.seen)) {
      const explanation = found.get(mechanism);
      if (explanation !== undefined) explanation.support += count;
    }
    for (const candidate of result.explanations) {
      if (found.has(candidate.mechanism)) continue; // shrunk by a batch that ran beside an earlier one that found it too
      const { index, ...rest } = candidate;
      firstExplanationMs ??= Math.round(elapsed());
      const explanation: Explanation = { ...rest, support: result.seen[candidate.mechanism] ?? 1, found: { batch: task.batch, batchSeed: task.batchSeed, index, schedule: task.batch * BATCH_SIZE + index + 1, afterMs: Math.round(elapsed()) } };
      found.set(candidate.mechanism, explanation);
      await options.onExplanation?.(explanation);
    }
    for (const why of ['truth', 'trace', 'times'] as const) misses[why] += result.misses[why];
    for (const [tracker, counts] of Object.entries(result.traces)) for (const [trace, count] of Object.entries(counts)) (traces[tracker] ??= {})[trace] = (traces[tracker]![trace] ?? 0) + count;
    schedules += result.schedules;
    doing = 'searching';
    report();
    if (options.signal?.aborted) break;
  }
  doing = 'done';
  report(true);
  const tried = Object.fromEntries(Object.entries(traces).map(([tracker, counts]) => [tracker, Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, TRIED_TRACES).map(([trace, count]) => ({ trace, count }))]));
  return { schedules, elapsedMs: Math.round(elapsed()), interrupted: options.signal?.aborted === true, explanations: [...found.values()], firstExplanationMs, misses, traces: tried };
}
