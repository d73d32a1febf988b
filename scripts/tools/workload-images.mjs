// The images the kind backend runs as the JobManager, built here because none can be pulled:
// - the REST stub's base, `statuschaos/node-runtime`: the Node 22 binary the project pins
//   (node_modules/node) with the Debian libraries it needs and a `node` user as in node:22-alpine;
//   the stub image itself (clusters/flink-rest-stub/Dockerfile, built on it, tagged by content)
//   is built here too, as the backend builds it when the sources changed since;
// - real Flink, `statuschaos/flink`: Debian's JRE 17 and the Flink 1.18.1 jars, job and
//   configuration `npm run tools` installed into .tools/flink; the backend starts it with the same
//   command lines as the local backend's JVMs (src/backends/local/flink/flink-commands.ts).
// Both go into Docker with `docker load`; their tags are hashes of what goes into them.
import { $, fs, path } from 'zx';
import { layerTar, writeImageArchive } from './image-archive.mjs';
import { contentKey } from './steps.mjs';

export const JRE_PACKAGES = ['openjdk-17-jre-headless', 'procps'];
/** Where the Flink image keeps Flink (lib/, usrlib/, conf/): the JVMs' working folder. */
export const FLINK_HOME_IN_IMAGE = '/opt/flink';

async function hasImage(docker, tag) {
  return (await $`${docker} image inspect --format ${'{{.Id}}'} ${tag}`.nothrow()).exitCode === 0;
}

/** Writes the image archive (`base` below a layer `fill(dir)` makes), loads it into Docker, removes the archive. */
async function loadImage({ cacheRoot, docker, tag, base, config, fill }) {
  const scratch = path.join(cacheRoot, `.image-${tag.replace(/[^a-z0-9]+/gi, '-')}`);
  await fs.remove(scratch);
  await fs.mkdirp(path.join(scratch, 'root'));
  try {
    await fill(path.join(scratch, 'root'));
    await layerTar(path.join(scratch, 'root'), path.join(scratch, 'layer.tar'));
    await writeImageArchive({ tag, layers: [...(base ? [base] : []), path.join(scratch, 'layer.tar')], config, target: path.join(scratch, 'image.tar') });
    await $`${docker} load --quiet --input ${path.join(scratch, 'image.tar')}`;
  } finally {
    await fs.remove(scratch);
  }
}

/**
 * What Node needs from Debian (its ELF dependencies, `ldd`), dash as /bin/sh for the Dockerfile's
 * RUN and the restart command's `printf … ; kill 1`, and the users: taken from the minbase tar,
 * so the image holds about 125 MB rather than 250 (it is copied onto every kind node).
 */
const RUNTIME_FILES = ['./lib', './lib64', './bin', './sbin', './usr/lib64', './usr/bin/dash', './etc/passwd', './etc/group', './etc/nsswitch.conf'].concat(
  ['ld-linux-x86-64.so.2', 'libc.so.6', 'libdl.so.2', 'libm.so.6', 'libpthread.so.0', 'libgcc_s.so.1', 'libstdc++.so.6', 'libstdc++.so.6.0.30'].map((lib) => `./usr/lib/x86_64-linux-gnu/${lib}`),
);

/** The REST stub's base image; resolves with `{ tag, cached }`. */
export async function nodeRuntimeImage({ cacheRoot, docker, minbase, nodeBinary }) {
  const version = (await $`${nodeBinary} --version`).stdout.trim();
  const stat = await fs.stat(nodeBinary);
  const config = { Cmd: ['node'] }; // as node:22-alpine: root by default (the stub's Dockerfile switches to `node` after its own RUN)
  const tag = `statuschaos/node-runtime:${version.replace(/^v/, '')}-${await contentKey([path.basename(minbase), version, String(stat.size), JSON.stringify(config), ...RUNTIME_FILES])}`;
  if (await hasImage(docker, tag)) return { tag, cached: true };
  await loadImage({
    cacheRoot,
    docker,
    tag,
    config,
    fill: async (dir) => {
      await $`tar --numeric-owner -C ${dir} -xpf ${minbase} ${RUNTIME_FILES}`;
      await fs.symlink('dash', path.join(dir, 'usr', 'bin', 'sh'));
      await fs.mkdirp(path.join(dir, 'usr', 'local', 'bin'));
      await fs.copyFile(nodeBinary, path.join(dir, 'usr', 'local', 'bin', 'node'));
      await fs.chmod(path.join(dir, 'usr', 'local', 'bin', 'node'), 0o755);
      await fs.mkdirp(path.join(dir, 'tmp'));
      await fs.chmod(path.join(dir, 'tmp'), 0o1777);
      // node:22-alpine's user, which the stub's Dockerfile runs as
      await fs.appendFile(path.join(dir, 'etc', 'passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n');
      await fs.appendFile(path.join(dir, 'etc', 'group'), 'node:x:1000:\n');
      await fs.mkdirp(path.join(dir, 'home', 'node'));
      await fs.chown(path.join(dir, 'home', 'node'), 1000, 1000);
    },
  });
  return { tag, cached: false };
}

/** The real Flink image from the JRE root filesystem and `<tools>/flink`; resolves with `{ tag, cached }`. */
export async function flinkImage({ cacheRoot, docker, jreTar, flinkDir, flinkVersion }) {
  const config = { WorkingDir: FLINK_HOME_IN_IMAGE, Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `FLINK_HOME=${FLINK_HOME_IN_IMAGE}`] };
  const tag = `statuschaos/flink:${flinkVersion.split('+')[0]}-${await contentKey([path.basename(jreTar), flinkVersion, JSON.stringify(config)])}`;
  if (await hasImage(docker, tag)) return { tag, cached: true };
  await loadImage({
    cacheRoot,
    docker,
    tag,
    base: jreTar,
    config,
    fill: async (dir) => {
      const home = path.join(dir, FLINK_HOME_IN_IMAGE.slice(1));
      await fs.mkdirp(home);
      for (const entry of ['lib', 'usrlib', 'conf', 'jvm-params.json']) await $`cp -r ${path.join(flinkDir, entry)} ${path.join(home, entry)}`;
    },
  });
  return { tag, cached: false };
}

/** Removes `repository:*` images other than `keep` that statuschaos built earlier (superseded by new content). */
export async function pruneImages(docker, repository, keep) {
  const tags = (await $`${docker} image ls --format ${'{{.Repository}}:{{.Tag}}'} ${repository}`.nothrow()).stdout.trim().split('\n').filter(Boolean);
  const stale = tags.filter((tag) => tag !== keep && !tag.endsWith(':<none>'));
  if (stale.length > 0) await $`${docker} rmi ${stale}`.nothrow();
  return stale;
}
