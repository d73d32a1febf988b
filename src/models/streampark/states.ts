/**
 * StreamPark's rules about its watcher's states (FlinkJobState) and their bridge to the console's
 * (FlinkAppState, whose names and console rules live with the system: src/systems/streampark.ts).
 * Sources: FlinkJobState.scala (watcher), FlinkAppState.java (Bridge).
 */

import { parseFlinkJobState, type FlinkJobState } from '../../states.ts';
import { parseConsoleState, type ConsoleState } from '../../systems/streampark.ts';

export { alertsOn, isConsoleEndState, trackingFlag } from '../../systems/streampark.ts';

/** FlinkJobState.endingStates: the watcher stops tracking these when the deployment is gone. */
export const WATCHER_END_STATES: ReadonlySet<FlinkJobState> = new Set(['FAILED', 'CANCELED', 'FINISHED', 'POS_TERMINATED', 'TERMINATED', 'LOST']);

export function isWatcherEndState(state: FlinkJobState): boolean {
  return WATCHER_END_STATES.has(state);
}

/** FlinkAppState.Bridge.fromK8sFlinkJobState: K8S_INITIALIZING shows as INITIALIZING. */
export function toConsoleState(state: FlinkJobState): ConsoleState {
  return state === 'K8S_INITIALIZING' ? 'INITIALIZING' : parseConsoleState(state);
}

/** FlinkAppState.Bridge.toK8sFlinkJobState: by name, console-only names become OTHER. */
export function toWatcherState(state: ConsoleState): FlinkJobState {
  return parseFlinkJobState(state);
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
