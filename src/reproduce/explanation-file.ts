/**
 * An explanation as a scenario file, ready for the library: the shrunk timeline in the incident's
 * app, every variant's trace on it as its expectation (so `statuschaos run` on the file passes
 * exactly when it replays the explanation), the truth oracles on the variants that showed the
 * truth, and a comment saying what it explains and how. Before it is reported the file is parsed
 * and run again: the same traces and the same mechanism, or it says it did not.
 */
import { simBackend } from '../backends/sim/backend.ts';
import { tracesOf } from '../explore/finding-file.ts';
import { describeSchedule, toYaml, type HealPhase, type YamlExpectation } from '../explore/schedule.ts';
import { slugify } from '../record/store.ts';
import { runScenario } from '../runner/run-scenario.ts';
import { parseScenario } from '../scenario/load.ts';
import { TRUTH_ORACLES } from './batch.ts';
import type { Incident } from './incident.ts';
import { compileIncident, judge } from './judge.ts';
import type { Explanation } from './search.ts';

export interface ExplanationFile {
  name: string;
  /** relative to the output folder */
  path: string;
  text: string;
}

/** The states and causes of a mechanism in words: `FAILED because a failed deployment list read as gone; no archive: FAILED — listener: FAILED`. */
export function mechanismInWords(explanation: Pick<Explanation, 'shown'>): string {
  return explanation.shown.slice(1).map((entry) => `${entry.state} because ${entry.cause}`).join('; then ') || 'nothing changed';
}

/** A pattern that matches exactly the trace given. */
const exactly = (trace: readonly string[]) => trace.join(' → ');

/** The file of an explanation (its name from the incident and its number, made unique by `taken`). */
export function explanationFile(explanation: Explanation, incident: Incident, heal: HealPhase, number: number, taken: Set<string>): ExplanationFile {
  const base = `${slugify(incident.name).slice(0, 40) || 'incident'}-explanation-${number}`;
  let name = base;
  for (let suffix = 2; taken.has(name); suffix++) name = `${base}-${suffix}`;
  taken.add(name);
  const expect: Record<string, YamlExpectation> = {};
  for (const entry of explanation.certificate) expect[entry.variant] = { trace: exactly(entry.trace), ...(entry.showsTruth ? { oracles: TRUTH_ORACLES.map((oracle) => oracle.name) } : {}) };
  const showTruth = explanation.certificate.filter((entry) => entry.showsTruth).map((entry) => entry.variant);
  const comment = [
    `Explains incident \`${incident.name}\` (${incident.file}), found by \`statuschaos reproduce\`: ${explanation.tracker} writes`,
    `${explanation.shown.map((entry) => entry.state).join(' → ')} while the job ${incident.truth === 'unknown' ? 'does what it does' : incident.truth === 'running' ? 'keeps running' : `is ${incident.truth}`}: ${mechanismInWords(explanation)}.`,
    `First explained by schedule ${explanation.found.schedule} of the search; shrunk to ${explanation.schedule.events.length} event(s).`,
    `Would have shown the truth on this schedule: ${showTruth.join(', ') || 'no variant'}.`,
    `Every expectation below is the trace observed on the simulation (seed 1), so \`statuschaos run\` on this file`,
    `replays it; to make it a regression scenario, replace a variant's trace with what it must do (the oracles,`,
    `or the trace its source says it writes) as docs/explore.md says.`,
  ].join('\n');
  const description = `${incident.name}: ${explanation.tracker} — ${mechanismInWords(explanation)} (${describeSchedule(explanation.schedule)})`;
  const text = toYaml(explanation.schedule, { heal, name, description, comment, expect, app: incident.app, minDurationMs: incident.endMs });
  return { name, path: `explanations/${name}.yaml`, text };
}

/** Parse the file and run it again: the same traces, and the tracker explains the incident by the same mechanism? */
export async function replays(file: ExplanationFile, explanation: Explanation, incident: Incident) {
  const scenario = parseScenario(file.text, file.path);
  const run = await runScenario(scenario, { backend: simBackend, variants: Object.keys(explanation.run.lanes.variants), seed: scenario.seed ?? 1, runDir: '' });
  if (JSON.stringify(tracesOf(run)) !== JSON.stringify(tracesOf(explanation.run))) return { ok: false, run, why: 'the file gives other traces than the schedule' };
  const again = judge(run, compileIncident(incident), explanation.tracker);
  if (!again.explains || again.mechanism !== explanation.mechanism) return { ok: false, run, why: 'the file does not explain the incident the same way' };
  return { ok: true, run };
}
