/**
 * Pure checks of an observed console trace against a scenario expectation, and of a whole
 * scenario's expectations against each other (do they tell a buggy variant from a fixed one?).
 * Everything here works on recorded data, so a stored run can be re-checked offline.
 */
import { formatDuration } from '../scenario/duration.ts';
import type { Expectation } from '../scenario/types.ts';
import { describeDivergence, matchTrace, normalizeTrace, parsePattern } from '../scenario/trace-pattern.ts';

export type Verdict = 'pass' | 'fail' | 'unchecked' | 'inconclusive';

/** What a variant did, as the checker needs it. */
export interface Observed {
  /** every console write, in order, with its time (scenario ms) */
  writes: { t: number; state: string }[];
  alerts: { t: number; state: string }[];
}

export interface CheckOutcome {
  verdict: Verdict;
  /** one line per broken rule; the first trace line names the point of divergence */
  failures: string[];
  /** index in the normalized trace where it left the pattern, if it did */
  divergence?: { index: number; expected: string[]; got: string | undefined };
}

/** The states written, consecutive repeats collapsed (the `trace` of a result). */
export function traceOf(observed: Observed): string[] {
  return normalizeTrace(observed.writes.map((write) => write.state));
}

/** When the console settled: the time of the write that began its last state (ignoring `ignore`d ones). */
export function convergedAt(observed: Observed, ignore: readonly string[] = []): number {
  const ignored = new Set(ignore);
  let since = 0;
  let current: string | undefined;
  for (const write of observed.writes) {
    if (ignored.has(write.state) || write.state === current) continue;
    current = write.state;
    since = write.t;
  }
  return since;
}

/** Check one variant's observation against its expectation; `settledAtMs` is when the world settled. */
export function checkExpectation(expectation: Expectation | undefined, observed: Observed, settledAtMs: number): CheckOutcome {
  if (expectation === undefined) return { verdict: 'unchecked', failures: [] };
  const failures: string[] = [];
  let divergence: CheckOutcome['divergence'];
  if (expectation.trace !== undefined) {
    const trace = normalizeTrace(observed.writes.map((write) => write.state), expectation.ignore);
    const result = matchTrace(parsePattern(expectation.trace), trace);
    if (!result.ok) {
      divergence = { index: result.index, expected: result.expected, got: result.got };
      failures.push(`trace ${trace.join(' → ') || '(empty)'} does not match \`${expectation.trace}\`: ${describeDivergence(trace, result)}`);
    }
  }
  const last = observed.writes[observed.writes.length - 1]?.state;
  if (expectation.final !== undefined && last !== expectation.final) failures.push(`final state is ${last ?? '(none)'}, expected ${expectation.final}`);
  for (const forbidden of expectation.never) {
    const write = observed.writes.find((candidate) => candidate.state === forbidden);
    if (write !== undefined) failures.push(`wrote ${forbidden} at ${formatDuration(Math.round(write.t))}, which it must never write`);
  }
  if (expectation.withinMs !== undefined) {
    const at = convergedAt(observed, expectation.ignore);
    if (at > settledAtMs + expectation.withinMs) {
      failures.push(`reached its final state at ${formatDuration(Math.round(at))}, more than ${formatDuration(expectation.withinMs)} after the world settled at ${formatDuration(settledAtMs)}`);
    }
  }
  if (expectation.maxAlerts !== undefined && observed.alerts.length > expectation.maxAlerts) {
    failures.push(`sent ${observed.alerts.length} alert(s) (${[...new Set(observed.alerts.map((alert) => alert.state))].join(', ')}), at most ${expectation.maxAlerts} expected`);
  }
  return { verdict: failures.length === 0 ? 'pass' : 'fail', failures, ...(divergence ? { divergence } : {}) };
}


/**
 * A scenario discriminates when, for at least one buggy and one fixed variant, one's
 * expectation rejects what the other did. Returns a warning when none does (undefined if fine,
 * or when the scenario lacks expectations for both kinds).
 */
export function discriminationWarning(
  expectations: Partial<Record<string, Expectation>>,
  observations: Partial<Record<string, Observed>>,
  settledAtMs: number,
  roleOf: (variant: string) => string,
): string | undefined {
  const accepts = (variant: string, other: string) => {
    const expectation = expectations[variant];
    const observed = observations[other];
    return expectation !== undefined && observed !== undefined && checkExpectation(expectation, observed, settledAtMs).verdict === 'pass';
  };
  let pairs = 0;
  const variants = Object.keys(observations);
  const buggyVariants = variants.filter((variant) => roleOf(variant) === 'buggy');
  const fixedVariants = variants.filter((variant) => roleOf(variant) === 'fixed' || roleOf(variant) === 'ours');
  for (const buggy of buggyVariants) {
    for (const fixed of fixedVariants) {
      if (expectations[buggy] === undefined || expectations[fixed] === undefined || !observations[buggy] || !observations[fixed]) continue;
      pairs++;
      if (!accepts(buggy, fixed) || !accepts(fixed, buggy)) return undefined;
    }
  }
  if (pairs === 0) return undefined;
  return `its expectations do not tell any buggy variant (${buggyVariants.join(', ')}) from any fixed one (${fixedVariants.join(', ')}); mark it \`discriminates: false\` if it is a control scenario`;
}
