// The truth oracles on hand-made lanes: each one passes an honest console and catches the
// dishonest one it is about, with a signature that names the divergence.
import { describe, expect, test } from 'vitest';
import { checkOracles } from '../../src/check/oracles.ts';
import type { VariantLane } from '../../src/record/run-record.ts';
import { handRun, truth, writes } from '../report/fixtures.ts';

const away = (t: number) => truth(t, 'RUNNING', { restServing: false });
// the incident's world: the JobManager away 70–100 s, back INITIALIZING, RUNNING from 103 s
const incident = [truth(0, 'RUNNING'), away(70_000), truth(100_000, 'INITIALIZING'), truth(103_000, 'RUNNING')];
const withAlerts = (lane: VariantLane, ...alerts: [number, string][]): VariantLane => ({ ...lane, alerts: alerts.map(([t, state]) => ({ t, app: 'app', state })) });
const run = (lane: VariantLane, lanes = incident, extra = {}) => handRun({ truth: lanes, variants: { v: lane } }, extra);
const check = (lane: VariantLane, name: 'truthful' | 'converges' | 'detects' | 'quiet', lanes = incident, extra = {}) => checkOracles(run(lane, lanes, extra), 'v', 'app', [{ name }]);

describe('truthful', () => {
  test('FAILED for good while the job runs again is a lie, to the end', () => {
    expect(check(writes([0, 'RUNNING'], [95_000, 'FAILED']), 'truthful')).toMatchObject([{ oracle: 'truthful', at: 95_000, signature: 'FAILED while RUNNING, to the end' }]);
  });
  test('FAILED while the JobManager is away but coming back is a lie once it lasts beyond the bound', () => {
    expect(check(writes([0, 'RUNNING'], [75_000, 'FAILED'], [104_000, 'RUNNING']), 'truthful')).toMatchObject([{ signature: 'FAILED while recovering' }]);
  });
  test('SILENT while it is away is no claim, so no lie', () => {
    expect(check(writes([0, 'RUNNING'], [80_000, 'SILENT'], [104_000, 'RUNNING']), 'truthful')).toEqual([]);
  });
  test('FAILED while the JobManager never comes back is the truth; RUNNING meanwhile is no lie until it has been away beyond the bound', () => {
    expect(check(writes([0, 'RUNNING'], [90_000, 'FAILED']), 'truthful', [truth(0, 'RUNNING'), away(70_000)])).toEqual([]);
    expect(check(writes([0, 'RUNNING']), 'truthful', [truth(0, 'RUNNING'), away(70_000)], { faults: [] })).toMatchObject([{ at: 190_000, signature: 'RUNNING while down, to the end' }]);
    // while the API could not show it either (the hand run's fault, 60–180 s), the grace grows by that time: to the run's end here
    expect(check(writes([0, 'RUNNING']), 'truthful', [truth(0, 'RUNNING'), away(70_000)])).toEqual([]);
  });
});

describe('while the console itself is down', () => {
  const consoleRestart = { id: 'action-9', atMs: 60_000, action: 'restart-tracker' as const, downtimeMs: 30_000, reason: undefined, job: 'app', name: 'restart-tracker', line: 1 };
  const failedAt60 = [truth(0, 'RUNNING'), truth(60_000, 'FAILED')];
  test('a stale RUNNING while the console process is down is no lie; once it is back, the bound counts again', () => {
    expect(check(writes([0, 'RUNNING'], [105_000, 'FAILED']), 'truthful', failedAt60, { actions: [consoleRestart] })).toEqual([]);
    expect(check(writes([0, 'RUNNING'], [106_000, 'FAILED']), 'truthful', failedAt60, { actions: [consoleRestart] })).toMatchObject([{ at: 90_000, signature: 'RUNNING while FAILED' }]);
  });
  test('detects gives the console its downtime on top of the bound', () => {
    expect(check(writes([0, 'RUNNING'], [200_000, 'FAILED']), 'detects', failedAt60, { actions: [consoleRestart] })).toEqual([]);
    expect(check(writes([0, 'RUNNING'], [211_000, 'FAILED']), 'detects', failedAt60, { actions: [consoleRestart] })).toMatchObject([{ signature: 'RUNNING for FAILED' }]);
  });
});

describe('converges', () => {
  test('a JobManager that never comes back: SILENT is not held against the tracker until the detection bound, FAILED by then passes', () => {
    const crashLoop = [truth(0, 'RUNNING'), away(70_000)];
    const settled = { settledAtMs: 70_000, faults: [] }; // judged from 100 s; the grace lasts to 190 s
    expect(check(writes([0, 'RUNNING'], [75_000, 'SILENT'], [185_000, 'FAILED']), 'converges', crashLoop, settled)).toEqual([]);
    expect(check(writes([0, 'RUNNING'], [75_000, 'SILENT']), 'converges', crashLoop, settled)).toMatchObject([{ at: 190_000, signature: 'SILENT while down, to the end' }]);
  });

  test('agreeing with the truth within the bound after the world settled passes', () => {
    expect(check(writes([0, 'RUNNING'], [75_000, 'FAILED'], [110_000, 'RUNNING']), 'converges')).toEqual([]);
  });
  test('still FAILED after settling plus the bound fails, naming what it showed and what was true', () => {
    expect(check(writes([0, 'RUNNING'], [75_000, 'FAILED']), 'converges')).toMatchObject([{ at: 210_000, signature: 'FAILED while RUNNING, to the end' }]);
  });
  test('RUNNING but no longer tracked (it will miss the next change) fails', () => {
    const lane = { ...writes([0, 'RUNNING']), events: [{ t: 95_000, type: 'tracking.stopped', appId: 'app', reason: 'test' }] };
    expect(check(lane, 'converges')).toMatchObject([{ at: 95_000, signature: 'untracked while RUNNING' }]);
  });
  test('a run that ends before the bound cannot be judged', () => {
    expect(check(writes([0, 'RUNNING'], [75_000, 'FAILED']), 'converges', incident, { durationMs: 200_000 })).toEqual([]);
  });
});

describe('detects', () => {
  const failed = [truth(0, 'RUNNING'), truth(60_000, 'FAILED')];
  test('a failed job shown FAILED within the bound passes', () => expect(check(writes([0, 'RUNNING'], [65_000, 'FAILED']), 'detects', failed)).toEqual([]));
  test('an alert within the bound is enough', () => expect(check(withAlerts(writes([0, 'RUNNING'], [65_000, 'LOST']), [65_000, 'LOST']), 'detects', failed)).toEqual([]));
  test('a failed job still RUNNING after the bound is missed', () => {
    expect(check(writes([0, 'RUNNING']), 'detects', failed)).toMatchObject([{ at: 60_000, signature: 'RUNNING for FAILED' }]);
  });
  test('a JobManager that never comes back must show within the bound', () => {
    expect(check(writes([0, 'RUNNING'], [80_000, 'SILENT']), 'detects', [truth(0, 'RUNNING'), away(70_000)], { faults: [] })).toMatchObject([{ signature: 'SILENT for down' }]);
  });
  test('while neither the Kubernetes API nor Flink can answer, nobody can see the stop: that time is added to the bound', () => {
    // the hand run's API fault lasts 60–180 s: with the JobManager gone from 70 s, 110 s of blindness
    const crashLoop = [truth(0, 'RUNNING'), away(70_000)];
    expect(check(writes([0, 'RUNNING'], [80_000, 'SILENT'], [290_000, 'FAILED']), 'detects', crashLoop, { durationMs: 400_000 })).toEqual([]);
    expect(check(writes([0, 'RUNNING'], [80_000, 'SILENT'], [301_000, 'FAILED']), 'detects', crashLoop, { durationMs: 400_000 })).toMatchObject([{ signature: 'SILENT for down' }]);
    expect(check(writes([0, 'RUNNING'], [80_000, 'SILENT'], [200_000, 'FAILED']), 'detects', crashLoop, { durationMs: 400_000, faults: [] })).toMatchObject([{ signature: 'SILENT for down' }]);
  });
  test('LOST shows any stop: over, and it does not say how', () => {
    expect(check(writes([0, 'RUNNING'], [65_000, 'LOST']), 'detects', failed)).toEqual([]);
  });
  test('CANCELED shown for a FAILED job is not the right end', () => {
    expect(check(writes([0, 'RUNNING'], [65_000, 'CANCELED']), 'detects', failed)).toMatchObject([{ signature: 'CANCELED for FAILED' }]);
  });
});

describe('quiet', () => {
  test('an alert while the job is live (here: recovering) fails', () => {
    expect(check(withAlerts(writes([0, 'RUNNING']), [80_000, 'FAILED']), 'quiet')).toMatchObject([{ at: 80_000, signature: 'alert FAILED while recovering' }]);
  });
  test('an alert once the job is over passes', () => {
    expect(check(withAlerts(writes([0, 'RUNNING']), [61_000, 'FAILED']), 'quiet', [truth(0, 'RUNNING'), truth(60_000, 'FAILED')])).toEqual([]);
  });
});
