/**
 * The proposed tracker (rationale and contract: docs/proposed-tracker.md).
 *
 * Every polling interval it starts a fresh, deadline-bounded observation of each tracked
 * application, whatever the previous one is doing, and applies results newest-first (a late
 * result of an older observation is dropped). So once the network heals, the next tick shows
 * the truth: convergence within one interval plus one round trip.
 */
import { assign, enqueueActions, setup } from 'xstate';
import { portActors } from '../port-actors.ts';
import type { TrackerCommand } from '../commands.ts';
import { finishedActorId } from '../finished-actor.ts';
import { TRACKER_SYSTEM_ID, type TelemetryEvent } from '../telemetry.ts';
import type { ConsoleState } from '../../states.ts';
import type { AppRow, TrackerEnvironment } from '../streampark/types.ts';
import { observationMachine, type ObservedEvent } from './observation.ts';
import { alertsOn, nextShownState, proposedTiming, type ProposedTiming } from './rules.ts';

export interface ProposedInput {
  env: TrackerEnvironment;
  rows: AppRow[];
}

type ProposedEvent = ObservedEvent | TrackerCommand;

interface AppState {
  row: AppRow;
  tracked: boolean;
  unknownSince: number | undefined;
  /** newest observation applied; older results are stale */
  appliedSeq: number;
  restUrl: string | undefined;
}

interface ProposedContext {
  env: TrackerEnvironment;
  timing: ProposedTiming;
  apps: Record<string, AppState>;
  seq: number;
  restartDowntimeMs: number;
  /** ids of the observations still running (stopped when the console goes down) */
  inFlight: string[];
}

/** A console write; `tracking` is 0 only once an end state came with the deployment gone. */
function write(row: AppRow, state: ConsoleState, tracking: 0 | 1, cause: string, telemetry: TelemetryEvent[]): AppRow {
  const next: AppRow = { ...row, state, tracking };
  telemetry.push({ type: 'console.write', appId: row.appId, state, tracking: next.tracking, cause });
  if (alertsOn(state)) telemetry.push({ type: 'alert', appId: row.appId, state });
  return next;
}

export const proposedTrackerMachine = setup({
  types: { context: {} as ProposedContext, input: {} as ProposedInput, events: {} as ProposedEvent, emitted: {} as TelemetryEvent },
  actors: { observation: observationMachine, cancelJob: portActors.cancelJob },
  delays: {
    pollInterval: ({ context }) => context.timing.pollIntervalMs,
    restartDowntime: ({ context }) => context.restartDowntimeMs,
  },
  actions: {
    /** Observations already under way saw the job before the cancel: they must not undo CANCELLING. */
    discardObservationsUnderWay: enqueueActions(({ context, enqueue }, params: { appId: string }) => {
      const app = context.apps[params.appId];
      if (app !== undefined) enqueue.assign({ apps: { ...context.apps, [params.appId]: { ...app, appliedSeq: context.seq + 1 } } });
    }),
    sendCancel: enqueueActions(({ context, enqueue }, params: { appId: string }) => {
      const app = context.apps[params.appId];
      if (app === undefined) return;
      const { namespace, clusterId, jobId } = app.row.trackId;
      const request = { namespace, clusterId, jobId, connectTimeoutMs: context.timing.apiConnectTimeoutMs, responseTimeoutMs: context.timing.apiRequestTimeoutMs };
      enqueue.spawnChild('cancelJob', { id: `cancel-${params.appId}-${context.seq}`, input: { ports: context.env.ports, request } });
    }),
    rememberDowntime: assign((_, params: { downtimeMs: number }) => ({ restartDowntimeMs: params.downtimeMs })),
    stopObservationsInFlight: enqueueActions(({ context, enqueue }) => {
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
        enqueue.spawnChild('observation', { id, input: { env: context.env, timing: context.timing, trackId: app.row.trackId, restUrl: app.restUrl, seq } });
        started.push(id);
      }
      enqueue.assign({ seq, inFlight: [...context.inFlight, ...started] });
    }),
    applyObservation: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'observed') return;
      const app = context.apps[event.trackId.appId];
      if (app === undefined || event.seq < app.appliedSeq) return; // stale: a newer one already applied
      const telemetry: TelemetryEvent[] = [];
      const decision = nextShownState({ shown: app.row.state, unknownSince: app.unknownSince }, event.observation, event.startedAt, context.timing);
      const untrack = event.observation.kind === 'ended' && event.observation.deploymentGone;
      const followed = followJob(app.row, event.observation);
      const row = decision.shown === undefined ? followed : write(followed, decision.shown, untrack ? 0 : 1, `observed ${event.observation.kind}: ${describe(event)}`, telemetry);
      if (untrack) telemetry.push({ type: 'tracking.stopped', appId: app.row.appId, reason: event.observation.kind === 'ended' ? event.observation.evidence : '' });
      const next: AppState = { row, tracked: !untrack, unknownSince: decision.unknownSince, appliedSeq: event.seq, restUrl: event.restUrl ?? app.restUrl };
      enqueue.assign({ apps: { ...context.apps, [app.row.appId]: next } });
      for (const item of telemetry) enqueue.emit(item);
    }),
    restoreAfterRestart: enqueueActions(({ context, enqueue }) => {
      const apps = Object.fromEntries(
        Object.values(context.apps).map((app) => [app.row.appId, { row: app.row, tracked: app.row.tracking === 1, unknownSince: undefined, appliedSeq: 0, restUrl: undefined }]),
      );
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
      const row = write(app.row, params.state, app.row.tracking, params.cause, telemetry);
      enqueue.assign({ apps: { ...context.apps, [params.appId]: { ...app, row } } });
      for (const item of telemetry) enqueue.emit(item);
    }),
  },
}).createMachine({
  id: 'ProposedTracker',
  context: ({ input }) => ({
    env: input.env,
    timing: proposedTiming(input.env.timing.pollIntervalMs),
    apps: Object.fromEntries(input.rows.map((row) => [row.appId, { row, tracked: row.tracking === 1, unknownSince: undefined, appliedSeq: 0, restUrl: undefined }])),
    seq: 0,
    restartDowntimeMs: 0,
    inFlight: [],
  }),
  systemId: TRACKER_SYSTEM_ID,
  entry: 'writeInitialRows',
  on: {
    'xstate.done.actor.*': { actions: 'forgetChild' },
    'xstate.error.actor.*': { actions: 'forgetChild' }, // a failed cancel call: the outcome comes from observation
    'console.cancel': {
      // The console shows CANCELLING while it asks Flink; what happened is learned by observing,
      // never from whether the cancel call itself failed.
      actions: [
        { type: 'writeState', params: ({ event }) => ({ appId: event.appId, state: 'CANCELLING', cause: 'cancel from console' }) },
        { type: 'discardObservationsUnderWay', params: ({ event }) => ({ appId: event.appId }) },
        { type: 'sendCancel', params: ({ event }) => ({ appId: event.appId }) },
      ],
    },
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
      entry: 'stopObservationsInFlight',
      after: { restartDowntime: { target: 'running', actions: 'restoreAfterRestart' } },
    },
  },
});

/** The row with the job id Flink reported, so later calls (cancel, the archive) name the job that runs now. */
function followJob(row: AppRow, observation: ObservedEvent['observation']): AppRow {
  if (observation.kind !== 'reported' || observation.jobId === undefined || observation.jobId === row.trackId.jobId) return row;
  return { ...row, jobId: observation.jobId, trackId: { ...row.trackId, jobId: observation.jobId } };
}

function describe(event: ObservedEvent): string {
  const { observation } = event;
  if (observation.kind === 'reported') return `Flink reports ${observation.state}`;
  if (observation.kind === 'ended') return observation.evidence;
  return observation.why;
}
