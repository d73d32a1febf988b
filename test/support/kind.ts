/**
 * What the kind live tests need: `npm run tools`'s kind world (kind, the node image record), the
 * Docker CLI, and a Docker engine that answers or that this test may start (root, dockerd
 * installed: docker-engine.ts starts it and the last statuschaos user stops it). On CI a missing
 * piece throws; locally the caller skips with the returned message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { acquireDockerEngine, type DockerEngineLease } from '../../src/backends/kind/docker-engine.ts';
import { onCI, toolsBinDir } from './tools.ts';

export async function missingKind(): Promise<string | undefined> {
  const images = join(toolsBinDir, '..', 'kind', 'images.json');
  const problems = [
    ...['kind', 'kubectl', 'toxiproxy-server'].filter((name) => !existsSync(join(toolsBinDir, name))).map((name) => `${join(toolsBinDir, name)} is missing`),
    ...(existsSync(images) ? [] : [`${images} is missing`]),
  ];
  const docker = await execa('sh', ['-c', 'command -v docker'], { reject: false });
  if (docker.exitCode !== 0) problems.push('the docker CLI is not on PATH');
  const dockerd = await execa('sh', ['-c', 'command -v dockerd'], { reject: false });
  const daemon = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 15_000 });
  if (daemon.failed && (dockerd.exitCode !== 0 || process.getuid?.() !== 0)) problems.push('no Docker daemon answers and this test cannot start one (root and dockerd needed)');
  if (problems.length === 0) return undefined;
  const message = `kind's world is not built: ${problems.join('; ')}; run \`npm run tools\` as root (Debian: it installs docker.io)`;
  if (onCI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}

/** Run `fn` with a Docker engine (started for it if none runs, stopped after if it started it). */
export async function withDockerEngine<T>(logFile: string, fn: () => Promise<T>): Promise<T> {
  const lease: DockerEngineLease = await acquireDockerEngine({ logFile });
  try {
    await removeLeftoverCluster();
    return await fn();
  } finally {
    await lease.release();
  }
}

/**
 * The tests create the cluster `statuschaos` and expect to delete it. On CI one found before the
 * test is a leftover of a killed run (a stopped node container answers nothing, a restarted one
 * may refuse its admin): it is deleted, saying so. Elsewhere it may be a cluster a user kept, so
 * it is left alone and the tests that need a fresh one say why they fail.
 */
async function removeLeftoverCluster(): Promise<void> {
  const kind = join(toolsBinDir, 'kind');
  const clusters = (await execa(kind, ['get', 'clusters'], { reject: false })).stdout.split('\n').map((line) => line.trim());
  if (!clusters.includes('statuschaos')) return;
  if (!onCI) {
    console.warn('a kind cluster `statuschaos` exists before this test (kept by a user?): the test reuses it; `kind delete cluster --name statuschaos` for a fresh one');
    return;
  }
  console.warn('deleting the kind cluster `statuschaos` left by an earlier run on this CI machine');
  await execa(kind, ['delete', 'cluster', '--name', 'statuschaos']);
  await execa('docker', ['network', 'rm', 'kind'], { reject: false });
}
