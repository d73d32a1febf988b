// The example tracker process on the local control plane: the process adapter on a live backend
// (the protocol, the endpoints through the faults, the report), without a JVM; and a SIGTERM in
// the middle of a run leaves no tracker process behind (checked by pid).
import { execa } from 'execa';
import { mkdtemp, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readRunRecord } from '../../src/record/store.ts';
import { findProcesses } from '../support/processes.ts';
import { missingTools } from '../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);
const root = new URL('../..', import.meta.url).pathname;

/** Processes running the example tracker of a run (it runs in its workDir, inside the run's output folder). */
const examplesUnder = (dir: string) => findProcesses(async (pid) => (await readFile(`/proc/${pid}/cmdline`, 'latin1')).includes('rest-poller.mjs') && (await readlink(`/proc/${pid}/cwd`)).startsWith(dir));

describe.skipIf(missing !== undefined)('the example tracker process on the local backend', () => {
  test('it runs beside a model through the same faults: polls through the flink-rest proxy, writes, no failure', { timeout: 240_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'example-tracker-'));
    const result = await execa('node', ['bin/statuschaos.js', 'run', '--backend', 'local', '--variants', 'example-rest-poller,v2.1.3', '--out', out, 'scenarios/rest-only-outage.yaml'], { cwd: root, reject: false, all: true });
    expect(result.exitCode, result.all).toBe(0);
    const record = await readRunRecord(out);
    const run = record.scenarios[0]!;
    const lane = run.lanes.variants['example-rest-poller']!;
    expect(lane.failure).toBeUndefined();
    expect(run.trackers?.['example-rest-poller']).toMatchObject({ kind: 'process', system: 'streampark', role: 'other' });
    expect(run.trackers?.['example-rest-poller']?.version).toMatch(/^example REST poller on Node v22/);
    // it saw the job RUNNING through the proxy, and the REST outage as failed polls (it keeps its state meanwhile)
    expect(lane.writes[0]?.state).toBe('RUNNING');
    expect(lane.polls.some((poll) => poll.target === 'flink-rest' && poll.outcome === 'ok')).toBe(true);
    expect(lane.polls.some((poll) => poll.outcome !== 'ok')).toBe(true);
    expect(lane.writes.every((write) => write.state === 'RUNNING')).toBe(true);
    // scenario times: from 0, in order, within the run
    const times = lane.polls.map((poll) => poll.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThanOrEqual(run.durationMs);
    expect(await examplesUnder(out)).toEqual([]);
  });

  test('SIGTERM mid-run: exit 143 and the tracker process is gone', { timeout: 180_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'example-tracker-term-'));
    const child = execa('node', ['bin/statuschaos.js', 'run', '--backend', 'local', '--variants', 'example-rest-poller', '--out', out, 'scenarios/restart-without-fault.yaml'], { cwd: root, reject: false, all: true });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the run never started:\n${output}`)), 150_000);
      child.all!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('running 1 variant(s)')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const running = await examplesUnder(out);
    expect(running).toHaveLength(1);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(await examplesUnder(out)).toEqual([]);
  });
});
