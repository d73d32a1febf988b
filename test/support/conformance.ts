/**
 * The sim-vs-live conformance check, shared by the local and the kind conformance tests: the
 * library on the simulation and on a live backend, both at the fast profile; every verdict must
 * pass on both and the traces must agree once the recovery transients are set aside, except where
 * an expectation admits several traces (a race the sources have). A scenario whose live run
 * disagrees is run again on its own, up to RETRIES times, each second try printed with what it
 * replaces (at the fast profile a 100 ms stall of the machine moves a poll by a second of scenario
 * time, and Toxiproxy's jitter is not the simulation's draw).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/backends/backend.ts';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { modelNames } from '../../src/models/registry.ts';
import type { RunRecord } from '../../src/record/run-record.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { normalizeTrace } from '../../src/scenario/trace-pattern.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { runAndRead } from './run-checked.ts';

export const LIBRARY = join(new URL('../..', import.meta.url).pathname, 'scenarios');
const TRANSIENT = ['INITIALIZING', 'CREATED', 'SILENT'];
/** An optional recovery transient (`(SILENT)?`, `INITIALIZING?`): the traces are compared without them anyway. */
const OPTIONAL_TRANSIENT = new RegExp(`\\(?\\b(${TRANSIENT.join('|')})\\b\\)?\\?`, 'g');
const RETRIES = 2;

/**
 * An expectation that admits more than one trace (beyond an optional SILENT) names a race the
 * source has: which thread's call gets v2.1.4's one `false`, whether a RUNNING comes before the
 * run ends. Both backends must pass it; their traces may differ.
 */
export function admitsSeveralTraces(pattern: string | undefined): boolean {
  return pattern !== undefined && /[?*+|]/.test(pattern.replace(OPTIONAL_TRANSIENT, ''));
}

type Result = RunRecord['results'][number];

export interface Conformance {
  scenarios: Scenario[];
  /** `scenario variant` of every expectation that admits several traces */
  racy: Set<string>;
  sim: RunRecord;
  live: RunRecord;
  /** one line per result: `scenario variant: verdict trace` (no trace for the racy ones) */
  view(record: RunRecord): string[];
  failures(record: RunRecord): string[];
}

/** Runs `scenarios` (default: the library) on the simulation and on `liveBackend(outDir)`, with the retries. */
export async function runConformance(name: string, liveBackend: (outDir: string) => Backend, chosen?: (scenarios: Scenario[]) => Scenario[]): Promise<Conformance> {
  const library = await loadScenarios([LIBRARY]);
  const scenarios = chosen ? chosen(library) : library;
  const racy = new Set(scenarios.flatMap((scenario) => Object.entries(scenario.expect).filter(([, expectation]) => admitsSeveralTraces(expectation?.trace)).map(([variant]) => `${scenario.name} ${variant}`)));
  const line = (result: Result) => `${result.scenario} ${result.variant}: ${result.verdict}${racy.has(`${result.scenario} ${result.variant}`) ? '' : ` ${normalizeTrace(result.trace, TRANSIENT).join(' → ')}`}`;
  const view = (record: RunRecord) => record.results.map(line);
  const failures = (record: RunRecord) => record.results.filter((result) => result.verdict !== 'pass').map((result) => `${result.scenario} ${result.variant}: ${result.failures.join('; ')}`);
  const common = { variants: modelNames(), seed: 1, repeat: 1, profile: 'fast' as const, onProgress: () => {} };
  const sim = await runAndRead({ ...common, scenarios, backend: simBackend, outDir: await mkdtemp(join(tmpdir(), 'conformance-sim-')) });
  const onLive = async (subset: Scenario[]) => {
    const outDir = await mkdtemp(join(tmpdir(), `conformance-${name}-`));
    return runAndRead({ ...common, scenarios: subset, backend: liveBackend(outDir), outDir });
  };
  const live = await onLive(scenarios);
  const simLines = new Set(view(sim));
  const disagreements = (results: Result[]) => results.filter((result) => result.verdict !== 'pass' || !simLines.has(line(result)));
  const firstDisagreements = disagreements(live.results).map(line);
  for (let attempt = 1; attempt <= RETRIES; attempt++) {
    const again = new Set(disagreements(live.results).map((result) => result.scenario));
    if (again.size === 0) break;
    console.warn(`conformance: running again on ${name} (try ${attempt + 1}): ${disagreements(live.results).map((result) => `${line(result)}${result.verdict === 'pass' ? '' : ` (${result.failures.join('; ')})`}`).join(' | ')}`);
    const rerun = await onLive(scenarios.filter((scenario) => again.has(scenario.name)));
    live.results = live.results.map((result) => (again.has(result.scenario) ? rerun.results.find((other) => other.scenario === result.scenario && other.variant === result.variant)! : result));
  }
  // said, not hidden: how many results flipped between the first run and a second try (a busy machine's timing, or a race)
  if (firstDisagreements.length > 0) {
    const still = new Set(disagreements(live.results).map(line));
    console.warn(`conformance on ${name}: ${firstDisagreements.length} of ${live.results.length} result(s) disagreed on the first run; ${firstDisagreements.filter((entry) => !still.has(entry)).length} agreed when run again, ${still.size} still disagree`);
  }
  return { scenarios, racy, sim, live, view, failures };
}
