// The simulated world: what each action does to the pod, the deployment and Flink's answers.
import { describe, expect, test } from 'vitest';
import { SimWorld } from '../../../src/backends/sim/world.ts';
import { VirtualClock } from '../../../src/backends/sim/virtual-clock.ts';
import type { ScenarioApp } from '../../../src/scenario/types.ts';
import type { TruthSnapshot } from '../../../src/record/truth.ts';

const app = (overrides: Partial<ScenarioApp> = {}): ScenarioApp => ({
  clusterId: 'flink-demo', namespace: 'default', mode: 'application', jobs: [{ name: 'job', jobId: 'j1' }],
  recovery: [{ state: 'INITIALIZING', forMs: 3_000 }, { state: 'CREATED', forMs: 2_000 }], archive: true, shutdownDelayMs: 3_000, ...overrides,
});

function setup(overrides?: Partial<ScenarioApp>) {
  const clock = new VirtualClock();
  const truth: (TruthSnapshot & { t: number })[] = [];
  const world = new SimWorld(app(overrides), clock, (snapshot) => truth.push({ ...snapshot, t: clock.now() }));
  return { clock, world, truth };
}

describe('simulated world', () => {
  test('restart-jobmanager: restartCount+1, lastState set, phase stays Running, REST refused for the downtime, then the recovery states, then RUNNING', async () => {
    const { clock, world } = setup();
    world.restartJobManager(10_000, 'OOMKilled');
    const pods = world.deploymentPods('default', 'flink-demo')!;
    expect(pods[0]).toMatchObject({ phase: 'Running', containers: [{ restartCount: 1, ready: false, lastTerminated: { reason: 'OOMKilled', exitCode: 1 } }] });
    expect(world.flink.isServing()).toBe(false);
    await clock.runUntil(10_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('INITIALIZING');
    await clock.runUntil(13_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('CREATED');
    await clock.runUntil(15_000);
    expect(world.flink.overview().jobs[0]!.state).toBe('RUNNING');
  });

  test('crash-loop-jobmanager: crashes again on the kubelet back-off (10 s, 20 s, 40 s …), waiting in CrashLoopBackOff, never ready, REST never back', async () => {
    const { clock, world } = setup();
    world.crashLoopJobManager(200_000);
    const restarts = async (at: number) => {
      await clock.runUntil(at);
      return world.deploymentPods('default', 'flink-demo')![0]!.containers[0]!;
    };
    expect(await restarts(1)).toMatchObject({ restartCount: 1, ready: false, waitingReason: 'CrashLoopBackOff' });
    expect((await restarts(9_999)).restartCount).toBe(1);
    expect((await restarts(10_000)).restartCount).toBe(2);
    expect((await restarts(30_000)).restartCount).toBe(3);
    expect((await restarts(70_000)).restartCount).toBe(4);
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
    expect(world.flink.archivedState('j1')).toBe('FAILED');
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

  test('every change is reported as truth', () => {
    const { world, truth } = setup();
    world.restartJobManager(1_000);
    expect(truth.at(-1)).toMatchObject({ pod: { restartCount: 1, ready: false }, restServing: false });
  });
});
