/**
 * Opening files beneath a folder without following a link on the way: the folder is opened once,
 * and every part of the path below it is opened relative to the handle of the part above, with
 * O_NOFOLLOW (on Linux through /proc/self/fd/<n>, which names the open folder itself, wherever it
 * has moved since). A part that is, or has become, a symbolic link is refused, so swapping
 * `OUT/runs` for a link to a folder elsewhere mid-run sends no file there; and a link inside a
 * run folder given as input is never read through. Where /proc is missing the parts are checked
 * with lstat just before the open instead (a narrower window, not none).
 */
import { constants, existsSync } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const PROC_FD = existsSync('/proc/self/fd');
const FOLDER = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** A part of a path below a folder that is a link (or not a folder where one must be). */
export class LinkInPath extends Error {
  readonly code = 'ELINKINPATH';
  readonly path: string;
  constructor(path: string, what: string) {
    super(`${path} is ${what}; the harness never reads or writes through links inside its folders`);
    this.name = 'LinkInPath';
    this.path = path;
  }
}

/** An open folder below which paths are resolved part by part. */
export interface Beneath {
  /** the path it was opened at (for messages) */
  readonly root: string;
  /** a path naming the open folder itself (`/proc/self/fd/<n>`, or `root` without /proc) */
  readonly self: string;
  close(): Promise<void>;
}

/** Open `root` as the folder paths are resolved beneath (`followRoot`: the root itself may be reached through a link, e.g. reports/latest). */
export async function openBeneath(root: string, { followRoot = false } = {}): Promise<Beneath> {
  const handle = await open(root, followRoot ? constants.O_RDONLY | constants.O_DIRECTORY : FOLDER).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ELOOP' || error.code === 'ENOTDIR' ? new LinkInPath(root, 'a symbolic link or not a folder') : error;
  });
  return { root, self: PROC_FD ? `/proc/self/fd/${handle.fd}` : root, close: () => handle.close() };
}

/** What a part that could not be opened as a folder is, for the message. */
async function describe(path: string): Promise<string> {
  const info = await lstat(path).catch(() => undefined);
  return info?.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
}

/**
 * The folder `parts` below `base` (opened part by part, never through a link), created with mode
 * 0755 where missing when `create`. Returns a path naming it and how to let it go.
 */
async function folderBeneath(base: Beneath, parts: readonly string[], create: boolean): Promise<{ self: string; close(): Promise<void> }> {
  if (!PROC_FD) {
    for (let depth = 1; depth <= parts.length; depth++) {
      const path = join(base.root, ...parts.slice(0, depth));
      const info = await lstat(path).catch(() => undefined);
      if (info === undefined && create) await mkdir(path, { mode: 0o755 });
      else if (info === undefined || info.isSymbolicLink() || !info.isDirectory()) throw new LinkInPath(path, info === undefined ? 'missing' : await describe(path));
    }
    return { self: join(base.root, ...parts), close: async () => {} };
  }
  const opened: FileHandle[] = [];
  const closeAll = () => Promise.all(opened.map((handle) => handle.close().catch(() => {}))).then(() => {});
  let self = base.self;
  try {
    for (const [index, part] of parts.entries()) {
      const path = `${self}/${part}`;
      if (create) await mkdir(path, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'EEXIST') throw error; });
      const handle = await open(path, FOLDER).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ELOOP' && error.code !== 'ENOTDIR') throw error;
        throw new LinkInPath(join(base.root, ...parts.slice(0, index + 1)), await describe(path));
      });
      opened.push(handle);
      self = `/proc/self/fd/${handle.fd}`;
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { self, close: closeAll };
}

const partsOf = (base: Beneath, path: string) => {
  const rest = relative(base.root, path);
  if (rest.startsWith('..') || rest.split(sep).includes('..')) throw new Error(`${path} is not beneath ${base.root}`);
  return rest === '' ? [] : rest.split(sep);
};

/** The folder `dir` beneath `base` (created where missing when `create`), opened without following links: a path naming it, and how to let it go. */
export function openFolderBeneath(base: Beneath, dir: string, { create = false } = {}): Promise<{ self: string; close(): Promise<void> }> {
  return folderBeneath(base, partsOf(base, dir), create);
}

/** Run `work` with a path naming folder `dir` (beneath `base`, created when `create`), opened without following links. */
export async function inFolderBeneath<T>(base: Beneath, dir: string, work: (self: string) => Promise<T>, { create = false } = {}): Promise<T> {
  const folder = await folderBeneath(base, partsOf(base, dir), create);
  try {
    return await work(folder.self);
  } finally {
    await folder.close();
  }
}

/** Open the file `path` beneath `base` with `flags` (O_NOFOLLOW added: a link there is refused too). */
export async function openFileBeneath(base: Beneath, path: string, flags: number, mode?: number): Promise<FileHandle> {
  const parts = partsOf(base, path);
  const name = parts.pop();
  if (name === undefined) throw new Error(`${path} is the folder itself`);
  return inFolderBeneath(base, join(base.root, ...parts), (self) =>
    open(`${self}/${name}`, flags | constants.O_NOFOLLOW, mode).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ELOOP' ? new LinkInPath(path, 'a symbolic link') : error;
    }),
  );
}
