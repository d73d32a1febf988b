/**
 * What ran in each lane of a run, and so in which vocabulary its console states are judged: the
 * run record says it; a run stored before trackers were plug-ins ran only StreamPark models.
 */
import { getSystem } from '../systems/registry.ts';
import { STREAMPARK } from '../systems/streampark.ts';
import { defineSystem, type TrackerSystem } from '../systems/system.ts';
import { getTracker } from '../trackers/registry.ts';
import type { ScenarioRun, TrackerInfo } from './run-record.ts';

/** A system nobody here knows (a record from elsewhere): its states claim nothing. */
const UNKNOWN_SYSTEM = defineSystem('unknown', 'an unknown system', {});

export function trackerInfoOf(run: Pick<ScenarioRun, 'trackers'>, variant: string): TrackerInfo {
  const recorded = run.trackers?.[variant];
  if (recorded !== undefined) return recorded;
  const tracker = getTracker(variant);
  return { system: tracker?.system ?? STREAMPARK.name, role: tracker?.role ?? 'other', kind: tracker?.kind ?? 'model' };
}

/** The system a lane's console states belong to. */
export function systemOf(run: Pick<ScenarioRun, 'trackers'>, variant: string): TrackerSystem {
  return getSystem(trackerInfoOf(run, variant).system) ?? UNKNOWN_SYSTEM;
}
