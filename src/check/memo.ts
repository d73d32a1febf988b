/**
 * Per-run memory for what the oracles derive from a run more than once (the paths' reach, the
 * blind spans): every oracle of every variant asks for them. Kept with the run's lanes, and
 * forgotten when the same lanes come with another timeline or timing (a test's hand-made runs).
 */
import type { ScenarioRun } from '../record/run-record.ts';

type MemoRun = Pick<ScenarioRun, 'lanes' | 'faults' | 'durationMs' | 'timeScale' | 'timing'> & Partial<Pick<ScenarioRun, 'actions'>>;

interface Memory {
  of: readonly unknown[];
  values: Map<string, unknown>;
}

const memories = new WeakMap<object, Memory>();

/** `compute()` once per run and key. */
export function remembered<T>(run: MemoRun, key: string, compute: () => T): T {
  const of = [run.faults, run.actions, run.durationMs, run.timeScale, run.timing];
  let memory = memories.get(run.lanes);
  if (memory === undefined || memory.of.some((value, index) => value !== of[index])) {
    memory = { of, values: new Map() };
    memories.set(run.lanes, memory);
  }
  if (!memory.values.has(key)) memory.values.set(key, compute());
  return memory.values.get(key) as T;
}
