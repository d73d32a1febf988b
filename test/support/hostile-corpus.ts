/**
 * The hostile-input corpus (issue 13) and how one input is run: the CLI as users run it (a child
 * process on Node 22), with its exit code, stderr, wall time, CPU time and peak memory. The
 * scenario files are test/fixtures/hostile/*.yaml (line 1 says what the refusal must contain);
 * what cannot be a small file (huge files, FIFOs, link loops, flags, output folders, damaged run
 * folders) is made here. test/cli/hostile-inputs.test.ts holds each input to its refusal;
 * scripts/bench-refusals.mjs times them (the "within 5 s" promise of docs/limits.md).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubeconfigFile, TEST_CONTEXT } from '../backends/kubeconfig/kubeconfig-file.ts';

const root = new URL('../..', import.meta.url).pathname;
const corpus = join(root, 'test', 'fixtures', 'hostile');
const incident = join(root, 'scenarios', 'incident-3618.yaml');
const TIME = '/usr/bin/time';
/** Linux's clock ticks per second, the unit of /proc/PID/stat's CPU times */
const TICKS_PER_S = 100;

/** What a refusal may cost, at most: docs/limits.md. Wall time is a benchmark figure only. */
export const REFUSAL_LIMITS = { wallMs: 5_000, memoryKb: 500 * 1024 };

export interface Outcome {
  code: number | null;
  stderr: string;
  /** wall time from spawn to exit */
  wallMs: number;
  /** CPU time of the CLI process, user + system */
  cpuMs: number;
  /** peak resident memory of the CLI process, KB */
  maxRssKb: number;
}

/** Run the CLI on this Node (22) in `cwd`, measuring wall time, CPU time and peak memory. */
export async function runCli(args: string[], scratch: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const usageFile = join(scratch, 'usage');
  const measured = existsSync(TIME);
  const command = measured ? TIME : process.execPath;
  const argv = [...(measured ? ['-f', '%M %U %S', '-o', usageFile, process.execPath] : []), join(root, 'bin', 'statuschaos.js'), ...args];
  const started = performance.now();
  const child = spawn(command, argv, { cwd: scratch, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  let stderr = '';
  let sampled = { peakKb: 0, cpuMs: 0 };
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  // without GNU time: sample the process's own high-water mark and CPU times while it runs
  const sampler = measured ? undefined : setInterval(() => {
    try {
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      const [utime, stime] = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).map(Number);
      sampled = { peakKb: Math.max(sampled.peakKb, peakKb), cpuMs: ((utime! + stime!) * 1_000) / TICKS_PER_S };
    } catch {
      // gone
    }
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exit) => resolve(exit)));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  if (!measured) return { code, stderr, wallMs, cpuMs: sampled.cpuMs, maxRssKb: sampled.peakKb };
  const [maxRssKb, userS, systemS] = (await readFile(usageFile, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
  return { code, stderr: stderr.replace(/^Command exited with non-zero status \d+\n/m, ''), wallMs, cpuMs: (userS! + systemS!) * 1_000, maxRssKb: maxRssKb! };
}

/** One hostile input: how to make it in a scratch folder, the arguments, and what the refusal must say. */
export interface HostileCase {
  name: string;
  setup?: (dir: string) => Promise<void>;
  args: (dir: string) => string[];
  env?: NodeJS.ProcessEnv;
  expect: string | RegExp;
  /** the `file:line` the message must point at */
  at?: (dir: string) => string;
}

const scenarioCases: HostileCase[] = readdirSync(corpus)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => {
    const file = join(corpus, name);
    const expected = /^# expect@line: (.*)$/m.exec(readFileSync(file, 'utf8'))![1]!;
    return { name: `fixtures/hostile/${name}`, args: (dir) => ['run', '--out', join(dir, 'out'), file], expect: expected, at: () => `${file}:` };
  });

const bigTimeline = (events: number) => `name: big\nduration: 1h\ntimeline:\n${'  - { at: 1s, fault: { target: apiserver, toxic: down }, for: 1s }\n'.repeat(events)}`;
const write = (name: string, content: string | Buffer) => async (dir: string) => writeFile(join(dir, name), content);
const inDir = (name: string) => (dir: string) => ['run', '--out', join(dir, 'out'), join(dir, name)];

const generatedCases: HostileCase[] = [
  { name: 'a 40 MB scenario of 700 000 events', setup: write('s.yaml', bigTimeline(700_000)), args: inDir('s.yaml'), expect: 'the file is larger than 256 KiB' },
  { name: 'a 50 MB description', setup: write('s.yaml', `name: big\nduration: 1m\ndescription: ${'x'.repeat(50 * 1024 * 1024)}\n`), args: inDir('s.yaml'), expect: 'the file is larger than 256 KiB (50 MiB)' },
  { name: 'a 250 KiB file of 26 000 unknown keys (22 s of CPU and 4.8 MB of errors for 27 000)', setup: write('s.yaml', `name: keys\nduration: 1m\n${Array.from({ length: 26_000 }, (_, index) => `k${index}: 1`).join('\n')}\n`), args: inDir('s.yaml'), expect: /… and 25,950 more problem\(s\), not shown\n26,000 problem\(s\) found/ },
  { name: 'a FIFO as a scenario (blocked for ever)', setup: async (dir) => void execFileSync('mkfifo', [join(dir, 's.yaml')]), args: inDir('s.yaml'), expect: 'not a regular file (a FIFO)' },
  { name: 'a link to itself', setup: async (dir) => symlink(join(dir, 's.yaml'), join(dir, 's.yaml')), args: inDir('s.yaml'), expect: 'a symbolic link loop' },
  { name: 'two links pointing at each other', setup: async (dir) => { await symlink(join(dir, 'b.yaml'), join(dir, 'a.yaml')); await symlink(join(dir, 'a.yaml'), join(dir, 'b.yaml')); }, args: inDir('a.yaml'), expect: 'a symbolic link loop' },
  { name: 'a folder that links to itself, holding a bad scenario', setup: async (dir) => { await mkdir(join(dir, 'sc')); await symlink(join(dir, 'sc'), join(dir, 'sc', 'again')); await writeFile(join(dir, 'sc', 'bad.yaml'), 'name: x\nduration: soon\n'); }, args: (dir) => ['run', '--out', join(dir, 'out'), join(dir, 'sc')], expect: 'Expected `duration` to be a duration', at: (dir) => `${join(dir, 'sc', 'bad.yaml')}:2` },
  { name: 'an empty file', setup: write('s.yaml', ''), args: inDir('s.yaml'), expect: 'a scenario file must be a YAML mapping', at: (dir) => `${join(dir, 's.yaml')}:1` },
  { name: 'binary garbage with NUL bytes', setup: write('s.yaml', Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 10, 0x1b, 0x5b, 0x32, 0x4a])), args: inDir('s.yaml'), expect: /YAML:|must be a YAML mapping|control characters/, at: (dir) => `${join(dir, 's.yaml')}:` },
  { name: 'UTF-16 text', setup: write('s.yaml', Buffer.from('\ufeffname: x\nduration: soon\n', 'utf16le')), args: inDir('s.yaml'), expect: /YAML:|must be a YAML mapping|Expected/, at: (dir) => `${join(dir, 's.yaml')}:` },
  { name: 'a folder of 1 001 scenario files', setup: async (dir) => { await mkdir(join(dir, 'many')); for (let index = 0; index <= 1_000; index++) await writeFile(join(dir, 'many', `s${index}.yaml`), ''); }, args: (dir) => ['validate', join(dir, 'many')], expect: 'more than 1000 scenario files' },
  { name: 'two names whose runs share an id (`x y`, `x-y-887fcea6`): both ran, then results.jsonl:1 was blamed', setup: async (dir) => { await mkdir(join(dir, 'sc')); await writeFile(join(dir, 'sc', 'a.yaml'), 'name: x y\nduration: 1m\n'); await writeFile(join(dir, 'sc', 'b.yaml'), 'name: x-y-887fcea6\nduration: 1m\n'); }, args: (dir) => ['run', '--out', join(dir, 'out'), join(dir, 'sc')], expect: 'scenario `x-y-887fcea6` would be stored under the same file names as `x y`', at: (dir) => `${join(dir, 'sc', 'b.yaml')}:1` },
  { name: '--out /', args: () => ['run', '--out', '/', incident], expect: 'the root folder is never an output folder' },
  { name: '--out /proc/self/x (mkdir spun there)', args: () => ['run', '--out', '/proc/self/x', incident], expect: 'a system folder' },
  { name: '--out /sys/x', args: () => ['run', '--out', '/sys/x', incident], expect: 'in /sys, a system folder' },
  { name: '--out naming a file', setup: write('f', 'mine'), args: (dir) => ['run', '--out', join(dir, 'f'), incident], expect: 'it is a file, not a folder' },
  { name: '--out under a file', setup: write('f', 'mine'), args: (dir) => ['run', '--out', join(dir, 'f', 'out'), incident], expect: /a part of the path is a file|is a file, so nothing can be created/ },
  { name: '--out a read-only folder', setup: async (dir) => { await mkdir(join(dir, 'ro')); await chmod(join(dir, 'ro'), 0o555); }, args: (dir) => ['run', '--out', join(dir, 'ro'), incident], expect: 'it is read-only' },
  { name: '--out a world-writable folder', setup: async (dir) => { await mkdir(join(dir, 'shared')); await chmod(join(dir, 'shared'), 0o777); }, args: (dir) => ['run', '--out', join(dir, 'shared'), incident], expect: 'anyone may write into it' },
  { name: '--out a group-writable folder', setup: async (dir) => { await mkdir(join(dir, 'team')); await chmod(join(dir, 'team'), 0o775); }, args: (dir) => ['run', '--out', join(dir, 'team'), incident], expect: 'its group may write into it (mode g+w)' },
  { name: '--out an earlier output with a note in runs/ (it was deleted)', setup: async (dir) => { await mkdir(join(dir, 'old', 'runs'), { recursive: true }); await writeFile(join(dir, 'old', 'run.json'), '{"format": "statuschaos.run/2"}'); await writeFile(join(dir, 'old', 'runs', 'notes.txt'), 'mine'); }, args: (dir) => ['run', '--out', join(dir, 'old'), incident], expect: 'it holds runs/notes.txt, which statuschaos did not write' },
  { name: '--out holding the scenarios run (`run OUT/findings --out OUT`)', setup: async (dir) => { await mkdir(join(dir, 'old', 'findings'), { recursive: true }); await writeFile(join(dir, 'old', 'explore.json'), '{"format": "statuschaos.explore/1"}'); await writeFile(join(dir, 'old', 'findings', 'finding-a.yaml'), await readFile(incident, 'utf8')); }, args: (dir) => ['run', '--out', join(dir, 'old'), join(dir, 'old', 'findings')], expect: 'which replacing the folder would remove' },
  { name: '--out a folder whose lock is a folder (ERR_FS_EISDIR)', setup: async (dir) => void (await mkdir(join(dir, 'out', '.statuschaos.lock'), { recursive: true })), args: (dir) => ['run', '--out', join(dir, 'out'), incident], expect: 'its lock .statuschaos.lock is a folder, which statuschaos never makes' },
  { name: '--out a symbolic link', setup: async (dir) => { await mkdir(join(dir, 'real')); await symlink(join(dir, 'real'), join(dir, 'link')); }, args: (dir) => ['run', '--out', join(dir, 'link'), incident], expect: 'it is a symbolic link' },
  { name: '--out a folder of someone\'s files', setup: async (dir) => { await mkdir(join(dir, 'home')); await writeFile(join(dir, 'home', '.bashrc'), ''); }, args: (dir) => ['run', '--out', join(dir, 'home'), incident], expect: 'it holds .bashrc, which statuschaos did not write' },
  { name: '--seed -5', args: () => ['run', '--seed', '-5', incident], expect: 'Expected `--seed` to be a whole number from 0 to 4294967295, got `-5`' },
  { name: '--seed 2^32', args: () => ['run', '--seed', '4294967296', incident], expect: 'got `4294967296`' },
  { name: '--seed near 2^32 with --repeat', args: () => ['run', '--seed', '4294967295', '--repeat', '2', incident], expect: 'go past 4294967295' },
  { name: '--repeat 0', args: () => ['run', '--repeat', '0', incident], expect: 'from 1 to 1000000' },
  { name: '--repeat beyond the limit', args: () => ['run', '--repeat', '99999999', incident], expect: 'from 1 to 1000000' },
  { name: '--variants naming one twice', args: () => ['run', '--variants', 'proposed,proposed', incident], expect: '`proposed` is named twice in --variants' },
  { name: '--variants with an escape sequence', args: () => ['run', '--variants', 'proposed,\u001b]0;x\u0007', incident], expect: '--variants contains the character U+001B' },
  { name: 'explore --seed 2^32 (ran as seed 0)', args: () => ['explore', '--seed', '4294967296'], expect: 'Expected `--seed` to be a whole number from 0 to 4294967295, got `4294967296`' },
  { name: 'explore --workers 1000 (580 threads, 3 GB)', args: () => ['explore', '--workers', '1000'], expect: /Expected `--workers` to be a whole number from 1 to \d+, got `1000`/ },
  { name: 'job render --repeat 2000000 (rendered)', args: () => ['job', 'render', 'run', 'scenarios', '--repeat', '2000000'], expect: 'from 1 to 1000000' },
  { name: 'job render --shards 1000000 (rendered)', args: () => ['job', 'render', 'explore', '--runs', '1', '--shards', '1000000'], expect: 'Expected `--shards` to be a whole number from 1 to 10000' },
  { name: 'explore --oracles truthful,truthful (de-duplicated silently)', args: () => ['explore', '--oracles', 'truthful,truthful'], expect: '`truthful` is named twice in --oracles' },
  { name: 'explore --variants with a zero-width space', args: () => ['explore', '--variants', 'proposed\u200b'], expect: '--variants contains the character U+200B' },
  { name: '--timing superfast', args: () => ['run', '--timing', 'superfast', incident], expect: 'Expected `--timing` to be one of streampark, fast' },
  { name: 'validate --seed (a flag it does not take)', args: () => ['validate', '--seed', '3', incident], expect: '`statuschaos validate` takes no options but --help' },
  { name: 'kubeconfig backend with the allow-list only in the environment', setup: write('kubeconfig', kubeconfigFile({ server: 'https://127.0.0.1:9', token: 'x', caData: 'x' })), args: (dir) => ['run', '--backend', 'kubeconfig', '--kubeconfig', join(dir, 'kubeconfig'), '--context', TEST_CONTEXT, '--out', join(dir, 'out'), incident], env: { STATUSCHAOS_ALLOWED_CONTEXTS: `${TEST_CONTEXT}=https://127.0.0.1:9` }, expect: 'STATUSCHAOS_ALLOWED_CONTEXTS is not read' },
  { name: 'kubeconfig backend: an allowed name pointing at another server', setup: write('kubeconfig', kubeconfigFile({ server: 'https://127.0.0.1:9', token: 'x', caData: 'x' })), args: (dir) => ['run', '--backend', 'kubeconfig', '--kubeconfig', join(dir, 'kubeconfig'), '--context', TEST_CONTEXT, '--allowed-contexts', `${TEST_CONTEXT}=https://test.example:6443`, '--out', join(dir, 'out'), incident], expect: 'allows it only at https://test.example:6443' },
  { name: 'a file one byte over 256 KiB (said "larger than 256 KiB (256 KiB)")', setup: write('s.yaml', `name: big\nduration: 1m\n#${'x'.repeat(256 * 1024 - 24)}\n`), args: inDir('s.yaml'), expect: 'the file is larger than 256 KiB (262,145 bytes)' },
  { name: 'report on a run.json without its summary (said "in the scenario")', setup: write('run.json', JSON.stringify({ format: 'statuschaos.run/2', tool: { name: 'statuschaos', version: '0' }, backend: 'sim', startedAt: 'now', metadata: {}, timing: { profile: 'x', scale: 1 }, variants: ['proposed'], status: 'complete' })), args: (dir) => ['report', join(dir, 'run.json')], expect: 'missing `summary` in run.json' },
  { name: 'report on a folder that is no run', setup: async (dir) => void (await mkdir(join(dir, 'x'))), args: (dir) => ['report', join(dir, 'x')], expect: 'run.json: cannot read it: no such file or folder' },
  { name: 'report on a run.json of 2 MB', setup: write('run.json', `{"format":"statuschaos.run/2","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`), args: (dir) => ['report', join(dir, 'run.json')], expect: 'larger than 1 MiB' },
  { name: 'report on a run.json that is an array', setup: write('run.json', '[1, 2, 3]'), args: (dir) => ['report', join(dir, 'run.json')], expect: 'is not a statuschaos run record: expected a JSON object, got a list' },
  { name: 'report on a run.json that is a link', setup: async (dir) => symlink('/etc/hostname', join(dir, 'run.json')), args: (dir) => ['report', join(dir, 'run.json')], expect: 'it is a symbolic link' },
  { name: 'report on a run whose results.jsonl names a path as id', setup: async (dir) => { await writeFile(join(dir, 'run.json'), JSON.stringify({ format: 'statuschaos.run/2', tool: { name: 'statuschaos', version: '0' }, backend: 'sim', startedAt: 'now', metadata: {}, timing: { profile: 'x', scale: 1 }, variants: ['proposed'], status: 'complete', summary: { pass: 0, fail: 0, unchecked: 0, inconclusive: 0, warnings: 0, scenarioRuns: 0 } })); await writeFile(join(dir, 'results.jsonl'), `${JSON.stringify({ id: '../../../etc/passwd', name: 'x', seed: 1, kept: true, warnings: 0, results: [] })}\n`); }, args: (dir) => ['report', dir], expect: 'Expected `id` to be a file-name id', at: (dir) => `${join(dir, 'results.jsonl')}:1` },
];

/** Every input of the corpus: the scenario files, then the generated ones. */
export const HOSTILE_CASES: readonly HostileCase[] = [...scenarioCases, ...generatedCases];
