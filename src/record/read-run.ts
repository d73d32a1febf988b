/**
 * Reading a stored run back (the report, `statuschaos report`, tests): run.json, results.jsonl
 * one bounded line at a time, and the lanes of the scenario runs that kept them. Memory grows
 * with the kept runs (at most KEEP_AT_MOST) and the scenarios' tally, never with the number of
 * scenario runs. Anything malformed is a UserError naming the file, the line and the field.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { describeFsError } from '../errors/fs-messages.ts';
import { LinkInPath, openBeneath, openFileBeneath, type Beneath } from './beneath.ts';
import { UserError, describeValue } from '../errors/user-error.ts';
import { formatBytes, formatSizeOver, LIMITS } from '../scenario/limits.ts';
import { issueMessage } from '../scenario/zod-messages.ts';
import { NOT_A_RUN, resultsLineSchema, runFileSchema, scenarioRunSchema } from './record-schema.ts';
import type { CheckedScenarioRun, Result, ResultsLine, RunFile, RunRecord, RunSummary, ScenarioTally, Verdict } from './run-record.ts';
import { addToSummary, summarize } from './summary.ts';

/** Failing seeds listed per scenario and variant in the tally (the rest are counted). */
const SEEDS_LISTED = 5;

const HINT = 'give a run folder (or its run.json) that `statuschaos run` wrote';

function invalid(file: string, line: number | undefined, message: string): UserError {
  return new UserError(message, { location: { file, ...(line === undefined ? {} : { line }) }, hint: HINT });
}

/**
 * Open `name` (`run.json`, `runs/<id>.json`) in the run folder `dir` for reading: no part below
 * `dir` may be a link (a `runs` folder that links elsewhere is refused, not followed); `dir`
 * itself is what the user named, reports/latest included.
 */
async function openInRun(dir: string, name: string): Promise<FileHandle> {
  const file = join(dir, name);
  let base: Beneath | undefined;
  try {
    base = await openBeneath(dir, { followRoot: true });
    return await openFileBeneath(base, file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof LinkInPath) throw invalid(error.path, undefined, 'it is a symbolic link; a run folder holds only files the harness wrote, and none is read through a link');
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(file, undefined, code === 'ELOOP' ? 'it is a symbolic link; a run folder holds only files the harness wrote' : `cannot read it: ${describeFsError(error)}`);
  } finally {
    await base?.close();
  }
}

/** A file of at most `limit` bytes in a run folder, read through one descriptor that refuses links and non-files. */
async function readBounded(dir: string, name: string, limit: number): Promise<string> {
  const file = join(dir, name);
  const handle = await openInRun(dir, name);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalid(file, undefined, 'not a regular file');
    if (info.size > limit) throw invalid(file, undefined, `larger than ${formatBytes(limit)} (${formatSizeOver(info.size, limit)}), more than a run writes (docs/limits.md)`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Parse JSON and check it against a schema; the first problem as a UserError at file (and line).
 * `asWritten`: the value as the file has it once checked (key order and all: a merge copies lanes
 * exactly), rather than the schema's output.
 */
function parseChecked<T>(schema: z.ZodType<T>, what: string, text: string, file: string, line?: number, asWritten = false): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(file, line, `not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(file, line, `is not ${what}: expected a JSON object, got ${describeValue(value)}`);
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return asWritten ? (value as T) : parsed.data;
  const notARun = parsed.error.issues.find((candidate) => candidate.message.startsWith(NOT_A_RUN));
  if (notARun !== undefined) throw invalid(file, line, notARun.message);
  const issue = parsed.error.issues[0]!;
  const { message } = issueMessage(issue, line === undefined ? basename(file) : `line ${line}`);
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : '';
  throw invalid(file, line, `${message}${more}`);
}

/** run.json of a stored run, checked to be one. */
export async function readRunFile(file: string): Promise<RunFile> {
  return parseChecked(runFileSchema, 'a statuschaos run record', await readBounded(dirname(file), basename(file), LIMITS.runFileBytes), file) as RunFile;
}

/** A JSON file `name` of the folder `dir` (at most `limit` bytes, no link on the way), checked against `schema`; a UserError naming file and field otherwise. */
export async function readCheckedJson<T>(dir: string, name: string, schema: z.ZodType<T>, what: string, limit: number): Promise<T> {
  return parseChecked(schema, what, await readBounded(dir, name, limit), join(dir, name), undefined, true);
}

/** Is there a regular file `name` in the run folder `dir`? (A link there, or in the path to it, is an error, not a no.) */
export async function runFileExists(dir: string, name: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await openInRun(dir, name);
  } catch (error) {
    if (error instanceof UserError && /no such file or folder/.test(error.message)) return false;
    throw error;
  }
  try {
    return (await handle.stat()).isFile();
  } finally {
    await handle.close();
  }
}

/** The lanes of a kept scenario run (`runs/<id>.json` of the run folder `dir`), checked. */
export async function readLanes(dir: string, id: string, { asWritten = false } = {}): Promise<CheckedScenarioRun> {
  const name = `runs/${id}.json`;
  return parseChecked(scenarioRunSchema, "a scenario run's lanes", await readBounded(dir, name, LIMITS.lanesFileBytes), join(dir, name), undefined, asWritten) as CheckedScenarioRun;
}

/** One line of a results.jsonl: its number, its text, and whether it ended with a newline. */
export interface RawLine {
  number: number;
  text: string;
  complete: boolean;
}

/** The lines of a file, each at most `limit` bytes, read in chunks (no line is held whole beyond the limit). */
export async function* readLines(file: string, limit = LIMITS.resultsLineBytes): AsyncGenerator<RawLine> {
  const handle = await openInRun(dirname(file), basename(file));
  try {
    if (!(await handle.stat()).isFile()) throw invalid(file, undefined, 'not a regular file');
    const buffer = Buffer.alloc(64 * 1024);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let number = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      let start = 0;
      for (let end = buffer.indexOf(10, start); end !== -1 && end < bytesRead; end = buffer.indexOf(10, start)) {
        pending.push(buffer.subarray(start, end));
        number += 1;
        if (pendingBytes + end - start > limit) throw invalid(file, number, `a line longer than ${formatBytes(limit)}, more than a run writes (docs/limits.md)`);
        yield { number, text: Buffer.concat(pending).toString('utf8'), complete: true };
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
      pending.push(Buffer.from(buffer.subarray(start, bytesRead)));
      pendingBytes += bytesRead - start;
      if (pendingBytes > limit) throw invalid(file, number + 1, `a line longer than ${formatBytes(limit)}, more than a run writes (docs/limits.md)`);
    }
    if (pendingBytes > 0) yield { number: number + 1, text: Buffer.concat(pending).toString('utf8'), complete: false };
  } finally {
    await handle.close();
  }
}

/**
 * The checked lines of a results.jsonl. A last line cut off without its newline is skipped when
 * the run did not complete (the process died while appending it); anywhere else it is an error.
 */
export async function* readResultsLines(file: string, status: RunRecord['status'] = 'complete'): AsyncGenerator<ResultsLine & { line: number }> {
  for await (const raw of readLines(file)) {
    if (raw.text.trim() === '') continue;
    if (!raw.complete && status !== 'complete') {
      try {
        JSON.parse(raw.text);
      } catch {
        return; // cut off
      }
    }
    yield { ...(parseChecked(resultsLineSchema, 'a line of results', raw.text, file, raw.number) as ResultsLine), line: raw.number };
  }
}

/** The worst of a variant's verdicts in one scenario run (session mode: one per job). */
const WORST_FIRST: readonly Verdict[] = ['fail', 'inconclusive', 'pass', 'unchecked'];

/** Add one line to the per-scenario tally (per variant: how many runs ended in each verdict, the first failing seeds). */
function addToTally(tally: Map<string, ScenarioTally>, line: ResultsLine): void {
  let entry = tally.get(line.name);
  if (entry === undefined) tally.set(line.name, (entry = { name: line.name, runs: 0, variants: {} }));
  entry.runs += 1;
  const worst = new Map<string, Verdict>();
  for (const result of line.results) {
    const before = worst.get(result.variant);
    if (before === undefined || WORST_FIRST.indexOf(result.verdict) < WORST_FIRST.indexOf(before)) worst.set(result.variant, result.verdict);
  }
  for (const [variant, verdict] of worst) {
    const counts = (entry.variants[variant] ??= { pass: 0, fail: 0, inconclusive: 0, unchecked: 0, failedSeeds: [] });
    counts[verdict] += 1;
    if ((verdict === 'fail' || verdict === 'inconclusive') && counts.failedSeeds.length < SEEDS_LISTED) counts.failedSeeds.push(line.seed);
  }
}

/**
 * Read a stored run (its folder, or its run.json) back as a RunRecord: the summary and tally of
 * every scenario run (counted from results.jsonl, so a run that died still adds up), and the
 * lanes and results of those whose lanes were kept.
 */
export async function readRunRecord(path: string, signal?: AbortSignal): Promise<RunRecord> {
  const dir = basename(path) === 'run.json' ? dirname(path) : path;
  const header = await readRunFile(join(dir, 'run.json'));
  const results: Result[] = [];
  const scenarios: CheckedScenarioRun[] = [];
  const summary: RunSummary = summarize([], 0, 0);
  const tally = new Map<string, ScenarioTally>();
  let notShown = 0;
  const resultsFile = join(dir, 'results.jsonl');
  for await (const line of readResultsLines(resultsFile, header.status)) {
    signal?.throwIfAborted();
    addToSummary(summary, line.results, line.warnings);
    addToTally(tally, line);
    if (!line.kept) {
      notShown += 1;
      continue;
    }
    const run = await readLanes(dir, line.id);
    if (run.name !== line.name || run.seed !== line.seed) throw invalid(resultsFile, line.line, `line says ${line.name} seed ${line.seed}, but runs/${line.id}.json holds ${run.name} seed ${run.seed}`);
    scenarios.push(run);
    results.push(...line.results);
  }
  return { ...header, summary, results, scenarios, notShown, tally: [...tally.values()] };
}
