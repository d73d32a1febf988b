// The Go tools of the live backends (docs/tools.md): Toxiproxy, kwok, and from the wrapper module
// (wrapper-module.ts) etcd and Kubernetes' commands, the kind world's kubelet, kubeadm and
// kube-proxy with them. Every command of the wrapper that is not cached yet is built by ONE
// `go build` (one compile graph: shared packages compiled once, links beside compiles on both
// cores), Toxiproxy's two commands by one `go install`. Built binaries are cached per
// version in the tools cache; `.tools/bin` gets copies of the ones the backends run.
import { constants } from 'node:fs';
import { $, fs, path, os, which } from 'zx';
import { etcdMainSource, goDirective, kubernetesVersionLdflags, replaceBlock, requiredVersion, wrapperGoMod } from './wrapper-module.ts';
import { step } from './steps.mjs';

export const KUBERNETES = 'v1.37.2';
const TOXIPROXY = 'v2.12.0';
const KWOK = 'v0.8.0';
/** The local backend's Kubernetes commands (installed into .tools/bin). */
const KUBE_COMMANDS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'];
/** kind's node needs these too (they go into the node image, not .tools/bin). */
export const KIND_KUBE_COMMANDS = ['kubelet', 'kubeadm', 'kube-proxy'];

function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Go on PATH, or the sentence saying what to install. */
export async function findGo() {
  if (await which('go', { nothrow: true })) return undefined;
  return 'install Go (https://go.dev/dl/, or `apt-get install golang-go` if new enough) and run `npm run tools` again';
}

/** The environment of every Go build: static binaries, no toolchain download, no workspace. */
export async function goEnvironment() {
  const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off' };
  const read = async (name) => (await $({ env })`go env ${name}`).stdout.trim();
  return { env, GOVERSION: await read('GOVERSION'), GOOS: await read('GOOS'), GOARCH: await read('GOARCH') };
}

/** Moves `from` to `to` atomically for readers: a present cache file is complete. */
async function placeInCache(from, to) {
  await fs.mkdirp(path.dirname(to));
  await fs.move(from, `${to}.partial`, { overwrite: true });
  await fs.rename(`${to}.partial`, to);
}

/**
 * Builds (or takes from the cache) every Go tool and installs the backends' into `binDir`.
 * `withKind`: also kubelet, kubeadm and kube-proxy. Resolves with `{ versions, binaries }`
 * (binaries: name → path in the cache).
 */
export async function buildGoTools({ cacheRoot, binDir, recorded, goEnv, withKind }) {
  const { env } = goEnv;
  const key = (name, version) => path.join(cacheRoot, `${name}-${version}-${goEnv.GOOS}-${goEnv.GOARCH}`);
  const kubernetes = await step(`resolve k8s.io/kubernetes ${KUBERNETES}`, async () => {
    const record = JSON.parse((await $({ env, cwd: os.tmpdir() })`go mod download -json ${`k8s.io/kubernetes@${KUBERNETES}`}`).stdout);
    const goMod = await fs.readFile(record.GoMod, 'utf8');
    const info = JSON.parse(await fs.readFile(record.Info, 'utf8'));
    return { goMod, buildDate: info.Time.replace(/\.\d+Z$/, 'Z') };
  });
  const goVersion = goDirective(kubernetes.goMod);
  if (goVersion && compareVersions(goEnv.GOVERSION.replace(/^go/, ''), goVersion) < 0) {
    throw Object.assign(new Error(`Go ${goEnv.GOVERSION} is too old: k8s.io/kubernetes ${KUBERNETES} needs Go ${goVersion} or newer`), { exitCode: 3 });
  }
  const etcdVersion = requiredVersion(kubernetes.goMod, 'go.etcd.io/etcd/server/v3');
  if (!etcdVersion) throw new Error(`k8s.io/kubernetes ${KUBERNETES} go.mod does not require go.etcd.io/etcd/server/v3`);

  const wrapperCommands = [...KUBE_COMMANDS, ...(withKind ? KIND_KUBE_COMMANDS : [])];
  /** Every binary: where it is cached, and which build makes it. */
  const cached = {
    'toxiproxy-server': path.join(key('toxiproxy', TOXIPROXY), 'toxiproxy-server'),
    'toxiproxy-cli': path.join(key('toxiproxy', TOXIPROXY), 'toxiproxy-cli'),
    kwok: path.join(key('kwok', KWOK), 'kwok'),
    etcd: path.join(key('etcd', etcdVersion), 'etcd'),
    ...Object.fromEntries(wrapperCommands.map((command) => [command, path.join(key('kubernetes', KUBERNETES), command)])),
  };
  const versions = { 'toxiproxy-server': TOXIPROXY, 'toxiproxy-cli': TOXIPROXY, kwok: KWOK, etcd: etcdVersion, ...Object.fromEntries(KUBE_COMMANDS.map((command) => [command, KUBERNETES])) };
  const missing = async (names) => (await Promise.all(names.map(async (name) => ((await fs.pathExists(cached[name])) ? undefined : name)))).filter(Boolean);
  const scratch = path.join(cacheRoot, '.scratch-go');

  const toxiproxyMissing = await missing(['toxiproxy-server', 'toxiproxy-cli']);
  await step(`toxiproxy ${TOXIPROXY} (go install, server and cli)`, async (warm) => {
    if (toxiproxyMissing.length === 0) return warm();
    await fs.emptyDir(scratch);
    const ldflags = `-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY.slice(1)}`;
    await $({ env: { ...env, GOBIN: scratch }, cwd: os.tmpdir() })`go install -trimpath -ldflags ${ldflags} ${['server', 'cli'].map((cmd) => `github.com/Shopify/toxiproxy/v2/cmd/${cmd}@${TOXIPROXY}`)}`;
    for (const cmd of ['server', 'cli']) await placeInCache(path.join(scratch, cmd), cached[`toxiproxy-${cmd}`]);
  });
  await step(`kwok ${KWOK} (go install)`, async (warm) => {
    if ((await missing(['kwok'])).length === 0) return warm();
    await fs.emptyDir(scratch);
    await $({ env: { ...env, GOBIN: scratch }, cwd: os.tmpdir() })`go install -trimpath -ldflags ${`-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK.slice(1)}`} ${`sigs.k8s.io/kwok/cmd/kwok@${KWOK}`}`;
    await placeInCache(path.join(scratch, 'kwok'), cached.kwok);
  });

  const wrapperMissing = await missing(['etcd', ...wrapperCommands]);
  await step(`etcd ${etcdVersion} and Kubernetes ${KUBERNETES}: ${wrapperMissing.length > 0 ? `one go build of ${wrapperMissing.join(', ')}` : 'all cached'}`, async (warm) => {
    if (wrapperMissing.length === 0) return warm();
    const wrapperDir = path.join(cacheRoot, `go-wrapper-kubernetes-${KUBERNETES}`);
    const goModText = wrapperGoMod({
      module: 'statuschaos.local/toolbuild',
      goVersion: goVersion ?? '1.26',
      requires: [
        { path: 'k8s.io/kubernetes', version: KUBERNETES },
        { path: 'go.etcd.io/etcd/server/v3', version: etcdVersion },
      ],
      replace: replaceBlock(kubernetes.goMod, KUBERNETES),
    });
    await fs.mkdirp(path.join(wrapperDir, 'cmd', 'etcd'));
    const previous = await fs.readFile(path.join(wrapperDir, 'go.mod.generated'), 'utf8').catch(() => '');
    if (previous !== goModText) {
      await fs.writeFile(path.join(wrapperDir, 'go.mod'), goModText);
      await fs.writeFile(path.join(wrapperDir, 'go.mod.generated'), goModText);
      await fs.remove(path.join(wrapperDir, 'go.sum'));
    }
    await fs.writeFile(path.join(wrapperDir, 'cmd', 'etcd', 'main.go'), etcdMainSource());
    const packages = wrapperMissing.map((name) => (name === 'etcd' ? './cmd/etcd' : `k8s.io/kubernetes/cmd/${name}`));
    // the build list of exactly these packages (go.sum entries for what they import)
    await $({ env, cwd: wrapperDir })`go get ${[...wrapperCommands.map((command) => `k8s.io/kubernetes/cmd/${command}@${KUBERNETES}`), `go.etcd.io/etcd/server/v3/etcdmain@${etcdVersion}`]}`;
    await fs.emptyDir(scratch);
    // -X for the version packages: etcd does not link them, so they change nothing there
    const ldflags = ['-s', '-w', ...kubernetesVersionLdflags(KUBERNETES, kubernetes.buildDate)].join(' ');
    await $({ env, cwd: wrapperDir })`go build -trimpath -ldflags ${ldflags} -o ${`${scratch}/`} ${packages}`;
    for (const name of wrapperMissing) await placeInCache(path.join(scratch, name), cached[name]);
  });
  await fs.remove(scratch);

  await fs.mkdirp(binDir);
  for (const [name, version] of Object.entries(versions)) {
    const installed = path.join(binDir, name);
    if (recorded[name] === version && (await fs.pathExists(installed))) continue;
    await fs.remove(installed);
    await fs.copyFile(cached[name], installed, constants.COPYFILE_FICLONE);
    await fs.chmod(installed, 0o755);
  }
  return { versions, binaries: cached };
}

/** Prints each installed tool's own version line. */
export async function printVersions(binDir, names) {
  console.log('\nversions:');
  for (const name of names) {
    const args = name === 'kubectl' ? ['version', '--client'] : ['--version'];
    const out = await $`${path.join(binDir, name)} ${args}`.nothrow();
    console.log(`  ${name.padEnd(24)} ${`${out.stdout}${out.stderr}`.trim().split('\n')[0] ?? ''}`);
  }
}
