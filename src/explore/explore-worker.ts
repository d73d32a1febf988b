/**
 * A worker thread of `explore --workers N`: it builds the schedules' generator once, then
 * explores (and shrinks within) the batches the pool sends it, one at a time.
 */
import { serveTasks } from '../pipeline/worker-tasks.ts';
import { batchArbitrary, exploreBatch, type BatchResult, type BatchSettings, type BatchTask } from './batch.ts';

serveTasks<BatchTask, BatchResult>((data) => {
  const settings = data as BatchSettings;
  const arbitrary = batchArbitrary(settings);
  return {
    run: (task, { signal, progress }) => exploreBatch(task, settings, arbitrary, { signal, onShrink: (signature) => progress(`shrinking ${signature}`) }),
  };
});
