/**
 * Every system the harness knows, by name: a tracker names its system, and the run record keeps
 * that name, so a stored run is judged in its system's vocabulary.
 */
import { STREAMPARK } from './streampark.ts';
import type { TrackerSystem } from './system.ts';

const SYSTEMS: readonly TrackerSystem[] = [STREAMPARK];

export function getSystem(name: string): TrackerSystem | undefined {
  return SYSTEMS.find((system) => system.name === name);
}

/** Every system's console states, each once (what a scenario file may name before its variants are known). */
export const ALL_CONSOLE_STATES: readonly string[] = [...new Set(SYSTEMS.flatMap((system) => system.states))];
