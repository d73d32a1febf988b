/**
 * Every tracker model (an XState machine tree) by variant name: each model says its name, its
 * role (StreamPark as shipped or an ablation that keeps the bug: buggy; a fix: fixed; our own
 * design: ours), the system whose console it models and what it is. src/trackers/ makes each a
 * tracker plug-in; the tests start models here directly.
 */
import { createActor } from 'xstate';
import type { TrackerCommand } from './commands.ts';
import type { TrackedApp, TrackerEnvironment } from './environment.ts';
import { proposedTrackerMachine } from './proposed/tracker.ts';
import { assembleStreamPark, STREAMPARK_VARIANTS, type StreamParkVariantName } from './streampark/variants.ts';
import { TRACKER_SYSTEM_ID, type TelemetryEvent } from './telemetry.ts';
import { STREAMPARK } from '../systems/streampark.ts';

/** What a tracker is for the checks: StreamPark as shipped or an ablation keeping the bug (buggy), a fix (fixed), our design (ours), or none of these (other: examples). */
export type VariantRole = 'buggy' | 'fixed' | 'ours' | 'other';
export type VariantName = StreamParkVariantName | 'proposed';

type TrackerMachine = ReturnType<typeof assembleStreamPark> | typeof proposedTrackerMachine;

export interface TrackerModel {
  name: VariantName;
  role: VariantRole;
  /** the system whose console the model writes (src/systems/) */
  system: string;
  description: string;
  machine: TrackerMachine;
}

const MODELS: readonly TrackerModel[] = [
  ...Object.entries(STREAMPARK_VARIANTS).map(([name, variant]): TrackerModel => ({ name: name as StreamParkVariantName, role: variant.role, system: STREAMPARK.name, description: variant.description, machine: assembleStreamPark(variant.overrides) })),
  // a proposal for StreamPark's console: it writes StreamPark's states
  { name: 'proposed', role: 'ours', system: STREAMPARK.name, description: "statuschaos's own design: no end state from a failed observation (docs/proposed-tracker.md)", machine: proposedTrackerMachine },
];

/** Every model's name, in the order reports show them. */
export const VARIANT_NAMES: readonly VariantName[] = MODELS.map((model) => model.name);

export function modelNames(): string[] {
  return [...VARIANT_NAMES];
}

export function getModel(name: string): TrackerModel | undefined {
  return MODELS.find((model) => model.name === name);
}

export function allModels(): readonly TrackerModel[] {
  return MODELS;
}

/** The models that play a role. */
export function variantsWithRole(...roles: VariantRole[]): VariantName[] {
  return MODELS.filter((model) => roles.includes(model.role)).map((model) => model.name);
}

export type { TrackerCommand };

/** A started model: commands in, telemetry out through `onTelemetry`. */
export interface RunningModel {
  send(command: TrackerCommand): void;
  stop(): void;
}

/**
 * Start a model on a clock; it begins polling at once. Telemetry is subscribed before it starts,
 * so the initial console writes are seen too.
 */
export function startTracker(model: TrackerModel, options: { env: TrackerEnvironment; apps: readonly TrackedApp[]; clock: { setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown; clearTimeout(id: unknown): void }; onTelemetry: (event: TelemetryEvent) => void }): RunningModel {
  // Models address their root as `tracker` (e.g. isDeploymentExists asks it for its verdict).
  const actor = createActor(model.machine, { input: { env: options.env, apps: options.apps }, clock: options.clock, systemId: TRACKER_SYSTEM_ID });
  actor.on('*', (event) => options.onTelemetry(event));
  actor.start();
  return { send: (command) => actor.send(command), stop: () => actor.stop() };
}
