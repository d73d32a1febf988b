/**
 * The loop every schedule search runs (`explore`, `reproduce`): the run's seed draws one
 * fast-check seed per batch of BATCH_SIZE schedules; batches are handed out in shard order until
 * the budget (schedules or wall time) is spent, run in this thread or on worker threads, and their
 * results come back in batch order whatever the number of threads. What a batch does is the
 * caller's: a worker module for the threads, a function for this thread.
 */
import fc from 'fast-check';
import { mapInWorkers } from '../pipeline/worker-pool.ts';
import { LIMITS } from '../scenario/limits.ts';

/** Schedules per batch: the unit of sharding, of work for a thread, and of replay. */
export const BATCH_SIZE = 32;

const MAX_BATCHES = LIMITS.exploreSchedules / BATCH_SIZE; // drawing their seeds takes about 0.3 s

export interface BatchTask {
  /** the batch's number in the run's seed space */
  batch: number;
  /** fast-check's seed for the batch */
  batchSeed: number;
  /** schedules of the batch to run (the budget's last batch may take fewer than BATCH_SIZE) */
  limit: number;
  /** what was already found when the batch was handed out: seen again, it is counted, not shrunk */
  known: readonly string[];
  /** wall-clock time (Date.now()) after which no further schedule is started: a time budget */
  stopAt?: number;
}

export interface BatchLoopOptions<R> {
  seed: number;
  /** stop after this many schedules, or this much wall time (whichever comes first) */
  budget: { runs?: number; ms?: number };
  /** this process runs batches i, i + n, i + 2n, … (`--shard i/n`, 0-based i) */
  shard?: { index: number; count: number };
  /** worker threads (default 1: this thread) */
  workers?: number;
  /** the worker module (it calls serveTasks with `workerData`) and what it is given */
  workerModule: URL;
  workerData: unknown;
  /** runs batches in this thread (built once, when there are no workers) */
  inThisThread: () => (task: BatchTask) => Promise<R>;
  /** what is known when a batch is handed out */
  known: () => readonly string[];
  /** a line saying what a worker is doing (e.g. shrinking) */
  onDoing?: (text: string) => void;
  signal?: AbortSignal;
}

/** Aborted on `signal` or after `ms` of wall time, whichever comes first: a stop, by Ctrl-C or by the budget. */
export function stopSignal(signal: AbortSignal | undefined, ms: number | undefined): AbortSignal {
  const signals = [...(signal ? [signal] : []), ...(ms !== undefined ? [AbortSignal.timeout(Math.max(0, ms))] : [])];
  return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}

/** The fast-check seed of every batch, drawn from the run's seed. */
export function batchSeeds(seed: number): number[] {
  return fc.sample(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { seed, numRuns: MAX_BATCHES });
}

/**
 * Every batch of the budget with its result, in batch order. A stop — Ctrl-C (`signal`) or the
 * end of a time budget — hands out no further batch; the batches under way end within a
 * schedule's run (each task carries `stopAt`, each thread is told of the signal) and their
 * results, whatever they found so far, still come back in order.
 */
export async function* batchResults<R>(options: BatchLoopOptions<R>): AsyncGenerator<{ task: BatchTask; result: R }> {
  const seeds = batchSeeds(options.seed);
  const shard = options.shard ?? { index: 0, count: 1 };
  const stopAt = options.budget.ms === undefined ? undefined : Date.now() + options.budget.ms;
  const stop = stopSignal(options.signal, options.budget.ms);
  function* tasks(): Generator<BatchTask> {
    let handedOut = 0;
    for (let batch = shard.index; batch < seeds.length; batch += shard.count) {
      const left = options.budget.runs === undefined ? BATCH_SIZE : Math.min(BATCH_SIZE, options.budget.runs - handedOut);
      if (left <= 0 || stop.aborted) return;
      handedOut += left;
      yield { batch, batchSeed: seeds[batch]!, limit: left, known: [...options.known()], ...(stopAt !== undefined ? { stopAt } : {}) };
    }
  }
  const workers = options.workers ?? 1;
  if (workers <= 1) {
    const run = options.inThisThread();
    for (const task of tasks()) yield { task, result: await run(task) };
    return;
  }
  const sent: BatchTask[] = [];
  function* remembered(): Generator<BatchTask> {
    for (const task of tasks()) {
      sent.push(task);
      yield task;
    }
  }
  const results = mapInWorkers<BatchTask, R>(remembered(), {
    module: options.workerModule,
    workers,
    workerData: options.workerData,
    // a batch that shrinks holds up the ones after it: let the other threads run further ahead
    lookAhead: 3 * workers,
    ...(options.onDoing ? { onProgress: options.onDoing } : {}),
    // a Ctrl-C ends the batches under way within a schedule's run; their results (what they found, shrunk or not) are still taken
    ...(options.signal ? { signal: options.signal, drainOnAbort: true, stopGraceMs: 3_000 } : {}),
  });
  for await (const result of results) yield { task: sent.shift()!, result };
}
