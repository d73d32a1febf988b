/**
 * What `statuschaos explore` found (`explore.json`): the exploration's settings and figures, and
 * each finding — a minimal fault schedule that made a variant break an oracle — with where it
 * was found, its scenario file, and which variants hold on the same schedule.
 */
import type { OracleRequest } from '../scenario/oracle-names.ts';

export const EXPLORE_FORMAT = 'statuschaos.explore/1';

/** Where a finding was first seen: its batch in the seed space, fast-check's seed and path to replay it, and when. */
export interface FoundAt {
  /** the batch's number in the run's seed space (the same whatever the shards or threads) */
  batch: number;
  batchSeed: number;
  index: number;
  /** the schedule's number in the seed space: batch × 32 + index + 1 */
  schedule: number;
  afterMs: number;
}

export interface FindingRecord {
  /** variant · oracle · shape of the first divergence */
  signature: string;
  variant: string;
  oracle: OracleRequest['name'];
  /** the violation on the shrunk schedule, in words */
  message: string;
  /** in how many of the explored schedules the signature showed (the first included) */
  occurrences: number;
  found: FoundAt;
  /** the original and the shrunk schedule, one line each */
  original: string;
  shrunk: string;
  events: number;
  shrinkSteps: number;
  /** the scenario file (relative to the output folder) and its page */
  file: string;
  page: string;
  /** the file was run again and gave the same traces and the same violation */
  replayed: boolean;
  /** the exploration was stopped (Ctrl-C, the budget) before this violation was shrunk: the file holds the schedule it showed on, not run again */
  notShrunk?: true;
  /** per variant: does it hold this oracle on the shrunk schedule? */
  certificate: { variant: string; holds: boolean; violation?: string }[];
  /** per variant and job: the console trace on the shrunk schedule */
  traces: Record<string, Record<string, string[]>>;
  /** `--confirm`: how often it reproduced on a live backend */
  /** `--confirm`: how often the finding showed again on a live backend; with `tracker`, by that real tracker (StreamPark's own code) in the model's place */
  confirmed?: { backend: string; runs: number; reproduced: number; notes: string[]; tracker?: string; version?: string };
}

export interface ExploreRecord {
  format: typeof EXPLORE_FORMAT;
  tool: { name: string; version: string };
  startedAt: string;
  seed: number;
  budget: { runs?: number; ms?: number };
  /** `--shard i/n` (index from 0) */
  shard?: { index: number; count: number };
  /** written by `statuschaos merge` from this many shards */
  merged?: { shards: number };
  variants: string[];
  oracles: OracleRequest[];
  /** running while exploring; complete; interrupted (Ctrl-C, SIGTERM: what was found is kept) */
  status: 'running' | 'complete' | 'interrupted';
  /** `unjudged`: stops the oracles could not judge, their detection deadline beyond the longest run allowed (check/stops.ts) */
  stats: { schedules: number; elapsedMs: number; schedulesPerSecond: number; unjudged: number };
  findings: FindingRecord[];
}
