/**
 * Writing into an output folder that others may also write to (a shared /tmp, a CI workspace):
 * every file is created under an unguessable temporary name with an exclusive create that
 * refuses symbolic links, then renamed into place, so a planted link is never followed and a
 * reader never sees half a file.
 */
import { constants } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Create `dir/name` with `content` (and `mode`: 0600 for credentials), replacing any file of that name atomically. */
export async function writeFileAtomically(dir: string, name: string, content: string, mode = 0o644): Promise<void> {
  const temporary = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temporary, CREATE_NEW, mode);
  try {
    await handle.writeFile(content);
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, join(dir, name));
}

/** Create `dir/name` for appending; it must not exist yet (a link or an old file is refused). */
export async function createAppendOnly(dir: string, name: string): Promise<FileHandle> {
  return open(join(dir, name), CREATE_NEW | constants.O_APPEND, 0o644);
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
  const temporary = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temporary, CREATE_NEW, 0o644);
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
      if (pending.length >= 64 * 1024) await flush(); // fewer, larger writes
    },
    async commit() {
      try {
        await flush();
      } finally {
        await handle.close();
      }
      await rename(temporary, join(dir, name));
    },
    async discard() {
      await handle.close().catch(() => {});
      await rm(temporary, { force: true });
    },
  };
}
