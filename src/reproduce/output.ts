/**
 * The reproduce folder, written as it goes so an interrupted search keeps what it found:
 *   reproduce.json             the incident, what was tried, every explanation (rewritten after each)
 *   explanations/<name>.yaml   each explanation as a scenario file that `statuschaos run` replays
 *   runs/<name>.json           the run of each explanation's file (lanes, for its page)
 *   index.html, <name>.html    "N explanations of your incident" and one page per explanation
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkScenarioRun } from '../check/scenario-check.ts';
import { simulatedRunRecord } from '../explore/output.ts';
import { describeSchedule, type HealPhase, type ScheduleEvent } from '../explore/schedule.ts';
import { REPRODUCE_FORMAT, type CertificateRecord, type ExplanationRecord, type IncidentRecord, type ReproduceRecord } from '../record/reproduce-record.ts';
import type { CheckedScenarioRun, RunRecord } from '../record/run-record.ts';
import { writeFileAtomically } from '../record/safe-files.ts';
import { renderReproducePage, type ExplanationView } from '../report/html/reproduce-page.ts';
import { renderScenarioPage } from '../report/html/scenario-page.ts';
import { TOOL } from '../tool.ts';
import { matchesFact } from './incident-arbitrary.ts';
import type { Incident } from './incident.ts';
import { explanationFile, replays } from './explanation-file.ts';
import type { Explanation, SearchResult } from './search.ts';

/** Which known fact each event is (each fact claims one event, sure facts first), or null: an event the search added. */
export function factsOfEvents(incident: Incident, events: readonly ScheduleEvent[]): (number | null)[] {
  const facts: (number | null)[] = events.map(() => null);
  const order = incident.known.map((fact, index) => ({ fact, index })).sort((a, b) => Number(b.fact.sure) - Number(a.fact.sure));
  for (const { fact, index } of order) {
    const free = events.findIndex((event, position) => facts[position] === null && matchesFact(fact, event));
    if (free >= 0) facts[free] = index;
  }
  // a network fact may have flapped: its other faults are its own too
  events.forEach((event, position) => {
    if (facts[position] !== null) return;
    const fact = incident.known.findIndex((candidate) => candidate.fact === 'network' && matchesFact(candidate, event));
    if (fact >= 0) facts[position] = fact;
  });
  return facts;
}

/** The incident as reproduce.json and the page show it. */
export function incidentRecord(incident: Incident): IncidentRecord {
  return {
    file: incident.file,
    name: incident.name,
    description: incident.description,
    ...(incident.namedTracker ? { tracker: incident.namedTracker } : {}),
    truth: incident.truth,
    clock: incident.clock,
    endMs: incident.endMs,
    observed: { trace: incident.observed.trace, ignore: incident.observed.ignore, job: incident.observed.job, times: incident.observed.times.map(({ state, atMs, toleranceMs }) => ({ state, atMs, toleranceMs })) },
    known: incident.known.map((fact) => ({ fact: fact.fact, label: fact.label, fromMs: fact.window.fromMs, toMs: fact.window.toMs, sure: fact.sure })),
    nothingElse: incident.nothingElse,
    never: incident.never,
  };
}

export class ReproduceWriter {
  readonly outDir: string;
  private readonly record: ReproduceRecord;
  private readonly incident: Incident;
  private readonly heal: HealPhase;
  private readonly views: ExplanationView[] = [];
  private readonly names = new Set<string>();

  private constructor(outDir: string, record: ReproduceRecord, incident: Incident, heal: HealPhase) {
    this.outDir = outDir;
    this.record = record;
    this.incident = incident;
    this.heal = heal;
  }

  /** Start the folder (which the caller has checked is ours to write). */
  static async create(outDir: string, incident: Incident, settings: Pick<ReproduceRecord, 'seed' | 'budget' | 'trackers' | 'certify'>, heal: HealPhase): Promise<ReproduceWriter> {
    await mkdir(join(outDir, 'explanations'), { recursive: true });
    await mkdir(join(outDir, 'runs'), { recursive: true });
    const record: ReproduceRecord = {
      format: REPRODUCE_FORMAT,
      tool: TOOL,
      startedAt: new Date().toISOString(),
      incident: incidentRecord(incident),
      ...settings,
      status: 'running',
      stats: { schedules: 0, elapsedMs: 0, schedulesPerSecond: 0 },
      tried: { misses: { truth: 0, trace: 0, times: 0 }, traces: {} },
      explanations: [],
    };
    const writer = new ReproduceWriter(outDir, record, incident, heal);
    await writer.save();
    return writer;
  }

  get explanations(): readonly ExplanationRecord[] {
    return this.record.explanations;
  }

  /** Write an explanation's scenario file, replay it, and record it. */
  async add(explanation: Explanation): Promise<ExplanationRecord> {
    const file = explanationFile(explanation, this.incident, this.heal, this.record.explanations.length + 1, this.names);
    await writeFileAtomically(join(this.outDir, 'explanations'), `${file.name}.yaml`, file.text);
    const replay = await replays(file, explanation, this.incident);
    const { results, ...check } = checkScenarioRun(replay.run, this.record.certify);
    const run: CheckedScenarioRun = { ...replay.run, ...check };
    await writeFileAtomically(join(this.outDir, 'runs'), `${file.name}.json`, `${JSON.stringify(run)}\n`);
    const entry: ExplanationRecord = {
      name: file.name,
      tracker: explanation.tracker,
      mechanism: explanation.mechanism,
      shown: explanation.shown,
      schedule: describeSchedule(explanation.schedule),
      events: explanation.schedule.events.length,
      eventFacts: factsOfEvents(this.incident, explanation.schedule.events),
      support: explanation.support,
      found: explanation.found,
      shrinkSteps: explanation.shrinkSteps,
      file: file.path,
      page: `${file.name}.html`,
      replayed: replay.ok,
      certificate: explanation.certificate.map((entry) => ({ variant: entry.variant, kind: 'model', showsTruth: entry.showsTruth, trace: entry.trace, violations: entry.violations })),
    };
    this.record.explanations.push(entry);
    this.views.push({ explanation: entry, run, results });
    await this.save();
    return entry;
  }

  /** Add the real trackers' verdicts to an explanation's certificate (`--certify-real`). */
  async certifyReal(entry: ExplanationRecord, real: readonly CertificateRecord[]): Promise<void> {
    entry.certificate.push(...real);
    await this.save();
  }

  /** The figures, what was tried, the status, and the pages. Returns the path of index.html. */
  async finish(result: Pick<SearchResult, 'schedules' | 'elapsedMs' | 'firstExplanationMs' | 'misses' | 'traces' | 'explanations'>, status: 'complete' | 'interrupted'): Promise<string> {
    this.record.status = status;
    this.record.stats = { schedules: result.schedules, elapsedMs: result.elapsedMs, schedulesPerSecond: result.elapsedMs > 0 ? (result.schedules * 1000) / result.elapsedMs : 0, ...(result.firstExplanationMs !== undefined ? { firstExplanationMs: result.firstExplanationMs } : {}) };
    this.record.tried = { misses: result.misses, traces: result.traces };
    // support is counted to the end of the search: the records written as explanations came hold the count of then
    for (const entry of this.record.explanations) entry.support = result.explanations.find((explanation) => explanation.mechanism === entry.mechanism)?.support ?? entry.support;
    await this.save();
    const pageRecord = this.pageRecord();
    for (const view of this.views) await writeFileAtomically(this.outDir, view.explanation.page, renderScenarioPage(pageRecord, view.run));
    await writeFileAtomically(this.outDir, 'index.html', renderReproducePage(this.record, this.views));
    return join(this.outDir, 'index.html');
  }

  get snapshot(): ReproduceRecord {
    return this.record;
  }

  private async save(): Promise<void> {
    await writeFileAtomically(this.outDir, 'reproduce.json', `${JSON.stringify(this.record, null, 1)}\n`);
  }

  /** The explanations' runs as a run record, for their scenario pages. */
  private pageRecord(): RunRecord {
    return simulatedRunRecord(this.views, { startedAt: this.record.startedAt, metadata: { reproduced: `${this.record.incident.name}, seed ${this.record.seed}` }, variants: this.record.certify });
  }
}
