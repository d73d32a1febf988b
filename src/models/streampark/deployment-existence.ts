/**
 * KubernetesRetriever.isDeploymentExists: list Deployments labelled
 * type=flink-native-kubernetes and look for the name. What an exception means is BUG 1: the
 * answer is decided by the tracker (see `answerExistenceAfterApiError` in tracker.ts), which
 * owns v2.1.4's JVM-wide DEPLOYMENT_LOST_TIME map.
 */
import { assign, sendTo, setup, type AnyActorRef } from 'xstate';
import { apiTimeouts, portActors } from '../port-actors.ts';
import type { TrackerEnvironment } from './types.ts';

export interface ExistenceInput {
  env: TrackerEnvironment;
  namespace: string;
  deploymentName: string;
}

/** Sent to the tracker when the list call failed; it answers with `existence.verdict`. */
export interface ExistenceApiErrorEvent {
  type: 'existence.apiError';
  namespace: string;
  deploymentName: string;
  replyTo: AnyActorRef;
}

export interface ExistenceVerdictEvent {
  type: 'existence.verdict';
  exists: boolean;
}

/** isDeploymentExists's answer, and whether it is the tracker's verdict on a failed call rather than what the API listed. */
export interface ExistenceAnswer {
  exists: boolean;
  afterApiError: boolean;
}

interface ExistenceContext extends ExistenceInput, ExistenceAnswer {}

export const deploymentExistenceMachine = setup({
  types: {
    context: {} as ExistenceContext,
    input: {} as ExistenceInput,
    events: {} as ExistenceVerdictEvent,
    output: {} as ExistenceAnswer,
  },
  actors: { listFlinkDeployments: portActors.listFlinkDeployments },
}).createMachine({
  id: 'isDeploymentExists',
  context: ({ input }) => ({ ...input, exists: false, afterApiError: false }),
  initial: 'listing',
  states: {
    listing: {
      invoke: {
        src: 'listFlinkDeployments',
        input: ({ context }) => ({ ports: context.env.ports, request: { namespace: context.namespace, ...apiTimeouts(context.env.timing) } }),
        onDone: { target: 'answered', actions: assign({ exists: ({ context, event }) => event.output.includes(context.deploymentName) }) },
        onError: 'askingAfterApiError',
      },
    },
    askingAfterApiError: {
      entry: sendTo(
        ({ system }) => system.get('tracker'),
        ({ context, self }): ExistenceApiErrorEvent => ({ type: 'existence.apiError', namespace: context.namespace, deploymentName: context.deploymentName, replyTo: self }),
      ),
      on: {
        'existence.verdict': { target: 'answered', actions: assign({ exists: ({ event }) => event.exists, afterApiError: true }) },
      },
    },
    answered: { type: 'final' },
  },
  output: ({ context }): ExistenceAnswer => ({ exists: context.exists, afterApiError: context.afterApiError }),
});
