// The kind backend's plan, with fake kind, docker and kubectl on PATH (no Docker here): what it
// creates, builds, loads, applies and deletes, in which order, also when a step fails, when
// interrupted, with --keep-cluster, and what a missing tool says. The live session itself (API
// calls, proxies) is the shared LiveSession, exercised by the local and kubeconfig live tests.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BackendError, type BackendSession, type OpenOptions } from '../../../src/backends/backend.ts';
import { kindBackend, type KindDeps } from '../../../src/backends/kind/backend.ts';
import { DEFAULT_KIND_CONFIG } from '../../../src/backends/kind/config.ts';
import { stubImageTag } from '../../../src/backends/kind/image.ts';
import { STUB_ENV } from '../../../src/backends/kind/stub/protocol.ts';
import { unsupportedOnStub } from '../../../src/backends/kind/workload.ts';
import { parseScenario } from '../../../src/scenario/load.ts';
import { killMainProcess } from '../../../src/backends/shared/exec-restart.ts';
import type { LiveCluster } from '../../../src/backends/shared/live-session.ts';
import type { ToxiproxyServer } from '../../../src/backends/shared/toxiproxy/index.ts';
import { workloadObjects } from '../../../src/backends/shared/workload.ts';
import { main } from '../../../src/cli/main.ts';
import { runAndRead } from '../../support/run-checked.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import type { Scenario } from '../../../src/scenario/types.ts';
import { isAlive } from '../../../src/processes/processes.ts';
import { existingCluster, fakeTools, type FakeTools } from './fake-tools.ts';

const root = new URL('../../..', import.meta.url).pathname;
const incidentFile = join(root, 'scenarios', 'incident-3618.yaml');

/** Records what the backend asks of Toxiproxy and of the session, without either. */
function fakeDeps() {
  const seen = { toxiproxyStarts: [] as string[], toxiproxyStops: 0, clusters: [] as LiveCluster[], sessionsClosed: 0 };
  const toxiproxy: ToxiproxyServer = {
    url: 'http://127.0.0.1:1',
    host: '127.0.0.1',
    port: 1,
    pid: 0,
    version: '2.12.0',
    logFile: '/dev/null',
    exited: new Promise(() => {}),
    stop: async () => void seen.toxiproxyStops++,
  };
  const session = (cluster: LiveCluster): BackendSession => ({
    clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} },
    metadata: cluster.metadata,
    trackerPorts: () => {
      throw new Error('not in this test');
    },
    restEndpoint: () => 'http://127.0.0.1:1',
    begin: () => {},
    applyFault: async () => {},
    removeFault: async () => {},
    perform: async () => {},
    runUntil: async () => {},
    close: async () => void seen.sessionsClosed++,
  });
  const deps: KindDeps = {
    // a host where kind runs as it is (every capability, cgroup v2), its Docker engine running
    hostFacts: async () => ({ missingCapabilities: [], availableCapabilities: ['CHOWN'], cgroupV1: false }),
    acquireEngine: async () => ({ version: '28.3.0', started: undefined, release: async () => undefined }),
    startToxiproxy: async (options) => {
      seen.toxiproxyStarts.push(options.binary ?? '');
      return toxiproxy;
    },
    openSession: async (cluster) => {
      seen.clusters.push(cluster);
      return session(cluster);
    },
  };
  return { deps, seen };
}

function openOptions(progress: string[] = [], signal?: AbortSignal): OpenOptions {
  return { seed: 1, timeScale: 0.1, runDir: '/nonexistent', onTruth: () => {}, onProgress: (message) => progress.push(message), ...(signal ? { signal } : {}) };
}

describe('kind backend plan (fake kind, docker, kubectl)', () => {
  let fakes: FakeTools;
  let out: string;
  let incident: Scenario;
  beforeEach(async () => {
    fakes = await fakeTools();
    out = await mkdtemp(join(tmpdir(), 'statuschaos-kind-'));
    [incident] = (await loadScenarios([incidentFile])) as [Scenario];
  });
  afterEach(async () => {
    await fakes.cleanup();
    await rm(out, { recursive: true, force: true });
  });

  test('create from the config, build and load the stub image, Toxiproxy on the API server port and the REST NodePort, restart by exec kill, delete at the end', async () => {
    const { deps, seen } = fakeDeps();
    const backend = await kindBackend({ env: fakes.env(), workDir: out }, deps);
    const kubeconfig = join(out, 'kind', 'kubeconfig');
    const tag = await stubImageTag();
    await backend.open(incident, openOptions());
    await backend.open(incident, openOptions()); // a second scenario: same cluster, nothing created again

    expect(await fakes.lines()).toEqual([
      'kind version',
      'docker version --format {{.Client.Version}}',
      'docker info --format {{.ServerVersion}}',
      'kubectl version --client',
      'docker network inspect --format {{.Name}} kind',
      'kind get clusters',
      `kind create cluster --name statuschaos --config ${DEFAULT_KIND_CONFIG} --kubeconfig ${kubeconfig} --wait 3m`,
      'kind get kubeconfig --name statuschaos',
      `docker image inspect --format {{.Id}} ${tag}`,
      `docker build --force-rm --file ${join(root, 'clusters/flink-rest-stub/Dockerfile')} --tag ${tag} ${root.replace(/\/$/, '')}`,
      `kind load docker-image ${tag} --name statuschaos`,
    ]);
    const calls = await fakes.calls();
    // kind got the project's config file, docker the project's Dockerfile
    expect(calls[6]!.files[DEFAULT_KIND_CONFIG]).toBe(await readFile(DEFAULT_KIND_CONFIG, 'utf8'));
    expect(calls[9]!.files[join(root, 'clusters/flink-rest-stub/Dockerfile')]).toContain('ENTRYPOINT ["node", "src/backends/kind/stub/main.ts"]');
    expect(await readFile(kubeconfig, 'utf8')).toContain('server: https://127.0.0.1:43210');

    // Toxiproxy: started once, its proxies aimed at the kind API server port and the REST NodePort's host port
    expect(seen.toxiproxyStarts).toEqual([join(fakes.dir, 'no-tools', 'bin', 'toxiproxy-server')]);
    const cluster = seen.clusters[0]!;
    expect(seen.clusters).toHaveLength(2);
    expect(seen.clusters[1]).toBe(cluster);
    expect(cluster.apiServerAddress).toBe('127.0.0.1:43210');
    expect(cluster.image).toBe(tag);
    expect(cluster.metadata).toMatchObject({ backend: 'kind', 'kind cluster': 'statuschaos', kind: 'kind v0.33.0 go1.24.4 linux/amd64', docker: '28.3.0', image: tag });
    const flink = await cluster.flink!({ app: incident.app, clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }, onChange: () => {}, onShutdown: () => {} });
    expect(flink.upstream).toBe('127.0.0.1:30081');
    await flink.close();

    // the workload: the stub image with the scenario in its environment, REST and control NodePorts
    const extras = cluster.workload!(incident, 0.1);
    const { deployment, service } = workloadObjects({ namespace: 'ns', clusterId: 'flink-demo', image: cluster.image, startDelayMs: 300, labels: {}, ...extras });
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container).toMatchObject({ name: 'flink-main-container', image: tag, imagePullPolicy: 'IfNotPresent', args: [], readinessProbe: { tcpSocket: { port: 8081 } } });
    const env = Object.fromEntries(container.env!.map((variable) => [variable.name, variable.value]));
    expect(JSON.parse(env[STUB_ENV.app]!)).toEqual(incident.app);
    expect(env[STUB_ENV.timeScale]).toBe('0.1');
    expect(service.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 8081, nodePort: 30081 }] });
    expect(extras.extraServices?.[0]?.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 8082, nodePort: 30082 }] });

    // restart-jobmanager: kubectl exec kills PID 1, after noting until when the new process stays down
    const before = Date.now();
    await cluster.restartContainer('sc-ns', 'flink-demo-abc', { downtimeMs: 3_000, reason: 'OOMKilled' });
    const after = Date.now();
    const exec = (await fakes.calls()).at(-1)!;
    expect(exec.args.slice(0, -1)).toEqual(['--kubeconfig', kubeconfig, '--namespace', 'sc-ns', 'exec', 'flink-demo-abc', '--container', 'flink-main-container', '--', 'sh', '-c']);
    const script = exec.args.at(-1)!;
    expect(script).toMatch(/^printf '%s' (\d+) > \/statuschaos\/restart-until 2>\/dev\/null; kill 1$/);
    // the downtime counts from the call: its end lies 3 s after some moment during it, whatever the machine's speed
    const until = Number(/(\d+)/.exec(script)![1]);
    expect(until - 3_000).toBeGreaterThanOrEqual(before);
    expect(until - 3_000).toBeLessThanOrEqual(after);

    await backend.shutdown!();
    expect(seen.toxiproxyStops).toBe(1);
    // the cluster, the network kind made for it (there was none before), the stub image this run built
    expect((await fakes.lines()).slice(-3)).toEqual([`kind delete cluster --name statuschaos --kubeconfig ${kubeconfig}`, 'docker network rm kind', `docker image rm ${tag}`]);
    await backend.shutdown!(); // twice is fine, and deletes nothing more
    expect((await fakes.lines()).filter((line) => line.startsWith('kind delete'))).toHaveLength(1);
  });

  test('a step that fails mid-way (kind load) still deletes the cluster, and says what failed (exit 3)', async () => {
    const { deps, seen } = fakeDeps();
    const backend = await kindBackend({ env: fakes.env({ FAKE_FAIL: 'kind load docker-image' }), workDir: out }, deps);
    const error = await backend.open(incident, openOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/^loading image statuschaos\/flink-rest-stub:\w+ into kind cluster statuschaos failed: `kind load docker-image .*` exit code 1:\nERROR: fake kind told to fail/);
    const lines = await fakes.lines();
    expect(lines.slice(-4, -2)).toEqual([expect.stringMatching(/^kind load docker-image/), expect.stringMatching(/^kind delete cluster --name statuschaos/)]);
    // the network kind made and the image this run built go too
    expect(lines.slice(-2)).toEqual(['docker network rm kind', expect.stringMatching(/^docker image rm statuschaos\/flink-rest-stub:/)]);
    expect(seen.toxiproxyStarts).toEqual([]);
    expect(seen.clusters).toEqual([]);
  });

  test('a failure after the cluster is up (the session) is cleaned up by the run: cluster deleted, Toxiproxy stopped', async () => {
    const { deps, seen } = fakeDeps();
    deps.openSession = async () => {
      throw new BackendError('could not set up incident-3618: the JobManager pod did not become ready');
    };
    const backend = await kindBackend({ env: fakes.env(), workDir: out }, deps);
    await expect(runAndRead({ backend, scenarios: [incident], variants: ['v2.1.3'], seed: 1, repeat: 1, profile: 'fast', outDir: out, onProgress: () => {} })).rejects.toThrow(/did not become ready/);
    expect((await fakes.lines()).at(-3)).toMatch(/^kind delete cluster --name statuschaos/);
    expect(seen.toxiproxyStops).toBe(1);
  });

  test('Ctrl-C during `kind create cluster` stops it and deletes the half-made cluster', async () => {
    const { deps } = fakeDeps();
    const backend = await kindBackend({ env: fakes.env({ FAKE_SLOW: 'kind create cluster' }), workDir: out }, deps);
    const controller = new AbortController();
    const opened = backend.open(incident, openOptions([], controller.signal));
    opened.catch(() => {}); // awaited below
    // Ctrl-C once the fake `kind create cluster` runs (it then hangs for 30 s)
    const creating = async () => (await fakes.calls()).find((call) => call.tool === 'kind' && call.args[0] === 'create');
    while ((await creating()) === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('interrupted by SIGINT'));
    await expect(opened).rejects.toThrow('interrupted by SIGINT');
    // the hanging `kind create cluster` was killed, not waited for: it never got to the end of its wait
    const create = (await creating())!;
    expect(create.pid).toBeDefined();
    expect(isAlive(create.pid!)).toBe(false);
    expect(await fakes.slowCallsFinished()).toEqual([]);
    const lines = await fakes.lines();
    expect(lines.slice(-3)).toEqual([expect.stringMatching(/^kind create cluster/), expect.stringMatching(/^kind delete cluster --name statuschaos/), 'docker network rm kind']);
  });

  test('--keep-cluster leaves the cluster it created, and says how to delete it', async () => {
    const { deps, seen } = fakeDeps();
    const progress: string[] = [];
    const backend = await kindBackend({ env: fakes.env(), workDir: out, keepCluster: true }, deps);
    await backend.open(incident, openOptions(progress));
    await backend.shutdown!();
    expect((await fakes.lines()).some((line) => line.startsWith('kind delete'))).toBe(false);
    expect(seen.toxiproxyStops).toBe(1); // Toxiproxy never outlives the run
    expect(progress.at(-1)).toContain('kept kind cluster statuschaos (--keep-cluster)');
    expect(progress.at(-1)).toContain('kind delete cluster --name statuschaos');
  });

  test('a cluster that already exists (a kept one) is used, not created, and never deleted', async () => {
    await existingCluster(fakes, 'statuschaos');
    const { deps } = fakeDeps();
    const backend = await kindBackend({ env: fakes.env(), workDir: out }, deps);
    await backend.open(incident, openOptions());
    await backend.shutdown!();
    const lines = await fakes.lines();
    expect(lines.some((line) => line.startsWith('kind create'))).toBe(false);
    expect(lines).toContain('kind get kubeconfig --name statuschaos');
    expect(lines.some((line) => line.startsWith('kind delete'))).toBe(false);
    expect(lines.some((line) => /^kubectl .*auth can-i create namespaces/.test(line))).toBe(true);
  });

  test('an existing cluster whose admin is refused (a leftover of a killed run) is a BackendError that says to delete it, and is not deleted', async () => {
    await existingCluster(fakes, 'statuschaos');
    const { deps } = fakeDeps();
    const backend = await kindBackend({ env: fakes.env({ FAKE_CAN_I: 'no' }), workDir: out }, deps);
    const refused = await backend.open(incident, openOptions()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackendError);
    expect((refused as BackendError).message).toMatch(/the existing kind cluster statuschaos cannot be used: its admin may not create namespaces/);
    expect((refused as BackendError).hint).toMatch(/kind delete cluster --name statuschaos/);
    await backend.shutdown!();
    expect((await fakes.lines()).some((line) => line.startsWith('kind delete'))).toBe(false);
  });

  test('--flink-image: no stub build; the image is loaded if Docker has it; the pod runs Flink in application mode with a TaskManager', async () => {
    const { deps, seen } = fakeDeps();
    const image = 'flink:1.20.1';
    const backend = await kindBackend({ env: fakes.env({ FAKE_DOCKER_IMAGES: image }), workDir: out, flinkImage: image }, deps);
    await backend.open(incident, openOptions());
    const lines = await fakes.lines();
    expect(lines.some((line) => line.startsWith('docker build'))).toBe(false);
    expect(lines.slice(-2)).toEqual([`docker image inspect --format {{.Id}} ${image}`, `kind load docker-image ${image} --name statuschaos`]);
    const cluster = seen.clusters[0]!;
    const { deployment } = workloadObjects({ namespace: 'ns', clusterId: 'flink-demo', image, startDelayMs: 300, labels: {}, ...cluster.workload!(incident, 0.1) });
    const [jobManager, taskManager] = deployment.spec!.template.spec!.containers;
    expect(jobManager!.command!.join(' ')).toContain(`standalone-job --job-classname org.apache.flink.streaming.examples.statemachine.StateMachineExample --job-id ${incident.app.jobs[0]!.jobId}`);
    expect(taskManager).toMatchObject({ name: 'taskmanager', image, args: ['taskmanager'] });
    await cluster.restartContainer('sc-ns', 'pod', { downtimeMs: 1_000 });
    expect((await fakes.calls()).at(-1)!.args.at(-1)).toBe('kill 1');
    await backend.shutdown!();
  });

  test.for([
    ['real-job-failure', /its fail-job at \d+s needs the REST stub's control endpoint/],
    ['session-rest-blip', /it runs 2 job\(s\) in session mode; a real Flink image runs one job in application mode/],
  ])('--flink-image refuses %s before creating anything', async ([name, reason]) => {
    const { deps } = fakeDeps();
    const [scenario] = await loadScenarios([join(root, 'scenarios', `${name}.yaml`)]);
    const backend = await kindBackend({ env: fakes.env(), workDir: out, flinkImage: 'flink:1.20.1' }, deps);
    const error = await backend.open(scenario!, openOptions()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(new RegExp(`^${name} cannot run on the real Flink image flink:1\\.20\\.1: `));
    expect((error as Error).message).toMatch(reason as RegExp);
    expect((await fakes.lines()).some((line) => line.startsWith('kind create'))).toBe(false);
  });
});

describe('what the REST stub image cannot restart into', () => {
  const base = (app: string, action = 'delete-jobmanager-pod') => `name: s\nduration: 2m\napp: ${app}\ntimeline:\n  - { at: 10s, action: ${action} }\n`;
  test.for([
    ['a new pod of a session cluster without HA (its jobs are lost)', base('{ mode: session, jobs: [a, b] }'), /must lose the session cluster's jobs/],
    ['a new pod of an application job without a fixed id (a new id)', base('{ fixedJobId: false }', 'evict-jobmanager-pod, listed: first'), /must give the job a new id/],
    ['a container restart without a fixed id: the stub counts its starts', base('{ fixedJobId: false }', 'restart-jobmanager'), undefined],
    ['a container restart of a session cluster without HA', base('{ mode: session, jobs: [a, b] }', 'restart-jobmanager'), undefined],
    ['a session cluster with HA', base('{ mode: session, jobs: [a, b], ha: true }'), undefined],
    ['the default: StreamPark fixes the job id', base('{}'), undefined],
  ] as const)('%s', ([, text, reason]) => {
    const verdict = unsupportedOnStub(parseScenario(text, 's.yaml'));
    if (reason === undefined) expect(verdict).toBeUndefined();
    else expect(verdict).toMatch(reason);
  });
});

describe('restart by kubectl exec', () => {
  let fakes: FakeTools;
  beforeEach(async () => void (fakes = await fakeTools(['kubectl'])));
  afterEach(() => fakes.cleanup());
  const target = (env: NodeJS.ProcessEnv) => ({ kubectl: 'kubectl', kubeconfigPath: '/tmp/kubeconfig', context: 'kind-x', env });

  test('the exec dying with the container it killed (exit 137) is a restart done', async () => {
    await expect(killMainProcess(target(fakes.env({ FAKE_EXEC_EXIT: '137' })), 'ns', 'jm-0')).resolves.toBeUndefined();
    expect(await fakes.lines()).toEqual(['kubectl --kubeconfig /tmp/kubeconfig --context kind-x --namespace ns exec jm-0 --container flink-main-container -- sh -c kill 1']);
  });

  test('a remote command that failed otherwise (exit 127: no kill in the image) is not taken for a restart', async () => {
    await expect(killMainProcess(target(fakes.env({ FAKE_EXEC_EXIT: '127' })), 'ns', 'jm-0')).rejects.toThrow(/exit code 127: command terminated with exit code 127/);
  });

  test('an exec that never ran (no such pod) is a BackendError with kubectl\'s words', async () => {
    const error = await killMainProcess(target(fakes.env({ FAKE_EXEC_NOT_FOUND: '1' })), 'ns', 'jm-0').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/^restarting the JobManager container of ns\/jm-0 failed: .* exit code 1: Error from server \(NotFound\): pods "jm-0" not found$/);
  });
});

describe('kind backend: missing tools exit 3 with what to install or start (CLI in-process)', () => {
  let fakes: FakeTools;
  let out: string;
  afterEach(async () => {
    await fakes.cleanup();
    await rm(out, { recursive: true, force: true });
  });

  async function run(tools: string[], extra: Record<string, string> = {}) {
    fakes = await fakeTools(tools);
    out = await mkdtemp(join(tmpdir(), 'statuschaos-kind-cli-'));
    let stderr = '';
    const code = await main(['run', '--backend', 'kind', '--out', out, incidentFile], { env: { ...fakes.env(extra) }, stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } });
    return { code, stderr };
  }

  test.for([
    ['kind missing', [], {}, /kind is not installed \(not found on PATH\)[\s\S]*hint: install kind \(https:\/\/kind\.sigs\.k8s\.io\/docs\/user\/quick-start\/#installation/],
    ['docker missing', ['kind'], {}, /docker is not installed \(not found on PATH\)[\s\S]*hint: install Docker \(https:\/\/docs\.docker\.com\/engine\/install\/\)/],
    ['a docker CLI with no daemon', ['kind', 'docker'], { FAKE_DOCKER_DAEMON: 'down' }, /the Docker daemon is not reachable \(`docker info` failed: Cannot connect to the Docker daemon[\s\S]*hint: start Docker/],
    ['kubectl missing', ['kind', 'docker'], {}, /kubectl is not installed \(not on PATH, not in \.tools\/bin\)[\s\S]*hint: install kubectl/],
  ] as const)('%s', async ([, tools, extra, message]) => {
    const { code, stderr } = await run([...tools], extra);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error: the backend could not run: /);
    expect(stderr).toMatch(message);
    expect((await fakes.lines()).some((line) => /^kind (create|delete)/.test(line))).toBe(false);
  });
});
