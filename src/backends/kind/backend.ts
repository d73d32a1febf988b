/**
 * The kind backend: the same live session as `local` (namespace, workload, proxies, truth), on a
 * kind cluster. kind creates the cluster from clusters/kind/config.yaml; the JobManager is a real
 * pod running the project's REST stub as an image (or a real Flink image, --flink-image); a
 * container restart kills its main process with `kubectl exec`; Toxiproxy runs on this machine in
 * front of the API server port and the REST NodePort. The cluster is deleted at the end, also
 * after a failure or Ctrl-C, unless --keep-cluster (a cluster that existed before is never deleted).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/types.ts';
import { BackendError, type Backend, type BackendSession, type BackendSettings, type OpenOptions } from '../backend.ts';
import { killMainProcess } from '../shared/exec-restart.ts';
import { apiClients, serverAddress } from '../shared/kube-access.ts';
import { LiveSession, type LiveCluster } from '../shared/live-session.ts';
import { podStartDelayMs } from '../shared/workload.ts';
import { startToxiproxyServer, type StartToxiproxyServerOptions, type ToxiproxyServer } from '../shared/toxiproxy/index.ts';
import { noteStarted } from '../../processes/leftovers.ts';
import { startBackendToxiproxy, startOnce } from '../shared/backend-toxiproxy.ts';
import { deleteKindCluster, ensureKindCluster } from './cluster.ts';
import type { CommandContext } from './commands.ts';
import { kindConfigPath, loadKindConfig, type KindConfig } from './config.ts';
import { containerFlink } from './container-flink.ts';
import { buildStubImage, hasLocalImage, loadImage, stubImageTag } from './image.ts';
import { checkKindTools, type KindTools } from './preflight.ts';
import { restartShellCommand } from './stub/protocol.ts';
import { flinkWorkload, stubWorkload, unsupportedOnRealFlink, unsupportedOnStub } from './workload.ts';

/** What the backend starts besides its commands; tests replace these (no API server, no Toxiproxy needed). */
export interface KindDeps {
  startToxiproxy(options: StartToxiproxyServerOptions): Promise<ToxiproxyServer>;
  openSession(cluster: LiveCluster, scenario: Scenario, options: OpenOptions): Promise<BackendSession>;
}

const defaultDeps: KindDeps = { startToxiproxy: startToxiproxyServer, openSession: (cluster, scenario, options) => LiveSession.open(cluster, scenario, options) };

/** `host:port` of the API server a kubeconfig points at (the `apiserver` proxy's upstream). */
export function apiServerAddress(kubeConfig: KubeConfig): string {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new BackendError('the kind kubeconfig has no current cluster');
  return serverAddress(server);
}

interface Owned {
  toxiproxy?: ToxiproxyServer;
  /** set as soon as `kind create` starts: an interrupted create is deleted too */
  createdCluster?: { name: string; kubeconfigPath: string; deleted: () => void };
}

/** Check kind, docker (and its daemon) and kubectl now, so a missing one fails before any work (exit 3). */
export async function kindBackend(settings: BackendSettings, deps: Partial<KindDeps> = {}): Promise<Backend> {
  const { startToxiproxy, openSession } = { ...defaultDeps, ...deps };
  const workDir = join(settings.workDir ?? join(process.cwd(), 'reports', 'kind-cluster'), 'kind');
  await mkdir(join(workDir, 'logs'), { recursive: true });
  const commands: CommandContext = { env: settings.env, logFile: join(workDir, 'logs', 'commands.log') };
  const tools = await checkKindTools(commands);
  const config = await loadKindConfig(kindConfigPath(settings.env));
  const kubeconfigPath = join(workDir, 'kubeconfig');
  let owned: Owned = {};
  let progress: (message: string) => void = () => {};

  const teardown = async (): Promise<void> => {
    const { toxiproxy, createdCluster } = owned;
    owned = {};
    const problems: string[] = [];
    if (toxiproxy) await toxiproxy.stop().catch((error: unknown) => problems.push(`stopping toxiproxy-server: ${String(error)}`));
    if (createdCluster && settings.keepCluster) {
      progress(`kept kind cluster ${createdCluster.name} (--keep-cluster): kubeconfig ${createdCluster.kubeconfigPath}; delete it with \`kind delete cluster --name ${createdCluster.name}\``);
    } else if (createdCluster) {
      progress(`deleting kind cluster ${createdCluster.name}`);
      await deleteKindCluster(commands, tools.kind, createdCluster.name, createdCluster.kubeconfigPath).then(createdCluster.deleted, (error: unknown) => problems.push(error instanceof Error ? error.message : String(error)));
    }
    if (problems.length > 0) throw new BackendError(`kind backend cleanup was incomplete: ${problems.join('; ')}`);
  };

  const start = async (options: OpenOptions): Promise<LiveCluster> => {
    progress = options.onProgress;
    const context: CommandContext = { ...commands, ...(options.signal ? { signal: options.signal } : {}) };
    try {
      return await bringUp(context, options);
    } catch (error) {
      await teardown().catch((cleanup: unknown) => options.onProgress(String(cleanup)));
      throw error;
    }
  };

  const bringUp = async (context: CommandContext, options: OpenOptions): Promise<LiveCluster> => {
    const began = performance.now();
    options.onProgress(`kind: cluster ${config.name} from ${config.path}`);
    const cluster = await ensureKindCluster(context, tools.kind, config, kubeconfigPath, () => (owned.createdCluster = { name: config.name, kubeconfigPath, deleted: noteStarted(`kind cluster ${config.name}: kind delete cluster --name ${config.name}`) }));
    if (!cluster.created) options.onProgress(`kind: using the existing cluster ${config.name} (not deleted at the end)`);
    const image = await prepareImage(context, tools, config, settings.flinkImage, options.onProgress);
    const toxiproxy = await startBackendToxiproxy(settings.env, join(workDir, 'logs', 'toxiproxy-server.log'), options.signal, startToxiproxy);
    owned.toxiproxy = toxiproxy;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfigPath);
    const kubectl = { kubectl: tools.kubectl, kubeconfigPath: cluster.kubeconfigPath, env: settings.env };
    const realFlink = settings.flinkImage !== undefined;
    options.onProgress(`kind: ready in ${((performance.now() - began) / 1000).toFixed(1)} s; API server ${apiServerAddress(kubeConfig)}, REST NodePort at ${config.restAddress}`);
    return {
      admin: apiClients(kubeConfig),
      apiServerAddress: apiServerAddress(kubeConfig),
      toxiproxy,
      image,
      runId: `run-${randomBytes(3).toString('hex')}`,
      metadata: { backend: 'kind', 'kind cluster': config.name, ...tools.versions, image, toxiproxy: toxiproxy.version, kubeconfig: cluster.kubeconfigPath },
      // a real kubelet decides the reason (Error, exit 143); the scenario's `reason` cannot be imposed
      restartContainer: (namespace, pod, restart) => killMainProcess(kubectl, namespace, pod, realFlink ? 'kill 1' : restartShellCommand(Date.now() + restart.downtimeMs)),
      workload: (scenario, timeScale) => (realFlink ? flinkWorkload(scenario, image) : stubWorkload(scenario, { timeScale, startDelayMs: podStartDelayMs(scenario, timeScale) })),
      flink: (flinkContext) => containerFlink(flinkContext, { restAddress: config.restAddress, controlAddress: realFlink ? undefined : config.controlAddress }),
    };
  };

  const liveCluster = startOnce(start);

  return {
    name: 'kind',
    async open(scenario, options) {
      const unsupported = settings.flinkImage === undefined ? undefined : unsupportedOnRealFlink(scenario);
      if (unsupported !== undefined) throw new BackendError(`${scenario.name} cannot run on the real Flink image ${settings.flinkImage}: ${unsupported}`, { hint: 'drop --flink-image to use the REST stub image' });
      const stubCannot = settings.flinkImage === undefined ? unsupportedOnStub(scenario) : undefined;
      if (stubCannot !== undefined) throw new BackendError(`${scenario.name} cannot run on kind's REST stub image: ${stubCannot}`, { hint: 'run it on the sim or local backend, or set `app.ha: true`' });
      return openSession(await liveCluster.get(options), scenario, options);
    },
    async shutdown() {
      liveCluster.reset();
      await teardown();
    },
  };
}

/** The JobManager image on the node: the REST stub, built and loaded; or a real Flink image, loaded if Docker has it (else the node pulls it). */
async function prepareImage(context: CommandContext, tools: KindTools, config: KindConfig, flinkImage: string | undefined, progress: (message: string) => void): Promise<string> {
  if (flinkImage !== undefined) {
    if (await hasLocalImage(context, tools.docker, flinkImage)) await loadImage(context, tools.kind, flinkImage, config.name);
    else progress(`kind: ${flinkImage} is not in the local Docker store; the node pulls it`);
    return flinkImage;
  }
  const tag = await stubImageTag();
  progress(`kind: building ${tag} and loading it into ${config.name}`);
  await buildStubImage(context, tools.docker, tag);
  await loadImage(context, tools.kind, tag, config.name);
  return tag;
}
