// The command line, run in-process: exit codes, help, outputs, re-checking a stored run.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { main } from '../../src/cli/main.ts';
import { readRunRecord } from '../../src/record/store.ts';
import { getModel, modelNames } from '../../src/models/registry.ts';

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { env, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } });
  return { code, stdout, stderr };
}

const root = new URL('../..', import.meta.url).pathname;
const incident = join(root, 'scenarios', 'incident-3618.yaml');
const wrong = join(root, 'test', 'fixtures', 'scenario', 'good', 'wrong-expectation.yaml');
const etcdOutage = join(root, 'scenarios', 'etcd-outage-during-restart.yaml');
const crashLoop = join(root, 'scenarios', 'jobmanager-crash-loop.yaml');

describe('statuschaos CLI', () => {
  test.for(['run', 'validate', 'schema', 'report', 'machine', 'merge', 'job'])('`%s --help` prints usage and exits 0', async (command) => {
    const { code, stdout } = await cli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: statuschaos/);
  });

  test('no command: usage on stdout, exit 2', async () => expect((await cli([])).code).toBe(2));

  test('an unknown command or flag is a usage error (exit 2) with a suggestion', async () => {
    const command = await cli(['rnu']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('did you mean `run`?');
    const flag = await cli(['run', '--sede', '3', incident]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--sede');
  });

  test.for([
    ['--flink real on another backend than local and kind', ['--flink', 'real'], {}, '--flink real runs on the local and kind backends only'],
    ['STATUSCHAOS_FLINK=real on the simulation', [], { STATUSCHAOS_FLINK: 'real' }, '--flink real runs on the local and kind backends only'],
    ['--flink with an unknown kind', ['--backend', 'local', '--flink', 'jvm'], {}, 'Expected `--flink` to be one of stub, real'],
  ] as const)('%s is a usage error (exit 2), before anything starts', async ([, flags, env, message]) => {
    const { code, stderr } = await cli(['run', ...flags, incident], env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  test('an unknown variant is a usage error', async () => {
    const { code, stderr } = await cli(['run', '--variants', 'v2.1.3,minimal-fx', incident]);
    expect(code).toBe(2);
    expect(stderr).toContain('did you mean `minimal-fix`?');
  });

  test.for([
    ['kind', etcdOutage, 'cannot put a fault on `etcd`', 'sim or --backend local', 'target: etcd'],
    ['kubeconfig', etcdOutage, 'cannot put a fault on `etcd`', 'sim or --backend local', 'target: etcd'],
    ['kubeconfig', crashLoop, 'cannot perform `crash-loop-jobmanager`', 'sim or --backend local or --backend kind', 'action: crash-loop-jobmanager'],
  ] as const)('run --backend %s of %s: exit 2 at the fault or action’s line, before anything starts', async ([backend, file, message, hint, entry]) => {
    // the line of the timeline entry: its `- at:` line, above what names the fault or action
    const lines = readFileSync(file, 'utf8').split('\n');
    const named = lines.findIndex((text) => text.includes(entry));
    const line = lines.slice(0, named + 1).findLastIndex((text) => /^\s*- at:/.test(text)) + 1;
    expect(line).toBeGreaterThan(0);
    const out = join(await mkdtemp(join(tmpdir(), 'statuschaos-cli-')), 'out');
    const { code, stderr } = await cli(['run', '--backend', backend, '--kubeconfig', '/nonexistent', '--out', out, file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:${line}: the ${backend} backend ${message}`);
    expect(stderr).toContain(`--backend ${hint}`);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/); // not even the output folder
  });

  test('run: every expectation held → exit 0, matrix on stdout, files written', async () => {
    const out = await mkdtemp(join(tmpdir(), 'statuschaos-cli-'));
    const { code, stdout, stderr } = await cli(['run', '--out', out, incident]);
    expect(code).toBe(0);
    expect(stdout).toContain('incident-3618');
    expect(stdout).toMatch(/✓ v2\.1\.3\s+RUNNING → FAILED/);
    expect(stderr).toContain('[1/1] incident-3618');
    const record = await readRunRecord(out);
    expect(record.status).toBe('complete');
    expect(record.results).toHaveLength(6);
    expect(record.results[0]).toMatchObject({ scenario: 'incident-3618', variant: 'v2.1.3', trace: ['RUNNING', 'FAILED'], verdict: 'pass' });
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('<testcase classname="incident-3618" name="v2.1.3">');
  });

  test('run: a failed expectation → exit 1, with the divergence', async () => {
    const out = await mkdtemp(join(tmpdir(), 'statuschaos-cli-'));
    const { code, stdout } = await cli(['run', '--out', out, '--variants', 'v2.1.3', wrong]);
    expect(code).toBe(1);
    expect(stdout).toContain('after RUNNING → FAILED, expected RUNNING but the trace ends');
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('<failure type="fail"');
  });

  test('settings come from STATUSCHAOS_* variables too', async () => {
    const out = await mkdtemp(join(tmpdir(), 'statuschaos-cli-'));
    const { code } = await cli(['run', incident], { STATUSCHAOS_OUT: out, STATUSCHAOS_SEED: '42', STATUSCHAOS_VARIANTS: 'proposed' });
    expect(code).toBe(0);
    const record = await readRunRecord(out);
    expect(record.results.map((result) => `${result.variant}#${result.seed}`)).toEqual(['proposed#42']);
  });

  test('report re-checks a stored run offline: a changed expectation changes the verdict', async () => {
    const out = await mkdtemp(join(tmpdir(), 'statuschaos-cli-'));
    expect((await cli(['run', '--out', out, '--variants', 'v2.1.3', incident])).code).toBe(0);
    const lanes = join(out, 'runs', 'incident-3618-1.json');
    const stored = JSON.parse(await readFile(lanes, 'utf8'));
    stored.expect['v2.1.3'].trace = 'RUNNING → FAILED → RUNNING';
    await writeFile(lanes, JSON.stringify(stored));
    const { code, stdout } = await cli(['report', join(out, 'run.json')]);
    expect(code).toBe(1);
    expect(stdout).toContain('does not match `RUNNING → FAILED → RUNNING`');
    const after = await readRunRecord(out);
    expect(after.results[0]!.verdict).toBe('fail');
    expect(after.summary).toMatchObject({ pass: 0, fail: 1, scenarioRuns: 1 });
  });

  test('report refuses a file that is not a run record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'statuschaos-cli-'));
    await writeFile(join(dir, 'run.json'), '{"hello": 1}');
    const { code, stderr } = await cli(['report', join(dir, 'run.json')]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a statuschaos run record');
  });

  test('schema prints a JSON Schema that lists every toxic and variant', async () => {
    const { code, stdout } = await cli(['schema']);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toContain('2020-12');
    expect(JSON.stringify(schema)).toContain('reset_peer');
    // every tracker: a file may hold an expectation of the real code's own, apart from its model's
    expect(Object.keys(schema.properties.expect.properties)).toEqual(['v2.1.3', 'fix-retriever-only', 'fix-listener-only', 'minimal-fix', 'v2.1.4', 'proposed', 'real-2.1.3', 'real-2.1.4', 'example-rest-poller']);
  });

  test('machine prints createMachine(...) code for Stately, one per machine', async () => {
    const { code, stdout } = await cli(['machine', 'v2.1.3']);
    expect(code).toBe(0);
    for (const id of ['StreamParkTracker', 'FlinkJobStatusWatcher', 'touchApplicationJob', 'listJobsDetails', 'restUrlRefresher', 'isDeploymentExists', 'StreamParkConsole']) {
      expect(stdout).toContain(`export const ${id} = createMachine(`);
    }
  });

  test.for(modelNames())('machine %s: the printed code builds with createMachine and has the real machines\' states', async (variant) => {
    const { code, stdout } = await cli(['machine', variant]);
    expect(code).toBe(0);
    // evaluate the module as the visualiser would: createMachine over each printed config
    const body = stdout.replace(/^import .*$/m, '').replace(/^export const (\w+) = /gm, 'machines.$1 = ');
    const machines: Record<string, AnyStateMachine> = {};
    new Function('createMachine', 'machines', body)(createMachine, machines);
    // every machine the variant's tracker invokes, found through its implementations
    const real = new Map<string, AnyStateMachine>();
    const visit = (machine: AnyStateMachine) => {
      if (real.has(machine.id)) return;
      real.set(machine.id, machine);
      for (const actor of Object.values(machine.implementations.actors)) if (actor && typeof actor === 'object' && 'idMap' in actor) visit(actor as unknown as AnyStateMachine);
    };
    visit(getModel(variant)!.machine as AnyStateMachine);
    const stateIds = (machine: AnyStateMachine) => [...(machine as unknown as { idMap: Map<string, unknown> }).idMap.keys()].sort();
    expect(Object.keys(machines).sort()).toEqual([...real.keys()].sort());
    for (const [id, machine] of real) {
      expect(stateIds(machine).length, id).toBeGreaterThan(0);
      expect(stateIds(machines[id]!), id).toEqual(stateIds(machine));
    }
  });

  test('a missing scenario path is a clear user error', async () => {
    const { code, stderr } = await cli(['run', '/nonexistent/scenarios']);
    expect(code).toBe(2);
    expect(stderr).toContain('/nonexistent/scenarios: no such file or folder');
  });
});
