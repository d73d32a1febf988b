/**
 * The worker side of WorkerPool (worker-pool.ts): a worker module calls `serveTasks` with a
 * setup function; the pool sends it tasks one at a time and gets back each result or error. The
 * messages both sides exchange are defined here.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serializeError, type SerializedError } from './worker-errors.ts';

/** What each worker gets at start: the pool's `workerData` and its own number (0 …). */
export interface WorkerStart {
  data: unknown;
  index: number;
}

export type ToWorker<T> = { type: 'task'; id: number; task: T } | { type: 'abort' } | { type: 'close' };
export type FromWorker<R> = { type: 'result'; id: number; result: R } | { type: 'error'; id: number; error: SerializedError } | { type: 'progress'; text: string };

export interface TaskContext {
  /** aborted when the pool stops (Ctrl-C): end the task and clean up */
  signal: AbortSignal;
  /** a line for the user, printed by the pool's owner */
  progress: (text: string) => void;
}

export interface TaskHandler<T, R> {
  run(task: T, context: TaskContext): Promise<R>;
  /** release what setup acquired (a backend's control plane); runs before the worker exits */
  dispose?(): Promise<void>;
}

/** In a worker module: set up once, then answer the pool's tasks with the handler until told to close. */
export function serveTasks<T, R>(setup: (data: unknown, index: number) => Promise<TaskHandler<T, R>> | TaskHandler<T, R>): void {
  if (isMainThread || parentPort === null) throw new Error('serveTasks runs in a worker thread that WorkerPool started');
  const port = parentPort;
  const start = workerData as WorkerStart;
  const controller = new AbortController();
  const handler = Promise.resolve().then(() => setup(start.data, start.index));
  handler.catch(() => {}); // a failed setup is reported as the error of every task
  const context: TaskContext = { signal: controller.signal, progress: (text) => port.postMessage({ type: 'progress', text } satisfies FromWorker<R>) };
  let queue = Promise.resolve();
  port.on('message', (message: ToWorker<T>) => {
    if (message.type === 'abort') {
      controller.abort(new Error('interrupted'));
      return;
    }
    if (message.type === 'task') {
      queue = queue.then(async () => {
        try {
          const result = await (await handler).run(message.task, context);
          port.postMessage({ type: 'result', id: message.id, result } satisfies FromWorker<R>);
        } catch (error) {
          port.postMessage({ type: 'error', id: message.id, error: serializeError(error) } satisfies FromWorker<R>);
        }
      });
      return;
    }
    queue = queue.then(async () => {
      let code = 0;
      try {
        await (await handler.catch(() => undefined))?.dispose?.();
      } catch (error) {
        process.stderr.write(`statuschaos worker ${start.index}: cleanup failed: ${(error as Error).message}\n`);
        code = 1;
      }
      process.exit(code); // ends this thread only; open handles (keep-alive sockets) must not keep it
    });
  });
}
