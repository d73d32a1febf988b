/**
 * A live run keeps scenario time with real timers. On a busy machine they fire late: at the fast
 * profile a 100 ms stall moves a poll by a second of scenario time, and a scenario whose verdict
 * hinges on a poll landing before or after an event can then fail by luck. A failure on a run
 * whose timers fired later than this tolerance is not the tracker's: it is inconclusive, with the
 * lateness as the reason. A pass stands (a late poll delays what a tracker sees; it does not make
 * a wrong state right).
 */
import type { ScenarioRun } from '../record/run-record.ts';

/** Scenario ms a timer may fire late before a failure is put down to the machine (a fifth of StreamPark's 5 s poll). */
export const LATE_TOLERANCE_MS = 1_000;

/** Why a failure of this run may be the machine's, or undefined when its timers kept time. */
export function latenessExcuse(run: Pick<ScenarioRun, 'lateness' | 'timeScale'>): string | undefined {
  const late = run.lateness;
  if (late === undefined || late.maxMs < LATE_TOLERANCE_MS) return undefined;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return `the machine was too busy to keep time: a timer due at ${seconds(late.worstAtMs)} fired ${seconds(late.maxMs)} (scenario time; ${Math.round(late.maxMs * run.timeScale)} ms wall) late, beyond the ${seconds(LATE_TOLERANCE_MS)} a verdict can bear — run it again on a quieter machine, or with --timing streampark`;
}
