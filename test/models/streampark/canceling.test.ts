// The canceling branch of inferStateFromK8sEvent after a successful cancel, with Flink's REST
// unreachable while the Deployment lingers (FlinkJobStatusWatcher.scala v2.1.3 lines 307–310,
// v2.1.4 lines 312–315; FlinkK8sWatchController.scala lines 67–74 for unWatching).
import { describe, expect, test } from 'vitest';
import { healthyWorld, runTracker, type HarnessRun } from '../../support/tracker-harness.ts';

const CANCEL_AT = 6_000;
const cancel = [{ atMs: CANCEL_AT, command: { type: 'console.cancel' as const, appId: 'app-1' } }];
/** REST fails from 7 s (after the cancel went through); the Deployment and its healthy pod stay. */
const restLostAfterCancel = (restLatencyMs = 10) =>
  healthyWorld({ fetchJobsOverview: (now) => (now >= 7_000 ? { fail: 'refused', latencyMs: restLatencyMs } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }) });

const pollsAfter = (run: HarnessRun, t: number) => run.calls.filter((call) => call.call === 'fetchJobsOverview' && call.at >= t).length;
const published = (run: HarnessRun) => run.events.flatMap((event) => (event.type === 'status.published' ? [event.state] : []));

describe('after a cancel, REST lost, Deployment still there', () => {
  test.for([
    // 2.1.3: the branch only answers CANCELED; the id stays tracked, the mark stays, every poll says CANCELED
    { variant: 'v2.1.3', stillPolled: true },
    { variant: 'minimal-fix', stillPolled: true },
    // 2.1.4: trackIds.invalidate; the first CANCELED differs from the cache → re-added and published;
    // the second finds CANCELED cached (< 20 s) → no diff, no re-add: never polled again
    { variant: 'v2.1.4', stillPolled: false },
  ])('$variant: CANCELLING → CANCELED, polled afterwards: $stillPolled', async ({ variant, stillPolled }) => {
    const run = await runTracker({ variant, script: restLostAfterCancel(), untilMs: 60_000, commands: cancel });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
    expect(published(run).filter((state) => state !== 'RUNNING' && state !== 'CANCELED')).toEqual([]); // no K8S_INITIALIZING: the mark survives
    expect(pollsAfter(run, 20_000) > 0).toBe(stillPolled);
  });

  test('v2.1.4 stops tracking by invalidation, without unWatching: no existence check says the Deployment is gone', async () => {
    const run = await runTracker({ variant: 'v2.1.4', script: restLostAfterCancel(), untilMs: 60_000, commands: cancel });
    const stopped = run.events.filter((event) => event.type === 'tracking.stopped');
    expect(stopped.map((event) => 'reason' in event && event.reason)).toEqual(['canceling: v2.1.4 trackIds.invalidate', 'canceling: v2.1.4 trackIds.invalidate']);
    expect(run.events.filter((event) => event.type === 'tracking.started').map((event) => 'reason' in event && event.reason)).toEqual(['trackIds.update in updateState']);
  });

  test('v2.1.4: when two CANCELED inferences are 20 s or more apart the cache entry has expired, so the id is re-added and CANCELED published again', async () => {
    // each REST call fails only after 25 s: the second updateState comes after the 20 s expiry
    const run = await runTracker({ variant: 'v2.1.4', script: restLostAfterCancel(25_000), untilMs: 120_000, commands: cancel });
    expect(published(run).filter((state) => state === 'CANCELED').length).toBeGreaterThanOrEqual(2);
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'CANCELED']);
  });
});
