// Debian root filesystems for the images kind's world needs, since no image can be pulled here:
// `debootstrap --variant=minbase` once, then per image the packages it needs, installed with
// apt-get in a chroot of a copy. Each is kept as a tar in the tools cache under a key made of the
// suite, the mirror and the package list (a changed list is a new tar; the old one is pruned).
import { $, fs, path } from 'zx';
import { contentKey } from './steps.mjs';

export const SUITE = 'bookworm';
/** The host's own mirror (docs/tools.md); the same Debian the host runs. */
const MIRROR = 'http://deb.debian.org/debian';
const SOURCES = [`deb ${MIRROR} ${SUITE} main`, `deb ${MIRROR} ${SUITE}-updates main`, `deb http://deb.debian.org/debian-security ${SUITE}-security main`].join('\n');

/** Runs `fn(dir)` on a writable root filesystem with /proc and /dev mounted, always unmounting them. */
async function withChroot(dir, fn) {
  await fs.mkdirp(path.join(dir, 'proc'));
  await $`mount -t proc proc ${path.join(dir, 'proc')}`;
  await $`mount --bind /dev ${path.join(dir, 'dev')}`;
  try {
    await fn();
  } finally {
    await $`umount -l ${path.join(dir, 'dev')}`.nothrow();
    await $`umount -l ${path.join(dir, 'proc')}`.nothrow();
  }
}

/** Removes a scratch root filesystem, refusing while anything is still mounted under it (a bound /dev would be emptied). */
async function removeRootfs(dir) {
  const mounts = (await fs.readFile('/proc/mounts', 'utf8')).split('\n').map((line) => line.split(' ')[1]).filter((point) => point?.startsWith(`${dir}/`));
  if (mounts.length > 0) throw new Error(`not removing ${dir}: still mounted there: ${mounts.join(', ')} (unmount them by hand)`);
  await fs.remove(dir);
}

/** Writes `dir` as a tar to `target` (through a partial file, renamed into place). */
async function tarInto(dir, target) {
  const partial = `${target}.partial`;
  await $`tar --numeric-owner --xattrs -C ${dir} -cf ${partial} .`;
  await fs.rename(partial, target);
}

/** Removes cache entries named `<prefix>-*.tar` other than `keep` (superseded package lists). */
async function pruneOthers(cacheRoot, prefix, keep) {
  for (const name of await fs.readdir(cacheRoot)) {
    if (name.startsWith(`${prefix}-`) && name.endsWith('.tar') && path.join(cacheRoot, name) !== keep) await fs.remove(path.join(cacheRoot, name));
  }
}

/** debootstrap's minimal Debian, as a tar in the cache; resolves with `{ tar, cached }`. */
export async function minbaseTar(cacheRoot) {
  const debootstrap = (await $`dpkg-query -W -f=${'${Version}'} debootstrap`).stdout.trim();
  const tar = path.join(cacheRoot, `debian-${SUITE}-minbase-${await contentKey([SUITE, MIRROR, debootstrap])}.tar`);
  if (await fs.pathExists(tar)) return { tar, cached: true };
  const dir = path.join(cacheRoot, '.rootfs-minbase');
  await removeRootfs(dir);
  try {
    await $`debootstrap --variant=minbase ${SUITE} ${dir} ${MIRROR}`;
    await fs.writeFile(path.join(dir, 'etc', 'apt', 'sources.list'), `${SOURCES}\n`);
    await $`chroot ${dir} apt-get clean`;
    await tarInto(dir, tar);
  } finally {
    await removeRootfs(dir);
  }
  await pruneOthers(cacheRoot, `debian-${SUITE}-minbase`, tar);
  return { tar, cached: false };
}

/**
 * minbase plus `packages` (and `prepare(dir)` run before the tar is written), as a tar in the
 * cache named `debian-<SUITE>-<name>-<key>.tar`; resolves with `{ tar, cached }`.
 */
export async function rootfsTar(cacheRoot, { name, packages, base, extraKey = [], prepare }) {
  const tar = path.join(cacheRoot, `debian-${SUITE}-${name}-${await contentKey([path.basename(base), ...packages, ...extraKey])}.tar`);
  if (await fs.pathExists(tar)) return { tar, cached: true };
  const dir = path.join(cacheRoot, `.rootfs-${name}`);
  await removeRootfs(dir);
  try {
    await fs.mkdirp(dir);
    await $`tar --numeric-owner --xattrs -C ${dir} -xpf ${base}`;
    await fs.copyFile('/etc/resolv.conf', path.join(dir, 'etc', 'resolv.conf'));
    // no service starts inside a chroot
    await fs.writeFile(path.join(dir, 'usr', 'sbin', 'policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    await withChroot(dir, async () => {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8' };
      await $({ env })`chroot ${dir} apt-get update -qq`;
      await $({ env })`chroot ${dir} apt-get install -y -qq --no-install-recommends ${packages}`;
      await $({ env })`chroot ${dir} apt-get clean`;
    });
    await fs.remove(path.join(dir, 'usr', 'sbin', 'policy-rc.d'));
    await fs.writeFile(path.join(dir, 'etc', 'resolv.conf'), '');
    await fs.emptyDir(path.join(dir, 'var', 'lib', 'apt', 'lists'));
    if (prepare) await prepare(dir);
    await tarInto(dir, tar);
  } finally {
    await $`umount -l ${path.join(dir, 'dev')}`.nothrow();
    await $`umount -l ${path.join(dir, 'proc')}`.nothrow();
    await removeRootfs(dir);
  }
  await pruneOthers(cacheRoot, `debian-${SUITE}-${name}`, tar);
  return { tar, cached: false };
}
