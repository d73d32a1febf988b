/**
 * The kind backend: the same live session as `local` (namespace, workload, proxies, truth), on a
 * kind cluster whose kubelet restarts a real JobManager container. kind creates the cluster from
 * clusters/kind/config.yaml and the node image `npm run tools` built (host-setup.ts prints what
 * this host needs beyond that); the JobManager is a real pod running the project's REST stub as an
 * image, or real Flink (`--flink real`: the Flink image `npm run tools` built; `--flink-image`: an
 * official Flink image). A container restart kills its main process with `kubectl exec`, a crash
 * loop makes every start fail; Toxiproxy runs on this machine in front of the API server port and
 * the REST NodePort. At the end the cluster, the network kind made for it and the stub image the
 * run built are removed, also after a failure or Ctrl-C, unless --keep-cluster (a cluster that
 * existed before is never deleted); a Docker engine the run started is stopped.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import type { Scenario } from '../../scenario/types.ts';
import { BackendError, type Backend, type BackendSession, type BackendSettings, type OpenOptions } from '../backend.ts';
import { execInPod, killMainProcess } from '../shared/exec-restart.ts';
import { apiClients, serverAddress } from '../shared/kube-access.ts';
import { LiveSession, type LiveCluster } from '../shared/live-session.ts';
import { podStartDelayMs } from '../shared/workload.ts';
import { startToxiproxyServer, type StartToxiproxyServerOptions, type ToxiproxyServer } from '../shared/toxiproxy/index.ts';
import { noteStarted } from '../../processes/leftovers.ts';
import { startBackendToxiproxy, startOnce } from '../shared/backend-toxiproxy.ts';
import { assertReusableCluster, deleteKindCluster, ensureKindCluster, hasDockerNetwork, kindNetworkName, removeDockerNetwork } from './cluster.ts';
import type { CommandContext } from './commands.ts';
import { kindConfigPath, loadKindConfig } from './config.ts';
import { containerFlink } from './container-flink.ts';
import type { DockerEngineLease } from './docker-engine.ts';
import { imageFlinkInstall, realFlinkWorkload, triggerShellCommand, unsupportedOnImageFlink } from './flink-workload.ts';
import { defaultHostDeps, dockerEngine, setUpHost, type HostDeps } from './host-setup.ts';
import { removeImage as removeBuiltImage } from './image.ts';
import { prepareImage } from './prepare-image.ts';
import { checkKindTools } from './preflight.ts';
import { crashLoopShellCommand, restartShellCommand } from './stub/protocol.ts';
import { readToolImages } from './tools-images.ts';
import { flinkWorkload, stubWorkload, unsupportedOnRealFlink, unsupportedOnStub } from './workload.ts';

/** What the backend starts besides its commands; tests replace these (no API server, no Toxiproxy, no Docker engine needed). */
export interface KindDeps extends HostDeps {
  startToxiproxy(options: StartToxiproxyServerOptions): Promise<ToxiproxyServer>;
  openSession(cluster: LiveCluster, scenario: Scenario, options: OpenOptions): Promise<BackendSession>;
}

const defaultDeps: KindDeps = { ...defaultHostDeps, startToxiproxy: startToxiproxyServer, openSession: (cluster, scenario, options) => LiveSession.open(cluster, scenario, options) };

/** `host:port` of the API server a kubeconfig points at (the `apiserver` proxy's upstream). */
export function apiServerAddress(kubeConfig: KubeConfig): string {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new BackendError('the kind kubeconfig has no current cluster');
  return serverAddress(server);
}

interface Owned {
  engine?: DockerEngineLease;
  toxiproxy?: ToxiproxyServer;
  /** set as soon as `kind create` starts: an interrupted create is deleted too */
  createdCluster?: { name: string; kubeconfigPath: string; kindEnv: NodeJS.ProcessEnv; network?: string; deleted: () => void };
  /** the stub image this run built */
  builtImage?: string;
}

/** Check kind, docker and kubectl now, so a missing one fails before any work (exit 3). */
export async function kindBackend(settings: BackendSettings, deps: Partial<KindDeps> = {}): Promise<Backend> {
  const { startToxiproxy, openSession, ...hostDeps } = { ...defaultDeps, ...deps };
  const workDir = join(settings.workDir ?? join(process.cwd(), 'reports', 'kind-cluster'), 'kind');
  await mkdir(join(workDir, 'logs'), { recursive: true });
  const commands: CommandContext = { env: settings.env, logFile: join(workDir, 'logs', 'commands.log') };
  const tools = await checkKindTools(commands);
  const config = await loadKindConfig(kindConfigPath(settings.env));
  const realFlink = settings.flink === 'real';
  const images = await readToolImages(settings.env);
  if (realFlink && images.flink === undefined) throw new BackendError(`--flink real on kind needs the Flink image \`npm run tools\` builds, and ${images.file} names none`, { hint: 'run `npm run tools` (as root, with a JDK 17 and Maven)' });
  const kubeconfigPath = join(workDir, 'kubeconfig');
  let owned: Owned = {};
  let progress: (message: string) => void = () => {};

  /** `failed`: the bring-up failed, so there is no cluster worth keeping (--keep-cluster keeps only a working one). */
  const teardown = async (failed = false): Promise<void> => {
    const { engine, toxiproxy, createdCluster, builtImage } = owned;
    const keep = settings.keepCluster === true && !failed;
    owned = {};
    const problems: string[] = [];
    const attempt = (step: Promise<unknown>) => step.catch((error: unknown) => problems.push(error instanceof Error ? error.message : String(error)));
    if (toxiproxy) await attempt(toxiproxy.stop());
    if (createdCluster && keep) {
      progress(`kept kind cluster ${createdCluster.name} (--keep-cluster): kubeconfig ${createdCluster.kubeconfigPath}; delete it with \`kind delete cluster --name ${createdCluster.name}\``);
    } else if (createdCluster) {
      progress(`deleting kind cluster ${createdCluster.name}`);
      const context = { ...commands, env: createdCluster.kindEnv };
      await attempt(deleteKindCluster(context, tools.kind, createdCluster.name, createdCluster.kubeconfigPath).then(createdCluster.deleted));
      if (createdCluster.network) await attempt(removeDockerNetwork(commands, tools.docker, createdCluster.network));
    }
    if (builtImage) await attempt(removeImage(builtImage));
    if (engine && !(createdCluster && keep)) {
      const said = await engine.release().catch((error: unknown) => `docker: ${String(error)}`);
      if (said) progress(`kind: ${said}`);
    } else if (engine?.started) progress(`kind: dockerd (pid ${engine.started.pid}) left running for the kept cluster; stop it with \`kill ${engine.started.pid}\` once the cluster is deleted`);
    if (problems.length > 0) throw new BackendError(`kind backend cleanup was incomplete: ${problems.join('; ')}`);
  };
  const removeImage = (image: string) => removeBuiltImage(commands, tools.docker, image);

  const start = async (options: OpenOptions): Promise<LiveCluster> => {
    progress = options.onProgress;
    const context: CommandContext = { ...commands, ...(options.signal ? { signal: options.signal } : {}) };
    try {
      return await bringUp(context, options);
    } catch (error) {
      await teardown(true).catch((cleanup: unknown) => options.onProgress(String(cleanup)));
      throw error;
    }
  };

  const bringUp = async (context: CommandContext, options: OpenOptions): Promise<LiveCluster> => {
    const began = performance.now();
    owned.engine = await dockerEngine(hostDeps, context, workDir, options.onProgress);
    tools.versions.docker = owned.engine.version;
    const host = await setUpHost(hostDeps, context, tools.docker, config, images, workDir, options.onProgress);
    options.onProgress(`kind: cluster ${config.name} from ${host.configPath}`);
    const network = kindNetworkName(settings.env);
    const networkExisted = await hasDockerNetwork(context, tools.docker, network);
    const cluster = await ensureKindCluster({ ...context, env: host.kindEnv }, tools.kind, config, { configPath: host.configPath, ...(host.nodeImage ? { image: host.nodeImage } : {}) }, kubeconfigPath, () => {
      owned.createdCluster = { name: config.name, kubeconfigPath, kindEnv: host.kindEnv, ...(networkExisted ? {} : { network }), deleted: noteStarted(`kind cluster ${config.name}: kind delete cluster --name ${config.name}`) };
    });
    const createdSeconds = ((performance.now() - began) / 1000).toFixed(1);
    if (!cluster.created) {
      options.onProgress(`kind: using the existing cluster ${config.name} (not deleted at the end)`);
      await assertReusableCluster(context, tools.kubectl, cluster);
    }
    // kind runs `docker exec --privileged` into the node (kind load): through the shim too
    const { image } = await prepareImage({ ...context, env: host.kindEnv }, tools, config, { flinkImage: settings.flinkImage, realFlink: realFlink ? images.flink : undefined, stubBase: images.nodeRuntime }, options.onProgress, (built) => (owned.builtImage = built));
    const toxiproxy = await startBackendToxiproxy(settings.env, join(workDir, 'logs', 'toxiproxy-server.log'), options.signal, startToxiproxy);
    owned.toxiproxy = toxiproxy;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cluster.kubeconfigPath);
    const kubectl = { kubectl: tools.kubectl, kubeconfigPath: cluster.kubeconfigPath, env: settings.env };
    const flinkInstall = realFlink ? imageFlinkInstall(settings.env) : undefined;
    const stub = !realFlink && settings.flinkImage === undefined;
    options.onProgress(`kind: ready in ${((performance.now() - began) / 1000).toFixed(1)} s (cluster ${createdSeconds} s); API server ${apiServerAddress(kubeConfig)}, REST NodePort at ${config.restAddress}`);
    return {
      admin: apiClients(kubeConfig),
      apiServerAddress: apiServerAddress(kubeConfig),
      toxiproxy,
      image,
      runId: `run-${randomBytes(3).toString('hex')}`,
      metadata: { backend: 'kind', 'kind cluster': config.name, ...tools.versions, ...host.metadata, image, toxiproxy: toxiproxy.version, kubeconfig: cluster.kubeconfigPath, flink: realFlink ? `real (${image})` : stub ? 'REST stub image' : `image ${image}` },
      // a real kubelet decides the reason (Error, exit 143); the scenario's `reason` cannot be imposed
      restartContainer: (namespace, pod, restart) => killMainProcess(kubectl, namespace, pod, settings.flinkImage !== undefined ? 'kill 1' : restartShellCommand(Date.now() + restart.downtimeMs)),
      restThroughLoadBalancer: true,
      ...(settings.flinkImage === undefined ? { crashLoopContainer: (namespace: string, pod: string) => killMainProcess(kubectl, namespace, pod, crashLoopShellCommand()) } : {}),
      workload: (scenario, timeScale) => (flinkInstall ? realFlinkWorkload(scenario, flinkInstall, image) : settings.flinkImage !== undefined ? flinkWorkload(scenario, image) : stubWorkload(scenario, { timeScale, startDelayMs: podStartDelayMs(scenario, timeScale) })),
      flink: (flinkContext) =>
        containerFlink(flinkContext, {
          restAddress: config.restAddress,
          controlAddress: stub ? config.controlAddress : undefined,
          ...(realFlink ? { trigger: (verb: 'fail' | 'finish') => execInPod(kubectl, flinkContext.namespace ?? '', `deployment/${flinkContext.app.clusterId}`, triggerShellCommand(flinkContext.app, verb), 'taskmanager') } : {}),
        }),
    };
  };

  const liveCluster = startOnce(start);

  return {
    name: 'kind',
    async open(scenario, options) {
      const refusal = realFlink ? unsupportedOnImageFlink(scenario) : settings.flinkImage !== undefined ? unsupportedOnRealFlink(scenario) : unsupportedOnStub(scenario);
      if (refusal !== undefined) {
        const on = realFlink ? 'kind\'s real Flink (--flink real)' : settings.flinkImage !== undefined ? `the real Flink image ${settings.flinkImage}` : 'kind\'s REST stub image';
        throw new BackendError(`${scenario.name} cannot run on ${on}: ${refusal}`, { hint: realFlink || settings.flinkImage !== undefined ? 'drop --flink real / --flink-image to use the REST stub image' : 'run it on the sim or local backend, or set `app.ha: true`' });
      }
      return openSession(await liveCluster.get(options), scenario, options);
    },
    async shutdown() {
      liveCluster.reset();
      await teardown();
    },
  };
}
