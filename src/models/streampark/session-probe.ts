/**
 * One session-mode poll: FlinkJobStatusWatcher.touchSessionAllJob for one tracked id, i.e. the
 * whole cluster's /jobs/overview (no Kubernetes inference in session mode).
 *
 * What happens to a job missing from the answer (including because the REST call failed) is a
 * variant rule applied by the watcher: v2.1.3 publishes LOST and untracks at once; v2.1.4 asks
 * again (touchSessionJob) and otherwise infers SILENT/LOST from the cache, untracking only on
 * an end state. An overview that parsed but lists no job is a MatchError in both: nothing.
 */
import { and, assign, sendTo, setup } from 'xstate';
import type { CachesEvent, ReadCachesEvent } from './application-probe.ts';
import { hasCachedRestUrl, listingJobsState, listJobsMachine } from './list-jobs.ts';
import { portActors } from '../port-actors.ts';
import { inferFromPreCache, pollAckTimeFor } from './rules.ts';
import { parseFlinkJobState } from '../../states.ts';
import type { CachedJobStatus, JobStatus, ListJobsResult, TrackerEnvironment, TrackId } from './types.ts';

export interface SessionProbeInput {
  env: TrackerEnvironment;
  trackId: TrackId;
  /** every session-mode id tracked when the cycle started (v2.1.3 applies the answer to all) */
  sessionIds: TrackId[];
  cycle: number;
  cachedRestUrl: string | undefined;
  clusterKey: string;
  clusterVersionResolved: boolean;
}

/** The cluster answered (or not: `jobs` is empty when the REST call gave nothing). */
export interface SessionObservedEvent {
  type: 'session.observed';
  cycle: number;
  trackId: TrackId;
  sessionIds: TrackId[];
  jobs: JobStatus[];
  /** why the overview lists nothing, if it does not: Flink did not answer, or the poll had no REST URL to ask (a cause's mechanism) */
  unanswered?: string;
}

/** v2.1.4: the state touchSessionJob settled on for a job missing from the overview. */
export interface SessionMissingJobResolvedEvent {
  type: 'session.missingJobResolved';
  trackId: TrackId;
  status: JobStatus;
}

interface SessionProbeContext extends SessionProbeInput {
  listed: ListJobsResult;
  latest: CachedJobStatus | undefined;
  resolved: JobStatus | undefined;
  firstCallFailed: boolean;
}

function jobStatuses(listed: ListJobsResult, now: number): JobStatus[] {
  return listed.kind === 'jobs' ? listed.jobs.map((job) => ({ state: parseFlinkJobState(job.state), jobId: job.jid, pollAckTime: now, cause: 'Flink reports it' })) : [];
}

const listInput = ({ context }: { context: SessionProbeContext }) => ({
  env: context.env,
  namespace: context.trackId.namespace,
  clusterId: context.trackId.clusterId,
  cachedRestUrl: context.cachedRestUrl,
  clusterKey: context.clusterKey,
  clusterVersionResolved: context.clusterVersionResolved,
});

export const sessionProbeMachine = setup({
  types: {
    context: {} as SessionProbeContext,
    input: {} as SessionProbeInput,
    events: {} as CachesEvent,
  },
  actors: { fetchJobsOverview: portActors.fetchJobsOverview, listJobsDetails: listJobsMachine },
  guards: {
    hasCachedRestUrl,
    listingEscaped: ({ context }) => context.listed.kind === 'escaped',
    /** `case Some(details) if details.jobs.nonEmpty` / `case None`: Some(empty) matches neither */
    overviewListsNoJob: ({ context }) => context.listed.kind === 'jobs' && context.listed.jobs.length === 0,
    ownJobMissing: ({ context }) => context.listed.kind !== 'jobs' || !context.listed.jobs.some((job) => job.jid === context.trackId.jobId),
    /** v2.1.4 re-asks the cluster for a missing job instead of declaring it LOST. */
    rechecksMissingSessionJob: () => false,
    foundOwnJobNotSilent: ({ context }) =>
      context.listed.kind === 'jobs' && context.listed.jobs.some((job) => job.jid === context.trackId.jobId && parseFlinkJobState(job.state) !== 'SILENT'),
  },
  actions: {
    rememberListed: assign((_, listed: ListJobsResult) => ({ listed })),
    rememberFirstCallFailed: assign({ firstCallFailed: true }),
    reportOverview: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): SessionObservedEvent => ({
        type: 'session.observed',
        cycle: context.cycle,
        trackId: context.trackId,
        sessionIds: context.sessionIds,
        jobs: jobStatuses(context.listed, context.env.ports.now()),
        ...(context.listed.kind === 'jobs' ? {} : { unanswered: hasCachedRestUrl({ context }) ? 'no answer from Flink' : 'no REST URL from the API' }),
      }),
    ),
    reportEscape: sendTo(({ system }) => system.get('watcher'), ({ context }) => ({ type: 'probe.escaped' as const, cycle: context.cycle, trackId: context.trackId, error: 'MatchError or escaped exception' })),
    reportResolved: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): SessionMissingJobResolvedEvent => ({ type: 'session.missingJobResolved', trackId: context.trackId, status: context.resolved! }),
    ),
  },
}).createMachine({
  id: 'touchSessionAllJob',
  context: ({ input }) => ({ ...input, listed: { kind: 'none' }, latest: undefined, resolved: undefined, firstCallFailed: false }),
  initial: 'listingJobs',
  states: {
    listingJobs: listingJobsState('#touchSessionAllJob.listed'),
    listed: {
      always: [
        { guard: 'listingEscaped', target: 'escaped' },
        { guard: 'overviewListsNoJob', target: 'escaped' },
        { target: 'reported', actions: 'reportOverview' },
      ],
    },
    reported: {
      always: [
        { guard: and(['ownJobMissing', 'rechecksMissingSessionJob']), target: 'recheckingMissingJob' },
        { target: 'done' },
      ],
    },
    // v2.1.4 touchSessionJob: the overview again, else inferState from the cache
    recheckingMissingJob: {
      initial: 'listingAgain',
      states: {
        listingAgain: {
          invoke: { src: 'listJobsDetails', input: listInput, onDone: { target: 'relisted', actions: assign({ listed: ({ event }) => event.output }) } },
        },
        relisted: {
          always: [
            { guard: 'listingEscaped', target: '#touchSessionAllJob.done' },
            { guard: 'overviewListsNoJob', target: '#touchSessionAllJob.done' },
            {
              guard: 'foundOwnJobNotSilent',
              target: '#touchSessionAllJob.resolved',
              actions: assign({ resolved: ({ context }) => jobStatuses(context.listed, context.env.ports.now()).find((job) => job.jobId === context.trackId.jobId) }),
            },
            { target: 'readingCaches' },
          ],
        },
        readingCaches: {
          entry: sendTo(({ system }) => system.get('watcher'), ({ context, self }): ReadCachesEvent => ({ type: 'probe.readCaches', appId: context.trackId.appId, replyTo: self })),
          on: {
            'probe.caches': {
              target: '#touchSessionAllJob.resolved',
              actions: assign(({ context, event }) => {
                const now = context.env.ports.now();
                const state = inferFromPreCache(event.latest, now, context.env.timing.silentKeepMs);
                return { resolved: { state, jobId: context.trackId.jobId, pollAckTime: pollAckTimeFor(state, event.latest, now), cause: 'session job missing from the overview: inferred from the cache' } };
              }),
            },
          },
        },
      },
    },
    resolved: { type: 'final', entry: 'reportResolved' },
    escaped: { type: 'final', entry: 'reportEscape' },
    done: { type: 'final' },
  },
});
