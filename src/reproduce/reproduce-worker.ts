/**
 * A worker thread of `reproduce --workers N`: it prepares the incident's generator and judge once,
 * then searches (and shrinks within) the batches the pool sends it, one at a time.
 */
import type { BatchTask } from '../explore/batch-loop.ts';
import { serveTasks } from '../pipeline/worker-tasks.ts';
import { prepare, reproduceBatch, type ReproduceBatchResult, type ReproduceSettings } from './batch.ts';

serveTasks<BatchTask, ReproduceBatchResult>((data) => {
  const prepared = prepare(data as ReproduceSettings);
  return { run: (task, { signal, progress }) => reproduceBatch(task, prepared, { signal, onShrink: (mechanism) => progress(`shrinking ${mechanism}`) }) };
});
