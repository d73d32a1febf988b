/**
 * Data shared by the StreamPark machines: what is tracked, what is cached, and the events the
 * machines send each other. Names follow the Scala/Java sources so a reader can match them.
 */
import type { TrackerPorts } from '../ports.ts';
import type { TrackerTiming } from '../timing.ts';
import type { ConsoleState, FlinkJobState } from '../../states.ts';

export type ExecuteMode = 'application' | 'session';

/** TrackId: one tracked application (appId is the console row id). */
export interface TrackId {
  appId: string;
  mode: ExecuteMode;
  namespace: string;
  clusterId: string;
  jobId: string;
}

/** JobStatusCV, reduced to what the rules read. */
export interface JobStatus {
  state: FlinkJobState;
  jobId: string;
  /** when the poll that produced it completed (pollAckTime) */
  pollAckTime: number;
  /** which observation gave the state (a telemetry cause: models/telemetry.ts); not in StreamPark's JobStatusCV */
  cause?: string;
}

/** A jobStatuses cache entry; it expires `statusCacheTtlMs` after `writtenAt`. */
export interface CachedJobStatus extends JobStatus {
  writtenAt: number;
}

/** One console row (the `t_flink_app` columns the listener writes). */
export interface AppRow {
  appId: string;
  state: ConsoleState;
  tracking: 0 | 1;
  jobId: string;
  trackId: TrackId;
}

/**
 * What every actor of a tracker gets: the I/O ports (each call is invoked as a named promise
 * actor; the ports object is passed as its input rather than provided per tracker, because
 * providing rebuilds the whole machine tree for every run — docs/architecture.md) and the timing.
 */
export interface TrackerEnvironment {
  ports: TrackerPorts;
  timing: TrackerTiming;
}

/** The answer of listJobsDetails: the overview, nothing, or an exception that escaped. */
export type ListJobsResult =
  | { kind: 'jobs'; jobs: { jid: string; state: string }[] }
  | { kind: 'none' }
  | { kind: 'escaped'; error: string };

/** Key of the v2.1.4 DEPLOYMENT_LOST_TIME map: `${namespace}_${deploymentName}`. */
export function deploymentKey(namespace: string, name: string): string {
  return `${namespace}_${name}`;
}

export function clusterKey(trackId: Pick<TrackId, 'mode' | 'namespace' | 'clusterId'>): string {
  return `${trackId.mode}/${trackId.namespace}/${trackId.clusterId}`;
}
