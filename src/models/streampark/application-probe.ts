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
import { deploymentExistenceMachine } from './deployment-existence.ts';
import { hasCachedRestUrl, listingJobsState, listJobsMachine } from './list-jobs.ts';
import { deploymentErrorReading, inferFromPreCache, isDeploymentError, pollAckTimeFor } from './rules.ts';
import type { Existence } from './deployment-existence.ts';
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
  /** which observation gave `observed` (a telemetry cause's mechanism) */
  cause: string;
  /** how the deployment was taken for gone: read from a list, or decided after the list call failed (BUG 1) */
  goneReading: string;
}

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
    deploymentExists: (_, existence: Existence) => existence.exists,
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
    observe: assign((_, params: { state: FlinkJobState; cause: string }) => ({ observed: params.state, cause: params.cause })),
    observeFirstFlinkJob: assign(({ context }) => {
      const job = context.listed.kind === 'jobs' ? context.listed.jobs[0] : undefined;
      return { observed: parseFlinkJobState(job?.state), jobId: job?.jid ?? context.trackId.jobId, cause: 'Flink reports it' };
    }),
    observeFromPreCache: assign(({ context }) => ({
      observed: inferFromPreCache(context.latest, context.env.ports.now(), context.env.timing.silentKeepMs),
      cause: 'Flink did not answer: inferred from the cache',
    })),
    rememberGoneReading: assign((_, existence: Existence) => ({ goneReading: existence.afterApiError ? 'a failed deployment list read as gone' : 'deployment gone' })),
    reportObservation: sendTo(
      ({ system }) => system.get('watcher'),
      ({ context }): ProbeObservedEvent => ({
        type: 'probe.observed',
        cycle: context.cycle,
        trackId: context.trackId,
        status: { state: context.observed, jobId: context.jobId, pollAckTime: pollAckTimeFor(context.observed, context.latest, context.env.ports.now()), cause: context.cause },
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
  context: ({ input }) => ({ ...input, listed: { kind: 'none' }, latest: undefined, observed: 'OTHER', jobId: input.trackId.jobId, fromCanceling: false, firstCallFailed: false, archiveDir: 'workspace', cause: '', goneReading: 'deployment gone' }),
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
                actions: [assign({ latest: ({ event }) => event.latest, fromCanceling: true }), { type: 'observe', params: { state: 'CANCELED', cause: 'the canceling mark' } }],
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
              { guard: 'canBuildKubernetesClient', target: 'locatingArchive', actions: { type: 'rememberGoneReading', params: ({ event }) => event.output } },
              { target: 'fromPreCache' },
            ],
          },
        },
        checkingPods: {
          invoke: {
            src: 'getDeploymentPods',
            input: apiRequest,
            onDone: [
              { guard: { type: 'podsShowNoError', params: ({ event }) => event.output }, target: '#touchApplicationJob.observed', actions: { type: 'observe', params: { state: 'K8S_INITIALIZING', cause: 'Flink did not answer; the pods show no error' } } },
              { guard: 'canBuildKubernetesClient', target: 'readingTerminatedLog', actions: assign({ cause: ({ event }) => `Flink did not answer; ${deploymentErrorReading(event.output)} read as an error` }) },
              { target: 'fromPreCache' },
            ],
            // getPods: any exception → empty list → isDeploymentError = true
            onError: [{ guard: 'canBuildKubernetesClient', target: 'readingTerminatedLog', actions: assign({ cause: 'Flink did not answer; a failed pod list read as an error' }) }, { target: 'fromPreCache' }],
          },
        },
        readingTerminatedLog: {
          // watchPodTerminatedLog: its own API calls; the result is not used, errors are swallowed
          invoke: {
            src: 'fetchTerminatedPodLog',
            input: apiRequest,
            onDone: { target: '#touchApplicationJob.observed', actions: { type: 'observe', params: ({ context }) => ({ state: 'FAILED', cause: context.cause }) } },
            onError: { target: '#touchApplicationJob.observed', actions: { type: 'observe', params: ({ context }) => ({ state: 'FAILED', cause: context.cause }) } },
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
            onDone: { target: '#touchApplicationJob.observed', actions: assign({ observed: ({ event }) => parseFlinkJobState(event.output ?? 'FAILED'), cause: ({ context, event }) => `${context.goneReading}; ${event.output === undefined ? 'no archive: FAILED' : "the archive's end"}` }) },
            onError: { target: '#touchApplicationJob.observed', actions: { type: 'observe', params: ({ context }) => ({ state: 'FAILED', cause: `${context.goneReading}; the archive unreadable: FAILED` }) } },
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
