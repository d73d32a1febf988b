// The ordered worker pool: results in task order whatever N and whoever finishes first, a bounded
// look-ahead, errors of their own kind at their task's place, and an abort that leaves no thread.
import { describe, expect, test } from 'vitest';
import { BackendError } from '../../src/backends/backend.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { mapInWorkers, WorkerPool, type WorkerPoolOptions } from '../../src/pipeline/worker-pool.ts';
import type { PoolTestResult, PoolTestTask } from './fixtures/pool-worker.ts';

const MODULE = new URL('./fixtures/pool-worker.ts', import.meta.url);

async function collect(tasks: Iterable<PoolTestTask> | AsyncIterable<PoolTestTask>, options: Partial<WorkerPoolOptions> = {}): Promise<PoolTestResult[]> {
  const results: PoolTestResult[] = [];
  for await (const result of mapInWorkers<PoolTestTask, PoolTestResult>(tasks, { module: MODULE, workers: 2, ...options })) results.push(result);
  return results;
}

/** Delays that make later tasks finish before earlier ones (a fixed pseudo-random sequence). */
const scrambled = (count: number): PoolTestTask[] => Array.from({ length: count }, (_, value) => ({ kind: 'echo', value, delayMs: (value * 37) % 23 }));

describe('WorkerPool', () => {
  test.for([1, 2, 4])('%i worker(s): every result, in task order, though they finish out of order', async (workers) => {
    const results = await collect(scrambled(40), { workers });
    expect(results.map((result) => result.value)).toEqual([...Array(40).keys()]);
    expect(new Set(results.map((result) => result.thread)).size).toBe(workers); // every thread took tasks
  });

  test('at most lookAhead tasks are taken beyond the result the caller waits for, even while the first is slow', async () => {
    let pulled = 0;
    const pulledWhenHanded: number[] = [];
    function* tasks(): Generator<PoolTestTask> {
      for (let value = 0; value < 30; value++) {
        pulled += 1;
        yield { kind: 'echo', value, delayMs: value === 0 ? 400 : 1 };
      }
    }
    for await (const result of mapInWorkers<PoolTestTask, PoolTestResult>(tasks(), { module: MODULE, workers: 2, lookAhead: 4 })) pulledWhenHanded[result.value] = pulled;
    expect(pulledWhenHanded[0]).toBeLessThanOrEqual(4); // 400 ms on task 0: no more than 4 taken meanwhile
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

  test('an abort stops threads that never yield within a second: the map rejects with the reason, no thread is left', async () => {
    const controller = new AbortController();
    const pool = new WorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE, workers: 2, signal: controller.signal, stopGraceMs: 300 });
    const mapped = (async () => {
      for await (const _ of pool.map([{ kind: 'spin', value: 0 }, { kind: 'spin', value: 1 }]));
    })();
    await new Promise((resolve) => setTimeout(resolve, 300)); // both threads are spinning
    expect(pool.liveThreads).toBe(2);
    const abortedAt = performance.now();
    controller.abort(new Error('Ctrl-C'));
    await expect(mapped).rejects.toThrow('Ctrl-C');
    expect(performance.now() - abortedAt).toBeLessThan(1_000);
    expect(pool.liveThreads).toBe(0);
  });

  test('an abort reaches tasks that listen: they end and the threads exit before the grace is over', async () => {
    const controller = new AbortController();
    const pool = new WorkerPool<PoolTestTask, PoolTestResult>({ module: MODULE, workers: 2, signal: controller.signal, stopGraceMs: 10_000 });
    const mapped = (async () => {
      for await (const _ of pool.map([{ kind: 'until-aborted', value: 0 }, { kind: 'until-aborted', value: 1 }]));
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const abortedAt = performance.now();
    controller.abort(new Error('SIGTERM'));
    await expect(mapped).rejects.toThrow('SIGTERM');
    expect(performance.now() - abortedAt).toBeLessThan(2_000); // not the 10 s grace: they exited on their own
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
