// The checker as pure functions over hand-written observations.
import { getModel } from '../../src/models/registry.ts';
import { describe, expect, test } from 'vitest';
import { checkExpectation, convergedAt, discriminationWarning, type Observed } from '../../src/check/expectations.ts';
import type { Expectation } from '../../src/scenario/types.ts';

const expectation = (fields: Partial<Expectation>): Expectation => ({ trace: undefined, ignore: [], final: undefined, never: [], withinMs: undefined, maxAlerts: undefined, oracles: [], ...fields });
const observed = (states: [number, string][], alerts: [number, string][] = []): Observed => ({ writes: states.map(([t, state]) => ({ t, state })), alerts: alerts.map(([t, state]) => ({ t, state })) });

const recovered = observed([[0, 'RUNNING'], [75_000, 'FAILED'], [100_000, 'INITIALIZING'], [105_000, 'RUNNING'], [125_000, 'RUNNING']], [[75_000, 'FAILED']]);
const stuck = observed([[0, 'RUNNING'], [75_000, 'FAILED']], [[75_000, 'FAILED']]);

describe('checkExpectation', () => {
  test('no expectation: unchecked', () => expect(checkExpectation(undefined, stuck, 0).verdict).toBe('unchecked'));
  test('trace with ignore', () => expect(checkExpectation(expectation({ trace: 'RUNNING → FAILED → RUNNING', ignore: ['INITIALIZING'] }), recovered, 180_000).verdict).toBe('pass'));
  test('trace mismatch reports the divergence', () => {
    const outcome = checkExpectation(expectation({ trace: 'RUNNING → FAILED → RUNNING' }), stuck, 180_000);
    expect(outcome.verdict).toBe('fail');
    expect(outcome.divergence).toEqual({ index: 2, expected: ['RUNNING'], got: undefined });
    expect(outcome.failures[0]).toContain('after RUNNING → FAILED, expected RUNNING but the trace ends');
  });
  test('final', () => {
    expect(checkExpectation(expectation({ final: 'RUNNING' }), recovered, 0).verdict).toBe('pass');
    expect(checkExpectation(expectation({ final: 'RUNNING' }), stuck, 0).failures).toEqual(['final state is FAILED, expected RUNNING']);
  });
  test('never names the first forbidden write', () => {
    expect(checkExpectation(expectation({ never: ['FAILED'] }), recovered, 0).failures).toEqual(['wrote FAILED at 1m15s, which it must never write']);
  });
  test('within bounds the convergence after the world settled', () => {
    expect(convergedAt(recovered, ['INITIALIZING'])).toBe(105_000);
    expect(checkExpectation(expectation({ final: 'RUNNING', withinMs: 10_000 }), recovered, 100_000).verdict).toBe('pass');
    expect(checkExpectation(expectation({ final: 'RUNNING', withinMs: 4_000 }), recovered, 100_000).verdict).toBe('fail');
  });
  test('maxAlerts', () => {
    expect(checkExpectation(expectation({ maxAlerts: 0 }), stuck, 0).failures).toEqual(['sent 1 alert(s) (FAILED), at most 0 expected']);
  });
});

describe('discrimination', () => {
  const roleOf = (variant: string) => getModel(variant)?.role ?? 'other';
  test('expectations that accept both buggy and fixed traces are flagged', () => {
    const loose = expectation({ trace: 'RUNNING → FAILED → RUNNING?', ignore: ['INITIALIZING'] });
    const warning = discriminationWarning({ 'v2.1.3': loose, 'minimal-fix': loose }, { 'v2.1.3': stuck, 'minimal-fix': recovered }, 0, roleOf);
    expect(warning).toContain('do not tell any buggy variant');
  });
  test('an expectation that rejects the other kind discriminates', () => {
    const warning = discriminationWarning(
      { 'v2.1.3': expectation({ trace: 'RUNNING → FAILED' }), 'minimal-fix': expectation({ trace: 'RUNNING → FAILED → RUNNING', ignore: ['INITIALIZING'] }) },
      { 'v2.1.3': stuck, 'minimal-fix': recovered },
      0,
      roleOf,
    );
    expect(warning).toBeUndefined();
  });
});
