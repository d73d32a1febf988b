// `run --shard i/n` then `merge`: the merged folder is the unsharded run's (byte for byte but for
// timings, report included); a bad merge exits 2, names the shard and writes nothing.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { comparableRun } from '../support/run-folder.ts';
import { cli } from '../support/cli.ts';

const root = new URL('../..', import.meta.url).pathname;
const scenarios = ['scenarios/incident-3618.yaml', 'scenarios/pod-recreated.yaml'].map((file) => join(root, file));
const RUN = [...scenarios, '--variants', 'v2.1.3,proposed', '--repeat', '3']; // 6 scenario runs

let work: string;
const shard = (index: number) => join(work, `shard-${index}`);

async function runShard(index: number, out: string, extra: string[] = []) {
  const result = await cli(['run', ...RUN, '--shard', `${index}/3`, '--out', out, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'statuschaos-merge-cli-'));
  await runShard(1, shard(1), ['--workers', '2']);
  await runShard(2, shard(2));
  await runShard(3, shard(3), ['--workers', '1']);
  await runShard(2, join(work, 'other-seed-2'), ['--seed', '99']);
  expect((await cli(['run', ...RUN, '--workers', '1', '--out', join(work, 'whole')])).code).toBe(0);
});

describe('merge', () => {
  test('three shards merge into the unsharded run: run.json, results.jsonl, lanes, junit.xml; one HTML report', async () => {
    const shardOne = await stat(join(shard(1), 'index.html')).then(() => true, () => false);
    const out = join(work, 'merged');
    const { code, stdout } = await cli(['merge', shard(3), shard(1), shard(2), '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/incident-3618 ×3\s+✓ 3\s+✓ 3/); // the tally of a repeated run: every seed of both variants passed
    expect(await comparableRun(out)).toEqual(await comparableRun(join(work, 'whole')));
    expect(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')).shard).toBeUndefined();
    expect((await stat(join(out, 'index.html'))).size).toBeGreaterThan(0);
    expect(shardOne).toBe(false); // shards write junit.xml, not the HTML report
  });

  /** A copy of the shards 1, 2, 3 in a folder of their own, for a test to break. */
  async function copies(): Promise<string[]> {
    const dir = await mkdtemp(join(work, 'case-'));
    return Promise.all([1, 2, 3].map(async (index) => (await cp(shard(index), join(dir, `shard-${index}`), { recursive: true }), join(dir, `shard-${index}`))));
  }
  const editJson = async (file: string, edit: (value: Record<string, unknown>) => void) => {
    const value = JSON.parse(await readFile(file, 'utf8'));
    edit(value);
    await writeFile(file, JSON.stringify(value));
  };
  const lines = async (dir: string) => (await readFile(join(dir, 'results.jsonl'), 'utf8')).trimEnd().split('\n');

  test.for([
    ['shards of different runs', async ([a]: string[]) => [a!, join(work, 'other-seed-2'), shard(3)], /shard 2\/3 \(.*other-seed-2\) is from a different run than shard 1\/3/],
    ['a shard of another statuschaos version', async ([a, b, c]: string[]) => (await editJson(join(b!, 'run.json'), (run) => ((run.tool as { version: string }).version = '9.9.9')), [a!, b!, c!]), /shard 2\/3 \(.*\) was written by statuschaos 9\.9\.9, shard 1\/3 .* by /],
    ['a missing shard', async ([a, , c]: string[]) => [a!, c!], /shard 2\/3 is missing \(given: 1\/3, 3\/3\)/],
    ['a shard given twice', async ([a, b, c]: string[]) => [a!, b!, c!, b!], /shard 2\/3 is given twice/],
    ['a run that was not sharded', async ([a, b]: string[]) => [a!, b!, join(work, 'whole')], /whole is not a shard: its run\.json has no `shard`/],
    ['a shard still running (or killed)', async ([a, b, c]: string[]) => (await editJson(join(c!, 'run.json'), (run) => (run.status = 'running')), [a!, b!, c!]), /shard 3\/3 \(.*\) is partial: the run ended `running`/],
    ['a shard with a scenario run missing', async ([a, b, c]: string[]) => (await writeFile(join(b!, 'results.jsonl'), `${(await lines(b!)).slice(0, 1).join('\n')}\n`), [a!, b!, c!]), /shard 2\/3 \(.*\) is partial: results\.jsonl has 1 of its 2 scenario runs/],
    ['a shard cut off while writing a line', async ([a, b, c]: string[]) => (await writeFile(join(a!, 'results.jsonl'), `${(await lines(a!))[0]}\n{"id":"incid`), [a!, b!, c!]), /shard 1\/3 \(.*\) is broken: .*results\.jsonl:2: not valid JSON/],
    ['a shard whose lanes are gone', async ([a, b, c]: string[]) => (await rm(join(c!, 'runs', `${JSON.parse((await lines(c!))[0]!).id}.json`)), [a!, b!, c!]), /shard 3\/3 \(.*\) is partial: runs\/.*\.json is missing/],
  ] as const)('%s: exit 2, the shard named, nothing written', async ([, prepare, message]) => {
    const out = join(work, `not-written-${Math.random().toString(36).slice(2)}`);
    const { code, stderr } = await cli(['merge', ...(await prepare(await copies())), '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  test.for([
    [['merge', 'x'], /merge needs --out DIR/],
    [['merge', '--out', 'y'], /merge needs the folders of a run’s shards/],
  ] as const)('usage %j: exit 2', async ([argv, message]) => {
    const { code, stderr } = await cli([...argv]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  test('an --out that is not empty, or is one of the shards, is refused', async () => {
    expect((await cli(['merge', shard(1), shard(2), shard(3), '--out', shard(1)])).stderr).toMatch(/--out .*shard-1 is not empty|it is the input .*shard-1/);
    const { code, stderr } = await cli(['merge', shard(1), shard(2), shard(3), '--out', join(work, 'whole')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/whole is not empty/);
  });
});

describe('run --shard and --workers', () => {
  test.for([
    [['--shard', '0/3'], /Expected `--shard` to be i\/n .*got `0\/3`[\s\S]*JOB_COMPLETION_INDEX \+ 1/],
    [['--shard', '4/3'], /got `4\/3`/],
    [["--workers", "0"], /Expected `--workers` to be a whole number from 1 to \d+, got `0`/],
    [['--backend', 'kind', '--workers', '2'], /--workers 2 cannot run on the kind backend/],
  ] as const)('%j is a usage error (exit 2) before anything runs', async ([flags, message]) => {
    const out = join(work, `refused-${Math.random().toString(36).slice(2)}`);
    const { code, stderr } = await cli(['run', ...RUN, ...flags, '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  test('a shard records what it is: index, count, its share, and the fingerprint of the run’s inputs', async () => {
    const runJson = JSON.parse(await readFile(join(shard(2), 'run.json'), 'utf8'));
    expect(runJson.shard).toMatchObject({ index: 2, count: 3, positions: 2, totalPositions: 6, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(JSON.parse(await readFile(join(work, 'other-seed-2', 'run.json'), 'utf8')).shard.fingerprint).not.toBe(runJson.shard.fingerprint);
    expect(JSON.parse(await readFile(join(shard(1), 'run.json'), 'utf8')).shard.fingerprint).toBe(runJson.shard.fingerprint);
  });
});
