/**
 * Every tracker model the harness can run, by variant name, behind one factory: the runner
 * and the tests create trackers here and never reach into a model's machines.
 */
import { createActor, type AnyStateMachine } from 'xstate';

/** xstate's clock interface (not exported by name from the package root). */
export interface Clock {
  setTimeout(fn: (...args: any[]) => void, timeout: number): any;
  clearTimeout(id: any): void;
}
import { proposedTrackerMachine } from './proposed/tracker.ts';
import { assembleStreamPark, STREAMPARK_VARIANTS, type StreamParkVariantName } from './streampark/variants.ts';
import type { AppRow, TrackerEnvironment } from './streampark/types.ts';

export interface TrackerModel {
  name: string;
  description: string;
  machine: AnyStateMachine;
}

const models = new Map<string, TrackerModel>();
for (const [name, variant] of Object.entries(STREAMPARK_VARIANTS)) {
  models.set(name, { name, description: variant.description, machine: assembleStreamPark(variant.overrides) as unknown as AnyStateMachine });
}

models.set('proposed', {
  name: 'proposed',
  description: "statuschaos's own design: no end state from a failed observation (docs/proposed-tracker.md)",
  machine: proposedTrackerMachine as unknown as AnyStateMachine,
});

/** Register an extra model (the proposed tracker registers itself this way). */
export function registerModel(model: TrackerModel): void {
  models.set(model.name, model);
}

export function modelNames(): string[] {
  return [...models.keys()];
}

export function getModel(name: string): TrackerModel | undefined {
  return models.get(name);
}

export type { StreamParkVariantName };

/** Commands every tracker model accepts from the world. */
export type TrackerCommand = { type: 'console.restart'; downtimeMs: number } | { type: 'console.cancel'; appId: string };

/** Start a tracker of the given model on a clock; it begins polling at once. */
export function startTracker(model: TrackerModel, options: { env: TrackerEnvironment; rows: AppRow[]; clock: Clock }) {
  // Models address their root as 'tracker' (e.g. isDeploymentExists asks it for its verdict).
  const actor = createActor(model.machine, { input: { env: options.env, rows: options.rows }, clock: options.clock, systemId: 'tracker' });
  actor.start();
  return {
    send: (command: TrackerCommand) => actor.send(command),
    stop: () => actor.stop(),
    actor,
  };
}
