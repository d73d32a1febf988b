/**
 * updateState's lazy `!isDeploymentExists` for an end state (FlinkJobStatusWatcher.scala v2.1.3
 * lines 225–236, v2.1.4 lines 226–240): it tells the watcher when the Deployment is gone, and the
 * watcher untracks the id.
 */
import { sendTo, setup } from 'xstate';
import { deploymentExistenceMachine } from './deployment-existence.ts';
import type { TrackerEnvironment, TrackId } from './types.ts';

/** Sent by updateState's untrack check when the deployment is gone. */
export interface DeploymentGoneEvent {
  type: 'untrackCheck.deploymentGone';
  trackId: TrackId;
}

/** updateState's lazy `!isDeploymentExists` for an end state: tell the watcher when it is gone. */
export const untrackCheckMachine = setup({
  types: { input: {} as { env: TrackerEnvironment; trackId: TrackId }, context: {} as { env: TrackerEnvironment; trackId: TrackId } },
  actors: { isDeploymentExists: deploymentExistenceMachine },
}).createMachine({
  id: 'untrackCheck',
  context: ({ input }) => input,
  initial: 'checking',
  states: {
    checking: {
      invoke: {
        src: 'isDeploymentExists',
        input: ({ context }) => ({ env: context.env, namespace: context.trackId.namespace, deploymentName: context.trackId.clusterId }),
        onDone: [
          { guard: ({ event }) => event.output.exists, target: 'done' },
          { target: 'done', actions: sendTo(({ system }) => system.get('watcher'), ({ context }): DeploymentGoneEvent => ({ type: 'untrackCheck.deploymentGone', trackId: context.trackId })) },
        ],
      },
    },
    done: { type: 'final' },
  },
});

