/**
 * StreamPark's two state enums and the rules that connect them (spec §2).
 * Sources: FlinkJobState.scala (watcher), FlinkAppState.java and Application.java (console).
 */

/** The watcher's view (FlinkJobState): StreamPark's own states, then Flink's JobStatus names. */
export const FLINK_JOB_STATES = [
  'STARTING', 'K8S_INITIALIZING', 'SILENT', 'POS_TERMINATED', 'TERMINATED', 'LOST', 'OTHER',
  'INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED',
  'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING',
] as const;
export type FlinkJobState = (typeof FLINK_JOB_STATES)[number];

/** The console's view (FlinkAppState), stored per application; this is what users see. */
export const CONSOLE_STATES = [
  'ADDED', 'INITIALIZING', 'CREATED', 'STARTING', 'RESTARTING', 'RUNNING', 'FAILING', 'FAILED',
  'CANCELLING', 'CANCELED', 'FINISHED', 'SUSPENDED', 'RECONCILING', 'LOST', 'MAPPING', 'OTHER',
  'REVOKED', 'SILENT', 'TERMINATED', 'POS_TERMINATED', 'SUCCEEDED', 'KILLED',
] as const;
export type ConsoleState = (typeof CONSOLE_STATES)[number];

/** FlinkJobState.endingStates: the watcher stops tracking these when the deployment is gone. */
export const WATCHER_END_STATES: ReadonlySet<FlinkJobState> = new Set(['FAILED', 'CANCELED', 'FINISHED', 'POS_TERMINATED', 'TERMINATED', 'LOST']);

/** FlinkAppState.isEndState. POS_TERMINATED is a watcher end state but not a console one. */
export const CONSOLE_END_STATES: ReadonlySet<ConsoleState> = new Set(['CANCELED', 'FAILED', 'KILLED', 'FINISHED', 'SUCCEEDED', 'LOST', 'TERMINATED']);

/** Application.shouldTracking: 0 for these, 1 for every other console state. */
const UNTRACKED_CONSOLE_STATES: ReadonlySet<ConsoleState> = new Set(['ADDED', 'CREATED', 'FINISHED', 'FAILED', 'CANCELED', 'TERMINATED', 'POS_TERMINATED', 'LOST']);

const flinkJobStateNames: ReadonlySet<string> = new Set(FLINK_JOB_STATES);
const consoleStateNames: ReadonlySet<string> = new Set(CONSOLE_STATES);

/** FlinkJobState.of: a name the enum does not know parses as OTHER. */
export function parseFlinkJobState(name: string | null | undefined): FlinkJobState {
  return name != null && flinkJobStateNames.has(name) ? (name as FlinkJobState) : 'OTHER';
}

/** FlinkAppState.of(name): unknown names become OTHER. */
export function parseConsoleState(name: string): ConsoleState {
  return consoleStateNames.has(name) ? (name as ConsoleState) : 'OTHER';
}

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
