/**
 * Every tracker the harness can run, by name: the models (in this process, every backend), the
 * real StreamPark trackers and the example (processes, live backends). Adding a tracker is one
 * entry here and its own module (docs/trackers.md); the schema, the runner, the checks and the
 * report take it from here.
 */
import { getSystem } from '../systems/registry.ts';
import type { TrackerSystem } from '../systems/system.ts';
import { EXAMPLE_TRACKER } from './example/plugin.ts';
import { MODEL_TRACKERS, mutantTracker } from './models.ts';
import { REAL_STREAMPARK_TRACKERS } from './streampark-real/plugins.ts';
import type { TrackerPlugin, TrackerRole } from './tracker.ts';

const TRACKERS: readonly TrackerPlugin[] = [...MODEL_TRACKERS, ...REAL_STREAMPARK_TRACKERS, EXAMPLE_TRACKER];

/** Every tracker's name, in the order reports show them. */
export const TRACKER_NAMES: readonly string[] = TRACKERS.map((tracker) => tracker.name);

/** A tracker by name; the mutants of our tracker (bench:mutants) are found by name too, though never listed. */
export function getTracker(name: string): TrackerPlugin | undefined {
  return TRACKERS.find((tracker) => tracker.name === name) ?? mutantTracker(name);
}

/** The trackers a run uses when none are named: those that run by default on the backend. */
export function defaultTrackers(backend: string): string[] {
  return TRACKERS.filter((tracker) => tracker.byDefault && tracker.backends.includes(backend)).map((tracker) => tracker.name);
}

export function trackersWithRole(...roles: TrackerRole[]): string[] {
  return TRACKERS.filter((tracker) => roles.includes(tracker.role)).map((tracker) => tracker.name);
}

/** The real tracker whose code a model models (v2.1.3 → real-2.1.3), if there is one. */
export function realCounterpartOf(model: string): TrackerPlugin | undefined {
  return TRACKERS.find((tracker) => tracker.counterpart === model);
}

/** The system a tracker writes the states of. */
export function systemOfTracker(name: string): TrackerSystem | undefined {
  const tracker = getTracker(name);
  return tracker === undefined ? undefined : getSystem(tracker.system);
}
