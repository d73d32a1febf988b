// Who lied: each console state against the truth's job state, over time, with a tolerance of
// 1.5 poll intervals; the blame names the fault and action under way.
import { describe, expect, test } from 'vitest';
import { blameClause, describeLie, groupByApp, liesOf } from '../../src/report/html/lie-summary.ts';
import { findLies, lieToleranceMs } from '../../src/check/lies.ts';
import { claimOf as claimIn, disagrees as disagreesIn } from '../../src/check/claims.ts';
import { STREAMPARK } from '../../src/systems/streampark.ts';

const claimOf = (state: string) => claimIn(STREAMPARK, state);
const disagrees = (shown: string, real: string) => disagreesIn(STREAMPARK, shown, real);
import { STREAMPARK_TIMING } from '../../src/models/timing.ts';
import type { VariantLane } from '../../src/record/run-record.ts';
import { handRun, simRecord, truth, writes } from '../report/fixtures.ts';

describe('disagrees(console, truth)', () => {
  test.for([
    ['FAILED while RUNNING', 'FAILED', 'RUNNING', true],
    ['FAILED while Flink recovers (INITIALIZING)', 'FAILED', 'INITIALIZING', true],
    ['LOST while RUNNING', 'LOST', 'RUNNING', true],
    ['FAILED while Flink lists nothing yet', 'FAILED', 'not listed', true],
    ['RUNNING while FAILED', 'RUNNING', 'FAILED', true],
    ['RUNNING while the job is down', 'RUNNING', 'down', true],
    ['FAILED for a FINISHED job', 'FAILED', 'FINISHED', true],
    ['RUNNING while RUNNING', 'RUNNING', 'RUNNING', false],
    ['RUNNING while INITIALIZING (coming back)', 'RUNNING', 'INITIALIZING', false],
    ['SILENT claims nothing', 'SILENT', 'RUNNING', false],
    ['INITIALIZING claims nothing', 'INITIALIZING', 'FAILED', false],
    ['CANCELLING claims nothing', 'CANCELLING', 'RUNNING', false],
    ['FAILED while FAILED', 'FAILED', 'FAILED', false],
    ['FAILED while the job is down', 'FAILED', 'down', false],
    ['LOST fits any end', 'LOST', 'CANCELED', false],
    ['KILLED is CANCELED', 'KILLED', 'CANCELED', false],
  ] as const)('%s → %s', ([, shown, real, expected]) => expect(disagrees(shown, real)).toBe(expected));

  test('claims', () => {
    expect(['RUNNING', 'FAILED', 'LOST', 'SILENT', 'RESTARTING'].map(claimOf)).toEqual(['live', 'over', 'over', 'none', 'none']);
  });
});

describe('findLies', () => {
  const running = [truth(0, 'RUNNING'), truth(100_000, 'INITIALIZING'), truth(103_000, 'CREATED'), truth(105_000, 'RUNNING')];

  test('FAILED to the end while the job recovers is one lie, with the truth states longest first', () => {
    const run = handRun({ truth: running, variants: { buggy: writes([0, 'RUNNING'], [65_000, 'RUNNING'], [95_002, 'FAILED'], [115_004, 'FAILED']) } });
    expect(findLies(run, 'buggy', 'app', 7_500)).toEqual([
      { variant: 'buggy', app: 'app', state: 'FAILED', from: 95_002, to: 300_000, toEnd: true, truth: ['RUNNING', 'INITIALIZING', 'CREATED'], kind: 'lie' },
    ]);
  });

  test('a FAILED of 2 ms is a false alarm, not a lie; SILENT is never either', () => {
    const run = handRun({ truth: running, variants: { fixed: writes([0, 'RUNNING'], [115_001, 'FAILED'], [115_003, 'RUNNING']), honest: writes([0, 'RUNNING'], [93_001, 'SILENT'], [105_002, 'RUNNING']) } });
    expect(findLies(run, 'fixed', 'app', 7_500)).toMatchObject([{ state: 'FAILED', from: 115_001, to: 115_003, kind: 'false alarm', toEnd: false }]);
    expect(findLies(run, 'honest', 'app', 7_500)).toEqual([]);
  });

  test('RUNNING a few seconds after the job failed is within tolerance; long after, a lie', () => {
    const failed = [truth(0, 'RUNNING'), truth(60_000, 'FAILED')];
    const prompt = handRun({ truth: failed, variants: { v: writes([0, 'RUNNING'], [65_008, 'FAILED']) } });
    const late = handRun({ truth: failed, variants: { v: writes([0, 'RUNNING'], [90_000, 'FAILED']) } });
    expect(findLies(prompt, 'v', 'app', 7_500)).toEqual([]);
    expect(findLies(late, 'v', 'app', 7_500)).toMatchObject([{ state: 'RUNNING', from: 60_000, to: 90_000, kind: 'lie', truth: ['FAILED'] }]);
  });

  test('nothing to compare without a truth lane', () => {
    expect(findLies(handRun({ truth: [], variants: { v: writes([0, 'FAILED']) } }), 'v', 'app', 7_500)).toEqual([]);
  });
});

describe('while no source could tell', () => {
  // the hand run's API fault lasts 60–180 s; the JobManager is away 70–150 s
  const away = [truth(0, 'RUNNING'), truth(70_000, 'RUNNING', { restServing: false }), truth(150_000, 'RUNNING')];
  test('a state kept from before is the last thing known, no lie until a source could tell; one written meanwhile is a claim without evidence', () => {
    const kept = handRun({ truth: away, variants: { v: writes([0, 'RUNNING'], [56_000, 'FAILED']) } });
    expect(findLies(kept, 'v', 'app', 15_000).filter((lie) => lie.kind === 'lie')).toMatchObject([{ state: 'FAILED', from: 150_000, toEnd: true }]); // Flink serves again at 150 s
    const written = handRun({ truth: away, variants: { v: writes([0, 'RUNNING'], [95_000, 'FAILED']) } });
    expect(findLies(written, 'v', 'app', 15_000)).toMatchObject([{ state: 'FAILED', from: 95_000, toEnd: true, kind: 'lie' }]);
  });
});

describe('tolerance', () => {
  test("3 poll intervals of the run's own timing", () => {
    expect(lieToleranceMs(handRun({ truth: [], variants: {} }))).toBe(15_000);
    expect(lieToleranceMs({ timing: { ...STREAMPARK_TIMING, pollIntervalMs: 2_000 } })).toBe(6_000);
  });
});

describe('blame and sentences', () => {
  test('a lie names the fault under way and the last action before it', () => {
    const run = handRun({ truth: [], variants: {} });
    expect(blameClause(run, 95_002)).toBe("during 'packet loss to the API server' (apiserver timeout, 60–180 s), after restart-jobmanager (OOMKilled) at 70 s");
    expect(blameClause(run, 200_000)).toBe("after 'packet loss to the API server' (apiserver timeout, 60–180 s) had healed, after restart-jobmanager (OOMKilled) at 70 s");
    expect(blameClause({ ...run, faults: [], actions: [] }, 10_000)).toBe('with no network fault');
  });

  test('the incident on the simulation: v2.1.3 lied from 95 s to the end; proposed did not lie', async () => {
    const record = await simRecord(['incident-3618']);
    const run = record.scenarios[0]!;
    const lies = liesOf(run, record.variants);
    const v213 = lies.filter((lie) => lie.variant === 'v2.1.3');
    expect(v213).toHaveLength(1);
    expect(describeLie(run, v213[0]!)).toBe(
      "v2.1.3 showed FAILED from 95 s to the end (205 s) while the job was RUNNING (at times recovering, not listed, INITIALIZING); during 'packet loss to the API server' (apiserver timeout, 60–180 s), after restart-jobmanager (OOMKilled) at 70 s.",
    );
    expect(lies.filter((lie) => lie.variant === 'proposed')).toEqual([]);
    expect(lies.filter((lie) => lie.kind === 'lie').map((lie) => lie.variant)).toEqual(['v2.1.3', 'fix-retriever-only', 'fix-listener-only']);
    expect(lies.filter((lie) => lie.kind === 'false alarm').map((lie) => lie.variant)).toEqual(['minimal-fix', 'v2.1.4']);
  });

  test('session mode: the same lie about two jobs is one line', () => {
    const lie = { variant: 'v2.1.3', state: 'LOST', from: 60_006, to: 180_000, toEnd: true, truth: ['RUNNING'], kind: 'lie' as const };
    expect(groupByApp([{ ...lie, app: 'orders' }, { ...lie, app: 'payments' }, { ...lie, app: 'other', from: 70_000 }])).toMatchObject([
      { apps: ['orders', 'payments'] },
      { apps: ['other'] },
    ]);
  });
});
