/**
 * Data shared by the StreamPark machines: what is tracked, what is cached, and the events the
 * machines send each other. Names follow the Scala/Java sources so a reader can match them.
 */
import { consoleRowOf, type AppLocation, type ConsoleRow, type TrackedApp } from '../environment.ts';
import type { FlinkJobState } from '../../states.ts';
import { parseConsoleState, type ConsoleState } from '../../systems/streampark.ts';

export type ExecuteMode = AppLocation['mode'];

export type { TrackerEnvironment } from '../environment.ts';

/** TrackId: one tracked application (appId is the console row id). */
export type TrackId = AppLocation;

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
export type AppRow = ConsoleRow<ConsoleState>;

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

/** The console row of an application the harness asks to track (its stored state parsed as FlinkAppState). */
export function appRowOf(app: TrackedApp): AppRow {
  return consoleRowOf(app, parseConsoleState);
}
