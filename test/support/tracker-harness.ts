/**
 * Runs one tracker model on scripted ports and virtual time, and hands back what it wrote,
 * reported and called: the fixture every model test builds on.
 */
import { getModel, startTracker, type TrackerCommand, type TrackerModel } from '../../src/models/registry.ts';
import type { AppRow, ExecuteMode } from '../../src/models/streampark/types.ts';
import type { TelemetryEvent } from '../../src/models/telemetry.ts';
import { STREAMPARK_TIMING, type TrackerTiming } from '../../src/models/timing.ts';
import { assembleStreamPark, STREAMPARK_VARIANTS, type StreamParkOverrides, type StreamParkVariantName } from '../../src/models/streampark/variants.ts';
import { VirtualClock } from '../../src/backends/sim/virtual-clock.ts';
import { scriptedPorts, type CallLogEntry, type Script } from './scripted-ports.ts';

export const CLUSTER = { namespace: 'default', clusterId: 'flink-demo' };
export const JOB_ID = 'job-1';

export function appRow(appId = 'app-1', mode: ExecuteMode = 'application', jobId = JOB_ID, clusterId = CLUSTER.clusterId): AppRow {
  return { appId, state: 'RUNNING', tracking: 1, jobId, trackId: { appId, mode, namespace: CLUSTER.namespace, clusterId, jobId } };
}

export interface HarnessOptions {
  variant?: string;
  /** extra overrides on top of a StreamPark variant (e.g. checkConnection failing) */
  overrides?: StreamParkOverrides;
  script: Script;
  untilMs: number;
  rows?: AppRow[];
  timing?: Partial<TrackerTiming>;
  commands?: { atMs: number; command: TrackerCommand }[];
  /** answers later than a call's response timeout fail at the timeout (default: answers come when scripted) */
  enforceTimeouts?: boolean;
}

export interface HarnessRun {
  writes: { t: number; appId: string; state: string; tracking: 0 | 1; cause: string }[];
  /** console states written, consecutive repeats collapsed */
  trace: (appId?: string) => string[];
  events: (TelemetryEvent & { t: number })[];
  calls: CallLogEntry[];
  alerts: { t: number; state: string }[];
  clock: VirtualClock;
}

export async function runTracker(options: HarnessOptions): Promise<HarnessRun> {
  const clock = new VirtualClock();
  const ports = scriptedPorts(clock, options.script, { enforceTimeouts: options.enforceTimeouts ?? false });
  const events: (TelemetryEvent & { t: number })[] = [];
  const variant = options.variant ?? 'v2.1.3';
  const registered = getModel(variant);
  if (registered === undefined) throw new Error(`unknown variant ${variant}`);
  const model: TrackerModel = options.overrides === undefined ? registered : { ...registered, machine: assembleStreamPark(mergeOverrides(STREAMPARK_VARIANTS[variant as StreamParkVariantName].overrides, options.overrides)) };
  const tracker = startTracker(model, {
    env: { ports, timing: { ...STREAMPARK_TIMING, ...options.timing } },
    apps: (options.rows ?? [appRow()]).map((row) => ({ ...row.trackId, jobId: row.jobId, state: row.state, tracking: row.tracking })),
    clock,
    onTelemetry: (event) => events.push({ ...event, t: clock.now() }),
  });
  for (const { atMs, command } of options.commands ?? []) clock.setTimeout(() => tracker.send(command), atMs);
  await clock.runUntil(options.untilMs);
  tracker.stop();
  const writes = events.flatMap((event) => (event.type === 'console.write' ? [{ t: event.t, appId: event.appId, state: event.state, tracking: event.tracking, cause: event.cause }] : []));
  return {
    writes,
    trace: (appId = 'app-1') => writes.filter((write) => write.appId === appId).map((write) => write.state).filter((state, index, all) => index === 0 || all[index - 1] !== state),
    events,
    calls: ports.log,
    alerts: events.flatMap((event) => (event.type === 'alert' ? [{ t: event.t, state: event.state }] : [])),
    clock,
  };
}

/** A variant's overrides with a test's extra guards and actions laid over them, machine by machine. */
function mergeOverrides(base: StreamParkOverrides, extra: StreamParkOverrides): StreamParkOverrides {
  const merged: StreamParkOverrides = { ...base };
  for (const key of Object.keys(extra) as (keyof StreamParkOverrides)[]) {
    const a = base[key] ?? {};
    const b = extra[key] ?? {};
    Object.assign(merged, { [key]: { ...a, ...b, guards: { ...a.guards, ...b.guards }, actions: { ...a.actions, ...b.actions } } });
  }
  return merged;
}

/** A healthy world, to be overridden call by call: REST says RUNNING, the deployment exists. */
export function healthyWorld(overrides: Partial<Record<string, (now: number, request: Record<string, unknown>) => ReturnType<Script>>> = {}): Script {
  return (call, request, now) => {
    const custom = overrides[call];
    if (custom) return custom(now, request);
    switch (call) {
      case 'fetchJobsOverview':
        return { ok: { jobs: [{ jid: JOB_ID, name: 'job', state: 'RUNNING' }] } };
      case 'lookupRestService':
        return { ok: 'http://flink-demo-rest:8081' };
      case 'lookupIngress':
        return { ok: undefined };
      case 'getApiServerVersion':
        return { ok: 'v1.30.2' };
      case 'listFlinkDeployments':
        return { ok: [CLUSTER.clusterId] };
      case 'getDeploymentPods':
        return { ok: [{ name: 'jm-1', phase: 'Running', containers: [{ name: 'flink-main-container', restartCount: 0, ready: true }] }] };
      default:
        return { ok: undefined };
    }
  };
}

/** Pods after a container restart: lastState.terminated set, phase Running. */
export const RESTARTED_POD = [{ name: 'jm-1', phase: 'Running', containers: [{ name: 'flink-main-container', restartCount: 1, ready: true, lastTerminated: { reason: 'Error', exitCode: 1 } }] }];
