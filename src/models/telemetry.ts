/**
 * What a tracker reports about itself while it runs, as events its root actor emits
 * (`actor.on('*', …)`). The console writes are the trace the checks judge; the rest explains it
 * in the report. The runner stamps time and variant.
 */

export type TelemetryEvent =
  /** A console state write: the trace. `cause` says which observation made it write (see `mechanismOf`). */
  | { type: 'console.write'; appId: string; state: string; tracking: 0 | 1; cause: string }
  /** An alert the console sends (StreamPark: FAILED, LOST, RESTARTING, FINISHED). */
  | { type: 'alert'; appId: string; state: string }
  /** The listener dropped a status-change event (e.g. the stored state is an end state). */
  | { type: 'listener.ignored'; appId: string; observed: string; reason: string }
  /** The watcher published a status-change event. */
  | { type: 'status.published'; appId: string; state: string }
  /** The watcher stopped tracking an application: no further polls for it. */
  | { type: 'tracking.stopped'; appId: string; reason: string }
  /** The watcher (re)started tracking an application. */
  | { type: 'tracking.started'; appId: string; reason: string }
  /** A polling cycle outlived its wait and the next one started without it. */
  | { type: 'cycle.timeout'; cycle: number; pending: number }
  /** The console process restarted (caches lost, tracking rebuilt from the database). */
  | { type: 'tracker.restarted'; tracked: string[] };

/**
 * How a part of a tracker (a child actor) reports: it sends this to the root (system id
 * `tracker`), which emits the event it carries. Emitted events do not bubble up by themselves.
 */
export interface TelemetryMessage {
  type: 'telemetry';
  event: TelemetryEvent;
}

/** The message that carries `event` to the tracker's root. */
export function telemetry(event: TelemetryEvent): TelemetryMessage {
  return { type: 'telemetry', event };
}

/** The system id every tracker model gives its root actor. */
export const TRACKER_SYSTEM_ID = 'tracker';

/**
 * A console write's cause is the mechanism — a fixed phrase naming the observation and the rule
 * that made the model write the state, the same every time that path writes (`a failed
 * deployment list read as gone; no archive`) — optionally followed by ` — ` and details of this
 * write (pod names, times, errors). The explorer tells findings apart by the mechanism.
 */
export const CAUSE_DETAIL = ' — ';

/** A cause with details of this write. */
export function because(mechanism: string, detail?: string): string {
  return detail === undefined || detail === '' ? mechanism : `${mechanism}${CAUSE_DETAIL}${detail}`;
}

/** The mechanism of a cause (its details dropped). */
export function mechanismOf(cause: string): string {
  const at = cause.indexOf(CAUSE_DETAIL);
  return at < 0 ? cause : cause.slice(0, at);
}
