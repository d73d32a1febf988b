/**
 * The StreamPark console process as a whole: the console rows (which survive a restart), the
 * watcher (which does not), and the JVM-wide state of KubernetesRetriever. A console restart
 * stops the watcher with every poll in flight, waits out the downtime, then rebuilds the
 * tracking list from the database (FlinkK8sWatcherWrapper.getK8sWatchingApps):
 *   v2.1.3: rows with tracking = 1 that are not in an end state or whose deployment exists
 *   v2.1.4: rows with tracking = 1 that are not in an end state
 */
import { assign, emit, enqueueActions, sendTo, setup, type AnyActorRef } from 'xstate';
import type { TrackerCommand } from '../commands.ts';
import { TRACKER_SYSTEM_ID, type TelemetryEvent, type TelemetryMessage } from '../telemetry.ts';
import { consoleMachine, type TrackingAppsEvent } from './console.ts';
import { deploymentExistenceMachine, type ExistenceApiErrorEvent, type ExistenceVerdictEvent } from './deployment-existence.ts';
import { isWatcherEndState, toWatcherState } from './states.ts';
import { type AppRow, type TrackerEnvironment, type TrackId } from './types.ts';
import { watcherMachine } from './watcher.ts';

export interface TrackerInput {
  env: TrackerEnvironment;
  /** the console rows at t = 0 (every scenario starts with the job RUNNING and tracked) */
  rows: AppRow[];
}

type TrackerEvent = TrackerCommand | ExistenceApiErrorEvent | TrackingAppsEvent | TelemetryMessage;

interface TrackerContext {
  env: TrackerEnvironment;
  /** what the next watcher starts tracking */
  toTrack: TrackId[];
  restartDowntimeMs: number;
  /** v2.1.4 KubernetesRetriever.DEPLOYMENT_LOST_TIME: first failure time per deployment */
  deploymentLostSince: Record<string, number>;
  /** the rows at t = 0, handed to the console when it starts */
  initialRows: AppRow[];
  /** rows found at start-up, while they are being filtered */
  candidates: AppRow[];
  checksExistence: boolean;
  /** the console process has restarted at least once: IngressController.clusterVersion is unresolved in the new JVM */
  restarted: boolean;
}

/** Filters the start-up candidates one by one, calling isDeploymentExists where the variant does. */
const retrackSelectionMachine = setup({
  types: {
    input: {} as { env: TrackerEnvironment; rows: AppRow[]; checksExistence: boolean },
    context: {} as { env: TrackerEnvironment; rows: AppRow[]; checksExistence: boolean; index: number; selected: TrackId[] },
    output: {} as TrackId[],
  },
  actors: { isDeploymentExists: deploymentExistenceMachine },
  guards: {
    allChecked: ({ context }) => context.index >= context.rows.length,
    checksExistence: ({ context }) => context.checksExistence,
  },
  actions: {
    decide: assign(({ context }, exists: boolean) => {
      const row = context.rows[context.index]!;
      const keep = !isWatcherEndState(toWatcherState(row.state)) || exists;
      return { index: context.index + 1, selected: keep ? [...context.selected, row.trackId] : context.selected };
    }),
  },
}).createMachine({
  id: 'getK8sWatchingApps',
  context: ({ input }) => ({ ...input, index: 0, selected: [] }),
  initial: 'next',
  states: {
    next: {
      always: [
        { guard: 'allChecked', target: 'done' },
        { guard: 'checksExistence', target: 'checking' },
        { target: 'next', reenter: true, actions: { type: 'decide', params: false } },
      ],
    },
    checking: {
      invoke: {
        src: 'isDeploymentExists',
        input: ({ context }) => ({ env: context.env, namespace: context.rows[context.index]!.trackId.namespace, deploymentName: context.rows[context.index]!.trackId.clusterId }),
        onDone: { target: 'next', actions: { type: 'decide', params: ({ event }) => event.output.exists } },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.selected,
});

export const trackerMachine = setup({
  types: {
    context: {} as TrackerContext,
    input: {} as TrackerInput,
    events: {} as TrackerEvent,
    emitted: {} as TelemetryEvent,
  },
  actors: { watcher: watcherMachine, console: consoleMachine, retrackSelection: retrackSelectionMachine },
  delays: {
    restartDowntime: ({ context }) => context.restartDowntimeMs,
  },
  guards: {
    /** v2.1.3 calls isDeploymentExists for every candidate row at start-up. */
    retrackChecksDeploymentExistence: () => true,
  },
  actions: {
    /**
     * BUG 1: what isDeploymentExists answers when listing deployments threw.
     * v2.1.3: `false` — the deployment is taken for gone.
     */
    answerExistenceAfterApiError: sendTo((_, params: ExistenceApiErrorEvent) => params.replyTo, { type: 'existence.verdict', exists: false } satisfies ExistenceVerdictEvent),
    /** What a part of the tracker reported, emitted to whoever listens (the runner's lanes). */
    emitTelemetry: emit((_, params: TelemetryEvent) => params),
    reportRestart: emit((_, params: { tracked: TrackId[] }) => ({ type: 'tracker.restarted', tracked: params.tracked.map((id) => id.appId) })),
  },
}).createMachine({
  id: 'StreamParkTracker',
  systemId: TRACKER_SYSTEM_ID,
  context: ({ input }) => ({
    env: input.env,
    toTrack: input.rows.filter((row) => row.tracking === 1).map((row) => row.trackId),
    restartDowntimeMs: 0,
    deploymentLostSince: {},
    initialRows: input.rows,
    candidates: [],
    checksExistence: false,
    restarted: false,
  }),
  entry: enqueueActions(({ context, enqueue }) => {
    enqueue.spawnChild('console', { id: 'console', systemId: 'console', input: { env: context.env, rows: context.initialRows } });
  }),
  on: {
    'existence.apiError': { actions: { type: 'answerExistenceAfterApiError', params: ({ event }) => event } },
    telemetry: { actions: { type: 'emitTelemetry', params: ({ event }) => event.event } },
    'console.cancel': { actions: sendTo(({ system }) => system.get('console'), ({ event }) => event) },
  },
  initial: 'running',
  states: {
    running: {
      invoke: { src: 'watcher', id: 'watcher', systemId: 'watcher', input: ({ context }) => ({ env: context.env, tracked: context.toTrack, clusterVersionResolved: !context.restarted }) },
      on: {
        'console.restart': { target: 'down', actions: assign({ restartDowntimeMs: ({ event }) => event.downtimeMs }) },
      },
    },
    down: {
      // the JVM is gone: KubernetesRetriever's static map and IngressController's lazy vals with it
      entry: assign({ deploymentLostSince: {}, restarted: true }),
      after: { restartDowntime: 'queryingRows' },
    },
    queryingRows: {
      entry: sendTo(({ system }) => system.get('console'), ({ self }) => ({ type: 'console.listTrackingApps', replyTo: self as AnyActorRef })),
      on: {
        'console.trackingApps': [
          { guard: 'retrackChecksDeploymentExistence', target: 'selectingApps', actions: assign({ candidates: ({ event }) => event.rows, checksExistence: true }) },
          { target: 'selectingApps', actions: assign({ candidates: ({ event }) => event.rows, checksExistence: false }) },
        ],
      },
    },
    selectingApps: {
      invoke: {
        src: 'retrackSelection',
        input: ({ context }) => ({ env: context.env, rows: context.candidates, checksExistence: context.checksExistence }),
        onDone: {
          target: 'running',
          actions: [assign({ toTrack: ({ event }) => event.output, candidates: [] }), { type: 'reportRestart', params: ({ event }) => ({ tracked: event.output }) }],
        },
      },
    },
  },
});
