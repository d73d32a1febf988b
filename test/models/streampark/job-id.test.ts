// A job that comes back under a new job id (a JobManager restart without HA and without a fixed
// id). Application mode reads jobs.head whatever its jid (FlinkJobStatusWatcher.scala
// touchApplicationJob, v2.1.3 lines 205–213, v2.1.4 205–213); JobStatusCV.diff compares the jobId
// (model/JobStatusCV.scala lines 47–51); the listener stores it (FlinkK8sChangeEventListener.java
// v2.1.3 line 165, v2.1.4 176) unless 2.1.3's end-state guard dropped the event (v2.1.3 line 74);
// the cancel and the restart use the stored id (ApplicationServiceImpl.java v2.1.4 line 1356;
// FlinkK8sWatcherWrapper.java v2.1.4 lines 120–137).
import { describe, expect, test } from 'vitest';
import { healthyWorld, RESTARTED_POD, runTracker } from '../../support/tracker-harness.ts';

const NEW_JID = 'job-2';
/** REST refused in [5 s, 10 s) while the restarted pod shows lastState; from 10 s the job runs as job-2. */
const restartedUnderNewId = healthyWorld({
  fetchJobsOverview: (now) => (now < 5_000 ? { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } } : now < 10_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: NEW_JID, name: 'j', state: 'RUNNING' }] } }),
  getDeploymentPods: () => ({ ok: RESTARTED_POD }),
});
const cancelAt20s = [{ atMs: 20_000, command: { type: 'console.cancel' as const, appId: 'app-1' } }];

describe('the job id changes after a JobManager restart', () => {
  test.for([
    // the REST-less polls infer FAILED (lastState.terminated); the guard then drops every event, the new id included
    { variant: 'v2.1.3', trace: ['RUNNING', 'FAILED', 'CANCELLING'], cancelsJobId: 'job-1' },
    { variant: 'fix-retriever-only', trace: ['RUNNING', 'FAILED', 'CANCELLING'], cancelsJobId: 'job-1' },
    // no guard: RUNNING again, under the new id, which the row stores and the cancel uses
    { variant: 'fix-listener-only', trace: ['RUNNING', 'FAILED', 'RUNNING', 'CANCELLING'], cancelsJobId: NEW_JID },
    { variant: 'minimal-fix', trace: ['RUNNING', 'FAILED', 'RUNNING', 'CANCELLING'], cancelsJobId: NEW_JID },
    { variant: 'v2.1.4', trace: ['RUNNING', 'FAILED', 'RUNNING', 'CANCELLING'], cancelsJobId: NEW_JID },
  ])('$variant cancels job id $cancelsJobId', async ({ variant, trace, cancelsJobId }) => {
    const run = await runTracker({ variant, script: restartedUnderNewId, untilMs: 20_050, commands: cancelAt20s });
    expect(run.trace()).toEqual(trace);
    expect(run.calls.filter((call) => call.call === 'cancelFlinkJob').map((call) => call.request.jobId)).toEqual([cancelsJobId]);
  });

  test('a new id alone (same state) is a change: updateState publishes it', async () => {
    const script = healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: now >= 7_000 ? NEW_JID : 'job-1', name: 'j', state: 'RUNNING' }] } }) });
    const run = await runTracker({ variant: 'v2.1.3', script, untilMs: 12_000 });
    const published = run.events.filter((event) => event.type === 'status.published' && event.t >= 7_000 && event.t < 12_000);
    expect(published).toHaveLength(1); // the cache held RUNNING/job-1 for 20 s: the jid alone made it differ
    expect(run.trace()).toEqual(['RUNNING']);
  });

  test('after a console restart the tracked id carries the stored job id: the archive is read under the new one', async () => {
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now < 5_000 ? { ok: { jobs: [{ jid: NEW_JID, name: 'j', state: 'RUNNING' }] } } : { fail: 'refused' }),
      lookupRestService: (now) => ({ ok: now < 5_000 ? 'http://rest' : undefined }),
      listFlinkDeployments: (now) => ({ ok: now < 12_000 ? ['flink-demo'] : [] }),
      getDeploymentPods: () => ({ ok: [{ name: 'jm', phase: 'Pending', containers: [] }] }),
    });
    const run = await runTracker({ variant: 'v2.1.4', script, untilMs: 20_000, commands: [{ atMs: 6_000, command: { type: 'console.restart', downtimeMs: 4_000 } }] });
    expect(run.calls.filter((call) => call.call === 'readHistoryArchive').map((call) => call.request.jobId)).toEqual([NEW_JID]);
  });
});
