/**
 * The run record: everything a run saw, per scenario run in three lanes (faults applied, the
 * truth, and each variant's writes, alerts and polls), and the verdicts the checks gave. The
 * runner produces `ScenarioRun`s, the checks add `ScenarioCheck`s, the store writes both as they
 * come (docs/reports.md, "files"), and reports and offline re-checks read only this.
 */
import type { TrackerTiming } from '../models/timing.ts';
import type { Expectation, ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import type { ShardRecord } from './shard.ts';
import type { TruthEntry } from './truth.ts';

export const RUN_FORMAT = 'statuschaos.run/2';

export type Verdict = 'pass' | 'fail' | 'unchecked' | 'inconclusive';

export interface Result {
  scenario: string;
  variant: string;
  /** the console application (job) the trace belongs to */
  app: string;
  seed: number;
  /** console states written, consecutive repeats collapsed */
  trace: string[];
  verdict: Verdict;
  /** why the verdict is not pass: broken rules, or missing evidence of a fault */
  failures: string[];
  divergence?: { index: number; expected: string[]; got: string | undefined };
  alerts: number;
  /** the tracker itself broke (did not start, crashed, printed garbage): why; the verdict is inconclusive */
  trackerFailed?: string;
}

export interface FaultLaneEntry {
  t: number;
  kind: 'fault.applied' | 'fault.removed' | 'action';
  id: string;
  name: string;
  target?: string;
  toxic?: string;
  action?: string;
}

export interface PollEntry {
  t: number;
  call: string;
  target: 'apiserver' | 'flink-rest' | 'local';
  /** ok, or how it failed: refused, reset, closed, timeout, http, invalid */
  outcome: string;
  ms: number;
}

export interface VariantLane {
  writes: { t: number; app: string; state: string; tracking: 0 | 1; cause: string }[];
  alerts: { t: number; app: string; state: string }[];
  polls: PollEntry[];
  /** everything else the tracker reported (published, untracked, ignored, restarted, …) */
  events: ({ t: number; type: string } & Record<string, unknown>)[];
  /** the tracker broke: when, why, and the tail of its stderr */
  failure?: { t: number; reason: string; detail?: string };
}

/** What ran in a lane: the tracker's system (whose states it writes), role and kind, and what really ran. */
export interface TrackerInfo {
  system: string;
  role: string;
  kind: 'model' | 'process';
  /** its expectation is its model's (the scenario names no expectation of its own) */
  expectationOf?: string;
  /** what the tracker said it is (a process's hello) */
  version?: string;
}

export interface Lanes {
  faults: FaultLaneEntry[];
  truth: TruthEntry[];
  variants: Record<string, VariantLane>;
  /** per fault id: what the harness's own request through the fault saw (empty: unharmed) */
  canaries: Record<string, string[]>;
}

/** One scenario at one seed, as the runner observed it. */
export interface ScenarioRun {
  file: string;
  name: string;
  description: string;
  seed: number;
  durationMs: number;
  settledAtMs: number;
  timeScale: number;
  /** the trackers' timing (scenario ms): the oracles' bounds come from it */
  timing: TrackerTiming;
  faults: ScheduledFault[];
  actions: ScheduledAction[];
  expect: Partial<Record<string, Expectation>>;
  discriminates: boolean;
  apps: string[];
  /** per variant: what ran (absent in runs stored before trackers were plug-ins: each was a StreamPark model) */
  trackers?: Record<string, TrackerInfo>;
  lanes: Lanes;
  /** the backend failed during the run: what happened */
  error?: string;
  wallMs: number;
  /** what the backend said about itself (versions, namespace, endpoints) */
  metadata: Record<string, string>;
  /** wall time of setting up (cluster, workload), running the timeline, and cleaning up */
  phases: { setupMs: number; runMs: number; teardownMs: number };
  /** live backends: how late the run's timers fired (check/lateness.ts judges a failure against it) */
  lateness?: TimerLateness;
}

/** How late a live run's timers fired against when they were due, in scenario ms. */
export interface TimerLateness {
  /** the latest firing */
  maxMs: number;
  /** scenario time that firing was due */
  worstAtMs: number;
  /** timers that fired */
  fired: number;
}

/** What the checks concluded about one scenario run. */
export interface ScenarioCheck {
  results: Result[];
  warnings: string[];
  /** per fault and action id: what showed it took effect (empty: no trace of it) */
  evidence: Record<string, string[]>;
}

/** A scenario run with its check, as stored in `runs/<id>.json` and shown in reports. */
export type CheckedScenarioRun = ScenarioRun & Omit<ScenarioCheck, 'results'>;

export interface RunSummary {
  pass: number;
  fail: number;
  unchecked: number;
  inconclusive: number;
  warnings: number;
  /** scenario runs finished */
  scenarioRuns: number;
}

/** What a run was: everything in run.json but the per-scenario outcomes. */
export interface RunHeader {
  format: typeof RUN_FORMAT;
  tool: { name: string; version: string };
  backend: string;
  startedAt: string;
  metadata: Record<string, string>;
  timing: { profile: string; scale: number };
  variants: string[];
  /** present when the run is one shard of a bigger one (`--shard i/n`); `statuschaos merge` joins them */
  shard?: ShardRecord;
}

/**
 * A run as reports read it: the header, the summary over every scenario run, and the scenario
 * runs whose lanes were kept (every one, unless the run was too big: docs/limits.md) with their
 * results.
 */
export interface RunRecord extends RunHeader {
  /** running: still being written (or the process died); complete; interrupted (Ctrl-C, SIGTERM) */
  status: 'running' | 'complete' | 'interrupted';
  summary: RunSummary;
  results: Result[];
  scenarios: CheckedScenarioRun[];
  /** scenario runs counted in the summary whose lanes were not kept */
  notShown: number;
  /** per scenario, over every seed it ran with (read from results.jsonl; absent on records built in memory) */
  tally?: ScenarioTally[];
}

/** How one scenario did over all its runs (seeds): per variant, how many runs ended in each verdict (its worst over the jobs). */
export interface ScenarioTally {
  name: string;
  runs: number;
  variants: Record<string, Record<Verdict, number> & { failedSeeds: number[] }>;
}

/** One line of results.jsonl. */
export interface ResultsLine {
  id: string;
  name: string;
  seed: number;
  /** runs/<id>.json holds its lanes */
  kept: boolean;
  warnings: number;
  results: Result[];
  /** the scenario file and the run's wall time (for junit.xml; absent in runs stored before) */
  file?: string;
  wallMs?: number;
}

/** run.json as stored: the header, how the run ended, and its summary. */
export type RunFile = RunHeader & { status: RunRecord['status']; summary: RunSummary };
