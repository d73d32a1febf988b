/**
 * StreamPark's rules about its two state enums (the names live in src/states.ts): end states,
 * the tracking flag, the watcher ↔ console mapping, and the states alerted on.
 * Sources: FlinkJobState.scala (watcher), FlinkAppState.java and Application.java (console).
 */

import { parseConsoleState, parseFlinkJobState, type ConsoleState, type FlinkJobState } from '../../states.ts';

/** FlinkJobState.endingStates: the watcher stops tracking these when the deployment is gone. */
export const WATCHER_END_STATES: ReadonlySet<FlinkJobState> = new Set(['FAILED', 'CANCELED', 'FINISHED', 'POS_TERMINATED', 'TERMINATED', 'LOST']);

/** FlinkAppState.isEndState. POS_TERMINATED is a watcher end state but not a console one. */
export const CONSOLE_END_STATES: ReadonlySet<ConsoleState> = new Set(['CANCELED', 'FAILED', 'KILLED', 'FINISHED', 'SUCCEEDED', 'LOST', 'TERMINATED']);

/** Application.shouldTracking: 0 for these, 1 for every other console state. */
const UNTRACKED_CONSOLE_STATES: ReadonlySet<ConsoleState> = new Set(['ADDED', 'CREATED', 'FINISHED', 'FAILED', 'CANCELED', 'TERMINATED', 'POS_TERMINATED', 'LOST']);

export function isWatcherEndState(state: FlinkJobState): boolean {
  return WATCHER_END_STATES.has(state);
}

export function isConsoleEndState(state: ConsoleState): boolean {
  return CONSOLE_END_STATES.has(state);
}

/** FlinkAppState.Bridge.fromK8sFlinkJobState: K8S_INITIALIZING shows as INITIALIZING. */
export function toConsoleState(state: FlinkJobState): ConsoleState {
  return state === 'K8S_INITIALIZING' ? 'INITIALIZING' : parseConsoleState(state);
}

/** FlinkAppState.Bridge.toK8sFlinkJobState: by name, console-only names become OTHER. */
export function toWatcherState(state: ConsoleState): FlinkJobState {
  return parseFlinkJobState(state);
}

/** Application.shouldTracking as 0 | 1, set on every console state write. */
export function trackingFlag(state: ConsoleState): 0 | 1 {
  return UNTRACKED_CONSOLE_STATES.has(state) ? 0 : 1;
}

/**
 * FlinkJobStatusWatcher.inferFlinkJobStateFromPersist: POS_TERMINATED and TERMINATED are
 * resolved against the stored state (CANCELLING → CANCELED, FAILING → FAILED).
 */
export function inferStateFromPersist(current: FlinkJobState, previous: FlinkJobState): FlinkJobState {
  if (current !== 'POS_TERMINATED' && current !== 'TERMINATED') return current;
  if (previous === 'CANCELLING') return 'CANCELED';
  if (previous === 'FAILING') return 'FAILED';
  return current === 'POS_TERMINATED' ? 'FINISHED' : 'TERMINATED';
}

/** The console states the listener alerts on (FlinkK8sChangeEventListener). */
export const ALERT_STATES: ReadonlySet<ConsoleState> = new Set(['FAILED', 'LOST', 'RESTARTING', 'FINISHED']);
