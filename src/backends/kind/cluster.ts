/**
 * The kind cluster's life: create it from the config (or reuse one of that name, which is then
 * never deleted), write its kubeconfig into the run folder (the user's ~/.kube/config is not
 * touched), and delete it.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { BackendError } from '../backend.ts';
import { runCommand, type CommandContext } from './commands.ts';
import type { KindConfig } from './config.ts';

export interface KindCluster {
  name: string;
  /** kubeconfig of the cluster's admin, in the run folder (mode 0600) */
  kubeconfigPath: string;
  /** created by this run (false: it existed, e.g. left by --keep-cluster, and is left alone) */
  created: boolean;
}

/** How long `kind create cluster` may wait for the node to be Ready. */
const CREATE_WAIT = '3m';

/** Names of the kind clusters on this machine. */
export async function kindClusters(context: CommandContext, kind: string): Promise<string[]> {
  const out = await runCommand(context, kind, ['get', 'clusters'], { purpose: 'listing kind clusters' });
  return out.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * Create the cluster, unless one of that name exists; `onCreating` is called before `kind create`
 * starts, so that a create interrupted half-way is still deleted.
 */
export async function ensureKindCluster(context: CommandContext, kind: string, config: KindConfig, create: { configPath: string; image?: string }, kubeconfigPath: string, onCreating: () => void): Promise<KindCluster> {
  const exists = (await kindClusters(context, kind)).includes(config.name);
  if (!exists) {
    onCreating();
    const image = create.image === undefined ? [] : ['--image', create.image];
    await runCommand(context, kind, ['create', 'cluster', '--name', config.name, '--config', create.configPath, ...image, '--kubeconfig', kubeconfigPath, '--wait', CREATE_WAIT], {
      purpose: `creating the kind cluster ${config.name}`,
      hint: `see ${context.logFile}; \`kind create cluster --config ${create.configPath}\` by hand shows the same error`,
    });
  }
  const kubeconfig = await runCommand(context, kind, ['get', 'kubeconfig', '--name', config.name], { purpose: `reading the kubeconfig of kind cluster ${config.name}` });
  await writeFile(kubeconfigPath, kubeconfig.endsWith('\n') ? kubeconfig : `${kubeconfig}\n`, { mode: 0o600 });
  await chmod(kubeconfigPath, 0o600);
  return { name: config.name, kubeconfigPath, created: !exists };
}

/** How long the admin's `kubectl auth can-i` may take on a reused cluster. */
const REUSE_CHECK_MS = 30_000;

/**
 * A cluster this run did not create must answer and let its admin create namespaces before a
 * scenario uses it: a node container left stopped by a killed run, or one restarted with stale
 * state, otherwise fails the first scenario with a bare `fetch failed` or a 403.
 */
export async function assertReusableCluster(context: CommandContext, kubectl: string, cluster: KindCluster): Promise<void> {
  const remedy = `a cluster of that name left by an interrupted or killed run? delete it (\`kind delete cluster --name ${cluster.name}\`) and run again; statuschaos then creates a fresh one`;
  const answer = await runCommand(context, kubectl, ['--kubeconfig', cluster.kubeconfigPath, '--request-timeout', '20s', 'auth', 'can-i', 'create', 'namespaces'], {
    purpose: `checking that the existing kind cluster ${cluster.name} answers`,
    timeoutMs: REUSE_CHECK_MS,
    hint: remedy,
  }).catch((error: unknown) => (error instanceof BackendError ? error.message : String(error)));
  if (answer.trim() !== 'yes') throw new BackendError(`the existing kind cluster ${cluster.name} cannot be used: its admin may not create namespaces (${answer.trim().split('\n').at(-1)})`, { hint: remedy });
}

/** Delete the cluster; runs even after Ctrl-C (the context's signal is ignored). */
export async function deleteKindCluster(context: CommandContext, kind: string, name: string, kubeconfigPath: string): Promise<void> {
  await runCommand(context, kind, ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfigPath], { purpose: `deleting the kind cluster ${name}`, ignoreSignal: true, hint: `delete it by hand: kind delete cluster --name ${name}` });
}

/** The Docker network kind puts its nodes on (KIND_EXPERIMENTAL_DOCKER_NETWORK, else `kind`). */
export const kindNetworkName = (env: NodeJS.ProcessEnv) => env.KIND_EXPERIMENTAL_DOCKER_NETWORK || 'kind';

/** Does Docker have the network? */
export async function hasDockerNetwork(context: CommandContext, docker: string, name: string): Promise<boolean> {
  return runCommand(context, docker, ['network', 'inspect', '--format', '{{.Name}}', name], { purpose: `looking for the Docker network ${name}` }).then(
    () => true,
    () => false,
  );
}

/** Remove the network kind made for a cluster this run created (`kind delete cluster` leaves it); runs after Ctrl-C too. */
export async function removeDockerNetwork(context: CommandContext, docker: string, name: string): Promise<void> {
  await runCommand(context, docker, ['network', 'rm', name], { purpose: `removing the Docker network ${name} that kind created for this run`, ignoreSignal: true, hint: `remove it by hand: docker network rm ${name}` });
}
