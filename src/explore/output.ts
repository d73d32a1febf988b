/**
 * The explorer's folder, written as it goes so an interrupted exploration keeps what it found:
 *   explore.json            settings, figures and every finding (rewritten after each finding)
 *   findings/<name>.yaml    each finding as a scenario file that `statuschaos run` replays
 *   runs/<name>.json        the run of each finding's file (lanes, for its page)
 *   index.html, <name>.html the explorer's page and one page per finding; junit.xml
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkScenarioRun } from '../check/scenario-check.ts';
import { EXPLORE_FORMAT, type ExploreRecord, type FindingRecord } from '../record/explore-record.ts';
import { RUN_FORMAT, type CheckedScenarioRun, type Result, type RunRecord } from '../record/run-record.ts';
import { writeFileAtomically } from '../record/safe-files.ts';
import { summarize } from '../record/summary.ts';
import { renderExplorePage, type FindingView } from '../report/html/explore-page.ts';
import { renderScenarioPage } from '../report/html/scenario-page.ts';
import { renderExploreJUnit } from '../report/junit.ts';
import { TOOL } from '../tool.ts';
import type { ExploreResult, Finding } from './explore.ts';
import { findingFile, findingRecord, replays } from './finding-file.ts';
import type { HealPhase } from './schedule.ts';

export class ExploreWriter {
  readonly outDir: string;
  private readonly record: ExploreRecord;
  private readonly heal: HealPhase;
  private readonly views: FindingView[] = [];
  private readonly names = new Set<string>();

  private constructor(outDir: string, record: ExploreRecord, heal: HealPhase) {
    this.outDir = outDir;
    this.record = record;
    this.heal = heal;
  }

  /** Start the folder (which the caller has checked is ours to write). */
  static async create(outDir: string, settings: Pick<ExploreRecord, 'seed' | 'budget' | 'shard' | 'merged' | 'variants' | 'oracles'>, heal: HealPhase): Promise<ExploreWriter> {
    await mkdir(join(outDir, 'findings'), { recursive: true });
    await mkdir(join(outDir, 'runs'), { recursive: true });
    const record: ExploreRecord = { format: EXPLORE_FORMAT, tool: TOOL, startedAt: new Date().toISOString(), ...settings, status: 'running', stats: { schedules: 0, elapsedMs: 0, schedulesPerSecond: 0, unjudged: 0 }, findings: [] };
    const writer = new ExploreWriter(outDir, record, heal);
    await writer.save();
    return writer;
  }

  get findings(): readonly FindingRecord[] {
    return this.record.findings;
  }

  /** Write a finding's scenario file, replay it, and record it. */
  async add(finding: Finding): Promise<FindingRecord> {
    const file = findingFile(finding, this.heal, this.names);
    await writeFileAtomically(join(this.outDir, 'findings'), `${file.name}.yaml`, file.text);
    const replay = await replays(file, finding);
    const { results, ...check } = checkScenarioRun(replay.run, this.record.variants);
    const run: CheckedScenarioRun = { ...replay.run, ...check };
    await writeFileAtomically(join(this.outDir, 'runs'), `${file.name}.json`, `${JSON.stringify(run)}\n`);
    const entry = findingRecord(finding, file, `${file.name}.html`, replay.ok);
    this.record.findings.push(entry);
    this.views.push({ finding: entry, run, results });
    await this.save();
    return entry;
  }

  /** Record a live confirmation of a finding (`--confirm`). */
  async confirm(entry: FindingRecord, confirmed: NonNullable<FindingRecord['confirmed']>): Promise<void> {
    entry.confirmed = confirmed;
    await this.save();
  }

  /** The figures, the status, and the pages (each finding's occurrences as counted to the end). Returns the path of index.html. */
  async finish(result: Pick<ExploreResult, 'schedules' | 'elapsedMs' | 'unjudged'> & { findings?: readonly Pick<Finding, 'signature' | 'occurrences'>[] }, status: 'complete' | 'interrupted'): Promise<string> {
    this.record.status = status;
    this.record.stats = { schedules: result.schedules, elapsedMs: result.elapsedMs, schedulesPerSecond: result.elapsedMs > 0 ? (result.schedules * 1000) / result.elapsedMs : 0, unjudged: result.unjudged };
    for (const finding of result.findings ?? []) {
      const entry = this.record.findings.find((candidate) => candidate.signature === finding.signature);
      if (entry !== undefined) entry.occurrences = finding.occurrences;
    }
    await this.save();
    const pageRecord = this.pageRecord();
    for (const view of this.views) await writeFileAtomically(this.outDir, view.finding.page, renderScenarioPage(pageRecord, view.run));
    await writeFileAtomically(this.outDir, 'index.html', renderExplorePage(this.record, this.views));
    await writeFileAtomically(this.outDir, 'junit.xml', renderExploreJUnit(this.record));
    return join(this.outDir, 'index.html');
  }

  get snapshot(): ExploreRecord {
    return this.record;
  }

  private async save(): Promise<void> {
    await writeFileAtomically(this.outDir, 'explore.json', `${JSON.stringify(this.record, null, 1)}\n`);
  }

  /** The findings' runs as a run record, for their scenario pages. */
  private pageRecord(): RunRecord {
    const results: Result[] = this.views.flatMap((view) => view.results);
    const scenarios = this.views.map((view) => view.run);
    return {
      format: RUN_FORMAT,
      tool: TOOL,
      backend: 'sim',
      startedAt: this.record.startedAt,
      metadata: { explored: `seed ${this.record.seed}` },
      timing: { profile: 'streampark', scale: 1 },
      variants: this.record.variants,
      status: 'complete',
      summary: summarize(results, scenarios.reduce((sum, run) => sum + run.warnings.length, 0), scenarios.length),
      results,
      scenarios,
      notShown: 0,
    };
  }
}
