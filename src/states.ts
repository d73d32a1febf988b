/**
 * The job states of the world: Flink's JobStatus names, which StreamPark's watcher extends with
 * its own (FlinkJobState). Scenario files (recovery steps), the world's Flink side and the truth
 * use these names. A console's states belong to its system (src/systems/). Source:
 * FlinkJobState.scala.
 */

/** The watcher's view (FlinkJobState): StreamPark's own states, then Flink's JobStatus names. */
export const FLINK_JOB_STATES = [
  'STARTING', 'K8S_INITIALIZING', 'SILENT', 'POS_TERMINATED', 'TERMINATED', 'LOST', 'OTHER',
  'INITIALIZING', 'CREATED', 'RUNNING', 'FAILING', 'FAILED', 'CANCELLING', 'CANCELED',
  'FINISHED', 'RESTARTING', 'SUSPENDED', 'RECONCILING',
] as const;
export type FlinkJobState = (typeof FLINK_JOB_STATES)[number];

/** Flink's globally terminal job states: the job is over and will not run again by itself. */
export const FLINK_TERMINAL_STATES: ReadonlySet<string> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

const flinkJobStateNames: ReadonlySet<string> = new Set(FLINK_JOB_STATES);

/** FlinkJobState.of: a name the enum does not know parses as OTHER. */
export function parseFlinkJobState(name: string | null | undefined): FlinkJobState {
  return name != null && flinkJobStateNames.has(name) ? (name as FlinkJobState) : 'OTHER';
}
