// The scenario library on the simulation: every expectation holds for every seed tried, the
// same seed gives byte-identical results, and no scenario is left unchecked or inconclusive.
import { describe, expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
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

  test.for(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s passes for 20 seeds', { timeout: 60_000 }, async ([, scenario]) => {
    for (const seed of SEEDS) {
      const { results, run } = await runScenario(scenario, { backend: simBackend, variants: modelNames(), seed, runDir: '/tmp/statuschaos-test' });
      const broken = results.filter((result) => result.verdict !== 'pass').map((result) => `seed ${seed} ${result.variant}: ${result.verdict} ${result.trace.join('→')} ${result.failures.join('; ')}`);
      expect(broken).toEqual([]);
      expect(run.warnings).toEqual([]);
    }
  });

  test('the same seed gives byte-identical results', async () => {
    const incident = scenarios.find((scenario) => scenario.name === 'api-latency-during-restart')!;
    const once = await runScenario(incident, { backend: simBackend, variants: modelNames(), seed: 7, runDir: '/tmp/statuschaos-test' });
    const again = await runScenario(incident, { backend: simBackend, variants: modelNames(), seed: 7, runDir: '/tmp/statuschaos-test' });
    expect(JSON.stringify(again.results)).toBe(JSON.stringify(once.results));
    expect(JSON.stringify(again.run.lanes)).toBe(JSON.stringify(once.run.lanes));
  });

  test('a different seed changes the jittered lanes (the seed really drives the randomness)', async () => {
    const incident = scenarios.find((scenario) => scenario.name === 'api-latency-during-restart')!;
    const a = await runScenario(incident, { backend: simBackend, variants: ['v2.1.3'], seed: 1, runDir: '/tmp/statuschaos-test' });
    const b = await runScenario(incident, { backend: simBackend, variants: ['v2.1.3'], seed: 2, runDir: '/tmp/statuschaos-test' });
    expect(JSON.stringify(a.run.lanes.variants)).not.toBe(JSON.stringify(b.run.lanes.variants));
  });
});
