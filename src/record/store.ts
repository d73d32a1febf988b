/**
 * The run's files, written as the run goes (constant work and memory per scenario run):
 *   run.json        the header and summary; rewritten only when the run starts and ends
 *   results.jsonl   one line per scenario run: its verdicts, appended when it finishes
 *   runs/<id>.json  the lanes of a scenario run, for the report and offline re-checks
 * Lanes are kept for every scenario run of a run of at most KEEP_ALL_UP_TO; beyond that for the
 * first run of each scenario and for every run that did not pass, up to KEEP_AT_MOST.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { RUN_FORMAT, type CheckedScenarioRun, type Result, type RunHeader, type RunRecord, type RunSummary, type ScenarioCheck, type ScenarioRun } from './run-record.ts';
import { createAppendOnly, writeFileAtomically } from './safe-files.ts';
import { addToSummary, summarize } from './summary.ts';

export const KEEP_ALL_UP_TO = 500;
export const KEEP_AT_MOST = 500;

/** One line of results.jsonl. */
export interface ResultsLine {
  id: string;
  name: string;
  seed: number;
  /** runs/<id>.json holds its lanes */
  kept: boolean;
  warnings: number;
  results: Result[];
}

/** The file-name id of a scenario run: `<name as a slug>-<seed>`. Names are unique within a run. */
export function scenarioRunId(name: string, seed: number): string {
  return `${slugify(name)}-${Number.isSafeInteger(seed) ? seed : slugify(String(seed))}`;
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
  private readonly seenNames = new Set<string>();
  private readonly ids = new Set<string>();
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
    await mkdir(join(outDir, 'runs'), { recursive: true });
    const store = new RunStore(outDir, header, keepLanes === 'all' || expectedRuns <= KEEP_ALL_UP_TO, await createAppendOnly(outDir, 'results.jsonl'));
    await store.writeHeader('running');
    return store;
  }

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
    await this.appendLine({ id, name: run.name, seed: run.seed, kept, warnings: check.warnings.length, results: check.results });
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
    await this.appendLine({ ...stored, id, kept });
  }

  /** The run's id (unique in the run) and whether its lanes are kept, in the order runs are added. */
  private place(name: string, seed: number, notable: boolean): { id: string; kept: boolean } {
    let id = scenarioRunId(name, seed);
    for (let suffix = 2; this.ids.has(id); suffix++) id = `${scenarioRunId(name, seed)}-${suffix}`;
    this.ids.add(id);
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
  }

  private async writeHeader(status: RunRecord['status']): Promise<void> {
    const file = { ...this.header, startedAt: this.startedAt, status, summary: this.summaryState };
    await writeFileAtomically(this.outDir, 'run.json', `${JSON.stringify(file, null, 1)}\n`);
  }
}

/** run.json as stored: the header, how the run ended, and its summary. */
export type RunFile = RunHeader & { status: RunRecord['status']; summary: RunSummary };

/**
 * Read a stored run (its folder, or its run.json) back as a RunRecord: the summary of every
 * scenario run, and the lanes and results of those whose lanes were kept. Throws with a message
 * naming the file when something is missing or not a statuschaos run.
 */
export async function readRunRecord(path: string): Promise<RunRecord> {
  const dir = basename(path) === 'run.json' ? dirname(path) : path;
  const header = await readRunFile(join(dir, 'run.json'));
  const results: Result[] = [];
  const scenarios: CheckedScenarioRun[] = [];
  let notShown = 0;
  for await (const line of readResultsLines(join(dir, 'results.jsonl'))) {
    if (!line.kept) {
      notShown += 1;
      continue;
    }
    scenarios.push(JSON.parse(await readFile(join(dir, 'runs', `${line.id}.json`), 'utf8')) as CheckedScenarioRun);
    results.push(...line.results);
  }
  return { ...header, results, scenarios, notShown };
}

/** run.json of a stored run, checked to be one. */
export async function readRunFile(file: string): Promise<RunFile> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as RunFile;
  if (parsed?.format !== RUN_FORMAT) throw new Error(`${file} is not a statuschaos run record (format ${JSON.stringify(parsed?.format)}, expected ${RUN_FORMAT})`);
  return parsed;
}

/** The lines of a results.jsonl, one parsed line at a time. */
export async function* readResultsLines(file: string): AsyncGenerator<ResultsLine> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) if (text.trim() !== '') yield JSON.parse(text) as ResultsLine;
}

/**
 * Store a re-checked run (`statuschaos report`): the kept scenario runs with their new check,
 * the others' lines as they were, and run.json with the new summary; into `toDir`, which may be
 * the folder it was read from.
 */
export async function saveRecheckedRun(fromDir: string, toDir: string, record: RunRecord): Promise<void> {
  await mkdir(join(toDir, 'runs'), { recursive: true });
  const byId = new Map<string, CheckedScenarioRun>();
  const lines: string[] = [];
  for await (const line of readResultsLines(join(fromDir, 'results.jsonl'))) {
    if (!line.kept) {
      lines.push(JSON.stringify(line));
      continue;
    }
    const run = record.scenarios.find((candidate) => candidate.name === line.name && candidate.seed === line.seed);
    if (run === undefined) continue;
    byId.set(line.id, run);
    const results = record.results.filter((result) => result.scenario === line.name && result.seed === line.seed);
    lines.push(JSON.stringify({ ...line, warnings: run.warnings.length, results } satisfies ResultsLine));
  }
  for (const [id, run] of byId) await writeFileAtomically(join(toDir, 'runs'), `${id}.json`, `${JSON.stringify(run)}\n`);
  await writeFileAtomically(toDir, 'results.jsonl', lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  const { results: _results, scenarios: _scenarios, notShown: _notShown, ...file } = record;
  await writeFileAtomically(toDir, 'run.json', `${JSON.stringify(file, null, 1)}\n`);
}
