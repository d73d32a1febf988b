/**
 * Writes a run's report into its folder: junit.xml and the HTML report (index.html plus one page
 * per scenario run shown). The record itself is the store's (record/store.ts).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../record/run-record.ts';
import { writeFileAtomically } from '../record/safe-files.ts';
import { renderHtmlReport } from './html/render.ts';
import { renderJUnit, writeJUnitFromResults } from './junit.ts';

/**
 * Write junit.xml and every HTML page (unless `html: false`: a shard's, whose HTML the merge
 * renders for the whole run). junit.xml covers every scenario run of the folder's results.jsonl
 * when there is one (streamed), else the record's. Returns the paths written, index.html first.
 */
export async function writeReport(record: RunRecord, outDir: string, { html = true, signal }: { html?: boolean; signal?: AbortSignal } = {}): Promise<string[]> {
  const written: string[] = [];
  for (const page of html ? renderHtmlReport(record) : []) {
    signal?.throwIfAborted(); // up to 500 pages, the largest tens of MB: a stop is taken between two
    await writeFileAtomically(outDir, page.name, page.content);
    written.push(join(outDir, page.name));
  }
  const stored = await access(join(outDir, 'results.jsonl')).then(() => true, () => false);
  if (stored) written.push(await writeJUnitFromResults(outDir, record, signal));
  else {
    await writeFileAtomically(outDir, 'junit.xml', renderJUnit(record));
    written.push(join(outDir, 'junit.xml'));
  }
  return written;
}
