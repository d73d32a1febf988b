/**
 * FlinkJobStatusWatcher, holding the FlinkK8sWatchController caches it reads and writes.
 *
 * The polling loop is `scheduleAtFixedRate(doWatch, 0, interval)` around a synchronized body:
 * cycles never overlap, and a late cycle makes the next ones start at once until the schedule
 * has caught up (the next run is always "previous scheduled time + interval"). Each cycle polls
 * every tracked id in a probe of its own, then waits up to `cycleWaitMs` for the application
 * probes and after that up to `cycleWaitMs` more for the session probes (two Await.ready calls
 * in a row: FlinkJobStatusWatcher.scala lines 144–158, both tags); a probe that outlives its
 * wait still reports later, as the Scala future's onComplete does.
 * The polls and the untrack checks run on a bounded pool when the console's cores are given
 * (poll-pool.ts); otherwise all at once.
 *
 * The cache rules (updateState, unWatching, …) live in watch-controller.ts; each handler here
 * opens a draft on the caches, applies them in the Scala order, and commits.
 */
import { and, assign, enqueueActions, sendTo, setup, stopChild, type ActorRefFrom, type EventObject } from 'xstate';
import { applicationProbeMachine, type ApplicationProbeInput, type ProbeEscapedEvent, type ProbeObservedEvent, type ReadCachesEvent } from './application-probe.ts';
import { holdsThread, poolThreads, startable, type PoolState, type PoolTask } from './poll-pool.ts';
import { untrackCheckMachine, type DeploymentGoneEvent, type UntrackCheckInput } from './untrack-check.ts';
import type { EndpointRefreshedEvent } from './list-jobs.ts';
import type { ClusterVersionResolvedEvent } from './rest-url-refresher.ts';
import { freshEntry } from './rules.ts';
import { sessionProbeMachine, type SessionMissingJobResolvedEvent, type SessionObservedEvent, type SessionProbeInput } from './session-probe.ts';
import { isWatcherEndState } from './states.ts';
import { clusterKey, type JobStatus, type TrackerEnvironment, type TrackId } from './types.ts';
import { WatchControllerDraft, type DraftResult, type WatchCaches } from './watch-controller.ts';
import { finishedActorId } from '../finished-actor.ts';
import { telemetry, TRACKER_SYSTEM_ID } from '../telemetry.ts';

export interface WatcherInput {
  env: TrackerEnvironment;
  /** the ids to track from the start (FlinkK8sWatcherWrapper.initFlinkK8sWatcher) */
  tracked: TrackId[];
  /**
   * IngressController.clusterVersion (a lazy val of the JVM) is already resolved: true for the
   * console that started the jobs, false in a console process that has just restarted.
   */
  clusterVersionResolved: boolean;
}

/** DefaultFlinkK8sWatcher.doWatching / unWatching (the latter only marks the id `canceling`). */
export type WatcherCommand = { type: 'watcher.doWatching'; trackId: TrackId } | { type: 'watcher.unWatching'; trackId: TrackId };

/** The event the listener receives (FlinkJobStatusChangeEvent). */
export interface StatusChangedEvent {
  type: 'status.changed';
  trackId: TrackId;
  status: JobStatus;
}

export type WatcherEvent =
  | ProbeObservedEvent
  | ProbeEscapedEvent
  | SessionObservedEvent
  | SessionMissingJobResolvedEvent
  | ReadCachesEvent
  | EndpointRefreshedEvent
  | ClusterVersionResolvedEvent
  | DeploymentGoneEvent
  | WatcherCommand;

interface WatcherContext extends WatchCaches {
  env: TrackerEnvironment;
  cycle: number;
  /** application-mode probes of the current cycle that have not finished the awaited part */
  pendingApplicationProbes: number;
  /** session-mode probes of the current cycle that have not finished the awaited part */
  pendingSessionProbes: number;
  /** when the fixed-rate schedule fires next */
  nextDueAt: number;
  untrackChecks: number;
  /** JVM-wide: the watcher lives exactly as long as the console process in this model */
  clusterVersionResolved: boolean;
  /** the poll pool's threads in use and the work waiting for one */
  pool: PoolState;
}

const now = (context: WatcherContext) => context.env.ports.now();

interface PoolEnqueue {
  assign(values: Partial<WatcherContext>): void;
  spawnChild(src: 'applicationProbe', options: { id: string; input: ApplicationProbeInput }): void;
  spawnChild(src: 'sessionProbe', options: { id: string; input: SessionProbeInput }): void;
  spawnChild(src: 'untrackCheck', options: { id: string; input: UntrackCheckInput }): void;
}

/**
 * Start what the pool has threads for (poll-pool.ts), with the caches as they are now, and keep
 * what is left waiting. `values` join the pool in one assign: each assign is a snapshot XState
 * clones (and recomputes its state value for), and this runs at every cycle and poll's end.
 */
function runPool(enqueue: PoolEnqueue, context: WatcherContext, pool: PoolState, scheduledWithTick: boolean, values: Partial<WatcherContext> = {}): void {
  const { start, pool: after } = startable(pool, poolThreads(scheduledWithTick ? 'scheduledWithTick' : 'workStealing', context.env.timing));
  enqueue.assign({ ...values, pool: after });
  const at = now(context);
  for (const task of start) {
    if (task.actor === 'untrackCheck') {
      enqueue.spawnChild('untrackCheck', { id: task.id, input: { env: context.env, trackId: task.trackId } });
      continue;
    }
    const key = clusterKey(task.trackId);
    const cachedRestUrl = freshEntry(context.endpoints[key], at, context.env.timing.restUrlCacheTtlMs)?.url;
    const common = { env: context.env, trackId: task.trackId, cycle: task.cycle, cachedRestUrl, clusterKey: key, clusterVersionResolved: context.clusterVersionResolved };
    if (task.trackId.mode === 'application') enqueue.spawnChild('applicationProbe', { id: task.id, input: common });
    else enqueue.spawnChild('sessionProbe', { id: task.id, input: { ...common, sessionIds: task.sessionIds } });
  }
}
const draftOf = (context: WatcherContext) => new WatchControllerDraft(context, now(context), context.env.timing);

export const watcherMachine = setup({
  types: {
    context: {} as WatcherContext,
    input: {} as WatcherInput,
    events: {} as WatcherEvent,
  },
  actors: {
    applicationProbe: applicationProbeMachine,
    sessionProbe: sessionProbeMachine,
    untrackCheck: untrackCheckMachine,
  },
  delays: {
    untilNextCycle: ({ context }) => Math.max(0, context.nextDueAt - now(context)),
    cycleWait: ({ context }) => context.env.timing.cycleWaitMs,
  },
  guards: {
    applicationProbesDone: ({ context }) => context.pendingApplicationProbes === 0,
    sessionProbesDone: ({ context }) => context.pendingSessionProbes === 0,
    /** v2.1.4: inferring CANCELED from the canceling set also does `trackIds.invalidate(id)` (and nothing else). */
    invalidatesTrackIdWhenCanceling: () => false,
    /** v2.1.3 applies one session overview to every session-mode id of the cycle. */
    appliesSessionOverviewToEveryJob: () => true,
    /** v2.1.4: a session-mode end state untracks without asking the Kubernetes API. */
    untracksSessionEndStatesAtOnce: () => false,
    /** v2.1.4 polls on a ScheduledThreadPoolExecutor shared with the tick (poll-pool.ts). */
    pollsOnScheduledPool: () => false,
  },
  actions: {
    /** doWatch: snapshot the tracked ids, submit a poll of each to the pool, schedule the next run. */
    startCycle: enqueueActions(({ context, enqueue, check }) => {
      const cycle = context.cycle + 1;
      const ids = Object.values(context.tracked);
      const sessionIds = ids.filter((id) => id.mode === 'session');
      const polls: PoolTask[] = ids.map((trackId) => ({ actor: 'poll', id: `probe-${cycle}-${trackId.appId}`, trackId, cycle, sessionIds }));
      const next = { cycle, pendingApplicationProbes: ids.length - sessionIds.length, pendingSessionProbes: sessionIds.length, nextDueAt: context.nextDueAt + context.env.timing.pollIntervalMs };
      runPool(enqueue, context, { ...context.pool, queue: [...context.pool.queue, ...polls] }, check('pollsOnScheduledPool'), next);
    }),
    /** A poll or an untrack check ended: its thread is free for what waits. */
    releaseThread: enqueueActions(({ context, enqueue, check }) => {
      runPool(enqueue, context, { ...context.pool, busy: Math.max(0, context.pool.busy - 1) }, check('pollsOnScheduledPool'));
    }),
    /** One of this cycle's probes has finished the part doWatch awaits. */
    markProbeTouched: assign(({ context }, params: { cycle: number; mode: TrackId['mode'] }) => {
      if (params.cycle !== context.cycle) return {};
      return params.mode === 'application' ? { pendingApplicationProbes: Math.max(0, context.pendingApplicationProbes - 1) } : { pendingSessionProbes: Math.max(0, context.pendingSessionProbes - 1) };
    }),
    recordCycleTimeout: sendTo(({ system }) => system.get(TRACKER_SYSTEM_ID), ({ context }, params: { mode: TrackId['mode'] }) =>
      telemetry({ type: 'cycle.timeout', cycle: context.cycle, pending: params.mode === 'application' ? context.pendingApplicationProbes : context.pendingSessionProbes }),
    ),
    /** Apply a committed draft: new caches, then the events it published and the checks it started. */
    commit: enqueueActions(({ context, enqueue, system, check }, result: DraftResult) => {
      const caches = { ...result.caches, untrackChecks: context.untrackChecks + result.untrackChecks.length };
      const console = system.get('console');
      for (const { trackId, status } of result.published) {
        const changed: StatusChangedEvent = { type: 'status.changed', trackId, status };
        if (console) enqueue.sendTo(console, changed);
      }
      // the untrack check runs in the poll's onComplete, on the pool
      const checks: PoolTask[] = result.untrackChecks.map((trackId, index) => ({ actor: 'untrackCheck', id: `untrack-${context.untrackChecks + index + 1}`, trackId }));
      for (const event of result.telemetry) enqueue.sendTo(system.get(TRACKER_SYSTEM_ID), telemetry(event));
      // the new caches are assigned with the pool when checks start (one snapshot), else alone
      if (checks.length > 0) runPool(enqueue, { ...context, ...result.caches }, { ...context.pool, queue: [...context.pool.queue, ...checks] }, check('pollsOnScheduledPool'), caches);
      else enqueue.assign(caches);
    }),
  },
}).createMachine({
  id: 'FlinkJobStatusWatcher',
  context: ({ input }) => ({
    env: input.env,
    tracked: Object.fromEntries(input.tracked.map((id) => [id.appId, id])),
    canceling: {},
    jobStatuses: {},
    endpoints: {},
    cycle: 0,
    pendingApplicationProbes: 0,
    pendingSessionProbes: 0,
    nextDueAt: input.env.ports.now(),
    untrackChecks: 0,
    clusterVersionResolved: input.clusterVersionResolved,
    pool: { busy: 0, queue: [] },
  }),
  initial: 'idle',
  on: {
    // a finished probe or check is dropped from the children, or a long run keeps them all, and frees its thread
    'xstate.done.actor.*': [
      { guard: ({ event }: { event: EventObject }) => holdsThread(finishedActorId(event)), actions: [stopChild(({ event }) => finishedActorId(event)), 'releaseThread'] },
      { actions: stopChild(({ event }) => finishedActorId(event)) },
    ],
    'probe.observed': {
      actions: [
        enqueueActions(({ context, event, enqueue, check }) => {
          const draft = draftOf(context);
          // inferStateFromK8sEvent invalidates before onComplete runs updateState, which re-adds the id only on a diff
          if (event.fromCanceling && check('invalidatesTrackIdWhenCanceling')) draft.invalidateTrackId(event.trackId, 'canceling: v2.1.4 trackIds.invalidate');
          draft.updateState(event.trackId, event.status, { untracksSessionEndStatesAtOnce: check('untracksSessionEndStatesAtOnce') });
          if (!draft.isEmpty()) enqueue({ type: 'commit', params: draft.commit() });
        }),
        { type: 'markProbeTouched', params: ({ event }) => ({ cycle: event.cycle, mode: event.trackId.mode }) },
      ],
    },
    'probe.escaped': { actions: { type: 'markProbeTouched', params: ({ event }) => ({ cycle: event.cycle, mode: event.trackId.mode }) } },
    'session.observed': {
      actions: [
        enqueueActions(({ context, event, enqueue, check }) => {
          const draft = draftOf(context);
          const rules = { untracksSessionEndStatesAtOnce: check('untracksSessionEndStatesAtOnce') };
          const everyJob = check('appliesSessionOverviewToEveryJob');
          for (const id of everyJob ? event.sessionIds : [event.trackId]) {
            const job = event.jobs.find((candidate) => candidate.jobId === id.jobId);
            if (job) draft.updateState(id, job, rules);
            else if (everyJob) {
              // v2.1.3: "can't find that job in the k8s cluster": untrack, then publish LOST
              draft.unWatching(id, 'session job missing from the overview');
              draft.publish(id, { state: 'LOST', jobId: id.jobId, pollAckTime: now(context), cause: event.unanswered === undefined ? 'session job missing from the overview: LOST' : `${event.unanswered} read as the session job missing: LOST` });
            }
            // v2.1.4: the probe itself asks again (session.missingJobResolved)
          }
          enqueue({ type: 'commit', params: draft.commit() });
        }),
        { type: 'markProbeTouched', params: ({ event }) => ({ cycle: event.cycle, mode: event.trackId.mode }) },
      ],
    },
    'session.missingJobResolved': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const draft = draftOf(context);
        if (isWatcherEndState(event.status.state)) draft.unWatching(event.trackId, 'session job missing, inferred end state');
        draft.publish(event.trackId, event.status); // postSync without a cache write
        enqueue({ type: 'commit', params: draft.commit() });
      }),
    },
    'probe.readCaches': {
      actions: sendTo(
        ({ event }) => event.replyTo,
        ({ context, event }) => ({ type: 'probe.caches', latest: draftOf(context).latestStatus(event.appId), canceling: event.appId in context.canceling }),
      ),
    },
    'clusterVersion.resolved': { actions: assign({ clusterVersionResolved: true }) },
    'endpoint.refreshed': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const draft = draftOf(context);
        draft.cacheEndpoint(event.clusterKey, event.url);
        enqueue({ type: 'commit', params: draft.commit() });
      }),
    },
    'untrackCheck.deploymentGone': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const draft = draftOf(context);
        draft.invalidateEndpoint(event.trackId);
        draft.unWatching(event.trackId, 'end state and deployment gone');
        enqueue({ type: 'commit', params: draft.commit() });
      }),
    },
    'watcher.doWatching': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const draft = draftOf(context);
        draft.doWatching(event.trackId);
        enqueue({ type: 'commit', params: draft.commit() });
      }),
    },
    'watcher.unWatching': {
      actions: enqueueActions(({ context, event, enqueue }) => {
        const draft = draftOf(context);
        draft.markCanceling(event.trackId);
        enqueue({ type: 'commit', params: draft.commit() });
      }),
    },
  },
  states: {
    idle: {
      after: { untilNextCycle: 'cycling' },
    },
    cycling: {
      entry: 'startCycle',
      initial: 'awaitingApplications',
      states: {
        // With no session poll pending, the second Await.ready returns at once: go straight to
        // idle rather than through awaitingSessions, which would set (and at once cancel) its
        // timer on every cycle.
        awaitingApplications: {
          always: [
            { guard: and(['applicationProbesDone', 'sessionProbesDone']), target: '#FlinkJobStatusWatcher.idle' },
            { guard: 'applicationProbesDone', target: 'awaitingSessions' },
          ],
          after: {
            cycleWait: [
              { guard: 'sessionProbesDone', target: '#FlinkJobStatusWatcher.idle', actions: { type: 'recordCycleTimeout', params: { mode: 'application' } } },
              { target: 'awaitingSessions', actions: { type: 'recordCycleTimeout', params: { mode: 'application' } } },
            ],
          },
        },
        awaitingSessions: {
          always: { guard: 'sessionProbesDone', target: '#FlinkJobStatusWatcher.idle' },
          after: { cycleWait: { target: '#FlinkJobStatusWatcher.idle', actions: { type: 'recordCycleTimeout', params: { mode: 'session' } } } },
        },
      },
    },
  },
});

export type WatcherActor = ActorRefFrom<typeof watcherMachine>;
