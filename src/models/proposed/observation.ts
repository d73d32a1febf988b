/**
 * One observation of one application by the proposed tracker: ask Flink first; if Flink does
 * not answer, ask Kubernetes for evidence; any failed call makes the result `unknown`. The
 * whole observation is bounded by a deadline so that a hung call cannot delay convergence.
 */
import { assign, sendTo, setup } from 'xstate';
import { portActors } from '../port-actors.ts';
import type { PodView } from '../ports.ts';
import { toConsoleState } from '../streampark/states.ts';
import { parseFlinkJobState } from '../../states.ts';
import type { TrackerEnvironment, TrackId } from '../streampark/types.ts';
import { observeDeploymentGone, observePods, ownJob, type Observation, type ProposedTiming } from './rules.ts';

export interface ObservationInput {
  env: TrackerEnvironment;
  timing: ProposedTiming;
  trackId: TrackId;
  restUrl: string | undefined;
  seq: number;
}

/** Sent to the proposed tracker when the observation settles. */
export interface ObservedEvent {
  type: 'observed';
  trackId: TrackId;
  seq: number;
  startedAt: number;
  observation: Observation;
  restUrl: string | undefined;
}

interface ObservationContext extends ObservationInput {
  startedAt: number;
  result: Observation;
}

const rest = (context: ObservationContext) => ({ connectTimeoutMs: context.timing.restConnectTimeoutMs, responseTimeoutMs: context.timing.restResponseTimeoutMs });
const api = (context: ObservationContext) => ({ connectTimeoutMs: context.timing.apiConnectTimeoutMs, responseTimeoutMs: context.timing.apiRequestTimeoutMs });

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
    knowsRestUrl: ({ context }) => context.restUrl !== undefined,
    deploymentListed: ({ context }, names: string[]) => names.includes(context.trackId.clusterId),
  },
  actions: {
    conclude: assign((_, observation: Observation) => ({ result: observation })),
    report: sendTo(
      ({ system }) => system.get('tracker'),
      ({ context }): ObservedEvent => ({ type: 'observed', trackId: context.trackId, seq: context.seq, startedAt: context.startedAt, observation: context.result, restUrl: context.restUrl }),
    ),
  },
}).createMachine({
  id: 'observation',
  context: ({ input }) => ({ ...input, startedAt: input.env.ports.now(), result: { kind: 'unknown', why: 'not observed' } }),
  initial: 'askingFlink',
  after: { deadline: { target: '.settled', actions: { type: 'conclude', params: { kind: 'unknown', why: 'observation deadline passed' } } } },
  states: {
    askingFlink: {
      initial: 'start',
      states: {
        start: { always: [{ guard: 'knowsRestUrl', target: 'fetching' }, { target: 'findingRestUrl' }] },
        findingRestUrl: {
          invoke: {
            src: 'lookupRestService',
            input: ({ context }) => ({ ports: context.env.ports, request: { namespace: context.trackId.namespace, clusterId: context.trackId.clusterId, ...api(context) } }),
            onDone: [
              { guard: ({ event }) => event.output !== undefined, target: 'fetching', actions: assign({ restUrl: ({ event }) => event.output }) },
              { target: '#observation.askingKubernetes' },
            ],
            onError: '#observation.askingKubernetes',
          },
        },
        fetching: {
          invoke: {
            src: 'fetchJobsOverview',
            input: ({ context }) => ({ ports: context.env.ports, request: { restUrl: context.restUrl ?? '', ...rest(context) } }),
            onDone: [
              {
                guard: ({ context, event }) => ownJob(event.output?.jobs, context.trackId) !== undefined,
                target: '#observation.settled',
                actions: assign(({ context, event }) => {
                  const job = ownJob(event.output?.jobs, context.trackId)!;
                  return { result: { kind: 'reported', state: toConsoleState(parseFlinkJobState(job.state)), jobId: job.jid } satisfies Observation };
                }),
              },
              { target: '#observation.askingKubernetes' },
            ],
            onError: '#observation.askingKubernetes',
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
            onDone: { target: '#observation.settled', actions: { type: 'conclude', params: ({ event }: { event: { output: PodView[] } }) => observePods(event.output) } },
            onError: { target: '#observation.settled', actions: { type: 'conclude', params: { kind: 'unknown', why: 'Kubernetes API unreachable' } } },
          },
        },
        readingArchive: {
          invoke: {
            src: 'readHistoryArchive',
            input: ({ context }) => ({ ports: context.env.ports, request: { jobId: context.trackId.jobId, dir: 'job' as const } }),
            onDone: { target: '#observation.settled', actions: { type: 'conclude', params: ({ event }: { event: { output: string | undefined } }) => observeDeploymentGone(event.output) } },
            onError: { target: '#observation.settled', actions: { type: 'conclude', params: observeDeploymentGone(undefined) } },
          },
        },
      },
    },
    settled: { type: 'final', entry: 'report' },
  },
});

