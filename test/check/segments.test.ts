// Lanes as step functions: what the timeline draws and the lie detector compares.
import { describe, expect, test } from 'vitest';
import { consoleSegments, stepSegments } from '../../src/check/segments.ts';
import { truth } from '../report/fixtures.ts';

describe('stepSegments', () => {
  const entries = (...pairs: [number, string | undefined][]) => pairs.map(([t, value]) => ({ t, value }));

  test('a value holds until the next change, the last to the end; repeats merge', () => {
    expect(stepSegments(entries([0, 'RUNNING'], [25, 'RUNNING'], [95, 'FAILED'], [115, 'FAILED']), (entry) => entry.value, 300)).toEqual([
      { from: 0, to: 95, value: 'RUNNING' },
      { from: 95, to: 300, value: 'FAILED' },
    ]);
  });

  test('a value replaced at the same instant leaves nothing, and the segments around it join', () => {
    expect(stepSegments(entries([0, 'A'], [10, 'B'], [10, 'A'], [20, 'C']), (entry) => entry.value, 30)).toEqual([
      { from: 0, to: 20, value: 'A' },
      { from: 20, to: 30, value: 'C' },
    ]);
  });

  test('a write of 2 ms is kept (a false alarm must show)', () => {
    expect(stepSegments(entries([0, 'RUNNING'], [115_001, 'FAILED'], [115_003, 'RUNNING']), (entry) => entry.value, 300_000)).toEqual([
      { from: 0, to: 115_001, value: 'RUNNING' },
      { from: 115_001, to: 115_003, value: 'FAILED' },
      { from: 115_003, to: 300_000, value: 'RUNNING' },
    ]);
  });

  test('no value leaves a gap; no entries, no segments', () => {
    expect(stepSegments(entries([0, 'A'], [10, undefined], [20, 'A']), (entry) => entry.value, 30)).toEqual([
      { from: 0, to: 10, value: 'A' },
      { from: 20, to: 30, value: 'A' },
    ]);
    expect(stepSegments([], () => 'x', 30)).toEqual([]);
  });
});

test('consoleSegments keeps one application of a session cluster', () => {
  const lane = { writes: [{ t: 0, app: 'orders', state: 'RUNNING', tracking: 1 as const, cause: '' }, { t: 0, app: 'payments', state: 'RUNNING', tracking: 1 as const, cause: '' }, { t: 60, app: 'orders', state: 'LOST', tracking: 0 as const, cause: '' }], alerts: [], polls: [], events: [] };
  expect(consoleSegments(lane, 'orders', 100)).toEqual([{ from: 0, to: 60, value: 'RUNNING' }, { from: 60, to: 100, value: 'LOST' }]);
  expect(consoleSegments(lane, 'payments', 100)).toEqual([{ from: 0, to: 100, value: 'RUNNING' }]);
});
