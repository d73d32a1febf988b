/**
 * Runs one scenario on one backend: every variant's tracker side by side against the same world
 * and the same faults, the timeline played on the backend's clock, the lanes recorded. The
 * session is always closed, whatever happens. Checking the lanes is check/'s work.
 */
import { join } from 'node:path';
import { resolveTiming, type ProfileName } from '../models/timing.ts';
import { getTracker } from '../trackers/registry.ts';
import type { RunningTracker, TrackedApp, TrackerPlugin, TrackerReport } from '../trackers/tracker.ts';
import type { Backend, BackendSession } from '../backends/backend.ts';
import { sameTruth, type TruthEntry } from '../record/truth.ts';
import { settledAt, type Scenario, type ScheduledAction } from '../scenario/types.ts';
import { sendCanary } from './canary.ts';
import type { FaultLaneEntry, ScenarioRun, TimerLateness, TrackerInfo, VariantLane } from '../record/run-record.ts';
import type { Expectation } from '../scenario/types.ts';
import { actionDefinition } from '../scenario/actions.ts';
import type { TrackerCommand } from '../trackers/tracker.ts';
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
  /** the harness's settings for trackers (`STATUSCHAOS_STREAMPARK_HOME`, …); default: this process's environment */
  env?: NodeJS.ProcessEnv;
}


/** What a console action tells every tracker. */
function consoleCommand(action: ScheduledAction): TrackerCommand {
  if (action.action === 'cancel-from-console') return { type: 'console.cancel', appId: action.job! };
  return { type: 'console.restart', downtimeMs: action.downtimeMs ?? 0 };
}

/** Every scenario starts with each job RUNNING and tracked in the console's database. */
function trackedApps(scenario: Scenario, namespace: string): TrackedApp[] {
  const { app } = scenario;
  return app.jobs.map((job) => ({ appId: job.name, mode: app.mode, namespace, clusterId: app.clusterId, jobId: job.jobId, state: 'RUNNING', tracking: 1 }));
}

/** Where a tracker's reports go: its lane, stamped with scenario time. */
function laneReport(lane: VariantLane, now: () => number): TrackerReport {
  return {
    write: ({ appId, state, tracking, cause, at }) => void lane.writes.push({ t: at ?? now(), app: appId, state, tracking, cause }),
    alert: ({ appId, state, at }) => void lane.alerts.push({ t: at ?? now(), app: appId, state }),
    poll: ({ at, ...poll }) => void lane.polls.push({ t: at ?? now(), ...poll }),
    event: (type, fields, at) => void lane.events.push({ ...fields, t: at ?? now(), type }),
    fail: (reason, detail) => {
      lane.failure ??= { t: now(), reason, ...(detail !== undefined && detail !== '' ? { detail } : {}) };
    },
  };
}

/** A variant's expectation: its own, else its model's (a real tracker is held to what its model was held to). */
function expectationFor(scenario: Scenario, tracker: TrackerPlugin): { expectation: Expectation | undefined; of: string | undefined } {
  const own = scenario.expect[tracker.name];
  if (own !== undefined || tracker.counterpart === undefined) return { expectation: own, of: undefined };
  const inherited = scenario.expect[tracker.counterpart];
  return { expectation: inherited, of: inherited === undefined ? undefined : tracker.counterpart };
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
  const expect: Record<string, Expectation> = {};
  const infos: Record<string, TrackerInfo> = {};
  let started: RunningTracker[] = [];
  let lateness: TimerLateness | undefined;

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
      },
    });
    lap('setupMs');
    const opened = session;
    const namespace = opened.appNamespace ?? scenario.app.namespace;
    // every tracker ready (a JVM may take seconds) before scenario time 0, which is when each begins
    const trackers = await Promise.all(
      options.variants.map(async (variant) => {
        const tracker = getTracker(variant);
        if (tracker === undefined) throw new Error(`unknown variant ${variant}`);
        const lane: VariantLane = { writes: [], alerts: [], polls: [], events: [] };
        lanes[variant] = lane;
        const { expectation, of } = expectationFor(scenario, tracker);
        if (expectation !== undefined) expect[variant] = expectation;
        infos[variant] = { system: tracker.system, role: tracker.role, kind: tracker.kind, ...(of !== undefined ? { expectationOf: of } : {}) };
        const report = laneReport(lane, now);
        const workDir = join(options.runDir, 'trackers', variant);
        const running = await tracker.start({
          variant,
          apps: trackedApps(scenario, namespace),
          clock: opened.clock,
          timing: timing.tracker,
          timeScale: timing.scale,
          report,
          ports: () => recordingPorts(opened.trackerPorts(variant), report.poll),
          endpoints: tracker.kind === 'process' ? await opened.trackerEndpoints?.(variant, workDir) : undefined,
          workDir,
          env: options.env ?? process.env,
          signal: options.signal,
        });
        started.push(running); // stopped in `finally`, whatever happens to the others
        if (running.version !== undefined) infos[variant]!.version = running.version;
        return running;
      }),
    );
    opened.begin();
    for (const tracker of trackers) tracker.begin();

    // The timeline, one step per distinct time: removals, then faults, then actions, in file order.
    type Step = () => Promise<void>;
    const steps = new Map<number, Step[]>();
    const at = (t: number, step: Step) => steps.set(t, [...(steps.get(t) ?? []), step]);
    for (const fault of scenario.faults) {
      if (fault.untilMs !== undefined) {
        at(fault.untilMs, async () => {
          await opened.removeFault(fault);
          faultLane.push({ t: now(), kind: 'fault.removed', id: fault.id, name: fault.name, target: fault.spec.target, toxic: fault.spec.toxic });
        });
      }
    }
    const canaryPorts = opened.trackerPorts('canary');
    for (const fault of scenario.faults) {
      at(fault.atMs, async () => {
        await opened.applyFault(fault);
        faultLane.push({ t: now(), kind: 'fault.applied', id: fault.id, name: fault.name, target: fault.spec.target, toxic: fault.spec.toxic });
        void sendCanary(canaryPorts, { namespace, restUrl: opened.restEndpoint() }, fault, timing.tracker, now).then((seen) => (canaries[fault.id] = seen));
      });
    }
    for (const action of scenario.actions) {
      at(action.atMs, async () => {
        faultLane.push({ t: now(), kind: 'action', id: action.id, name: action.name, action: action.action });
        if (actionDefinition(action.action).on === 'world') await opened.perform(action);
        else for (const tracker of trackers) tracker.send(consoleCommand(action));
      });
    }
    let queue: Promise<void> = Promise.resolve();
    for (const [t, list] of [...steps].sort((a, b) => a[0] - b[0])) {
      opened.clock.setTimeout(() => {
        queue = queue.then(async () => {
          for (const step of list) await step();
        });
        // a failed step fails the run after runUntil (below); until then it must not end the process as an unhandled rejection
        queue.catch(() => {});
      }, Math.max(0, t - opened.clock.now()));
    }
    progress(`${scenario.name}: running ${options.variants.length} variant(s) for ${scenario.durationMs / 1000}s of scenario time`);
    await opened.runUntil(scenario.durationMs);
    lateness = opened.clock.lateness?.(); // the scenario's timers; the teardown's are no tracker's
    await queue;
    await Promise.all(trackers.map((tracker) => tracker.stop()));
    started = [];
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
    // a run that broke off (or was stopped) still stops its trackers: no process outlives it
    await Promise.all(started.map((tracker) => tracker.stop().catch(() => {})));
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
    expect: { ...scenario.expect, ...expect },
    discriminates: scenario.discriminates,
    apps,
    trackers: infos,
    lanes: { faults: faultLane, truth, variants: lanes, canaries },
    ...(runError ? { error: runError } : {}),
    wallMs: Math.round(performance.now() - wallStart),
    metadata: session?.metadata ?? {},
    phases,
    ...(lateness !== undefined ? { lateness } : {}),
  };
}
