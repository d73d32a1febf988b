/**
 * The proposed tracker's cancel call: Flink's cancel through the cluster client, reported to the
 * tracker when it settles either way. Until then the tracker applies no observation of the job
 * (one may have read Flink before the cancel reached it); after, only those started later.
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
  actions: {
    report: sendTo(({ system }) => system.get('tracker'), ({ context }, accepted: boolean): CancelSettledEvent => ({ type: 'cancel.settled', appId: context.trackId.appId, accepted })),
  },
}).createMachine({
  id: 'cancel',
  context: ({ input }) => input,
  initial: 'cancelling',
  states: {
    cancelling: {
      invoke: {
        src: 'cancelJob',
        input: ({ context }) => {
          const { namespace, clusterId, jobId } = context.trackId;
          return { ports: context.env.ports, request: { namespace, clusterId, jobId, connectTimeoutMs: context.timing.apiConnectTimeoutMs, responseTimeoutMs: context.timing.apiRequestTimeoutMs } };
        },
        onDone: { target: 'settled', actions: { type: 'report', params: true } },
        onError: { target: 'settled', actions: { type: 'report', params: false } },
      },
    },
    settled: { type: 'final' },
  },
});
