// `statuschaos reproduce` on the command line: exit 0 with explanations whose files `statuschaos
// run` replays, a page that says "N explanations of your incident"; exit 1 and a page that says so
// when nothing explains it; exit 2 on a bad incident or bad kubectl JSON; --from-kubectl alone
// prints the known facts.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ReproduceRecord } from '../../src/record/reproduce-record.ts';
import { cli } from '../support/cli.ts';

const EXAMPLE = new URL('../../docs/examples/incident-3618.yaml', import.meta.url).pathname;
const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname;
const record = async (dir: string) => JSON.parse(await readFile(join(dir, 'reproduce.json'), 'utf8')) as ReproduceRecord;
const made: string[] = [];
const out = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-reproduce-'));
  made.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe('statuschaos reproduce', () => {
  test('explanations: exit 0, reproduce.json, the page, and scenario files that `statuschaos run` replays', { timeout: 300_000 }, async () => {
    const dir = await out();
    const { code, stdout, stderr } = await cli(['reproduce', EXAMPLE, '--runs', '32', '--workers', '1', '--out', dir]);
    expect(code, stderr).toBe(0);
    const found = await record(dir);
    expect(found).toMatchObject({ format: 'statuschaos.reproduce/1', status: 'complete', seed: 1, trackers: ['v2.1.3'], stats: { schedules: 32 }, incident: { name: 'incident-3618', truth: 'running' } });
    expect(found.explanations.length).toBeGreaterThan(0);
    for (const explanation of found.explanations) {
      expect(explanation).toMatchObject({ tracker: 'v2.1.3', replayed: true, events: expect.any(Number), support: expect.any(Number) });
      expect(explanation.certificate.map((entry) => entry.variant)).toHaveLength(6);
      expect(stdout).toContain(`✓ ${explanation.mechanism}`);
    }
    const page = await readFile(join(dir, 'index.html'), 'utf8');
    expect(page).toContain(`${found.explanations.length} explanation`);
    expect(page).toContain('What would have prevented it');
    expect(page).toContain('you saw');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['index.html', 'reproduce.json', 'explanations', 'runs', ...found.explanations.map((explanation) => explanation.page)]));
    const replay = await cli(['run', '--out', await out(), join(dir, found.explanations[0]!.file)]);
    expect(replay.code, replay.stdout).toBe(0);
  });

  test('nothing explains it: exit 1, and the page says so and what was tried', { timeout: 120_000 }, async () => {
    const dir = await out();
    const { code, stdout } = await cli(['reproduce', fixture('incidents/canceled-without-cancel.yaml'), '--runs', '8', '--workers', '1', '--out', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ no schedule explains canceled-without-cancel: in 8 schedule\(s\), 0 gave another truth, 8 another trace/);
    expect((await record(dir)).explanations).toEqual([]);
    const page = await readFile(join(dir, 'index.html'), 'utf8');
    expect(page).toContain('No explanation of your incident');
    expect(page).toContain('No schedule explained it');
  });

  test('a bad incident: exit 2 at its line, nothing written', async () => {
    const work = await out();
    const file = join(work, 'bad.yaml');
    await writeFile(file, 'name: bad\nobserved: { trace: RUNNING → FAILED }\ntruth: running\nknown:\n  - fact: jobmanager-restart\n    at: "14:01"\n');
    const { code, stderr } = await cli(['reproduce', file, '--runs', '1', '--out', join(work, 'out')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:6:9: \`14:01\` is a time of day, but the incident has no \`start\``);
    expect(await readdir(work)).toEqual(['bad.yaml']);
  });

  test('usage: JSON without --from-kubectl, two incidents, foreign JSON: exit 2', async () => {
    expect((await cli(['reproduce', EXAMPLE, fixture('kubectl/restart-pods.json')])).stderr).toMatch(/kubectl's files go with --from-kubectl/);
    expect((await cli(['reproduce', EXAMPLE, EXAMPLE])).code).toBe(2);
    const foreign = await cli(['reproduce', '--from-kubectl', fixture('kubectl/recorded.json')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/recorded\.json: expected the JSON that `kubectl get events -o json` or `kubectl get pods -o json` prints/);
  });

  test('--from-kubectl alone prints the known facts as YAML to paste', async () => {
    const { code, stdout } = await cli(['reproduce', '--from-kubectl', fixture('kubectl/restart-events.json'), fixture('kubectl/restart-pods.json')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^known:\n {2}- fact: jobmanager-restart\n {4}at: 2026-12-07T20:39:24Z/m);
    expect(stdout).toContain('reason: Error');
  });

  test('schema incident prints the JSON Schema of incident files', async () => {
    const { code, stdout } = await cli(['schema', 'incident']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ title: 'statuschaos incident', required: expect.arrayContaining(['name', 'observed', 'truth']) });
  });
});
