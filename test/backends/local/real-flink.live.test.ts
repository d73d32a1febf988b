// The library on the local backend with a real Flink application cluster (--flink real) gives
// the same verdicts as on the simulation, and every JVM a run starts is gone when it ends: at the
// end of a run, and after Ctrl-C (checked by pid, through /proc).
import { execa } from 'execa';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { localBackend } from '../../../src/backends/local/backend.ts';
import { UNSCALED_KEY } from '../../../src/backends/local/flink/real-flink-side.ts';
import { simBackend } from '../../../src/backends/sim/backend.ts';
import { modelNames } from '../../../src/models/registry.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import { findProcesses } from '../../support/processes.ts';
import { runAndRead } from '../../support/run-checked.ts';
import { missingFlink, missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']) ?? missingFlink();
const root = new URL('../../..', import.meta.url).pathname;
const scenarioFile = (name: string) => join(root, 'scenarios', `${name}.yaml`);

/** JVMs whose command line names `dir` (every Flink process of a run logs into its output folder). */
const jvmsUnder = (dir: string) => findProcesses(async (pid) => {
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'latin1');
  return commandLine.startsWith('java') || commandLine.includes('/java\0') ? commandLine.includes(dir) : false;
});

describe.skipIf(missing !== undefined)('real Flink on the local backend', () => {
  // StreamPark timing for the two restarts (real Flink cannot restart ten times faster); the REST
  // outage and the deletion do not wait on Flink, so they run under `fast` (scenario time × 0.1).
  test('incident, restart without fault (StreamPark timing), REST-only outage, deployment deleted (fast): same verdicts as on sim; no JVM left', { timeout: 900_000 }, async () => {
    const scenarios = await loadScenarios(['incident-3618', 'restart-without-fault', 'rest-only-outage', 'deployment-deleted'].map(scenarioFile));
    const timed = scenarios.map((scenario) => (['rest-only-outage', 'deployment-deleted'].includes(scenario.name) ? { ...scenario, timing: { ...scenario.timing, profile: 'fast' as const } } : { ...scenario, timing: { ...scenario.timing, profile: 'streampark' as const } }));
    const common = { variants: modelNames(), seed: 1, repeat: 1, onProgress: () => {}, profile: undefined };
    const sim = await runAndRead({ ...common, scenarios, backend: simBackend, outDir: await mkdtemp(join(tmpdir(), 'real-flink-sim-')) });
    const outDir = await mkdtemp(join(tmpdir(), 'real-flink-local-'));
    const seenJvms = new Set<number>();
    const watcher = setInterval(() => void jvmsUnder(outDir).then((pids) => pids.forEach((pid) => seenJvms.add(pid))), 2_000);
    const began = performance.now();
    let local;
    try {
      local = await runAndRead({ ...common, scenarios: timed, backend: localBackend({ env: process.env, workDir: outDir, flink: 'real' }), outDir });
    } finally {
      clearInterval(watcher);
    }
    console.log(`real Flink, 4 scenarios: ${((performance.now() - began) / 1000).toFixed(0)} s wall (${local.scenarios.map((run) => `${run.name} ${(run.wallMs / 1000).toFixed(0)} s`).join(', ')})`);
    const verdicts = (record: typeof sim) => record.results.map((result) => `${result.scenario} ${result.variant}: ${result.verdict}`);
    const failures = local.results.filter((result) => result.verdict !== 'pass').map((result) => `${result.scenario} ${result.variant}: ${result.trace.join(' → ')}: ${result.failures.join('; ')}`);
    expect(failures).toEqual([]);
    expect(verdicts(local)).toEqual(verdicts(sim));
    expect(local.metadata.flink).toMatch(/^real 1\.18\.1/);
    // the fast runs say what real Flink could not do ten times faster; the StreamPark ones have nothing to say
    expect(local.scenarios.filter((run) => run.metadata[UNSCALED_KEY] !== undefined).map((run) => run.name).sort()).toEqual(['deployment-deleted', 'rest-only-outage']);
    expect(seenJvms.size).toBeGreaterThanOrEqual(2); // at least a JobManager and a TaskManager were seen running
    expect(await jvmsUnder(outDir)).toEqual([]);
  });

  test('Ctrl-C mid-scenario: exit 130 and every JVM of the run is gone', { timeout: 180_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'real-flink-interrupt-'));
    const child = execa('node', ['bin/statuschaos.js', 'run', '--backend', 'local', '--flink', 'real', '--timing', 'fast', '--out', out, 'scenarios/restart-without-fault.yaml'], { cwd: root, reject: false, all: true });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the run never started:\n${output}`)), 150_000);
      child.all!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('running 6 variant(s)')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const running = await jvmsUnder(out);
    expect(running.length).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    for (const pid of running) expect({ pid, alive: await jvmsUnder(out).then((pids) => pids.includes(pid)) }).toEqual({ pid, alive: false });
    expect(await jvmsUnder(out)).toEqual([]);
  });
});
