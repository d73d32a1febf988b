/**
 * Writing into an output folder that others may also write to (a shared /tmp, a CI workspace):
 * every file is created under an unguessable temporary name with an exclusive create that
 * refuses symbolic links, then renamed into place, so a planted link is never followed and a
 * reader never sees half a file. Inside an anchored folder (the claimed output folder) every
 * write goes through the folder's open handle, part by part without following links
 * (beneath.ts): a folder swapped for a link mid-run receives nothing.
 */
import { closeSync, constants, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { resolve, sep } from 'node:path';
import { openBeneath, openFolderBeneath, type Beneath } from './beneath.ts';
import { onExit } from './exit-hooks.ts';

const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Folders every write beneath goes through their open handle (the claimed output folders). */
const anchors: Beneath[] = [];

/** Write beneath `path` only through its open handle from now on, until the returned release. */
export async function anchorFolder(path: string): Promise<() => Promise<void>> {
  const anchor = await openBeneath(resolve(path));
  anchors.push(anchor);
  return async () => {
    const index = anchors.indexOf(anchor);
    if (index !== -1) anchors.splice(index, 1);
    await anchor.close();
  };
}

/** The folder `dir` as a path to write through (its open handle when anchored) and how to let it go. */
async function writable(dir: string, create = false): Promise<{ self: string; close(): Promise<void> }> {
  const absolute = resolve(dir);
  const anchor = anchors.find((candidate) => absolute === candidate.root || absolute.startsWith(`${candidate.root}${sep}`));
  if (anchor !== undefined) return openFolderBeneath(anchor, absolute, { create });
  if (create) await mkdir(absolute, { recursive: true, mode: 0o755 });
  return { self: absolute, close: async () => {} };
}

/** Create folder `dir` (and the folders above it) with mode 0755, never through a link when anchored. */
export async function makeFolder(dir: string): Promise<void> {
  await (await writable(dir, true)).close();
}

const temporaryName = (name: string) => `.${name}.${randomBytes(8).toString('hex')}.tmp`;

/** Temporary files being written: removed if the process exits before they are renamed into place. */
const inFlight = new Set<string>();
let removeOnExit: (() => void) | undefined;
function track(temporary: string): () => void {
  removeOnExit ??= onExit(() => {
    for (const path of inFlight) rmSync(path, { force: true });
  });
  inFlight.add(temporary);
  return () => inFlight.delete(temporary);
}

/**
 * Write `dir/name` at once, synchronously: for an exit hook (run.json saying `interrupted` when
 * the process is ending and nothing asynchronous runs any more). `dir` is an anchored folder
 * itself or any folder; the same exclusive create and rename as writeFileAtomically.
 */
export function writeFileAtomicallyNow(dir: string, name: string, content: string): void {
  const absolute = resolve(dir);
  const folder = anchors.find((candidate) => candidate.root === absolute)?.self ?? absolute;
  const temporary = `${folder}/${temporaryName(name)}`;
  const fd = openSync(temporary, CREATE_NEW, 0o644);
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, `${folder}/${name}`);
}

/** A failed write names the file by its path in the output folder, not by /proc/self/fd/<n>. */
function naming(dir: string, name: string): (error: unknown) => never {
  return (error) => {
    if (error !== null && typeof error === 'object' && 'code' in error) (error as NodeJS.ErrnoException).path = `${resolve(dir)}${sep}${name}`;
    throw error;
  };
}

/** Create `dir/name` with `content` (and `mode`: 0600 for credentials), replacing any file of that name atomically. */
export async function writeFileAtomically(dir: string, name: string, content: string, mode = 0o644): Promise<void> {
  const folder = await writable(dir);
  return writeThrough(folder, name, content, mode).catch(naming(dir, name));
}

async function writeThrough(folder: { self: string; close(): Promise<void> }, name: string, content: string, mode: number): Promise<void> {
  try {
    const temporary = `${folder.self}/${temporaryName(name)}`;
    const handle = await open(temporary, CREATE_NEW, mode);
    const done = track(temporary);
    try {
      await handle.writeFile(content);
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      done();
      throw error;
    }
    await handle.close();
    await rename(temporary, `${folder.self}/${name}`);
    done();
  } finally {
    await folder.close();
  }
}

/** Create `dir/name` for appending; it must not exist yet (a link or an old file is refused). */
export async function createAppendOnly(dir: string, name: string): Promise<FileHandle> {
  const folder = await writable(dir);
  try {
    return await open(`${folder.self}/${name}`, CREATE_NEW | constants.O_APPEND, 0o644).catch(naming(dir, name));
  } finally {
    await folder.close();
  }
}

/** A file written piece by piece under a temporary name, then renamed into place (or discarded). */
export interface AtomicFile {
  write(text: string): Promise<void>;
  /** close it and rename it to its name, replacing any file of that name */
  commit(): Promise<void>;
  /** close and delete the temporary file */
  discard(): Promise<void>;
}

/** Start writing `dir/name` the same safe way as writeFileAtomically, for content too large to hold in memory. */
export async function createFileAtomically(dir: string, name: string): Promise<AtomicFile> {
  const folder = await writable(dir); // held until commit or discard: the rename goes through it too
  const temporary = `${folder.self}/${temporaryName(name)}`;
  const handle = await open(temporary, CREATE_NEW, 0o644).catch(async (error: unknown): Promise<never> => {
    await folder.close();
    return naming(dir, name)(error);
  });
  const named = naming(dir, name);
  const done = track(temporary);
  let pending = '';
  const flush = async () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    await handle.write(text);
  };
  return {
    async write(text) {
      pending += text;
      if (pending.length >= 64 * 1024) await flush().catch(named); // fewer, larger writes
    },
    async commit() {
      try {
        try {
          await flush();
        } finally {
          await handle.close();
        }
        await rename(temporary, `${folder.self}/${name}`);
        done();
      } catch (error) {
        named(error);
      } finally {
        await folder.close();
      }
    },
    async discard() {
      await handle.close().catch(() => {});
      await rm(temporary, { force: true });
      done();
      await folder.close();
    },
  };
}
