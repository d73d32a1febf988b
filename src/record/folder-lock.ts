/**
 * An output folder's lock (docs/limits.md, "not in use"): `.statuschaos.lock`, created exclusively
 * and naming its process, host and start; released by the run that holds it on every way out of
 * the process (exit-hooks.ts). A lock whose process is gone is taken over; one that cannot be read
 * yet is taken for a run that is just starting; one that is not a file is refused.
 */
import { constants, readFileSync, rmSync } from 'node:fs';
import { lstat, open, readFile, rm, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describeFsError } from '../errors/fs-messages.ts';
import { UserError } from '../errors/user-error.ts';
import { onExit } from './exit-hooks.ts';

export const LOCK_FILE = '.statuschaos.lock';
/** How long an unreadable lock is taken for one being written by a run that is starting. */
const FRESH_LOCK_MS = 10_000;

/** A folder held by this run: release it (the lock, and the folder when it was created for the run and is still empty). */
export interface HeldFolder {
  readonly path: string;
  release(): Promise<void>;
}

/** An output folder refused (exit 2): which, what is wrong, what to do. */
export const refuse = (path: string, what: string, hint: string) => new UserError(`output folder ${path}: ${what}`, { hint, exitCode: 2 });

/** Is `pid` a process on this machine that is still running? */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the folder's lock, or say which run holds it; a lock whose process is gone is taken over. */
export async function lock(path: string, createdFrom: string | undefined): Promise<HeldFolder> {
  const file = join(path, LOCK_FILE);
  const token = randomBytes(8).toString('hex');
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), token, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      // released on every exit path: also when a second Ctrl-C exits at once, or anything calls process.exit
      const releaseOnExit = onExit(() => {
        if (readFileSync(file, 'utf8').includes(token)) rmSync(file, { force: true });
      });
      await handle.writeFile(content);
      await handle.close();
      return {
        path,
        async release() {
          releaseOnExit();
          const now = await readFile(file, 'utf8').catch(() => '');
          if (now.includes(token)) await rm(file, { force: true });
          // a run that stopped before writing anything leaves no folder behind: rmdir only removes empty ones
          for (let folder = path; createdFrom !== undefined && folder !== createdFrom && folder !== dirname(folder); folder = dirname(folder)) {
            if (!(await rmdir(folder).then(() => true, () => false))) break;
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw refuse(path, `cannot create its lock: ${describeFsError(error)}`, 'give a folder you can write to');
    }
    const kind = await lstat(file).then((info) => (info.isFile() ? undefined : info.isDirectory() ? 'a folder' : info.isSymbolicLink() ? 'a symbolic link' : 'not a file'), () => undefined);
    if (kind !== undefined) throw refuse(path, `its lock ${LOCK_FILE} is ${kind}, which statuschaos never makes`, `remove it (\`rm -r ${file}\`) if no statuschaos run is using the folder, or give another --out`);
    const holder = await readLock(file);
    if (holder !== undefined && (holder.host !== hostname() || running(holder.pid))) {
      throw refuse(path, `another statuschaos run (pid ${holder.pid} on ${holder.host}, since ${holder.since}) is writing into it`, 'wait for it to finish, or give another --out');
    }
    // a lock that cannot be read yet may be one another run has just created and not yet filled in
    const age = await lstat(file).then((info) => Date.now() - info.mtimeMs, () => Infinity);
    if (holder === undefined && age < FRESH_LOCK_MS) throw refuse(path, 'another statuschaos run is just starting to write into it', 'give another --out');
    await rm(file, { force: true }); // left by a run that died: its process is gone
  }
  throw refuse(path, 'its lock was taken meanwhile', 'give another --out');
}

async function readLock(file: string): Promise<{ pid: number; host: string; since: string } | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size > 4096) return undefined;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown; host?: unknown; since?: unknown };
    return Number.isSafeInteger(parsed.pid) && typeof parsed.host === 'string' ? { pid: parsed.pid as number, host: parsed.host, since: String(parsed.since) } : undefined;
  } catch {
    return undefined;
  }
}
