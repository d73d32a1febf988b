/**
 * The run's files, written as the run goes (constant work and memory per scenario run):
 *   run.json        the header and summary; rewritten only when the run starts and ends
 *   results.jsonl   one line per scenario run: its verdicts, appended when it finishes
 *   runs/<id>.json  the lanes of a scenario run, for the report and offline re-checks
 * Lanes are kept for every scenario run of a run of at most KEEP_ALL_UP_TO; beyond that for the
 * first run of each scenario and for every run that did not pass, up to KEEP_AT_MOST.
 */
import { createHash } from 'node:crypto';
import { UserError, UserErrors } from '../errors/user-error.ts';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import type { CheckedScenarioRun, Result, ResultsLine, RunHeader, RunRecord, RunSummary, ScenarioCheck, ScenarioRun } from './run-record.ts';
export type { ResultsLine, RunFile } from './run-record.ts';
import { readResultsLines } from './read-run.ts';
import { onExit } from './exit-hooks.ts';
import { createAppendOnly, createFileAtomically, makeFolder, writeFileAtomically, writeFileAtomicallyNow } from './safe-files.ts';
import { addToSummary, summarize } from './summary.ts';

export const KEEP_ALL_UP_TO = 500;
export const KEEP_AT_MOST = 500;

/**
 * The file-name id of a scenario run: `<name as a slug>-<seed>`. A name the slug does not keep
 * exactly (capitals, spaces, other characters, length) gets 8 hex digits of its hash added, so
 * two names of one run never share an id: ids need no bookkeeping, however many runs a run has.
 */
export function scenarioRunId(name: string, seed: number): string {
  return `${runIdStem(name)}-${seed}`;
}

/** The part of a scenario run's id that comes from its name: the id is `<stem>-<seed>`, so two names collide exactly when their stems do. */
function runIdStem(name: string): string {
  const slug = slugify(name);
  return slug === name ? slug : `${slug}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/**
 * Refuse, before anything runs, two scenarios whose runs would get the same ids and files (`x y`
 * and `x-y-887fcea6`: the first's slug and hash spell the second's name). They used to both run,
 * then the stored run failed to read back.
 */
export function checkRunIdsUnique(scenarios: readonly { name: string; file: string }[]): void {
  const byStem = new Map<string, { name: string; file: string }>();
  const problems: UserError[] = [];
  for (const scenario of scenarios) {
    const stem = runIdStem(scenario.name);
    const other = byStem.get(stem);
    if (other !== undefined && other.name !== scenario.name) {
      problems.push(new UserError(`scenario \`${scenario.name}\` would be stored under the same file names as \`${other.name}\` (${other.file}): runs/${stem}-<seed>.json`, { location: { file: scenario.file, line: 1 }, hint: 'rename one of the two' }));
    }
    byStem.set(stem, scenario);
  }
  if (problems.length > 0) throw new UserErrors(problems);
}

/** A name as a file-name part: lowercase ASCII letters, digits and single dashes, never empty. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: é → e
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'scenario' : slug;
}

/** A verdict worth keeping the lanes for: anything but pass or unchecked. */
function hasNotableResult(results: readonly Result[]): boolean {
  return results.some((result) => result.verdict !== 'pass' && result.verdict !== 'unchecked');
}

export class RunStore {
  readonly outDir: string;
  private readonly header: RunHeader;
  private readonly keepAll: boolean;
  private readonly summaryState: RunSummary = summarize([], 0, 0);
  /** scenario names seen (bounded by the scenarios of the run, not by its repeats) */
  private readonly seenNames = new Set<string>();
  private kept = 0;
  private readonly lines: FileHandle;
  private readonly startedAt: string;

  private constructor(outDir: string, header: RunHeader, keepAll: boolean, lines: FileHandle) {
    this.outDir = outDir;
    this.header = header;
    this.keepAll = keepAll;
    this.lines = lines;
    this.startedAt = header.startedAt;
  }

  /** Start a run's files in `outDir` (which the caller has checked is ours to write). */
  static async create(outDir: string, header: RunHeader, expectedRuns: number, keepLanes: 'auto' | 'all' = 'auto'): Promise<RunStore> {
    await makeFolder(join(outDir, 'runs'));
    const store = new RunStore(outDir, header, keepLanes === 'all' || expectedRuns <= KEEP_ALL_UP_TO, await createAppendOnly(outDir, 'results.jsonl'));
    await store.writeHeader('running');
    // a process that ends before finish() (a second Ctrl-C gives up at once) leaves run.json saying so, not `running`
    store.interruptOnExit = onExit(() => writeFileAtomicallyNow(outDir, 'run.json', store.headerText('interrupted')));
    return store;
  }

  private interruptOnExit: () => void = () => {};

  get summary(): RunSummary {
    return { ...this.summaryState };
  }

  /** Record one finished scenario run and its check. */
  async add(run: ScenarioRun, check: ScenarioCheck): Promise<void> {
    const notable = check.warnings.length > 0 || run.error !== undefined || hasNotableResult(check.results);
    const { id, kept } = this.place(run.name, run.seed, notable);
    if (kept) {
      const stored: CheckedScenarioRun = { ...run, warnings: check.warnings, evidence: check.evidence };
      await writeFileAtomically(join(this.outDir, 'runs'), `${id}.json`, `${JSON.stringify(stored)}\n`);
    }
    await this.appendLine({ id, name: run.name, seed: run.seed, kept, warnings: check.warnings.length, results: check.results, file: run.file, wallMs: run.wallMs });
    for (const [key, value] of Object.entries(run.metadata)) if (key !== 'namespace') this.header.metadata[key] ??= value;
  }

  /**
   * Record a scenario run whose lanes another store did not keep (a shard's, when merging). The
   * keep rule never keeps here what a shard dropped (docs/scaling.md, "merge"); if it would, the
   * merge cannot be faithful, and this throws.
   */
  async addWithoutLanes(stored: ResultsLine): Promise<void> {
    const { id, kept } = this.place(stored.name, stored.seed, stored.warnings > 0 || hasNotableResult(stored.results));
    if (kept) throw new Error(`the lanes of ${stored.name} (seed ${stored.seed}) are needed but were not kept`);
    // the fields in the order add() writes them, so a merged run's lines equal an unsharded run's
    await this.appendLine({ id, name: stored.name, seed: stored.seed, kept, warnings: stored.warnings, results: stored.results, file: stored.file, wallMs: stored.wallMs });
  }

  /** A scenario run's id (a pure function of name and seed) and whether its lanes are kept. */
  private place(name: string, seed: number, notable: boolean): { id: string; kept: boolean } {
    const id = scenarioRunId(name, seed);
    const first = !this.seenNames.has(name);
    this.seenNames.add(name);
    const kept = this.keepAll || ((first || notable) && this.kept < KEEP_AT_MOST);
    if (kept) this.kept += 1;
    return { id, kept };
  }

  private async appendLine(line: ResultsLine): Promise<void> {
    await this.lines.appendFile(`${JSON.stringify(line)}\n`);
    addToSummary(this.summaryState, line.results, line.warnings);
  }

  /** Close the run: run.json says how it ended. */
  async finish(status: 'complete' | 'interrupted'): Promise<void> {
    await this.lines.close();
    await this.writeHeader(status);
    this.interruptOnExit();
  }

  private headerText(status: RunRecord['status']): string {
    return `${JSON.stringify({ ...this.header, startedAt: this.startedAt, status, summary: this.summaryState }, null, 1)}\n`;
  }

  private async writeHeader(status: RunRecord['status']): Promise<void> {
    await writeFileAtomically(this.outDir, 'run.json', this.headerText(status));
  }
}

export { readResultsLines, readRunFile, readRunRecord } from './read-run.ts';

/**
 * Store a re-checked run (`statuschaos report`): the kept scenario runs with their new check,
 * the others' lines as they were, and run.json with the new summary; into `toDir`, which may be
 * the folder it was read from (results.jsonl is streamed into a new file, then renamed).
 */
export async function saveRecheckedRun(fromDir: string, toDir: string, record: RunRecord, signal?: AbortSignal): Promise<void> {
  await makeFolder(join(toDir, 'runs'));
  const byRun = new Map(record.scenarios.map((run) => [`${run.name}\u0000${run.seed}`, run]));
  const resultsByRun = new Map<string, Result[]>();
  for (const result of record.results) {
    const key = `${result.scenario}\u0000${result.seed}`;
    const list = resultsByRun.get(key);
    if (list === undefined) resultsByRun.set(key, [result]);
    else list.push(result);
  }
  const out = await createFileAtomically(toDir, 'results.jsonl');
  try {
    for await (const { line: _number, ...line } of readResultsLines(join(fromDir, 'results.jsonl'), record.status)) {
      signal?.throwIfAborted();
      const run = line.kept ? byRun.get(`${line.name}\u0000${line.seed}`) : undefined;
      if (run === undefined) {
        await out.write(`${JSON.stringify(line)}\n`);
        continue;
      }
      await writeFileAtomically(join(toDir, 'runs'), `${line.id}.json`, `${JSON.stringify(run)}\n`);
      const results = resultsByRun.get(`${line.name}\u0000${line.seed}`) ?? [];
      await out.write(`${JSON.stringify({ ...line, warnings: run.warnings.length, results } satisfies ResultsLine)}\n`);
    }
    await out.commit();
  } catch (error) {
    await out.discard();
    throw error;
  }
  const { results: _results, scenarios: _scenarios, notShown: _notShown, tally: _tally, ...file } = record;
  await writeFileAtomically(toDir, 'run.json', `${JSON.stringify(file, null, 1)}\n`);
}
