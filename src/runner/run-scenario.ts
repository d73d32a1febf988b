/**
 * Runs one scenario on one backend: every variant's tracker side by side against the same world
 * and the same faults, the timeline played on the backend's clock, the lanes recorded. The
 * session is always closed, whatever happens. Checking the lanes is check/'s work.
 */
import { getModel, startTracker } from '../models/registry.ts';
import type { AppRow } from '../models/streampark/types.ts';
import type { TelemetryEvent } from '../models/telemetry.ts';
import { resolveTiming, type ProfileName } from '../models/timing.ts';
import type { Backend, BackendSession } from '../backends/backend.ts';
import { sameTruth, type TruthEntry } from '../record/truth.ts';
import { settledAt, type Scenario, type ScheduledAction } from '../scenario/types.ts';
import { sendCanary } from './canary.ts';
import { probeKey, type FaultLaneEntry, type ProbeEntry, type ScenarioRun, type VariantLane } from '../record/run-record.ts';
import type { HttpTimeouts } from '../models/ports.ts';
import { callPath } from '../scenario/toxics.ts';
import { PathProbes } from './probes.ts';
import { recordingPorts } from './recording-ports.ts';

export interface ScenarioRunOptions {
  backend: Backend;
  variants: string[];
  seed: number;
  /** the timing profile to run with (default: the scenario's own) */
  profile?: ProfileName;
  runDir: string;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

const TRACKER_ACTIONS = new Set<ScheduledAction['action']>(['restart-tracker', 'cancel-from-console']);

function initialRows(scenario: Scenario, namespace: string): AppRow[] {
  const { app } = scenario;
  return app.jobs.map((job) => ({
    appId: job.name,
    state: 'RUNNING',
    tracking: 1,
    jobId: job.jobId,
    trackId: { appId: job.name, mode: app.mode, namespace, clusterId: app.clusterId, jobId: job.jobId },
  }));
}

function laneRecorder(lane: VariantLane, now: () => number) {
  return (event: TelemetryEvent) => {
    const t = now();
    switch (event.type) {
      case 'console.write':
        lane.writes.push({ t, app: event.appId, state: event.state, tracking: event.tracking, cause: event.cause });
        break;
      case 'alert':
        lane.alerts.push({ t, app: event.appId, state: event.state });
        break;
      default:
        lane.events.push({ t, ...event });
    }
  };
}

/** The timeouts of several designs, each once. */
function distinctTimeouts(all: readonly HttpTimeouts[]): HttpTimeouts[] {
  return [...new Map(all.map((timeouts) => [probeKey(timeouts), timeouts])).values()];
}

/** Run a scenario and return what every lane recorded. */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioRun> {
  const wallStart = performance.now();
  const profile = options.profile ?? scenario.timing.profile;
  const timing = resolveTiming(profile, scenario.timing.overrides);
  const progress = options.onProgress ?? (() => {});
  const truth: TruthEntry[] = [];
  const faultLane: FaultLaneEntry[] = [];
  const lanes: Record<string, VariantLane> = {};
  let session: BackendSession | undefined;
  const now = () => session?.clock.now() ?? 0;
  let runError: string | undefined;
  const canaries: Record<string, string[]> = {};
  const probes: ProbeEntry[] = [];
  let pathProbes: PathProbes | undefined;

  const phases = { setupMs: 0, runMs: 0, teardownMs: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phases) => {
    const at = performance.now();
    phases[phase] = Math.round(at - mark);
    mark = at;
  };
  try {
    session = await options.backend.open(scenario, {
      seed: options.seed,
      timeScale: timing.scale,
      runDir: options.runDir,
      signal: options.signal,
      onProgress: progress,
      onTruth: (snapshot) => {
        const last = truth[truth.length - 1];
        if (last === undefined || !sameTruth(last, snapshot)) truth.push({ t: now(), ...snapshot });
        if (last !== undefined && last.restServing !== snapshot.restServing) pathProbes?.probe('flink-rest');
      },
    });
    lap('setupMs');
    const opened = session;
    const namespace = opened.appNamespace ?? scenario.app.namespace;
    const trackers = options.variants.map((variant) => {
      const model = getModel(variant);
      if (model === undefined) throw new Error(`unknown variant ${variant}`);
      const lane: VariantLane = { timeouts: model.callTimeouts(timing.tracker), writes: [], alerts: [], polls: [], events: [] };
      lanes[variant] = lane;
      const env = { ports: recordingPorts(opened.trackerPorts(variant), lane.polls), timing: timing.tracker };
      return startTracker(model, { env, rows: initialRows(scenario, namespace), clock: opened.clock, onTelemetry: laneRecorder(lane, now) });
    });

    pathProbes = new PathProbes({
      ports: opened.trackerPorts('probe'),
      clock: opened.clock,
      namespace,
      clusterId: scenario.app.clusterId,
      restUrl: () => opened.restEndpoint(),
      faults: scenario.faults,
      durationMs: scenario.durationMs,
      timeScale: timing.scale,
      timeouts: { apiserver: distinctTimeouts(Object.values(lanes).map((lane) => lane.timeouts!.api)), 'flink-rest': distinctTimeouts(Object.values(lanes).map((lane) => lane.timeouts!.rest)) },
      everyMs: timing.tracker.pollIntervalMs,
      entries: probes,
    });
    const probing = pathProbes;
    probing.schedule();

    // The timeline, one step per distinct time: removals, then faults, then actions, in file order.
    type Step = () => Promise<void>;
    const steps = new Map<number, Step[]>();
    const at = (t: number, step: Step) => steps.set(t, [...(steps.get(t) ?? []), step]);
    for (const fault of scenario.faults) {
      if (fault.untilMs !== undefined) {
        at(fault.untilMs, async () => {
          await opened.removeFault(fault);
          faultLane.push({ t: now(), kind: 'fault.removed', id: fault.id, name: fault.name, target: fault.spec.target, toxic: fault.spec.toxic });
          probing.probe(callPath(fault.spec.target));
        });
      }
    }
    const canaryPorts = opened.trackerPorts('canary');
    for (const fault of scenario.faults) {
      at(fault.atMs, async () => {
        await opened.applyFault(fault);
        faultLane.push({ t: now(), kind: 'fault.applied', id: fault.id, name: fault.name, target: fault.spec.target, toxic: fault.spec.toxic });
        void sendCanary(canaryPorts, { namespace, restUrl: opened.restEndpoint() }, fault, timing.tracker, now).then((seen) => (canaries[fault.id] = seen));
        probing.probe(callPath(fault.spec.target));
      });
    }
    for (const action of scenario.actions) {
      at(action.atMs, async () => {
        faultLane.push({ t: now(), kind: 'action', id: action.id, name: action.name, action: action.action });
        if (action.action === 'restart-tracker') for (const tracker of trackers) tracker.send({ type: 'console.restart', downtimeMs: action.downtimeMs ?? 0 });
        else if (action.action === 'cancel-from-console') for (const tracker of trackers) tracker.send({ type: 'console.cancel', appId: action.job! });
        else if (!TRACKER_ACTIONS.has(action.action)) await opened.perform(action);
      });
    }
    let queue: Promise<void> = Promise.resolve();
    for (const [t, list] of [...steps].sort((a, b) => a[0] - b[0])) {
      opened.clock.setTimeout(() => {
        queue = queue.then(async () => {
          for (const step of list) await step();
        });
      }, Math.max(0, t - opened.clock.now()));
    }
    progress(`${scenario.name}: running ${options.variants.length} variant(s) for ${scenario.durationMs / 1000}s of scenario time`);
    await opened.runUntil(scenario.durationMs);
    await queue;
    for (const tracker of trackers) tracker.stop();
    // faults without `for` last to the end: take them off now, so the lane shows it
    for (const fault of scenario.faults) {
      if (fault.untilMs !== undefined) continue;
      await opened.removeFault(fault);
      faultLane.push({ t: now(), kind: 'fault.removed', id: fault.id, name: fault.name, target: fault.spec.target, toxic: fault.spec.toxic });
    }
    lap('runMs');
  } catch (error) {
    runError = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    mark = performance.now();
    await session?.close();
    lap('teardownMs');
  }

  const apps = scenario.app.jobs.map((job) => job.name);
  return {
    file: scenario.file,
    name: scenario.name,
    description: scenario.description,
    seed: options.seed,
    durationMs: scenario.durationMs,
    settledAtMs: settledAt(scenario, timing.scale),
    timeScale: timing.scale,
    timing: timing.tracker,
    faults: scenario.faults,
    actions: scenario.actions,
    expect: scenario.expect,
    discriminates: scenario.discriminates,
    apps,
    lanes: { faults: faultLane, truth, variants: lanes, canaries, probes: probes.sort((a, b) => a.t - b.t) },
    ...(runError ? { error: runError } : {}),
    wallMs: Math.round(performance.now() - wallStart),
    metadata: session?.metadata ?? {},
    phases,
  };
}
