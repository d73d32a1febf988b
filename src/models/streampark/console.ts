/**
 * The StreamPark console's application rows (the database) and the code that writes them:
 * the FlinkK8sChangeEventListener (status-change events from the watcher) and
 * ApplicationServiceImpl.cancel (a user cancelling from the console). The rows outlive a console
 * restart; everything else in the tracker does not.
 */
import { assign, enqueueActions, not, sendTo, setup, type AnyActorRef } from 'xstate';
import { PortError } from '../ports.ts';
import { apiTimeouts, portActors } from '../port-actors.ts';
import { because, telemetry, TRACKER_SYSTEM_ID } from '../telemetry.ts';
import { alertsOn, applyJobStatus } from './listener.ts';
import { isConsoleEndState, trackingFlag } from './states.ts';
import type { ConsoleState } from '../../systems/streampark.ts';
import type { AppRow, TrackerEnvironment, TrackId } from './types.ts';
import type { StatusChangedEvent, WatcherCommand } from './watcher.ts';

export interface ConsoleInput {
  env: TrackerEnvironment;
  rows: AppRow[];
}

export type ConsoleEvent =
  | StatusChangedEvent
  | { type: 'console.cancel'; appId: string }
  | { type: 'cancel.succeeded'; appId: string }
  | { type: 'cancel.failed'; appId: string; error: string }
  /** the tracker's query at start-up: `tracking = 1` rows (FlinkK8sWatcherWrapper.getK8sWatchingApps) */
  | { type: 'console.listTrackingApps'; replyTo: AnyActorRef }
  /** the console's JVM went down: what ran in it stops, the rows stay */
  | { type: 'console.processDown' };

export interface TrackingAppsEvent {
  type: 'console.trackingApps';
  rows: AppRow[];
}

interface ConsoleContext {
  env: TrackerEnvironment;
  rows: Record<string, AppRow>;
}

/**
 * FlinkClient.cancel on the console's executor (KubernetesNativeClientTrait.executeClientAction,
 * FlinkClientTrait.cancelJob): `clusterDescriptor.retrieve(clusterId).getClusterClient` reads the
 * `-rest` Service twice — `retrieve` builds a cluster client once to log its URL, then
 * `getClusterClient` builds the one used (KubernetesClusterDescriptor 1.14.4 lines 94–154) — each
 * a plain fabric8 GET, never retried (fabric8 5.5.0's backoff limit is 0); a failure or a missing
 * Service fails the cancel. Then `client.cancel(jobId).get()` with no timeout of its own. Flink's RestClusterClient sends each request again after `rest.retry.delay` when it
 * failed on a connection problem (refused, closed, reset, timed out) or a 503, up to
 * `rest.retry.max-attempts` times; a 404 (no such running job) fails at once.
 */
/** One Service read of the cluster client's retrieval (Fabric8FlinkKubeClient.getRestEndpoint 1.14.4 lines 171–192, getRestService 216–229). */
function serviceRead(next: 'gettingClusterClient' | 'cancelling') {
  return {
    invoke: {
      src: 'lookupRestService' as const,
      input: ({ context }: { context: { env: TrackerEnvironment; trackId: TrackId } }) => ({ ports: context.env.ports, request: { namespace: context.trackId.namespace, clusterId: context.trackId.clusterId, ...apiTimeouts(context.env.timing) } }),
      onDone: [
        { guard: { type: 'serviceFound' as const, params: ({ event }: { event: { output: string | undefined } }) => event.output }, target: next, actions: { type: 'rememberRestUrl' as const, params: ({ event }: { event: { output: string | undefined } }) => event.output } },
        { target: 'failed' as const, actions: { type: 'rememberError' as const, params: ({ context }: { context: { trackId: TrackId } }) => ({ error: `Could not get the rest endpoint of ${context.trackId.clusterId}` }) } },
      ],
      onError: { target: 'failed' as const, actions: { type: 'rememberError' as const, params: ({ event }: { event: { error: unknown } }) => ({ error: event.error }) } },
    },
  };
}

const cancelOperationMachine = setup({
  types: {
    input: {} as { env: TrackerEnvironment; trackId: TrackId },
    context: {} as { env: TrackerEnvironment; trackId: TrackId; restUrl: string; retriesLeft: number; error: string },
  },
  actors: { lookupRestService: portActors.lookupRestService, cancelFlinkJob: portActors.cancelFlinkJob },
  delays: { retryDelay: ({ context }) => context.env.timing.flinkClientRetryDelayMs },
  guards: {
    serviceFound: (_, url: string | undefined) => url !== undefined,
    retriesLeft: ({ context }) => context.retriesLeft > 0,
    isConnectionProblemOrUnavailable: (_, params: { error: unknown }) => isRetriedByRestClusterClient(params.error),
  },
  actions: {
    rememberRestUrl: assign((_, url: string | undefined) => ({ restUrl: url ?? '' })),
    rememberError: assign((_, params: { error: unknown }) => ({ error: String(params.error) })),
    countAttempt: assign({ retriesLeft: ({ context }) => context.retriesLeft - 1 }),
    tellConsoleSucceeded: sendTo(({ system }) => system.get('console'), ({ context }) => ({ type: 'cancel.succeeded', appId: context.trackId.appId })),
    tellConsoleFailed: sendTo(({ system }) => system.get('console'), ({ context }) => ({ type: 'cancel.failed', appId: context.trackId.appId, error: context.error })),
  },
}).createMachine({
  id: 'cancelOperation',
  context: ({ input }) => ({ ...input, restUrl: '', retriesLeft: input.env.timing.flinkClientRetries, error: '' }),
  initial: 'retrievingClusterClient',
  states: {
    // retrieve(clusterId): getClusterClient once, for its log line
    retrievingClusterClient: serviceRead('gettingClusterClient'),
    // .getClusterClient: the Service again, for the client the cancel uses
    gettingClusterClient: serviceRead('cancelling'),
    cancelling: {
      invoke: {
        src: 'cancelFlinkJob',
        input: ({ context }) => ({
          ports: context.env.ports,
          request: { restUrl: context.restUrl, jobId: context.trackId.jobId, connectTimeoutMs: context.env.timing.flinkClientConnectTimeoutMs, responseTimeoutMs: context.env.timing.flinkClientIdleTimeoutMs },
        }),
        onDone: 'succeeded',
        onError: [
          { guard: { type: 'isConnectionProblemOrUnavailable', params: ({ event }) => ({ error: event.error }) }, target: 'waitingToRetry', actions: { type: 'rememberError', params: ({ event }) => ({ error: event.error }) } },
          { target: 'failed', actions: { type: 'rememberError', params: ({ event }) => ({ error: event.error }) } },
        ],
      },
    },
    waitingToRetry: {
      always: { guard: not('retriesLeft'), target: 'failed' },
      after: { retryDelay: { target: 'cancelling', actions: 'countAttempt' } },
    },
    succeeded: { type: 'final', entry: 'tellConsoleSucceeded' },
    failed: { type: 'final', entry: 'tellConsoleFailed' },
  },
});

/** RestClusterClient.isConnectionProblemOrServiceUnavailable: any I/O failure, or an HTTP 503. */
function isRetriedByRestClusterClient(error: unknown): boolean {
  if (!(error instanceof PortError)) return false;
  if (error.kind === 'http') return /\bHTTP 503\b/.test(error.message);
  return error.kind !== 'invalid';
}

/** The row's TrackId with the job id the listener last stored (it follows Flink's jid). */
function storedTrackId(row: AppRow): TrackId {
  return { ...row.trackId, jobId: row.jobId };
}

export const consoleMachine = setup({
  types: {
    context: {} as ConsoleContext,
    input: {} as ConsoleInput,
    events: {} as ConsoleEvent,
  },
  actors: { cancelOperation: cancelOperationMachine },
  guards: {
    isAppMissing: ({ context, event }) => event.type === 'status.changed' && !(event.trackId.appId in context.rows),
    /** BUG 2: `if (FlinkAppState.isEndState(app.getState())) return;` — every later event is dropped. */
    isAbsorbedByEndState: ({ context, event }) => {
      const row = event.type === 'status.changed' ? context.rows[event.trackId.appId] : undefined;
      return row !== undefined && isConsoleEndState(row.state);
    },
  },
  actions: {
    writeInitialRows: enqueueActions(({ context, enqueue, system }) => {
      for (const row of Object.values(context.rows)) enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry({ type: 'console.write', appId: row.appId, state: row.state, tracking: row.tracking, cause: 'initial' }));
    }),
    recordIgnored: enqueueActions(({ event, enqueue, system }, params: { reason: string }) => {
      if (event.type === 'status.changed') enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry({ type: 'listener.ignored', appId: event.trackId.appId, observed: event.status.state, reason: params.reason }));
    }),
    /** setByJobStatusCV + persist, then alert on FAILED, LOST, RESTARTING, FINISHED. */
    applyJobStatus: enqueueActions(({ context, event, enqueue, system }) => {
      if (event.type !== 'status.changed') return;
      const row = context.rows[event.trackId.appId];
      if (row === undefined) return;
      const next = applyJobStatus(row, event.status);
      enqueue.assign({ rows: { ...context.rows, [row.appId]: next } });
      enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry({ type: 'console.write', appId: row.appId, state: next.state, tracking: next.tracking, cause: because(event.status.cause ?? 'the watcher', `listener: ${event.status.state}`) }));
      if (alertsOn(next.state)) enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry({ type: 'alert', appId: row.appId, state: next.state }));
    }),
    /** A direct write by the console service (not through the listener). */
    writeState: enqueueActions(({ context, enqueue, system }, params: { appId: string; state: ConsoleState; cause: string }) => {
      const row = context.rows[params.appId];
      if (row === undefined) return;
      const next: AppRow = { ...row, state: params.state, tracking: trackingFlag(params.state) };
      enqueue.assign({ rows: { ...context.rows, [row.appId]: next } });
      enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry({ type: 'console.write', appId: row.appId, state: next.state, tracking: next.tracking, cause: params.cause }));
    }),
    /**
     * ApplicationServiceImpl.cancel, after CANCELLING is written: FlinkClient.cancel on the console's
     * executor, for the job id the row stores (application.getJobId(), v2.1.4 line 1356).
     */
    startCancelOperation: enqueueActions(({ context, enqueue }, params: { appId: string }) => {
      const row = context.rows[params.appId];
      if (row !== undefined) enqueue.spawnChild('cancelOperation', { id: `cancel-${params.appId}`, input: { env: context.env, trackId: storedTrackId(row) } });
    }),
    /** flinkK8sWatcher.unWatching(trackId): in 2.1.3/2.1.4 this only adds the id to `canceling`. */
    markCancelingInWatcher: enqueueActions(({ context, enqueue, system }, params: { appId: string }) => {
      const watcher = system.get('watcher');
      const row = context.rows[params.appId];
      if (!watcher || !row) return;
      const command: WatcherCommand = { type: 'watcher.unWatching', trackId: row.trackId };
      enqueue.sendTo(watcher, command);
    }),
    /**
     * A cancel runs as `CompletableFuture.supplyAsync(FlinkClient.cancel, bootstrapExecutor)`
     * (ApplicationServiceImpl v2.1.3 line 1368, v2.1.4 1364), on daemon threads
     * (ThreadUtils.threadFactory, streampark-common ThreadUtils.scala line 28): it dies with the
     * JVM, and its whenComplete (FAILED, unWatching) never runs. The row keeps the CANCELLING the
     * cancel wrote first (line 1313), with tracking = 1, so the restarted console tracks it again;
     * the restart's resetOptionState (lines 228–231) clears only option_state.
     */
    abandonCancels: enqueueActions(({ self, enqueue }) => {
      for (const id of Object.keys(self.getSnapshot().children)) if (id.startsWith('cancel-')) enqueue.stopChild(id);
    }),
    answerTrackingApps: sendTo(
      (_, params: { replyTo: AnyActorRef }) => params.replyTo,
      // toTrackId builds the TrackId from the row, with the job id it stores (FlinkK8sWatcherWrapper.java v2.1.4 lines 120–137)
      ({ context }): TrackingAppsEvent => ({ type: 'console.trackingApps', rows: Object.values(context.rows).filter((row) => row.tracking === 1).map((row) => ({ ...row, trackId: storedTrackId(row) })) }),
    ),
  },
}).createMachine({
  id: 'StreamParkConsole',
  context: ({ input }) => ({ env: input.env, rows: Object.fromEntries(input.rows.map((row) => [row.appId, row])) }),
  entry: 'writeInitialRows',
  on: {
    'status.changed': [
      { guard: 'isAppMissing', actions: { type: 'recordIgnored', params: { reason: 'no application row' } } },
      { guard: 'isAbsorbedByEndState', actions: { type: 'recordIgnored', params: { reason: 'stored state is an end state' } } },
      { actions: 'applyJobStatus' },
    ],
    'console.cancel': {
      actions: [
        { type: 'writeState', params: ({ event }) => ({ appId: event.appId, state: 'CANCELLING', cause: 'cancel from console' }) },
        { type: 'startCancelOperation', params: ({ event }) => ({ appId: event.appId }) },
      ],
    },
    'cancel.succeeded': { actions: { type: 'markCancelingInWatcher', params: ({ event }) => ({ appId: event.appId }) } },
    'cancel.failed': {
      actions: [
        { type: 'writeState', params: ({ event }) => ({ appId: event.appId, state: 'FAILED', cause: because('the cancel call failed', event.error) }) },
        { type: 'markCancelingInWatcher', params: ({ event }) => ({ appId: event.appId }) },
      ],
    },
    'console.listTrackingApps': { actions: { type: 'answerTrackingApps', params: ({ event }) => ({ replyTo: event.replyTo }) } },
    'console.processDown': { actions: 'abandonCancels' },
  },
});
