// kind's world, built offline (docs/kind.md, docs/tools.md): the Docker engine (Debian's
// docker.io, started if it is not running, stopped again only if this script started it), kind,
// the node image with every image it runs, and the JobManager images (REST stub base, real
// Flink). Writes `<tools>/kind/images.json` (which images the kind backend uses) and installs
// `<tools>/bin/kind`. Needs root and apt-get for the host packages and Go for the builds; without
// them it says what to install and skips (exit 3 on CI).
import { constants } from 'node:fs';
import { $, fs, path } from 'zx';
import { acquireDockerEngine } from '../../src/backends/kind/docker-engine.ts';
import { buildStubImage, stubImageTag } from '../../src/backends/kind/image.ts';
import { ensurePackages } from './apt.mjs';
import { minbaseTar, rootfsTar } from './debian-rootfs.mjs';
import { KIND, buildKindGoBinaries } from './kind-go.mjs';
import { CNI_IMAGE_REPOSITORY, HELPER_PACKAGES, buildImageArchives, kindPauseImage, kubeadmImageTags, nodeImageRecipes } from './kind-images.mjs';
import { buildNodeImage, kindStorageManifest, nodeBaseTar, nodeImageTag, oneNodeCniManifest } from './kind-node.mjs';
import { cachedDir, contentKey, step } from './steps.mjs';
import { JRE_PACKAGES, flinkImage, nodeRuntimeImage, pruneImages } from './workload-images.mjs';

/** Host packages: the engine, debootstrap for the root filesystems, libseccomp-dev and gcc for runc and pause. */
const HOST_PACKAGES = ['docker.io', 'debootstrap', 'libseccomp-dev', 'gcc', 'libc6-dev'];
const DOCKER = 'docker';

/** The pause binary from Kubernetes' own build/pause/linux/pause.c, as its Makefile builds it (gcc -static). */
async function buildPause(cacheRoot, kubernetesModule, kubernetesVersion) {
  const source = path.join(kubernetesModule, 'build', 'pause', 'linux', 'pause.c');
  const dir = path.join(cacheRoot, `kind-pause-${kubernetesVersion}-${await contentKey([{ file: source }])}`);
  const result = await cachedDir(dir, (partial) => $`gcc -Os -Wall -Werror -static -DVERSION=v3.10-statuschaos -o ${path.join(partial, 'pause')} ${source}`);
  return { ...result, pause: path.join(dir, 'pause') };
}

/** Why the kind world cannot be built here, or undefined. */
async function missingPrerequisites() {
  if (process.platform !== 'linux') return 'kind\'s world is built on Linux only';
  if (process.getuid?.() !== 0) return 'building kind\'s node image needs root (debootstrap, chroot, a Docker engine): run `npm run tools` as root';
  return ensurePackages(HOST_PACKAGES, 'the Docker engine, debootstrap, libseccomp-dev and gcc for kind\'s node image');
}

/**
 * Builds kind's world. Options: repoRoot, toolsDir, cacheRoot, goEnv, kubeBinaries (kubelet,
 * kubeadm, kube-proxy, kube-apiserver, … from go-tools.mjs), flinkVersion (undefined: no real
 * Flink image), onCI. Resolves with the versions to record, or undefined when it was skipped.
 */
export async function buildKindWorld({ repoRoot, toolsDir, cacheRoot, goEnv, kubeBinaries, kubernetesVersion, flinkVersion, onCI }) {
  const missing = await step('kind prerequisites (root, docker.io, debootstrap, libseccomp-dev, gcc)', missingPrerequisites);
  if (missing) {
    if (onCI) {
      console.error(`error: ${missing}; the kind backend's tests need it.`);
      process.exit(3);
    }
    console.warn(`tools: ${missing}, so kind's world is not built and the kind tests skip.`);
    return undefined;
  }
  const engine = await step('Docker engine', async (warm) => {
    const lease = await acquireDockerEngine({ logFile: path.join(cacheRoot, 'dockerd.log'), onProgress: (message) => console.log(`  ${message}`) });
    if (!lease.started) warm();
    console.log(`  Docker ${lease.version}${lease.started ? ` (dockerd pid ${lease.started.pid}, started for this build)` : ''}`);
    return lease;
  });
  try {
    const kindModule = JSON.parse((await $({ env: goEnv.env, cwd: cacheRoot })`go mod download -json ${`sigs.k8s.io/kind@${KIND}`}`).stdout).Dir;
    const kubernetesModule = JSON.parse((await $({ env: goEnv.env, cwd: cacheRoot })`go mod download -json ${`k8s.io/kubernetes@${kubernetesVersion}`}`).stdout).Dir;
    const binaries = { ...kubeBinaries, ...(await buildKindGoBinaries({ cacheRoot, goEnv })) };
    binaries.pause = (await step('pause (gcc -static, Kubernetes build/pause/linux/pause.c)', () => buildPause(cacheRoot, kubernetesModule, kubernetesVersion))).pause;

    const minbase = (await step('Debian bookworm minbase (debootstrap)', () => minbaseTar(cacheRoot))).tar;
    const nodeBase = (await step('node base: kind\'s packages and files (chroot apt-get)', () => nodeBaseTar(cacheRoot, { minbase, kindModule, kindVersion: KIND }))).tar;
    const helper = (await step(`helper images' Debian (${HELPER_PACKAGES.join(', ')})`, () => rootfsTar(cacheRoot, { name: 'kind-helper', base: minbase, packages: HELPER_PACKAGES }))).tar;

    const storage = await kindStorageManifest(kindModule);
    const tags = { ...(await kubeadmImageTags(binaries.kubeadm, kubernetesVersion)), pause: await kindPauseImage(kindModule), 'local-path-provisioner': storage.provisioner, 'local-path-helper': storage.helper };
    const cniTag = `${CNI_IMAGE_REPOSITORY}:${await contentKey([path.basename(helper)])}`;
    const { archives } = await step('node\'s images (docker save archives: control plane, etcd, CoreDNS, kube-proxy, pause, local-path, CNI)', async (warm) => {
      const result = await buildImageArchives(cacheRoot, nodeImageRecipes({ tags, binaries, helperTar: helper, cniTag }));
      if (result.built === 0) warm();
      return result;
    });
    const manifests = { 'default-cni.yaml': oneNodeCniManifest(cniTag), 'default-storage.yaml': storage.manifest };
    const nodeTag = await nodeImageTag({ baseTar: nodeBase, binaries, archives, manifests, kubernetesVersion });
    await step(`node image ${nodeTag}`, async (warm) => {
      if ((await $`${DOCKER} image inspect --format ${'{{.Id}}'} ${nodeTag}`.nothrow()).exitCode === 0) return warm();
      const imported = await buildNodeImage({ cacheRoot, tag: nodeTag, baseTar: nodeBase, binaries, archives, manifests, kubernetesVersion, docker: DOCKER });
      console.log(`  images in the node: ${imported.join(', ')}`);
    });

    const runtime = await step('REST stub base image (the pinned Node and what it links)', () => nodeRuntimeImage({ cacheRoot, docker: DOCKER, minbase, nodeBinary: path.join(repoRoot, 'node_modules', 'node', 'bin', 'node') }));
    // the stub image as the backend builds it (same Dockerfile, same tag): a run then finds it and builds nothing
    const stubTag = await stubImageTag(runtime.tag);
    await step(`REST stub image ${stubTag} (docker build -f clusters/flink-rest-stub/Dockerfile)`, async (warm) => {
      if ((await $`${DOCKER} image inspect --format ${'{{.Id}}'} ${stubTag}`.nothrow()).exitCode === 0) return warm();
      await buildStubImage({ env: process.env, logFile: path.join(cacheRoot, 'docker-build.log') }, DOCKER, stubTag, runtime.tag);
    });
    let flink;
    if (flinkVersion !== undefined) {
      const jre = (await step(`JRE 17 root filesystem (${JRE_PACKAGES.join(', ')})`, () => rootfsTar(cacheRoot, { name: 'jre17', base: minbase, packages: JRE_PACKAGES }))).tar;
      flink = await step('real Flink image (JRE 17 + .tools/flink)', () => flinkImage({ cacheRoot, docker: DOCKER, jreTar: jre, flinkDir: path.join(toolsDir, 'flink'), flinkVersion }));
    } else console.warn('tools: real Flink is not installed (.tools/flink), so there is no Flink image for `--backend kind --flink real`.');

    const pruned = [...(await pruneImages(DOCKER, 'statuschaos/kind-node', nodeTag)), ...(await pruneImages(DOCKER, 'statuschaos/flink-rest-stub', stubTag)), ...(await pruneImages(DOCKER, 'statuschaos/node-runtime', runtime.tag)), ...(flink ? await pruneImages(DOCKER, 'statuschaos/flink', flink.tag) : [])];
    if (pruned.length > 0) console.log(`  removed superseded images: ${pruned.join(', ')}`);

    await fs.mkdirp(path.join(toolsDir, 'kind'));
    await fs.mkdirp(path.join(toolsDir, 'bin'));
    await fs.remove(path.join(toolsDir, 'bin', 'kind'));
    await fs.copyFile(binaries.kind, path.join(toolsDir, 'bin', 'kind'), constants.COPYFILE_FICLONE);
    const images = { kind: KIND, kubernetes: kubernetesVersion, node: nodeTag, nodeRuntime: runtime.tag, ...(flink ? { flink: flink.tag } : {}) };
    await fs.writeFile(path.join(toolsDir, 'kind', 'images.json'), `${JSON.stringify(images, null, 2)}\n`);
    console.log(`  kind ${KIND}: node ${nodeTag}, stub base ${runtime.tag}${flink ? `, Flink ${flink.tag}` : ''}`);
    return { kind: KIND, 'kind-node': nodeTag };
  } finally {
    const said = await engine.release();
    if (said) console.log(`  ${said}`);
  }
}
