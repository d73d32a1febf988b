// FlinkHistoryArchives.getJobStateFromArchiveFile, per tag: v2.1.3 reads
// `<remote workspace>/historyserver/archive/<jobId>` (FlinkJobStatusWatcher.scala v2.1.3 line 501;
// Workspace.scala line 60), v2.1.4 the TrackId's `jobmanager.archive.fs.dir` (v2.1.4 lines 508–512,
// unset → FAILED). Anything missing or failing → "FAILED" (Try … getOrElse, v2.1.3 line 539, v2.1.4 552).
import { describe, expect, test } from 'vitest';
import type { ArchiveDir } from '../../../src/models/ports.ts';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

type Written = 'none' | 'workspace' | 'fs-dir';
/** REST fails from 5 s and the Deployment is gone: the "deleted" branch reads the archive Flink wrote where `written` says. */
const endedUnseen = (written: Written) =>
  healthyWorld({
    fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    lookupRestService: (now) => ({ ok: now >= 5_000 ? undefined : 'http://rest' }),
    listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }),
    readHistoryArchive: (_now, request) => {
      const dir = request.dir as ArchiveDir;
      return { ok: written !== 'none' && (dir === written || dir === 'job') ? 'FINISHED' : undefined, latencyMs: 1 };
    },
  });

describe('the deployment is gone: each tag reads its own archive location', () => {
  test.for([
    { variant: 'v2.1.3', written: 'none', state: 'FAILED', reads: 'workspace' },
    { variant: 'v2.1.3', written: 'workspace', state: 'FINISHED', reads: 'workspace' },
    { variant: 'v2.1.3', written: 'fs-dir', state: 'FAILED', reads: 'workspace' },
    { variant: 'minimal-fix', written: 'workspace', state: 'FINISHED', reads: 'workspace' },
    { variant: 'v2.1.4', written: 'none', state: 'FAILED', reads: 'fs-dir' },
    { variant: 'v2.1.4', written: 'workspace', state: 'FAILED', reads: 'fs-dir' },
    { variant: 'v2.1.4', written: 'fs-dir', state: 'FINISHED', reads: 'fs-dir' },
  ] as const)('$variant with the archive in $written: $state', async ({ variant, written, state, reads }) => {
    const run = await runTracker({ variant, script: endedUnseen(written), untilMs: 6_000 });
    expect(run.trace()).toEqual(['RUNNING', state]);
    expect(run.calls.filter((call) => call.call === 'readHistoryArchive').map((call) => call.request.dir)).toEqual([reads]);
  });

  test('an archive read that fails gives FAILED', async () => {
    const script = healthyWorld({
      fetchJobsOverview: (now) => (now >= 5_000 ? { fail: 'refused' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
      listFlinkDeployments: (now) => ({ ok: now >= 5_000 ? [] : ['flink-demo'] }),
      readHistoryArchive: () => ({ fail: 'invalid' }),
    });
    const run = await runTracker({ variant: 'v2.1.4', script, untilMs: 6_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
  });
});
