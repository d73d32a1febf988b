/**
 * What the harness writes into an output folder, as a tree of name patterns, and the check that
 * a folder holds nothing else (docs/limits.md, "The output folder"). Reusing a folder removes
 * what the earlier run wrote; anything there that matches no pattern — a note in runs/, a folder
 * under logs/ — is the user's, and the folder is refused instead. Folders that hold a tool's own
 * data (the local control plane's etcd and certificates, a real Flink's work folders) are taken
 * whole: the harness cannot know their file names, and a user has no reason to keep files there.
 * A tracker process's work folder (runs/<id>/trackers/<variant>/: its stderr, StreamPark's
 * workspace) is such a folder.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A folder's allowed entries: files by pattern, folders by name or pattern. `'whole'`: a tool's data, taken as it is. */
interface Tree {
  files: readonly RegExp[];
  folders?: Readonly<Record<string, Tree | 'whole'>>;
  /** folders whose names match, each holding `tree` */
  anyFolder?: { name: RegExp; tree: Tree | 'whole' };
}

/** `.NAME.<16 hex digits>.tmp`: a file being written (safe-files.ts), left by a run that died. */
const TEMPORARY = /^\..+\.[0-9a-f]{16}\.tmp$/;
const LOGS: Tree = { files: [/\.(log|out)$/, /^\.kubectl-kubeconfig$/, TEMPORARY], anyFolder: { name: /^\.toxiproxy-/, tree: 'whole' } };
/** A live backend's folder: the local control plane (cluster/), kind (kind/), the kubeconfig backend (logs/). */
const CLUSTER: Tree = { files: [/^kubeconfig$/, /^cluster\.json$/, TEMPORARY], folders: { logs: LOGS, 'control-plane': 'whole' } };
const KIND: Tree = { files: [/^kubeconfig$/, /^[\w.-]+\.ya?ml$/, TEMPORARY], folders: { logs: LOGS } };
const BACKEND_FOLDERS = { cluster: CLUSTER, kind: KIND, logs: LOGS } as const;
/** One scenario run's files on a live backend: runs/<id>/ (real Flink: its work folder and logs; each tracker process's work folder, trackers/<variant>/). */
const SCENARIO_RUN: Tree = { files: [/^kubeconfig$/, TEMPORARY], folders: { flink: 'whole', logs: LOGS, trackers: 'whole' } };

/** A reproduce explanation's name (src/reproduce/explanation-file.ts): the incident's slug, `-explanation-<n>`, `-<k>` when taken. */
const EXPLANATION = '[a-z0-9-]+-explanation-[0-9]+(-[0-9]+)?';

export const OUTPUT_TREE: Tree = {
  files: [
    /^run\.json$/, /^explore\.json$/, /^reproduce\.json$/, /^results\.jsonl$/, /^junit\.xml$/, /^index\.html$/, /^scenario-[a-z0-9-]+\.html$/, /^finding-[a-z0-9-]+\.html$/,
    // reproduce: the incident it wrote from --from-kubectl, one page per explanation
    /^incident\.yaml$/, new RegExp(`^${EXPLANATION}\\.html$`),
    /^\.statuschaos\.lock$/, TEMPORARY,
  ],
  folders: {
    runs: { files: [/^[a-z0-9-]+\.json$/, TEMPORARY], anyFolder: { name: /^[a-z0-9-]+$/, tree: SCENARIO_RUN } },
    findings: { files: [/^finding-[a-z0-9-]+\.yaml$/, TEMPORARY] },
    explanations: { files: [new RegExp(`^${EXPLANATION}\\.yaml$`), TEMPORARY] },
    // the worker threads' backends (workers/<n>/) and --confirm's (confirm/, its runs confirm/confirm-<n>/)
    workers: { files: [], anyFolder: { name: /^\d+$/, tree: { files: [], folders: BACKEND_FOLDERS } } },
    confirm: { files: [], folders: BACKEND_FOLDERS, anyFolder: { name: /^confirm-\d+$/, tree: SCENARIO_RUN } },
    // reproduce --certify-real: its backend (certify/) and each explanation's run (certify/<explanation>/)
    certify: { files: [], folders: BACKEND_FOLDERS, anyFolder: { name: new RegExp(`^${EXPLANATION}$`), tree: SCENARIO_RUN } },
    ...BACKEND_FOLDERS,
  },
};

/** Folder levels and entries looked at, at most: an output folder has a few levels and, at most, a few thousand files. */
const MAX_DEPTH = 12;
const MAX_ENTRIES = 200_000;

/** Entries of `path` (recursively, by `tree`) the harness did not write: their paths relative to it, up to `limit`. */
export async function foreignEntries(path: string, tree: Tree = OUTPUT_TREE, limit = 5): Promise<{ foreign: string[]; tooMany: boolean }> {
  const foreign: string[] = [];
  let seen = 0;
  const visit = async (dir: string, shown: string, node: Tree, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (foreign.length >= limit || ++seen > MAX_ENTRIES) return;
      const name = `${shown}${entry.name}`;
      if (entry.isFile() && node.files.some((pattern) => pattern.test(entry.name))) continue;
      const sub = entry.isDirectory() ? (node.folders?.[entry.name] ?? (node.anyFolder?.name.test(entry.name) ? node.anyFolder.tree : undefined)) : undefined;
      if (sub === undefined) foreign.push(entry.isSymbolicLink() ? `${name} (a link)` : entry.isDirectory() ? `${name}/` : name);
      else if (sub !== 'whole' && depth >= MAX_DEPTH) foreign.push(`${name}/ (nested deeper than the harness writes)`);
      else if (sub !== 'whole') await visit(join(dir, entry.name), `${name}/`, sub, depth + 1);
    }
  };
  await visit(path, '', tree, 0);
  return { foreign, tooMany: seen > MAX_ENTRIES };
}
