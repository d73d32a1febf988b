/**
 * One observation of one application by the proposed tracker: ask Flink first (re-reading the
 * REST URL from the Service when the last call to it failed); if Flink does not answer for the
 * job, ask Kubernetes for evidence; any failed call makes the result `unknown`. The whole
 * observation is bounded by an absolute deadline so that a hung call cannot delay convergence.
 */
import { assign, sendTo, setup } from 'xstate';
import { portActors } from '../port-actors.ts';
import type { JobsOverview, PodView } from '../ports.ts';
import { parseConsoleState } from '../../systems/streampark.ts';
import type { AppLocation, TrackerEnvironment } from '../environment.ts';
import { because } from '../telemetry.ts';
import type { ProposedRules } from './rule-set.ts';
import type { Observation, ProposedTiming } from './rules.ts';

export interface ObservationInput {
  env: TrackerEnvironment;
  rules: ProposedRules;
  timing: ProposedTiming;
  /** the job id as last followed */
  trackId: AppLocation;
  restUrl: string | undefined;
  /** the last call to `restUrl` failed: read the Service again first */
  refreshRestUrl: boolean;
  seq: number;
}

/** Sent to the proposed tracker when the observation settles. */
export interface ObservedEvent {
  type: 'observed';
  trackId: AppLocation;
  seq: number;
  startedAt: number;
  observation: Observation;
  restUrl: string | undefined;
  /** did the REST call fail (the next observation reads the Service again)? */
  restFailed: boolean;
}

interface ObservationContext extends ObservationInput {
  startedAt: number;
  result: Observation;
  restFailed: boolean;
}

const rest = (context: ObservationContext) => ({ connectTimeoutMs: context.timing.restConnectTimeoutMs, responseTimeoutMs: context.timing.restResponseTimeoutMs });
const api = (context: ObservationContext) => ({ connectTimeoutMs: context.timing.apiConnectTimeoutMs, responseTimeoutMs: context.timing.apiRequestTimeoutMs });

/** What Flink's answer says of the job: its state, its absence from a session cluster, or nothing. */
function readOverview(overview: JobsOverview, trackId: AppLocation, rules: ProposedRules): Observation | undefined {
  const job = rules.ownJob(overview?.jobs, trackId);
  if (job !== undefined) return { kind: 'reported', state: parseConsoleState(job.state), jobId: job.jid };
  if (overview !== undefined && trackId.mode === 'session') return { kind: 'missing', why: because('session job missing from its cluster', `job ${trackId.jobId} is not among the ${overview.jobs.length} job(s) it lists`) };
  return undefined; // application mode: no job listed yet, or an answer without jobs: ask Kubernetes
}

export const observationMachine = setup({
  types: { context: {} as ObservationContext, input: {} as ObservationInput },
  actors: {
    fetchJobsOverview: portActors.fetchJobsOverview,
    lookupRestService: portActors.lookupRestService,
    listFlinkDeployments: portActors.listFlinkDeployments,
    getDeploymentPods: portActors.getDeploymentPods,
    readHistoryArchive: portActors.readHistoryArchive,
  },
  delays: { deadline: ({ context }) => context.timing.observationDeadlineMs },
  guards: {
    mustFindRestUrl: ({ context }) => context.restUrl === undefined || context.refreshRestUrl,
    foundRestUrl: (_, url: string | undefined) => url !== undefined,
    knowsRestUrl: ({ context }) => context.restUrl !== undefined,
    flinkSaidSomething: ({ context }, overview: JobsOverview) => readOverview(overview, context.trackId, context.rules) !== undefined,
    deploymentListed: ({ context }, names: string[]) => names.includes(context.trackId.clusterId),
  },
  actions: {
    conclude: assign((_, observation: Observation) => ({ result: observation })),
    concludeFromOverview: assign(({ context }, overview: JobsOverview) => ({ result: readOverview(overview, context.trackId, context.rules)! })),
    noteRestFailure: assign({ restFailed: true }),
    report: sendTo(
      ({ system }) => system.get('tracker'),
      ({ context }): ObservedEvent => ({ type: 'observed', trackId: context.trackId, seq: context.seq, startedAt: context.startedAt, observation: context.result, restUrl: context.restUrl, restFailed: context.restFailed }),
    ),
  },
}).createMachine({
  id: 'observation',
  context: ({ input }) => ({ ...input, startedAt: input.env.ports.now(), result: { kind: 'unknown', why: 'not observed' }, restFailed: false }),
  initial: 'askingFlink',
  after: { deadline: { target: '.settled', actions: { type: 'conclude', params: { kind: 'unknown', why: 'observation deadline passed' } } } },
  states: {
    askingFlink: {
      initial: 'start',
      states: {
        start: { always: [{ guard: 'mustFindRestUrl', target: 'findingRestUrl' }, { target: 'fetching' }] },
        findingRestUrl: {
          invoke: {
            src: 'lookupRestService',
            input: ({ context }) => ({ ports: context.env.ports, request: { namespace: context.trackId.namespace, clusterId: context.trackId.clusterId, ...api(context) } }),
            onDone: [
              { guard: { type: 'foundRestUrl', params: ({ event }) => event.output }, target: 'fetching', actions: assign({ restUrl: ({ event }) => event.output }) },
              { target: '#observation.askingKubernetes' }, // no Service: is the deployment still there?
            ],
            // the API does not answer: the URL known so far is still the best guess
            onError: [{ guard: 'knowsRestUrl', target: 'fetching' }, { target: '#observation.askingKubernetes' }],
          },
        },
        fetching: {
          invoke: {
            src: 'fetchJobsOverview',
            input: ({ context }) => ({ ports: context.env.ports, request: { restUrl: context.restUrl ?? '', ...rest(context) } }),
            onDone: [
              { guard: { type: 'flinkSaidSomething', params: ({ event }) => event.output }, target: '#observation.settled', actions: { type: 'concludeFromOverview', params: ({ event }) => event.output } },
              { target: '#observation.askingKubernetes' },
            ],
            onError: { target: '#observation.askingKubernetes', actions: 'noteRestFailure' },
          },
        },
      },
    },
    askingKubernetes: {
      initial: 'listingDeployments',
      states: {
        listingDeployments: {
          invoke: {
            src: 'listFlinkDeployments',
            input: ({ context }) => ({ ports: context.env.ports, request: { namespace: context.trackId.namespace, ...api(context) } }),
            onDone: [{ guard: { type: 'deploymentListed', params: ({ event }) => event.output }, target: 'readingPods' }, { target: 'readingArchive' }],
            onError: { target: '#observation.settled', actions: { type: 'conclude', params: { kind: 'unknown', why: 'Kubernetes API unreachable' } } },
          },
        },
        readingPods: {
          invoke: {
            src: 'getDeploymentPods',
            input: ({ context }) => ({ ports: context.env.ports, request: { namespace: context.trackId.namespace, name: context.trackId.clusterId, ...api(context) } }),
            onDone: { target: '#observation.settled', actions: { type: 'conclude', params: ({ context, event }: { context: ObservationContext; event: { output: PodView[] } }) => context.rules.observePods(event.output) } },
            onError: { target: '#observation.settled', actions: { type: 'conclude', params: { kind: 'unknown', why: 'Kubernetes API unreachable' } } },
          },
        },
        readingArchive: {
          invoke: {
            src: 'readHistoryArchive',
            input: ({ context }) => ({ ports: context.env.ports, request: { jobId: context.trackId.jobId, dir: 'job' as const } }),
            onDone: { target: '#observation.settled', actions: { type: 'conclude', params: ({ event }: { event: { output: string | undefined } }) => ({ kind: 'gone', archived: event.output }) } },
            onError: { target: '#observation.settled', actions: { type: 'conclude', params: { kind: 'gone', archived: undefined } } },
          },
        },
      },
    },
    settled: { type: 'final', entry: 'report' },
  },
});
