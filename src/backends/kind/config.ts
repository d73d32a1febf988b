/**
 * The kind cluster's config file (clusters/kind/config.yaml, or STATUSCHAOS_KIND_CONFIG): its
 * name, and on which host ports the JobManager's NodePorts appear (extraPortMappings), which is
 * where Toxiproxy and the harness reach them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError } from '../../errors/user-error.ts';

/** The `-rest` Service's NodePort (Flink REST) and the stub control Service's; the config maps both to the host. */
export const REST_NODE_PORT = 30081;
export const CONTROL_NODE_PORT = 30082;

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const DEFAULT_KIND_CONFIG = resolve(repoRoot, 'clusters', 'kind', 'config.yaml');

export interface KindConfig {
  path: string;
  /** the cluster's name (`kind … --name`) */
  name: string;
  /** `host:port` on which the REST NodePort is reached from this machine */
  restAddress: string;
  /** `host:port` of the stub's control NodePort */
  controlAddress: string;
  /** does any node name its own image (then `--image` is not passed) */
  nodeImages: boolean;
}

interface PortMapping {
  containerPort?: number;
  hostPort?: number;
  listenAddress?: string;
}

/** The config file the backend uses: STATUSCHAOS_KIND_CONFIG, else clusters/kind/config.yaml. */
export function kindConfigPath(env: NodeJS.ProcessEnv): string {
  return env.STATUSCHAOS_KIND_CONFIG ? resolve(env.STATUSCHAOS_KIND_CONFIG) : DEFAULT_KIND_CONFIG;
}

/** Read and check the config; a missing name or port mapping is a UserError naming the file. */
export async function loadKindConfig(path: string): Promise<KindConfig> {
  let document: { name?: unknown; networking?: { apiServerAddress?: unknown }; nodes?: { extraPortMappings?: PortMapping[] }[] };
  try {
    document = (parse(await readFile(path, 'utf8')) ?? {}) as typeof document;
  } catch (error) {
    throw new UserError(`cannot read the kind config: ${(error as Error).message}`, { location: { file: path }, hint: 'fix the file, or unset STATUSCHAOS_KIND_CONFIG to use clusters/kind/config.yaml' });
  }
  if (typeof document.name !== 'string' || document.name === '') throw new UserError('the kind config needs a `name` (the cluster the backend creates and deletes)', { location: { file: path } });
  const address = document.networking?.apiServerAddress;
  if (address !== undefined && address !== '127.0.0.1') {
    throw new UserError(`Expected \`networking.apiServerAddress\` to be 127.0.0.1, got \`${String(address)}\``, { location: { file: path }, hint: 'Toxiproxy sits on 127.0.0.1 in front of the API server; keep the API server on loopback' });
  }
  const mappings = (document.nodes ?? []).flatMap((node) => node.extraPortMappings ?? []);
  const hostAddress = (nodePort: number, what: string) => {
    const mapping = mappings.find((candidate) => candidate.containerPort === nodePort);
    if (mapping?.hostPort === undefined) {
      throw new UserError(`the kind config maps no host port to containerPort ${nodePort} (${what})`, { location: { file: path }, hint: `add an extraPortMappings entry { containerPort: ${nodePort}, hostPort: ${nodePort}, listenAddress: "127.0.0.1" }` });
    }
    const host = mapping.listenAddress ?? '0.0.0.0';
    return `${host === '0.0.0.0' ? '127.0.0.1' : host}:${mapping.hostPort}`;
  };
  const nodeImages = (document.nodes ?? []).some((node) => typeof (node as { image?: unknown }).image === 'string');
  return { path, name: document.name, restAddress: hostAddress(REST_NODE_PORT, 'the Flink REST NodePort'), controlAddress: hostAddress(CONTROL_NODE_PORT, 'the REST stub control NodePort'), nodeImages };
}

/**
 * The config kind is given: the user's file as it is, plus this host's patches (host.ts) after
 * the file's own, written to `target`. Without patches it is the user's file itself.
 */
export async function effectiveKindConfig(config: KindConfig, patches: { kubeadm: readonly string[]; containerd: readonly string[] }, target: string): Promise<string> {
  if (patches.kubeadm.length === 0 && patches.containerd.length === 0) return config.path;
  const document = (parse(await readFile(config.path, 'utf8')) ?? {}) as { kubeadmConfigPatches?: string[]; containerdConfigPatches?: string[] };
  if (patches.kubeadm.length > 0) document.kubeadmConfigPatches = [...(document.kubeadmConfigPatches ?? []), ...patches.kubeadm];
  if (patches.containerd.length > 0) document.containerdConfigPatches = [...(document.containerdConfigPatches ?? []), ...patches.containerd];
  await writeFile(target, `# ${config.path} with this host's patches (statuschaos, docs/kind.md)\n${stringify(document, { blockQuote: 'literal', lineWidth: 0 })}`);
  return target;
}
