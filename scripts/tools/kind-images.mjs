// The images kind's node runs, named exactly as kubeadm (`kubeadm config images list`), kind's
// containerd config (the pause image) and kind's manifests (local-path) ask for, each written as
// a `docker save` archive (image-archive.mjs) and cached by what goes into it. Static binaries
// get a minimal layer (users, /tmp, CA certificates), as distroless does; kube-proxy, the storage
// helper and the one-node CNI writer run on a small Debian with iptables, nftables and conntrack.
import { $, fs, path } from 'zx';
import { layerTar, minimalFiles, writeImageArchive } from './image-archive.mjs';
import { contentKey } from './steps.mjs';

/** Packages of the Debian the node's own helper images run on (kube-proxy's upstream image has the same tools). */
export const HELPER_PACKAGES = ['iptables', 'nftables', 'conntrack', 'ipset', 'kmod'];

/** The one-node CNI writer's image (our own; kindnetd's name would claim to be kindnetd). */
export const CNI_IMAGE_REPOSITORY = 'statuschaos.local/ptp-cni-writer';

/**
 * The images to make: `tags` from kubeadm, kind's containerd config and its storage manifest;
 * `binaries` by name; `helperTar` the Debian helper root filesystem; `pause` the pause binary.
 * Returns [{ tag, build(target) }].
 */
export function nodeImageRecipes({ tags, binaries, helperTar, cniTag }) {
  const single = (tag, binary, config) => ({
    tag,
    inputs: [binaries[binary]],
    build: async (target, scratch) => {
      const dir = path.join(scratch, 'root');
      await minimalFiles(dir);
      // CoreDNS and pause live at the root, as in their upstream images
      const where = binary === 'coredns' || binary === 'pause' ? dir : path.join(dir, 'usr', 'local', 'bin');
      await fs.copyFile(binaries[binary], path.join(where, binary));
      await fs.chmod(path.join(where, binary), 0o755);
      await layerTar(dir, path.join(scratch, 'layer.tar'));
      await writeImageArchive({ tag, layers: [path.join(scratch, 'layer.tar')], config, target });
    },
  });
  const onHelper = (tag, binary, config) => ({
    tag,
    inputs: [helperTar, ...(binary ? [binaries[binary]] : [])],
    build: async (target, scratch) => {
      const layers = [helperTar];
      if (binary) {
        const dir = path.join(scratch, 'root');
        await fs.mkdirp(path.join(dir, 'usr', 'local', 'bin'));
        await fs.copyFile(binaries[binary], path.join(dir, 'usr', 'local', 'bin', binary));
        await fs.chmod(path.join(dir, 'usr', 'local', 'bin', binary), 0o755);
        await layerTar(dir, path.join(scratch, 'layer.tar'));
        layers.push(path.join(scratch, 'layer.tar'));
      }
      await writeImageArchive({ tag, layers, config, target });
    },
  });
  return [
    single(tags['kube-apiserver'], 'kube-apiserver', { Entrypoint: ['/usr/local/bin/kube-apiserver'] }),
    single(tags['kube-controller-manager'], 'kube-controller-manager', { Entrypoint: ['/usr/local/bin/kube-controller-manager'] }),
    single(tags['kube-scheduler'], 'kube-scheduler', { Entrypoint: ['/usr/local/bin/kube-scheduler'] }),
    single(tags.etcd, 'etcd', { Entrypoint: ['/usr/local/bin/etcd'] }),
    single(tags.coredns, 'coredns', { Entrypoint: ['/coredns'], User: '65532' }),
    single(tags.pause, 'pause', { Entrypoint: ['/pause'], User: '65535:65535' }),
    single(tags['local-path-provisioner'], 'local-path-provisioner', { Entrypoint: ['/usr/local/bin/local-path-provisioner'] }),
    onHelper(tags['kube-proxy'], 'kube-proxy', { Entrypoint: ['/usr/local/bin/kube-proxy'] }),
    onHelper(tags['local-path-helper'], undefined, { Entrypoint: ['/bin/sh'] }),
    onHelper(cniTag, undefined, { Entrypoint: ['/bin/sh'] }),
  ];
}

/** The image tags kubeadm wants for `kubernetesVersion` (its own `config images list`), by component name. */
export async function kubeadmImageTags(kubeadm, kubernetesVersion) {
  const lines = (await $`${kubeadm} config images list --kubernetes-version ${kubernetesVersion}`).stdout.trim().split('\n');
  const tags = {};
  for (const line of lines) {
    const name = line.split('/').at(-1).split(':')[0];
    tags[name] = line.trim();
  }
  for (const name of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'etcd', 'coredns']) {
    if (!tags[name]) throw new Error(`\`kubeadm config images list\` named no ${name} image: ${lines.join(', ')}`);
  }
  return tags;
}

/** The pause image kind's containerd runs pods with (its config.toml's sandbox_image; kind puts it in place of kubeadm's). */
export async function kindPauseImage(kindModule) {
  const config = await fs.readFile(path.join(kindModule, 'images', 'base', 'files', 'etc', 'containerd', 'config.toml'), 'utf8');
  const image = /sandbox_image\s*=\s*"([^"]+)"/.exec(config)?.[1];
  if (!image) throw new Error(`no sandbox_image in kind's containerd config (${kindModule})`);
  return image;
}

/**
 * Writes every recipe's archive into `<cache>/kind-images/<name>-<key>.tar` unless it is there;
 * resolves with the archive paths and how many were built.
 */
export async function buildImageArchives(cacheRoot, recipes) {
  const dir = path.join(cacheRoot, 'kind-images');
  await fs.mkdirp(dir);
  const archives = [];
  let built = 0;
  for (const recipe of recipes) {
    const inputs = [];
    for (const input of recipe.inputs) {
      const stat = await fs.stat(input);
      inputs.push(`${input}:${stat.size}:${stat.mtimeMs}`);
    }
    const name = recipe.tag.split('/').at(-1).replace(/[^a-zA-Z0-9_.-]/g, '_');
    const target = path.join(dir, `${name}-${await contentKey([recipe.tag, ...inputs])}.tar`);
    archives.push(target);
    if (await fs.pathExists(target)) continue;
    const scratch = `${target}.scratch`;
    await fs.remove(scratch);
    await fs.mkdirp(scratch);
    try {
      await recipe.build(target, scratch);
      built++;
    } finally {
      await fs.remove(scratch);
    }
  }
  // archives of earlier inputs are superseded
  for (const name of await fs.readdir(dir)) if (!archives.includes(path.join(dir, name))) await fs.remove(path.join(dir, name));
  return { archives, built };
}
