// StreamPark's own code beside its models on the local control plane, at StreamPark's timing:
// the library's expectations (written from the source) hold for real-2.1.3 and real-2.1.4 as they
// hold for v2.1.3 and v2.1.4 — incident #3618 above all: the real 2.1.3 writes FAILED and stays
// there, the real 2.1.4 comes back to RUNNING. The whole library's table is
// `npm run conformance:real` (docs/conformance-real.md); CI runs the scenarios below (about 6
// minutes on two threads). And a SIGTERM while the real trackers run leaves no JVM (by pid).
import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { conformanceRows, markdownTable } from '../../../scripts/conformance/real-table.ts';
import { findProcesses } from '../../support/processes.ts';
import { missingStreamparkDriver } from '../../support/streampark-driver.ts';
import { missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']) ?? missingStreamparkDriver(['2.1.3', '2.1.4']);
const root = new URL('../../..', import.meta.url).pathname;
const SCENARIOS = (process.env.STATUSCHAOS_REAL_CONFORMANCE ?? 'incident-3618,deployment-deleted').split(',');

/** JVMs of a run: their command line names the run's output folder (their temp folder is in it). */
const jvmsUnder = (dir: string) => findProcesses(async (pid) => {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'latin1');
  return commandLine.includes('statuschaos.streampark.Driver') && commandLine.includes(dir);
});

describe.skipIf(missing !== undefined)('StreamPark models against StreamPark own code (local control plane)', () => {
  test(`${SCENARIOS.join(', ')}: every real tracker holds its model's expectation; the table`, { timeout: 1_800_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'real-conformance-'));
    const result = await execa('node', ['bin/statuschaos.js', 'run', ...SCENARIOS.map((name) => `scenarios/${name}.yaml`), '--backend', 'local', '--variants', 'v2.1.3,real-2.1.3,v2.1.4,real-2.1.4,proposed', '--workers', '2', '--out', out], { cwd: root, reject: false, all: true });
    const results = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n').filter(Boolean).flatMap((line) => JSON.parse(line).results);
    const rows = conformanceRows(results);
    console.log(markdownTable(rows));
    expect(rows.map((row) => row.scenario).sort()).toEqual([...SCENARIOS].sort());
    const broken = results.filter((entry: { verdict: string }) => entry.verdict !== 'pass').map((entry: { scenario: string; variant: string; trace: string[]; failures: string[] }) => `${entry.scenario} ${entry.variant}: ${entry.trace.join(' → ')}: ${entry.failures.join('; ')}`);
    expect(broken, result.all).toEqual([]);
    expect(result.exitCode).toBe(0);
    if (SCENARIOS.includes('incident-3618')) {
      const incident = rows.find((row) => row.scenario === 'incident-3618')!;
      const real = (name: string) => incident.pairs.find((pair) => pair.real === name)!.realTrace;
      expect(real('real-2.1.3')).toBe('RUNNING → FAILED');
      expect(real('real-2.1.4')).toMatch(/^RUNNING → FAILED → .*RUNNING$/);
    }
    expect(await jvmsUnder(out)).toEqual([]);
  });

  test('SIGTERM while StreamPark runs: exit 143 and no JVM of the run is left', { timeout: 300_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'real-interrupt-'));
    const child = execa('node', ['bin/statuschaos.js', 'run', 'scenarios/deployment-deleted.yaml', '--backend', 'local', '--variants', 'real-2.1.3,real-2.1.4', '--out', out], { cwd: root, reject: false, all: true });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the run never started:\n${output}`)), 240_000);
      child.all!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('running 2 variant(s)')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const running = await jvmsUnder(out);
    expect(running).toHaveLength(2);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    for (const pid of running) expect({ pid, alive: (await jvmsUnder(out)).includes(pid) }).toEqual({ pid, alive: false });
  });
});
