// The Go binaries of kind's world that are not Kubernetes' own (those come from the wrapper
// module, scripts/tools/go-tools.mjs): kind itself, and the node's runtime at the versions kind
// v0.33.0 pins in images/base/Dockerfile (containerd, runc, crictl, CNI plugins) and its add-ons
// (CoreDNS at kubeadm's pin, local-path-provisioner). One `go install` per module, all of its
// commands at once; each result cached under a key made of everything that goes into it.
import { $, fs, path } from 'zx';
import { cachedDir, contentKey, step } from './steps.mjs';

export const KIND = 'v0.33.0';

/**
 * Every module, its commands and how kind's own build makes them. `cgo`: runc needs it (its
 * nsenter is C, and seccomp comes from libseccomp, Debian's libseccomp-dev); the rest are static.
 */
export const KIND_GO_MODULES = [
  { name: 'kind', module: 'sigs.k8s.io/kind', version: KIND, commands: [''], ldflags: [] },
  {
    name: 'containerd',
    module: 'github.com/containerd/containerd/v2',
    version: 'v2.3.4',
    commands: ['cmd/containerd', 'cmd/ctr', 'cmd/containerd-shim-runc-v2'],
    tags: ['no_aufs', 'no_zfs', 'no_btrfs', 'no_devmapper'],
    ldflags: ['-X github.com/containerd/containerd/v2/version.Version=v2.3.4', '-X github.com/containerd/containerd/v2/version.Package=github.com/containerd/containerd/v2'],
  },
  { name: 'runc', module: 'github.com/opencontainers/runc', version: 'v1.4.3', commands: [''], cgo: true, tags: ['seccomp', 'urfave_cli_no_docs'], ldflags: ['-X main.version=1.4.3', '-X main.gitCommit=v1.4.3'] },
  { name: 'crictl', module: 'sigs.k8s.io/cri-tools', version: 'v1.36.0', commands: ['cmd/crictl'], ldflags: ['-X sigs.k8s.io/cri-tools/pkg/version.Version=v1.36.0'] },
  {
    name: 'cni-plugins',
    module: 'github.com/containernetworking/plugins',
    version: 'v1.9.1',
    commands: ['plugins/ipam/host-local', 'plugins/main/loopback', 'plugins/main/ptp', 'plugins/meta/portmap'],
    ldflags: ['-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v1.9.1'],
  },
  { name: 'coredns', module: 'github.com/coredns/coredns', version: 'v1.14.6', commands: [''], ldflags: ['-X github.com/coredns/coredns/coremain.GitCommit=v1.14.6'] },
  // kind v0.33.0 pins v0.0.34, which the Go module proxy does not serve; v0.0.30 is the newest it does
  { name: 'local-path-provisioner', module: 'github.com/rancher/local-path-provisioner', version: 'v0.0.30', commands: [''], ldflags: ['-X main.VERSION=v0.0.30'] },
];

/** Where a module's binaries are cached: `<cache>/kind-<name>-<version>-<goos>-<goarch>-<key>/`. */
async function moduleCacheDir(cacheRoot, spec, goEnv) {
  const key = await contentKey([JSON.stringify(spec), goEnv.GOVERSION, goEnv.GOOS, goEnv.GOARCH]);
  return path.join(cacheRoot, `kind-${spec.name}-${spec.version}-${goEnv.GOOS}-${goEnv.GOARCH}-${key}`);
}

/**
 * Builds (or finds cached) every module's binaries; resolves with `{ <binary>: <path in cache> }`.
 * `goEnv`: { GOVERSION, GOOS, GOARCH, env } (env: the static-build environment of tools.mjs).
 */
export async function buildKindGoBinaries({ cacheRoot, goEnv }) {
  const binaries = {};
  for (const spec of KIND_GO_MODULES) {
    const dir = await moduleCacheDir(cacheRoot, spec, goEnv);
    await step(`${spec.name} ${spec.version} (go install, ${spec.commands.length} command${spec.commands.length > 1 ? 's' : ''})`, () =>
      cachedDir(dir, async (partial) => {
        const packages = spec.commands.map((command) => `${spec.module}${command ? `/${command}` : ''}@${spec.version}`);
        const env = { ...goEnv.env, GOBIN: partial, CGO_ENABLED: spec.cgo ? '1' : '0' };
        const tags = spec.tags?.length ? ['-tags', spec.tags.join(',')] : [];
        await $({ env, cwd: cacheRoot })`go install -trimpath ${tags} -ldflags ${['-s', '-w', ...spec.ldflags].join(' ')} ${packages}`;
      }),
    );
    for (const name of await fs.readdir(dir)) if (!name.startsWith('.')) binaries[name] = path.join(dir, name);
  }
  return binaries;
}
