// `--against <git ref>` for the benchmarks: the same measurement on that commit and on this tree,
// side by side in one run. The ref is checked out into a temporary git worktree (under the OS temp
// dir, removed at the end and on Ctrl-C/SIGTERM); its node_modules is a symlink to this tree's when
// package-lock.json is the same, else `npm ci` runs there. Each tree gets a child process of its
// own (scripts/bench/round-child.mjs, loading that tree's src/), which warms up once and then runs
// one round per request, alternating (ref, current, current, ref, …) so both see the same machine load.
// Plain JavaScript, loaded after pinned-node.mjs.
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const here = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const cleanups = new Set();

function runCleanups() {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      cleanup();
    } catch (error) {
      process.stderr.write(`cleanup: ${error.message}\n`);
    }
  }
  cleanups.clear();
}
let guarded = false;
/** From the first worktree on: Ctrl-C, SIGTERM, SIGHUP and any exit remove what was made. */
function guardSignals() {
  if (guarded) return;
  guarded = true;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: removing the --against worktree and its processes\n`);
      runCleanups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.on('exit', runCleanups);
}

const git = (...args) => execFileSync('git', ['-C', here, ...args], { encoding: 'utf8' }).trim();

/** Checks `ref` out into a temporary worktree with node_modules; returns its root and commit. */
export function refTree(ref) {
  let commit;
  try {
    commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    process.stderr.write(`--against ${ref}: not a commit of ${here} (git rev-parse found none); give a commit, tag or branch\n`);
    process.exit(2);
  }
  guardSignals();
  const folder = mkdtempSync(join(tmpdir(), 'statuschaos-against-'));
  const root = join(folder, 'tree');
  const remove = () => {
    try {
      git('worktree', 'remove', '--force', root);
    } catch {
      // not registered (yet): the folder is removed below and the registration pruned
    }
    rmSync(folder, { recursive: true, force: true });
    git('worktree', 'prune');
  };
  cleanups.add(remove);
  git('worktree', 'add', '--detach', '--quiet', root, commit);
  const sameLock = readFileSync(join(root, 'package-lock.json'), 'utf8') === readFileSync(join(here, 'package-lock.json'), 'utf8');
  if (sameLock) symlinkSync(join(here, 'node_modules'), join(root, 'node_modules'));
  else {
    process.stderr.write(`--against ${ref}: package-lock.json differs; npm ci in ${root}\n`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return { root, commit: commit.slice(0, 10), sameLock, remove: () => (cleanups.delete(remove), remove()) };
}

/** A child process measuring rounds of `module` (scripts/bench/*-rounds.mjs) on the tree at `root`. */
export async function startChild(root, module, options, execArgv = process.execArgv) {
  const pinned = join(root, 'node_modules/node/bin/node');
  const child = fork(new URL('./round-child.mjs', import.meta.url).pathname, [], {
    execPath: existsSync(pinned) ? pinned : process.execPath,
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const kill = () => child.kill('SIGKILL');
  cleanups.add(kill);
  const pending = [];
  child.on('message', (message) => pending.shift()?.(message));
  child.on('exit', (code, signal) => {
    for (const settle of pending.splice(0)) settle({ error: `round child for ${root} exited (${signal ?? code})` });
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      pending.push((answer) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.result)));
      child.send(message);
    });
  await ask({ setup: { root, module: new URL(module, import.meta.url).href, options } });
  return {
    round: (round) => ask({ round }),
    close: () => {
      cleanups.delete(kill);
      child.disconnect();
    },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Alternating rounds (ref, then current) of a `{ key: { value, unit, text, lowerIsBetter? } }`
 * measurement; prints each round's figures, the medians and current ÷ ref.
 */
export async function alternate({ title, rounds, ref, refChild, currentChild }) {
  const byTree = { ref: [], current: [] };
  console.log(`\n${title}: ${rounds} rounds each, alternating (ref ${ref} first in odd rounds, current first in even ones)`);
  for (let round = 1; round <= rounds; round++) {
    const order = [['ref', refChild], ['current', currentChild]];
    if (round % 2 === 0) order.reverse(); // whoever runs second is not always the same tree
    for (const [tree, child] of order) {
      const figures = await child.round(round);
      byTree[tree].push(figures);
      console.log(`  round ${round} ${tree.padEnd(7)}: ${Object.values(figures).map((figure) => figure.text).join('; ')}`);
    }
  }
  for (const key of Object.keys(byTree.current[0])) {
    const [refMedian, currentMedian] = ['ref', 'current'].map((tree) => median(byTree[tree].map((figures) => figures[key].value)));
    const { unit, lowerIsBetter, label } = byTree.current[0][key];
    const ratio = currentMedian / refMedian;
    const better = lowerIsBetter ? `${(1 / ratio).toFixed(2)}× sooner` : `${ratio.toFixed(2)}×`;
    console.log(`  ${label}: median ref ${refMedian.toFixed(1)} ${unit}, current ${currentMedian.toFixed(1)} ${unit}; current ÷ ref ${ratio.toFixed(2)} (${better})`);
  }
}

/** The ref after `--against` (read from process.argv as given: a parser would turn `1234567` into a number). */
export function againstRef(args = process.argv) {
  const at = args.findIndex((arg) => arg === '--against' || arg.startsWith('--against='));
  if (at === -1) return undefined;
  const ref = args[at].includes('=') ? args[at].slice('--against='.length) : args[at + 1];
  if (!ref || ref.startsWith('--')) {
    process.stderr.write('--against needs a git ref (a commit, tag or branch), e.g. --against d66a376\n');
    process.exit(2);
  }
  return ref;
}

/** Runs each of `configurations` ({ title, options, execArgv }) on `ref` and on this tree, in alternating rounds. */
export async function benchAgainst({ ref, module, rounds, configurations }) {
  const tree = refTree(ref);
  console.log(`--against ${ref} (${tree.commit}): worktree ${tree.root}, node_modules ${tree.sameLock ? "linked (same package-lock.json)" : 'installed by npm ci'}; current tree ${here}`);
  try {
    for (const { title, options, execArgv } of configurations) {
      const refChild = await startChild(tree.root, module, options, execArgv);
      const currentChild = await startChild(here, module, options, execArgv);
      try {
        await alternate({ title, rounds, ref: tree.commit, refChild, currentChild });
      } finally {
        refChild.close();
        currentChild.close();
      }
    }
  } finally {
    tree.remove();
  }
}
