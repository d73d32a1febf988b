// Where `run` and `report` write, end to end: the output folder is checked before any scenario
// runs, default folders never collide, reports/latest only ever replaces a link, and `report`
// copes with a run that was cut short and refuses a folder another run is writing into.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rename, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { claimOutputFolder } from '../../src/record/output-folder.ts';
import { RunStore } from '../../src/record/store.ts';
import { runHeader } from '../../src/pipeline/run-and-store.ts';
import { simBackend } from '../../src/backends/sim/backend.ts';

const root = new URL('../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');

async function cli(argv: string[], cwd?: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { env: {}, cwd, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

const scratch = () => mkdtemp(join(tmpdir(), 'statuschaos-output-'));

describe('run: the output folder is checked before anything runs', () => {
  test('--out naming a file: exit 2, nothing ran, the file untouched', async () => {
    const file = join(await scratch(), 'notes.txt');
    await writeFile(file, 'mine');
    const { code, stderr } = await cli(['run', '--variants', 'proposed', '--out', file, incident]);
    expect(code).toBe(2);
    expect(stderr).toContain('it is a file, not a folder');
    expect(stderr).not.toContain('[1/1]');
    expect(await readFile(file, 'utf8')).toBe('mine');
  });

  test('a second run into a folder a run is writing into: exit 2', async () => {
    const out = await scratch();
    const holder = await claimOutputFolder(out);
    const { code, stderr } = await cli(['run', '--variants', 'proposed', '--out', out, incident]);
    await holder.release();
    expect(code).toBe(2);
    expect(stderr).toMatch(/another statuschaos run \(pid \d+ on .*\) is writing into it/);
  });

  test('re-running into a previous output replaces it: no page of the earlier run stays', async () => {
    const out = await scratch();
    expect((await cli(['run', '--variants', 'proposed', '--repeat', '2', '--out', out, incident])).code).toBe(0);
    expect((await readdir(out)).filter((name) => name.startsWith('scenario-'))).toHaveLength(2);
    expect((await cli(['run', '--variants', 'proposed', '--out', out, incident])).code).toBe(0);
    expect((await readdir(out)).filter((name) => name.startsWith('scenario-'))).toEqual(['scenario-incident-3618-1.html']);
  });
});

describe('run: default folders', () => {
  test('two runs started at once get a folder each, and reports/latest points at one of them', async () => {
    const cwd = await scratch();
    const [a, b] = await Promise.all([cli(['run', '--variants', 'proposed', incident], cwd), cli(['run', '--variants', 'proposed', incident], cwd)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const folders = (await readdir(join(cwd, 'reports'))).filter((name) => name !== 'latest');
    expect(folders).toHaveLength(2);
    const reportLine = (stdout: string) => /^report: (.*)$/m.exec(stdout)![1];
    expect(reportLine(a.stdout)).not.toBe(reportLine(b.stdout)); // each names its own report
    expect(folders).toContain(await readlink(join(cwd, 'reports', 'latest')));
  });

  test.for([
    ['a folder', (path: string) => mkdir(path)],
    ['a file', (path: string) => writeFile(path, 'my notes')],
  ] as const)('reports/latest being %s: left alone, the run\'s verdict (exit 0) stands, a warning says so', async ([what, make]) => {
    const cwd = await scratch();
    await mkdir(join(cwd, 'reports'));
    await make(join(cwd, 'reports', 'latest'));
    const { code, stderr } = await cli(['run', '--variants', 'proposed', incident], cwd);
    expect(code).toBe(0);
    expect(stderr).toContain(`warning: ${join(cwd, 'reports', 'latest')} is not a link the harness made (${what}); left it alone`);
  });
});

describe('report on what a run left', () => {
  test('a run interrupted before any scenario finished renders as an empty interrupted run, and nothing was checked: exit 1 (it was 0)', async () => {
    const dir = await scratch();
    const store = await RunStore.create(dir, runHeader({ backend: simBackend, profile: undefined, variants: ['proposed'] }), 1);
    await store.finish('interrupted');
    const { code, stdout, stderr } = await cli(['report', dir]);
    expect(stderr).toBe('statuschaos: nothing was checked: no scenario run finished (exit 1)\n');
    expect(code).toBe(1);
    expect(stdout).toContain('0 passed, 0 failed');
    expect(await readdir(dir)).toContain('index.html');
  });

  test('a hand-edited run.json: exit 2 naming the file and the field, no stack trace', async () => {
    const dir = await scratch();
    expect((await cli(['run', '--variants', 'proposed', '--out', dir, incident])).code).toBe(0);
    await writeFile(join(dir, 'run.json'), (await readFile(join(dir, 'run.json'), 'utf8')).replace('"complete"', '"done"'));
    const { code, stderr } = await cli(['report', join(dir, 'run.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(dir, 'run.json')}: status: Invalid option`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

// issue 22, item 2: inputs and links
describe('outputs apart from inputs, and no links in inputs', () => {
  test('`run OUT/findings --out OUT`: refused, its inputs untouched (it deleted its own 40 input files)', async () => {
    const out = await scratch();
    expect((await cli(['run', '--variants', 'proposed', '--out', out, incident])).code).toBe(0);
    await mkdir(join(out, 'findings'));
    await writeFile(join(out, 'findings', 'finding-mine.yaml'), await readFile(incident, 'utf8'));
    const { code, stderr } = await cli(['run', '--variants', 'proposed', '--out', out, join(out, 'findings')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`output folder ${out}: it holds the input ${join(out, 'findings')}, which replacing the folder would remove`);
    expect(await readFile(join(out, 'findings', 'finding-mine.yaml'), 'utf8')).toBe(await readFile(incident, 'utf8'));
    expect(await readdir(out)).toContain('run.json'); // the earlier run is still there too
  });

  test('report into a folder inside the run it reads: refused', async () => {
    const run = await scratch();
    expect((await cli(['run', '--variants', 'proposed', '--out', run, incident])).code).toBe(0);
    const { code, stderr } = await cli(['report', run, '--out', join(run, 'runs', 'again')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`it is inside the input folder ${run}`);
  });

  test.skipIf(!canBindMount())('report Z --out Zb, Zb a bind mount of Z: the same folder, re-rendered in place, nothing of it deleted', async () => {
    const run = await scratch();
    expect((await cli(['run', '--variants', 'proposed', '--repeat', '2', '--out', run, incident])).code).toBe(0);
    const mount = await scratch();
    const before = (await readdir(run, { recursive: true })).sort();
    const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount --bind "$1" "$2" && exec "$3" "$4" report "$1" --out "$2"', 'sh', run, mount, process.execPath, join(root, 'bin', 'statuschaos.js')], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect((await readdir(run, { recursive: true })).sort()).toEqual(before);
  });

  test.for([
    ['report: runs/ of the run is a link to a folder elsewhere', 'report'],
    ['merge: runs/ of a shard is a link to a folder elsewhere', 'merge'],
  ] as const)('%s: exit 2 naming it, nothing read through it', async ([, command]) => {
    const dir = await scratch();
    const run = join(dir, 'run');
    expect((await cli(['run', '--variants', 'proposed', ...(command === 'merge' ? ['--shard', '1/1'] : []), '--out', run, incident])).code).toBe(0);
    await rename(join(run, 'runs'), join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(run, 'runs'));
    const { code, stderr } = await cli(command === 'report' ? ['report', run, '--out', join(dir, 'out')] : ['merge', run, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${join(run, 'runs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it is a symbolic link|${join(run, 'runs')} is a symbolic link`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('merge: a shard whose lanes file is a link to a file elsewhere: exit 2', async () => {
    const dir = await scratch();
    const run = join(dir, 'run');
    expect((await cli(['run', '--variants', 'proposed', '--shard', '1/1', '--out', run, incident])).code).toBe(0);
    const lanes = join(run, 'runs', 'incident-3618-1.json');
    await rename(lanes, join(dir, 'lanes.json'));
    await symlink(join(dir, 'lanes.json'), lanes);
    const { code, stderr } = await cli(['merge', run, '--out', join(dir, 'out')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${lanes}: it is a symbolic link`);
  });
});

/** Can this machine make a bind mount in a user namespace of its own (no root needed)? */
function canBindMount(): boolean {
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'dir=$(mktemp -d) && mkdir "$dir/a" "$dir/b" && mount --bind "$dir/a" "$dir/b"; status=$?; umount "$dir/b" 2>/dev/null; rm -r "$dir"; exit $status'], { encoding: 'utf8' });
  if (probe.status !== 0) console.warn(`skipping the bind-mount test: unshare --user --mount is not allowed here (${(probe.stderr || String(probe.error)).trim()})`);
  return probe.status === 0;
}

// issue 22, item 11: a full disk was exit 70 with a Node stack
describe('a full disk', () => {
  test.skipIf(!canMountTmpfs())('exit 2 naming the file and what to do; run.json says the run was interrupted; no temporary file left', async () => {
    const mountPoint = await scratch();
    const script = 'mount -t tmpfs -o size=200k tmpfs "$1" && "$2" "$3" run "$4" "$5" --repeat 3 --out "$1/out"; echo "exit $?"; echo "--- run.json"; cat "$1/out/run.json"; echo "--- files"; ls -A "$1/out" "$1/out/runs"';
    const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', mountPoint, process.execPath, join(root, 'bin', 'statuschaos.js'), incident, join(root, 'scenarios', 'pod-recreated.yaml')], { encoding: 'utf8' });
    expect(result.stdout).toContain('exit 2');
    expect(result.stderr).toMatch(/error: cannot write .*out\/.*: no space left on the device\n {2}hint: free some space/);
    expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
    const runJson = JSON.parse(result.stdout.split('--- run.json\n')[1]!.split('--- files')[0]!) as { status: string };
    expect(runJson.status).toBe('interrupted');
    expect(result.stdout.split('--- files')[1]).not.toMatch(/\.tmp\b/);
  });
});

/** Can this machine mount a small tmpfs in a user namespace of its own (to fill a disk without root)? */
function canMountTmpfs(): boolean {
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'dir=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$dir"; status=$?; umount "$dir" 2>/dev/null; rmdir "$dir"; exit $status'], { encoding: 'utf8' });
  if (probe.status !== 0) console.warn(`skipping the full-disk test: unshare --user --mount cannot mount a tmpfs here (${(probe.stderr || String(probe.error)).trim()})`);
  return probe.status === 0;
}
