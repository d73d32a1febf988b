// A live run's timers that fired late excuse a failure (inconclusive, with the lateness), never a
// pass; within the tolerance, and on the simulation (no lateness recorded), verdicts stand.
import { describe, expect, test } from 'vitest';
import { LATE_TOLERANCE_MS } from '../../src/check/lateness.ts';
import { checkScenarioRun } from '../../src/check/scenario-check.ts';
import type { Expectation } from '../../src/scenario/types.ts';
import { handRun, truth, writes } from '../report/fixtures.ts';

const endsFailed: Expectation = { trace: undefined, ignore: [], final: 'FAILED', never: [], withinMs: undefined, maxAlerts: undefined, oracles: [] };
const verdictOf = (states: [number, string][], lateness?: { maxMs: number; worstAtMs: number; fired: number }) => {
  const run = handRun({ truth: [truth(0, 'RUNNING')], variants: { v: writes(...states) } }, { faults: [], actions: [], expect: { v: endsFailed }, timeScale: 0.1, ...(lateness ? { lateness } : {}) });
  return checkScenarioRun(run, ['v']).results[0]!;
};

describe('timers that fired late', () => {
  const stalled = { maxMs: 2_400, worstAtMs: 61_000, fired: 700 };
  test('a failure on a run whose timers fired beyond the tolerance is inconclusive, saying how late and what to do', () => {
    const result = verdictOf([[0, 'RUNNING']], stalled);
    expect(result.verdict).toBe('inconclusive');
    expect(result.failures[0]).toMatch(/a timer due at 61\.0 s fired 2\.4 s \(scenario time; 240 ms wall\) late.*--timing streampark/);
    expect(result.failures).toContain('final state is RUNNING, expected FAILED');
  });
  test('a pass stands, however late the timers', () => {
    expect(verdictOf([[0, 'RUNNING'], [70_000, 'FAILED']], stalled).verdict).toBe('pass');
  });
  test('within the tolerance, or with no lateness recorded (the simulation), a failure is a failure', () => {
    expect(verdictOf([[0, 'RUNNING']], { maxMs: LATE_TOLERANCE_MS - 1, worstAtMs: 5_000, fired: 700 }).verdict).toBe('fail');
    expect(verdictOf([[0, 'RUNNING']]).verdict).toBe('fail');
  });
});
