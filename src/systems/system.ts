/**
 * A tracked system's console vocabulary and what each state means. A tracker belongs to a system
 * (StreamPark's console, or another job console); the checks, the trace language and the report
 * ask the system what a state claims about the job, and never list states themselves.
 */

/** What a console state claims about the job: it is live, it is over, or nothing settled. */
export type Claim = 'live' | 'over' | 'none';

/** The end of a job as Flink has it (its globally terminal JobStatus names). */
export type FlinkEnd = 'FAILED' | 'CANCELED' | 'FINISHED';

/** For a state that claims nothing settled: is the job coming up, going down, or is there no news? */
export type Phase = 'starting' | 'ending' | 'unknown';

export interface StateMeaning {
  claim: Claim;
  /** an `over` state that names one end (FAILED, SUCCEEDED → FINISHED); undefined: it names none (LOST) */
  names?: FlinkEnd;
  /** a `none` state: coming up, going down, or no news */
  phase?: Phase;
  /** the system sends an alert when its console writes this state */
  alerts: boolean;
}

export interface TrackerSystem<S extends string = string> {
  /** e.g. `streampark`; what a tracker's `system` field names */
  readonly name: string;
  /** for people, e.g. `Apache StreamPark` */
  readonly title: string;
  /** every console state the system's trackers may write, in the system's own order */
  readonly states: readonly S[];
  /** what a state means; a state the system does not know claims nothing (phase unknown) */
  meaning(state: string): StateMeaning;
}

/** What an unknown name means: nothing settled, no news. */
export const UNKNOWN_MEANING: StateMeaning = Object.freeze({ claim: 'none', phase: 'unknown', alerts: false });

/** A system from a table of its states' meanings (the table's order is the system's order). */
export function defineSystem<S extends string>(name: string, title: string, table: Readonly<Record<S, StateMeaning>>): TrackerSystem<S> {
  const meanings = new Map<string, StateMeaning>(Object.entries(table));
  return {
    name,
    title,
    states: Object.freeze(Object.keys(table) as S[]),
    meaning: (state) => meanings.get(state) ?? UNKNOWN_MEANING,
  };
}
