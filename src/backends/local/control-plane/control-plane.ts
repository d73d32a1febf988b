import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { apiServerArgs, controllerManagerArgs, ETCD_PROXY_NAME, etcdArgs, etcdProxyArgs, etcdProxyConfig, kwokArgs, schedulerArgs } from './components.ts';
import { createCredentials } from './credentials.ts';
import { createFakeNode, FAKE_NODE_NAME, isNodeReady } from './fake-node.ts';
import type { ApiAccess } from '../../shared/kube-access.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { freePorts } from './ports.ts';
import { startProcess, stopProcess, type ManagedProcess } from '../../../processes/processes.ts';
import { httpGet, waitFor } from './readiness.ts';
import { defaultToolsDir } from '../../shared/tools-dir.ts';
import { resolveTools, STAGES_DIR, type ControlPlaneTool } from './tools.ts';

/** Where the `etcd` fault target is: the control plane's own toxiproxy-server and its proxy. */
export interface EtcdProxy {
  /** Toxiproxy's API, http://127.0.0.1:<port> */
  apiUrl: string;
  /** the proxy's name there */
  name: string;
  /** 127.0.0.1:<port> kube-apiserver connects to */
  listen: string;
}

/** A running local control plane: real etcd, kube-apiserver, controller-manager and scheduler, plus kwok for one fake node. */
export interface ControlPlane {
  /** https://127.0.0.1:<port>, the real API server. */
  server: string;
  /** Bearer token of a cluster-admin user (group system:masters). */
  token: string;
  /** Kubeconfig in the run folder pointing at `server`, with the token and the CA data (TLS verified). */
  kubeconfigPath: string;
  /** PEM of the CA that signed the serving certificate. */
  caData: string;
  /** Folder with one log file per process. */
  logsDir: string;
  /** Tool versions: as recorded by `npm run tools`, and kube-apiserver as the server reports it. */
  versions: Record<string, string>;
  /** The name of the node kwok simulates. */
  nodeName: string;
  /** The Toxiproxy proxy kube-apiserver reaches etcd through (the `etcd` fault target). */
  etcdProxy: EtcdProxy;
  /** Every process started, with its PID (each leads its own process group). */
  processes: ReadonlyArray<{ name: string; pid: number }>;
  /** Kills every process started (whole process groups) and removes the temporary data; idempotent, never throws. */
  /** stop every process and remove the data; `at once`: SIGKILL without a grace period (a run that was interrupted: the data goes anyway) */
  stop(options?: { atOnce?: boolean }): Promise<void>;
}

export interface StartControlPlaneOptions {
  /** Run folder: logs go to `<runDir>/logs`, the kubeconfig to `<runDir>/kubeconfig`. */
  runDir: string;
  /** Folder holding `bin/` and `versions.json` (default: STATUSCHAOS_TOOLS_DIR or the repository's `.tools`). */
  toolsDir?: string;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /** keep the processes running after this Node process exits (`statuschaos cluster up`) */
  outliveHarness?: boolean;
}

// Deadlines for each readiness check; generous because two cores may also be running tests.
const ETCD_READY_MS = 20_000;
const APISERVER_READY_MS = 60_000;
const COMPONENTS_READY_MS = 45_000;

/** Starts the control plane and resolves once the API server is ready and the fake node is Ready; on failure stops what started and throws. */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const startedAt = performance.now();
  const progress = (message: string) => options.onProgress?.(message);
  const elapsed = () => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
  const runDir = resolve(options.runDir);
  const logsDir = join(runDir, 'logs');
  const dataDir = join(runDir, 'control-plane');
  const kubeconfigPath = join(runDir, 'kubeconfig');
  const signal = options.signal;

  const tools = await resolveTools(options.toolsDir ?? defaultToolsDir());
  await mkdir(logsDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });

  const processes: ManagedProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (stopOptions: { atOnce?: boolean } = {}): Promise<void> => (stopping ??= stopAll(processes, dataDir, progress, stopOptions.atOnce ? 0 : undefined));
  const start = (tool: ControlPlaneTool, args: string[], env?: Record<string, string>): ManagedProcess => {
    const process_ = startProcess(tool, tools.paths[tool], args, { logPath: join(logsDir, `${tool}.log`), ...(env === undefined ? {} : { env }), ...(options.outliveHarness ? { outliveHarness: true } : {}) });
    processes.push(process_);
    progress(`${tool}: started (pid ${process_.pid})`);
    return process_;
  };

  try {
    signal?.throwIfAborted();
    const credentials = await createCredentials(join(dataDir, 'pki'));
    const [etcdClientPort, etcdPeerPort, apiPort, controllerManagerPort, schedulerPort, etcdProxyApiPort, etcdProxyPort] = (await freePorts(7)) as [number, number, number, number, number, number, number];
    const access: ApiAccess = { server: `https://127.0.0.1:${apiPort}`, token: credentials.token, caData: credentials.caPem };
    await writeKubeconfig(kubeconfigPath, access);
    const serving = { servingCertPath: credentials.servingCertPath, servingKeyPath: credentials.servingKeyPath };

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const etcd = start('etcd', etcdArgs({ dataDir: join(dataDir, 'etcd'), clientPort: etcdClientPort, peerPort: etcdPeerPort }));
    await waitFor(
      `etcd health at ${etcdUrl}/health`,
      async () => {
        const { status, body } = await httpGet(`${etcdUrl}/health`);
        if (status === 200 && (JSON.parse(body) as { health?: string }).health === 'true') return true;
        throw new Error(`etcd /health answered ${status}: ${body.trim()}`);
      },
      { timeoutMs: ETCD_READY_MS, processes, owner: etcd, ...(signal === undefined ? {} : { signal }) },
    );
    progress(`etcd: ready at ${etcdUrl} (${elapsed()})`);

    const etcdProxy: EtcdProxy = { apiUrl: `http://127.0.0.1:${etcdProxyApiPort}`, name: ETCD_PROXY_NAME, listen: `127.0.0.1:${etcdProxyPort}` };
    const proxyConfigPath = join(dataDir, 'etcd-proxy.json');
    await writeFile(proxyConfigPath, etcdProxyConfig({ listenPort: etcdProxyPort, etcdClientPort }));
    const proxyServer = start('toxiproxy-server', etcdProxyArgs({ apiPort: etcdProxyApiPort, configPath: proxyConfigPath }));
    await waitFor(
      `the etcd proxy at ${etcdProxy.apiUrl}/proxies/${ETCD_PROXY_NAME}`,
      async () => {
        const { status, body } = await httpGet(`${etcdProxy.apiUrl}/proxies/${ETCD_PROXY_NAME}`);
        if (status === 200 && (JSON.parse(body) as { enabled?: boolean }).enabled === true) return true;
        throw new Error(`toxiproxy answered ${status}: ${body.trim().slice(0, 200)}`);
      },
      { timeoutMs: ETCD_READY_MS, processes, owner: proxyServer, ...(signal === undefined ? {} : { signal }) },
    );
    progress(`etcd proxy: ${etcdProxy.listen} → ${etcdUrl} (${elapsed()})`);

    const apiserver = start(
      'kube-apiserver',
      apiServerArgs({
        etcdUrl: `http://${etcdProxy.listen}`,
        port: apiPort,
        certDir: join(dataDir, 'apiserver'),
        ...serving,
        tokenFilePath: credentials.tokenFilePath,
        serviceAccountPublicKeyPath: credentials.serviceAccountPublicKeyPath,
        serviceAccountPrivateKeyPath: credentials.serviceAccountPrivateKeyPath,
      }),
    );
    const probe = (path: string) => httpGet(`${access.server}${path}`, { ca: access.caData, token: access.token });
    await waitFor(
      `kube-apiserver ${access.server}/readyz`,
      async () => {
        const { status, body } = await probe('/readyz');
        if (status === 200) return true;
        throw new Error(`/readyz answered ${status}: ${body.trim().split('\n').filter((l) => l.includes('failed')).join('; ') || body.trim().slice(0, 200)}`);
      },
      { timeoutMs: APISERVER_READY_MS, processes, owner: apiserver, intervalMs: 250, ...(signal === undefined ? {} : { signal }) },
    );
    progress(`kube-apiserver: ready at ${access.server} (${elapsed()})`);

    const component = { kubeconfigPath, ...serving };
    const controllerManager = start('kube-controller-manager', controllerManagerArgs({ ...component, port: controllerManagerPort }));
    const scheduler = start('kube-scheduler', schedulerArgs({ ...component, port: schedulerPort }));
    const stageFiles = (await readdir(STAGES_DIR)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(STAGES_DIR, f));
    // KWOK_WORKDIR keeps kwok away from a ~/.kwok/kwok.yaml that would add its own stages.
    const kwok = start('kwok', kwokArgs({ kubeconfigPath, stageFiles }), { KWOK_WORKDIR: join(dataDir, 'kwok') });
    await createFakeNode(access);

    const common = { timeoutMs: COMPONENTS_READY_MS, processes, ...(signal === undefined ? {} : { signal }) };
    const healthz = (port: number, name: string) => async () => {
      const { status, body } = await httpGet(`https://127.0.0.1:${port}/healthz`, { ca: access.caData });
      if (status === 200) return true;
      throw new Error(`${name} /healthz answered ${status}: ${body.trim().slice(0, 200)}`);
    };
    await Promise.all([
      waitFor(`node ${FAKE_NODE_NAME} Ready (kwok)`, () => isNodeReady(access), { ...common, owner: kwok }).then(() => progress(`kwok: node ${FAKE_NODE_NAME} Ready (${elapsed()})`)),
      waitFor('kube-controller-manager /healthz', healthz(controllerManagerPort, 'kube-controller-manager'), { ...common, owner: controllerManager }).then(() =>
        progress(`kube-controller-manager: healthy (${elapsed()})`),
      ),
      waitFor('kube-scheduler /healthz', healthz(schedulerPort, 'kube-scheduler'), { ...common, owner: scheduler }).then(() => progress(`kube-scheduler: healthy (${elapsed()})`)),
    ]);

    const reported = await probe('/version').then(({ body }) => (JSON.parse(body) as { gitVersion?: string }).gitVersion).catch(() => undefined);
    const versions: Record<string, string> = { ...tools.versions, ...(reported === undefined ? {} : { 'kube-apiserver': reported }) };
    progress(`control plane ready in ${elapsed()}`);
    return {
      ...access,
      kubeconfigPath,
      logsDir,
      versions,
      nodeName: FAKE_NODE_NAME,
      etcdProxy,
      processes: processes.map((p) => ({ name: p.name, pid: p.pid })),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The order processes stop in: the API server's clients first, then the API server, then the
 * etcd proxy, then etcd. etcd drains its open gRPC streams before exiting, so stopping it (or the
 * proxy in front of it) under a live API server would wait out the grace period.
 */
export function stopRank(name: string): number {
  return name === 'etcd' ? 3 : name === 'toxiproxy-server' ? 2 : name === 'kube-apiserver' ? 1 : 0;
}

/** Stops every process, tier by tier (stopRank), then removes the data folder. Never throws. */
async function stopAll(processes: readonly ManagedProcess[], dataDir: string, progress: (message: string) => void, graceMs?: number): Promise<void> {
  const tiers = [0, 1, 2, 3].map((rank) => processes.filter((p) => stopRank(p.name) === rank));
  for (const tier of tiers) await Promise.all(tier.map((p) => stopProcess(p, graceMs)));
  try {
    await rm(dataDir, { recursive: true, force: true });
  } catch (error) {
    progress(`could not remove ${dataDir}: ${(error as Error).message}`);
  }
  if (processes.length > 0) progress('control plane stopped');
}
