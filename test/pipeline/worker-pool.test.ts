// The ordered worker pool: results in task order whatever N and whoever finishes first, a bounded
// look-ahead, errors of their own kind at their task's place, and an abort that leaves no thread.
// Nothing here depends on how fast the machine is: where the order of events matters, the tasks
// wait at gates (fixtures/pool-worker.ts) or the test waits for what a task reports.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { BackendError } from '../../src/backends/backend.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { mapInWorkers, WorkerPool, type WorkerPoolOptions } from '../../src/pipeline/worker-pool.ts';
import { LATCH } from './fixtures/pool-cells.ts';
import type { PoolTestResult, PoolTestTask } from './fixtures/pool-worker.ts';

const MODULE = new URL('./fixtures/pool-worker.ts', import.meta.url);

async function collect(tasks: Iterable<PoolTestTask> | AsyncIterable<PoolTestTask>, options: Partial<WorkerPoolOptions> = {}): Promise<PoolTestResult[]> {
  const results: PoolTestResult[] = [];
  for await (const result of mapInWorkers<PoolTestTask, PoolTestResult>(tasks, { module: MODULE, workers: 2, ...options })) results.push(result);
  return results;
}

/** Delays that make later tasks finish before earlier ones (a fixed pseudo-random sequence). */
const scrambled = (count: number): PoolTestTask[] => Array.from({ length: count }, (_, value) => ({ kind: 'echo', value, delayMs: (value * 37) % 23 }));

/** The cells the gate and hold tasks count in (fixtures/pool-worker.ts). */
const sharedCells = () => {
  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  return { shared, cells: new Int32Array(shared) };
};

/** Resolves when `lines` (progress so far) holds every one of `wanted`. */
function progressSeen(wanted: string[]): { onProgress: (line: string) => void; seen: Promise<void> } {
  const lines = new Set<string>();
  let done!: () => void;
  const seen = new Promise<void>((resolve) => (done = resolve));
  return {
    onProgress: (line) => {
      lines.add(line);
      if (wanted.every((line) => lines.has(line))) done();
    },
    seen,
  };
}

afterEach(() => void vi.restoreAllMocks());

describe('WorkerPool', () => {
  test.for([1, 2, 4])('%i worker(s): every result, in task order, though they finish out of order', async (workers) => {
    // the first `workers` tasks wait for each other: each thread takes one, whatever the machine's speed
    const { shared } = sharedCells();
    const gates: PoolTestTask[] = Array.from({ length: workers }, (_, value) => ({ kind: 'gate', value, parties: workers }));
    const results = await collect([...gates, ...scrambled(40).slice(workers)], { workers, workerData: { shared } });
    expect(results.map((result) => result.value)).toEqual([...Array(40).keys()]);
    expect(new Set(results.map((result) => result.thread)).size).toBe(workers); // every thread took tasks
  });

  test('at most lookAhead tasks are taken beyond the result the caller waits for, and that many are, while the first is held', async () => {
    const { shared, cells } = sharedCells();
    let pulled = 0;
    const pulledWhenHanded: number[] = [];
    function* tasks(): Generator<PoolTestTask> {
      for (let value = 0; value < 30; value++) {
        pulled += 1;
        yield value === 0 ? { kind: 'hold', value } : { kind: 'echo', value, delayMs: 1 };
      }
    }
    // task 0 is held until tasks 1–3 (the rest of the look-ahead) are done and the pool had time to take more
    const { onProgress, seen } = progressSeen(['done 1', 'done 2', 'done 3']);
    const pulledWhileHeld = seen.then(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100)); // task 3's result follows its progress line
      const count = pulled;
      Atomics.store(cells, LATCH, 1);
      return count;
    });
    for await (const result of mapInWorkers<PoolTestTask, PoolTestResult>(tasks(), { module: MODULE, workers: 2, lookAhead: 4, workerData: { shared }, onProgress })) pulledWhenHanded[result.value] = pulled;
    expect(await pulledWhileHeld).toBe(4); // tasks 0–3: the look-ahead is filled, and not passed
    expect(pulledWhenHanded[0]).toBe(4);
    expect(pulledWhenHanded).toHaveLength(30);
    pulledWhenHanded.forEach((count, index) => expect(count, `when result ${index} was handed out`).toBeLessThanOrEqual(index + 1 + 4));
  });

  test.for([
    ['user-error', UserError, { message: 'task 3 is bad', hint: 'fix task', exitCode: 2, location: { file: 'tasks.yaml', line: 3 } }],
    ['backend-error', BackendError, { message: 'task 3 could not run', hint: 'start the backend' }],
  ] as const)('a %s comes back as its own kind, after the results before it', async ([kind, type, fields]) => {
    const tasks: PoolTestTask[] = [...scrambled(3), { kind, value: 3 }, ...scrambled(6).slice(4)];
    const seen: number[] = [];
    const error = await (async () => {
      for await (const result of mapInWorkers<PoolTestTask, PoolTestResult>(tasks, { module: MODULE, workers: 2 })) seen.push(result.value);
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject(fields);
  });

  test('a thread that dies names the task it was running', async () => {
    await expect(collect([...scrambled(2), { kind: 'exit', value: 2 }])).rejects.toThrow(/worker thread \d exited \(code 3\) while running task 3/);
  });

  test('a setup that fails is the error of the first task', async () => {
    await expect(collect(scrambled(3), { workerData: { failSetup: true } })).rejects.toMatchObject({ name: 'BackendError', message: 'setup failed on purpose', hint: 'a hint from setup' });
  });

  test('progress lines from the threads reach the caller', async () => {
    const lines: string[] = [];
    await collect(scrambled(4), { onProgress: (line) => lines.push(line) });
    expect(lines.sort()).toEqual(['done 0', 'done 1', 'done 2', 'done 3']);
  });

  test('an abort stops threads that never yield: after the grace they are terminated, the map rejects with the reason, no thread is left', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const controller = new AbortController();
    const { onProgress, seen } = progressSeen(['spinning 0', 'spinning 1']);
    const pool = new WorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE, workers: 2, signal: controller.signal, stopGraceMs: 300, onProgress });
    const mapped = (async () => {
      for await (const _ of pool.map([{ kind: 'spin', value: 0 }, { kind: 'spin', value: 1 }]));
    })();
    await seen; // both threads are spinning
    expect(pool.liveThreads).toBe(2);
    controller.abort(new Error('Ctrl-C'));
    await expect(mapped).rejects.toThrow('Ctrl-C');
    expect(terminate).toHaveBeenCalledTimes(2); // a spinning thread cannot end on its own
    expect(pool.liveThreads).toBe(0);
  });

  test('an abort reaches tasks that listen: they end and the threads exit on their own, not terminated after the grace', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const controller = new AbortController();
    const { onProgress, seen } = progressSeen(['listening 0', 'listening 1']);
    // a grace far beyond what exiting takes even on a loaded machine: a terminate() means they did not exit
    const pool = new WorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE, workers: 2, signal: controller.signal, stopGraceMs: 60_000, onProgress });
    const mapped = (async () => {
      for await (const _ of pool.map([{ kind: 'until-aborted', value: 0 }, { kind: 'until-aborted', value: 1 }]));
    })();
    await seen;
    controller.abort(new Error('SIGTERM'));
    await expect(mapped).rejects.toThrow('SIGTERM');
    expect(terminate).not.toHaveBeenCalled();
    expect(pool.liveThreads).toBe(0);
  });

  test('a pool maps again with the same threads; leaving a map early stops them', async () => {
    const pool = new WorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE, workers: 2 });
    const first: number[] = [];
    for await (const result of pool.map(scrambled(6))) first.push(result.value);
    const threadsAfterFirst = pool.liveThreads;
    const second: number[] = [];
    for await (const result of pool.map(scrambled(10))) {
      second.push(result.value);
      if (second.length === 3) break;
    }
    expect(first).toEqual([0, 1, 2, 3, 4, 5]);
    expect(threadsAfterFirst).toBe(2);
    expect(second).toEqual([0, 1, 2]);
    expect(pool.liveThreads).toBe(0);
    await pool.close();
  });
});
