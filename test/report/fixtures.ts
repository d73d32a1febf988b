// Run records for the report tests: real simulation runs of library scenarios (deterministic by
// seed), and a hand-made scenario run whose lanes say exactly what a test needs.
import { simBackend } from '../../src/backends/sim/backend.ts';
import type { TruthEntry } from '../../src/record/truth.ts';
import { modelNames } from '../../src/models/registry.ts';
import { STREAMPARK_TIMING } from '../../src/models/timing.ts';
import { RUN_FORMAT, type CheckedScenarioRun, type Result, type RunRecord, type VariantLane } from '../../src/record/run-record.ts';
import { summarize } from '../../src/record/summary.ts';
import { runChecked } from '../support/run-checked.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import type { ScheduledAction, ScheduledFault } from '../../src/scenario/types.ts';

export const root = new URL('../..', import.meta.url).pathname;

/** A run record of library scenarios (by file name without .yaml) on the simulation, seed 1, all variants. */
export async function simRecord(names: readonly string[]): Promise<RunRecord> {
  const scenarios = await loadScenarios(names.map((name) => `${root}scenarios/${name}.yaml`));
  const record: RunRecord = {
    format: RUN_FORMAT, tool: { name: 'statuschaos', version: 'test' }, backend: 'sim', startedAt: '2026-01-01T00:00:00.000Z',
    metadata: { backend: 'sim' }, timing: { profile: 'per scenario', scale: 1 }, variants: modelNames(), status: 'complete', results: [], scenarios: [], notShown: 0, summary: summarize([], 0, 0),
  };
  for (const scenario of scenarios) {
    const { run, results } = await runChecked(scenario, { backend: simBackend, seed: 1 });
    record.scenarios.push(run);
    record.results.push(...results);
  }
  record.summary = summarize(record.results, 0, record.scenarios.length);
  return record;
}

export function truth(t: number, job: string, overrides: Partial<TruthEntry> = {}): TruthEntry {
  return { t, deploymentExists: true, pod: { name: 'jm-1', phase: 'Running', restartCount: 0, ready: true, lastTerminated: undefined }, restServing: true, jobs: { app: job }, ...overrides };
}

export function writes(...steps: [number, string][]): VariantLane {
  return { writes: steps.map(([t, state]) => ({ t, app: 'app', state, tracking: 1, cause: 'test' })), alerts: [], polls: [], events: [] };
}

export const apiTimeout: ScheduledFault = {
  id: 'fault-0', atMs: 60_000, untilMs: 180_000, name: 'packet loss to the API server', line: 1,
  spec: { target: 'apiserver', toxic: 'timeout', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } },
};

export const restartJobManager: ScheduledAction = { id: 'action-1', atMs: 70_000, action: 'restart-jobmanager', downtimeMs: 30_000, reason: 'OOMKilled', job: 'app', listed: undefined, name: 'restart-jobmanager', line: 2 };

/** A scenario run of one application `app`, 300 s long, with the given lanes. */
export function handRun(lanes: { truth: TruthEntry[]; variants: Record<string, VariantLane>; faults?: CheckedScenarioRun['lanes']['faults'] }, overrides: Partial<CheckedScenarioRun> = {}): CheckedScenarioRun {
  return {
    file: 'hand.yaml', name: 'hand', description: '', seed: 1, durationMs: 300_000, settledAtMs: 180_000, timeScale: 1, timing: STREAMPARK_TIMING,
    faults: [apiTimeout], actions: [restartJobManager], expect: {}, discriminates: true, apps: ['app'],
    lanes: { faults: lanes.faults ?? [], truth: lanes.truth, variants: lanes.variants, canaries: {} }, evidence: {}, warnings: [], wallMs: 1, metadata: {}, phases: { setupMs: 0, runMs: 1, teardownMs: 0 },
    ...overrides,
  };
}

export function result(variant: string, trace: string[], overrides: Partial<Result> = {}): Result {
  return { scenario: 'hand', variant, app: 'app', seed: 1, trace, verdict: 'pass', failures: [], alerts: 0, ...overrides };
}
