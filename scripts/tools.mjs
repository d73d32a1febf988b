#!/usr/bin/env node
// Builds what the live backends need (`npm run tools`, docs/tools.md) into the git-ignored
// `.tools/`: the Go tools from their published modules (scripts/tools/go-tools.mjs), real Flink
// (scripts/tools/flink.mjs), the real StreamPark trackers' driver (scripts/tools/streampark.mjs),
// and kind's world (scripts/tools/kind-world.mjs: Docker engine, kind, node image, JobManager images). What it built is kept in a cache outside the repository
// (STATUSCHAOS_TOOLS_CACHE, default ~/.cache/statuschaos/tools/), keyed by what goes into it, so
// a fresh clone on the same machine only copies. It prints the expected time first and every
// step's time (built, or cached) as it goes.
//   --optional   (npm test) without Go, a JDK or root, skip that part instead of failing (CI=true fails)
//   --no-kind    skip kind's world (STATUSCHAOS_TOOLS_KIND=0 does the same)
import { $, fs, path, os } from 'zx';
import { onCI } from '../src/tool.ts';
import { buildFlink } from './tools/flink.mjs';
import { KIND_KUBE_COMMANDS, KUBERNETES, buildGoTools, findGo, goEnvironment, printVersions } from './tools/go-tools.mjs';
import { buildKindWorld } from './tools/kind-world.mjs';
import { printExpectation } from './tools/expected.mjs';
import { printSummary, step } from './tools/steps.mjs';
import { buildStreampark } from './tools/streampark.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const toolsDir = path.resolve(process.env.STATUSCHAOS_TOOLS_DIR ?? path.join(repoRoot, '.tools'));
const binDir = path.join(toolsDir, 'bin');
const versionsFile = path.join(toolsDir, 'versions.json');
const cacheRoot = path.resolve(process.env.STATUSCHAOS_TOOLS_CACHE ?? path.join(os.homedir(), '.cache', 'statuschaos', 'tools'));
/** `--optional` (used by `npm test`): a machine without Go is not an error outside CI. */
const optional = process.argv.includes('--optional') && !onCI();
const withKind = !process.argv.includes('--no-kind') && process.env.STATUSCHAOS_TOOLS_KIND !== '0';

$.verbose = false;
$.quiet = true;
const startedAt = performance.now();

async function readVersions() {
  return JSON.parse(await fs.readFile(versionsFile, 'utf8').catch(() => '{}'));
}

async function recordVersions(versions) {
  await fs.mkdirp(toolsDir);
  await fs.writeFile(versionsFile, `${JSON.stringify({ ...(await readVersions()), ...versions }, null, 2)}\n`);
}

async function main() {
  console.log(`tools: ${toolsDir}\ncache: ${cacheRoot}`);
  await fs.mkdirp(cacheRoot);
  await printExpectation({ cacheRoot, toolsDir, withKind });
  const noGo = await findGo();
  let go;
  if (noGo) {
    if (!optional) {
      console.error(`error: \`go\` was not found on PATH. The tools are built from source with Go;\n       ${noGo}`);
      process.exit(3);
    }
    // `npm test` asks for the tools this way: without Go the live tests skip (locally) or fail (CI)
    console.warn(`tools: \`go\` was not found on PATH, so the live backends' binaries cannot be built; ${noGo}`);
  } else {
    const goEnv = await goEnvironment();
    const built = await buildGoTools({ cacheRoot, binDir, recorded: await readVersions(), goEnv, withKind });
    await recordVersions(built.versions);
    go = { goEnv, binaries: built.binaries, names: Object.keys(built.versions) };
  }

  const flink = await buildFlink({ repoRoot, toolsDir, cacheRoot, recorded: await readVersions(), onCI: onCI(), step });
  if (flink !== undefined) await recordVersions({ flink });
  await buildStreampark({ repoRoot, toolsDir, cacheRoot, versionsFile, onCI: onCI(), step });

  if (withKind && go !== undefined) {
    const kubeBinaries = Object.fromEntries(['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', ...KIND_KUBE_COMMANDS].map((name) => [name, go.binaries[name]]));
    const kind = await buildKindWorld({ repoRoot, toolsDir, cacheRoot, goEnv: go.goEnv, kubeBinaries, kubernetesVersion: KUBERNETES, flinkVersion: flink, onCI: onCI() });
    if (kind !== undefined) await recordVersions(kind);
  } else if (withKind) console.warn('tools: kind\'s world needs Go; skipped.');

  if (go !== undefined) await printVersions(binDir, go.names);
  printSummary((performance.now() - startedAt) / 1000);
}

try {
  await main();
} catch (error) {
  const detail = error?.stderr ? `\n${String(error.stderr).trim().split('\n').slice(-30).join('\n')}` : '';
  console.error(`error: ${error?.message?.split('\n')[0] ?? error}${detail}`);
  process.exit(error?.exitCode === 3 ? 3 : 1);
}
