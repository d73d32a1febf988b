// The same scenario files on the simulation and on the real local control plane (fast timing):
// the verdicts must agree, and so must the traces once the recovery transients are set aside.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { normalizeTrace } from '../../../src/scenario/trace-pattern.ts';
import { localBackend } from '../../../src/backends/local/backend.ts';
import { simBackend } from '../../../src/backends/sim/backend.ts';
import { modelNames } from '../../../src/models/registry.ts';
import { runAndRead } from '../../support/run-checked.ts';
import { loadScenarios } from '../../../src/scenario/files.ts';
import { missingTools } from '../../support/tools.ts';

const missing = missingTools(['kube-apiserver', 'etcd', 'kwok', 'kube-controller-manager', 'kube-scheduler', 'toxiproxy-server']);
const root = new URL('../../..', import.meta.url).pathname;
// issue 4's acceptance set: the incident, a restart alone, a REST-only outage, a real deletion, a console restart
const files = ['incident-3618', 'restart-without-fault', 'rest-only-outage', 'deployment-deleted', 'console-restart-while-failed'].map((name) => join(root, 'scenarios', `${name}.yaml`));
const TRANSIENT = ['INITIALIZING', 'CREATED', 'SILENT'];

describe.skipIf(missing !== undefined)('sim and local agree', () => {
  test('incident, restart without fault, REST-only outage, deployment deleted, console restart: same verdicts, same traces', { timeout: 400_000 }, async () => {
    const scenarios = await loadScenarios(files);
    const common = { scenarios, variants: modelNames(), seed: 1, repeat: 1, onProgress: () => {} };
    const sim = await runAndRead({ ...common, backend: simBackend, profile: undefined, outDir: await mkdtemp(join(tmpdir(), 'conformance-sim-')) });
    const outDir = await mkdtemp(join(tmpdir(), 'conformance-local-'));
    const local = await runAndRead({ ...common, backend: localBackend({ env: process.env, workDir: outDir }), profile: 'fast', outDir });
    const view = (record: typeof sim) => record.results.map((result) => `${result.scenario} ${result.variant}: ${result.verdict} ${normalizeTrace(result.trace, TRANSIENT).join(' → ')}`);
    const failures = local.results.filter((result) => result.verdict !== 'pass').map((result) => `${result.scenario} ${result.variant}: ${result.failures.join('; ')}`);
    expect(failures).toEqual([]);
    expect(view(local)).toEqual(view(sim));
    expect(local.results.every((result) => result.verdict === 'pass')).toBe(true);
    expect(local.metadata['kube-apiserver']).toBe('v1.37.2');
  });

  // issue 12's StreamPark-fidelity scenarios (cancel and the canceling mark, the cluster version after a
  // console restart, the history archive per tag, job ids across a restart, pods.head, the cancel's retries)
  const fidelity = [
    'cancel-then-rest-lost', 'cancel-during-rest-outage', 'console-restart-during-api-outage',
    'job-finishes-unseen', 'job-finishes-unseen-fs-dir-archive', 'job-finishes-unseen-workspace-archive',
    'restart-new-job-id-then-cancel', 'evicted-pod-listed-first', 'evicted-pod-listed-last', 'rest-outage-with-evicted-pod',
  ].map((name) => join(root, 'scenarios', `${name}.yaml`));
  test('issue 12 fidelity scenarios: same verdicts, same traces', { timeout: 1_200_000 }, async () => {
    const scenarios = await loadScenarios(fidelity);
    const common = { scenarios, variants: modelNames(), seed: 1, repeat: 1, onProgress: () => {} };
    const sim = await runAndRead({ ...common, backend: simBackend, profile: undefined, outDir: await mkdtemp(join(tmpdir(), 'conformance-sim-')) });
    const outDir = await mkdtemp(join(tmpdir(), 'conformance-local-'));
    const local = await runAndRead({ ...common, backend: localBackend({ env: process.env, workDir: outDir }), profile: 'fast', outDir });
    const view = (record: typeof sim) => record.results.map((result) => `${result.scenario} ${result.variant}: ${result.verdict} ${normalizeTrace(result.trace, TRANSIENT).join(' → ')}`);
    const failures = local.results.filter((result) => result.verdict !== 'pass').map((result) => `${result.scenario} ${result.variant}: ${result.failures.join('; ')}`);
    expect(failures).toEqual([]);
    expect(view(local)).toEqual(view(sim));
  });
});
