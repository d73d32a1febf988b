// Each tracker draws its own network randomness (toxicity, jitter) on the simulation, so what one
// variant meets does not depend on which other variants run beside it: the explorer shrinks and
// a merge re-checks with one variant what was found with several.
import { expect, test } from 'vitest';
import { simBackend } from '../../../src/backends/sim/backend.ts';
import { runScenario } from '../../../src/runner/run-scenario.ts';
import { parseScenario } from '../../../src/scenario/load.ts';

const scenario = parseScenario(
  `name: coin-flips
duration: 3m
timeline:
  - at: 10s
    for: 2m
    fault: { target: apiserver, toxic: latency, latency: 9s, jitter: 3s, toxicity: 0.5 }
  - at: 20s
    for: 2m
    fault: { target: flink-rest, toxic: timeout, timeout: 0, toxicity: 0.5 }
  - at: 30s
    action: restart-jobmanager
`,
  'coin-flips.yaml',
);

test('a variant alone meets the same network as beside every other variant', async () => {
  const alone = await runScenario(scenario, { backend: simBackend, variants: ['v2.1.3'], seed: 7, runDir: '' });
  const together = await runScenario(scenario, { backend: simBackend, variants: ['proposed', 'v2.1.4', 'v2.1.3'], seed: 7, runDir: '' });
  expect(alone.lanes.variants['v2.1.3']!.polls.length).toBeGreaterThan(10);
  expect(together.lanes.variants['v2.1.3']).toEqual(alone.lanes.variants['v2.1.3']);
  // and the draws matter: another seed changes what it meets
  const reseeded = await runScenario(scenario, { backend: simBackend, variants: ['v2.1.3'], seed: 8, runDir: '' });
  expect(reseeded.lanes.variants['v2.1.3']!.polls).not.toEqual(alone.lanes.variants['v2.1.3']!.polls);
});
