// The output-folder rule (docs/limits.md): where a run may write, checked before it runs; the
// lock; what a previous output loses when it is reused; unique default folders; reports/latest;
// and the symlink attack on a shared folder (planted links are never followed).
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../../src/errors/user-error.ts';
import { LOCK_FILE, claimOutputFolder, createUniqueFolder, pointLatestAt } from '../../src/record/output-folder.ts';
import { LinkInPath } from '../../src/record/beneath.ts';
import { createFileAtomically, makeFolder, writeFileAtomically } from '../../src/record/safe-files.ts';
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
    // --certify-real: the local control plane's folder and each explanation's run with the real trackers
    for (const path of ['certify/cluster/control-plane/etcd/member/snap/db', 'certify/cluster/kubeconfig', 'certify/incident-3618-explanation-2/trackers/real-2.1.3/stderr.log', 'runs/incident-3618-explanation-2.json']) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), '');
    }
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

// issue 22, item 2
describe('a previous output holding anything the harness did not write, at any depth, is refused and left as it is', () => {
  const previousOutput = async () => {
    const dir = await scratch();
    await writeFile(join(dir, 'run.json'), JSON.stringify({ format: RUN_FORMAT }));
    await mkdir(join(dir, 'runs'));
    await writeFile(join(dir, 'runs', 'incident-3618-1.json'), '{}');
    return dir;
  };
  test.for([
    ['a note in runs/', async (dir: string) => writeFile(join(dir, 'runs', 'notes.txt'), 'mine'), 'runs/notes.txt'],
    ['a folder of the user\'s under logs/', async (dir: string) => { await mkdir(join(dir, 'logs', 'deep'), { recursive: true }); await writeFile(join(dir, 'logs', 'deep', 'user.txt'), 'mine'); }, 'logs/deep/'],
    ['a file in a scenario run\'s folder', async (dir: string) => { await mkdir(join(dir, 'runs', 'incident-3618-1')); await writeFile(join(dir, 'runs', 'incident-3618-1', 'mine.txt'), 'mine'); }, 'runs/incident-3618-1/mine.txt'],
    ['a link in findings/', async (dir: string) => { await mkdir(join(dir, 'findings')); await symlink('/etc/passwd', join(dir, 'findings', 'finding-x.yaml')); }, 'findings/finding-x.yaml (a link)'],
    ['a scenario file of the user\'s in findings/', async (dir: string) => { await mkdir(join(dir, 'findings')); await writeFile(join(dir, 'findings', 'my-scenario.yaml'), 'name: x'); }, 'findings/my-scenario.yaml'],
    ['a scenario file of the user\'s in explanations/', async (dir: string) => { await mkdir(join(dir, 'explanations')); await writeFile(join(dir, 'explanations', 'my-scenario.yaml'), 'name: x'); }, 'explanations/my-scenario.yaml'],
    ['a file of the user\'s in certify/', async (dir: string) => { await mkdir(join(dir, 'certify')); await writeFile(join(dir, 'certify', 'notes.txt'), 'mine'); }, 'certify/notes.txt'],
  ] as const)('%s', async ([, plant, named]) => {
    const dir = await previousOutput();
    await plant(dir);
    const before = await listAll(dir);
    const error = (await refusal(claimOutputFolder(dir))) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`it holds ${named}, which statuschaos did not write`);
    expect(await listAll(dir)).toEqual(before); // nothing removed
  });

  test('what the harness and the tools it starts write is taken whole and removed on reuse', async () => {
    const dir = await previousOutput();
    for (const path of ['cluster/control-plane/etcd/member/snap/db', 'cluster/logs/etcd.log', 'cluster/kubeconfig', 'runs/incident-3618-1/flink/work/blob-1', 'runs/incident-3618-1/logs/flink-jobmanager.log', 'workers/1/cluster/logs/kube-apiserver.log', 'logs/toxiproxy-server.log', 'logs/.toxiproxy-abc123/sentinel.json', 'findings/finding-x.yaml', 'confirm/confirm-1/kubeconfig', `.run.json.${'0'.repeat(16)}.tmp`]) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), '');
    }
    const claimed = await claimOutputFolder(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    await claimed.release();
  });

  test('a folder its group may write into (g+w) is refused, as one anyone may write into is', async () => {
    const dir = join(await scratch(), 'team');
    await mkdir(dir);
    await chmod(dir, 0o775);
    expect(((await refusal(claimOutputFolder(dir))) as UserError).message).toMatch(/its group may write into it \(mode g\+w\)/);
  });
});

describe('an output folder apart from the inputs (device and inode, not paths)', () => {
  test.for([
    ['the output holds an input (`run OUT/findings --out OUT` deleted its 40 inputs)', async (dir: string) => ({ out: dir, inputs: [join(dir, 'findings')] }), /it holds the input .*findings, which replacing the folder would remove/],
    ['the output is an input', async (dir: string) => ({ out: join(dir, 'findings'), inputs: [join(dir, 'findings')] }), /it is the input .*findings$/],
    ['the output is an input reached by another path (a link to it)', async (dir: string) => (await symlink(join(dir, 'findings'), join(dir, 'alias')), { out: join(dir, 'findings'), inputs: [join(dir, 'alias')] }), /it is the input .*alias \(the same folder by another path\)/],
    ['the output is inside an input folder', async (dir: string) => ({ out: join(dir, 'findings', 'out'), inputs: [join(dir, 'findings')] }), /it is inside the input folder .*findings/],
  ] as const)('%s: refused before anything is removed', async ([, make, message]) => {
    const dir = await scratch();
    await writeFile(join(dir, 'run.json'), JSON.stringify({ format: RUN_FORMAT }));
    await mkdir(join(dir, 'findings'));
    await writeFile(join(dir, 'findings', 'finding-a.yaml'), 'name: a');
    const { out, inputs } = await make(dir);
    const error = (await refusal(claimOutputFolder(out, { inputs }))) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(message);
    expect(await readFile(join(dir, 'findings', 'finding-a.yaml'), 'utf8')).toBe('name: a');
  });

  test('the one input it may be (report in place) is allowed', async () => {
    const dir = await scratch();
    await (await claimOutputFolder(dir, { inputs: [dir], allowSame: dir, keep: true })).release();
  });
});

describe('writes go through the folder’s open handle: a folder swapped for a link mid-run receives nothing', () => {
  test('`mv O/runs O/runs.x; ln -s <elsewhere> O/runs` after the first write: the next write is refused, elsewhere stays empty', async () => {
    const out = await scratch();
    const elsewhere = await scratch();
    const claimed = await claimOutputFolder(out);
    await makeFolder(join(out, 'runs'));
    await writeFileAtomically(join(out, 'runs'), 'first.json', '{}');
    await rename(join(out, 'runs'), join(out, 'runs.x'));
    await symlink(elsewhere, join(out, 'runs'));
    await expect(writeFileAtomically(join(out, 'runs'), 'second.json', '{}')).rejects.toThrow(LinkInPath);
    await expect(createFileAtomically(join(out, 'runs'), 'third.json')).rejects.toThrow(/runs is a symbolic link/);
    await expect(makeFolder(join(out, 'runs', 'deeper'))).rejects.toThrow(LinkInPath);
    expect(await readdir(elsewhere)).toEqual([]);
    expect(await readdir(join(out, 'runs.x'))).toEqual(['first.json']);
    await claimed.release();
  });

  test('a file being written when its folder is swapped lands in the folder it was opened in, never elsewhere', async () => {
    const out = await scratch();
    const elsewhere = await scratch();
    const claimed = await claimOutputFolder(out);
    await makeFolder(join(out, 'runs'));
    const file = await createFileAtomically(join(out, 'runs'), 'streamed.json');
    await file.write('{}');
    await rename(join(out, 'runs'), join(out, 'runs.x'));
    await symlink(elsewhere, join(out, 'runs'));
    await file.commit();
    expect(await readdir(elsewhere)).toEqual([]);
    expect(await readdir(join(out, 'runs.x'))).toEqual(['streamed.json']);
    await claimed.release();
  });

  test('new folders are made without group or world write (mode 0755, whatever the umask)', async () => {
    const out = await scratch();
    const claimed = await claimOutputFolder(out);
    const umask = process.umask(0o002);
    try {
      await makeFolder(join(out, 'runs'));
    } finally {
      process.umask(umask);
    }
    expect((await lstat(join(out, 'runs'))).mode & 0o777).toBe(0o755);
    await claimed.release();
  });
});

/** Every path under `dir`, sorted (links not followed). */
async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}
