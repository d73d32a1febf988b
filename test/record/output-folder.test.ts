// The output-folder rule (docs/limits.md): where a run may write, checked before it runs; the
// lock; what a previous output loses when it is reused; unique default folders; reports/latest;
// and the symlink attack on a shared folder (planted links are never followed).
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors/user-error.ts';
import { LOCK_FILE, claimOutputFolder, createUniqueFolder, pointLatestAt } from '../../src/record/output-folder.ts';
import { createFileAtomically, writeFileAtomically } from '../../src/record/safe-files.ts';
import { RUN_FORMAT } from '../../src/record/run-record.ts';
import { REPRODUCE_FORMAT } from '../../src/record/reproduce-record.ts';

const scratch = () => mkdtemp(join(tmpdir(), 'statuschaos-out-'));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );
const root = process.getuid?.() === 0;

/** A case: what it is, how to make the path, and the refusal expected. */
type Refusal = readonly [string, () => Promise<string>, RegExp];

describe('claimOutputFolder refuses, before anything runs', () => {
  const refusals: readonly Refusal[] = [
    ['the root folder', async () => '/', /the root folder is never an output folder/],
    ['a folder under /proc (mkdir used to spin there)', async () => '/proc/self/x', /in \/proc, a system folder/],
    ['a folder under /sys', async () => '/sys/x', /in \/sys, a system folder/],
    ['a file', async () => {
      const file = join(await scratch(), 'a-file');
      await writeFile(file, 'mine');
      return file;
    }, /it is a file, not a folder/],
    ['a path under a file', async () => {
      const file = join(await scratch(), 'a-file');
      await writeFile(file, 'mine');
      return join(file, 'out');
    }, /a part of the path is a file|is a file, so nothing can be created under it/],
    ['a symbolic link (to a folder)', async () => {
      const dir = await scratch();
      await mkdir(join(dir, 'real'));
      await symlink(join(dir, 'real'), join(dir, 'link'));
      return join(dir, 'link');
    }, /it is a symbolic link/],
    ['a read-only folder', async () => {
      const dir = join(await scratch(), 'ro');
      await mkdir(dir);
      await chmod(dir, 0o555);
      return dir;
    }, /it is read-only/],
    ['a folder under a read-only one', async () => {
      const dir = join(await scratch(), 'ro');
      await mkdir(dir);
      await chmod(dir, 0o555);
      return join(dir, 'out');
    }, /ro is read-only, so the folder cannot be created in it/],
    ['a world-writable folder (a shared /tmp folder others could plant links in)', async () => {
      const dir = join(await scratch(), 'shared');
      await mkdir(dir);
      await chmod(dir, 0o777);
      return dir;
    }, /anyone may write into it/],
    ['a non-empty folder that is no statuschaos output', async () => {
      const dir = await scratch();
      await writeFile(join(dir, 'thesis.tex'), 'years of work');
      return dir;
    }, /it holds thesis\.tex, which statuschaos did not write/],
    ['a folder with a planted link named like an output file', async () => {
      const dir = await scratch();
      await symlink('/etc/passwd', join(dir, 'index.html'));
      return dir;
    }, /it holds index\.html \(a link\), which statuschaos did not write/],
    ['a folder with files named like a run but no run.json', async () => {
      const dir = await scratch();
      await writeFile(join(dir, 'index.html'), '<p>not ours</p>');
      return dir;
    }, /no run\.json, explore\.json or reproduce\.json of one/],
  ];
  test.for(refusals)('%s', async ([, path, message]) => {
    const error = await refusal(claimOutputFolder(await path()));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toMatch(message);
  });

  test.skipIf(!root)('a folder that belongs to another user (checked as root, who could otherwise write anywhere)', async () => {
    const dir = join(await scratch(), 'theirs');
    await mkdir(dir);
    await chown(dir, 65534, 65534);
    expect(((await refusal(claimOutputFolder(dir))) as UserError).message).toMatch(/belongs to another user \(uid 65534\)/);
  });
});

describe('claimOutputFolder accepts', () => {
  test('a new folder (created, parents too) and an empty one', async () => {
    const dir = await scratch();
    const fresh = await claimOutputFolder(join(dir, 'a', 'b'));
    expect((await lstat(join(dir, 'a', 'b'))).isDirectory()).toBe(true);
    await writeFile(join(dir, 'a', 'b', 'run.json'), 'written'); // the run wrote something: nothing is removed
    await fresh.release();
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['run.json']);
    const empty = await claimOutputFolder(await scratch());
    await empty.release();
  });

  test('a previous statuschaos output: what that run wrote is removed first, so no stale page stays', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'run.json'), JSON.stringify({ format: RUN_FORMAT }));
    await writeFile(join(dir, 'results.jsonl'), '');
    await writeFile(join(dir, 'scenario-old-one-1.html'), 'stale');
    await mkdir(join(dir, 'runs'));
    await writeFile(join(dir, 'runs', 'old-one-1.json'), '{}');
    const claimed = await claimOutputFolder(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await claimed.release();
    expect(await readdir(dir)).toEqual([]);
  });

  test('a previous reproduce output: reproduce.json, the incident, the explanations and their pages are removed first', async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'reproduce.json'), JSON.stringify({ format: REPRODUCE_FORMAT }));
    await writeFile(join(dir, 'incident.yaml'), 'name: i');
    await writeFile(join(dir, 'incident-3618-explanation-2.html'), 'stale');
    await mkdir(join(dir, 'explanations'));
    await writeFile(join(dir, 'explanations', 'incident-3618-explanation-2.yaml'), 'name: x');
    const claimed = await claimOutputFolder(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await claimed.release();
  });

  test('a created folder the run never wrote into is removed again on release (a refused backend leaves nothing)', async () => {
    const dir = await scratch();
    const claimed = await claimOutputFolder(join(dir, 'new', 'deeper'));
    await claimed.release();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('the lock: one run per folder', () => {
  test('a second run into a folder another live run holds is refused (exit 2), naming the holder', async () => {
    const dir = await scratch();
    const first = await claimOutputFolder(dir);
    const error = (await refusal(claimOutputFolder(dir))) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(new RegExp(`another statuschaos run \\(pid ${process.pid} `));
    await first.release();
    await (await claimOutputFolder(dir)).release(); // free again once released
  });

  test('a lock left by a run that died (its pid is gone) is taken over', async () => {
    const dir = await scratch();
    const { hostname } = await import('node:os');
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), token: 'x', since: 'then' }));
    const claimed = await claimOutputFolder(dir);
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toContain(`"pid":${process.pid}`);
    await claimed.release();
  });

  test('a lock another run has just created and not yet filled in is respected; an old unreadable one is taken over', async () => {
    const dir = await scratch();
    await writeFile(join(dir, LOCK_FILE), '');
    expect(((await refusal(claimOutputFolder(dir))) as UserError).message).toMatch(/another statuschaos run is just starting/);
    await utimes(join(dir, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await claimOutputFolder(dir)).release();
  });
});

describe('default folders and reports/latest', () => {
  test('two runs started in the same second get two folders', async () => {
    const reports = await scratch();
    const [a, b] = await Promise.all([createUniqueFolder(reports, '20260101-000000-sim'), createUniqueFolder(reports, '20260101-000000-sim')]);
    expect(a).not.toBe(b);
    expect((await readdir(reports)).sort()).toEqual(['20260101-000000-sim', '20260101-000000-sim-2']);
  });

  test('latest: a link is replaced, a user\'s file or folder there is left alone with a warning', async () => {
    const reports = await scratch();
    const run = await createUniqueFolder(reports, 'run-1');
    expect(await pointLatestAt(reports, run)).toBeUndefined();
    expect(await readlink(join(reports, 'latest'))).toBe('run-1');
    const next = await createUniqueFolder(reports, 'run-2');
    expect(await pointLatestAt(reports, next)).toBeUndefined();
    expect(await readlink(join(reports, 'latest'))).toBe('run-2');

    const withFile = await scratch();
    await writeFile(join(withFile, 'latest'), 'my notes');
    expect(await pointLatestAt(withFile, run)).toMatch(/is not a link the harness made \(a file\); left it alone/);
    expect(await readFile(join(withFile, 'latest'), 'utf8')).toBe('my notes');

    const withFolder = await scratch();
    await mkdir(join(withFolder, 'latest'));
    expect(await pointLatestAt(withFolder, run)).toMatch(/\(a folder\); left it alone/);
  });
});

describe('the symlink attack on a shared output folder', () => {
  test('links planted at the final names and at guessable temporary names are never followed', async () => {
    const dir = await scratch();
    const victim = join(await scratch(), 'victim');
    await writeFile(victim, 'precious');
    for (const name of ['run.json', 'index.html', `run.json.tmp-${process.pid + 1}`, `.run.json.tmp`, 'junit.xml']) await symlink(victim, join(dir, name));
    await writeFileAtomically(dir, 'run.json', 'new content');
    await writeFileAtomically(dir, 'index.html', '<p>report</p>');
    const streamed = await createFileAtomically(dir, 'junit.xml');
    await streamed.write('<testsuites/>');
    await streamed.commit();
    expect(await readFile(victim, 'utf8')).toBe('precious');
    for (const name of ['run.json', 'index.html', 'junit.xml']) expect((await lstat(join(dir, name))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'run.json'), 'utf8')).toBe('new content');
  });
});
