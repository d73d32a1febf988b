// The run's files: ids that are always plain file names, a store whose work per scenario run
// does not grow with the run, and reading back a partial, hand-edited or foreign run folder
// (every problem a UserError naming the file, the line and the field, never a crash).
import { appendFile, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkScenarioRun } from '../../src/check/scenario-check.ts';
import { UserError, formatUserError } from '../../src/errors/user-error.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runHeader } from '../../src/pipeline/run-and-store.ts';
import type { ScenarioRun } from '../../src/record/run-record.ts';
import { KEEP_ALL_UP_TO, RunStore, checkRunIdsUnique, readRunRecord, scenarioRunId, slugify } from '../../src/record/store.ts';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { LIMITS } from '../../src/scenario/limits.ts';
import { writeJUnitFromResults } from '../../src/report/junit.ts';

const root = new URL('../..', import.meta.url).pathname;

describe('scenarioRunId: a plain file name whatever the scenario is called', () => {
  test.for([
    ['a library name stays as it is', 'incident-3618', /^incident-3618-7$/],
    ['`name: ../../x` cannot climb out of runs/', '../../x', /^x-[0-9a-f]{8}-7$/],
    ['an absolute path is a name like any other', '/etc/passwd', /^etc-passwd-[0-9a-f]{8}-7$/],
    ['markup', '<img src=x onerror=alert(1)>', /^img-src-x-onerror-alert-1-[0-9a-f]{8}-7$/],
    ['accents fold to ASCII', 'Ärger mit Café', /^arger-mit-cafe-[0-9a-f]{8}-7$/],
    ['nothing usable', '<>', /^scenario-[0-9a-f]{8}-7$/],
    ['a long name is cut, and told apart by its hash', 'x'.repeat(100), /^x{60}-[0-9a-f]{8}-7$/],
  ] as const)('%s', ([, name, id]) => {
    expect(scenarioRunId(name, 7)).toMatch(id);
    expect(scenarioRunId(name, 7)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('names that slug alike get different ids (no bookkeeping: the id is a function of name and seed)', () => {
    const names = ['incident-3618', 'Incident 3618', 'incident 3618!', 'INCIDENT_3618'];
    expect(new Set(names.map((name) => scenarioRunId(name, 1))).size).toBe(names.length);
    expect(slugify('Incident 3618')).toBe('incident-3618');
  });
});

describe('a stored run, written and read back', () => {
  let run: ScenarioRun;
  beforeAll(async () => {
    const scenario = await loadScenarioFile(join(root, 'scenarios', 'restart-without-fault.yaml'));
    run = await runScenario(scenario, { backend: simBackend, variants: modelNames(), seed: 1, runDir: '/nonexistent' });
  });

  /** A run folder with `count` scenario runs of the same scenario (seeds 1…count). */
  async function storeRuns(count: number, dir?: string): Promise<string> {
    const out = dir ?? (await mkdtemp(join(tmpdir(), 'statuschaos-store-')));
    const store = await RunStore.create(out, runHeader({ backend: simBackend, profile: undefined, variants: modelNames() }), count);
    const check = checkScenarioRun(run, modelNames());
    for (let seed = 1; seed <= count; seed++) {
      const results = check.results.map((result) => ({ ...result, seed }));
      await store.add({ ...run, seed }, { ...check, results });
    }
    await store.finish('complete');
    return out;
  }

  test(`beyond ${KEEP_ALL_UP_TO} scenario runs the lanes of passing repeats are not kept, yet every run is counted and in junit.xml`, async () => {
    const count = KEEP_ALL_UP_TO + 100;
    const dir = await storeRuns(count);
    expect(await readdir(join(dir, 'runs'))).toEqual(['restart-without-fault-1.json']);
    const record = await readRunRecord(dir);
    expect(record.scenarios).toHaveLength(1);
    expect(record.notShown).toBe(count - 1);
    expect(record.summary.scenarioRuns).toBe(count);
    expect(record.tally).toEqual([{ name: 'restart-without-fault', runs: count, variants: expect.any(Object) }]);
    expect(record.tally![0]!.variants.proposed).toMatchObject({ pass: count, fail: 0 });
    await writeJUnitFromResults(dir, record);
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(count);
    expect(junit).toContain(`<testsuites name="statuschaos" tests="${count * modelNames().length}"`);
  });

  /** Damage a freshly stored run with `edit`, then read it: the UserError's text. */
  async function readDamaged(edit: (dir: string) => Promise<void>): Promise<string> {
    const dir = await storeRuns(2);
    await edit(dir);
    const error = await readRunRecord(dir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(UserError);
    return formatUserError(error as UserError);
  }

  const replaceIn = (file: string, from: RegExp, to: string) => async (dir: string) => writeFile(join(dir, file), (await readFile(join(dir, file), 'utf8')).replace(from, to));

  test.for([
    ['run.json that is not JSON', async (dir: string) => writeFile(join(dir, 'run.json'), '{"format": "statuschaos.run/2",'), /run\.json: not valid JSON/],
    ['run.json of another format', replaceIn('run.json', /statuschaos\.run\/2/, 'statuschaos.run/1'), /run\.json: is not a statuschaos run record \(format "statuschaos\.run\/1", expected statuschaos\.run\/2\)$/m],
    ['a summary count that is text', replaceIn('run.json', /"pass": \d+/, '"pass": "many"'), /run\.json: summary\.pass: expected a number, got "many"/],
    ['a results line that is cut in the middle of a complete run', async (dir: string) => appendFile(join(dir, 'results.jsonl'), '{"id": "x-1", "name"'), /results\.jsonl:3: not valid JSON/],
    ['an id that is a path (would be read and written outside runs/)', replaceIn('results.jsonl', /"id":"restart-without-fault-2"/, '"id":"../../../etc/passwd"'), /results\.jsonl:2: Expected `id` to be a file-name id/],
    ['a verdict nobody gives', replaceIn('results.jsonl', /"verdict":"pass"/, '"verdict":"maybe"'), /results\.jsonl:1: results\[0\]\.verdict: Invalid option: expected one of "pass"\|"fail"\|"unchecked"\|"inconclusive", got "maybe"/],
    ['a seed beyond 32 bits', replaceIn('results.jsonl', /"seed":2,/, '"seed":99999999999999,'), /results\.jsonl:2: seed: /],
    ['lanes whose time is text', replaceIn('runs/restart-without-fault-1.json', /"durationMs":\d+/, '"durationMs":"long"'), /restart-without-fault-1\.json: durationMs: expected a number, got "long"/],
    ['lanes of an hour and more (the report would draw for ever)', replaceIn('runs/restart-without-fault-1.json', /"durationMs":\d+/, '"durationMs":1e300'), /durationMs.*at most 3600000/],
    ['an expectation whose pattern does not parse', replaceIn('runs/restart-without-fault-1.json', /"trace":"[^"]*"/, '"trace":"RUNNING → ("'), /Expected `trace` to be a trace pattern/],
    ['lanes that belong to another run', replaceIn('runs/restart-without-fault-2.json', /"seed":2,/, '"seed":5,'), /results\.jsonl:2: line says restart-without-fault seed 2, but runs\/restart-without-fault-2\.json holds restart-without-fault seed 5/],
    ['lanes missing', async (dir: string) => writeFile(join(dir, 'runs', 'restart-without-fault-2.json.gone'), '').then(() => import('node:fs/promises')).then(({ rm }) => rm(join(dir, 'runs', 'restart-without-fault-2.json'))), /restart-without-fault-2\.json: cannot read it: no such file or folder/],
    ['lanes replaced by a link', async (dir: string) => {
      const { rm } = await import('node:fs/promises');
      await rm(join(dir, 'runs', 'restart-without-fault-1.json'));
      await symlink('/etc/passwd', join(dir, 'runs', 'restart-without-fault-1.json'));
    }, /it is a symbolic link/],
    ['a results line longer than any run writes', async (dir: string) => appendFile(join(dir, 'results.jsonl'), `${'x'.repeat(LIMITS.resultsLineBytes + 10)}\n`), /results\.jsonl:3: a line longer than 4 MiB/],
  ] as const)('%s', async ([, edit, message]) => {
    expect(await readDamaged(edit)).toMatch(message);
  });

  test('a run that died while appending (status running, last line cut off) reads as far as it got', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'statuschaos-store-'));
    await storeRuns(2, dir);
    await writeFile(join(dir, 'run.json'), (await readFile(join(dir, 'run.json'), 'utf8')).replace('"complete"', '"running"'));
    await appendFile(join(dir, 'results.jsonl'), '{"id":"restart-without-fault-3","name":"restart-with');
    const record = await readRunRecord(dir);
    expect(record.status).toBe('running');
    expect(record.summary.scenarioRuns).toBe(2);
    expect(record.scenarios.map((scenario) => scenario.seed)).toEqual([1, 2]);
  });

  test('an interrupted run with nothing finished yet reads as an empty run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'statuschaos-store-'));
    await mkdir(join(dir, 'runs'));
    const store = await RunStore.create(dir, runHeader({ backend: simBackend, profile: undefined, variants: modelNames() }), 1);
    await store.finish('interrupted');
    const record = await readRunRecord(dir);
    expect(record).toMatchObject({ status: 'interrupted', scenarios: [], notShown: 0, summary: { scenarioRuns: 0 } });
  });
});

describe('run ids (issue 22, item 12)', () => {
  test('two names that map to one id are refused before anything runs; names that only look alike are not', () => {
    expect(scenarioRunId('x y', 1)).toBe(scenarioRunId('x-y-887fcea6', 1)); // the collision the probe found
    expect(() => checkRunIdsUnique([{ name: 'x y', file: 'a.yaml' }, { name: 'x-y-887fcea6', file: 'b.yaml' }])).toThrow(/`x-y-887fcea6` would be stored under the same file names as `x y` \(a\.yaml\)/);
    expect(() => checkRunIdsUnique([{ name: 'x y', file: 'a.yaml' }, { name: 'x-y', file: 'b.yaml' }, { name: 'X Y', file: 'c.yaml' }])).not.toThrow();
  });
});
