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

/** Create `dir/name` with `content`, replacing any file of that name atomically. */
export async function writeFileAtomically(dir: string, name: string, content: string): Promise<void> {
  const temporary = join(dir, `.${name}.${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temporary, CREATE_NEW, 0o644);
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
