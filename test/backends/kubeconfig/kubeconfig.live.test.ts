// The kubeconfig backend against a real API server (the local control plane, reached only through a
// kubeconfig file with named contexts): the incident passes, the namespace fence holds, a context
// is left behind. (Which contexts it may use is target.test.ts.)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tokenKubeConfig } from '../../../src/backends/shared/kube-access.ts';
import { startControlPlane, type ControlPlane } from '../../../src/backends/local/control-plane/index.ts';
import { kubeconfigBackend } from '../../../src/backends/kubeconfig/backend.ts';
import { NamespaceFenceError } from '../../../src/backends/kubeconfig/namespace-fence.ts';
import { OWNER_LABEL } from '../../../src/backends/shared/namespaces.ts';
import { main } from '../../../src/cli/main.ts';
import { UserError } from '../../../src/errors/user-error.ts';
import { modelNames } from '../../../src/models/registry.ts';
import { runAndRead } from '../../support/run-checked.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import { findProcesses, portRefused } from '../../support/processes.ts';
import { missingTools } from '../../support/tools.ts';
import { kubeconfigFile, TEST_CONTEXT } from './kubeconfig-file.ts';

const root = new URL('../../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');



/** toxiproxy processes this test process started (their parent is this process). */
const toxiproxyChildren = () =>
  findProcesses(async (pid) => {
    const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec((await readFile(`/proc/${pid}/stat`, 'utf8')).trim())!;
    return comm!.startsWith('toxiproxy') && Number(rest!.split(' ')[1]) === process.pid;
  });

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);

describe.skipIf(missing !== undefined)('kubeconfig backend on a running cluster (the local control plane, as an existing cluster)', () => {
  let dir: string;
  let file: string;
  let plane: ControlPlane;
  let core: CoreV1Api; // an unfenced client, to check from outside what the harness did
  const settings = () => ({ env: process.env, kubeconfig: file, context: TEST_CONTEXT, allowedContexts: [`${TEST_CONTEXT}=${plane.server}`], workDir: dir });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statuschaos-kubeconfig-live-'));
    plane = await startControlPlane({ runDir: join(dir, 'plane') });
    file = join(dir, 'test.kubeconfig');
    await writeFile(file, kubeconfigFile(plane), { mode: 0o600 });
    core = tokenKubeConfig(plane).makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await plane?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The toxiproxy-server the control plane runs in front of its etcd: the test's, not the harness's. */
  const controlPlaneProxy = () => plane.processes.filter((p) => p.name === 'toxiproxy-server').map((p) => p.pid);
  const harnessNamespaces = async () => (await core.listNamespace({ labelSelector: OWNER_LABEL })).items.map((namespace) => namespace.metadata!.name!);

  test('incident-3618 passes for every variant (fast timing), and the run leaves nothing behind', { timeout: 150_000 }, async () => {
    const scenarios = await loadScenarios([incident]);
    const messages: string[] = [];
    const began = performance.now();
    const record = await runAndRead({ backend: kubeconfigBackend(settings()), scenarios, variants: modelNames(), seed: 1, repeat: 1, profile: 'fast', outDir: join(dir, 'run'), onProgress: (message) => messages.push(message) });
    const failures = record.results.filter((result) => result.verdict !== 'pass').map((result) => `${result.variant}: ${result.failures.join('; ')}`);
    expect(failures).toEqual([]);
    expect(record.results).toHaveLength(modelNames().length);
    expect(record.results.find((result) => result.variant === 'v2.1.3')?.trace).toEqual(['RUNNING', 'FAILED']);
    expect(record.metadata).toMatchObject({ backend: 'kubeconfig', context: TEST_CONTEXT, 'kube-apiserver': 'v1.37.2' });
    // the restart really happened on the node, through kwok: same pod, restartCount 1, OOMKilled
    const restarted = record.scenarios[0]!.lanes.truth.find((entry) => entry.pod?.restartCount === 1);
    expect(restarted?.pod).toMatchObject({ phase: 'Running', lastTerminated: 'OOMKilled' });
    console.info(`kubeconfig incident-3618: ${((performance.now() - began) / 1000).toFixed(1)} s wall`);

    expect(await harnessNamespaces()).toEqual([]);
    expect(await toxiproxyChildren()).toEqual(controlPlaneProxy()); // the control plane's own, in front of its etcd
    const ports = [...messages.join('\n').matchAll(/(?:apiserver|flink-rest) 127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(ports).toHaveLength(2);
    for (const port of ports) expect(await portRefused(port)).toBe(true);
  });

  test('the fence: the harness client reaches its own namespace and nothing else; refused calls never reach the server', { timeout: 60_000 }, async () => {
    const [scenario] = await loadScenarios([incident]);
    const backend = kubeconfigBackend(settings());
    const session = await backend.open(scenario!, { seed: 1, timeScale: 0.1, runDir: join(dir, 'fence'), onTruth: () => {}, onProgress: () => {} });
    try {
      const own = session.appNamespace!;
      expect(backend.fence.owns(own)).toBe(true);
      expect((await backend.admin.core.readNamespace({ name: own })).metadata?.labels?.[OWNER_LABEL]).toBe(backend.fence.runId);
      expect((await backend.admin.core.listNamespacedPod({ namespace: own })).items).toHaveLength(1);

      const attempts: [string, () => Promise<unknown>][] = [
        ['list pods in default', () => backend.admin.core.listNamespacedPod({ namespace: 'default' })],
        ['create a config map in default', () => backend.admin.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'statuschaos-was-here' } } })],
        ['delete kube-system', () => backend.admin.core.deleteNamespace({ name: 'kube-system' })],
        ['read kube-system', () => backend.admin.core.readNamespace({ name: 'kube-system' })],
        ['delete a deployment in kube-system', () => backend.admin.apps.deleteNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })],
        ['create an unlabelled namespace', () => backend.admin.core.createNamespace({ body: { metadata: { name: 'statuschaos-unlabelled' } } })],
        ['create a namespace with another run\'s label', () => backend.admin.core.createNamespace({ body: { metadata: { name: 'statuschaos-other-run', labels: { [OWNER_LABEL]: 'run-other' } } } })],
        ['list pods in every namespace', () => backend.admin.core.listPodForAllNamespaces()],
        ['list namespaces', () => backend.admin.core.listNamespace()],
        ['delete a node', () => backend.admin.core.deleteNode({ name: plane.nodeName })],
      ];
      for (const [what, attempt] of attempts) {
        const error = await attempt().then(() => undefined, (caught: unknown) => caught);
        expect(error, what).toBeInstanceOf(NamespaceFenceError);
      }
      expect((await backend.admin.core.readNode({ name: plane.nodeName })).metadata?.name).toBe(plane.nodeName); // the one cluster-scoped read it needs

      // the trackers' own client (admin credentials, through the proxy) reads its namespace and nothing else
      const ports = session.trackerPorts('test');
      const timeouts = { connectTimeoutMs: 10_000, responseTimeoutMs: 10_000 };
      expect(await ports.listFlinkDeployments({ namespace: own, ...timeouts })).toEqual([scenario!.app.clusterId]);
      await expect(ports.listFlinkDeployments({ namespace: 'kube-system', ...timeouts })).rejects.toThrow(/refused GET \/apis\/apps\/v1\/namespaces\/kube-system\/deployments \(trackers' client\)/);
      await expect(ports.getDeploymentPods({ namespace: 'default', name: 'anything', ...timeouts })).rejects.toThrow(/trackers' client/);
      // nothing happened behind the fence
      expect((await core.readNamespace({ name: 'kube-system' })).status?.phase).toBe('Active');
      expect((await core.listNamespacedConfigMap({ namespace: 'default' })).items.map((map) => map.metadata?.name)).not.toContain('statuschaos-was-here');
      expect((await core.listNamespace()).items.map((namespace) => namespace.metadata?.name)).not.toContain('statuschaos-unlabelled');
      await expect(core.readNode({ name: plane.nodeName })).resolves.toBeDefined();
    } finally {
      await session.close();
      await backend.shutdown();
    }
    expect(await harnessNamespaces()).toEqual([]);
    expect(await toxiproxyChildren()).toEqual(controlPlaneProxy());
  });
});
