// isDeploymentError looks at pods.head only (KubernetesDeploymentHelper.scala lines 58–69, both
// tags): the list is the API's, by name (getPods, lines 36–56, does not sort), so which pod is
// first — an evicted one, one stuck terminating, or the running JobManager — decides FAILED vs
// K8S_INITIALIZING when Flink's REST call failed.
import { describe, expect, test } from 'vitest';
import type { PodView } from '../../../src/models/ports.ts';
import { isDeploymentError } from '../../../src/models/streampark/rules.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

const container = (restartCount: number, lastTerminated?: string) => ({ name: 'flink-main-container', restartCount, ready: restartCount === 0, ...(lastTerminated ? { lastTerminated: { reason: lastTerminated, exitCode: 1 } } : {}) });
const evicted: PodView = { name: 'flink-demo-0-evicted-2', phase: 'Failed', reason: 'Evicted', containers: [container(0)] };
const replacementPending: PodView = { name: 'flink-demo-7d4b9c8f6-x2k9p', phase: 'Pending', containers: [container(0)] };
const replacementRunning: PodView = { ...replacementPending, phase: 'Running' };
const stuckTerminating: PodView = { name: 'flink-demo-0-extra-1', phase: 'Running', terminating: true, containers: [container(1, 'OOMKilled')] };
const stuckTerminatingLast: PodView = { ...stuckTerminating, name: 'flink-demo-zzzzzzzzzz-extra-1' };

const CASES = [
  { name: 'an evicted pod listed first', pods: [evicted, replacementPending], error: true, state: 'FAILED' },
  { name: 'the same pods, the replacement listed first', pods: [replacementPending, evicted], error: false, state: 'INITIALIZING' },
  { name: 'an evicted pod listed first, the replacement already running', pods: [evicted, replacementRunning], error: true, state: 'FAILED' },
  { name: 'a pod stuck terminating (restarted before) listed first', pods: [stuckTerminating, replacementRunning], error: true, state: 'FAILED' },
  { name: 'the same, listed last', pods: [replacementRunning, stuckTerminatingLast], error: false, state: 'INITIALIZING' },
] as const;

describe('pods.head decides', () => {
  test.for(CASES)('isDeploymentError: $name → $error', ({ pods, error }) => {
    expect(isDeploymentError(pods)).toBe(error);
  });

  test.for(CASES.flatMap((row) => ['v2.1.3', 'v2.1.4'].map((variant) => ({ ...row, variant }))))('$variant, REST failing, $name → $state', async ({ variant, pods, state }) => {
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
      getDeploymentPods: () => ({ ok: pods }),
    });
    const run = await runTracker({ variant, script, untilMs: 6_000 });
    expect(run.trace()).toEqual(['RUNNING', state]);
  });
});
