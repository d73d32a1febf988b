// Expected vs observed: the checked trace with the point of divergence marked.
import { describe, expect, test } from 'vitest';
import { divergenceText, renderComparisonRow, traceSteps } from '../../src/report/html/expectations.ts';
import { handRun, result, writes } from './fixtures.ts';

describe('traceSteps', () => {
  test('without a divergence every step matched', () => {
    expect(traceSteps(['RUNNING', 'FAILED'], undefined).map((step) => step.role)).toEqual(['matched', 'matched']);
  });

  test('a divergence in the middle: matched, diverged, then after', () => {
    const steps = traceSteps(['RUNNING', 'FAILED', 'RUNNING'], { index: 1, expected: ['SILENT', 'RUNNING'], got: 'FAILED' });
    expect(steps).toEqual([
      { state: 'RUNNING', role: 'matched' },
      { state: 'FAILED', role: 'diverged' },
      { state: 'RUNNING', role: 'after' },
    ]);
  });

  test('a trace that ends too early gets a missing step naming what was expected', () => {
    const steps = traceSteps(['RUNNING', 'FAILED'], { index: 2, expected: ['RUNNING'], got: undefined });
    expect(steps[2]).toEqual({ state: 'RUNNING', role: 'missing' });
  });
});

test('divergenceText', () => {
  expect(divergenceText({ index: 1, expected: ['SILENT', 'RUNNING'], got: 'FAILED' })).toBe('at step 2 expected SILENT or RUNNING, got FAILED');
  expect(divergenceText({ index: 2, expected: ['RUNNING'], got: undefined })).toBe('at step 3 expected RUNNING, the trace ends there');
});

test('a failed row shows the expectation, the diverging chip and every failure message, escaped', () => {
  const run = handRun(
    { truth: [], variants: { 'v2.1.3': writes([0, 'RUNNING'], [95_000, 'FAILED'], [100_000, 'INITIALIZING']) } },
    { expect: { 'v2.1.3': { trace: 'RUNNING → FAILED → RUNNING', ignore: ['INITIALIZING', 'CREATED'], final: undefined, never: [], withinMs: undefined, maxAlerts: undefined, oracles: [] } } },
  );
  const row = renderComparisonRow(run, result('v2.1.3', ['RUNNING', 'FAILED', 'INITIALIZING'], {
    verdict: 'fail',
    divergence: { index: 2, expected: ['RUNNING'], got: undefined },
    failures: ['trace RUNNING → FAILED does not match `RUNNING → FAILED → RUNNING` <b>'],
  })).markup;
  expect(row).toContain('✗ fail');
  expect(row).toContain('<code class="pattern">RUNNING → FAILED → RUNNING</code>');
  expect(row).toContain('ignore INITIALIZING, CREATED');
  expect(row).toContain('<span class="chip missing" title="expected here, but the trace ends">expected RUNNING</span>');
  expect(row).toContain('at step 3 expected RUNNING, the trace ends there');
  expect(row).toContain('all writes: RUNNING → FAILED → INITIALIZING');
  expect(row).toContain('&lt;b&gt;');
  expect(row).not.toContain('<b>');
});
