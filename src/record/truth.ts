/**
 * What was really true, as every backend records it (the truth lane of a run): seen directly in
 * the simulation, and by an unfaulted observer on live backends.
 */

/** One pod as the truth lane records it. */
export interface PodTruth {
  name: string;
  phase: string;
  restartCount: number;
  ready: boolean;
  lastTerminated: string | undefined;
  /** status.reason (e.g. Evicted), when there is one */
  reason?: string;
  /** deletionTimestamp set, still listed */
  terminating?: boolean;
}

export interface TruthSnapshot {
  deploymentExists: boolean;
  /** the JobManager pod: the one the Deployment runs Flink in now (not a left-over failed or terminating one) */
  pod: PodTruth | undefined;
  /** every pod the Deployment's selector lists, in the API's order (by name): what `pods.head` sees */
  pods?: PodTruth[];
  /** is the JobManager's REST endpoint serving? */
  restServing: boolean;
  /** Flink's view of each job, by job name ('not listed' while it recovers) */
  jobs: Record<string, string>;
}

export interface TruthEntry extends TruthSnapshot {
  t: number;
}

/** Two snapshots say the same thing (the lane records changes only). */
export function sameTruth(a: TruthSnapshot, b: TruthSnapshot): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
