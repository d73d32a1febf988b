/**
 * Every tracker model (an XState machine tree) by variant name: each model says its name, its
 * role (StreamPark as shipped or an ablation that keeps the bug: buggy; a fix: fixed; our own
 * design: ours), the system whose console it models and what it is. src/trackers/ makes each a
 * tracker plug-in; the tests start models here directly.
 */
import { createActor } from 'xstate';
import type { TrackerCommand } from './commands.ts';
import type { TrackedApp, TrackerEnvironment } from './environment.ts';
import type { CallTimeouts } from './ports.ts';
import { apiTimeouts, restTimeouts } from './port-actors.ts';
import { proposedTiming } from './proposed/rules.ts';
import { MUTANTS } from './proposed/mutants.ts';
import { proposedRules } from './proposed/rule-set.ts';
import { proposedTrackerMachine } from './proposed/tracker.ts';
import type { TrackerTiming } from './timing.ts';
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
  /** the timeouts its design gives its calls, for a timing profile (the oracles judge by these: check/reach.ts) */
  callTimeouts(timing: TrackerTiming): CallTimeouts;
  /** what its machine gets besides the environment and the rows (a mutant's rules) */
  input?: Record<string, unknown>;
}

/** StreamPark's clients: fabric8's and Flink's RestClusterClient's timeouts as the timing profile sets them. */
export const streamParkTimeouts = (timing: TrackerTiming): CallTimeouts => ({ rest: restTimeouts(timing), api: apiTimeouts(timing) });

/** Ours: every timeout from the poll interval (proposed/rules.ts). */
export function proposedTimeouts(timing: TrackerTiming): CallTimeouts {
  const own = proposedTiming(timing.pollIntervalMs);
  return { rest: restTimeouts(own), api: apiTimeouts(own), usefulWithinMs: own.observationDeadlineMs };
}

const MODELS: readonly TrackerModel[] = [
  ...Object.entries(STREAMPARK_VARIANTS).map(([name, variant]): TrackerModel => ({ name: name as StreamParkVariantName, role: variant.role, system: STREAMPARK.name, description: variant.description, machine: assembleStreamPark(variant.overrides), callTimeouts: streamParkTimeouts })),
  // a proposal for StreamPark's console: it writes StreamPark's states
  { name: 'proposed', role: 'ours', system: STREAMPARK.name, description: "statuschaos's own design: no end state from a failed observation (docs/proposed-tracker.md)", machine: proposedTrackerMachine, callTimeouts: proposedTimeouts },
];

/** Every model's name, in the order reports show them. */
export const VARIANT_NAMES: readonly VariantName[] = MODELS.map((model) => model.name);

export function modelNames(): string[] {
  return [...VARIANT_NAMES];
}

/** Mutants of our tracker are named `proposed~<mutant>` (proposed/mutants.ts); they are never among the variants above. */
export const MUTANT_PREFIX = 'proposed~';

export function getModel(name: string): TrackerModel | undefined {
  const model = MODELS.find((candidate) => candidate.name === name);
  if (model !== undefined || !name.startsWith(MUTANT_PREFIX)) return model;
  const mutant = MUTANTS.find((candidate) => `${MUTANT_PREFIX}${candidate.name}` === name);
  // its contract stays ours: the oracles judge it by the design's call timeouts, whatever it does with its own
  return mutant === undefined ? undefined : { name: 'proposed', role: 'ours', system: STREAMPARK.name, description: `mutant: ${mutant.change}`, machine: proposedTrackerMachine, callTimeouts: proposedTimeouts, input: { rules: proposedRules(mutant.rules) } };
}

/** The names of every mutant of our tracker, as variants. */
export function mutantNames(): string[] {
  return MUTANTS.map((mutant) => `${MUTANT_PREFIX}${mutant.name}`);
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
  const actor = createActor(model.machine, { input: { env: options.env, apps: options.apps, ...model.input }, clock: options.clock, systemId: TRACKER_SYSTEM_ID });
  actor.on('*', (event) => options.onTelemetry(event));
  actor.start();
  return { send: (command) => actor.send(command), stop: () => actor.stop() };
}
