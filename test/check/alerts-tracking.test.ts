// Issue 19, problems 3 and 4: alerts and tracking are judged. Before, `detects` took an alert or
// the right state, LOST fit any end, and nothing looked at tracking: each console below passed
// every oracle. Each bound has a console just inside (passes) and just outside (fails).
import { describe, expect, test } from 'vitest';
import { ALL_ORACLES, checkOracles } from '../../src/check/oracles.ts';
import type { ScenarioRun } from '../../src/record/run-record.ts';
import { handRun, truth, writes } from '../report/fixtures.ts';
import { handConsole, simRun, withConsole } from '../support/sim-run.ts';

const APP = 'flink-demo';
const lines = (run: ScenarioRun, variant: string, app = APP) => checkOracles(run, variant, app, ALL_ORACLES).map((violation) => `${violation.oracle}: ${violation.signature}`);

const crashLoop = `name: crash-loop
app: { clusterId: ${APP}, mode: application }
duration: 5m
timeline:
  - { at: 60s, action: crash-loop-jobmanager }
`;
const cancel = `name: cancel
app: { clusterId: ${APP}, mode: application }
duration: 5m
timeline:
  - { at: 60s, action: cancel-from-console }
`;
const deleted = `name: deleted
app: { clusterId: ${APP}, mode: application }
duration: 5m
timeline:
  - { at: 60s, action: delete-deployment }
`;

describe('alerts', () => {
  test('a JobManager down for good shown LOST without an alert breaks alerts; ours alerts it', async () => {
    const run = await simRun(crashLoop, ['proposed']);
    const lost = run.lanes.variants.proposed!.writes.find((write) => write.state === 'LOST')!.t;
    expect(lines(withConsole(run, 'mute', handConsole(run, 'proposed', { [APP]: [[0, 'RUNNING'], [65_000, 'SILENT'], [lost, 'LOST']] })), 'mute')).toEqual(['alerts: no alert for down']);
    expect(lines(run, 'proposed')).toEqual([]);
  });

  test('a cancel the user asked for (Flink accepted it and said so) alerted and shown LOST breaks alerts; ours shows CANCELED, quietly', async () => {
    const run = await simRun(cancel, ['proposed']);
    const lostCancel = handConsole(run, 'proposed', { [APP]: [[0, 'RUNNING'], [60_000, 'CANCELLING'], [62_000, 'LOST']] }, [[62_000, APP, 'LOST']]);
    expect(lines(withConsole(run, 'noisy', lostCancel), 'noisy')).toEqual(["alerts: alert LOST for the user's cancel", "alerts: LOST for the user's cancel"]);
    expect(lines(run, 'proposed')).toEqual([]);
  });

  test('the alert is due by the stop\'s deadline: at it passes, a millisecond later does not', () => {
    const failed = [truth(0, 'RUNNING'), truth(60_000, 'FAILED')];
    const alertAt = (t: number) => checkOracles(handRun({ truth: failed, variants: { v: { ...writes([0, 'RUNNING'], [65_000, 'FAILED']), alerts: [{ t, app: 'app', state: 'FAILED' }] } } }, { faults: [], actions: [] }), 'v', 'app', [{ name: 'alerts' }]);
    expect(alertAt(180_000)).toEqual([]);
    expect(alertAt(180_001)).toMatchObject([{ signature: 'no alert for FAILED' }]);
  });

  test('once: a second alert while the console still shows the end is no news; after it withdrew the end, it is', () => {
    const down = [truth(0, 'RUNNING'), truth(60_000, 'RUNNING', { restServing: false, deploymentExists: false })];
    const lane = (states: [number, string][], alerts: number[]) => ({ ...writes(...states), alerts: alerts.map((t) => ({ t, app: 'app', state: 'LOST' })) });
    const check = (variant: ReturnType<typeof lane>) => checkOracles(handRun({ truth: down, variants: { v: variant } }, { faults: [], actions: [] }), 'v', 'app', [{ name: 'alerts' }]);
    expect(check(lane([[0, 'RUNNING'], [65_000, 'LOST']], [65_000, 85_000]))).toMatchObject([{ signature: 'alerted again for down' }]);
    expect(check(lane([[0, 'RUNNING'], [65_000, 'LOST'], [75_000, 'SILENT'], [85_000, 'LOST']], [65_000, 85_000]))).toEqual([]);
  });
});

describe('tracking', () => {
  test('still polling a deleted deployment long after its end was shown breaks tracking; ours stops', async () => {
    const run = await simRun(deleted, ['proposed']);
    const ours = run.lanes.variants.proposed!;
    const polls = Array.from({ length: 40 }, (_, index) => ({ t: 90_000 + index * 5_000, call: 'listFlinkDeployments', target: 'apiserver' as const, outcome: 'ok', ms: 2 }));
    const lingering = { ...ours, events: ours.events.filter((event) => event.type !== 'tracking.stopped'), polls: [...ours.polls, ...polls] };
    expect(lines(withConsole(run, 'lingering', lingering), 'lingering')).toEqual(['tracking: still tracked after the deployment was gone']);
    const untrackedButCalling = { ...ours, polls: [...ours.polls, ...polls] };
    expect(lines(withConsole(run, 'calling', untrackedButCalling), 'calling')).toEqual(['tracking: still calling after the deployment was gone']);
    expect(lines(run, 'proposed')).toEqual([]);
  });

  test('without a call of its own, the API answering for 3 polls on end is when no tracker that polls can have missed it', () => {
    // gone at 60 s; the API down 60–100 s, then answering; LOST shown at 65 s: tracking must stop by 100 s + 15 s…
    const gone = [truth(0, 'RUNNING'), truth(60_000, 'RUNNING', { restServing: false, deploymentExists: false, pod: undefined })];
    const apiDown = (to: number) => ({ id: 'api', atMs: 60_000, untilMs: to, spec: { target: 'apiserver' as const, toxic: 'down' as const, stream: 'downstream' as const, toxicity: 1, attributes: {} }, name: 'api', line: 1 });
    const lane = { ...writes([0, 'RUNNING'], [65_000, 'LOST']), events: [] };
    const check = (faults: ReturnType<typeof apiDown>[], durationMs: number) => checkOracles(handRun({ truth: gone, variants: { v: lane } }, { faults, actions: [], durationMs }), 'v', 'app', [{ name: 'tracking' }]);
    expect(check([apiDown(100_000)], 300_000)).toMatchObject([{ at: 115_000, signature: 'still tracked after the deployment was gone' }]);
    // …but only once the API has answered for 15 s: a run that ends 14.999 s after it came back cannot judge it
    expect(check([apiDown(100_000)], 114_999)).toEqual([]);
  });

  test('3 polls after a call showed it gone and the end was shown: stopping at the bound passes, a millisecond later does not', () => {
    // gone at 60 s; the tracker's own list call at 61 s answered in 10 ms; LOST shown at 65 s: tracking must stop by 80 s
    const gone = [truth(0, 'RUNNING'), truth(60_000, 'RUNNING', { restServing: false, deploymentExists: false, pod: undefined })];
    const stoppedAt = (t: number) => {
      const lane = { ...writes([0, 'RUNNING'], [65_000, 'LOST']), polls: [{ t: 61_000, call: 'listFlinkDeployments', target: 'apiserver' as const, outcome: 'ok', ms: 10 }], events: [{ t, type: 'tracking.stopped', appId: 'app', reason: 'test' }] };
      return checkOracles(handRun({ truth: gone, variants: { v: lane } }, { faults: [], actions: [] }), 'v', 'app', [{ name: 'tracking' }]);
    };
    expect(stoppedAt(80_000)).toEqual([]);
    expect(stoppedAt(80_001)).toMatchObject([{ signature: 'still tracked after the deployment was gone' }]);
  });
});
