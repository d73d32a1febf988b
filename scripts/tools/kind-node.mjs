// kind's node image, assembled by hand because `kind build node-image` fetches its add-on images
// from registries. It follows kind v0.33.0: images/base/Dockerfile for the base (Debian, kind's
// package list, its files and systemd units, containerd, runc, crictl, CNI plugins) and
// pkg/build/nodeimage/buildcontext.go for the rest (Kubernetes binaries in /usr/bin,
// /kind/version, /kind/manifests, every image imported into the node's containerd and pinned,
// `docker commit`). Differences, each for a reason: Debian bookworm (the host's; kind uses
// trixie), no nfs-common/open-iscsi and no fuse-overlayfs snapshotter (nothing here mounts
// network volumes or runs rootless), and a one-node CNI in place of kindnetd (not buildable).
import { $, fs, path } from 'zx';
import { rootfsTar } from './debian-rootfs.mjs';
import { contentKey } from './steps.mjs';

/** kind's package list (images/base/Dockerfile), less nfs-common and open-iscsi. */
export const NODE_PACKAGES = ['systemd', 'conntrack', 'iptables', 'nftables', 'iproute2', 'ethtool', 'util-linux', 'mount', 'kmod', 'libseccomp2', 'pigz', 'fuse-overlayfs', 'e2fsprogs', 'bash', 'ca-certificates', 'curl', 'jq', 'procps'];

/** Run when kind's --privileged cannot be used (docs/kind.md): makes /sys and the cgroup hierarchies writable, as --privileged would, then runs kind's entrypoint. */
const UNPRIVILEGED_ENTRYPOINT = `#!/bin/sh
# statuschaos (docs/kind.md, "Hosts kind cannot use as they are"): only used when the docker shim
# started this node without --privileged. Docker then mounts /sys and the cgroup hierarchies
# read-only; kind's entrypoint and systemd need them writable, as --privileged leaves them: /sys
# is remounted, each cgroup v1 hierarchy mounted afresh (a remount reports it busy).
set -e
mount -o remount,rw /sys
mounts=$(grep ' cgroup ' /proc/mounts || true)
echo "$mounts" | while read -r source point type options rest; do
  [ "$type" = cgroup ] || continue
  options=$(echo "$options" | sed -e 's/^ro,/rw,/')
  case "$options" in *name=*) case "$options" in *none*) ;; *) options="$options,none" ;; esac ;; esac
  umount "$point"
  mount -t cgroup -o "$options" cgroup "$point"
done
exec "$@"
`;

/** What kind's Dockerfile does in its base stage, on the chroot `dir`: its files, the services, and the clean-up. */
async function kindBaseFiles(dir, kindModule) {
  const files = path.join(kindModule, 'images', 'base', 'files');
  await $`cp -r --no-preserve=mode,ownership ${`${files}/.`} ${dir}/`;
  await $`chmod 0755 ${path.join(dir, 'kind')} ${path.join(dir, 'kind', 'bin')}`;
  await $`sh -c ${`chmod 0755 ${dir}/usr/local/bin/* ${dir}/kind/bin/*`}`;
  await fs.writeFile(path.join(dir, 'kind', 'bin', 'statuschaos-unprivileged-entrypoint'), UNPRIVILEGED_ENTRYPOINT, { mode: 0o755 });
  const cleanup = [
    'find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete',
    'rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* /lib/systemd/system/local-fs.target.wants/*',
    'rm -f /lib/systemd/system/sockets.target.wants/*udev* /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*',
    'echo ReadKMsg=no >> /etc/systemd/journald.conf',
    'ln -sf /usr/lib/systemd/systemd /sbin/init',
    'systemctl enable kubelet.service containerd.service undo-mount-hacks.service',
    'systemctl mask systemd-binfmt.service',
    'mkdir -p /etc/kubernetes/manifests /opt/cni/bin',
  ].join(' && ');
  await $`chroot ${dir} sh -c ${cleanup}`;
}

/** The node's base root filesystem (Debian + kind's packages and files), cached as a tar. */
export function nodeBaseTar(cacheRoot, { minbase, kindModule, kindVersion }) {
  return rootfsTar(cacheRoot, { name: 'kind-node-base', base: minbase, packages: NODE_PACKAGES, extraKey: [kindVersion, UNPRIVILEGED_ENTRYPOINT], prepare: (dir) => kindBaseFiles(dir, kindModule) });
}

/** A CNI for one node in place of kindnetd: ptp pairs and host-local addresses from the cluster's pod subnet, written by a DaemonSet (kind fills in the subnet). */
export function oneNodeCniManifest(image) {
  const conflist = {
    cniVersion: '0.3.1',
    name: 'kindnet',
    plugins: [
      { type: 'ptp', ipMasq: true, mtu: 1500, ipam: { type: 'host-local', dataDir: '/run/cni-ipam-state', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: '{{ .PodSubnet }}' }]] } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return `# statuschaos: a one-node stand-in for kindnetd, which cannot be built offline (docs/kind.md).
# would you kindly template this file
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: statuschaos-ptp-cni
  namespace: kube-system
  labels: { app: statuschaos-ptp-cni, k8s-app: statuschaos-ptp-cni }
spec:
  selector: { matchLabels: { app: statuschaos-ptp-cni } }
  template:
    metadata:
      labels: { app: statuschaos-ptp-cni, k8s-app: statuschaos-ptp-cni }
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations: [{ operator: Exists }]
      containers:
      - name: write-cni-config
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'printf "%s\\n" "$CONFLIST" > /etc/cni/net.d/.10-statuschaos.conflist && mv /etc/cni/net.d/.10-statuschaos.conflist /etc/cni/net.d/10-statuschaos.conflist && exec sleep infinity']
        env: [{ name: CONFLIST, value: '${JSON.stringify(conflist)}' }]
        resources: { requests: { cpu: 10m, memory: 10Mi } }
        volumeMounts: [{ name: cni-cfg, mountPath: /etc/cni/net.d }]
      volumes: [{ name: cni-cfg, hostPath: { path: /etc/cni/net.d, type: DirectoryOrCreate } }]
`;
}

/** kind's storage manifest (pkg/build/nodeimage/const_storage.go) with its image names, read from the module. */
export async function kindStorageManifest(kindModule) {
  const source = await fs.readFile(path.join(kindModule, 'pkg', 'build', 'nodeimage', 'const_storage.go'), 'utf8');
  const constant = (name) => new RegExp(`const ${name} = "([^"]+)"`).exec(source)?.[1];
  const provisioner = constant('storageProvisionerImage');
  const helper = constant('storageHelperImage');
  // a Go string expression: `raw` + storageProvisionerImage + `raw` …
  const expression = /const defaultStorageManifest = ((?:`[^`]*`|\s*\+\s*|\w+)+)/.exec(source)?.[1];
  if (!provisioner || !helper || expression === undefined) throw new Error(`kind's storage manifest was not found in ${kindModule}/pkg/build/nodeimage/const_storage.go`);
  const values = { storageProvisionerImage: provisioner, storageHelperImage: helper };
  const manifest = [...expression.matchAll(/`([^`]*)`|(\w+)/g)].map(([, raw, name]) => raw ?? values[name] ?? `<unknown ${name}>`).join('');
  if (manifest.includes('<unknown ')) throw new Error(`kind's storage manifest names a constant this script does not know: ${manifest.match(/<unknown \w+>/)[0]}`);
  return { provisioner, helper, manifest };
}

/** kind's base_runtime_spec: `ctr oci spec` with kind's product-files hook and without rlimits (images/base/Dockerfile). */
async function criBaseSpec(ctr) {
  const spec = JSON.parse((await $`${ctr} oci spec`).stdout);
  spec.hooks ??= {};
  spec.hooks.createContainer = [...(spec.hooks.createContainer ?? []), { path: '/kind/bin/mount-product-files.sh' }];
  delete spec.process.rlimits;
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** Where each binary goes in the node (images/base/Dockerfile; buildcontext.go puts Kubernetes' in /usr/bin). */
const NODE_BINARIES = {
  containerd: 'usr/local/bin', ctr: 'usr/local/bin', 'containerd-shim-runc-v2': 'usr/local/bin', crictl: 'usr/local/bin', runc: 'usr/local/sbin',
  'host-local': 'opt/cni/bin', loopback: 'opt/cni/bin', ptp: 'opt/cni/bin', portmap: 'opt/cni/bin',
  kubelet: 'usr/bin', kubeadm: 'usr/bin', kubectl: 'usr/bin',
};

/** The node image's tag: the hash of its base, binaries (path, size, time), image archives and manifests. */
export async function nodeImageTag({ baseTar, binaries, archives, manifests, kubernetesVersion }) {
  const parts = [path.basename(baseTar), ...Object.values(manifests)];
  for (const name of Object.keys(NODE_BINARIES)) {
    const stat = await fs.stat(binaries[name]);
    parts.push(`${name}:${binaries[name]}:${stat.size}:${stat.mtimeMs}`);
  }
  for (const archive of archives) parts.push(path.basename(archive));
  return `statuschaos/kind-node:${kubernetesVersion}-${await contentKey(parts)}`;
}

/**
 * Builds the node image `tag` into Docker: the base with the binaries and kind's files, then in a
 * container of it (not privileged, as kind's own build container) the node's containerd imports
 * every image archive pinned, and `docker commit` makes the image.
 */
export async function buildNodeImage({ cacheRoot, tag, baseTar, binaries, archives, manifests, kubernetesVersion, docker = 'docker' }) {
  const staging = path.join(cacheRoot, '.node-staging');
  await fs.remove(staging);
  await fs.mkdirp(staging);
  const stage = `${tag}-stage`;
  const build = `statuschaos-node-build-${process.pid}`;
  try {
    await $`tar --numeric-owner --xattrs -C ${staging} -xpf ${baseTar}`;
    for (const [name, where] of Object.entries(NODE_BINARIES)) {
      await fs.mkdirp(path.join(staging, where));
      await fs.copyFile(binaries[name], path.join(staging, where, name));
      await fs.chmod(path.join(staging, where, name), 0o755);
    }
    await fs.mkdirp(path.join(staging, 'kind', 'manifests'));
    await fs.mkdirp(path.join(staging, 'etc', 'containerd'));
    await fs.writeFile(path.join(staging, 'kind', 'version'), kubernetesVersion);
    for (const [file, text] of Object.entries(manifests)) await fs.writeFile(path.join(staging, 'kind', 'manifests', file), text);
    await fs.writeFile(path.join(staging, 'etc', 'containerd', 'cri-base.json'), await criBaseSpec(binaries.ctr));
    const combined = path.join(cacheRoot, '.node-rootfs.tar');
    await $`tar --numeric-owner --xattrs -C ${staging} -cf ${combined} .`;
    await fs.remove(staging);
    await $`${docker} import --change ${'ENV container=docker'} ${combined} ${stage}`;
    await fs.remove(combined);
    await $`${docker} run -d --name ${build} --entrypoint sleep --security-opt seccomp=unconfined ${stage} infinity`;
    await $`${docker} exec ${build} mkdir -p /kind/images`;
    for (const archive of archives) await $`${docker} cp ${archive} ${`${build}:/kind/images/${path.basename(archive)}`}`;
    const importAll = `set -e
nohup containerd > /dev/null 2>&1 &
for i in $(seq 1 50); do [ -S /run/containerd/containerd.sock ] && ctr info > /dev/null 2>&1 && break; sleep 0.2; done
for archive in /kind/images/*.tar; do ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests "$archive" > /dev/null; done
ctr --namespace=k8s.io images list -q
pkill containerd
while pgrep -x containerd > /dev/null; do sleep 0.2; done
rm -rf /kind/images`;
    const imported = (await $`${docker} exec ${build} bash -c ${importAll}`).stdout.trim().split('\n');
    await $`${docker} commit --change ${'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]'} --change ${'ENV HTTP_PROXY="" HTTPS_PROXY="" NO_PROXY=""'} ${build} ${`${tag}-committed`}`;
    // Docker 20.10's commit cannot set STOPSIGNAL (systemd exits on SIGRTMIN+3): a two-line build adds it
    await $({ input: `FROM ${tag}-committed\nSTOPSIGNAL SIGRTMIN+3\n`, env: { ...process.env, DOCKER_BUILDKIT: '0' } })`${docker} build --quiet --tag ${tag} -`;
    return imported.filter((name) => !name.startsWith('import-') && !name.startsWith('sha256:'));
  } finally {
    await $`${docker} rm -f -v ${build}`.nothrow();
    await $`${docker} rmi ${`${tag}-committed`} ${stage}`.nothrow();
    await fs.remove(staging);
    await fs.remove(path.join(cacheRoot, '.node-rootfs.tar'));
  }
}
