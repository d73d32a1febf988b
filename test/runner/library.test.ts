// The scenario library on the simulation: every expectation holds for every seed tried, the
// same seed gives byte-identical results, and no scenario is left unchecked or inconclusive.
import { describe, expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runChecked } from '../support/run-checked.ts';
import { loadScenarios } from '../../src/scenario/files.ts';

const scenarios = await loadScenarios([new URL('../../scenarios', import.meta.url).pathname]);
const SEEDS = Array.from({ length: 20 }, (_, index) => index + 1);

describe('scenario library on sim', () => {
  test('has the scenarios the issue asks for', () => {
    expect(scenarios.map((scenario) => scenario.name)).toEqual(expect.arrayContaining([
      'incident-3618', 'restart-without-fault', 'pod-recreated', 'deployment-deleted', 'rest-only-outage', 'api-only-outage',
      'console-restart-while-failed', 'real-job-failure', 'outage-beyond-grace', 'session-rest-blip', 'api-latency-during-restart',
    ]));
    for (const scenario of scenarios) expect(Object.keys(scenario.expect).sort()).toEqual([...modelNames()].sort());
  });

  test.for(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s passes for 20 seeds', async ([, scenario]) => {
    for (const seed of SEEDS) {
      const { results, run } = await runChecked(scenario, { backend: simBackend, seed });
      const broken = results.filter((result) => result.verdict !== 'pass').map((result) => `seed ${seed} ${result.variant}: ${result.verdict} ${result.trace.join('→')} ${result.failures.join('; ')}`);
      expect(broken).toEqual([]);
      expect(run.warnings).toEqual([]);
    }
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
