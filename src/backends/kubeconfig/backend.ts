/**
 * The kubeconfig backend: an existing cluster, named by a kubeconfig file and an allow-listed
 * context. Each scenario runs in a namespace the harness creates with its ownership label and
 * deletes at the end; the harness's client is fenced to those namespaces (namespace-fence.ts).
 * The JobManager pod runs on whatever nodes the cluster has (kwok nodes or kubelets); the Flink
 * REST endpoint is the in-process stub on 127.0.0.1, as on the local backend, because an
 * arbitrary cluster's pods are not reachable from this machine. Toxiproxy runs here, in front of
 * the API server and the stub.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { VersionApi } from '@kubernetes/client-node';
import { BackendError, type Backend, type BackendSettings, type OpenOptions } from '../backend.ts';
import { findKubectl, type KubectlTarget } from '../shared/exec-restart.ts';
import { serverAddress, throughProxy, type ApiClients } from '../shared/kube-access.ts';
import { writeFileAtomically } from '../../record/safe-files.ts';
import { LiveSession, type LiveCluster } from '../shared/live-session.ts';
import { deleteNamespace } from '../shared/namespaces.ts';
import type { ToxiproxyServer } from '../shared/toxiproxy/index.ts';
import { startBackendToxiproxy, startOnce } from '../shared/backend-toxiproxy.ts';
import { FencedKubeConfig, fencedApiClients, NamespaceFence } from './namespace-fence.ts';
import { containerRestarter } from './restart.ts';
import { resolveKubeconfigTarget, singleContextKubeconfig, type KubeconfigTarget } from './target.ts';

/** The JobManager image when --flink-image is not given (pulled only on real kubelets). */
const DEFAULT_IMAGE = 'flink:1.15.3';
const REACH_TIMEOUT_MS = 15_000;
const NAMESPACE_DELETE_WAIT_MS = 30_000;
/** The kubeconfig kubectl gets, in the run's logs folder (mode 0600, removed at the end). */
const KUBECTL_KUBECONFIG = '.kubectl-kubeconfig';

export interface KubeconfigBackend extends Backend {
  /** the run's fenced admin clients (every request checked by the namespace fence) */
  readonly admin: ApiClients;
  readonly fence: NamespaceFence;
  shutdown(): Promise<void>;
}

/** Ask the API server its version (through the fence), bounded in time. */
async function reachApiServer(admin: ApiClients, target: KubeconfigTarget): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REACH_TIMEOUT_MS / 1000} s`)), REACH_TIMEOUT_MS);
  });
  try {
    const version = await Promise.race([admin.kubeConfig.makeApiClient(VersionApi).getCode(), timeout]);
    return version.gitVersion;
  } catch (error) {
    throw new BackendError(`cannot reach the API server of context \`${target.context}\` at ${target.server}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `check that the cluster runs: kubectl --kubeconfig ${target.file} --context ${target.context} get --raw /version`,
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Check the kubeconfig, context and allow-list now (UserError, exit 2); connect on the first scenario. */
export function kubeconfigBackend(settings: BackendSettings): KubeconfigBackend {
  const target = resolveKubeconfigTarget(settings);
  const runId = `run-${randomBytes(3).toString('hex')}`;
  const fence = new NamespaceFence(runId);
  const kubeConfig = new FencedKubeConfig(fence);
  target.load(kubeConfig); // the file as it was checked: never read again
  const admin = fencedApiClients(kubeConfig);
  const logsDir = join(settings.workDir ?? join(process.cwd(), 'reports', 'kubeconfig'), 'logs');
  let toxiproxy: ToxiproxyServer | undefined;

  // kubectl gets the checked context only, in a file of the run's folder that only this user may
  // read, removed at the end (the user's kubeconfig may have changed since it was checked)
  const kubectlConfig = join(logsDir, KUBECTL_KUBECONFIG);
  let kubectl: Promise<KubectlTarget> | undefined;
  const kubectlTarget = () =>
    (kubectl ??= findKubectl(settings.env).then(async (found) => {
      if (found === undefined) throw new BackendError('restart-jobmanager on a real kubelet needs kubectl (`kubectl exec`), and none was found in .tools/bin or on PATH', { hint: 'build it with `npm run tools`, or install kubectl' });
      await mkdir(logsDir, { recursive: true });
      await writeFileAtomically(logsDir, KUBECTL_KUBECONFIG, singleContextKubeconfig(target), 0o600);
      return { kubectl: found, kubeconfigPath: kubectlConfig, context: target.context, env: settings.env };
    }));

  const start = async (options: OpenOptions): Promise<LiveCluster> => {
    const version = await reachApiServer(admin, target);
    await mkdir(logsDir, { recursive: true });
    toxiproxy = await startBackendToxiproxy(settings.env, join(logsDir, 'toxiproxy-server.log'), options.signal);
    options.onProgress(`kubeconfig: context ${target.context} (${target.server}, ${version}); namespaces labelled ${runId}`);
    return {
      admin,
      apiServerAddress: serverAddress(target.server),
      toxiproxy,
      image: settings.flinkImage ?? DEFAULT_IMAGE,
      runId,
      metadata: { backend: 'kubeconfig', context: target.context, 'kube-apiserver': version, toxiproxy: toxiproxy.version },
      restartContainer: containerRestarter(admin, fence, kubectlTarget),
      // the trackers' own client: through the proxy, fenced to reads in the run's namespaces
      trackerKubeConfig: (proxyUrl) => throughProxy(kubeConfig, proxyUrl, new FencedKubeConfig(fence, { reader: true })),
    };
  };

  const liveCluster = startOnce(start);

  return {
    name: 'kubeconfig',
    admin,
    fence,
    async open(scenario, options) {
      return LiveSession.open(await liveCluster.get(options), scenario, options);
    },
    /** Stop Toxiproxy, and make sure no namespace of this run is left (each session deletes its own; this catches the rest). */
    async shutdown() {
      liveCluster.reset();
      const problems: string[] = [];
      const server = toxiproxy;
      toxiproxy = undefined;
      if (server) await server.stop().catch((error: unknown) => problems.push(`stopping toxiproxy-server: ${String(error)}`));
      await rm(kubectlConfig, { force: true });
      for (const name of fence.ownedNamespaces()) {
        await deleteNamespace(admin, name, NAMESPACE_DELETE_WAIT_MS).catch((error: unknown) => problems.push(`deleting namespace ${name}: ${error instanceof Error ? error.message : String(error)}`));
      }
      if (problems.length > 0) throw new BackendError(`kubeconfig backend cleanup was incomplete: ${problems.join('; ')}`);
    },
  };
}
