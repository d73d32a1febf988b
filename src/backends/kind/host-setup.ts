/**
 * Everything the kind backend settles about this machine before `kind create cluster`, each
 * decision printed: the Docker engine (used if it answers; started, and later stopped, when it
 * does not and this is root with dockerd installed), the node image (`npm run tools`'s, else
 * kind's default, pulled), and this host's workarounds (host.ts): the docker shim instead of
 * --privileged, and the config patches for cgroup v1 and a missing CAP_SYS_RESOURCE.
 */
import { join } from 'node:path';
import { BackendError } from '../backend.ts';
import type { CommandContext } from './commands.ts';
import { effectiveKindConfig, type KindConfig } from './config.ts';
import { acquireDockerEngine, type DockerEngineLease } from './docker-engine.ts';
import { hostConfigPatches, installDockerShim, readHostFacts, type HostFacts } from './host.ts';
import { hasLocalImage } from './image.ts';
import type { KindToolImages } from './tools-images.ts';

export interface HostSetup {
  /** environment kind runs with (the shim's folder first on PATH when it applies) */
  kindEnv: NodeJS.ProcessEnv;
  /** the config file kind is given */
  configPath: string;
  /** the node image (`--image`), or undefined: the config's or kind's default */
  nodeImage: string | undefined;
  /** the run record's words on what was applied */
  metadata: Record<string, string>;
}

/** How the backend reaches its dependencies here; tests replace them. */
export interface HostDeps {
  hostFacts(): Promise<HostFacts>;
  acquireEngine(options: { env: NodeJS.ProcessEnv; logFile: string; onProgress: (message: string) => void }): Promise<DockerEngineLease>;
}

export const defaultHostDeps: HostDeps = { hostFacts: readHostFacts, acquireEngine: acquireDockerEngine };

/** A lease on the Docker engine, or the BackendError that says why there is none (exit 3). */
export async function dockerEngine(deps: HostDeps, context: CommandContext, workDir: string, progress: (message: string) => void): Promise<DockerEngineLease> {
  try {
    return await deps.acquireEngine({ env: context.env, logFile: join(workDir, 'logs', 'dockerd.log'), onProgress: (message) => progress(`kind: ${message}`) });
  } catch (error) {
    throw new BackendError(`the Docker daemon is not reachable (\`docker info\` failed: ${error instanceof Error ? error.message : String(error)})`, {
      hint: 'start Docker (`sudo systemctl start docker`, or Docker Desktop) and check that `docker info` works for this user; kind runs its nodes as containers',
      cause: error,
    });
  }
}

/** Decide the node image, the workarounds and the config; prints each. */
export async function setUpHost(deps: HostDeps, context: CommandContext, docker: string, config: KindConfig, images: KindToolImages, workDir: string, progress: (message: string) => void): Promise<HostSetup> {
  const facts = await deps.hostFacts();
  const metadata: Record<string, string> = {};
  let kindEnv = context.env;
  if (facts.missingCapabilities.length > 0) {
    const shim = await installDockerShim(join(workDir, 'bin'), context.env, facts.availableCapabilities);
    kindEnv = shim.env;
    progress(
      `kind: this host cannot start --privileged containers (its capability bounding set lacks ${facts.missingCapabilities.map((cap) => `CAP_${cap}`).join(', ')}); ` +
        `applying the workaround of docs/kind.md: ${shim.path}, first on kind's PATH, runs kind's node with explicit --cap-add for the ${facts.availableCapabilities.length} capabilities this host has, unconfined /sys, /dev/fuse and /dev/kmsg, through an entrypoint that makes /sys and the cgroups writable`,
    );
    metadata['kind workaround'] = `no --privileged (host lacks ${facts.missingCapabilities.join(', ')}): docker shim ${shim.path}`;
  }
  const patches = hostConfigPatches(facts);
  if (patches.kubeadm.length > 0) progress('kind: this host has cgroup v1: the kubelet is told `failCgroupV1: false` (a kubeadmConfigPatches entry), or kubelet 1.37 would refuse to start');
  if (patches.containerd.length > 0) progress('kind: without CAP_SYS_RESOURCE the node\'s containerd runs with `restrict_oom_score_adj = true` (a containerdConfigPatches entry)');
  const configPath = await effectiveKindConfig(config, patches, join(workDir, 'cluster-config.yaml'));
  if (configPath !== config.path) {
    progress(`kind: cluster config ${configPath} (${config.path} with this host's patches)`);
    metadata['kind config'] = configPath;
  }
  let nodeImage: string | undefined;
  if (config.nodeImages) progress(`kind: node image from ${config.path}`);
  else if (images.node !== undefined && (await hasLocalImage(context, docker, images.node))) {
    nodeImage = images.node;
    progress(`kind: node image ${nodeImage} (built by \`npm run tools\`, nothing is pulled)`);
  } else progress(`kind: no locally built node image (${images.node === undefined ? `${images.file} is missing` : `${images.node} is not in Docker`}): kind's default node image is used, pulled if need be; \`npm run tools\` builds one`);
  if (facts.missingCapabilities.length > 0 && nodeImage === undefined) {
    throw new BackendError(`this host needs the docker shim's workaround, which needs the node image \`npm run tools\` builds (it carries ${'/kind/bin/statuschaos-unprivileged-entrypoint'})`, { hint: 'run `npm run tools` as root' });
  }
  return { kindEnv, configPath, nodeImage, metadata: { ...metadata, ...(nodeImage ? { 'kind node image': nodeImage } : {}) } };
}
