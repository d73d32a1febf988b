/**
 * The local backend: a real control plane built from registry packages (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok) and a real Toxiproxy, as processes on
 * 127.0.0.1, started once per run and shared by its scenarios (each gets its own namespace).
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BackendError, type Backend, type OpenOptions } from '../backend.ts';
import type { BackendSettings } from '../registry.ts';
import { apiClients, tokenKubeConfig } from '../shared/kube-access.ts';
import { LiveSession, type LiveCluster } from '../shared/live-session.ts';
import { guardProcessGroup, releaseProcessGroup } from '../shared/process-guard.ts';
import { defaultToxiproxyBinary, startToxiproxyServer, type ToxiproxyServer } from '../shared/toxiproxy/index.ts';
import { requestContainerRestartVia, startControlPlane, type ControlPlane } from './control-plane/index.ts';
import type { Scenario } from '../../scenario/types.ts';

/** Wall time a replacement JobManager pod stays Pending: the scenario's pod downtime, scaled. */
export function podStartDelayMs(scenario: Scenario, timeScale: number): number {
  const deletion = scenario.actions.find((action) => action.action === 'delete-jobmanager-pod');
  return deletion?.downtimeMs === undefined ? 300 : deletion.downtimeMs * timeScale;
}

interface Shared {
  controlPlane: ControlPlane;
  toxiproxy: ToxiproxyServer;
  cluster: LiveCluster;
}

export function localBackend(settings: BackendSettings): Backend {
  let shared: Promise<Shared> | undefined;
  let started: Partial<Shared> = {};
  const workDir = settings.workDir ?? join(process.cwd(), 'reports', 'local-cluster');

  const start = async (options: OpenOptions): Promise<Shared> => {
    const began = performance.now();
    let controlPlane: ControlPlane;
    try {
      controlPlane = await startControlPlane({ runDir: join(workDir, 'cluster'), onProgress: options.onProgress, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new BackendError(`the local control plane did not start: ${message}`, { hint: /missing|not found|ENOENT|npm run tools/i.test(message) ? 'build the tools first: `npm run tools`' : `see the logs in ${join(workDir, 'cluster', 'logs')}`, cause: error });
    }
    started.controlPlane = controlPlane;
    for (const { pid } of controlPlane.processes) guardProcessGroup(pid);
    const startSeconds = ((performance.now() - began) / 1000).toFixed(1);
    let toxiproxy: ToxiproxyServer;
    try {
      toxiproxy = await startToxiproxyServer({ binary: defaultToxiproxyBinary(settings.env), logFile: join(workDir, 'cluster', 'logs', 'toxiproxy-server.log'), ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      throw new BackendError(`toxiproxy-server did not start: ${error instanceof Error ? error.message : String(error)}`, { hint: 'build the tools first: `npm run tools`', cause: error });
    }
    started.toxiproxy = toxiproxy;
    guardProcessGroup(toxiproxy.pid);
    const admin = apiClients(tokenKubeConfig(controlPlane));
    const cluster: LiveCluster = {
      admin,
      apiServerAddress: new URL(controlPlane.server).host,
      toxiproxy,
      image: 'flink:1.15.3',
      runId: `run-${randomBytes(3).toString('hex')}`,
      metadata: { backend: 'local', 'control plane start (s)': startSeconds, ...controlPlane.versions, toxiproxy: toxiproxy.version, logs: controlPlane.logsDir },
      restartContainer: (namespace, podName, restart) => requestContainerRestartVia(admin.core, namespace, podName, restart),
      podStartDelayMs,
    };
    return { controlPlane, toxiproxy, cluster };
  };

  return {
    name: 'local',
    async open(scenario, options) {
      shared ??= start(options);
      const { cluster } = await shared;
      return LiveSession.open(cluster, scenario, options);
    },
    async shutdown() {
      const { toxiproxy, controlPlane } = started;
      started = {};
      shared = undefined;
      if (toxiproxy) {
        await toxiproxy.stop();
        releaseProcessGroup(toxiproxy.pid);
      }
      if (controlPlane) {
        await controlPlane.stop();
        for (const { pid } of controlPlane.processes) releaseProcessGroup(pid);
      }
    },
  };
}
