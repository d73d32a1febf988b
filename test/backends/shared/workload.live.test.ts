// Several JobManager pods on a real API server (the local control plane): left-over pods from
// `app.pods` and an eviction are listed by the Deployment's selector in the API's order (by
// name), with their phase, reason and deletionTimestamp, exactly as the simulation lists them;
// and closing the session removes them all, the one held by a finalizer included.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import type { BackendSession } from '../../../src/backends/backend.ts';
import { localBackend } from '../../../src/backends/local/backend.ts';
import { simBackend } from '../../../src/backends/sim/backend.ts';
import type { PodView } from '../../../src/models/ports.ts';
import { parseScenario } from '../../../src/scenario/load.ts';
import { missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);

const SCENARIO = `
name: several-pods
duration: 2m
app:
  clusterId: flink-demo
  pods:
    - { listed: first, phase: Failed, reason: Evicted }
    - { listed: last, phase: Running, terminating: true, lastTerminated: OOMKilled }
timeline:
  - { at: 10s, action: evict-jobmanager-pod, listed: first, downtime: 60s }
`;

/** The pods as a tracker sees them, without the names the ReplicaSet makes up (`<rs pod>`). */
async function podsSeen(session: BackendSession, namespace: string): Promise<string[]> {
  const answer = session.trackerPorts('test').getDeploymentPods({ namespace, name: 'flink-demo', connectTimeoutMs: 10_000, responseTimeoutMs: 10_000 });
  await session.runUntil(session.clock.now() + 500); // the simulation's calls take virtual time
  const pods: PodView[] = await answer;
  return pods.map((pod) => `${/-(0|zzzzzzzzzz)-/.test(pod.name) ? pod.name : '<rs pod>'} ${pod.phase}${pod.reason ? ` ${pod.reason}` : ''}${pod.terminating ? ' terminating' : ''} restarts ${pod.containers[0]?.restartCount ?? 0}`);
}

const EXPECTED_AT_START = ['flink-demo-0-extra-1 Failed Evicted restarts 0', '<rs pod> Running restarts 0', 'flink-demo-zzzzzzzzzz-extra-2 Running terminating restarts 1'];
const EXPECTED_AFTER_EVICTION = ['flink-demo-0-evicted-1 Failed Evicted restarts 0', 'flink-demo-0-extra-1 Failed Evicted restarts 0', '<rs pod> Pending restarts 0', 'flink-demo-zzzzzzzzzz-extra-2 Running terminating restarts 1'];

describe.skipIf(missing !== undefined)('several JobManager pods, sim and local alike', () => {
  test('left-over pods and an eviction: the same list, in the same order, on both backends; nothing left after close', { timeout: 180_000 }, async () => {
    const scenario = parseScenario(SCENARIO, 'several-pods.yaml');
    const [action] = scenario.actions;
    const seen: Record<string, string[][]> = {};
    const backends = { sim: simBackend, local: localBackend({ env: process.env, workDir: await mkdtemp(join(tmpdir(), 'statuschaos-pods-')) }) };
    for (const [name, backend] of Object.entries(backends)) {
      const session = await backend.open(scenario, { seed: 1, timeScale: 0.1, runDir: await mkdtemp(join(tmpdir(), 'statuschaos-pods-run-')), onTruth: () => {}, onProgress: () => {} });
      const namespace = session.appNamespace ?? scenario.app.namespace;
      try {
        const before = await podsSeen(session, namespace);
        await session.perform(action!);
        // live: the ReplicaSet makes the replacement, and kwok removes the deleted pod, within moments
        const settled = (pods: string[]) => pods.length === 4 && !pods.some((pod) => pod.startsWith('<rs pod>') && pod.includes('terminating'));
        let after = await podsSeen(session, namespace);
        for (let tries = 0; !settled(after) && tries < 50; tries++) {
          await sleep(100);
          after = await podsSeen(session, namespace);
        }
        seen[name] = [before, after];
      } finally {
        await session.close();
        await backend.shutdown?.();
      }
    }
    expect(seen.sim).toEqual([EXPECTED_AT_START, EXPECTED_AFTER_EVICTION]);
    expect(seen.local).toEqual(seen.sim);
  });
});
