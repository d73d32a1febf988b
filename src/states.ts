/**
 * The harness's vocabulary: the job states Flink and StreamPark's watcher speak (FlinkJobState)
 * and the console states users see (FlinkAppState). Scenario files, every tracker model, the
 * checks and the report use these names. Sources: FlinkJobState.scala, FlinkAppState.java.
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

/** Flink's globally terminal job states: the job is over and will not run again by itself. */
export const FLINK_TERMINAL_STATES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

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
