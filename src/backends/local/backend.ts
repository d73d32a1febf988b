/**
 * The local backend: a real control plane built from registry packages (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok) and a real Toxiproxy, as processes on
 * 127.0.0.1, started once per run and shared by its scenarios (each gets its own namespace).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../../errors/user-error.ts';
import { BackendError, type Backend, type BackendSettings, type OpenOptions } from '../backend.ts';
import { apiClients, tokenKubeConfig } from '../shared/kube-access.ts';
import { LiveSession, type LiveCluster } from '../shared/live-session.ts';
import type { ToxiproxyServer } from '../shared/toxiproxy/index.ts';
import { startBackendToxiproxy, startOnce } from '../shared/backend-toxiproxy.ts';
import { requestContainerRestartVia } from '../shared/kwok-restart.ts';
import { startControlPlane, type ControlPlane, type EtcdProxy } from './control-plane/index.ts';
import { liveProcesses, loadClusterState } from './cluster-state.ts';
import { loadFlinkInstall } from './flink/flink-install.ts';
import { realFlinkSide, unscaledDurations } from './flink/real-flink-side.ts';

/** A control plane for a run; one `cluster up` started before the etcd proxy existed has none. */
type AcquiredControlPlane = Omit<ControlPlane, 'etcdProxy'> & { etcdProxy: EtcdProxy | undefined };

/** The control plane `cluster up` left running (never stopped by a run), or a new one for this run. */
async function acquireControlPlane(settings: BackendSettings, workDir: string, options: OpenOptions): Promise<AcquiredControlPlane> {
  if (settings.clusterDir !== undefined) {
    const kept = await loadClusterState(settings.clusterDir);
    if (kept === undefined || liveProcesses(kept).length < kept.processes.length) {
      throw new BackendError(`no running control plane in ${settings.clusterDir}`, { hint: `start one with \`statuschaos cluster up --cluster-dir ${settings.clusterDir}\`, or drop --cluster-dir` });
    }
    options.onProgress(`using the control plane of ${settings.clusterDir} (${kept.server})`);
    return { ...kept, etcdProxy: kept.etcdProxy, nodeName: 'statuschaos-node', stop: async () => {} }; // not ours to stop
  }
  try {
    return await startControlPlane({ runDir: join(workDir, 'cluster'), onProgress: options.onProgress, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BackendError(`the local control plane did not start: ${message}`, { hint: /missing|not found|ENOENT|npm run tools/i.test(message) ? 'build the tools first: `npm run tools`' : `see the logs in ${join(workDir, 'cluster', 'logs')}`, cause: error });
  }
}

interface Shared {
  controlPlane: AcquiredControlPlane;
  toxiproxy: ToxiproxyServer;
  cluster: LiveCluster;
}

export function localBackend(settings: BackendSettings): Backend {
  let started: Partial<Shared> = {};
  let signal: AbortSignal | undefined;
  const workDir = settings.workDir ?? join(process.cwd(), 'reports', 'local-cluster');

  const start = async (options: OpenOptions): Promise<Shared> => {
    // checked before anything starts: a missing Flink build is not worth a control plane
    const flinkInstall = settings.flink === 'real' ? loadFlinkInstall(settings.env) : undefined;
    signal = options.signal;
    const began = performance.now();
    const controlPlane = await acquireControlPlane(settings, workDir, options);
    started.controlPlane = controlPlane; // its processes are killed on exit by the control plane itself
    const startSeconds = ((performance.now() - began) / 1000).toFixed(1);
    await mkdir(join(workDir, 'cluster', 'logs'), { recursive: true });
    const toxiproxy = await startBackendToxiproxy(settings.env, join(workDir, 'cluster', 'logs', 'toxiproxy-server.log'), options.signal);
    started.toxiproxy = toxiproxy; // execa kills it if this process exits without stop()
    const admin = apiClients(tokenKubeConfig(controlPlane));
    const cluster: LiveCluster = {
      admin,
      apiServerAddress: new URL(controlPlane.server).host,
      toxiproxy,
      ...(controlPlane.etcdProxy === undefined ? {} : { etcdProxy: { apiUrl: controlPlane.etcdProxy.apiUrl, name: controlPlane.etcdProxy.name } }),
      image: 'flink:1.15.3',
      runId: `run-${randomBytes(3).toString('hex')}`,
      metadata: { backend: 'local', 'control plane start (s)': startSeconds, ...controlPlane.versions, toxiproxy: toxiproxy.version, logs: controlPlane.logsDir, flink: flinkInstall ? `real ${flinkInstall.version} (application cluster, JVMs)` : 'REST stub' },
      restartContainer: (namespace, podName, restart) => requestContainerRestartVia(admin.core, namespace, podName, restart),
      imitatesKubelet: true, // kwok restarts at once; a kubelet takes a moment (kubelet.ts)
      restThroughLoadBalancer: true,
      ...(flinkInstall ? { flink: (context) => realFlinkSide(context, { install: flinkInstall, env: settings.env }) } : {}),
    };
    return { controlPlane, toxiproxy, cluster };
  };

  const stopStarted = async () => {
    const { toxiproxy, controlPlane } = started;
    started = {};
    if (toxiproxy) await toxiproxy.stop();
    // interrupted: kill at once rather than wait for graceful exits, the cluster's data is deleted anyway
    if (controlPlane) await controlPlane.stop({ atOnce: signal?.aborted === true });
  };

  // A start that failed half-way stops what it had started, so the next scenario starts afresh.
  const shared = startOnce(async (options: OpenOptions) => {
    try {
      return await start(options);
    } catch (error) {
      await stopStarted().catch(() => {});
      throw error;
    }
  });

  return {
    name: 'local',
    async open(scenario, options) {
      if (settings.flink === 'real' && scenario.app.mode !== 'application') {
        throw new UserError(`${scenario.file}: --flink real runs application-mode scenarios only; ${scenario.name} is in session mode`, { hint: 'run it without --flink real (the REST stub)' });
      }
      const { cluster } = await shared.get(options);
      const session = await LiveSession.open(cluster, scenario, options);
      if (settings.flink === 'real') Object.assign(session.metadata, unscaledDurations(options.timeScale));
      return session;
    },
    async shutdown() {
      shared.reset();
      await stopStarted();
    },
  };
}
