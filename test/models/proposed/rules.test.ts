// The proposed tracker's rules (docs/proposed-tracker.md): unknown is never an end state,
// FAILED only on evidence, SILENT then LOST after grace periods.
import { describe, expect, test } from 'vitest';
import { nextShownState, observeDeploymentGone, observePods, ownJob, proposedTiming } from '../../../src/models/proposed/rules.ts';

const timing = proposedTiming(5_000);

describe('proposed tracker rules', () => {
  test('timeouts fit inside one polling interval, so a healed network shows within one interval', () => {
    expect(timing.restConnectTimeoutMs + timing.restResponseTimeoutMs).toBeLessThanOrEqual(timing.pollIntervalMs);
    expect(timing.observationDeadlineMs).toBe(timing.pollIntervalMs);
  });

  test('a reported state is shown at once and clears the unknown clock', () => {
    expect(nextShownState({ shown: 'SILENT', unknownSince: 0 }, { kind: 'reported', state: 'RUNNING' }, 100_000, timing)).toEqual({ shown: 'RUNNING', unknownSince: undefined });
  });

  test.for([
    [0, undefined],
    [14_999, undefined],
    [15_000, 'SILENT'],
    [599_999, 'SILENT'],
    [600_000, 'LOST'],
  ] as const)('unknown for %i ms shows %s', ([age, shown]) => {
    const view = { shown: age >= 600_000 ? ('SILENT' as const) : ('RUNNING' as const), unknownSince: 0 };
    expect(nextShownState(view, { kind: 'unknown', why: 'API unreachable' }, age, timing).shown).toBe(shown);
  });

  test('unknown never replaces an end state seen with evidence', () => {
    expect(nextShownState({ shown: 'FAILED', unknownSince: 0 }, { kind: 'unknown', why: 'x' }, 10_000_000, timing).shown).toBeUndefined();
  });

  test('only a Failed pod is evidence of failure; Pending or restarting pods are unknown', () => {
    expect(observePods([{ name: 'p', phase: 'Failed', containers: [] }]).kind).toBe('ended');
    expect(observePods([{ name: 'p', phase: 'Running', containers: [{ name: 'c', restartCount: 3, ready: false, lastTerminated: { reason: 'Error', exitCode: 1 } }] }]).kind).toBe('unknown');
    expect(observePods([]).kind).toBe('unknown');
  });

  test('a deployment seen gone ends the job with the archived state, else FAILED', () => {
    expect(observeDeploymentGone('FINISHED')).toMatchObject({ kind: 'ended', state: 'FINISHED', deploymentGone: true });
    expect(observeDeploymentGone(undefined)).toMatchObject({ kind: 'ended', state: 'FAILED' });
  });

  test.for([
    ['its own id, in application mode', 'application', ['a', 'b'], 'a'],
    ['its own id, in session mode', 'session', ['b', 'a'], 'a'],
    ['the only job of an application cluster, under a new id (a JobManager without HA resubmitted it)', 'application', ['n'], 'n'],
    ['nothing in a session cluster whose jobs are all others', 'session', ['n'], undefined],
    ['nothing when an application cluster lists several others', 'application', ['m', 'n'], undefined],
    ['nothing when nothing is listed', 'application', [], undefined],
  ] as const)('the application job in an overview: %s', ([, mode, jids, expected]) => {
    expect(ownJob(jids.map((jid) => ({ jid })), { jobId: 'a', mode })?.jid).toBe(expected);
  });
});
