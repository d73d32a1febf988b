/**
 * Writes a run's files into its folder: run.json (the record), junit.xml, and the HTML report
 * (index.html plus one page per scenario). Each file is written to a temporary name and renamed,
 * so a reader never sees half a file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../runner/record.ts';
import { renderHtmlReport } from './html/render.ts';
import { renderJUnit } from './junit.ts';

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** Just the record (called after each scenario). */
export async function writeRunRecord(record: RunRecord, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeAtomically(join(outDir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
}

/** Everything: record, JUnit and HTML pages. Returns the paths written (index.html first among the pages). */
export async function writeRunOutputs(record: RunRecord, outDir: string): Promise<string[]> {
  await writeRunRecord(record, outDir);
  await writeAtomically(join(outDir, 'junit.xml'), renderJUnit(record));
  const written = [join(outDir, 'run.json'), join(outDir, 'junit.xml')];
  for (const page of renderHtmlReport(record)) {
    const path = join(outDir, page.name);
    await writeAtomically(path, page.content);
    written.push(path);
  }
  return written;
}
