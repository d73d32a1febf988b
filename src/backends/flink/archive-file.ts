/**
 * Flink's history archive file, as `FsJobArchivist.archiveJob` writes it when a job ends
 * (`<jobmanager.archive.fs.dir>/<jid>`): JSON with the REST answers of the finished job, among
 * them `/jobs/overview`. StreamPark reads a vanished job's final state from it; the stub writes it
 * where real Flink would, so that StreamPark's own code finds it too.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlinkJobState } from '../../states.ts';

/** The folder name 2.1.3 reads archives from, under its workspace (Workspace.scala v2.1.3 L60): where the harness's Flink writes them. */
export const ARCHIVE_SUBFOLDER = join('historyserver', 'archive');

/** The archive file of a finished job: its overview entry (the part StreamPark reads), as Flink writes it. */
export function archiveFileText(job: { jid: string; name: string; state: FlinkJobState }): string {
  const overview = { jobs: [{ jid: job.jid, name: job.name, state: job.state }] };
  return JSON.stringify({ archive: [{ path: '/jobs/overview', json: JSON.stringify(overview) }] });
}

export async function writeArchiveFile(folder: string, job: { jid: string; name: string; state: FlinkJobState }): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, job.jid), archiveFileText(job));
}

/** The job's final state from its archive file in `folder`, if there is one. */
export function archivedState(folder: string, jobId: string): FlinkJobState | undefined {
  if (!/^[0-9a-f]{32}$/.test(jobId)) return undefined;
  let text: string;
  try {
    text = readFileSync(join(folder, jobId), 'utf8');
  } catch {
    return undefined;
  }
  const entries = (JSON.parse(text) as { archive?: { path: string; json: string }[] }).archive ?? [];
  const overview = entries.find((entry) => entry.path === '/jobs/overview');
  if (overview === undefined) return undefined;
  const jobs = (JSON.parse(overview.json) as { jobs?: { jid: string; state: string }[] }).jobs ?? [];
  return jobs.find((job) => job.jid === jobId)?.state as FlinkJobState | undefined;
}
