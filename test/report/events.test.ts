// The event table: all lanes merged by time, filterable by lane and variant.
import { expect, test } from 'vitest';
import { mergeEvents, renderEventTable } from '../../src/report/html/events.ts';
import { handRun, truth, writes } from './fixtures.ts';

const restarted = truth(70_000, 'RUNNING', { restServing: false, pod: { name: 'jm-1', phase: 'Running', restartCount: 1, ready: false, lastTerminated: 'OOMKilled' } });
const run = handRun({
  faults: [
    { t: 60_000, kind: 'fault.applied', id: 'fault-0', name: 'loss', target: 'apiserver', toxic: 'timeout' },
    { t: 70_000, kind: 'action', id: 'action-1', name: 'restart-jobmanager', action: 'restart-jobmanager' },
  ],
  truth: [truth(0, 'RUNNING'), restarted],
  variants: {
    a: {
      ...writes([0, 'RUNNING'], [95_000, 'FAILED']),
      alerts: [{ t: 95_000, app: 'app', state: 'FAILED' }],
      polls: [{ t: 85_000, call: 'listFlinkDeployments', target: 'apiserver', outcome: 'timeout', ms: 10_000 }],
      events: [{ t: 105_000, type: 'tracking.stopped', appId: 'app', reason: 'end state' }],
    },
    b: writes([0, 'RUNNING']),
  },
});

test('every lane, sorted by time, shared lanes first at equal times', () => {
  const rows = mergeEvents(run, ['a', 'b']);
  expect(rows.map((row) => `${row.t} ${row.lane} ${row.variant} ${row.event}`)).toEqual([
    '0 truth  initially',
    '0 write a RUNNING',
    '0 write b RUNNING',
    '60000 fault  fault applied',
    '70000 action  restart-jobmanager',
    '70000 truth  changed',
    '85000 poll a listFlinkDeployments',
    '95000 write a FAILED',
    '95000 alert a alert FAILED',
    '105000 event a tracking.stopped',
  ]);
  expect(rows.find((row) => row.lane === 'truth' && row.t === 70_000)!.detail).toBe('pod jm-1 Running · not ready · restarts 1 (last terminated: OOMKilled); REST down; job app down');
  expect(rows.find((row) => row.lane === 'action')!.detail).toBe('restart-jobmanager · reason OOMKilled · downtime 30.000 s · job app');
  expect(rows.find((row) => row.lane === 'poll')!.detail).toBe('apiserver: timeout in 10000 ms');
  expect(rows.find((row) => row.lane === 'event')!.detail).toBe('appId=app reason=end state');
});

test('the table has a row per event with its lane and variant, and a checkbox per lane present', () => {
  const table = renderEventTable(mergeEvents(run, ['a', 'b']), ['a', 'b']).markup;
  expect(table.match(/<tr data-lane=/g)).toHaveLength(10);
  expect(table).toContain('<tr data-lane="alert" data-variant="a">');
  for (const lane of ['fault', 'action', 'truth', 'write', 'alert', 'poll', 'event']) expect(table).toContain(`value="${lane}" checked`);
  expect(table).toContain('id="event-filter"');
});
