/**
 * What a console state claims about the job, read from the tracker's system (src/systems/), and
 * whether that claim fits what was true (check/job-truth.ts). The lie analysis and the oracles
 * judge every lane through these, whatever system wrote it.
 *
 * A state claims the job is live (RUNNING), over (an end: FAILED, CANCELED, LOST, …), or nothing
 * settled (SILENT, INITIALIZING, RESTARTING, CANCELLING, …). An end either names one of Flink's
 * ends (FAILED; SUCCEEDED names FINISHED) or names none (LOST: over, how unknown).
 */
import type { Claim, TrackerSystem } from '../systems/system.ts';
import { isJobOver, isUnnamedEnd } from './job-truth.ts';

export type { Claim };

export function claimOf(system: TrackerSystem, consoleState: string): Claim {
  return system.meaning(consoleState).claim;
}

/**
 * True when a console state contradicts the truth's job state: live while the job is over, over
 * while it is live (running or coming back), or a different end than the one it had. An end that
 * names none fits any end, and any end fits a job that is down or vanished (they name none).
 */
export function disagrees(system: TrackerSystem, consoleState: string, truthState: string): boolean {
  const meaning = system.meaning(consoleState);
  if (meaning.claim === 'none') return false;
  const over = isJobOver(truthState);
  if (meaning.claim === 'live') return over;
  if (!over) return true;
  if (isUnnamedEnd(truthState) || meaning.names === undefined) return false;
  return meaning.names !== truthState;
}

/** Does the console show the job's end rightly: an end state that fits it (the end it was, or one that names none)? */
export function showsEnd(system: TrackerSystem, consoleState: string, truthState: string): boolean {
  const meaning = system.meaning(consoleState);
  return meaning.claim === 'over' && (isUnnamedEnd(truthState) || meaning.names === undefined || meaning.names === truthState);
}

/** Does a console state name exactly this end (FAILED names FAILED, SUCCEEDED names FINISHED; LOST names none)? */
export function namesEnd(system: TrackerSystem, consoleState: string, end: string): boolean {
  const meaning = system.meaning(consoleState);
  return meaning.claim === 'over' && meaning.names === end;
}
