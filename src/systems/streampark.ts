/**
 * Apache StreamPark's console vocabulary (FlinkAppState, the state stored per application and
 * shown to users) and what each state means. The one place that says it: the StreamPark models
 * read their console rules from here (isEndState, shouldTracking, the states the listener
 * alerts on), and the checks and the report read the claims.
 *
 * Sources (v2.1.3 and v2.1.4 agree): FlinkAppState.java (names, isEndState),
 * Application.java (shouldTracking), FlinkK8sChangeEventListener.java (alerts on FAILED, LOST,
 * RESTARTING, FINISHED).
 */
import { defineSystem, type StateMeaning } from './system.ts';

const starting = (alerts = false): StateMeaning => ({ claim: 'none', phase: 'starting', alerts });
const ending: StateMeaning = { claim: 'none', phase: 'ending', alerts: false };
const noNews: StateMeaning = { claim: 'none', phase: 'unknown', alerts: false };

/** FlinkAppState, in the enum's order. */
export const STREAMPARK = defineSystem('streampark', 'Apache StreamPark', {
  ADDED: starting(),
  INITIALIZING: starting(),
  CREATED: starting(),
  STARTING: starting(),
  RESTARTING: starting(true),
  RUNNING: { claim: 'live', alerts: false },
  FAILING: ending,
  FAILED: { claim: 'over', names: 'FAILED', alerts: true },
  CANCELLING: ending,
  CANCELED: { claim: 'over', names: 'CANCELED', alerts: false },
  FINISHED: { claim: 'over', names: 'FINISHED', alerts: true },
  SUSPENDED: noNews,
  RECONCILING: starting(),
  // over, but how it ended is unknown
  LOST: { claim: 'over', alerts: true },
  MAPPING: noNews,
  OTHER: noNews,
  REVOKED: noNews,
  SILENT: noNews,
  TERMINATED: { claim: 'over', alerts: false },
  // the watcher's "terminated, resolve against the stored state": an end, naming none
  POS_TERMINATED: { claim: 'over', alerts: false },
  SUCCEEDED: { claim: 'over', names: 'FINISHED', alerts: false },
  KILLED: { claim: 'over', names: 'CANCELED', alerts: false },
});

/** FlinkAppState's names. */
export const CONSOLE_STATES = STREAMPARK.states;
export type ConsoleState = (typeof CONSOLE_STATES)[number];

/** FlinkAppState.isEndState. POS_TERMINATED is a watcher end state but not a console one. */
const END_STATES: ReadonlySet<string> = new Set<ConsoleState>(['CANCELED', 'FAILED', 'KILLED', 'FINISHED', 'SUCCEEDED', 'LOST', 'TERMINATED']);

/** Application.shouldTracking: 0 for these, 1 for every other console state. */
const UNTRACKED_STATES: ReadonlySet<string> = new Set<ConsoleState>(['ADDED', 'CREATED', 'FINISHED', 'FAILED', 'CANCELED', 'TERMINATED', 'POS_TERMINATED', 'LOST']);

export function isConsoleEndState(state: ConsoleState): boolean {
  return END_STATES.has(state);
}

/** Application.shouldTracking as 0 | 1, set on every console state write. */
export function trackingFlag(state: ConsoleState): 0 | 1 {
  return UNTRACKED_STATES.has(state) ? 0 : 1;
}

/** The listener alerts on these (FlinkK8sChangeEventListener). */
export function alertsOn(state: ConsoleState): boolean {
  return STREAMPARK.meaning(state).alerts;
}

/** FlinkAppState.of(name): unknown names become OTHER. */
export function parseConsoleState(name: string): ConsoleState {
  return (STREAMPARK.states as readonly string[]).includes(name) ? (name as ConsoleState) : 'OTHER';
}
