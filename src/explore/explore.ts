/**
 * The explorer: generates fault schedules (fast-check, seeded), runs each on the simulation with
 * every chosen variant, checks the truth oracles, and shrinks each new kind of violation (variant
 * × oracle × shape of the first divergence) to a minimal schedule that still shows it. The seed
 * space is cut into batches — each with its own fast-check seed drawn from the run's seed — so
 * a finding replays from (batch seed, index), shards split the batches and worker threads run
 * them side by side (batch.ts does one batch).
 */
import type { FoundAt } from '../record/explore-record.ts';
import { batchArbitrary, exploreBatch, shrinkAgain, type BatchFinding, type BatchResult, type BatchSettings } from './batch.ts';
import { BATCH_SIZE, batchResults, stopSignal } from './batch-loop.ts';

const EXPLORE_WORKER = new URL('./explore-worker.ts', import.meta.url);

export interface ExploreOptions extends BatchSettings {
  seed: number;
  /** stop after this many schedules, or this much wall time (whichever comes first) */
  budget: { runs?: number; ms?: number };
  /** this process explores batches i, i + n, i + 2n, … (`--shard i/n`, 0-based i) */
  shard?: { index: number; count: number };
  /** worker threads that explore batches side by side (default 1: this thread); the findings do not depend on it */
  workers?: number;
  onProgress?: (progress: ExploreProgress) => void;
  /** in this thread (no --workers), awaited before each shrink starts */
  beforeShrink?: () => Promise<void>;
  /** called when a new finding is shrunk (before the explorer goes on) */
  onFinding?: (finding: Finding) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ExploreProgress {
  schedules: number;
  /** stops the oracles could not judge so far */
  unjudged: number;
  findings: number;
  elapsedMs: number;
  /** schedules per second so far */
  rate: number;
  /** of the budget, when it is a time budget */
  leftMs: number | undefined;
  /** what the explorer is doing: exploring, or shrinking a finding */
  doing: string;
}

export interface Finding extends Omit<BatchFinding, 'index' | 'reused'> {
  /** how often the signature showed while exploring (schedules) */
  occurrences: number;
  found: FoundAt;
}

export interface ExploreResult {
  schedules: number;
  /** stops the oracles could not judge (check/stops.ts) */
  unjudged: number;
  elapsedMs: number;
  interrupted: boolean;
  findings: Finding[];
}

/**
 * Explore batches in shard order until the budget is spent. Results are taken in batch order
 * whatever the number of threads: a signature's finding is the one of the first batch that shows
 * it (that batch never knows it beforehand, so it shrinks it itself), which makes the findings of
 * a `--runs` budget the same for any --workers. A batch that shrank a signature an earlier batch
 * also found (both ran at once) only adds to its count.
 */
export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  // the budget bounds the wall time, shrinking included: at its end everything stops as on Ctrl-C, and what was found is kept
  const stop = stopSignal(options.signal, options.budget.ms);
  const settings: BatchSettings = { variants: options.variants, oracles: options.oracles, heal: options.heal, ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}), ...(options.targets ? { targets: options.targets } : {}) };
  const found = new Map<string, Finding>();
  let schedules = 0;
  let unjudged = 0;
  let lastReport = 0;
  let doing = 'exploring';
  const stopped = () => options.signal?.aborted === true;
  const report = (force = false) => {
    if (!force && elapsed() - lastReport < 1_000) return;
    lastReport = elapsed();
    const seconds = elapsed() / 1_000;
    options.onProgress?.({ schedules, unjudged, findings: found.size, elapsedMs: elapsed(), rate: seconds > 0 ? schedules / seconds : 0, leftMs: options.budget.ms === undefined ? undefined : Math.max(0, options.budget.ms - elapsed()), doing });
  };
  const onDoing = (text: string) => {
    doing = text;
    report(true);
  };

  const results = batchResults<BatchResult>({
    seed: options.seed,
    budget: options.budget,
    ...(options.shard ? { shard: options.shard } : {}),
    workers: options.workers ?? 1,
    workerModule: EXPLORE_WORKER,
    workerData: settings,
    inThisThread: () => {
      const arbitrary = batchArbitrary(settings);
      const onShrink = async (signature: string) => {
        onDoing(`shrinking ${signature}`);
        await options.beforeShrink?.();
      };
      return (task) => exploreBatch(task, settings, arbitrary, { ...(options.signal ? { signal: options.signal } : {}), onShrink });
    },
    known: () => [...found.keys()],
    onDoing,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let mainArbitrary: ReturnType<typeof batchArbitrary> | undefined; // built if a finding must be shrunk again here
  for await (const { task, result } of results) {
    const accepted: BatchFinding[] = [];
    for (const candidate of result.findings) {
      if (found.has(candidate.signature)) continue; // shrunk by a batch that ran beside an earlier one that found it too
      // a shrink that reused one of the schedule's findings an earlier batch had already made is
      // done again without it, as one thread would have done it (the findings must not depend on threads)
      // (once stopped, a candidate is kept as it is: the shrink would not be done in time)
      const stale = candidate.reused !== undefined && !accepted.some((other) => other.signature === candidate.reused && other.index === candidate.index) && !stop.aborted;
      const siblings = accepted.filter((other) => other.index === candidate.index);
      const finding = stale ? await shrinkAgain(candidate, task.batchSeed, (mainArbitrary ??= batchArbitrary(settings)), settings, siblings, stop) : candidate;
      if (finding === undefined) continue;
      accepted.push(finding);
      const { index, reused: _, ...rest } = finding;
      // the batch's own sightings count from the start; later batches add theirs below
      const whole: Finding = { ...rest, occurrences: result.seen[finding.signature] ?? 1, found: { batch: task.batch, batchSeed: task.batchSeed, index, schedule: task.batch * BATCH_SIZE + index + 1, afterMs: Math.round(elapsed()) } };
      found.set(finding.signature, whole);
      await options.onFinding?.(whole);
    }
    for (const [signature, count] of Object.entries(result.seen)) {
      const finding = found.get(signature);
      if (finding !== undefined && !accepted.some((other) => other.signature === signature)) finding.occurrences += count;
    }
    schedules += result.schedules;
    unjudged += result.unjudged;
    doing = stop.aborted ? 'stopping' : 'exploring';
    report();
    // no break when stopped: the batches under way end within a schedule's run and their findings (shrunk or not) are kept
  }
  doing = 'done';
  report(true);
  return { schedules, unjudged, elapsedMs: Math.round(elapsed()), interrupted: stopped(), findings: [...found.values()] };
}
