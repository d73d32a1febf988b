/**
 * One batch of the explorer: up to 32 schedules drawn by fast-check from the batch's own seed,
 * each run on the simulation with every chosen variant and checked; each violation whose
 * signature is not yet known is shrunk to a minimal schedule here, so a worker thread can do a
 * whole batch alone (explore-worker.ts). Deterministic: the same task gives the same result.
 */
import fc from 'fast-check';
import type { OracleViolation } from '../check/oracles.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';
import type { Target } from '../scenario/toxics.ts';
import { scheduleArbitrary } from './arbitraries.ts';
import { BATCH_SIZE, stopSignal, type BatchTask } from './batch-loop.ts';
import { evaluate, signatureOf, type Evaluation } from './evaluate.ts';
import { minimize } from './minimize.ts';
import type { HealPhase, Schedule } from './schedule.ts';
import { shrinkSchedule } from './shrink.ts';

export { BATCH_SIZE, type BatchTask };

export interface BatchSettings {
  variants: readonly string[];
  oracles: readonly OracleRequest[];
  heal: HealPhase;
  maxEvents?: number;
  targets?: readonly Target[];
}

export interface BatchFinding {
  signature: string;
  variant: string;
  oracle: OracleRequest['name'];
  /** the schedule's index in the batch (fast-check's path to replay it) */
  index: number;
  original: Schedule;
  schedule: Schedule;
  shrinkSteps: number;
  /** the violation on the shrunk schedule */
  violation: OracleViolation;
  /** the shrunk schedule's run (every variant) */
  run: ScenarioRun;
  /** per variant: does it hold this oracle on the shrunk schedule? */
  certificate: { variant: string; holds: boolean; violation?: string }[];
  /** the finding of the same schedule whose shrunk schedule was reused (it shows this violation too) */
  reused?: string;
  /** the exploration stopped (Ctrl-C, the budget) before this violation was shrunk: `schedule` is the one it showed on */
  notShrunk?: true;
}

/** A finding of the same schedule, shrunk before: tried first for the schedule's other violations. */
export interface Sibling {
  signature: string;
  schedule: Schedule;
}

export interface BatchResult {
  /** schedules run */
  schedules: number;
  /** per signature, in how many of the batch's schedules it showed */
  seen: Record<string, number>;
  /** stops the oracles could not judge, over the batch's schedules (check/stops.ts) */
  unjudged: number;
  /** the violations not known before, shrunk, in the order they were found */
  findings: BatchFinding[];
}

export interface BatchContext {
  /** aborted on Ctrl-C: the batch ends at once with what it has (violations not yet shrunk kept as they are) */
  signal?: AbortSignal;
  /** called before a shrink starts (it can take seconds); the shrink waits for it */
  onShrink?: (signature: string) => void | Promise<void>;
}

/** The schedules' generator for a set of settings, built once per thread and reused for every batch. */
export function batchArbitrary(settings: Pick<BatchSettings, 'maxEvents' | 'targets'>): fc.Arbitrary<Schedule> {
  return scheduleArbitrary({ maxEvents: settings.maxEvents, targets: settings.targets });
}

/**
 * Run the batch's schedules and shrink each new kind of violation. A stop — Ctrl-C (`signal`) or
 * the time budget (`task.stopAt`) — ends it within a schedule's run: shrinking stops too, and every
 * violation of a new kind not yet shrunk is kept as it showed (`notShrunk`), from the run already
 * made; only the schedules that ran are counted.
 */
export async function exploreBatch(task: BatchTask, settings: BatchSettings, arbitrary: fc.Arbitrary<Schedule>, context: BatchContext = {}): Promise<BatchResult> {
  const known = new Set(task.known);
  const stop = stopSignal(context.signal, task.stopAt === undefined ? undefined : task.stopAt - Date.now());
  const result: BatchResult = { schedules: 0, seen: {}, unjudged: 0, findings: [] };
  const schedules = fc.sample(arbitrary, { seed: task.batchSeed, numRuns: BATCH_SIZE }).slice(0, task.limit);
  for (const [index, schedule] of schedules.entries()) {
    if (stop.aborted) break;
    let evaluation: Evaluation;
    try {
      evaluation = await evaluate(schedule, { ...settings, signal: stop });
    } catch (error) {
      if (stop.aborted) break; // stopped mid-run: that schedule does not count
      throw error;
    }
    result.schedules += 1;
    const siblings: Sibling[] = [];
    for (const signature of new Set(evaluation.violations.map(signatureOf))) result.seen[signature] = (result.seen[signature] ?? 0) + 1;
    for (const violation of evaluation.violations) {
      const signature = signatureOf(violation);
      if (known.has(signature)) continue;
      known.add(signature);
      const discovery = { signature, violation, schedule, index, evaluation };
      if (!stop.aborted) await context.onShrink?.(signature);
      const finding = stop.aborted ? notShrunk(discovery, settings) : await shrinkFinding(discovery, task.batchSeed, arbitrary, settings, siblings, stop);
      if (finding === undefined) continue;
      if (finding.notShrunk === undefined) siblings.push({ signature, schedule: finding.schedule });
      result.findings.push(finding);
    }
  }
  return result;
}

/** A violation kept as it showed on its schedule (the stop came before its shrink): certificate and run from the run already made. */
function notShrunk(discovery: Discovery & { evaluation: Evaluation }, settings: BatchSettings): BatchFinding {
  const { violation, schedule, evaluation } = discovery;
  const certificate = settings.variants.map((variant) => {
    const broken = evaluation.violations.find((candidate) => candidate.variant === variant && candidate.oracle === violation.oracle);
    return { variant, holds: broken === undefined, ...(broken ? { violation: broken.signature } : {}) };
  });
  return { signature: discovery.signature, variant: violation.variant, oracle: violation.oracle, index: discovery.index, original: schedule, schedule, shrinkSteps: 0, violation, run: evaluation.run, certificate, notShrunk: true };
}

export interface Discovery {
  signature: string;
  violation: OracleViolation;
  schedule: Schedule;
  index: number;
  /** the schedule's run with every chosen variant and oracle, when it was made (a finding stopped before its shrink is kept from it) */
  evaluation?: Evaluation;
}

/**
 * Shrink a schedule to the smallest that still shows the same signature: the first sibling that
 * shows it, else fast-check replays the batch to the schedule and shrinks it; then made 1-minimal
 * (minimize.ts: no single event can go, no window be shortened). Then run the result with every
 * variant for the fix certificate. Undefined when the violation does not reproduce (it always
 * should: runs are deterministic).
 */
export async function shrinkFinding(discovery: Discovery, batchSeed: number, arbitrary: fc.Arbitrary<Schedule>, settings: BatchSettings, siblings: readonly Sibling[], signal: AbortSignal | undefined): Promise<BatchFinding | undefined> {
  const oracles = settings.oracles.filter((oracle) => oracle.name === discovery.violation.oracle);
  const target = { variants: [discovery.violation.variant], oracles, heal: settings.heal };
  let cut = false;
  // fast-check's shrinker meets the same candidate again (about a quarter of a shrink's runs):
  // runs are deterministic, so a candidate's verdict is run once
  const verdicts = new Map<string, boolean>();
  const stillBreaks = async (schedule: Schedule) => {
    if (signal?.aborted) {
      cut = true; // stop shrinking at once
      return false;
    }
    const key = JSON.stringify(schedule);
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const { violations } = await evaluate(schedule, target);
    const verdict = violations.some((violation) => signatureOf(violation) === discovery.signature);
    verdicts.set(key, verdict);
    return verdict;
  };
  // a sibling already shrunk from the same schedule often shows this violation too: no new shrink
  let sibling: Sibling | undefined;
  for (const candidate of siblings) if (sibling === undefined && (await stillBreaks(candidate.schedule))) sibling = candidate;
  const outcome = sibling === undefined ? await shrinkSchedule(arbitrary, { batchSeed, index: discovery.index }, stillBreaks) : { schedule: sibling.schedule, numShrinks: 0, failed: true };
  // then 1-minimal (minimize.ts: no single event can go, no window be shortened); a stop cuts either short
  const minimal = cut ? undefined : await minimize(outcome.schedule ?? discovery.schedule, stillBreaks);
  if (cut || minimal === undefined) {
    // stopped before the shrink ended: the violation as it showed (from its run, or one more run of it)
    const evaluation = discovery.evaluation ?? (await evaluate(discovery.schedule, { variants: settings.variants, oracles, heal: settings.heal }));
    return notShrunk({ ...discovery, evaluation }, settings);
  }
  const shrunk = minimal.schedule;
  // the full run for the certificate is never cut short: a finding is kept whole or not at all
  const full = await evaluate(shrunk, { variants: settings.variants, oracles, heal: settings.heal });
  const violation = full.violations.find((candidate) => signatureOf(candidate) === discovery.signature) ?? (outcome.failed ? undefined : discovery.violation);
  if (violation === undefined) return undefined;
  const certificate = settings.variants.map((variant) => {
    const broken = full.violations.find((candidate) => candidate.variant === variant);
    return { variant, holds: broken === undefined, ...(broken ? { violation: broken.signature } : {}) };
  });
  return { signature: discovery.signature, variant: violation.variant, oracle: violation.oracle, index: discovery.index, original: discovery.schedule, schedule: shrunk, shrinkSteps: outcome.numShrinks + minimal.steps, violation, run: full.run, certificate, ...(sibling ? { reused: sibling.signature } : {}) };
}

/** Shrink a finding again from its original schedule with the given siblings only. */
export async function shrinkAgain(finding: BatchFinding, batchSeed: number, arbitrary: fc.Arbitrary<Schedule>, settings: BatchSettings, siblings: readonly Sibling[], signal: AbortSignal | undefined): Promise<BatchFinding | undefined> {
  const oracles = settings.oracles.filter((oracle) => oracle.name === finding.oracle);
  const { violations } = await evaluate(finding.original, { variants: [finding.variant], oracles, heal: settings.heal });
  const violation = violations.find((candidate) => signatureOf(candidate) === finding.signature);
  if (violation === undefined) return undefined;
  return shrinkFinding({ signature: finding.signature, violation, schedule: finding.original, index: finding.index }, batchSeed, arbitrary, settings, siblings, signal);
}
