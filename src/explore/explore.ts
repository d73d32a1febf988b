/**
 * The explorer: generates fault schedules (fast-check, seeded), runs each on the simulation with
 * every chosen variant, checks the truth oracles, and shrinks each new kind of violation (variant
 * × oracle × shape of the first divergence) to a minimal schedule that still shows it. The seed
 * space is cut into batches — each with its own fast-check seed drawn from the run's seed — so
 * a finding replays from (batch seed, index), and shards split the batches.
 */
import fc from 'fast-check';
import type { OracleViolation } from '../check/oracles.ts';
import type { ScenarioRun } from '../record/run-record.ts';
import type { OracleRequest } from '../scenario/oracle-names.ts';
import type { Target } from '../scenario/toxics.ts';
import { scheduleArbitrary } from './arbitraries.ts';
import { evaluate, signatureOf } from './evaluate.ts';
import type { HealPhase, Schedule } from './schedule.ts';

/** Schedules per batch: the unit of sharding and of replay. */
export const BATCH_SIZE = 32;
const MAX_BATCHES = 1 << 18; // 8 million schedules; drawing their seeds takes about 0.3 s

export interface ExploreOptions {
  seed: number;
  variants: readonly string[];
  oracles: readonly OracleRequest[];
  /** stop after this many schedules, or this much wall time (whichever comes first) */
  budget: { runs?: number; ms?: number };
  /** this process explores batches i, i + n, i + 2n, … (`--shard i/n`, 0-based i) */
  shard?: { index: number; count: number };
  heal: HealPhase;
  maxEvents?: number;
  targets?: readonly Target[];
  onProgress?: (progress: ExploreProgress) => void;
  /** called when a new finding is shrunk (before the explorer goes on) */
  onFinding?: (finding: Finding) => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ExploreProgress {
  schedules: number;
  findings: number;
  elapsedMs: number;
  /** schedules per second so far */
  rate: number;
  /** of the budget, when it is a time budget */
  leftMs: number | undefined;
  /** what the explorer is doing: exploring, or shrinking a finding */
  doing: string;
}

export interface Finding {
  /** variant · oracle · shape */
  signature: string;
  variant: string;
  oracle: OracleRequest['name'];
  /** how often the signature showed while exploring */
  occurrences: number;
  /** where it was first found: replay with fast-check's seed and path */
  found: { batchSeed: number; index: number; schedule: number; afterMs: number };
  original: Schedule;
  schedule: Schedule;
  shrinkSteps: number;
  /** the violation on the shrunk schedule */
  violation: OracleViolation;
  /** the shrunk schedule's run (every variant) */
  run: ScenarioRun;
  /** per variant: does it hold this oracle on the shrunk schedule? */
  certificate: { variant: string; holds: boolean; violation?: string }[];
}

export interface ExploreResult {
  schedules: number;
  elapsedMs: number;
  interrupted: boolean;
  findings: Finding[];
}

/** The fast-check seed of every batch, drawn from the run's seed. */
function batchSeeds(seed: number): number[] {
  return fc.sample(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { seed, numRuns: MAX_BATCHES });
}

export async function explore(options: ExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const arbitrary = scheduleArbitrary({ maxEvents: options.maxEvents, targets: options.targets });
  const seeds = batchSeeds(options.seed);
  const shard = options.shard ?? { index: 0, count: 1 };
  const found = new Map<string, Finding>();
  let schedules = 0;
  let lastReport = 0;
  const outOfBudget = () => (options.budget.runs !== undefined && schedules >= options.budget.runs) || (options.budget.ms !== undefined && elapsed() >= options.budget.ms);
  const stopped = () => options.signal?.aborted === true;
  const report = (doing: string, force = false) => {
    if (!force && elapsed() - lastReport < 1_000) return;
    lastReport = elapsed();
    const seconds = elapsed() / 1_000;
    options.onProgress?.({ schedules, findings: found.size, elapsedMs: elapsed(), rate: seconds > 0 ? schedules / seconds : 0, leftMs: options.budget.ms === undefined ? undefined : Math.max(0, options.budget.ms - elapsed()), doing });
  };

  for (let batch = shard.index; batch < seeds.length && !outOfBudget() && !stopped(); batch += shard.count) {
    const batchSeed = seeds[batch]!;
    const batchSchedules = fc.sample(arbitrary, { seed: batchSeed, numRuns: BATCH_SIZE });
    for (const [index, schedule] of batchSchedules.entries()) {
      const siblings: Schedule[] = []; // schedules shrunk from this one: tried first for its other violations
      if (outOfBudget() || stopped()) break;
      let violations: OracleViolation[];
      try {
        ({ violations } = await evaluate(schedule, options));
      } catch (error) {
        if (stopped()) break; // interrupted mid-run: keep what was found
        throw error;
      }
      schedules += 1;
      for (const violation of violations) {
        const signature = signatureOf(violation);
        const known = found.get(signature);
        if (known !== undefined) {
          known.occurrences += 1;
          continue;
        }
        report(`shrinking ${signature}`, true);
        const finding = await shrinkFinding({ signature, violation, schedule, batchSeed, index, schedules, afterMs: elapsed() }, arbitrary, options, siblings);
        if (finding === undefined) continue;
        siblings.push(finding.schedule);
        found.set(signature, finding);
        await options.onFinding?.(finding);
        if (stopped()) break;
      }
      report('exploring');
    }
  }
  report('done', true);
  return { schedules, elapsedMs: Math.round(elapsed()), interrupted: stopped(), findings: [...found.values()] };
}

interface Discovery {
  signature: string;
  violation: OracleViolation;
  schedule: Schedule;
  batchSeed: number;
  index: number;
  schedules: number;
  afterMs: number;
}

/**
 * Shrink a schedule to the smallest that still shows the same signature (fast-check replays the
 * batch to the schedule and shrinks it), then run the result with every variant for the fix
 * certificate. Undefined when the violation does not reproduce (it always should: runs are
 * deterministic).
 */
async function shrinkFinding(discovery: Discovery, arbitrary: fc.Arbitrary<Schedule>, options: ExploreOptions, siblings: readonly Schedule[]): Promise<Finding | undefined> {
  const target = { variants: [discovery.violation.variant], oracles: options.oracles.filter((oracle) => oracle.name === discovery.violation.oracle), heal: options.heal };
  const stillBreaks = async (schedule: Schedule) => {
    if (options.signal?.aborted) return false; // stop shrinking at once: keep what we have
    const { violations } = await evaluate(schedule, target);
    return violations.some((violation) => signatureOf(violation) === discovery.signature);
  };
  // a sibling already shrunk from the same schedule often shows this violation too: no new shrink
  let sibling: Schedule | undefined;
  for (const candidate of siblings) if (sibling === undefined && (await stillBreaks(candidate))) sibling = candidate;
  const outcome = sibling === undefined ? await fc.check(fc.asyncProperty(arbitrary, async (schedule) => !(await stillBreaks(schedule))), { seed: discovery.batchSeed, path: String(discovery.index), numRuns: 1 }) : { counterexample: [sibling], numShrinks: 0, failed: true };
  const shrunk = (outcome.counterexample?.[0] as Schedule | undefined) ?? discovery.schedule;
  // the full run for the certificate is never cut short: a finding is kept whole or not at all
  const full = await evaluate(shrunk, { variants: options.variants, oracles: target.oracles, heal: options.heal });
  const violation = full.violations.find((candidate) => signatureOf(candidate) === discovery.signature) ?? (outcome.failed ? undefined : discovery.violation);
  if (violation === undefined) return undefined;
  const certificate = options.variants.map((variant) => {
    const broken = full.violations.find((candidate) => candidate.variant === variant);
    return { variant, holds: broken === undefined, ...(broken ? { violation: broken.signature } : {}) };
  });
  return {
    signature: discovery.signature,
    variant: violation.variant,
    oracle: violation.oracle,
    occurrences: 1,
    found: { batchSeed: discovery.batchSeed, index: discovery.index, schedule: discovery.schedules, afterMs: Math.round(discovery.afterMs) },
    original: discovery.schedule,
    schedule: shrunk,
    shrinkSteps: outcome.numShrinks,
    violation,
    run: full.run,
    certificate,
  };
}
