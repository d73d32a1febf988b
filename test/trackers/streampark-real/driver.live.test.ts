// The real-tracker driver (StreamPark 2.1.3 and 2.1.4's own console classes) against the local
// control plane: it says hello, takes a setup, finds the JobManager's REST endpoint through the
// `<clusterId>-rest` Service as StreamPark does, writes what StreamPark persists, and prints
// nothing but protocol lines. Both versions run at once, each with its own namespace.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTROL_PLANE_TOOLS, startControlPlane, type ControlPlane } from '../../../src/backends/local/control-plane/index.ts';
import { apiClients, tokenKubeConfig, type ApiClients } from '../../../src/backends/shared/kube-access.ts';
import { workloadObjects } from '../../../src/backends/shared/workload.ts';
import { STREAMPARK_TIMING } from '../../../src/models/timing.ts';
import { missingTools } from '../../support/tools.ts';
import { parseTrackerLine } from '../../../src/trackers/process/protocol.ts';
import { DriverProcess, missingStreamparkDriver } from '../../support/streampark-driver.ts';

const VERSIONS = ['2.1.3', '2.1.4'] as const;
const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** A JobManager's REST API reduced to what StreamPark's status poll reads: one RUNNING job. */
async function jobManager(): Promise<{ server: Server; port: number; polls: number[] }> {
  const polls: number[] = [];
  const server = createServer((request, response) => {
    if (request.url === '/jobs/overview') {
      polls.push(Date.now());
      const now = Date.now();
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ jobs: [{ jid: JOB_ID, name: 'statuschaos-job', state: 'RUNNING', 'start-time': now - 60_000, 'end-time': -1, duration: 60_000, 'last-modification': now, tasks: { total: 2, running: 2 } }] }));
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"errors":["Not found."]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, polls };
}

/**
 * The JobManager Deployment as Flink's native mode labels it, and its `-rest` Service shaped so
 * that Flink 1.14's KubernetesClusterDescriptor.retrieve gives http://127.0.0.1:<port>: a
 * LoadBalancer whose port is the REST port and whose status names 127.0.0.1 (docs/streampark-real.md).
 */
async function createJobManagerObjects(clients: ApiClients, namespace: string, clusterId: string, restPort: number): Promise<void> {
  await clients.core.createNamespace({ body: { metadata: { name: namespace } } });
  const { deployment } = workloadObjects({ namespace, clusterId, image: 'flink:1.14.4', startDelayMs: 1, labels: {} });
  await clients.apps.createNamespacedDeployment({ namespace, body: deployment });
  const selector = deployment.spec!.selector.matchLabels!;
  await clients.core.createNamespacedService({
    namespace,
    body: { metadata: { name: `${clusterId}-rest`, labels: selector }, spec: { type: 'LoadBalancer', selector, ports: [{ name: 'rest', port: restPort, targetPort: 8081 }] } },
  });
  await clients.core.patchNamespacedServiceStatus(
    { name: `${clusterId}-rest`, namespace, body: { status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

describe.skipIf(missingTools([...CONTROL_PLANE_TOOLS]) !== undefined || missingStreamparkDriver(VERSIONS) !== undefined)('the real StreamPark driver on the local control plane', () => {
  let runDir: string;
  let plane: ControlPlane;
  let clients: ApiClients;
  const drivers: DriverProcess[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    runDir = await mkdtemp(join(tmpdir(), 'statuschaos-streampark-driver-'));
    plane = await startControlPlane({ runDir });
    clients = apiClients(tokenKubeConfig(plane));
  });

  afterAll(async () => {
    for (const driver of drivers) driver.kill();
    await Promise.all(drivers.map((driver) => driver.exited));
    for (const server of servers) server.close();
    await plane?.stop();
    if (runDir !== undefined) await rm(runDir, { recursive: true, force: true });
  });

  test('each version tracks a job through the -rest Service, writes RUNNING, then FAILED when the deployment goes, and prints only protocol lines', async () => {
    const runs = await Promise.all(
      VERSIONS.map(async (version) => {
        const namespace = `driver-${version.replaceAll('.', '-')}`;
        const clusterId = 'flink-app';
        const rest = await jobManager();
        servers.push(rest.server);
        await createJobManagerObjects(clients, namespace, clusterId, rest.port);
        const workDir = join(runDir, `real-${version}`);
        const driver = await DriverProcess.start(version, workDir);
        drivers.push(driver);
        const hello = await driver.next('hello', 60_000);
        expect(hello).toMatchObject({ protocol: 1, tracker: `real-${version}` });
        expect(String(hello.version)).toContain(`StreamPark ${version}`);
        driver.send({
          type: 'setup', protocol: 1, tracker: `real-${version}`, restart: false,
          timing: STREAMPARK_TIMING, timeScale: 1,
          // STARTING: not an end state, so the wrapper's startup query keeps it; the first poll finds the job RUNNING
          apps: [{ appId: 'job-a', mode: 'application', namespace, clusterId, jobId: JOB_ID, state: 'STARTING', tracking: 1 }],
          endpoints: { kubeconfig: plane.kubeconfigPath, apiServer: plane.server, flinkRest: `http://127.0.0.1:${rest.port}` },
          workDir,
        });
        await driver.next('ready', 90_000);
        driver.send({ type: 'start', epochMs: Date.now(), timeScale: 1 });
        await driver.next('event', 30_000, (m) => m.name === 'watcher.registered');
        const running = await driver.next('write', 30_000, (m) => m.state === 'RUNNING');
        expect(running).toMatchObject({ appId: 'job-a', tracking: 1 });
        expect(String(running.cause)).toContain('FlinkK8sChangeEventListener.subscribeJobStatusChange');
        const url = await driver.next('event', 10_000, (m) => m.name === 'rest-url.resolved');
        expect(url.detail).toBe(`http://127.0.0.1:${rest.port}`);
        // the JobManager goes with its Deployment: StreamPark finds the deployment gone and no archive
        rest.server.close();
        rest.server.closeAllConnections();
        await clients.apps.deleteNamespacedDeployment({ name: clusterId, namespace });
        const failed = await driver.next('write', 30_000, (m) => m.state === 'FAILED');
        expect(failed).toMatchObject({ appId: 'job-a', tracking: 0 });
        await driver.next('alert', 5_000, (m) => m.state === 'FAILED');
        const rss = readFileSync(`/proc/${driver.child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)?.[1];
        driver.send({ type: 'cancel', appId: 'job-a', id: 'cancel-1' });
        const cancel = await driver.next('cancel.result', 5_000);
        expect(cancel).toMatchObject({ id: 'cancel-1', outcome: 'failed' });
        driver.send({ type: 'stop' });
        const exitCode = await Promise.race([driver.exited, new Promise((resolve) => setTimeout(() => resolve('no exit within 5 s'), 5_000))]);
        expect(exitCode).toBe(0);
        return { version, driver, firstPoll: rest.polls[0], rssMiB: Math.round(Number(rss) / 1024) };
      }),
    );
    for (const { driver, firstPoll, rssMiB } of runs) {
      // every line as the harness's own protocol schema reads it (src/trackers/process/protocol.ts)
      const garbage = driver.lines.map((line) => ({ line: line.raw, parsed: parseTrackerLine(line.raw) })).filter(({ parsed }) => !parsed.ok);
      expect(garbage).toEqual([]);
      for (const line of driver.lines.filter((l) => l.message!.type !== 'hello' && l.message!.type !== 'fatal')) expect(typeof line.message!.at).toBe('number');
      const ready = driver.lines.find((line) => line.message?.type === 'ready')!;
      console.log(`${driver.lines[0]?.message?.tracker}: after spawn hello ${driver.lines[0]!.receivedAt - driver.startedAt} ms, ready ${ready.receivedAt - driver.startedAt} ms, first poll ${firstPoll! - driver.startedAt} ms; peak RSS ${rssMiB} MiB`);
    }
  }, 170_000);

  test('a setup at a timing StreamPark hard-codes otherwise is refused with a fatal that says why', async () => {
    const driver = await DriverProcess.start('2.1.4', join(runDir, 'refused'));
    drivers.push(driver);
    await driver.next('hello', 60_000);
    driver.send({
      type: 'setup', protocol: 1, tracker: 'real-2.1.4', restart: false, timeScale: 0.1, timing: STREAMPARK_TIMING,
      apps: [{ appId: 'job-a', mode: 'application', namespace: 'n', clusterId: 'x', jobId: JOB_ID, state: 'RUNNING', tracking: 1 }],
      endpoints: { kubeconfig: plane.kubeconfigPath, apiServer: plane.server, flinkRest: 'http://127.0.0.1:9' }, workDir: join(runDir, 'refused'),
    });
    expect(await driver.exited).toBe(2);
    const fatal = driver.lines.find((line) => line.message?.type === 'fatal')?.message;
    expect(String(fatal?.message)).toMatch(/statusCacheTtlMs is 2000 ms of wall time, but StreamPark hard-codes 20000 ms/);
    expect(String(fatal?.message)).toMatch(/pollIntervalMs is 500 ms of wall time/);
  }, 90_000);
});
