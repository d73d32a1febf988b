/** A scenario written inline, run on the simulation, and hand-made consoles put beside its variants, for the oracles' tests. */
import { simBackend } from '../../src/backends/sim/backend.ts';
import type { ScenarioRun, VariantLane } from '../../src/record/run-record.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { parseScenario } from '../../src/scenario/load.ts';

export async function simRun(yaml: string, variants: string[]): Promise<ScenarioRun> {
  return runScenario(parseScenario(yaml, 'inline.yaml'), { backend: simBackend, variants, seed: 1, runDir: '' });
}

/**
 * A console that wrote `writes` (per job: [t, state]) and sent `alerts`, as a variant of the run
 * whose calls went as `like`'s did (its polls, its events unless given, and its design's timeouts).
 */
export function handConsole(run: ScenarioRun, like: string, writes: Record<string, [number, string][]>, alerts: [number, string, string][] = [], events?: VariantLane['events']): VariantLane {
  const base = run.lanes.variants[like]!;
  return {
    ...base,
    writes: Object.entries(writes).flatMap(([app, steps]) => steps.map(([t, state]) => ({ t, app, state, tracking: 1 as const, cause: 'hand-made' }))).sort((a, b) => a.t - b.t),
    alerts: alerts.map(([t, app, state]) => ({ t, app, state })),
    events: events ?? base.events,
  };
}

/** The run with `lane` added as variant `name`. */
export function withConsole(run: ScenarioRun, name: string, lane: VariantLane): ScenarioRun {
  return { ...run, lanes: { ...run.lanes, variants: { ...run.lanes.variants, [name]: lane } } };
}
