/**
 * A finding as a scenario file: the shrunk timeline, every variant's observed trace as its
 * expectation (so `statuschaos run` on the file passes exactly when it replays the same run), the
 * oracle on the variants that hold it, and a comment saying what broke. Before it is reported the
 * file is parsed and run again: the same traces and the same violation, or it says it did not.
 */
import { simBackend } from '../backends/sim/backend.ts';
import { checkOracles } from '../check/oracles.ts';
import { slugify } from '../record/store.ts';
import type { FindingRecord } from '../record/explore-record.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { parseScenario } from '../scenario/load.ts';
import { normalizeTrace } from '../scenario/trace-pattern.ts';
import { signatureOf } from './evaluate.ts';
import type { Finding } from './explore.ts';
import { describeSchedule, toYaml, type HealPhase, type YamlExpectation } from './schedule.ts';

/** Every variant's trace per job in a run (consecutive repeats collapsed). */
export function tracesOf(run: ScenarioRun): Record<string, Record<string, string[]>> {
  const traces: Record<string, Record<string, string[]>> = {};
  for (const [variant, lane] of Object.entries(run.lanes.variants)) {
    traces[variant] = Object.fromEntries(run.apps.map((app) => [app, normalizeTrace(lane.writes.filter((write) => write.app === app).map((write) => write.state))]));
  }
  return traces;
}

/** A trace pattern that matches exactly the traces given (one per job; alternatives when they differ). */
function exactPattern(traces: readonly string[][]): string {
  const distinct = [...new Set(traces.map((trace) => trace.join(' → ')))];
  return distinct.length === 1 ? distinct[0]! : distinct.map((trace) => `(${trace})`).join(' | ');
}

export interface FindingFile {
  name: string;
  /** relative to the output folder */
  path: string;
  text: string;
}

/** The file of a finding (its name from the signature, made unique by `taken`). */
export function findingFile(finding: Finding, heal: HealPhase, taken: Set<string>): FindingFile {
  const base = `finding-${slugify(finding.signature)}`;
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  taken.add(name);
  const traces = tracesOf(finding.run);
  const expect: Record<string, YamlExpectation> = {};
  for (const { variant, holds } of finding.certificate) {
    expect[variant] = { trace: exactPattern(Object.values(traces[variant] ?? {})), ...(holds ? { oracles: [finding.oracle] } : {}) };
  }
  const breaks = finding.certificate.filter((entry) => !entry.holds).map((entry) => entry.variant);
  const holds = finding.certificate.filter((entry) => entry.holds).map((entry) => entry.variant);
  const comment = [
    `Found by \`statuschaos explore\`: ${finding.variant} breaks \`${finding.oracle}\` — ${finding.violation.message}.`,
    `Breaks ${breaks.join(', ') || 'none'}; ${holds.join(', ') || 'none'} hold${holds.length === 1 ? 's' : ''}.`,
    `Every expectation below is the trace observed on the simulation (seed 1), so \`statuschaos run\` on this file`,
    `replays it; to make it a regression scenario, replace a variant's trace with the oracle it must hold`,
    `(\`oracles: [${finding.oracle}]\`) or with the trace its source says it writes (docs/explore.md).`,
  ].join('\n');
  const description = `${finding.variant} breaks ${finding.oracle}: ${finding.violation.signature} (${describeSchedule(finding.schedule)})`;
  const text = toYaml(finding.schedule, { heal, name, description, comment, expect, minDurationMs: finding.run.durationMs });
  return { name, path: `findings/${name}.yaml`, text };
}

/** Parse the file and run it again: does it give the same traces and the same violation? */
export async function replays(file: FindingFile, finding: Finding): Promise<{ ok: boolean; run: ScenarioRun; why?: string }> {
  const scenario = parseScenario(file.text, file.path);
  const run = await runScenario(scenario, { backend: simBackend, variants: Object.keys(finding.run.lanes.variants), seed: scenario.seed ?? 1, runDir: '' });
  if (JSON.stringify(tracesOf(run)) !== JSON.stringify(tracesOf(finding.run))) return { ok: false, run, why: 'the file gives other traces than the schedule' };
  const again = checkOracles(run, finding.variant, finding.violation.app, [{ name: finding.oracle }]);
  if (!again.some((violation) => signatureOf(violation) === finding.signature)) return { ok: false, run, why: 'the file does not break the oracle again' };
  return { ok: true, run };
}

/** The record of a finding for explore.json. */
export function findingRecord(finding: Finding, file: FindingFile, page: string, replayed: boolean): FindingRecord {
  return {
    signature: finding.signature,
    variant: finding.variant,
    oracle: finding.oracle,
    message: finding.violation.message,
    occurrences: finding.occurrences,
    found: finding.found,
    original: describeSchedule(finding.original),
    shrunk: describeSchedule(finding.schedule),
    events: finding.schedule.events.length,
    shrinkSteps: finding.shrinkSteps,
    file: file.path,
    page,
    replayed,
    ...(finding.notShrunk ? { notShrunk: true as const } : {}),
    certificate: finding.certificate,
    traces: tracesOf(finding.run),
  };
}
