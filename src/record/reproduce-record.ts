/**
 * What `statuschaos reproduce` found (`reproduce.json`): the incident as it was understood, what
 * the search tried, and each explanation — a minimal fault schedule in which the tracker writes
 * the observed trace while the truth is what the engineer says — with its mechanism, its scenario
 * file, how many schedules support it, and the fix certificate.
 */
import type { IncidentClock } from '../scenario/incident-clock.ts';
import type { FoundAt } from './explore-record.ts';

export const REPRODUCE_FORMAT = 'statuschaos.reproduce/1';

export interface IncidentRecord {
  file: string;
  name: string;
  description: string;
  /** the tracker the incident names (absent: every variant was tried) */
  tracker?: string;
  truth: string;
  /** the incident's clock, so that pages write times as the engineer does */
  clock: IncidentClock;
  endMs: number;
  observed: { trace: string; ignore: string[]; job: string; times: { state: string; atMs: number; toleranceMs: number }[] };
  known: { fact: string; label: string; fromMs: number; toMs: number; sure: boolean }[];
  nothingElse: boolean;
  never: string[];
}

export interface CertificateRecord {
  variant: string;
  /** a model of this harness (on the simulation), or a real tracker (StreamPark's own code, on the local control plane: `--certify-real`) */
  kind: 'model' | 'real';
  /** it held the truth oracles (truthful, converges) on the explanation's schedule */
  showsTruth: boolean;
  trace: string[];
  violations: string[];
  /** a real tracker: what ran (its version line) */
  version?: string;
  /** a real tracker that broke off: why (no verdict: `showsTruth` is false) */
  failure?: string;
}

export interface ExplanationRecord {
  /** the explanation's name: its file's and page's */
  name: string;
  tracker: string;
  /** the tracker and why each state was written: `v2.1.3 · FAILED ← a failed deployment list read as gone; no archive: FAILED` */
  mechanism: string;
  /** each state the tracker showed to the end of the observation, when and why */
  shown: { state: string; t: number; cause: string }[];
  /** the shrunk schedule, one line, and its number of events */
  schedule: string;
  events: number;
  /** per event of the shrunk schedule (timeline entry i): the known fact it is (index in `incident.known`), or null: not known, added by the search */
  eventFacts: (number | null)[];
  /** how many schedules explained the incident by this mechanism */
  support: number;
  found: FoundAt;
  shrinkSteps: number;
  /** the scenario file (relative to the output folder) and its page */
  file: string;
  page: string;
  /** the file was run again and gave the same explanation */
  replayed: boolean;
  /** per variant: would it have shown the truth on the same schedule? */
  certificate: CertificateRecord[];
}

export interface ReproduceRecord {
  format: typeof REPRODUCE_FORMAT;
  tool: { name: string; version: string };
  startedAt: string;
  incident: IncidentRecord;
  seed: number;
  budget: { runs?: number; ms?: number };
  /** the trackers whose trace was matched, and the variants in each certificate */
  trackers: string[];
  certify: string[];
  /** running while searching; complete; interrupted (Ctrl-C, SIGTERM: what was found is kept) */
  status: 'running' | 'complete' | 'interrupted';
  stats: { schedules: number; elapsedMs: number; schedulesPerSecond: number; firstExplanationMs?: number };
  /** what the schedules that explained nothing did instead */
  tried: { misses: { truth: number; trace: number; times: number }; traces: Record<string, { trace: string; count: number }[]> };
  explanations: ExplanationRecord[];
}
