/**
 * The proposed tracker's cancel call: Flink's cancel through the cluster client, reported to the
 * tracker when it settles either way. Until then the tracker applies no observation of the job
 * (one may have read Flink before the cancel reached it); after, only those started later. A call
 * not settled within its deadline (two polls) is reported failed, which lifts the fence — the next
 * observation says what is — and still listened to: a late yes is reported too (the job's end was
 * asked for, and fences the observations again).
 */
import { sendTo, setup } from 'xstate';
import { portActors } from '../port-actors.ts';
import type { AppLocation, TrackerEnvironment } from '../environment.ts';
import type { ProposedTiming } from './rules.ts';

export interface CancelInput {
  env: TrackerEnvironment;
  timing: ProposedTiming;
  trackId: AppLocation;
}

/** Sent to the proposed tracker when the cancel call has an outcome. */
export interface CancelSettledEvent {
  type: 'cancel.settled';
  appId: string;
  accepted: boolean;
}

export const cancelMachine = setup({
  types: { context: {} as CancelInput, input: {} as CancelInput },
  actors: { cancelJob: portActors.cancelJob },
  delays: { deadline: ({ context }) => context.timing.cancelDeadlineMs },
  actions: {
    report: sendTo(({ system }) => system.get('tracker'), ({ context }, accepted: boolean): CancelSettledEvent => ({ type: 'cancel.settled', appId: context.trackId.appId, accepted })),
  },
}).createMachine({
  id: 'cancel',
  context: ({ input }) => input,
  initial: 'calling',
  states: {
    calling: {
      invoke: {
        src: 'cancelJob',
        input: ({ context }) => {
          const { namespace, clusterId, jobId } = context.trackId;
          return { ports: context.env.ports, request: { namespace, clusterId, jobId, connectTimeoutMs: context.timing.apiConnectTimeoutMs, responseTimeoutMs: context.timing.apiRequestTimeoutMs } };
        },
        // a yes, in time or late, is news (the job's end was asked for)
        onDone: { target: 'settled', actions: { type: 'report', params: true } },
      },
      initial: 'fenced',
      states: {
        fenced: {
          // an answer dripping in (each read within its timeout) would hold CANCELLING and the fence for as long as it drips
          after: { deadline: { target: 'unfenced', actions: { type: 'report', params: false } } },
          on: { 'xstate.error.actor.*': { target: '#cancel.settled', actions: { type: 'report', params: false } } },
        },
        // given up as failed, still listening: a late no is no news
        unfenced: { on: { 'xstate.error.actor.*': { target: '#cancel.settled' } } },
      },
    },
    settled: { type: 'final' },
  },
});
