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
  'src/backends/flink/flink-rest-answers.ts',
  'src/backends/shared/scaled-clock.ts',
  'src/backends/kind/stub/main.ts',
  'src/backends/kind/stub/control-server.ts',
  'src/backends/kind/stub/protocol.ts',
] as const;

/** `statuschaos/flink-rest-stub:<12 hex>`: the hash of the Dockerfile and every file it copies. */
export async function stubImageTag(root = repoRoot): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [STUB_DOCKERFILE, ...STUB_IMAGE_FILES]) hash.update(`${file}\0`).update(await readFile(resolve(root, file)));
  return `statuschaos/flink-rest-stub:${hash.digest('hex').slice(0, 12)}`;
}

/** Build the stub image from the repository (`docker build -f clusters/flink-rest-stub/Dockerfile`). */
export async function buildStubImage(context: CommandContext, docker: string, tag: string, root = repoRoot): Promise<void> {
  await runCommand(context, docker, ['build', '--file', resolve(root, STUB_DOCKERFILE), '--tag', tag, root], {
    purpose: `building the REST stub image ${tag}`,
    hint: `see ${context.logFile}; the base image (node:22-alpine) must be pullable or already present`,
  });
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
