/**
 * A pool of worker threads that turns tasks into results, handed out in task order whatever the
 * number of threads and whichever finishes first, so a run's output does not depend on N. Each
 * free thread takes the next task; at most `lookAhead` tasks are started ahead of the result
 * the caller waits for, so memory stays bounded when one task is slow. A task's error is thrown
 * where its result would have come (the results before it are handed out first). An abort (Ctrl-C)
 * tells every thread to stop and clean up, and terminates those still running after
 * `stopGraceMs`. The worker side is worker-tasks.ts. Used by `run` (scenario-worker.ts) and
 * scripts/bench-sim.mjs; nothing in it is specific to scenario runs (the explorer can use it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { reviveError } from './worker-errors.ts';
import type { FromWorker, ToWorker, WorkerStart } from './worker-tasks.ts';

export interface WorkerPoolOptions {
  /** the worker module; it calls `serveTasks` (worker-tasks.ts) */
  module: URL;
  /** threads at most; they start as tasks need them */
  workers: number;
  /** given to every worker's setup (structured-cloned) */
  workerData?: unknown;
  /** tasks started beyond the result the caller waits for, at most (default 4 × workers) */
  lookAhead?: number;
  signal?: AbortSignal;
  /** after an abort, how long threads may clean up before they are terminated (default 1 s) */
  stopGraceMs?: number;
  /**
   * On abort, rather than throw at once: start no new task, tell the threads to stop, and still
   * hand out, in order, the results of the tasks under way that come back within stopGraceMs
   * (the explorer keeps what its stopped batches found); then end.
   */
  drainOnAbort?: boolean;
  onProgress?: (text: string) => void;
  resourceLimits?: ResourceLimits;
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: Error };

interface Thread {
  worker: Worker;
  index: number;
  /** id of the task it runs */
  task: number | undefined;
  alive: boolean;
  exited: Promise<void>;
  lastError: Error | undefined;
}

interface Mapping<T> {
  source: Iterator<T> | AsyncIterator<T>;
  /** id of its first task */
  base: number;
  sent: number;
  handed: number;
  /** the pool's failure count when it began: a failure since stops new tasks */
  failuresBefore: number;
  exhausted: boolean;
  pumping: boolean;
  sourceError: { error: unknown } | undefined;
}

export class WorkerPool<T, R> {
  private readonly options: WorkerPoolOptions;
  private readonly lookAhead: number;
  private readonly threads: Thread[] = [];
  private readonly outcomes = new Map<number, Outcome<R>>();
  private current: Mapping<T> | undefined;
  private nextId = 0;
  private failures = 0;
  private events = 0;
  private wake: (() => void) | undefined;
  private closed = false;

  constructor(options: WorkerPoolOptions) {
    if (!Number.isSafeInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be a positive integer, got ${options.workers}`);
    this.options = options;
    this.lookAhead = Math.max(options.workers, options.lookAhead ?? 4 * options.workers);
  }

  /** Threads started and not yet exited. */
  get liveThreads(): number {
    return this.threads.filter((thread) => thread.alive).length;
  }

  /** Each task's result, in task order. One map at a time; the pool can map again after one ends normally. */
  async *map(tasks: Iterable<T> | AsyncIterable<T>): AsyncGenerator<R, void, undefined> {
    if (this.closed) throw new Error('the worker pool is closed');
    if (this.current !== undefined) throw new Error('the worker pool maps one set of tasks at a time');
    const source = Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : tasks[Symbol.iterator]();
    const mapping: Mapping<T> = { source, base: this.nextId, sent: 0, handed: 0, failuresBefore: this.failures, exhausted: false, pumping: false, sourceError: undefined };
    this.current = mapping;
    const signal = this.options.signal;
    const drain = this.options.drainOnAbort === true;
    let drainUntil: number | undefined;
    const onAbort = () => {
      if (drain) for (const thread of this.threads) if (thread.alive) thread.worker.postMessage({ type: 'abort' } satisfies ToWorker<T>);
      this.notify();
    };
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
    try {
      for (;;) {
        const seen = this.events;
        if (signal?.aborted && !drain) throw signal.reason;
        if (signal?.aborted) {
          drainUntil ??= Date.now() + (this.options.stopGraceMs ?? 1_000);
          mapping.exhausted = true; // no new task
          if (Date.now() >= drainUntil) return; // the rest did not come back in time: dropped (the threads are stopped below)
        }
        if (mapping.sourceError !== undefined) throw mapping.sourceError.error;
        await this.pump(mapping);
        const id = mapping.base + mapping.handed;
        const outcome = this.outcomes.get(id);
        if (outcome !== undefined) {
          this.outcomes.delete(id);
          mapping.handed += 1;
          if (!outcome.ok) throw outcome.error;
          yield outcome.value;
          continue;
        }
        if ((mapping.exhausted || this.failures > mapping.failuresBefore) && mapping.handed === mapping.sent) return;
        if (this.events === seen) await this.waitForEvent(drainUntil);
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.nextId = mapping.base + mapping.sent;
      this.current = undefined;
      // a task still running or a result unread: the threads are not in a state to map again
      if (mapping.handed < mapping.sent || this.failures > mapping.failuresBefore) await this.stop();
    }
  }

  /** Let every thread finish its cleanup and exit (escalating to stop() on abort). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const alive = this.threads.filter((thread) => thread.alive);
    for (const thread of alive) thread.worker.postMessage({ type: 'close' } satisfies ToWorker<T>);
    const exited = Promise.all(alive.map((thread) => thread.exited));
    const signal = this.options.signal;
    if (signal === undefined) return void (await exited);
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', (onAbort = () => resolve()), { once: true })));
    await Promise.race([exited, aborted]);
    signal.removeEventListener('abort', onAbort);
    if (signal.aborted) await this.terminateAfterGrace(alive, true);
  }

  /** Abort every thread's task, give them `stopGraceMs` to clean up, then terminate the rest. */
  async stop(): Promise<void> {
    this.closed = true;
    const alive = this.threads.filter((thread) => thread.alive);
    for (const thread of alive) {
      thread.worker.postMessage({ type: 'abort' } satisfies ToWorker<T>);
      thread.worker.postMessage({ type: 'close' } satisfies ToWorker<T>);
    }
    await this.terminateAfterGrace(alive, false);
  }

  private async terminateAfterGrace(threads: Thread[], abortFirst: boolean): Promise<void> {
    if (abortFirst) for (const thread of threads) if (thread.alive) thread.worker.postMessage({ type: 'abort' } satisfies ToWorker<T>);
    const timer = new AbortController();
    await Promise.race([Promise.all(threads.map((thread) => thread.exited)), sleep(this.options.stopGraceMs ?? 1_000, undefined, { signal: timer.signal }).catch(() => {})]);
    timer.abort();
    await Promise.all(threads.filter((thread) => thread.alive).map((thread) => thread.worker.terminate()));
  }

  /** Start tasks on free threads while the look-ahead allows; one pump at a time, after each result too. */
  private async pump(mapping: Mapping<T>): Promise<void> {
    if (mapping.pumping) return;
    mapping.pumping = true;
    try {
      while (!mapping.exhausted && !this.closed && this.failures === mapping.failuresBefore && mapping.sent - mapping.handed < this.lookAhead) {
        const thread = this.freeThread();
        if (thread === undefined) break;
        const next = await mapping.source.next();
        if (next.done) {
          mapping.exhausted = true;
          this.notify(); // the caller may be waiting for exactly this
          break;
        }
        thread.task = mapping.base + mapping.sent;
        mapping.sent += 1;
        thread.worker.postMessage({ type: 'task', id: thread.task, task: next.value } satisfies ToWorker<T>);
      }
    } catch (error) {
      mapping.sourceError = { error };
      this.notify();
    } finally {
      mapping.pumping = false;
    }
  }

  private freeThread(): Thread | undefined {
    return this.threads.find((thread) => thread.alive && thread.task === undefined) ?? (this.liveThreads < this.options.workers ? this.startThread() : undefined);
  }

  private startThread(): Thread {
    const index = this.threads.length;
    const worker = new Worker(this.options.module, {
      workerData: { data: this.options.workerData, index } satisfies WorkerStart,
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    let exited!: () => void;
    const thread: Thread = { worker, index, task: undefined, alive: true, exited: new Promise((resolve) => (exited = resolve)), lastError: undefined };
    worker.on('message', (message: FromWorker<R>) => {
      if (message.type === 'progress') return void this.options.onProgress?.(message.text);
      thread.task = undefined;
      this.settle(message.id, message.type === 'result' ? { ok: true, value: message.result } : { ok: false, error: reviveError(message.error) });
    });
    worker.on('error', (error) => (thread.lastError = error));
    worker.on('exit', (code) => {
      thread.alive = false;
      if (thread.task !== undefined && !this.closed) {
        const why = thread.lastError ? `: ${thread.lastError.message}` : '';
        this.settle(thread.task, { ok: false, error: new Error(`worker thread ${index + 1} exited (code ${code}) while running task ${thread.task - (this.current?.base ?? 0) + 1}${why}`) });
      }
      thread.task = undefined;
      exited();
      this.notify();
    });
    this.threads.push(thread);
    return thread;
  }

  private settle(id: number, outcome: Outcome<R>): void {
    this.outcomes.set(id, outcome);
    if (!outcome.ok) this.failures += 1;
    this.notify();
    // the freed thread takes the next task now, not when the caller asks for the next result
    if (this.current !== undefined) void this.pump(this.current);
  }

  /** Until the next event (a result, a thread's exit, the abort), or at the latest `until` (Date.now()). */
  private async waitForEvent(until: number | undefined): Promise<void> {
    const timer = until === undefined ? undefined : setTimeout(() => this.notify(), Math.max(0, until - Date.now()));
    try {
      await new Promise<void>((resolve) => (this.wake = resolve));
    } finally {
      clearTimeout(timer);
    }
  }

  private notify(): void {
    this.events += 1;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** `tasks` through a pool that is closed at the end, however the iteration ends. */
export async function* mapInWorkers<T, R>(tasks: Iterable<T> | AsyncIterable<T>, options: WorkerPoolOptions): AsyncGenerator<R, void, undefined> {
  const pool = new WorkerPool<T, R>(options);
  try {
    yield* pool.map(tasks);
  } finally {
    await pool.close();
  }
}
