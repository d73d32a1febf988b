// What `npm run tools` expects to take, printed before it starts: for each part, whether its
// cache looks complete (then seconds) or not (then the cold figures measured on a 2-core machine,
// quiet and loaded; docs/tools.md has the measurements behind them).
import { fs, path } from 'zx';

/** Cold seconds per part, measured (docs/tools.md "Build times"): [quiet machine, loaded machine]. */
export const COLD_SECONDS = {
  go: [492, 1418 + 900],
  kind: [1100, 2400],
  flink: [21, 40],
};

/** Does the cache hold every file named `<dir prefix>…/<name>`? */
async function cachedBinaries(cacheRoot, prefix, names) {
  const dirs = (await fs.readdir(cacheRoot).catch(() => [])).filter((dir) => dir.startsWith(prefix));
  for (const name of names) {
    let found = false;
    for (const dir of dirs) if (await fs.pathExists(path.join(cacheRoot, dir, name))) found = true;
    if (!found) return false;
  }
  return true;
}

const minutes = (seconds) => `${Math.round(seconds / 60)} min`;

/** Prints what the run is expected to cost, part by part. */
export async function printExpectation({ cacheRoot, toolsDir, withKind }) {
  const parts = [];
  const goWarm =
    (await cachedBinaries(cacheRoot, 'kubernetes-', ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', ...(withKind ? ['kubelet', 'kubeadm', 'kube-proxy'] : [])])) &&
    (await cachedBinaries(cacheRoot, 'etcd-', ['etcd'])) &&
    (await cachedBinaries(cacheRoot, 'kwok-', ['kwok'])) &&
    (await cachedBinaries(cacheRoot, 'toxiproxy-', ['toxiproxy-server']));
  parts.push(['Go tools', goWarm, COLD_SECONDS.go]);
  parts.push(['real Flink', await fs.pathExists(path.join(toolsDir, 'flink', 'jvm-params.json')), COLD_SECONDS.flink]);
  if (withKind) parts.push(["kind's world", await fs.pathExists(path.join(toolsDir, 'kind', 'images.json')), COLD_SECONDS.kind]);
  const cold = parts.filter(([, warm]) => !warm);
  console.log('expected:');
  for (const [name, warm, [quiet, loaded]] of parts) console.log(`  ${name.padEnd(14)} ${warm ? 'cached: seconds' : `cold: about ${minutes(quiet)} on a quiet 2-core machine, up to ${minutes(loaded)} when it is busy`}`);
  if (cold.length > 0) console.log(`  in all about ${minutes(cold.reduce((sum, [, , [quiet]]) => sum + quiet, 0))} (quiet) to ${minutes(cold.reduce((sum, [, , [, loaded]]) => sum + loaded, 0))} (loaded); each step prints its time`);
}
