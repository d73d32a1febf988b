// Generated schedules are valid scenarios, and a schedule's file says what its Scenario says: the
// file the explorer writes for a finding is the scenario it ran.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scheduleArbitrary, validEvents } from '../../src/explore/arbitraries.ts';
import { healPhase, toScenario, toYaml, type Schedule } from '../../src/explore/schedule.ts';
import { STREAMPARK_TIMING } from '../../src/models/timing.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const heal = healPhase();

describe('schedules', () => {
  test('every generated schedule loads as a scenario file, equal to the Scenario it runs as', () => {
    fc.assert(
      fc.property(scheduleArbitrary(), (schedule) => {
        const direct = toScenario(schedule, { name: 'x', heal });
        const loaded = parseScenario(toYaml(schedule, { name: 'x', heal, description: '', comment: 'test', expect: {} }), 'x.yaml');
        const comparable = (scenario: typeof direct) => ({ ...scenario, file: '', faults: scenario.faults.map((fault) => ({ ...fault, line: undefined })), actions: scenario.actions.map((action) => ({ ...action, line: undefined })) });
        expect(comparable(loaded)).toEqual(comparable(direct));
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  test('the heal phase: the converges bound after the world settles, the detects bound after a real stop', () => {
    const restart: Schedule = { mode: 'application', events: [{ kind: 'action', atMs: 60_000, action: 'restart-jobmanager', downtimeMs: 30_000 }] };
    // settles when the JobManager is back (90 s) and Flink has recovered (the format's default recovery); then 30 s + 2 polls
    const scenario = toScenario(restart, { name: 'x', heal });
    const recoveryMs = scenario.app.recovery.reduce((sum, step) => sum + step.forMs, 0);
    expect(scenario.durationMs).toBe(90_000 + recoveryMs + 40_000);
    // a stop may show a poll after its action (a cancel takes Flink a few seconds): then the detects bound and a margin
    const fail: Schedule = { mode: 'application', events: [{ kind: 'action', atMs: 60_000, action: 'fail-job' }] };
    expect(toScenario(fail, { name: 'x', heal }).durationMs).toBe(60_000 + STREAMPARK_TIMING.pollIntervalMs + 120_000 + 10_000);
  });

  test.for([
    ['two faults on one slot at once: the later goes', [fault(10, 30, 'apiserver'), fault(20, 5, 'apiserver')], [10]],
    ['two faults on one slot one after the other both stay', [fault(10, 5, 'apiserver'), fault(20, 5, 'apiserver')], [10, 20]],
    ['a restart inside another restart\'s downtime goes', [action(10, 'restart-jobmanager', 30), action(20, 'restart-jobmanager', 5)], [10]],
    ['nothing is done to a cluster after its job failed (application mode)', [action(10, 'fail-job'), action(20, 'restart-jobmanager', 5), fault(30, 5, 'flink-rest')], [10, 30]],
  ] as const)('%s', ([, events, kept]) => {
    expect(validEvents('application', events).map((event) => event.atMs / 1000)).toEqual(kept);
  });
});

function fault(at: number, forSeconds: number, target: 'apiserver' | 'flink-rest') {
  return { kind: 'fault' as const, atMs: at * 1000, forMs: forSeconds * 1000, target, toxic: 'down' as const, stream: 'downstream' as const, toxicity: 1, attributes: {} };
}

function action(at: number, name: 'restart-jobmanager' | 'fail-job', downtime?: number) {
  return { kind: 'action' as const, atMs: at * 1000, action: name, ...(downtime !== undefined ? { downtimeMs: downtime * 1000 } : {}) };
}
