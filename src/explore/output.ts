/**
 * The explorer's folder, written as it goes so an interrupted exploration keeps what it found:
 *   explore.json            settings, figures and every finding (rewritten after each finding)
 *   findings/<name>.yaml    each finding as a scenario file that `statuschaos run` replays
 *   runs/<name>.json        the run of each finding's file (lanes, for its page)
 *   index.html, <name>.html the explorer's page and one page per finding; junit.xml
 */
import { join } from 'node:path';
import { checkScenarioRun } from '../check/scenario-check.ts';
import { EXPLORE_FORMAT, type ExploreRecord, type FindingRecord } from '../record/explore-record.ts';
import { RUN_FORMAT, type CheckedScenarioRun, type Result, type RunRecord } from '../record/run-record.ts';
import { onExit } from '../record/exit-hooks.ts';
import { makeFolder, writeFileAtomically, writeFileAtomicallyNow } from '../record/safe-files.ts';
import { summarize } from '../record/summary.ts';
import { renderExplorePage, type FindingView } from '../report/html/explore-page.ts';
import { renderScenarioPage } from '../report/html/scenario-page.ts';
import { renderExploreJUnit } from '../report/junit.ts';
import { TOOL } from '../tool.ts';
import type { ExploreResult, Finding } from './explore.ts';
import { findingFile, findingRecord, replays } from './finding-file.ts';
import { parseScenario } from '../scenario/load.ts';
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
    await makeFolder(join(outDir, 'findings'));
    await makeFolder(join(outDir, 'runs'));
    const record: ExploreRecord = { format: EXPLORE_FORMAT, tool: TOOL, startedAt: new Date().toISOString(), ...settings, status: 'running', stats: { schedules: 0, elapsedMs: 0, schedulesPerSecond: 0, unjudged: 0 }, findings: [] };
    const writer = new ExploreWriter(outDir, record, heal);
    await writer.save();
    // a process that ends before finish() (a second Ctrl-C gives up at once) leaves explore.json saying so, with the figures so far
    writer.interruptOnExit = onExit(() => writeFileAtomicallyNow(outDir, 'explore.json', writer.text({ ...record, status: 'interrupted' })));
    return writer;
  }

  private interruptOnExit: () => void = () => {};

  /** The figures so far (schedules explored, wall time, stops unjudged), kept for explore.json should the process end early. */
  progress(schedules: number, elapsedMs: number, unjudged = this.record.stats.unjudged): void {
    this.record.stats = { schedules, elapsedMs, schedulesPerSecond: elapsedMs > 0 ? (schedules * 1000) / elapsedMs : 0, unjudged };
  }

  get findings(): readonly FindingRecord[] {
    return this.record.findings;
  }

  /** Write a finding's scenario file, replay it, and record it. */
  async add(finding: Finding): Promise<FindingRecord> {
    const file = findingFile(finding, this.heal, this.names);
    await writeFileAtomically(join(this.outDir, 'findings'), `${file.name}.yaml`, file.text);
    // a finding not shrunk (the exploration was stopped) is written as it showed, without a second run: its run is the one it showed in
    const replay = finding.notShrunk ? { ok: false, run: { ...finding.run, expect: parseScenario(file.text, file.path).expect } } : await replays(file, finding);
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

  /**
   * The figures, the status, and the pages. Returns the path of index.html. `findings`: the
   * explorer's, whose occurrences went on being counted after each was written.
   */
  async finish(result: Pick<ExploreResult, 'schedules' | 'elapsedMs' | 'unjudged'> & { findings?: readonly Pick<Finding, 'signature' | 'occurrences'>[] }, status: 'complete' | 'interrupted'): Promise<string> {
    for (const finding of result.findings ?? []) {
      const entry = this.record.findings.find((candidate) => candidate.signature === finding.signature);
      if (entry !== undefined) entry.occurrences = finding.occurrences;
    }
    this.record.status = status;
    this.progress(result.schedules, result.elapsedMs, result.unjudged);
    await this.save();
    this.interruptOnExit();
    const pageRecord = this.pageRecord();
    for (const view of this.views) await writeFileAtomically(this.outDir, view.finding.page, renderScenarioPage(pageRecord, view.run));
    await writeFileAtomically(this.outDir, 'index.html', renderExplorePage(this.record, this.views));
    await writeFileAtomically(this.outDir, 'junit.xml', renderExploreJUnit(this.record));
    return join(this.outDir, 'index.html');
  }

  get snapshot(): ExploreRecord {
    return this.record;
  }

  private text(record: ExploreRecord): string {
    return `${JSON.stringify(record, null, 1)}\n`;
  }

  private async save(): Promise<void> {
    await writeFileAtomically(this.outDir, 'explore.json', this.text(this.record));
  }

  /** The findings' runs as a run record, for their scenario pages. */
  private pageRecord(): RunRecord {
    return simulatedRunRecord(this.views, { startedAt: this.record.startedAt, metadata: { explored: `seed ${this.record.seed}` }, variants: this.record.variants });
  }
}

/** Runs made on the simulation (findings, explanations) as one run record, for their scenario pages. */
export function simulatedRunRecord(views: readonly { run: CheckedScenarioRun; results: Result[] }[], header: Pick<RunRecord, 'startedAt' | 'metadata' | 'variants'>): RunRecord {
  const results: Result[] = views.flatMap((view) => view.results);
  const scenarios = views.map((view) => view.run);
  return {
    format: RUN_FORMAT,
    tool: TOOL,
    backend: 'sim',
    ...header,
    timing: { profile: 'streampark', scale: 1 },
    status: 'complete',
    summary: summarize(results, scenarios.reduce((sum, run) => sum + run.warnings.length, 0), scenarios.length),
    results,
    scenarios,
    notShown: 0,
  };
}
