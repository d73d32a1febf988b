/**
 * What a model is given, whatever system it models: the applications to track (from the
 * harness, in no system's shape) and the environment every actor of a tracker gets.
 */
import type { TrackerPorts } from './ports.ts';
import type { TrackerTiming } from './timing.ts';

/** Where an application's job lives (StreamPark calls it a TrackId). */
export interface AppLocation {
  /** the console application's id */
  appId: string;
  mode: 'application' | 'session';
  namespace: string;
  /** the Flink cluster: its Deployment, `<clusterId>-rest` Service and Ingress are named after it */
  clusterId: string;
  /** the Flink job id (32 hex digits) */
  jobId: string;
}

/** One application a tracker is asked to track, as its console last persisted it. */
export interface TrackedApp extends AppLocation {
  /** the console state stored for it (a state of the tracker's system) */
  state: string;
  /** the stored tracking flag: 1 while the console tracks it */
  tracking: 0 | 1;
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

/** A console's row for an application: its state (in the system's names), tracking flag, job id and location. */
export interface ConsoleRow<State extends string = string> {
  appId: string;
  state: State;
  tracking: 0 | 1;
  jobId: string;
  trackId: AppLocation;
}

/** The row a console holds for an application the harness asks it to track; `parse` reads the stored state in the system's names. */
export function consoleRowOf<State extends string>(app: TrackedApp, parse: (state: string) => State): ConsoleRow<State> {
  const { state, tracking, ...trackId } = app;
  return { appId: app.appId, state: parse(state), tracking, jobId: app.jobId, trackId };
}
