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

/** The answer, and whether it was decided after the list call failed (BUG 1's path) rather than read from a list. */
export interface Existence {
  exists: boolean;
  afterApiError: boolean;
}

interface ExistenceContext extends ExistenceInput, Existence {}

export const deploymentExistenceMachine = setup({
  types: {
    context: {} as ExistenceContext,
    input: {} as ExistenceInput,
    events: {} as ExistenceVerdictEvent,
    output: {} as Existence,
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
        onError: { target: 'askingAfterApiError', actions: assign({ afterApiError: true }) },
      },
    },
    askingAfterApiError: {
      entry: sendTo(
        ({ system }) => system.get('tracker'),
        ({ context, self }): ExistenceApiErrorEvent => ({ type: 'existence.apiError', namespace: context.namespace, deploymentName: context.deploymentName, replyTo: self }),
      ),
      on: {
        'existence.verdict': { target: 'answered', actions: assign({ exists: ({ event }) => event.exists }) },
      },
    },
    answered: { type: 'final' },
  },
  output: ({ context }) => ({ exists: context.exists, afterApiError: context.afterApiError }),
});
