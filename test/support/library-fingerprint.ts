/**
 * A fingerprint of what the scenario library does on the simulation: for every scenario, seed
 * and variant, the trace, the verdict and a hash of every console write, alert and poll with its
 * time. A restructuring that changes none of the behaviour leaves it identical. The pinned copy is
 * test/fixtures/golden/library-fingerprint.json: test/runner/library.test.ts holds each scenario to
 * it, test/runner/library-fingerprint.test.ts rewrites it with UPDATE_FINGERPRINT=1.
 */
import { createHash } from 'node:crypto';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import type { CheckedScenarioRun, Result } from '../../src/record/run-record.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { runChecked } from './run-checked.ts';
import { loadScenarios } from '../../src/scenario/files.ts';

export const FINGERPRINT_SEEDS = Array.from({ length: 20 }, (_, index) => index + 1);
export const FINGERPRINT_FILE = new URL('../fixtures/golden/library-fingerprint.json', import.meta.url);
/** `UPDATE_FINGERPRINT=1`: the pinned file is rewritten, and nothing is checked against it in that run. */
export const UPDATING_FINGERPRINT = process.env.UPDATE_FINGERPRINT === '1';

export interface FingerprintRow {
  scenario: string;
  seed: number;
  variant: string;
  app: string;
  trace: string;
  verdict: string;
  lane: string;
}

/** The rows of one scenario run (every variant and job of it). */
export function fingerprintRows(scenario: Scenario, seed: number, run: CheckedScenarioRun, results: readonly Result[]): FingerprintRow[] {
  return results.map((result) => {
    const lane = run.lanes.variants[result.variant]!;
    const facts = {
      writes: lane.writes.filter((write) => write.app === result.app).map((write) => [write.t, write.state, write.tracking]),
      alerts: lane.alerts.filter((alert) => alert.app === result.app).map((alert) => [alert.t, alert.state]),
      polls: lane.polls.map((poll) => [poll.t, poll.call, poll.outcome, poll.ms]),
    };
    return {
      scenario: scenario.name,
      seed,
      variant: result.variant,
      app: result.app,
      trace: result.trace.join(' → '),
      verdict: result.verdict,
      lane: createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 16),
    };
  });
}

export async function libraryFingerprint(library: string, seeds: readonly number[] = FINGERPRINT_SEEDS): Promise<FingerprintRow[]> {
  const rows: FingerprintRow[] = [];
  for (const scenario of await loadScenarios([library])) {
    for (const seed of seeds) {
      const { run, results } = await runChecked(scenario, { backend: simBackend, variants: modelNames(), seed });
      rows.push(...fingerprintRows(scenario, seed, run, results));
    }
  }
  return rows;
}

const key = (row: FingerprintRow) => `${row.scenario} seed ${row.seed} ${row.variant} ${row.app}`;

/** The rows of `rows` that differ from `pinned` (old → new), and the pinned rows `rows` lacks. */
export function fingerprintDifferences(rows: readonly FingerprintRow[], pinned: readonly FingerprintRow[]): { changed: string[]; missing: string[] } {
  const expected = new Map(pinned.map((row) => [key(row), row]));
  const changed = rows.filter((row) => JSON.stringify(expected.get(key(row))) !== JSON.stringify(row)).map((row) => `${key(row)}: ${expected.get(key(row))?.trace ?? '(new)'} [${expected.get(key(row))?.lane ?? ''}] → ${row.trace} [${row.lane}]`);
  const present = new Set(rows.map(key));
  const missing = pinned.filter((row) => !present.has(key(row))).map(key);
  return { changed, missing };
}
