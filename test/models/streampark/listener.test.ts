// FlinkK8sChangeEventListener — the end-state guard, the state mapping, alerts.
import { describe, expect, test } from 'vitest';
import { alertsOn, applyJobStatus } from '../../../src/models/streampark/listener.ts';
import type { AppRow } from '../../../src/models/streampark/types.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

const row = (state: AppRow['state']): AppRow => ({ appId: 'a', state, tracking: 1, jobId: 'j', trackId: { appId: 'a', mode: 'application', namespace: 'n', clusterId: 'c', jobId: 'j' } });

describe('listener rules', () => {
  test.for([
    ['POS_TERMINATED', 'CANCELLING', 'CANCELED', 0],
    ['POS_TERMINATED', 'RUNNING', 'FINISHED', 0],
    ['TERMINATED', 'FAILING', 'FAILED', 0],
    ['TERMINATED', 'RUNNING', 'TERMINATED', 0],
    ['K8S_INITIALIZING', 'RUNNING', 'INITIALIZING', 1],
    ['SILENT', 'RUNNING', 'SILENT', 1],
  ] as const)('%s over stored %s is written as %s with tracking %i', ([observed, stored, written, tracking]) => {
    const next = applyJobStatus(row(stored), { state: observed, jobId: 'j2', pollAckTime: 0 });
    expect(next.state).toBe(written);
    expect(next.tracking).toBe(tracking);
    expect(next.jobId).toBe('j2');
  });

  test('alerts on FAILED, LOST, RESTARTING and FINISHED only', () => {
    expect(['FAILED', 'LOST', 'RESTARTING', 'FINISHED'].every((state) => alertsOn(state as never))).toBe(true);
    expect(['RUNNING', 'CANCELED', 'SILENT', 'INITIALIZING'].some((state) => alertsOn(state as never))).toBe(false);
  });
});

// FAILED at 5 s (restart + REST down), then Flink reports RUNNING again from 10 s on.
const failedThenRunning = healthyWorld({
  fetchJobsOverview: (now) => (now >= 5_000 && now < 10_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
  getDeploymentPods: () => ({ ok: [{ name: 'jm', phase: 'Running', containers: [{ name: 'c', restartCount: 1, ready: true, lastTerminated: { reason: 'Error', exitCode: 1 } }] }] }),
});

describe('the end-state guard (BUG 2)', () => {
  test('v2.1.3: a stored end state swallows every later event', async () => {
    const run = await runTracker({ variant: 'v2.1.3', script: failedThenRunning, untilMs: 60_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.events.some((event) => event.type === 'listener.ignored' && event.observed === 'RUNNING')).toBe(true);
  });

  test('without the guard (fix-listener-only) the later RUNNING is written', async () => {
    const run = await runTracker({ variant: 'fix-listener-only', script: failedThenRunning, untilMs: 60_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED', 'RUNNING']);
  });

  test('an alert for each FAILED write; with the fix, FAILED while tracked repeats its alert every 20–25 s', async () => {
    const longFailure = healthyWorld({ fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }), getDeploymentPods: () => ({ ok: [{ name: 'jm', phase: 'Unknown', containers: [] }] }) });
    const fixed = await runTracker({ variant: 'minimal-fix', script: longFailure, untilMs: 70_000 });
    const buggy = await runTracker({ variant: 'v2.1.3', script: longFailure, untilMs: 70_000 });
    expect(buggy.alerts).toHaveLength(1);
    expect(fixed.alerts.length).toBeGreaterThanOrEqual(3);
    const gaps = fixed.alerts.slice(1).map((alert, index) => alert.t - fixed.alerts[index]!.t);
    expect(gaps.every((gap) => gap >= 20_000 && gap <= 25_100)).toBe(true);
  });
});
