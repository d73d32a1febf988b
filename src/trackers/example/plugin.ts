/**
 * The example tracker process (rest-poller.mjs), registered as `example-rest-poller`: what
 * docs/trackers.md shows, and what the process adapter's tests run without a JVM.
 */
import { fileURLToPath } from 'node:url';
import { STREAMPARK } from '../../systems/streampark.ts';
import { processTracker } from '../process/process-tracker.ts';
import type { TrackerPlugin } from '../tracker.ts';

export const EXAMPLE_TRACKER: TrackerPlugin = {
  name: 'example-rest-poller',
  // it shows Flink's job states, which are StreamPark console states by name
  system: STREAMPARK.name,
  role: 'other',
  description: 'an example tracker process: polls Flink REST only, keeps the last state when it gets no answer (docs/trackers.md)',
  kind: 'process',
  backends: ['local', 'kind', 'kubeconfig'],
  byDefault: false,
  start: processTracker({
    states: STREAMPARK.states,
    startTimeoutMs: 30_000,
    // the Node running the harness (22): the example needs nothing else
    command: () => ({ file: process.execPath, args: [fileURLToPath(new URL('./rest-poller.mjs', import.meta.url))] }),
  }),
};
