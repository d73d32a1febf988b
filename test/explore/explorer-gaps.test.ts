// Issue 19, problems 5 and 6: the explorer runs a schedule until every stop in it can be judged
// (a stop nobody could see for a while is judged later), says what it could not judge, shrinks
// to 1-minimal schedules, and tells the mechanisms of a lie apart by the cause the variant gave.
import { describe, expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { checkOracles } from '../../src/check/oracles.ts';
import { checkScenarioRun } from '../../src/check/scenario-check.ts';
import { unjudgedStops } from '../../src/check/stops.ts';
import { validEvents } from '../../src/explore/arbitraries.ts';
import { evaluate, signatureOf } from '../../src/explore/evaluate.ts';
import { explore } from '../../src/explore/explore.ts';
import { healPhase, type Schedule } from '../../src/explore/schedule.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { handRun, truth, writes } from '../report/fixtures.ts';
import { handConsole, withConsole } from '../support/sim-run.ts';

const heal = healPhase();

describe('the heal phase lasts until every stop can be judged', () => {
  // a JobManager crash-looping from 5 s while the API is down for 181 s: nobody can see it until 186 s,
  // so its deadline is 5 s + 24 polls + 181 s = 306 s — past the 236 s the heal phase used to end at
  const schedule: Schedule = {
    mode: 'application',
    events: [
      { kind: 'action', action: 'crash-loop-jobmanager', atMs: 5_000 },
      { kind: 'fault', atMs: 5_000, forMs: 181_000, target: 'apiserver', toxic: 'down', stream: 'downstream', toxicity: 1, attributes: {} },
    ],
  };

  test('a console silent for the whole run breaks detects, which it passed when the run ended before the deadline', { timeout: 60_000 }, async () => {
    const { run } = await evaluate(schedule, { variants: ['proposed'], oracles: [{ name: 'detects' }], heal });
    expect(run.durationMs).toBeGreaterThanOrEqual(306_000 + 2 * 5_000);
    const silent = withConsole(run, 'silent', handConsole(run, 'proposed', { 'flink-demo': [[0, 'RUNNING'], [10_000, 'SILENT']] }));
    expect(checkOracles(silent, 'silent', 'flink-demo', [{ name: 'detects' }])).toMatchObject([{ signature: 'SILENT for down' }]);
    expect(checkOracles(run, 'proposed', 'flink-demo', [{ name: 'detects' }])).toEqual([]);
  });

  test('a stop whose deadline is after the end of a run is counted unjudged, not passed', () => {
    const failed = [truth(0, 'RUNNING'), truth(250_000, 'FAILED')]; // deadline 370 s, the hand run ends at 300 s
    const run = handRun({ truth: failed, variants: { v: writes([0, 'RUNNING']) } }, { faults: [], actions: [] });
    expect(unjudgedStops(run, ['v'])).toEqual([{ app: 'app', from: 250_000, truth: 'FAILED' }]);
    expect(checkOracles(run, 'v', 'app', [{ name: 'detects' }])).toEqual([]);
    expect(unjudgedStops({ ...run, durationMs: 370_000 }, ['v'])).toEqual([]);
  });

  test('a scenario whose expectation names detects says so when a stop could not be judged', () => {
    const failed = [truth(0, 'RUNNING'), truth(250_000, 'FAILED')];
    const run = handRun({ truth: failed, variants: { proposed: writes([0, 'RUNNING']) } }, { faults: [], actions: [], expect: { proposed: { trace: undefined, ignore: [], final: undefined, never: [], withinMs: undefined, maxAlerts: undefined, oracles: [{ name: 'detects' }] } } });
    expect(checkScenarioRun(run, ['proposed']).warnings).toEqual(['the stop of app at 250 s (FAILED) could not be judged: its detection deadline falls after the end of the run; make `duration` longer']);
  });
});

describe('findings', () => {
  test('the mechanism is part of the signature: #3618\'s API error read as "gone" and a restarted container read as an error are two findings', async () => {
    const scenarios = await loadScenarios(['scenarios/incident-3618.yaml', 'scenarios/restart-without-fault.yaml']);
    const signatures: string[] = [];
    for (const scenario of scenarios) {
      const run = await runScenario(scenario, { backend: simBackend, variants: ['v2.1.3'], seed: 1, runDir: '' });
      signatures.push(...checkOracles(run, 'v2.1.3', run.apps[0]!, [{ name: 'truthful' }]).map(signatureOf));
    }
    expect(signatures).toEqual([
      'v2.1.3 · truthful · FAILED while RUNNING, to the end · a failed deployment list read as gone; no archive: FAILED',
      'v2.1.3 · truthful · FAILED while RUNNING, to the end · Flink did not answer; a restarted container (lastState.terminated) read as an error',
    ]);
  });

  test('every shrunk schedule is 1-minimal: dropping any one of its events loses the signature', { timeout: 240_000 }, async () => {
    const result = await explore({ seed: 1, variants: ['v2.1.3'], oracles: [{ name: 'truthful' }], heal, budget: { runs: 64 } });
    expect(result.findings.length).toBeGreaterThan(0);
    for (const finding of result.findings) {
      for (let index = 0; index < finding.schedule.events.length; index++) {
        const fewer: Schedule = { mode: finding.schedule.mode, events: validEvents(finding.schedule.mode, finding.schedule.events.filter((_, other) => other !== index)) };
        if (fewer.events.length === 0) continue;
        const { violations } = await evaluate(fewer, { variants: ['v2.1.3'], oracles: [{ name: 'truthful' }], heal });
        expect(violations.map(signatureOf), `${finding.signature}: event ${index} of ${JSON.stringify(finding.schedule.events)} can go`).not.toContain(finding.signature);
      }
    }
  });
});
