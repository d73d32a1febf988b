/**
 * The run record (`run.json`): everything a run saw, in three lanes per scenario (faults
 * applied, the truth, and each variant's writes, alerts and poll outcomes), plus the
 * `results` array of verdicts. Reports and offline re-checks read only this.
 */
import type { Verdict } from '../check/checker.ts';
import type { TruthEntry } from '../backends/truth.ts';
import type { Expectation, ScheduledAction, ScheduledFault } from '../scenario/types.ts';

export const RUN_FORMAT = 'statuschaos.run/1';

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
}

export interface ScenarioRun {
  file: string;
  name: string;
  description: string;
  seed: number;
  durationMs: number;
  settledAtMs: number;
  timeScale: number;
  faults: ScheduledFault[];
  actions: ScheduledAction[];
  expect: Partial<Record<string, Expectation>>;
  discriminates: boolean;
  apps: string[];
  lanes: { faults: FaultLaneEntry[]; truth: TruthEntry[]; variants: Record<string, VariantLane> };
  /** per fault id: what showed it took effect (empty: no trace of it) */
  evidence: Record<string, string[]>;
  warnings: string[];
  /** the backend failed during the run: what happened */
  error?: string;
  wallMs: number;
  /** what the backend said about itself (versions, namespace, endpoints) */
  metadata: Record<string, string>;
  /** wall time of setting up (cluster, workload), running the timeline, and cleaning up */
  phases: { setupMs: number; runMs: number; teardownMs: number };
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  tool: { name: string; version: string };
  backend: string;
  startedAt: string;
  metadata: Record<string, string>;
  timing: { profile: string; scale: number };
  variants: string[];
  results: Result[];
  scenarios: ScenarioRun[];
  summary: { pass: number; fail: number; unchecked: number; inconclusive: number; warnings: number };
}
