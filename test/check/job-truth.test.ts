// The job's truth as Flink would have it: Flink's state while its JobManager serves, `recovering`
// while it is away but comes back by itself (for at most 20 polls), `down` beyond that, when it
// never comes back, when its deployment is gone, or when a serving JobManager lists the job no
// more for good; a final state stays. The detection grace: how long no tracker can know yet.
import { describe, expect, test } from 'vitest';
import { detectionGrace, jobTruthSegments, podLabel, truthLanes } from '../../src/check/job-truth.ts';
import { truth } from '../report/fixtures.ts';

const BOUNDS = { downAfterMs: 100_000, glimpseMs: 5_000 };
const DETECTION_MS = 120_000;
const away = (t: number) => truth(t, 'RUNNING', { restServing: false, pod: { name: 'jm-1', phase: 'Running', restartCount: 1, ready: false, lastTerminated: 'Error' } });

describe('job truth', () => {
  test.for([
    ['Flink says RUNNING', [truth(0, 'RUNNING')], [{ from: 0, to: 300_000, value: 'RUNNING' }]],
    ['Flink lists nothing yet, then the job', [{ ...truth(0, 'RUNNING'), jobs: {} }, truth(5_000, 'RUNNING')], [{ from: 0, to: 5_000, value: 'not listed' }, { from: 5_000, to: 300_000, value: 'RUNNING' }]],
    ['a serving JobManager that no longer lists the job, for good (a session cluster lost it): vanished', [truth(0, 'RUNNING'), { ...truth(20_000, 'RUNNING'), jobs: {} }, { ...truth(40_000, 'RUNNING'), jobs: {} }], [{ from: 0, to: 20_000, value: 'RUNNING' }, { from: 20_000, to: 300_000, value: 'vanished' }]],
    [
      'a restart that comes back within the bound is recovering, then Flink speaks again',
      [truth(0, 'RUNNING'), away(70_000), truth(100_000, 'INITIALIZING'), truth(103_000, 'RUNNING')],
      [{ from: 0, to: 70_000, value: 'RUNNING' }, { from: 70_000, to: 100_000, value: 'recovering' }, { from: 100_000, to: 103_000, value: 'INITIALIZING' }, { from: 103_000, to: 300_000, value: 'RUNNING' }],
    ],
    [
      'away longer than the bound: down from the bound on, until it is back',
      [truth(0, 'RUNNING'), away(10_000), truth(200_000, 'RUNNING')],
      [{ from: 0, to: 10_000, value: 'RUNNING' }, { from: 10_000, to: 110_000, value: 'recovering' }, { from: 110_000, to: 200_000, value: 'down' }, { from: 200_000, to: 300_000, value: 'RUNNING' }],
    ],
    [
      'a JobManager that served for less than a poll between two absences was away all along: down 100 s after it first went',
      [truth(0, 'RUNNING'), away(10_000), truth(60_000, 'RUNNING'), away(62_000), truth(200_000, 'RUNNING')],
      [{ from: 0, to: 10_000, value: 'RUNNING' }, { from: 10_000, to: 60_000, value: 'recovering' }, { from: 60_000, to: 62_000, value: 'RUNNING' }, { from: 62_000, to: 110_000, value: 'recovering' }, { from: 110_000, to: 200_000, value: 'down' }, { from: 200_000, to: 300_000, value: 'RUNNING' }],
    ],
    [
      'one that served for a poll or more was back: its next absence counts from its own start',
      [truth(0, 'RUNNING'), away(10_000), truth(60_000, 'RUNNING'), away(65_000), truth(200_000, 'RUNNING')],
      [{ from: 0, to: 10_000, value: 'RUNNING' }, { from: 10_000, to: 60_000, value: 'recovering' }, { from: 60_000, to: 65_000, value: 'RUNNING' }, { from: 65_000, to: 165_000, value: 'recovering' }, { from: 165_000, to: 200_000, value: 'down' }, { from: 200_000, to: 300_000, value: 'RUNNING' }],
    ],
    [
      'a job its cluster lost stays vanished while the JobManager is away again and back',
      [truth(0, 'RUNNING'), { ...truth(10_000, 'RUNNING'), jobs: {} }, { ...away(75_000), jobs: {} }, { ...truth(136_000, 'RUNNING'), jobs: {} }],
      [{ from: 0, to: 10_000, value: 'RUNNING' }, { from: 10_000, to: 300_000, value: 'vanished' }],
    ],
    ['a JobManager that never comes back is down at once', [truth(0, 'RUNNING'), away(70_000), away(90_000)], [{ from: 0, to: 70_000, value: 'RUNNING' }, { from: 70_000, to: 300_000, value: 'down' }]],
    ['the deployment deleted under a running job: down', [truth(0, 'RUNNING'), truth(50_000, 'RUNNING', { deploymentExists: false, pod: undefined, restServing: false })], [{ from: 0, to: 50_000, value: 'RUNNING' }, { from: 50_000, to: 300_000, value: 'down' }]],
    [
      'a job Flink reported FINISHED stays FINISHED when the cluster shuts down',
      [truth(0, 'RUNNING'), truth(40_000, 'FINISHED'), truth(43_000, 'FINISHED', { deploymentExists: false, pod: undefined, restServing: false })],
      [{ from: 0, to: 40_000, value: 'RUNNING' }, { from: 40_000, to: 300_000, value: 'FINISHED' }],
    ],
  ] as const)('%s', ([, lane, expected]) => {
    expect(jobTruthSegments(lane, 'app', 300_000, BOUNDS)).toEqual(expected);
  });

  test('the detection grace: from the JobManager going away (or the job going missing) until it is back, for at most the detection bound', () => {
    expect(detectionGrace([truth(0, 'RUNNING'), away(10_000), truth(60_000, 'RUNNING')], 'app', 300_000, DETECTION_MS)).toEqual([{ from: 10_000, to: 60_000 }]);
    expect(detectionGrace([truth(0, 'RUNNING'), away(10_000)], 'app', 300_000, DETECTION_MS)).toEqual([{ from: 10_000, to: 130_000 }]);
    expect(detectionGrace([truth(0, 'RUNNING'), { ...truth(20_000, 'RUNNING'), jobs: {} }], 'app', 300_000, DETECTION_MS)).toEqual([{ from: 20_000, to: 140_000 }]);
    // back, but without the job: a second absence, with its own grace
    expect(detectionGrace([truth(0, 'RUNNING'), away(10_000), { ...truth(60_000, 'RUNNING'), jobs: {} }], 'app', 300_000, DETECTION_MS)).toEqual([{ from: 10_000, to: 60_000 }, { from: 60_000, to: 180_000 }]);
    expect(detectionGrace([truth(0, 'RUNNING'), truth(20_000, 'FINISHED'), truth(21_000, 'FINISHED', { deploymentExists: false, pod: undefined, restServing: false })], 'app', 300_000, DETECTION_MS)).toEqual([]);
  });
});

test('pod labels and the lanes drawn', () => {
  const restarted = truth(70, 'RUNNING', { pod: { name: 'jm-1', phase: 'Running', restartCount: 1, ready: false, lastTerminated: 'OOMKilled' }, restServing: false });
  expect(podLabel(restarted)).toBe('Running · not ready · restarts 1');
  expect(podLabel(truth(0, 'RUNNING', { pod: undefined }))).toBe('none');
  const lanes = truthLanes([truth(0, 'RUNNING'), restarted], ['app'], 100, BOUNDS);
  expect(lanes.map((lane) => lane.label)).toEqual(['deployment', 'JobManager pod', 'Flink REST', 'Flink job']);
  expect(lanes[2]!.segments).toEqual([{ from: 0, to: 70, value: 'serving' }, { from: 70, to: 100, value: 'down' }]);
  expect(lanes[3]!.segments).toEqual([{ from: 0, to: 70, value: 'RUNNING' }, { from: 70, to: 100, value: 'down' }]);
  expect(truthLanes([truth(0, 'RUNNING')], ['a', 'b'], 10, BOUNDS).map((lane) => lane.label).slice(3)).toEqual(['job a', 'job b']);
});
