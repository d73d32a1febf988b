/**
 * The JobManager image on the kind node: the project's REST stub, built with `docker build` and
 * tagged by the hash of what goes into it (a changed stub is a new tag, an unchanged one is a
 * cache hit), or a real Flink image; `kind load docker-image` puts it on the node.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCommand, type CommandContext } from './commands.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const STUB_DOCKERFILE = 'clusters/flink-rest-stub/Dockerfile';

/** Everything the Dockerfile copies into the image (a test keeps this list and the Dockerfile in step). */
export const STUB_IMAGE_FILES = [
  'src/backends/flink/flink-cluster.ts',
  'src/backends/flink/flink-rest-stub.ts',
  'src/backends/shared/scaled-clock.ts',
  'src/backends/kind/stub/main.ts',
  'src/backends/kind/stub/control-server.ts',
  'src/backends/kind/stub/protocol.ts',
] as const;

/** `statuschaos/flink-rest-stub:<12 hex>`: the hash of the Dockerfile, every file it copies and the base it is built on. */
export async function stubImageTag(base?: string, root = repoRoot): Promise<string> {
  const hash = createHash('sha256');
  if (base !== undefined) hash.update(`base ${base}\0`);
  for (const file of [STUB_DOCKERFILE, ...STUB_IMAGE_FILES]) hash.update(`${file}\0`).update(await readFile(resolve(root, file)));
  return `statuschaos/flink-rest-stub:${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Build the stub image from the repository (`docker build -f clusters/flink-rest-stub/Dockerfile`),
 * on `base` when given (the Node image `npm run tools` built: nothing is pulled), else on the
 * Dockerfile's default. Docker's classic builder: BuildKit would ask a registry about the base.
 */
export async function buildStubImage(context: CommandContext, docker: string, tag: string, base?: string, root = repoRoot): Promise<void> {
  const baseArgs = base === undefined ? [] : ['--build-arg', `NODE_IMAGE=${base}`];
  await runCommand({ ...context, env: { ...context.env, DOCKER_BUILDKIT: '0' } }, docker, ['build', '--force-rm', '--file', resolve(root, STUB_DOCKERFILE), ...baseArgs, '--tag', tag, root], {
    purpose: `building the REST stub image ${tag}`,
    hint: `see ${context.logFile}; ${base === undefined ? 'the base image (node:22-alpine) must be pullable or already present, or build it with `npm run tools`' : `the base image ${base} comes from \`npm run tools\``}`,
  });
}

/** Remove an image this run built (never one it found); runs after Ctrl-C too. */
export async function removeImage(context: CommandContext, docker: string, image: string): Promise<void> {
  await runCommand(context, docker, ['image', 'rm', image], { purpose: `removing the image ${image} this run built`, ignoreSignal: true, hint: `remove it by hand: docker image rm ${image}` });
}

/** Is the image in the local Docker image store? */
export async function hasLocalImage(context: CommandContext, docker: string, image: string): Promise<boolean> {
  try {
    await runCommand(context, docker, ['image', 'inspect', '--format', '{{.Id}}', image], { purpose: `looking for image ${image}` });
    return true;
  } catch {
    return false;
  }
}

/** Copy an image from the local Docker store onto the kind node. */
export async function loadImage(context: CommandContext, kind: string, image: string, clusterName: string): Promise<void> {
  await runCommand(context, kind, ['load', 'docker-image', image, '--name', clusterName], { purpose: `loading image ${image} into kind cluster ${clusterName}` });
}
