// Container images written as `docker save` archives without a Docker engine: one layer (a tar
// of a folder), its config (entrypoint, environment, user) and manifest.json naming the image
// exactly as kubeadm and kind's manifests expect it. kind's node imports them into its
// containerd (`ctr images import`), one archive per image; `docker load` reads them too.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { $, fs, path } from 'zx';

/** sha256 of a file, hex. */
async function fileSha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** A reproducible tar of `dir` (sorted, root-owned, fixed times) at `target`. */
export async function layerTar(dir, target) {
  await $`tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=${'2026-01-01 00:00:00Z'} --xattrs -C ${dir} -cf ${target} .`;
}

/**
 * Writes the image `tag` as a docker archive at `target`: `layers` (tar files, bottom first),
 * with `config` ({ Entrypoint, Cmd, Env, User, WorkingDir, StopSignal }).
 */
export async function writeImageArchive({ tag, layers, config, target }) {
  const staging = `${target}.staging`;
  await fs.remove(staging);
  await fs.mkdirp(staging);
  try {
    const diffIds = [];
    const layerPaths = [];
    for (const layer of layers) {
      const sha = await fileSha256(layer);
      diffIds.push(`sha256:${sha}`);
      layerPaths.push(`${sha}/layer.tar`);
      await fs.mkdirp(path.join(staging, sha));
      await fs.copyFile(layer, path.join(staging, sha, 'layer.tar'));
    }
    const imageConfig = {
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], ...config },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layers.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'statuschaos npm run tools (scripts/tools/image-archive.mjs)' })),
    };
    const configText = JSON.stringify(imageConfig);
    const configName = `${createHash('sha256').update(configText).digest('hex')}.json`;
    await fs.writeFile(path.join(staging, configName), configText);
    await fs.writeFile(path.join(staging, 'manifest.json'), JSON.stringify([{ Config: configName, RepoTags: [tag], Layers: layerPaths }]));
    await $`tar --numeric-owner -C ${staging} -cf ${`${target}.partial`} .`;
    await fs.rename(`${target}.partial`, target);
  } finally {
    await fs.remove(staging);
  }
}

/** The files every image from a single binary gets (distroless has the same): users, /tmp, CA certificates. */
export async function minimalFiles(dir) {
  for (const sub of ['etc/ssl/certs', 'tmp', 'usr/local/bin', 'var/run']) await fs.mkdirp(path.join(dir, sub));
  await fs.chmod(path.join(dir, 'tmp'), 0o1777);
  await fs.writeFile(path.join(dir, 'etc', 'passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
  await fs.writeFile(path.join(dir, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n');
  await fs.writeFile(path.join(dir, 'etc', 'nsswitch.conf'), 'hosts: files dns\n');
  if (await fs.pathExists('/etc/ssl/certs/ca-certificates.crt')) await fs.copyFile('/etc/ssl/certs/ca-certificates.crt', path.join(dir, 'etc', 'ssl', 'certs', 'ca-certificates.crt'));
}
