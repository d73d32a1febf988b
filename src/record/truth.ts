/**
 * What was really true, as every backend records it (the truth lane of a run): seen directly in
 * the simulation, and by an unfaulted observer on live backends.
 */

export interface TruthSnapshot {
  deploymentExists: boolean;
  pod: { name: string; phase: string; restartCount: number; ready: boolean; lastTerminated: string | undefined } | undefined;
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
