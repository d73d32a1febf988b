// Merging shards gives the files the unsharded run writes, exactly: the same lines in the same
// order, the same ids (also where two names make the same file name), and the same lanes kept in
// a run too big to keep all (first of each scenario, then runs that did not pass, up to a cap),
// though each shard, seeing only its part, kept a different set.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mergeShards } from '../../src/record/merge-shards.ts';
import { RUN_FORMAT, type Result, type RunHeader, type ScenarioCheck, type ScenarioRun } from '../../src/record/run-record.ts';
import { shardSize, takeShard, type Shard } from '../../src/record/shard.ts';
import { KEEP_ALL_UP_TO, KEEP_AT_MOST, scenarioRunId, RunStore } from '../../src/record/store.ts';
import { STREAMPARK_TIMING } from '../../src/models/timing.ts';

/** 'a b' and 'a-b' share a file name; 'a b' and 'a-b' always fail, 'flaky' on every third seed, 'alpha' warns on every fifth. */
const NAMES = ['alpha', 'a b', 'a-b', 'flaky'];
const REPEAT = 200;

function scenarioRun(name: string, seed: number): { run: ScenarioRun; check: ScenarioCheck } {
  const fails = name === 'a b' || name === 'a-b' || (name === 'flaky' && seed % 3 === 0);
  const result: Result = { scenario: name, variant: 'v2.1.3', app: 'job', seed, trace: ['RUNNING', fails ? 'FAILED' : 'RUNNING'], verdict: fails ? 'fail' : 'pass', failures: fails ? ['went FAILED'] : [], alerts: 0 };
  const run: ScenarioRun = {
    file: `${name}.yaml`, name, description: '', seed, durationMs: 1000, settledAtMs: 0, timeScale: 1, faults: [], actions: [], expect: {}, discriminates: false, apps: ['job'],
    lanes: { faults: [], truth: [], variants: { 'v2.1.3': { writes: [{ t: seed, app: 'job', state: 'RUNNING', tracking: 1, cause: 'poll' }], alerts: [], polls: [], events: [] } }, canaries: {} },
    timing: { ...STREAMPARK_TIMING }, wallMs: 0, metadata: { backend: 'test', namespace: `ns-${name}-${seed}`, network: 'simulated' }, phases: { setupMs: 0, runMs: 0, teardownMs: 0 },
  };
  return { run, check: { results: [result], warnings: name === 'alpha' && seed % 5 === 0 ? ['slow'] : [], evidence: {} } };
}

const runs = Array.from({ length: REPEAT }, (_, repetition) => NAMES.map((name) => scenarioRun(name, repetition + 1))).flat();
const header = (shard?: Shard): RunHeader => ({
  format: RUN_FORMAT, tool: { name: 'statuschaos', version: '0.0.0-test' }, backend: 'sim', startedAt: '2026-01-01T00:00:00.000Z', metadata: {}, timing: { profile: 'fast', scale: 1 }, variants: ['v2.1.3'],
  ...(shard ? { shard: { ...shard, fingerprint: 'sha256:test', positions: shardSize(runs.length, shard), totalPositions: runs.length } } : {}),
});

async function store(items: Iterable<(typeof runs)[number]>, shard?: Shard): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-merge-'));
  const written = await RunStore.create(dir, header(shard), runs.length);
  for (const { run, check } of items) await written.add(run, check);
  await written.finish('complete');
  return dir;
}

async function files(dir: string): Promise<Record<string, string>> {
  const names = ['run.json', 'results.jsonl', ...(await readdir(join(dir, 'runs'))).sort().map((name) => join('runs', name))];
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as const)));
}

const keptCount = (text: string) => text.split('\n').filter((line) => line.includes('"kept":true')).length;

describe('mergeShards', () => {
  test.for([1, 3, 4])('%i shard(s) of an 800-run run merge into exactly the unsharded run’s files', async (count) => {
    expect(runs.length).toBeGreaterThan(KEEP_ALL_UP_TO); // lanes are kept selectively, up to the cap
    const whole = await files(await store(runs));
    expect(keptCount(whole['results.jsonl']!)).toBe(KEEP_AT_MOST);
    expect(whole['results.jsonl']).toContain(`"id":"${scenarioRunId('a b', 1)}"`); // two names with one slug: the inexact one gets a hash of its name
    expect(scenarioRunId('a b', 1)).not.toBe(scenarioRunId('a-b', 1));

    const shards = await Promise.all(Array.from({ length: count }, (_, i) => store(takeShard(runs, { index: i + 1, count }), { index: i + 1, count })));
    const merged = join(await mkdtemp(join(tmpdir(), 'statuschaos-merged-')), 'out');
    await mergeShards(shards.reverse(), merged); // in any order
    expect(await files(merged)).toEqual(whole);
    if (count > 1) {
      // each shard decided alone, and together they kept more than the whole run does: the merge re-decided
      const keptByShards = (await Promise.all(shards.map(async (dir) => keptCount(await readFile(join(dir, 'results.jsonl'), 'utf8'))))).reduce((a, b) => a + b, 0);
      expect(keptByShards).toBeGreaterThan(KEEP_AT_MOST);
    }
  });
});
