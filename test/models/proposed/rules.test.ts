// The proposed tracker's rules (docs/proposed-tracker.md), as pure functions: what each
// observation makes the console show, and the timing they are judged with.
import { describe, expect, test } from 'vitest';
import type { PodView } from '../../../src/models/ports.ts';
import { alertsOn, decide, decidingPod, initialView, observePods, ownJob, proposedTiming, type AppView, type Observation } from '../../../src/models/proposed/rules.ts';

const timing = proposedTiming(5_000);
const unknown: Observation = { kind: 'unknown', why: 'API unreachable' };
const away: Observation = { kind: 'away', why: 'JobManager not serving' };
const view = (overrides: Partial<AppView> = {}): AppView => ({ ...initialView('RUNNING'), ...overrides });

const pod = (name: string, phase: string, ready: boolean, extra: Partial<PodView> = {}): PodView => ({ name, phase, containers: [{ name: 'flink-main-container', restartCount: 0, ready }], ...extra });

describe('proposed tracker timing', () => {
  test('a REST answer may take the whole interval; the observation deadline is two intervals from its start, room for REST and two API calls', () => {
    expect(timing.restResponseTimeoutMs).toBe(timing.pollIntervalMs);
    expect(timing.restResponseTimeoutMs + 2 * timing.apiRequestTimeoutMs).toBeLessThanOrEqual(timing.observationDeadlineMs);
  });

  test('a JobManager down for good alerts within 24 polls (2 minutes at StreamPark timings): first seen within a poll, judged at a poll, by an observation of at most two', () => {
    expect(timing.pollIntervalMs + timing.downAfterMs + timing.observationDeadlineMs).toBeLessThanOrEqual(24 * timing.pollIntervalMs);
    expect(24 * timing.pollIntervalMs).toBe(120_000);
  });
});

describe('decide', () => {
  test.for([
    ['unknown: SILENT at once (RUNNING is a claim it can no longer back)', unknown, 0, 'SILENT'],
    ['the JobManager away: SILENT at once', away, 0, 'SILENT'],
  ] as const)('from RUNNING: %s', ([, observation, age, shown]) => {
    expect(decide(view({ awaySince: observation.kind === 'away' ? 0 : undefined }), observation, age, timing).write).toBe(shown);
  });

  test.for([
    ['unknown for an hour: still only SILENT (no claim without evidence)', unknown, 3_600_000, undefined],
    ['the JobManager away for just under 21 polls: still SILENT', away, 104_999, undefined],
    ['the JobManager away for 21 polls is down for good: LOST (nobody said how the job ended)', away, 105_000, 'LOST'],
  ] as const)('from SILENT: %s', ([, observation, age, shown]) => {
    const before = view({ shown: 'SILENT', awaySince: observation.kind === 'away' ? 0 : undefined });
    expect(decide(before, observation, age, timing).write).toBe(shown);
  });

  test('a JobManager down for good alerts LOST and keeps tracking; it is not an end for ever: Flink reporting RUNNING replaces it', () => {
    const down = decide(view({ shown: 'SILENT', awaySince: 0 }), away, 105_000, timing);
    expect(down).toMatchObject({ write: 'LOST', alert: true, untrack: false });
    const back = decide(down.view, { kind: 'reported', state: 'RUNNING', jobId: 'j' }, 110_000, timing);
    expect(back).toMatchObject({ write: 'RUNNING', alert: false });
    expect(back.view.awaySince).toBeUndefined();
  });

  test('unknown never replaces an end state seen with evidence', () => {
    expect(decide(view({ shown: 'FAILED' }), unknown, 10_000_000, timing).write).toBeUndefined();
    expect(decide(view({ shown: 'FINISHED', awaySince: 0 }), away, 10_000_000, timing).write).toBeUndefined();
  });

  test.for([
    ['the archive, when there is one', { archived: 'CANCELED', flinkEnd: 'FINISHED' }, 'CANCELED'],
    ['else the end state Flink itself reported: FINISHED', { archived: undefined, flinkEnd: 'FINISHED' }, 'FINISHED'],
    ['else the end state Flink itself reported: CANCELED', { archived: undefined, flinkEnd: 'CANCELED' }, 'CANCELED'],
    ['else CANCELED when Flink accepted a cancel from the console', { archived: undefined, flinkEnd: undefined, cancelAccepted: true }, 'CANCELED'],
    ['else LOST, alerted: the deployment went away and how the job ended is unknown', { archived: undefined, flinkEnd: undefined }, 'LOST'],
  ] as const)('a deployment seen gone ends the job with %s', ([, { archived, flinkEnd, ...rest }, state]) => {
    const cancelAccepted = 'cancelAccepted' in rest;
    const decision = decide(view({ shown: flinkEnd ?? 'RUNNING', flinkEnd, cancelAccepted, userCancelled: cancelAccepted }), { kind: 'gone', archived }, 0, timing);
    expect(decision).toMatchObject({ write: state, untrack: true });
    if (state === 'LOST') expect(decision.alert).toBe(true); // the job ended unseen: someone must look
    if (cancelAccepted) expect(decision.alert).toBe(false); // what the user asked for
  });

  test('a pod seen serving ends an absence even while Flink cannot be reached: the 21 polls count again from the next one', () => {
    const away: Observation = { kind: 'away', why: 'not serving' };
    const back = decide(view({ shown: 'SILENT', awaySince: 0 }), { kind: 'unknown', why: 'REST did not answer', podServing: true }, 50_000, timing);
    expect(back.view.awaySince).toBeUndefined();
    expect(decide(back.view, away, 110_000, timing)).toMatchObject({ write: undefined, view: { awaySince: 110_000 } });
    expect(decide(view({ shown: 'SILENT', awaySince: 0 }), { kind: 'unknown', why: 'the API did not answer' }, 50_000, timing).view.awaySince).toBe(0);
  });

  test('a JobManager down for good after a cancel Flink accepted: CANCELED, not alerted', () => {
    expect(decide(view({ shown: 'CANCELLING', awaySince: 0, userCancelled: true, cancelAccepted: true }), { kind: 'away', why: 'not serving' }, 105_000, timing)).toMatchObject({ write: 'CANCELED', alert: false });
  });

  test('an end inferred from a JobManager away for 21 polls is withdrawn (SILENT) when its pod serves again while Flink cannot be reached; one Flink reported is not', () => {
    const away: Observation = { kind: 'away', why: 'not serving' };
    const servingUnreachable: Observation = { kind: 'unknown', why: 'REST did not answer', podServing: true };
    const inferred = decide(view({ shown: 'SILENT', awaySince: 0 }), away, 105_000, timing);
    expect(inferred).toMatchObject({ write: 'LOST', alert: true });
    expect(decide(inferred.view, servingUnreachable, 150_000, timing)).toMatchObject({ write: 'SILENT', alert: false });
    expect(decide(inferred.view, { kind: 'unknown', why: 'the API did not answer' }, 150_000, timing).write).toBeUndefined();
    const reported = decide(view(), { kind: 'reported', state: 'FAILED', jobId: 'j' }, 0, timing);
    expect(decide(reported.view, servingUnreachable, 5_000, timing).write).toBeUndefined();
  });

  test('Flink reporting an end state remembers it; reporting RUNNING again forgets it', () => {
    const finished = decide(view(), { kind: 'reported', state: 'FINISHED', jobId: 'j' }, 0, timing);
    expect(finished.view.flinkEnd).toBe('FINISHED');
    expect(decide(finished.view, { kind: 'reported', state: 'RUNNING', jobId: 'j' }, 5_000, timing).view.flinkEnd).toBeUndefined();
  });

  test('a job missing before its JobManager went away stays missing: LOST 12 polls after it went missing', () => {
    const away: Observation = { kind: 'away', why: 'not serving' };
    expect(decide(view({ shown: 'SILENT', missingSince: 0, awaySince: 10_000 }), away, 55_000, timing).write).toBeUndefined();
    expect(decide(view({ shown: 'SILENT', missingSince: 0, awaySince: 10_000 }), away, 60_000, timing)).toMatchObject({ write: 'LOST', alert: true });
  });

  test('a session job missing from its serving cluster for 12 polls is LOST, alerted; shorter is SILENT', () => {
    const missing: Observation = { kind: 'missing', why: 'not listed' };
    expect(decide(view({ shown: 'SILENT', missingSince: 0 }), missing, 59_999, timing).write).toBeUndefined();
    expect(decide(view({ shown: 'SILENT', missingSince: 0 }), missing, 60_000, timing)).toMatchObject({ write: 'LOST', alert: true, untrack: false });
  });

  test.for([
    ['FAILED', false, true],
    ['FINISHED', false, true],
    ['CANCELED', false, true],
    ['CANCELED', true, false],
    ['LOST', false, true],
    ['RESTARTING', false, false],
    ['SILENT', false, false],
    ['CANCELLING', true, false],
  ] as const)('%s after a user cancel: %s → alert %s', ([state, userCancelled, alert]) => {
    expect(alertsOn(state, { userCancelled })).toBe(alert);
  });

  test('one alert per end: an end that corrects an end already alerted is written without a second alert; a new end after a withdrawal is alerted', () => {
    // LOST inferred as the deployment went, then an observation started earlier answers late with Flink's FAILED
    expect(decide(view({ shown: 'LOST' }), { kind: 'reported', state: 'FAILED', jobId: 'j' }, 0, timing)).toMatchObject({ write: 'FAILED', alert: false });
    expect(decide(view({ shown: 'SILENT' }), { kind: 'reported', state: 'FAILED', jobId: 'j' }, 0, timing)).toMatchObject({ write: 'FAILED', alert: true });
    // the user's CANCELED was no alert: a FAILED after it is the first
    expect(decide(view({ shown: 'CANCELED', userCancelled: true }), { kind: 'reported', state: 'FAILED', jobId: 'j' }, 0, timing)).toMatchObject({ write: 'FAILED', alert: true });
  });

  test('a CANCELED the user asked for is not alerted; the flag goes when Flink reports the job RUNNING (the cancel failed)', () => {
    const asked = view({ shown: 'CANCELLING', userCancelled: true });
    expect(decide(asked, { kind: 'reported', state: 'CANCELED', jobId: 'j' }, 0, timing)).toMatchObject({ write: 'CANCELED', alert: false });
    expect(decide(asked, { kind: 'reported', state: 'RUNNING', jobId: 'j' }, 0, timing).view.userCancelled).toBe(false);
  });
});

describe('pods', () => {
  const rows: [string, PodView[], string][] = [
    ['no pod: the JobManager is away', [], 'away'],
    ['a Failed pod alone is evidence of failure', [pod('a', 'Failed', false)], 'pods-failed'],
    ['a ready Running pod: the REST API did not answer, nothing else is known', [pod('a', 'Running', true)], 'unknown'],
    ['a restarting pod (not ready): away', [{ ...pod('a', 'Running', false), containers: [{ name: 'c', restartCount: 3, ready: false, waitingReason: 'CrashLoopBackOff' }] }], 'away'],
    ['an evicted pod listed first beside its running replacement: the replacement decides', [pod('old', 'Failed', false), pod('new', 'Running', true)], 'unknown'],
    ['a terminating pod beside a Pending replacement: the replacement decides', [pod('old', 'Running', true, { terminating: true }), pod('new', 'Pending', false)], 'away'],
  ];
  test.for(rows)('%s', ([, pods, kind]) => {
    expect(observePods(pods).kind).toBe(kind);
  });

  test('the deciding pod: not being deleted, not Failed while another is not, serving before Running before Pending', () => {
    expect(decidingPod([pod('old', 'Failed', false), pod('pending', 'Pending', false), pod('running', 'Running', false)])?.name).toBe('running');
    expect(decidingPod([pod('leaving', 'Running', true, { terminating: true }), pod('new', 'Running', false)])?.name).toBe('new');
    expect(decidingPod([pod('leaving', 'Running', true, { terminating: true })])?.name).toBe('leaving');
  });
});

describe('ownJob', () => {
  const jobs = [{ jid: 'new-id' }];
  test.for([
    ['the job by its id', [{ jid: 'a' }, { jid: 'b' }], 'session', 'b', 'b'],
    ['application mode: the one job listed, under a new id after a restart without HA', jobs, 'application', 'old-id', 'new-id'],
    ['session mode: never another job', jobs, 'session', 'old-id', undefined],
    ['application mode with two jobs listed: only by id', [{ jid: 'x' }, { jid: 'y' }], 'application', 'old-id', undefined],
  ] as const)('%s', ([, listed, mode, jobId, found]) => {
    expect(ownJob(listed, { jobId, mode })?.jid).toBe(found);
  });
});
