#!/usr/bin/env node
// Builds the binaries the live backends need (`npm run tools`) into the git-ignored `.tools/bin`,
// from their published Go modules, with `go build`, and real Flink into `.tools/flink` (jars
// from Maven Central, the test job with javac: scripts/tools/flink.mjs). What it built is kept in
// a cache outside the repository (STATUSCHAOS_TOOLS_CACHE, default
// ~/.cache/statuschaos/tools/<version-key>/), so a fresh clone on the same machine only copies
// it. See docs/tools.md.
import { constants } from 'node:fs';
import { $, fs, path, os, which } from 'zx';
import {
  etcdMainSource,
  goDirective,
  kubernetesVersionLdflags,
  replaceBlock,
  requiredVersion,
  wrapperGoMod,
} from './tools/wrapper-module.ts';
import { onCI } from '../src/tool.ts';
import { buildFlink } from './tools/flink.mjs';
import { buildStreampark } from './tools/streampark.mjs';

const KUBERNETES = 'v1.37.2';
const TOXIPROXY = 'v2.12.0';
const KWOK = 'v0.8.0';

const repoRoot = path.resolve(import.meta.dirname, '..');
const toolsDir = path.resolve(process.env.STATUSCHAOS_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
const binDir = path.join(toolsDir, 'bin');
const versionsFile = path.join(toolsDir, 'versions.json');
/** `--optional` (used by `npm test`): a machine without Go is not an error outside CI. */
const optional = process.argv.includes('--optional') && !onCI();
const cacheRoot = path.resolve(process.env.STATUSCHAOS_TOOLS_CACHE ?? path.join(os.homedir(), '.cache', 'statuschaos', 'tools'));

// Static binaries, as upstream releases them; GOTOOLCHAIN=local never downloads another Go.
const goEnv = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off' };
$.verbose = false;
$.quiet = true;
$.env = goEnv;

const timings = [];
const startedAt = performance.now();

/** Runs one named step, printing its name before and its wall time after. */
async function step(name, fn) {
  console.log(`▸ ${name}`);
  const started = performance.now();
  try {
    return await fn();
  } finally {
    const seconds = (performance.now() - started) / 1000;
    timings.push({ name, seconds });
    console.log(`  ${name}: ${seconds.toFixed(1)}s`);
  }
}

/** Exits with code 3 and a hint when Go is missing or older than `minimum`; false when it is missing and that is allowed. */
async function requireGo(minimum) {
  const go = await which('go', { nothrow: true });
  if (!go) {
    const hint = 'install Go (https://go.dev/dl/, or `apt-get install golang-go` if new enough) and run `npm run tools` again.';
    if (optional) {
      // `npm test` asks for the tools this way: without Go the live tests skip (locally) or fail (CI)
      console.warn(`tools: \`go\` was not found on PATH, so the live backends' binaries cannot be built; ${hint}`);
      return false;
    }
    console.error('error: `go` was not found on PATH. The tools are built from source with Go;');
    console.error(`       ${hint}`);
    process.exit(3);
  }
  if (minimum === undefined) return true;
  const version = (await $`go env GOVERSION`).stdout.trim().replace(/^go/, '');
  if (compareVersions(version, minimum) < 0) {
    console.error(`error: Go ${version} is too old: k8s.io/kubernetes ${KUBERNETES} needs Go ${minimum} or newer (found ${go}).`);
    process.exit(3);
  }
  return true;
}

function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Downloads a module into the module cache and returns `go mod download -json`'s record. */
async function downloadModule(module, version) {
  const out = await $({ cwd: os.tmpdir() })`go mod download -json ${`${module}@${version}`}`;
  return JSON.parse(out.stdout);
}

async function readVersions() {
  try {
    return JSON.parse(await fs.readFile(versionsFile, 'utf8'));
  } catch {
    return {};
  }
}

/** Builds with `build(partialPath)` unless `<cacheDir>/<tool>` exists; renames into place so a present file is complete. */
async function ensureCached(cacheDir, tool, build) {
  const target = path.join(cacheDir, tool);
  if (await fs.pathExists(target)) return false;
  await fs.mkdirp(cacheDir);
  const partial = path.join(cacheDir, `.partial-${tool}`);
  await fs.remove(partial);
  await build(partial);
  await fs.rename(partial, target);
  return true;
}

/** Runs `go install pkg@version` into a scratch GOBIN and returns the binary's path there. */
async function goInstall(pkg, version, ldflags, scratch) {
  await fs.mkdirp(scratch);
  await $({ env: { ...goEnv, GOBIN: scratch } })`go install -trimpath -ldflags ${ldflags} ${`${pkg}@${version}`}`;
  return path.join(scratch, path.basename(pkg));
}

/** The Go tools (toxiproxy, kwok, etcd, Kubernetes); returns the versions it recorded, or undefined without Go. */
async function buildGoTools() {
  if (!(await requireGo(undefined))) return undefined;
  const goos = (await $`go env GOOS`).stdout.trim();
  const goarch = (await $`go env GOARCH`).stdout.trim();
  const key = (name, version) => path.join(cacheRoot, `${name}-${version}-${goos}-${goarch}`);

  const kubernetes = await step(`resolve k8s.io/kubernetes ${KUBERNETES}`, async () => {
    const record = await downloadModule('k8s.io/kubernetes', KUBERNETES);
    const goMod = await fs.readFile(record.GoMod, 'utf8');
    const info = JSON.parse(await fs.readFile(record.Info, 'utf8'));
    return { goMod, buildDate: info.Time.replace(/\.\d+Z$/, 'Z') };
  });
  const goVersion = goDirective(kubernetes.goMod);
  await requireGo(goVersion);
  const etcdVersion = requiredVersion(kubernetes.goMod, 'go.etcd.io/etcd/server/v3');
  if (!etcdVersion) throw new Error(`k8s.io/kubernetes ${KUBERNETES} go.mod does not require go.etcd.io/etcd/server/v3`);

  const wrapperDir = path.join(cacheRoot, `go-wrapper-kubernetes-${KUBERNETES}`);
  let wrapperReady = false;
  /** Writes the wrapper module (once per run) and resolves its build list with `go get`. */
  const prepareWrapper = async (packages) => {
    if (wrapperReady) return;
    await step('generate wrapper module', async () => {
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
      const goModPath = path.join(wrapperDir, 'go.mod');
      const previous = (await fs.pathExists(goModPath)) ? await fs.readFile(path.join(wrapperDir, 'go.mod.generated'), 'utf8').catch(() => '') : '';
      if (previous !== goModText) {
        await fs.writeFile(goModPath, goModText);
        await fs.writeFile(path.join(wrapperDir, 'go.mod.generated'), goModText);
        await fs.remove(path.join(wrapperDir, 'go.sum'));
      }
      await fs.writeFile(path.join(wrapperDir, 'cmd', 'etcd', 'main.go'), etcdMainSource());
    });
    await step('go get (wrapper build list)', () => $({ cwd: wrapperDir })`go get ${packages}`);
    wrapperReady = true;
  };

  const kubeLdflags = ['-s', '-w', ...kubernetesVersionLdflags(KUBERNETES, kubernetes.buildDate)].join(' ');
  const kubeCommands = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'];
  const wrapperPackages = [
    ...kubeCommands.map((c) => `k8s.io/kubernetes/cmd/${c}@${KUBERNETES}`),
    `go.etcd.io/etcd/server/v3/etcdmain@${etcdVersion}`,
  ];

  /** Every tool: its recorded version, its cache folder, and how to build it there. */
  const tools = [
    ...['server', 'cli'].map((cmd) => ({
      name: `toxiproxy-${cmd}`,
      version: TOXIPROXY,
      cacheDir: key('toxiproxy', TOXIPROXY),
      build: async (out) => {
        const ldflags = `-s -w -X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY.slice(1)}`;
        const built = await goInstall(`github.com/Shopify/toxiproxy/v2/cmd/${cmd}`, TOXIPROXY, ldflags, path.join(wrapperDir, '..', `.scratch-toxiproxy-${cmd}`));
        await fs.move(built, out, { overwrite: true });
      },
    })),
    {
      name: 'kwok',
      version: KWOK,
      cacheDir: key('kwok', KWOK),
      build: async (out) => {
        const ldflags = `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK.slice(1)}`;
        const built = await goInstall('sigs.k8s.io/kwok/cmd/kwok', KWOK, ldflags, path.join(wrapperDir, '..', '.scratch-kwok'));
        await fs.move(built, out, { overwrite: true });
      },
    },
    {
      name: 'etcd',
      version: etcdVersion,
      cacheDir: key('etcd', etcdVersion),
      build: async (out) => {
        await prepareWrapper(wrapperPackages);
        await $({ cwd: wrapperDir })`go build -trimpath -ldflags ${'-s -w'} -o ${out} ./cmd/etcd`;
      },
    },
    ...kubeCommands.map((cmd) => ({
      name: cmd,
      version: KUBERNETES,
      cacheDir: key('kubernetes', KUBERNETES),
      build: async (out) => {
        await prepareWrapper(wrapperPackages);
        await $({ cwd: wrapperDir })`go build -trimpath -ldflags ${kubeLdflags} -o ${out} ${`k8s.io/kubernetes/cmd/${cmd}`}`;
      },
    })),
  ];

  const recorded = await readVersions();
  const versions = {};
  await fs.mkdirp(binDir);
  const kept = Object.fromEntries(Object.entries(recorded).filter(([name]) => name === 'flink'));
  for (const tool of tools) {
    const installed = path.join(binDir, tool.name);
    versions[tool.name] = tool.version;
    if (recorded[tool.name] === tool.version && (await fs.pathExists(installed))) {
      console.log(`▸ ${tool.name} ${tool.version}: up to date`);
      continue;
    }
    await step(`${tool.name} ${tool.version}`, async () => {
      const built = await ensureCached(tool.cacheDir, tool.name, tool.build);
      if (!built) console.log(`  from cache ${tool.cacheDir}`);
      await fs.remove(installed);
      await fs.copyFile(path.join(tool.cacheDir, tool.name), installed, constants.COPYFILE_FICLONE);
      await fs.chmod(installed, 0o755);
    });
    // Record progress after each tool, so an interrupted run keeps what it finished.
    await fs.writeFile(versionsFile, `${JSON.stringify({ ...recorded, ...versions }, null, 2)}\n`);
  }
  await fs.writeFile(versionsFile, `${JSON.stringify({ ...kept, ...versions }, null, 2)}\n`);
  await Promise.all(
    ['.scratch-kwok', '.scratch-toxiproxy-server', '.scratch-toxiproxy-cli'].map((d) => fs.remove(path.join(cacheRoot, d))),
  );

  console.log('\nversions:');
  for (const tool of tools) {
    const args = tool.name === 'kubectl' ? ['version', '--client'] : ['--version'];
    const out = await $`${path.join(binDir, tool.name)} ${args}`.nothrow();
    const line = `${out.stdout}${out.stderr}`.trim().split('\n')[0] ?? '';
    console.log(`  ${tool.name.padEnd(24)} ${line}`);
  }
  return versions;
}

async function main() {
  console.log(`tools: ${toolsDir}\ncache: ${cacheRoot}`);
  await buildGoTools();
  const flink = await buildFlink({ repoRoot, toolsDir, cacheRoot, recorded: await readVersions(), onCI: onCI(), step });
  if (flink !== undefined) {
    await fs.mkdirp(toolsDir);
    await fs.writeFile(versionsFile, `${JSON.stringify({ ...(await readVersions()), flink }, null, 2)}\n`);
  }
  await buildStreampark({ repoRoot, toolsDir, cacheRoot, versionsFile, onCI: onCI(), step });
  console.log(`\ndone in ${((performance.now() - startedAt) / 1000).toFixed(1)}s`);
}

try {
  await main();
} catch (error) {
  const detail = error?.stderr ? `\n${String(error.stderr).trim().split('\n').slice(-30).join('\n')}` : '';
  console.error(`error: ${error?.message?.split('\n')[0] ?? error}${detail}`);
  process.exit(1);
}
