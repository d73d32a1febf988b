/**
 * Flink's own job states (JobStatus, what its REST API reports), with what each says about the
 * job: the vocabulary of the truth's job lane, as a console's states are of its lane. Source:
 * org.apache.flink.api.common.JobStatus (1.18).
 */
import { defineSystem, type StateMeaning } from './system.ts';

const starting: StateMeaning = { claim: 'none', phase: 'starting', alerts: false };
const ending: StateMeaning = { claim: 'none', phase: 'ending', alerts: false };

export const FLINK_JOB_STATUS = defineSystem('flink', 'Apache Flink', {
  INITIALIZING: starting,
  CREATED: starting,
  RUNNING: { claim: 'live', alerts: false },
  FAILING: ending,
  FAILED: { claim: 'over', names: 'FAILED', alerts: false },
  CANCELLING: ending,
  CANCELED: { claim: 'over', names: 'CANCELED', alerts: false },
  FINISHED: { claim: 'over', names: 'FINISHED', alerts: false },
  RESTARTING: starting,
  SUSPENDED: { claim: 'none', phase: 'unknown', alerts: false },
  RECONCILING: starting,
});
