// The job's truth as Flink would have it: Flink's state while its JobManager serves, `recovering`
// while it is away but comes back by itself (for at most the detection bound), `down` beyond the
// bound, when it never comes back, or when its deployment is gone; a final state stays.
import { describe, expect, test } from 'vitest';
import { jobTruthSegments, podLabel, truthLanes } from '../../src/check/job-truth.ts';
import { truth } from '../report/fixtures.ts';

const BOUND = 120_000;
const away = (t: number) => truth(t, 'RUNNING', { restServing: false, pod: { name: 'jm-1', phase: 'Running', restartCount: 1, ready: false, lastTerminated: 'Error' } });

describe('job truth', () => {
  test.for([
    ['Flink says RUNNING', [truth(0, 'RUNNING')], [{ from: 0, to: 300_000, value: 'RUNNING' }]],
    ['Flink lists nothing yet', [{ ...truth(0, 'RUNNING'), jobs: {} }], [{ from: 0, to: 300_000, value: 'not listed' }]],
    [
      'a restart that comes back within the bound is recovering, then Flink speaks again',
      [truth(0, 'RUNNING'), away(70_000), truth(100_000, 'INITIALIZING'), truth(103_000, 'RUNNING')],
      [{ from: 0, to: 70_000, value: 'RUNNING' }, { from: 70_000, to: 100_000, value: 'recovering' }, { from: 100_000, to: 103_000, value: 'INITIALIZING' }, { from: 103_000, to: 300_000, value: 'RUNNING' }],
    ],
    [
      'away longer than the bound: down from the bound on, until it is back',
      [truth(0, 'RUNNING'), away(10_000), truth(200_000, 'RUNNING')],
      [{ from: 0, to: 10_000, value: 'RUNNING' }, { from: 10_000, to: 130_000, value: 'recovering' }, { from: 130_000, to: 200_000, value: 'down' }, { from: 200_000, to: 300_000, value: 'RUNNING' }],
    ],
    ['a JobManager that never comes back is down at once', [truth(0, 'RUNNING'), away(70_000), away(90_000)], [{ from: 0, to: 70_000, value: 'RUNNING' }, { from: 70_000, to: 300_000, value: 'down' }]],
    ['the deployment deleted under a running job: down', [truth(0, 'RUNNING'), truth(50_000, 'RUNNING', { deploymentExists: false, pod: undefined, restServing: false })], [{ from: 0, to: 50_000, value: 'RUNNING' }, { from: 50_000, to: 300_000, value: 'down' }]],
    [
      'a job Flink reported FINISHED stays FINISHED when the cluster shuts down',
      [truth(0, 'RUNNING'), truth(40_000, 'FINISHED'), truth(43_000, 'FINISHED', { deploymentExists: false, pod: undefined, restServing: false })],
      [{ from: 0, to: 40_000, value: 'RUNNING' }, { from: 40_000, to: 300_000, value: 'FINISHED' }],
    ],
  ] as const)('%s', ([, lane, expected]) => {
    expect(jobTruthSegments(lane, 'app', 300_000, BOUND)).toEqual(expected);
  });
});

test('pod labels and the lanes drawn', () => {
  const restarted = truth(70, 'RUNNING', { pod: { name: 'jm-1', phase: 'Running', restartCount: 1, ready: false, lastTerminated: 'OOMKilled' }, restServing: false });
  expect(podLabel(restarted)).toBe('Running · not ready · restarts 1');
  expect(podLabel(truth(0, 'RUNNING', { pod: undefined }))).toBe('none');
  const lanes = truthLanes([truth(0, 'RUNNING'), restarted], ['app'], 100, BOUND);
  expect(lanes.map((lane) => lane.label)).toEqual(['deployment', 'JobManager pod', 'Flink REST', 'Flink job']);
  expect(lanes[2]!.segments).toEqual([{ from: 0, to: 70, value: 'serving' }, { from: 70, to: 100, value: 'down' }]);
  expect(lanes[3]!.segments).toEqual([{ from: 0, to: 70, value: 'RUNNING' }, { from: 70, to: 100, value: 'down' }]);
  expect(truthLanes([truth(0, 'RUNNING')], ['a', 'b'], 10, BOUND).map((lane) => lane.label).slice(3)).toEqual(['job a', 'job b']);
});
