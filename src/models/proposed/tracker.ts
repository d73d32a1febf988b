/**
 * The proposed tracker (rationale and contract: docs/proposed-tracker.md).
 *
 * Every polling interval it starts a fresh, deadline-bounded observation of each tracked
 * application, whatever the previous one is doing, and applies results newest-first (a late
 * result of an older observation is dropped). So once the network heals, the next tick shows
 * the truth: convergence within one interval plus one observation. A cancel from the console
 * fences the observations: none is applied while the cancel call is out, and afterwards only
 * those started after it settled (an older one may have read Flink before the cancel reached it).
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { TrackerCommand } from '../commands.ts';
import { finishedActorId } from '../finished-actor.ts';
import { TRACKER_SYSTEM_ID, type TelemetryEvent } from '../telemetry.ts';
import type { ConsoleState } from '../../systems/streampark.ts';
import { parseConsoleState } from '../../systems/streampark.ts';
import { consoleRowOf, type ConsoleRow, type TrackedApp, type TrackerEnvironment } from '../environment.ts';

/** The console row: StreamPark's states, as the console it proposes to replace stores them. */
type AppRow = ConsoleRow<ConsoleState>;
import { cancelMachine, type CancelSettledEvent } from './cancel.ts';
import { observationMachine, type ObservedEvent } from './observation.ts';
import { PROPOSED_RULES, type ProposedRules } from './rule-set.ts';
import { endFromStale, initialView, type AppView, type ProposedTiming } from './rules.ts';

export interface ProposedInput {
  env: TrackerEnvironment;
  /** the applications as the console's database holds them when it starts */
  apps: readonly TrackedApp[];
  /** the rules it decides by (rule-set.ts): the design's, unless a variant replaces one */
  rules?: ProposedRules;
}

type ProposedEvent = ObservedEvent | CancelSettledEvent | TrackerCommand;

interface AppState {
  row: AppRow;
  tracked: boolean;
  view: AppView;
  /** newest observation applied; older results are stale */
  appliedSeq: number;
  restUrl: string | undefined;
  /** the last REST call failed: the next observation reads the Service again */
  refreshRestUrl: boolean;
  /** a cancel call is out: no observation is applied until it settles */
  cancelPending: boolean;
}

interface ProposedContext {
  env: TrackerEnvironment;
  rules: ProposedRules;
  timing: ProposedTiming;
  apps: Record<string, AppState>;
  seq: number;
  restartDowntimeMs: number;
  /** ids of the children still running (stopped when the console goes down) */
  inFlight: string[];
}

/** A console write; `tracking` is 0 only once an end state came with the deployment gone. */
function write(row: AppRow, state: ConsoleState, tracking: 0 | 1, cause: string, alert: boolean, telemetry: TelemetryEvent[]): AppRow {
  const next: AppRow = { ...row, state, tracking };
  telemetry.push({ type: 'console.write', appId: row.appId, state, tracking: next.tracking, cause });
  if (alert) telemetry.push({ type: 'alert', appId: row.appId, state });
  return next;
}

/** The row with the job id Flink runs the job under now (a JobManager restarted without HA resubmits it). */
function followJobId(row: AppRow, jobId: string): AppRow {
  return row.jobId === jobId ? row : { ...row, jobId, trackId: { ...row.trackId, jobId } };
}

function freshApp(row: AppRow, view: AppView): AppState {
  return { row, tracked: row.tracking === 1, view, appliedSeq: 0, restUrl: undefined, refreshRestUrl: false, cancelPending: false };
}

/**
 * What the console keeps with a row across a restart of its process: the row, what the rules keep
 * of its view (rule-set.ts: what the user asked, how its end state was reached), and the REST URL
 * last read — so that a restarted console reads Flink even while the Kubernetes API is down (rule
 * 9 reads it again if it fails). What it observed starts again: a JobManager may have served
 * meanwhile.
 */
function afterRestart(app: AppState, rules: ProposedRules): AppState {
  const { view, tracked } = rules.afterRestart(app.row, app.view, app.row.tracking === 1);
  return { ...freshApp(app.row, view), tracked, restUrl: app.restUrl };
}

export const proposedTrackerMachine = setup({
  types: { context: {} as ProposedContext, input: {} as ProposedInput, events: {} as ProposedEvent, emitted: {} as TelemetryEvent },
  actors: { observation: observationMachine, cancel: cancelMachine },
  delays: {
    pollInterval: ({ context }) => context.timing.pollIntervalMs,
    restartDowntime: ({ context }) => context.restartDowntimeMs,
  },
  actions: {
    sendCancel: enqueueActions(({ context, enqueue }, params: { appId: string }) => {
      const app = context.apps[params.appId];
      if (app === undefined || app.cancelPending) return; // one cancel call at a time
      const id = `cancel-${params.appId}-${context.seq}`;
      enqueue.spawnChild('cancel', { id, input: { env: context.env, timing: context.timing, trackId: app.row.trackId } });
      enqueue.assign({
        apps: { ...context.apps, [params.appId]: { ...app, cancelPending: true, view: { ...app.view, userCancelled: true } } },
        inFlight: [...context.inFlight, id],
      });
    }),
    /** Observations started before the cancel settled may have read Flink before it: only later ones count. */
    fenceAfterCancel: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'cancel.settled') return;
      const app = context.apps[event.appId];
      if (app !== undefined) enqueue.assign({ apps: { ...context.apps, [event.appId]: { ...app, cancelPending: false, appliedSeq: context.rules.appliedAfterCancel(context.seq), view: { ...app.view, userCancelled: app.view.userCancelled || event.accepted, cancelAccepted: app.view.cancelAccepted || event.accepted } } } });
    }),
    rememberDowntime: assign((_, params: { downtimeMs: number }) => ({ restartDowntimeMs: params.downtimeMs })),
    stopChildrenInFlight: enqueueActions(({ context, enqueue }) => {
      for (const id of context.inFlight) enqueue.stopChild(id);
      enqueue.assign({ inFlight: [] });
    }),
    writeInitialRows: enqueueActions(({ context, enqueue }) => {
      for (const app of Object.values(context.apps)) enqueue.emit({ type: 'console.write', appId: app.row.appId, state: app.row.state, tracking: app.row.tracking, cause: 'initial' });
    }),
    startObservations: enqueueActions(({ context, enqueue }) => {
      const seq = context.seq + 1;
      const started: string[] = [];
      for (const app of Object.values(context.apps)) {
        if (!app.tracked) continue;
        const id = `observe-${seq}-${app.row.appId}`;
        enqueue.spawnChild('observation', { id, input: { env: context.env, rules: context.rules, timing: context.timing, trackId: app.row.trackId, restUrl: app.restUrl, refreshRestUrl: app.refreshRestUrl, seq } });
        started.push(id);
      }
      enqueue.assign({ seq, inFlight: [...context.inFlight, ...started] });
    }),
    applyObservation: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'observed') return;
      const app = context.apps[event.trackId.appId];
      if (app === undefined) return;
      if (context.rules.isStale(app, event.seq)) {
        // not shown (it may predate a cancel, or a newer one was applied), but an end Flink reported in it stays known
        const view = endFromStale(app.view, event.observation);
        if (view !== app.view) enqueue.assign({ apps: { ...context.apps, [app.row.appId]: { ...app, view } } });
        return;
      }
      const decision = context.rules.decide(app.view, event.observation, event.startedAt, context.timing);
      const followed = event.observation.kind === 'reported' ? followJobId(app.row, event.observation.jobId) : app.row;
      const telemetry: TelemetryEvent[] = [];
      const row = decision.write === undefined ? followed : write(followed, decision.write, decision.untrack ? 0 : 1, decision.cause, decision.alert, telemetry);
      if (decision.untrack) telemetry.push({ type: 'tracking.stopped', appId: app.row.appId, reason: decision.cause });
      const restUrl = event.restUrl ?? app.restUrl;
      const next: AppState = { ...app, row, tracked: !decision.untrack, view: decision.view, appliedSeq: event.seq, restUrl, refreshRestUrl: event.restFailed };
      enqueue.assign({ apps: { ...context.apps, [app.row.appId]: next } });
      for (const item of telemetry) enqueue.emit(item);
    }),
    restoreAfterRestart: enqueueActions(({ context, enqueue }) => {
      // the new process knows what is kept with the rows (afterRestart), not what was observed
      const apps = Object.fromEntries(Object.values(context.apps).map((app) => [app.row.appId, afterRestart(app, context.rules)]));
      enqueue.assign({ apps, seq: 0 });
      const tracked = Object.values(apps).filter((app) => app.tracked).map((app) => app.row.appId);
      enqueue.emit({ type: 'tracker.restarted', tracked });
    }),
    forgetChild: enqueueActions(({ context, event, enqueue }) => {
      const id = finishedActorId(event);
      enqueue.stopChild(id);
      enqueue.assign({ inFlight: context.inFlight.filter((candidate) => candidate !== id) });
    }),
    writeState: enqueueActions(({ context, enqueue }, params: { appId: string; state: ConsoleState; cause: string }) => {
      const app = context.apps[params.appId];
      if (app === undefined) return;
      const telemetry: TelemetryEvent[] = [];
      const row = write(app.row, params.state, app.row.tracking, params.cause, false, telemetry);
      enqueue.assign({ apps: { ...context.apps, [params.appId]: { ...app, row, view: { ...app.view, shown: params.state } } } });
      for (const item of telemetry) enqueue.emit(item);
    }),
  },
}).createMachine({
  id: 'ProposedTracker',
  context: ({ input }) => ({
    env: input.env,
    rules: input.rules ?? PROPOSED_RULES,
    timing: (input.rules ?? PROPOSED_RULES).timing(input.env.timing.pollIntervalMs),
    apps: Object.fromEntries(input.apps.map((app) => consoleRowOf(app, parseConsoleState)).map((row) => [row.appId, freshApp(row, initialView(row.state))])),
    seq: 0,
    restartDowntimeMs: 0,
    inFlight: [],
  }),
  systemId: TRACKER_SYSTEM_ID,
  entry: 'writeInitialRows',
  on: {
    'xstate.done.actor.*': { actions: 'forgetChild' },
    'xstate.error.actor.*': { actions: 'forgetChild' },
    'console.cancel': {
      // The console shows CANCELLING while it asks Flink; what happened is learned by observing,
      // never from whether the cancel call itself failed.
      actions: [
        { type: 'writeState', params: ({ event }) => ({ appId: event.appId, state: 'CANCELLING', cause: 'cancel from console' }) },
        { type: 'sendCancel', params: ({ event }) => ({ appId: event.appId }) },
      ],
    },
    'cancel.settled': { actions: 'fenceAfterCancel' },
  },
  initial: 'running',
  states: {
    running: {
      initial: 'observing',
      on: {
        observed: { actions: 'applyObservation' },
        'console.restart': { target: 'down', actions: { type: 'rememberDowntime', params: ({ event }) => ({ downtimeMs: event.downtimeMs }) } },
      },
      states: {
        observing: {
          entry: 'startObservations',
          after: { pollInterval: { target: 'observing', reenter: true } },
        },
      },
    },
    down: {
      // the process is gone, and every observation in flight with it
      entry: 'stopChildrenInFlight',
      after: { restartDowntime: { target: 'running', actions: 'restoreAfterRestart' } },
    },
  },
});
