// The scenario library on the simulation: every expectation holds for every seed tried, every
// scenario behaves exactly as pinned in test/fixtures/golden/library-fingerprint.json (trace,
// verdict and a hash of each lane's writes, alerts and polls, for 20 seeds and every variant), the
// same seed gives byte-identical results, and no scenario is left unchecked or inconclusive. Each
// scenario run serves both the verdicts and the pin (the pinned file is rewritten, and its rows
// for scenarios that are gone are found, by test/runner/library-fingerprint.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runChecked } from '../support/run-checked.ts';
import { fingerprintDifferences, FINGERPRINT_FILE, FINGERPRINT_SEEDS, fingerprintRows, UPDATING_FINGERPRINT, type FingerprintRow } from '../support/library-fingerprint.ts';
import { loadScenarios } from '../../src/scenario/files.ts';

const scenarios = await loadScenarios([new URL('../../scenarios', import.meta.url).pathname]);
/** The pinned rows, read once (an update run rewrites the file: its pin is not checked then). */
const pinned = UPDATING_FINGERPRINT ? [] : (JSON.parse(readFileSync(FINGERPRINT_FILE, 'utf8')) as FingerprintRow[]);

describe('scenario library on sim', () => {
  test('has the scenarios the issue asks for', () => {
    expect(scenarios.map((scenario) => scenario.name)).toEqual(expect.arrayContaining([
      'incident-3618', 'restart-without-fault', 'pod-recreated', 'deployment-deleted', 'rest-only-outage', 'api-only-outage',
      'console-restart-while-failed', 'real-job-failure', 'outage-beyond-grace', 'session-rest-blip', 'api-latency-during-restart',
    ]));
    for (const scenario of scenarios) expect(Object.keys(scenario.expect).sort()).toEqual([...modelNames()].sort());
  });

  test.for(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s passes for 20 seeds and behaves exactly as pinned', async ([name, scenario]) => {
    const rows: FingerprintRow[] = [];
    for (const seed of FINGERPRINT_SEEDS) {
      const { results, run } = await runChecked(scenario, { backend: simBackend, seed });
      const broken = results.filter((result) => result.verdict !== 'pass').map((result) => `seed ${seed} ${result.variant}: ${result.verdict} ${result.trace.join('→')} ${result.failures.join('; ')}`);
      expect(broken).toEqual([]);
      expect(run.warnings).toEqual([]);
      rows.push(...fingerprintRows(scenario, seed, run, results));
    }
    if (!UPDATING_FINGERPRINT) expect(fingerprintDifferences(rows, pinned.filter((row) => row.scenario === name))).toEqual({ changed: [], missing: [] });
  });

  test('the same seed gives byte-identical results', async () => {
    const incident = scenarios.find((scenario) => scenario.name === 'api-latency-during-restart')!;
    const once = await runChecked(incident, { backend: simBackend, seed: 7 });
    const again = await runChecked(incident, { backend: simBackend, seed: 7 });
    expect(JSON.stringify(again.results)).toBe(JSON.stringify(once.results));
    expect(JSON.stringify(again.run.lanes)).toBe(JSON.stringify(once.run.lanes));
  });

  test('a different seed changes the jittered lanes (the seed really drives the randomness)', async () => {
    const incident = scenarios.find((scenario) => scenario.name === 'api-latency-during-restart')!;
    const a = await runChecked(incident, { backend: simBackend, variants: ['v2.1.3'], seed: 1 });
    const b = await runChecked(incident, { backend: simBackend, variants: ['v2.1.3'], seed: 2 });
    expect(JSON.stringify(a.run.lanes.variants)).not.toBe(JSON.stringify(b.run.lanes.variants));
  });
});
