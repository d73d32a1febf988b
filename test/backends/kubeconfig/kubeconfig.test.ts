// The kubeconfig backend against a real API server (the local control plane, reached only through a
// kubeconfig file with named contexts): the incident passes, the namespace fence holds, a context
// off the allow-list is refused, and nothing is left behind.
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
import { OWNER_LABEL } from '../../../src/backends/shared/live-session.ts';
import { main } from '../../../src/cli/main.ts';
import { UserError } from '../../../src/errors/user-error.ts';
import { modelNames } from '../../../src/models/registry.ts';
import { runAndRead } from '../../support/run-checked.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import { findProcesses, portRefused } from '../../support/processes.ts';
import { missingTools } from '../../support/tools.ts';

const root = new URL('../../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');
const TEST_CONTEXT = 'chaos-test';
const OTHER_CONTEXT = 'production';

/** A kubeconfig with two contexts on one server: the allowed test context and one that must be refused. */
function kubeconfigFile(access: { server: string; token: string; caData: string }): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: access.server, 'certificate-authority-data': Buffer.from(access.caData).toString('base64') } }],
    users: [{ name: 'admin', user: { token: access.token } }],
    contexts: [
      { name: TEST_CONTEXT, context: { cluster: 'local', user: 'admin' } },
      { name: OTHER_CONTEXT, context: { cluster: 'local', user: 'admin' } },
    ],
    'current-context': OTHER_CONTEXT,
  });
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stderr = '';
  const code = await main(argv, { env, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stderr };
}

/** toxiproxy processes this test process started (their parent is this process). */
const toxiproxyChildren = () =>
  findProcesses(async (pid) => {
    const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec((await readFile(`/proc/${pid}/stat`, 'utf8')).trim())!;
    return comm!.startsWith('toxiproxy') && Number(rest!.split(' ')[1]) === process.pid;
  });

describe('kubeconfig backend: which cluster it may use', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'statuschaos-kubeconfig-'));
    file = join(dir, 'kubeconfig');
    // nothing listens there: a refusal must happen before any connection
    await writeFile(file, kubeconfigFile({ server: 'https://127.0.0.1:9', token: 'x', caData: 'x' }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('a context off the allow-list is refused with exit 2, naming the context and the fix', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--context', OTHER_CONTEXT, '--allowed-contexts', TEST_CONTEXT, '--out', dir, incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (${TEST_CONTEXT})`);
    expect(stderr).toContain(`--allowed-contexts ${OTHER_CONTEXT}`);
  });

  test('the file\'s current context is checked too, and an empty allow-list allows nothing', async () => {
    const { code, stderr } = await cli(['run', '--backend', 'kubeconfig', '--kubeconfig', file, '--out', dir, incident]);
    expect(code).toBe(2);
    expect(stderr).toContain(`context \`${OTHER_CONTEXT}\` is not on the allow-list (the list is empty)`);
  });

  test.for([
    ['no --kubeconfig', () => ({}), /needs `--kubeconfig FILE`/],
    ['a missing file', () => ({ kubeconfig: '/nonexistent/kubeconfig' }), /cannot read the kubeconfig: no such file/],
    ['an unknown context', () => ({ kubeconfig: file, context: 'chaos-tset', allowedContexts: ['chaos-tset'] }), /has no context `chaos-tset`[\s\S]*did you mean `chaos-test`/],
  ] as const)('%s is a user error (exit 2)', ([, settings, message]) => {
    const error = (() => {
      try {
        kubeconfigBackend({ env: {}, ...settings() });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect(`${(error as UserError).message}\n${(error as UserError).hint}`).toMatch(message);
  });

  test('STATUSCHAOS_ALLOWED_CONTEXTS is the allow-list when no flag is given', () => {
    expect(() => kubeconfigBackend({ env: { STATUSCHAOS_ALLOWED_CONTEXTS: `other, ${TEST_CONTEXT}` }, kubeconfig: file, context: TEST_CONTEXT })).not.toThrow();
    expect(() => kubeconfigBackend({ env: { STATUSCHAOS_ALLOWED_CONTEXTS: 'other' }, kubeconfig: file, context: TEST_CONTEXT })).toThrow(/not on the allow-list \(other\)/);
  });
});

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);

describe.skipIf(missing !== undefined)('kubeconfig backend on a running cluster (the local control plane, as an existing cluster)', () => {
  let dir: string;
  let file: string;
  let plane: ControlPlane;
  let core: CoreV1Api; // an unfenced client, to check from outside what the harness did
  const settings = () => ({ env: process.env, kubeconfig: file, context: TEST_CONTEXT, allowedContexts: [TEST_CONTEXT], workDir: dir });

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
    expect(await toxiproxyChildren()).toEqual([]);
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
    expect(await toxiproxyChildren()).toEqual([]);
  });
});
