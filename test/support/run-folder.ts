/** A run folder's files as text, to compare two runs byte for byte but for wall-clock timings. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ComparableRun {
  /** run.json, its `startedAt` blanked */
  runJson: string;
  /** results.jsonl, each line's `wallMs` blanked */
  results: string;
  /** runs/<id>.json by file name, `wallMs` and `phases` blanked */
  runs: Record<string, string>;
  /** junit.xml, its time attributes blanked; undefined when there is none */
  junit: string | undefined;
}

const TIMINGS: [RegExp, string][] = [
  [/"startedAt": "[^"]*"/, '"startedAt": ""'],
  [/"wallMs":\d+/g, '"wallMs":0'],
  [/"phases":\{"setupMs":\d+,"runMs":\d+,"teardownMs":\d+\}/g, '"phases":{}'],
  [/ time="[\d.]+"/g, ' time=""'],
];

const blankTimings = (text: string) => TIMINGS.reduce((result, [pattern, blank]) => result.replace(pattern, blank), text);

/** The folder's run as written, timings blanked. */
export async function comparableRun(dir: string): Promise<ComparableRun> {
  const runs: Record<string, string> = {};
  for (const name of (await readdir(join(dir, 'runs'))).filter((file) => file.endsWith('.json')).sort()) runs[name] = blankTimings(await readFile(join(dir, 'runs', name), 'utf8'));
  return {
    runJson: blankTimings(await readFile(join(dir, 'run.json'), 'utf8')),
    results: blankTimings(await readFile(join(dir, 'results.jsonl'), 'utf8')),
    runs,
    junit: await readFile(join(dir, 'junit.xml'), 'utf8').then(blankTimings, () => undefined),
  };
}
