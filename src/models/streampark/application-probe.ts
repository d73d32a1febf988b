/**
 * One application-mode poll of one tracked id: FlinkJobStatusWatcher.touchApplicationJob, with
 * inferStateFromK8sEvent when Flink's REST API gave no job. It reports one observation (or
 * that an exception escaped) to the watcher, which runs updateState.
 *
 *   jobs = listJobsDetails(cluster)
 *   if jobs has a job: observed = FlinkJobState.of(jobs[0].state)
 *   else inferStateFromK8sEvent:
 *     latest = jobStatuses[id]; canceling → CANCELED
 *     exists = isDeploymentExists; connected = checkConnection
 *     exists:  not isDeploymentError → K8S_INITIALIZING; connected → FAILED (after reading the
 *              terminated pod's log); else fromPreCache(latest)
 *     absent:  connected → the history archive's state, or FAILED; else fromPreCache(latest)
 */
import { assign, sendTo, setup, type AnyActorRef } from 'xstate';
import type { ArchiveDir, PodView } from '../ports.ts';
import { apiTimeouts, portActors } from '../port-actors.ts';
import { deploymentExistenceMachine, type ExistenceAnswer } from './deployment-existence.ts';
import { hasCachedRestUrl, listingJobsState, listJobsMachine } from './list-jobs.ts';
import { deploymentErrorReason, inferFromPreCache, isDeploymentError, pollAckTimeFor } from './rules.ts';
import { parseFlinkJobState, type FlinkJobState } from '../../states.ts';
import type { CachedJobStatus, JobStatus, ListJobsResult, TrackerEnvironment, TrackId } from './types.ts';

export interface ApplicationProbeInput {
  env: TrackerEnvironment;
  trackId: TrackId;
  cycle: number;
  cachedRestUrl: string | undefined;
  clusterKey: string;
  /** IngressController.clusterVersion resolved in this console process when the cycle started */
  clusterVersionResolved: boolean;
}

/** Asks the watcher for what inferStateFromK8sEvent reads from its caches. */
export interface ReadCachesEvent {
  type: 'probe.readCaches';
  appId: string;
  replyTo: AnyActorRef;
}

export interface CachesEvent {
  type: 'probe.caches';
  latest: CachedJobStatus | undefined;
  canceling: boolean;
}

/** The poll produced a state; the watcher runs updateState with it. */
export interface ProbeObservedEvent {
  type: 'probe.observed';
  cycle: number;
  trackId: TrackId;
  status: JobStatus;
  /** true when the state came from the `canceling` set (v2.1.4 untracks at once) */
  fromCanceling: boolean;
}

/** An exception escaped touchApplicationJob: the future failed and nothing is updated. */
export interface ProbeEscapedEvent {
  type: 'probe.escaped';
  cycle: number;
  trackId: TrackId;
  error: string;
}

interface ProbeContext extends ApplicationProbeInput {
  listed: ListJobsResult;
  latest: CachedJobStatus | undefined;
  observed: FlinkJobState;
  jobId: string;
  fromCanceling: boolean;
  firstCallFailed: boolean;
  archiveDir: ArchiveDir;
  /** how the probe came to `observed`, in words (JobStatus.via) */
  via: string;
  /** isDeploymentExists said "gone" as its verdict on a failed API call (BUG 1), not from a listing */
  absentAfterApiError: boolean;
}

/** The start of every inference's `via`: Flink's REST API gave no job. */
const NO_FLINK_JOB = 'Flink gave no job';

const apiRequest = ({ context }: { context: ProbeContext }) => ({
  ports: context.env.ports,
  request: { namespace: context.trackId.namespace, name: context.trackId.clusterId, ...apiTimeouts(context.env.timing) },
});

export const applicationProbeMachine = setup({
  types: {
    context: {} as ProbeContext,
    input: {} as ApplicationProbeInput,
    events: {} as CachesEvent,
  },
  actors: {
    fetchJobsOverview: portActors.fetchJobsOverview,
    listJobsDetails: listJobsMachine,
    isDeploymentExists: deploymentExistenceMachine,
    getDeploymentPods: portActors.getDeploymentPods,
    fetchTerminatedPodLog: portActors.fetchTerminatedPodLog,
    readHistoryArchive: portActors.readHistoryArchive,
  },
  guards: {
    hasCachedRestUrl,
    flinkReportedAJob: ({ context }) => context.listed.kind === 'jobs' && context.listed.jobs.length > 0,
    listingEscaped: ({ context }) => context.listed.kind === 'escaped',
    isCanceling: (_, params: { canceling: boolean }) => params.canceling,
    deploymentExists: (_, answer: ExistenceAnswer) => answer.exists,
    podsShowNoError: (_, pods: PodView[]) => !isDeploymentError(pods),
    /** v2.1.4 reads the archive directory from the Flink environment's flink-conf.yaml (commit b4c40508b). */
    readsArchiveDirFromFlinkConf: () => false,
    /** KubernetesDeploymentHelper.checkConnection: builds a client, makes no call — true in practice. */
    canBuildKubernetesClient: () => true,
  },
  actions: {
    rememberListed: assign((_, listed: ListJobsResult) => ({ listed })),
    rememberFirstCallFailed: assign({ firstCallFailed: true }),
    useArchiveDir: assign((_, params: { dir: ArchiveDir }) => ({ archiveDir: params.dir })),
    observe: assign((_, params: { state: FlinkJobState; via: string }) => ({ observed: params.state, via: params.via })),
    observeFirstFlinkJob: assign(({ context }) => {
      const job = context.listed.kind === 'jobs' ? context.listed.jobs[0] : undefined;
      return { observed: parseFlinkJobState(job?.state), jobId: job?.jid ?? context.trackId.jobId, via: 'Flink reported it' };
    }),
    observeFromPreCache: assign(({ context }) => ({
      observed: inferFromPreCache(context.latest, context.env.ports.now(), context.env.timing.silentKeepMs),
      via: `${NO_FLINK_JOB}; inferred from the cached status`,
    })),
    observeDeploymentError: assign((_, params: { why: string }) => ({ observed: 'FAILED' as const, via: `${NO_FLINK_JOB}; deployment exists, isDeploymentError: ${params.why}` })),
    rememberAbsence: assign((_, answer: ExistenceAnswer) => ({ absentAfterApiError: answer.afterApiError })),
    observeArchive: assign(({ context }, params: { state: string | undefined }) => ({
      observed: parseFlinkJobState(params.state ?? 'FAILED'),
      via: `${NO_FLINK_JOB}; deployment ${context.absentAfterApiError ? 'taken for deleted after an API error' : 'not found'}; ${params.state === undefined ? 'no history archive' : `history archive: ${params.state}`}`,
    })),
    reportObservation: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): ProbeObservedEvent => ({
        type: 'probe.observed',
        cycle: context.cycle,
        trackId: context.trackId,
        status: { state: context.observed, jobId: context.jobId, pollAckTime: pollAckTimeFor(context.observed, context.latest, context.env.ports.now()), via: context.via },
        fromCanceling: context.fromCanceling,
      }),
    ),
    reportEscape: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): ProbeEscapedEvent => ({ type: 'probe.escaped', cycle: context.cycle, trackId: context.trackId, error: context.listed.kind === 'escaped' ? context.listed.error : '' }),
    ),
  },
}).createMachine({
  id: 'touchApplicationJob',
  context: ({ input }) => ({ ...input, listed: { kind: 'none' }, latest: undefined, observed: 'OTHER', jobId: input.trackId.jobId, fromCanceling: false, firstCallFailed: false, archiveDir: 'workspace', via: '', absentAfterApiError: false }),
  initial: 'listingJobs',
  states: {
    listingJobs: listingJobsState('#touchApplicationJob.listed'),
    listed: {
      always: [
        { guard: 'flinkReportedAJob', target: 'observed', actions: 'observeFirstFlinkJob' }, // the Flink view wins
        { guard: 'listingEscaped', target: 'escaped' },
        { target: 'inferring' },
      ],
    },
    inferring: {
      initial: 'readingCaches',
      states: {
        readingCaches: {
          entry: sendTo(({ system }) => system.get('watcher'), ({ context, self }): ReadCachesEvent => ({ type: 'probe.readCaches', appId: context.trackId.appId, replyTo: self })),
          on: {
            'probe.caches': [
              {
                guard: { type: 'isCanceling', params: ({ event }) => ({ canceling: event.canceling }) },
                target: '#touchApplicationJob.observed',
                actions: [assign({ latest: ({ event }) => event.latest, fromCanceling: true }), { type: 'observe', params: { state: 'CANCELED', via: `${NO_FLINK_JOB}; the canceling mark` } }],
              },
              { target: 'checkingDeployment', actions: assign({ latest: ({ event }) => event.latest }) },
            ],
          },
        },
        checkingDeployment: {
          invoke: {
            src: 'isDeploymentExists',
            input: ({ context }) => ({ env: context.env, namespace: context.trackId.namespace, deploymentName: context.trackId.clusterId }),
            onDone: [
              { guard: { type: 'deploymentExists', params: ({ event }) => event.output }, target: 'checkingPods' },
              // "The deployment is deleted and enters the task failure process."
              { guard: 'canBuildKubernetesClient', target: 'locatingArchive', actions: { type: 'rememberAbsence', params: ({ event }) => event.output } },
              { target: 'fromPreCache' },
            ],
          },
        },
        checkingPods: {
          invoke: {
            src: 'getDeploymentPods',
            input: apiRequest,
            onDone: [
              { guard: { type: 'podsShowNoError', params: ({ event }) => event.output }, target: '#touchApplicationJob.observed', actions: { type: 'observe', params: { state: 'K8S_INITIALIZING', via: `${NO_FLINK_JOB}; deployment exists, its pods show no error` } } },
              { guard: 'canBuildKubernetesClient', target: 'readingTerminatedLog', actions: { type: 'observeDeploymentError', params: ({ event }) => ({ why: deploymentErrorReason(event.output) ?? '' }) } },
              { target: 'fromPreCache' },
            ],
            // getPods: any exception → empty list → isDeploymentError = true
            onError: [{ guard: 'canBuildKubernetesClient', target: 'readingTerminatedLog', actions: { type: 'observeDeploymentError', params: { why: 'the pod list failed (an API error read as no pod)' } } }, { target: 'fromPreCache' }],
          },
        },
        readingTerminatedLog: {
          // watchPodTerminatedLog: its own API calls; the result is not used, errors are swallowed
          invoke: {
            src: 'fetchTerminatedPodLog',
            input: apiRequest,
            onDone: '#touchApplicationJob.observed',
            onError: '#touchApplicationJob.observed',
          },
        },
        // FlinkHistoryArchives.getJobStateFromArchiveFile: v2.1.3 reads <remote workspace>/historyserver/archive
        // (FlinkJobStatusWatcher.scala v2.1.3 line 501), v2.1.4 the TrackId's jobmanager.archive.fs.dir
        // (v2.1.4 lines 508–512; unset → FAILED, which a read that finds nothing gives too)
        locatingArchive: {
          always: [
            { guard: 'readsArchiveDirFromFlinkConf', target: 'readingArchive', actions: { type: 'useArchiveDir', params: { dir: 'fs-dir' } } },
            { target: 'readingArchive', actions: { type: 'useArchiveDir', params: { dir: 'workspace' } } },
          ],
        },
        readingArchive: {
          invoke: {
            src: 'readHistoryArchive',
            input: ({ context }) => ({ ports: context.env.ports, request: { jobId: context.trackId.jobId, dir: context.archiveDir } }),
            // getJobStateFromArchiveFile: no archive, or anything going wrong → "FAILED"
            onDone: { target: '#touchApplicationJob.observed', actions: { type: 'observeArchive', params: ({ event }) => ({ state: event.output }) } },
            onError: { target: '#touchApplicationJob.observed', actions: { type: 'observeArchive', params: { state: undefined } } },
          },
        },
        fromPreCache: {
          always: { target: '#touchApplicationJob.observed', actions: 'observeFromPreCache' },
        },
      },
    },
    observed: { type: 'final', entry: 'reportObservation' },
    escaped: { type: 'final', entry: 'reportEscape' },
  },
});
