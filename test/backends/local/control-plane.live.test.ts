import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, Observable, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tokenKubeConfig } from '../../../src/backends/shared/kube-access.ts';
import { CONTROL_PLANE_TOOLS, startControlPlane, type ControlPlane } from '../../../src/backends/local/control-plane/index.ts';
import { requestContainerRestart } from '../../../src/backends/shared/kwok-restart.ts';
import { httpGet } from '../../../src/backends/local/control-plane/readiness.ts';
import { isAlive } from '../../../src/processes/processes.ts';
import { missingTools } from '../../support/tools.ts';

const NAMESPACE = 'default';
const DEPLOYMENT = 'flink-demo';

/** Polls `probe` every 100 ms until it returns a value, or fails after `timeoutMs` with the last thing it saw. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
    await sleep(100);
  }
}

const container = (pod: V1Pod) => pod.status?.containerStatuses?.[0];

describe.skipIf(missingTools([...CONTROL_PLANE_TOOLS]) !== undefined)('local control plane (real API server, kwok node)', () => {
  let runDir: string;
  let plane: ControlPlane;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const progress: string[] = [];

  const jobManagerPods = async () =>
    (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `app=${DEPLOYMENT}` })).items.filter((p) => p.metadata?.deletionTimestamp === undefined);
  const runningReadyPod = async (predicate: (pod: V1Pod) => boolean = () => true) => {
    const pod = (await jobManagerPods()).find(predicate);
    return pod?.status?.phase === 'Running' && container(pod)?.ready === true ? pod : undefined;
  };

  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'statuschaos-control-plane-'));
    plane = await startControlPlane({ runDir, onProgress: (m) => progress.push(m) });
    const config = tokenKubeConfig(plane);
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
  });

  afterAll(async () => {
    await plane?.stop();
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });

  test('a Deployment creates a pod that runs on the kwok node', async () => {
    expect(plane.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(plane.versions['kube-apiserver']).toBe('v1.37.2');
    expect(progress.at(-1)).toMatch(/control plane ready/);
    await apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: {
        metadata: { name: DEPLOYMENT, labels: { type: 'flink-native-kubernetes', app: DEPLOYMENT } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { type: 'flink-native-kubernetes', app: DEPLOYMENT, component: 'jobmanager' } },
          template: {
            metadata: { labels: { type: 'flink-native-kubernetes', app: DEPLOYMENT, component: 'jobmanager' } },
            spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20' }] },
          },
        },
      },
    });
    const pod = await eventually('the JobManager pod Running and ready', () => runningReadyPod());
    expect(pod.spec?.nodeName).toBe(plane.nodeName);
    expect(container(pod)).toMatchObject({ name: 'flink-main-container', ready: true, started: true, restartCount: 0 });
    expect(container(pod)?.state?.running?.startedAt).toBeDefined();
    expect(container(pod)?.lastState?.terminated).toBeUndefined();
  });

  test('a requested container restart keeps the pod Running, sets lastState, and is ready again after the downtime', async () => {
    const [pod] = await jobManagerPods();
    const name = pod!.metadata!.name!;
    const requestedAt = Date.now();
    await requestContainerRestart(plane, NAMESPACE, name, { downtimeMs: 2_000, reason: 'OOMKilled' });

    const restarted = await eventually('restartCount 1', async () => {
      const current = await core.readNamespacedPod({ name, namespace: NAMESPACE });
      return container(current)?.restartCount === 1 ? current : undefined;
    });
    expect(restarted.status?.phase).toBe('Running');
    expect(container(restarted)).toMatchObject({ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } });
    expect(container(restarted)?.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 1 });
    expect(container(restarted)?.lastState?.terminated?.finishedAt).toBeDefined();

    const ready = await eventually('ready again', () => runningReadyPod((p) => p.metadata?.name === name));
    expect(Date.now() - requestedAt).toBeGreaterThanOrEqual(1_800);
    expect(container(ready)).toMatchObject({ ready: true, restartCount: 1, state: { running: {} } });
    expect(container(ready)?.lastState?.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 1 });
  });

  test('a deleted pod is replaced through its ReplicaSet: Pending, then Running with restartCount 0 and no lastState', async () => {
    const [old] = await jobManagerPods();
    const oldName = old!.metadata!.name!;
    await core.deleteNamespacedPod({ name: oldName, namespace: NAMESPACE });

    const phases: string[] = [];
    const replacement = await eventually('a Running, ready replacement pod', async () => {
      const pod = (await jobManagerPods()).find((p) => p.metadata?.name !== oldName);
      if (pod === undefined) return undefined;
      if (phases.at(-1) !== pod.status?.phase) phases.push(pod.status?.phase ?? 'none');
      return pod.status?.phase === 'Running' && container(pod)?.ready === true ? pod : undefined;
    });
    expect(phases).toEqual(['Pending', 'Running']);
    expect(replacement.metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    expect(container(replacement)).toMatchObject({ ready: true, restartCount: 0 });
    expect(container(replacement)?.lastState?.terminated).toBeUndefined();
    await eventually('the old pod gone', async () => ((await jobManagerPods()).some((p) => p.metadata?.name === oldName) ? undefined : true));
  });

  test('kube-apiserver reaches etcd only through the etcd proxy: disabled, a read gets no answer while /version does; enabled again, reads work', async () => {
    const { apiUrl, name, listen } = plane.etcdProxy;
    const apiserver = plane.processes.find((p) => p.name === 'kube-apiserver')!;
    expect((await readFile(`/proc/${apiserver.pid}/cmdline`, 'utf8')).split('\0')).toContain(`--etcd-servers=http://${listen}`);
    const setEnabled = (enabled: boolean) => fetch(`${apiUrl}/proxies/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled }) }).then((r) => expect(r.status).toBe(200));
    await setEnabled(false);
    try {
      await expect(core.readNamespace({ name: NAMESPACE }, { middleware: [{ pre: (c) => (c.setSignal(AbortSignal.timeout(2_000)), new Observable(Promise.resolve(c))), post: (c) => new Observable(Promise.resolve(c)) }], middlewareMergeStrategy: 'append' })).rejects.toThrow();
      expect((await httpGet(`${plane.server}/version`, { ca: plane.caData, token: plane.token })).status).toBe(200);
    } finally {
      await setEnabled(true);
    }
    await eventually('reads through etcd again', async () => (await core.readNamespace({ name: NAMESPACE })).metadata?.name, 90_000);
  });

  test('stop() kills every process it started, removes its data, and is idempotent', async () => {
    const pids = plane.processes.map((p) => p.pid);
    expect(pids).toHaveLength(CONTROL_PLANE_TOOLS.length);
    expect(pids.every(isAlive)).toBe(true);
    await plane.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    await expect(stat(join(runDir, 'control-plane'))).rejects.toThrow();
    expect((await stat(join(plane.logsDir, 'kube-apiserver.log'))).size).toBeGreaterThan(0);
    await plane.stop();
  });
});

describe('local control plane start failures', () => {
  test('a missing binary fails before anything starts, naming it and the fix', async () => {
    const toolsDir = await mkdtemp(join(tmpdir(), 'statuschaos-tools-'));
    try {
      await mkdir(join(toolsDir, 'bin'));
      for (const tool of CONTROL_PLANE_TOOLS.filter((t) => t !== 'kube-scheduler')) await symlink('/bin/true', join(toolsDir, 'bin', tool));
      await expect(startControlPlane({ runDir: join(toolsDir, 'run'), toolsDir })).rejects.toThrow(
        /missing control-plane binaries in .*\/bin: kube-scheduler; run `npm run tools`/,
      );
    } finally {
      await rm(toolsDir, { recursive: true, force: true });
    }
  });

  test('a process that exits during start fails with its name, exit code and log tail, and nothing else starts', async () => {
    const toolsDir = await mkdtemp(join(tmpdir(), 'statuschaos-tools-'));
    try {
      await mkdir(join(toolsDir, 'bin'));
      for (const tool of CONTROL_PLANE_TOOLS) {
        const script = tool === 'etcd' ? '#!/bin/sh\nfor i in $(seq 1 30); do echo "etcd line $i"; done\nexit 7\n' : '#!/bin/sh\nsleep 60\n';
        await writeFile(join(toolsDir, 'bin', tool), script);
        await chmod(join(toolsDir, 'bin', tool), 0o755);
      }
      const error = await startControlPlane({ runDir: join(toolsDir, 'run'), toolsDir }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/^etcd exited \(exit code 7\) while waiting for etcd health/);
      expect((error as Error).message).toContain('etcd line 30');
      expect((error as Error).message).toContain('etcd line 11');
      expect((error as Error).message).not.toContain('etcd line 10\n');
      // Nothing after etcd was started, and the temporary data is gone.
      expect(await readdir(join(toolsDir, 'run', 'logs'))).toEqual(['etcd.log']);
      await expect(stat(join(toolsDir, 'run', 'control-plane'))).rejects.toThrow();
    } finally {
      await rm(toolsDir, { recursive: true, force: true });
    }
  });
});

