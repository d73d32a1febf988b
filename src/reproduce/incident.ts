/**
 * An incident after loading: every time in scenario milliseconds after `start`, defaults filled
 * in, plain data (it is sent to worker threads as it is). incident-load.ts makes it from a file.
 */
import type { ActionName, Listed } from '../scenario/schema.ts';
import type { Target } from '../scenario/toxics.ts';
import type { ScheduleApp } from '../explore/schedule.ts';
import type { IncidentClock } from '../scenario/incident-clock.ts';
import type { NetworkKind, Truth } from './incident-schema.ts';

/** A span of scenario time: something began at or after `fromMs` and ended by `toMs`. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

interface FactBase {
  window: TimeWindow;
  /** false: it may have happened (certainty: maybe) */
  sure: boolean;
  /** a label for the report: what the file says */
  label: string;
  /** the fact's line in the incident file */
  line: number | undefined;
}

export type KnownFact =
  | (FactBase & { fact: 'jobmanager-restart'; reason?: string; downtimeMs?: number })
  | (FactBase & { fact: 'pod-eviction'; listed?: Listed; downtimeMs?: number })
  | (FactBase & { fact: 'pod-deletion'; downtimeMs?: number })
  | (FactBase & { fact: 'console-restart'; downtimeMs?: number })
  | (FactBase & { fact: 'network'; targets: Target[]; kind: NetworkKind });

/** Roughly when a state was first shown. */
export interface ObservedTime {
  /** a console state of the tracker's system */
  state: string;
  atMs: number;
  toleranceMs: number;
  line: number | undefined;
}

export interface Incident {
  file: string;
  name: string;
  description: string;
  /** the trackers the incident may have run: the one it names, else every variant */
  trackers: string[];
  /** the tracker the file names, if any */
  namedTracker: string | undefined;
  mode: 'application' | 'session';
  app: ScheduleApp;
  clock: IncidentClock;
  /** the end of the observation: the trace is the one written up to here */
  endMs: number;
  observed: {
    trace: string;
    ignore: string[];
    /** the console row (job) the trace is of */
    job: string;
    times: ObservedTime[];
  };
  truth: Truth;
  known: KnownFact[];
  nothingElse: boolean;
  never: ActionName[];
}

/** The action a fact is, in the scenario vocabulary. */
export const FACT_ACTIONS = {
  'jobmanager-restart': 'restart-jobmanager',
  'pod-eviction': 'evict-jobmanager-pod',
  'pod-deletion': 'delete-jobmanager-pod',
  'console-restart': 'restart-tracker',
} as const satisfies Record<Exclude<KnownFact['fact'], 'network'>, ActionName>;

/** The actions that end the job, and what each makes the truth. */
export const ENDING_ACTIONS: Readonly<Partial<Record<ActionName, Truth>>> = { 'fail-job': 'failed', 'finish-job': 'finished', 'cancel-from-console': 'canceled', 'delete-deployment': 'unknown', 'crash-loop-jobmanager': 'unknown' };
