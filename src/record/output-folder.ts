/**
 * The output-folder rule (docs/limits.md): a run writes only into a folder that is new, empty,
 * or a previous statuschaos output, that the user owns and nobody else may write to, and that
 * no other run is writing into (a lock). It is checked before anything runs; the harness
 * replaces only what it wrote itself and never follows a link out of the folder.
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, realpath, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError } from '../errors/fs-messages.ts';
export { LOCK_FILE } from './folder-lock.ts';
import { EXPLORE_FORMAT } from './explore-record.ts';
import { LOCK_FILE, lock, refuse } from './folder-lock.ts';
import { foreignEntries } from './harness-files.ts';
import { checkApartFromInputs } from './inputs-apart.ts';
import { anchorFolder } from './safe-files.ts';
import { REPRODUCE_FORMAT } from './reproduce-record.ts';
import { RUN_FORMAT } from './run-record.ts';


/** The files that make a folder a previous statuschaos output, and the format each starts with. */
const OUTPUT_MARKERS: Record<string, string> = { 'run.json': RUN_FORMAT, 'explore.json': EXPLORE_FORMAT, 'reproduce.json': REPRODUCE_FORMAT };
/** Kernel filesystems: writing there is never what a user meant (and mkdir can spin in /proc). */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

export interface OutputFolder {
  readonly path: string;
  /** Remove everything written into it since it was claimed new or empty (a merge that failed half-way leaves nothing). */
  empty(): Promise<void>;
  /** Remove the lock (only if it is still this run's), and the folder itself when it was created for this run and is still empty. */
  release(): Promise<void>;
}


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
    if ((info.mode & 0o020) !== 0) throw refuse(path, 'its group may write into it (mode g+w), so others could plant files or links in it', `give a folder only you can write to (\`chmod g-w ${path}\`), or a new one`);
  }
  const writable = (info.mode & 0o200) !== 0 && (await access(real, constants.W_OK).then(() => true, () => false));
  if (!writable) throw refuse(path, found.path === path ? 'it is read-only' : `${found.path} is read-only, so the folder cannot be created in it`, 'give a folder you can write to');
  return found.path === path ? { exists: true } : { exists: false, deepestExisting: found.path };
}

/** What the folder holds: the harness's top-level entries (all but the lock), and whether a run.json or explore.json of the harness marks it as an output. */
async function harnessEntries(path: string): Promise<{ harness: string[]; isOutput: boolean }> {
  const harness: string[] = [];
  let isOutput = false;
  for (const name of await readdir(path)) {
    if (name !== LOCK_FILE) harness.push(name);
    const format = OUTPUT_MARKERS[name];
    if (format !== undefined && (await startsWithFormat(join(path, name), format))) isOutput = true;
  }
  return { harness, isOutput };
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

/** Where a command's output may not be (inputs-apart.ts): its inputs, and the one it may be (`report` in place). */
export interface OutputInputs {
  inputs?: readonly string[];
  allowSame?: string;
}

/**
 * Claim `path` as a run's output folder: created when new; when it is a previous statuschaos
 * output, what that run wrote is removed first (`keep`: the run being re-rendered in place);
 * any other non-empty folder, or one holding anything the harness does not write (at any depth),
 * is refused, and so is a folder that is, holds or is inside one of the command's inputs. Holds
 * the lock until `release()`; from the claim on, files are written through the folder's open
 * handle (safe-files.ts). UserError (exit 2).
 */
export async function claimOutputFolder(given: string, options: { keep?: boolean; created?: boolean } & OutputInputs = {}): Promise<OutputFolder> {
  const path = resolve(given);
  const place = await checkPlace(path);
  await checkApartFromInputs(path, options.inputs ?? [], options.allowSame);
  if (!place.exists) {
    await mkdir(path, { recursive: true, mode: 0o755 }).catch((error: Error) => {
      throw refuse(path, `cannot create it: ${describeFsError(error)}`, 'give a folder you can write to');
    });
    await checkPlace(path); // what was created is a folder of ours, not a link planted meanwhile
  }
  const claimed = await lock(path, !place.exists ? place.deepestExisting : options.created ? dirname(path) : undefined);
  try {
    const { foreign, tooMany } = await foreignEntries(path);
    const { harness, isOutput } = await harnessEntries(path);
    if (foreign.length > 0 || tooMany || (harness.length > 0 && !isOutput)) {
      const listed = foreign.length > 0 ? `it holds ${foreign.join(', ')}${foreign.length === 5 ? ', …' : ''}, which statuschaos did not write` : tooMany ? 'it holds more files than a statuschaos output' : 'it holds files named like a run but no run.json, explore.json or reproduce.json of one';
      throw refuse(path, `${listed}; the harness writes only into a new or empty folder or a previous statuschaos output`, 'give a new folder (e.g. --out reports/mine), or empty this one');
    }
    if (!options.keep) for (const name of harness) await rm(join(path, name), { recursive: true, force: true }); // rm never follows links
    const unanchor = await anchorFolder(path);
    return {
      path,
      async empty() {
        for (const name of await readdir(path)) if (name !== LOCK_FILE) await rm(join(path, name), { recursive: true, force: true });
      },
      async release() {
        await unanchor();
        await claimed.release();
      },
    };
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
