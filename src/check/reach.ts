/**
 * What a tracker's calls could learn on each path, from evidence: the harness's probes of every
 * faulted path with each design's own timeouts (runner/probes.ts). A source is blind to a design
 * only while calls made with that design's timeouts actually fail — a toxic that merely slows the
 * answers leaves it telling, however late, a toxic that outlasts the timeouts blinds it.
 *
 * Within a fault's period each probe's outcome holds until the next probe. What is not known for
 * sure counts for the tracker: before a period's first probe, in a record without probes, and
 * under a fault that draws per call (toxicity below 1, jitter: scenario/toxics.ts, one call's
 * fate does not tell another's) nothing is known — neither answering nor failing. The detection
 * deadline then counts the time as blind (generous), and the informative bound does not count it
 * as answering (conservative). Outside every fault period the network passes every call.
 */
import { apiTimeouts, restTimeouts } from '../models/port-actors.ts';
import type { CallTimeouts } from '../models/ports.ts';
import { probeKey, type ScenarioRun } from '../record/run-record.ts';
import { faultPeriods, type CallPath } from '../scenario/fault-periods.ts';
import { remembered } from './memo.ts';
import { complement, intersect, union, type Span } from './spans.ts';

export interface Reach {
  /** calls got an answer in time for the design, however late within that: the source can tell (the detection deadline counts on it) */
  answers: Span[];
  /**
   * calls got an answer within a poll interval — what the contract's bounds assume of a call
   * ("a call may take a whole interval": check/bounds.ts). The informative bound counts on it.
   */
  promptly: Span[];
}

export type ReachRun = Pick<ScenarioRun, 'faults' | 'lanes' | 'durationMs' | 'timeScale' | 'timing'>;

/** The timeouts a variant's design gives its calls; StreamPark's for a record that does not say. */
export function contractTimeouts(run: Pick<ScenarioRun, 'lanes' | 'timing'>, variant: string): CallTimeouts {
  return run.lanes.variants[variant]?.timeouts ?? { rest: restTimeouts(run.timing), api: apiTimeouts(run.timing) };
}

/** Where calls on `path` with a design's timeouts answered in time for it (and promptly), over the whole run. */
export function pathReach(run: ReachRun, path: CallPath, contract: CallTimeouts): Reach {
  const timeouts = path === 'apiserver' ? contract.api : contract.rest;
  const usefulWithinMs = contract.usefulWithinMs ?? Number.POSITIVE_INFINITY;
  return remembered(run, `reach ${path} ${probeKey(timeouts)} ${usefulWithinMs}`, () => computeReach(run, path, probeKey(timeouts), usefulWithinMs));
}

function computeReach(run: ReachRun, path: CallPath, timeoutsKey: string, usefulWithinMs: number): Reach {
  const end = run.durationMs;
  const periods = faultPeriods(run.faults, path, end, run.timeScale);
  const pieces = union(periods);
  const undrawn = complement(periods.filter((period) => period.drawsPerCall), end);
  const probes = (run.lanes.probes ?? []).filter((probe) => probe.path === path && probe.timeouts === timeoutsKey).sort((a, b) => a.t - b.t);
  const answered: Span[] = [];
  const prompt: Span[] = [];
  for (const piece of pieces) {
    const inside = probes.filter((probe) => piece.from <= probe.t && probe.t < piece.to);
    inside.forEach((probe, index) => {
      if (!probe.ok || probe.ms > usefulWithinMs) return;
      const span = { from: probe.t, to: inside[index + 1]?.t ?? piece.to };
      answered.push(span);
      if (probe.ms <= run.timing.pollIntervalMs) prompt.push(span);
    });
  }
  const free = complement(pieces, end);
  return { answers: intersect(union([...free, ...answered]), undrawn), promptly: intersect(union([...free, ...prompt]), undrawn) };
}
