/**
 * A fingerprint of what the scenario library does on the simulation: for every scenario, seed
 * and variant, the trace, the verdict and a hash of every console write, alert and poll with its
 * time. A restructuring that changes none of the behaviour leaves it identical.
 */
import { createHash } from 'node:crypto';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import { runChecked } from './run-checked.ts';
import { loadScenarios } from '../../src/scenario/files.ts';

export const FINGERPRINT_SEEDS = Array.from({ length: 20 }, (_, index) => index + 1);

export interface FingerprintRow {
  scenario: string;
  seed: number;
  variant: string;
  app: string;
  trace: string;
  verdict: string;
  lane: string;
}

export async function libraryFingerprint(library: string, seeds: readonly number[] = FINGERPRINT_SEEDS): Promise<FingerprintRow[]> {
  const rows: FingerprintRow[] = [];
  for (const scenario of await loadScenarios([library])) {
    for (const seed of seeds) {
      const { run, results } = await runChecked(scenario, { backend: simBackend, variants: modelNames(), seed });
      for (const result of results) {
        const lane = run.lanes.variants[result.variant]!;
        const facts = {
          writes: lane.writes.filter((write) => write.app === result.app).map((write) => [write.t, write.state, write.tracking]),
          alerts: lane.alerts.filter((alert) => alert.app === result.app).map((alert) => [alert.t, alert.state]),
          polls: lane.polls.map((poll) => [poll.t, poll.call, poll.outcome, poll.ms]),
        };
        rows.push({
          scenario: scenario.name,
          seed,
          variant: result.variant,
          app: result.app,
          trace: result.trace.join(' → '),
          verdict: result.verdict,
          lane: createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16),
        });
      }
    }
  }
  return rows;
}
