// The simulated world: what each action does to the pod, the deployment and Flink's answers.
import { describe, expect, test } from 'vitest';
import { SimWorld } from '../../../src/backends/sim/world.ts';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';
import type { TruthSnapshot } from '../../../src/record/truth.ts';
import { KUBELET_RESTART_MS } from '../../../src/backends/kubelet.ts';

const app = (overrides: Partial<ScenarioApp> = {}): ScenarioApp => ({
  clusterId: 'flink-demo', namespace: 'default', mode: 'application', jobs: [{ name: 'job', jobId: 'j1' }],
  recovery: [{ state: 'INITIALIZING', forMs: 3_000 }, { state: 'CREATED', forMs: 2_000 }], archive: 'fs-dir', pods: [], ha: false, fixedJobId: true, shutdownDelayMs: 3_000, ...overrides,
});

function setup(overrides?: Partial<ScenarioApp>, timeScale = 1) {
  const clock = new VirtualClock();
  const truth: (TruthSnapshot & { t: number })[] = [];
  const world = new SimWorld(app(overrides), clock, (snapshot) => truth.push({ ...snapshot, t: clock.now() }), timeScale);
  return { clock, world, truth };
}

describe('simulated world', () => {
  test('restart-jobmanager: REST refused at once; the kubelet shows the restart a moment later (restartCount+1, lastState set, phase stays Running); ready and the recovery states after the downtime, then RUNNING', async () => {
    const { clock, world } = setup();
    world.restartJobManager(10_000, 'OOMKilled');
    expect(world.flink.isServing()).toBe(false);
    // the kubelet has not noticed yet (kubelet.ts: measured on kind)
    expect(world.deploymentPods('default', 'flink-demo')![0]).toMatchObject({ phase: 'Running', containers: [{ restartCount: 0, ready: true }] });
    await clock.runUntil(KUBELET_RESTART_MS);
    const pods = world.deploymentPods('default', 'flink-demo')!;
    expect(pods[0]).toMatchObject({ phase: 'Running', containers: [{ restartCount: 1, ready: false, lastTerminated: { reason: 'OOMKilled', exitCode: 1 } }] });
    expect(pods[0]!.containers[0]!.waitingReason).toBeUndefined(); // a first restart runs at once
    await clock.runUntil(10_000);
    expect(world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!.ready).toBe(true);
    expect(world.flink.overview().jobs[0]!.state).toBe('INITIALIZING');
    await clock.runUntil(13_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('CREATED');
    await clock.runUntil(15_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('RUNNING');
  });

  test('the kubelet\'s delay is wall time: at the fast profile (×0.1) it is ten times longer in scenario time', async () => {
    const { clock, world } = setup({}, 0.1);
    world.restartJobManager(30_000);
    await clock.runUntil(KUBELET_RESTART_MS * 10 - 1);
    expect(world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!.restartCount).toBe(0);
    await clock.runUntil(KUBELET_RESTART_MS * 10);
    expect(world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!.restartCount).toBe(1);
  });

  test('crash-loop-jobmanager: restarted at once, then again after the kubelet back-off (10 s, 20 s, 40 s … from each exit), waiting in CrashLoopBackOff, never ready, REST never back', async () => {
    const { clock, world } = setup();
    world.crashLoopJobManager(200_000);
    const restarts = async (at: number) => {
      await clock.runUntil(at);
      return world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!;
    };
    const R = KUBELET_RESTART_MS;
    expect(world.flink.isServing()).toBe(false);
    expect((await restarts(R - 1)).restartCount).toBe(0);
    expect(await restarts(R)).toMatchObject({ restartCount: 1, ready: false, waitingReason: 'CrashLoopBackOff' });
    expect((await restarts(R + 10_000 + R - 1)).restartCount).toBe(1);
    expect((await restarts(R + 10_000 + R)).restartCount).toBe(2);
    expect((await restarts(2 * R + 10_000 + 20_000 + R)).restartCount).toBe(3);
    expect((await restarts(3 * R + 30_000 + 40_000 + R)).restartCount).toBe(4);
    expect((await restarts(200_000)).restartCount).toBe(5);
    expect(world.flink.isServing()).toBe(false);
    expect(world.truth().pod).toMatchObject({ ready: false, restartCount: 5 });
  });

  test('delete-jobmanager-pod: a new Pending pod without lastState, Running after the downtime', async () => {
    const { clock, world } = setup();
    world.deleteJobManagerPod(20_000);
    expect(world.deploymentPods('default', 'flink-demo')![0]).toMatchObject({ name: 'flink-demo-jobmanager-2', phase: 'Pending', containers: [{ restartCount: 0 }] });
    expect(world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!.lastTerminated).toBeUndefined();
    await clock.runUntil(20_000);
    expect(world.deploymentPods('default', 'flink-demo')![0]!.phase).toBe('Running');
    expect(world.flink.isServing()).toBe(true);
  });

  test('delete-deployment: deployment, pod, Service and REST gone for good', () => {
    const { world } = setup();
    world.deleteDeployment();
    expect(world.flinkDeploymentNames('default')).toEqual([]);
    expect(world.deploymentPods('default', 'flink-demo')).toBeUndefined();
    expect(world.restServiceUrl('default', 'flink-demo')).toBeUndefined();
    expect(world.flink.isServing()).toBe(false);
  });

  test('fail-job (application mode): FAILED, archived, then Flink deletes the deployment', async () => {
    const { clock, world } = setup();
    world.flink.failJob('job');
    expect(world.flink.overview().jobs[0]!.state).toBe('FAILED');
    expect(world.flink.archivedState('j1', 'fs-dir')).toBe('FAILED');
    await clock.runUntil(3_000);
    expect(world.flinkDeploymentNames('default')).toEqual([]);
  });

  test('a recovery step `none` lists no job (StreamPark then infers from Kubernetes)', async () => {
    const { clock, world } = setup({ recovery: [{ state: 'none', forMs: 2_000 }] });
    world.restartJobManager(1_000);
    await clock.runUntil(1_500);
    expect(world.flink.overview().jobs).toEqual([]);
    await clock.runUntil(3_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('RUNNING');
  });

  test('session mode: several jobs; one can fail while the cluster stays', async () => {
    const { clock, world } = setup({ mode: 'session', jobs: [{ name: 'a', jobId: 'ja' }, { name: 'b', jobId: 'jb' }] });
    world.flink.failJob('a');
    await clock.runUntil(10_000);
    expect(world.flink.overview().jobs.map((job) => job.state)).toEqual(['FAILED', 'RUNNING']);
    expect(world.flinkDeploymentNames('default')).toEqual(['flink-demo']);
  });

  test.for([
    { listed: 'first' as const, head: 'Failed', order: ['flink-demo-0-evicted-1', 'flink-demo-jobmanager-2'] },
    { listed: 'last' as const, head: 'Pending', order: ['flink-demo-jobmanager-2', 'flink-demo-zzzzzzzzzz-evicted-1'] },
  ])('evict-jobmanager-pod, evicted pod listed $listed: it stays (Failed, Evicted) beside its Pending replacement, pods by name', async ({ listed, head, order }) => {
    const { clock, world, truth } = setup();
    world.evictJobManagerPod(20_000, listed);
    const pods = world.deploymentPods('default', 'flink-demo')!;
    expect(pods.map((pod) => pod.name)).toEqual(order);
    expect(pods[0]!.phase).toBe(head);
    expect(pods.find((pod) => pod.phase === 'Failed')).toMatchObject({ reason: 'Evicted' });
    expect(world.flink.isServing()).toBe(false);
    expect(truth.at(-1)).toMatchObject({ pod: { name: 'flink-demo-jobmanager-2', phase: 'Pending' }, pods: order.map((name) => ({ name })) });
    await clock.runUntil(20_000);
    expect(world.deploymentPods('default', 'flink-demo')!.map((pod) => pod.phase).sort()).toEqual(['Failed', 'Running']); // the evicted pod lingers
    expect(world.flink.isServing()).toBe(true);
  });

  test('app.pods: left-over pods are listed beside the JobManager, by name; a container restart acts on the JobManager pod only', async () => {
    const { clock, world } = setup({
      pods: [
        { name: 'flink-demo-zzzzzzzzzz-extra-2', phase: 'Running', reason: undefined, terminating: true, lastTerminated: 'OOMKilled' },
        { name: 'flink-demo-0-extra-1', phase: 'Failed', reason: 'Evicted', terminating: false, lastTerminated: undefined },
      ],
    });
    world.restartJobManager(1_000);
    await clock.runUntil(KUBELET_RESTART_MS);
    const pods = world.deploymentPods('default', 'flink-demo')!;
    expect(pods.map((pod) => [pod.name, pod.phase, pod.terminating ?? false, pod.containers[0]!.restartCount])).toEqual([
      ['flink-demo-0-extra-1', 'Failed', false, 0],
      ['flink-demo-jobmanager-1', 'Running', false, 1],
      ['flink-demo-zzzzzzzzzz-extra-2', 'Running', true, 1],
    ]);
    expect(world.truth().pod?.name).toBe('flink-demo-jobmanager-1');
  });

  test('every change is reported as truth', async () => {
    const { clock, world, truth } = setup();
    world.restartJobManager(5_000);
    expect(truth.at(-1)).toMatchObject({ pod: { restartCount: 0, ready: true }, restServing: false });
    await clock.runUntil(KUBELET_RESTART_MS);
    expect(truth.at(-1)).toMatchObject({ pod: { restartCount: 1, ready: false }, restServing: false });
  });
});
