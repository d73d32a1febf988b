/**
 * The output-folder rule (docs/limits.md): a run writes only into a folder that is new, empty,
 * or a previous statuschaos output, that the user owns and nobody else may write to, and that
 * no other run is writing into (a lock). It is checked before anything runs; the harness
 * replaces only what it wrote itself and never follows a link out of the folder.
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, symlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError } from '../errors/fs-messages.ts';
import { UserError } from '../errors/user-error.ts';
import { EXPLORE_FORMAT } from './explore-record.ts';
import { REPRODUCE_FORMAT } from './reproduce-record.ts';
import { RUN_FORMAT } from './run-record.ts';

export const LOCK_FILE = '.statuschaos.lock';
/** How long an unreadable lock is taken for one being written by a run that is starting. */
const FRESH_LOCK_MS = 10_000;

/** Files the harness writes at the top of an output folder (temporary ones included). */
const HARNESS_FILES = [/^run\.json$/, /^explore\.json$/, /^reproduce\.json$/, /^incident\.yaml$/, /^results\.jsonl$/, /^junit\.xml$/, /^index\.html$/, /^scenario-[a-z0-9-]+\.html$/, /^finding-[a-z0-9-]+\.html$/, /^[a-z0-9-]+-explanation-[0-9]+(-[0-9]+)?\.html$/, /^\.statuschaos\.lock$/, /^\..+\.[0-9a-f]{16}\.tmp$/];
/** Folders the harness makes there: lanes, the local control plane, kind, kubeconfig logs; the explorer's findings and their live confirmation; reproduce's explanations. */
const HARNESS_FOLDERS = new Set(['runs', 'cluster', 'kind', 'logs', 'findings', 'confirm', 'explanations', 'certify']);
/** The files that make a folder a previous statuschaos output, and the format each starts with. */
const OUTPUT_MARKERS: Record<string, string> = { 'run.json': RUN_FORMAT, 'explore.json': EXPLORE_FORMAT, 'reproduce.json': REPRODUCE_FORMAT };
/** Kernel filesystems: writing there is never what a user meant (and mkdir can spin in /proc). */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

export interface OutputFolder {
  readonly path: string;
  /** Remove the lock (only if it is still this run's), and the folder itself when it was created for this run and is still empty. */
  release(): Promise<void>;
}

const refuse = (path: string, what: string, hint: string) => new UserError(`output folder ${path}: ${what}`, { hint, exitCode: 2 });

/** The nearest part of `path` that exists (lstat: links not followed), and what it is. */
async function nearestExisting(path: string): Promise<{ path: string; kind: 'folder' | 'link' | 'other'; uid: number }> {
  for (let current = path; ; current = dirname(current)) {
    try {
      const info = await lstat(current);
      return { path: current, kind: info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'folder' : 'other', uid: info.uid };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw refuse(path, 'a part of the path is a file, so nothing can be created under it', 'give a folder path');
      if (code === 'ELOOP') throw refuse(path, `${current} is a symbolic link loop`, 'give a folder path');
      if (code !== 'ENOENT') throw refuse(path, `cannot look at ${current}: ${code ?? (error as Error).message}`, 'give a folder you can write to');
      if (current === dirname(current)) throw refuse(path, 'no part of it exists', 'give a folder path');
    }
  }
}

const inSystemFolder = (path: string) => SYSTEM_ROOTS.find((root) => path === root || path.startsWith(`${root}/`));

/**
 * Refuse system folders, a path under a file, links, folders of other users, world-writable and
 * read-only folders. Says whether the folder exists already.
 */
async function checkPlace(path: string): Promise<{ exists: true } | { exists: false; deepestExisting: string }> {
  const fresh = 'give a folder of your own, e.g. --out reports/mine';
  if (path === '/') throw refuse(path, 'the root folder is never an output folder', fresh);
  const found = await nearestExisting(path);
  const uid = process.getuid?.();
  if (found.path === path && found.kind === 'link') throw refuse(path, 'it is a symbolic link; the harness never writes through links', 'give the folder it points to, or a new folder');
  if (found.kind === 'other') throw refuse(path, found.path === path ? 'it is a file, not a folder' : `${found.path} is a file, so nothing can be created under it`, fresh);
  // a link among the parents is followed only when it is the user's or root's (as the kernel's protected_symlinks does in /tmp)
  if (found.kind === 'link' && uid !== undefined && found.uid !== uid && found.uid !== 0) throw refuse(path, `${found.path} is a link owned by another user (uid ${found.uid})`, fresh);
  const real = await realpath(found.path).catch(() => found.path);
  const system = inSystemFolder(path) ?? inSystemFolder(real);
  if (system !== undefined) throw refuse(path, `it is in ${system}, a system folder`, fresh);
  const info = await lstat(real).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw refuse(path, `${found.path} is not a folder`, fresh);
  if (found.path === path) {
    if (uid !== undefined && info.uid !== uid) throw refuse(path, `it belongs to another user (uid ${info.uid}), who could plant files or links in it`, fresh);
    if ((info.mode & 0o002) !== 0) throw refuse(path, 'anyone may write into it (mode o+w), so others could plant files or links in it', 'give a folder only you can write to, e.g. a new one inside it');
  }
  const writable = (info.mode & 0o200) !== 0 && (await access(real, constants.W_OK).then(() => true, () => false));
  if (!writable) throw refuse(path, found.path === path ? 'it is read-only' : `${found.path} is read-only, so the folder cannot be created in it`, 'give a folder you can write to');
  return found.path === path ? { exists: true } : { exists: false, deepestExisting: found.path };
}

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
async function lock(path: string, createdFrom: string | undefined): Promise<OutputFolder> {
  const file = join(path, LOCK_FILE);
  const token = randomBytes(8).toString('hex');
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), token, since: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      await handle.writeFile(content);
      await handle.close();
      return {
        path,
        async release() {
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

/** What in an existing folder the harness did not write (names, up to `limit`). */
async function foreignEntries(path: string, limit = 5): Promise<{ foreign: string[]; harness: string[]; isOutput: boolean }> {
  const foreign: string[] = [];
  const harness: string[] = [];
  let isOutput = false;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const ours = entry.isFile() ? HARNESS_FILES.some((pattern) => pattern.test(entry.name)) : entry.isDirectory() && HARNESS_FOLDERS.has(entry.name);
    if (!ours) {
      if (foreign.length < limit) foreign.push(entry.isSymbolicLink() ? `${entry.name} (a link)` : entry.name);
      continue;
    }
    if (entry.name !== LOCK_FILE) harness.push(entry.name);
    const format = OUTPUT_MARKERS[entry.name];
    if (format !== undefined && (await startsWithFormat(join(path, entry.name), format))) isOutput = true;
  }
  return { foreign, harness, isOutput };
}

/** Does the file start like a run.json or explore.json the harness wrote? (Read bounded: it may be anything.) */
async function startsWithFormat(file: string, format: string): Promise<boolean> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (handle === undefined) return false;
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(512), position: 0 });
    return new RegExp(`"format":\\s*"${format.replace(/[./]/g, '\\$&')}"`).test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/**
 * Claim `path` as a run's output folder: created when new; when it is a previous statuschaos
 * output, what that run wrote is removed first (`keep`: the run being re-rendered in place);
 * any other non-empty folder is refused. Holds the lock until `release()`. UserError (exit 2).
 */
export async function claimOutputFolder(given: string, options: { keep?: boolean; created?: boolean } = {}): Promise<OutputFolder> {
  const path = resolve(given);
  const place = await checkPlace(path);
  if (!place.exists) {
    await mkdir(path, { recursive: true, mode: 0o755 }).catch((error: Error) => {
      throw refuse(path, `cannot create it: ${describeFsError(error)}`, 'give a folder you can write to');
    });
    await checkPlace(path); // what was created is a folder of ours, not a link planted meanwhile
  }
  const claimed = await lock(path, !place.exists ? place.deepestExisting : options.created ? dirname(path) : undefined);
  try {
    const { foreign, harness, isOutput } = await foreignEntries(path);
    if (foreign.length > 0 || (harness.length > 0 && !isOutput)) {
      const listed = foreign.length > 0 ? `it holds ${foreign.join(', ')}${foreign.length === 5 ? ', …' : ''}, which statuschaos did not write` : 'it holds files named like a run but no run.json, explore.json or reproduce.json of one';
      throw refuse(path, `${listed}; the harness writes only into a new or empty folder or a previous statuschaos output`, 'give a new folder (e.g. --out reports/mine), or empty this one');
    }
    if (!options.keep) for (const name of harness) await rm(join(path, name), { recursive: true, force: true }); // rm never follows links
    return claimed;
  } catch (error) {
    await claimed.release();
    throw error;
  }
}

/** A new folder `<parent>/<stem>` (or `<stem>-2`, …): mkdir is atomic, so two runs never share one. */
export async function createUniqueFolder(parent: string, stem: string): Promise<string> {
  await mkdir(parent, { recursive: true }).catch((error: Error) => {
    throw refuse(parent, `cannot create it: ${describeFsError(error)}`, 'run from a folder where `reports/` can be created, or give --out');
  });
  for (let suffix = 1; suffix <= 1000; suffix++) {
    const path = join(parent, suffix === 1 ? stem : `${stem}-${suffix}`);
    try {
      await mkdir(path, { mode: 0o755 });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw refuse(path, `cannot create it: ${describeFsError(error)}`, 'check that you can write to the reports folder');
    }
  }
  throw refuse(join(parent, stem), 'a thousand runs started in the same second already use this name', 'give --out');
}

/**
 * Point `<reportsDir>/latest` at `outDir`: a new link made under a random name and renamed over
 * the old link. Anything at `latest` that is not a link (a user's file or folder) is left alone:
 * the answer says so, and the run's verdict stands.
 */
export async function pointLatestAt(reportsDir: string, outDir: string): Promise<string | undefined> {
  const latest = join(reportsDir, 'latest');
  const existing = await lstat(latest).catch(() => undefined);
  if (existing !== undefined && !existing.isSymbolicLink()) return `${latest} is not a link the harness made (${existing.isDirectory() ? 'a folder' : 'a file'}); left it alone`;
  const temporary = join(reportsDir, `.latest.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await symlink(relative(reportsDir, outDir), temporary);
    await rename(temporary, latest);
    return undefined;
  } catch (error) {
    await rm(temporary, { force: true });
    return `could not point ${latest} at this run: ${(error as Error).message}`;
  }
}
