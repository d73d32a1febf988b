/**
 * The report's colours and symbols, in one place so every page, lane and legend agrees: a colour
 * per kind of state (from its meaning), one per verdict, poll outcome and fault target.
 * Verdicts always carry a symbol and a word as well, never colour alone.
 */
import type { Verdict } from '../../check/expectations.ts';
import { FLINK_JOB_STATUS } from '../../systems/flink.ts';
import type { FlinkEnd, Phase, StateMeaning, TrackerSystem } from '../../systems/system.ts';

export interface Swatch {
  fill: string;
  /** text written on the fill */
  ink: string;
}

const GREEN: Swatch = { fill: '#2f9e58', ink: '#ffffff' };
const RED: Swatch = { fill: '#d33f3f', ink: '#ffffff' };
const NEUTRAL: Swatch = { fill: '#8a8f98', ink: '#ffffff' };

// Live is green, a failure red, an end that names nothing amber, ended by intent neutral, coming
// up blue, going down pink, "no news" grey: each state's colour follows what its system says it
// means (src/systems/), so a new system's states need no colour of their own.
const ENDS: Readonly<Record<FlinkEnd, Swatch>> = { FAILED: RED, CANCELED: { fill: '#8c8479', ink: '#ffffff' }, FINISHED: NEUTRAL };
const VAGUE_END: Swatch = { fill: '#e3a21a', ink: '#2b1d00' };
const PHASES: Readonly<Record<Phase, Swatch>> = {
  starting: { fill: '#5b8fd6', ink: '#ffffff' },
  ending: { fill: '#e9807a', ink: '#3b0d0b' },
  unknown: { fill: '#b7bcc4', ink: '#1f2329' },
};

/** The colour of a state, from what it means. */
export function meaningSwatch(meaning: StateMeaning): Swatch {
  if (meaning.claim === 'live') return GREEN;
  if (meaning.claim === 'over') return meaning.names === undefined ? VAGUE_END : ENDS[meaning.names];
  return PHASES[meaning.phase ?? 'unknown'];
}

/** The colour of a console state of a system. */
export function consoleSwatch(system: TrackerSystem, state: string): Swatch {
  return meaningSwatch(system.meaning(state));
}

// The truth's own words for a job that Flink does not report on (check/job-truth.ts).
const TRUTH_WORDS: Readonly<Record<string, Swatch>> = {
  /** Flink lists no job (the JobManager is coming back) */
  'not listed': { fill: '#e6e8eb', ink: '#4a5058' },
  /** the JobManager is away and will come back by itself */
  recovering: { fill: '#c9d9ef', ink: '#1d3a63' },
  /** the JobManager has been away beyond the detection bound, will not come back, or its deployment is gone */
  down: { fill: '#4a5058', ink: '#ffffff' },
  vanished: { fill: '#4a5058', ink: '#ffffff' },
};

/** The colour of a job state in the truth's job lane: Flink's JobStatus, or the truth's own words. */
export function jobSwatch(state: string): Swatch {
  return TRUTH_WORDS[state] ?? consoleSwatch(FLINK_JOB_STATUS, state);
}

// Diagram order: live first, then no news, coming up, going down, ends.
const RANKS: readonly ((meaning: StateMeaning) => boolean)[] = [
  (meaning) => meaning.claim === 'live',
  (meaning) => meaning.claim === 'none' && meaning.phase === 'unknown',
  (meaning) => meaning.claim === 'none' && meaning.phase === 'starting',
  (meaning) => meaning.claim === 'none',
  (meaning) => meaning.claim === 'over' && meaning.names === undefined,
  (meaning) => meaning.names === 'FAILED',
  (meaning) => meaning.names === 'CANCELED',
];

/** Sort key for laying states out left to right, from what they mean (ties: alphabetically, by the caller). */
export function stateRank(meaning: StateMeaning): number {
  const index = RANKS.findIndex((test) => test(meaning));
  return index === -1 ? RANKS.length : index;
}

export interface VerdictStyle {
  symbol: string;
  word: string;
  swatch: Swatch;
}

/** Symbol, word and colour of a verdict (the symbol and word make it readable without colour). */
export const VERDICT_STYLES: Readonly<Record<Verdict, VerdictStyle>> = {
  pass: { symbol: '✓', word: 'pass', swatch: { fill: '#dff3e5', ink: '#135c2e' } },
  fail: { symbol: '✗', word: 'fail', swatch: { fill: '#fbe0df', ink: '#8a1c1c' } },
  unchecked: { symbol: '·', word: 'unchecked', swatch: { fill: '#eceef1', ink: '#4a5058' } },
  inconclusive: { symbol: '?', word: 'inconclusive', swatch: { fill: '#fdf0cf', ink: '#6b4a00' } },
};

export type PollClass = 'ok' | 'refused' | 'timeout' | 'reset' | 'other';

/** Poll outcomes as drawn: ok, refused, timeout, reset (reset or closed by the peer), other (http, invalid, …). */
export function pollClass(outcome: string): PollClass {
  if (outcome === 'ok' || outcome === 'refused' || outcome === 'timeout') return outcome;
  if (outcome === 'reset' || outcome === 'closed') return 'reset';
  return 'other';
}

/** Tick colour per poll outcome. */
export const POLL_COLORS: Readonly<Record<PollClass, string>> = {
  ok: '#9fb8a6',
  refused: '#d33f3f',
  timeout: '#e08a00',
  reset: '#8e44ad',
  other: '#3a3f47',
};

/** Fault band colours per target (unknown targets get grey). */
export function targetColor(target: string | undefined): { band: string; edge: string; ink: string } {
  if (target === 'apiserver') return { band: '#f6c453', edge: '#c98f00', ink: '#5a3f00' };
  if (target === 'flink-rest') return { band: '#c9a7e8', edge: '#8e5cc2', ink: '#3d1f5c' };
  if (target === 'etcd') return { band: '#f2a97e', edge: '#c0602a', ink: '#5a2a0a' };
  return { band: '#cfd3d8', edge: '#8a8f98', ink: '#1f2329' };
}

/** Truth-lane colours for the deployment, pod and REST lanes (keyed by the segment value). */
export function truthSwatch(value: string): Swatch {
  if (value === 'exists' || value === 'serving' || value.startsWith('Running · ready')) return { fill: '#cfe9d7', ink: '#135c2e' };
  if (value === 'gone' || value === 'none') return { fill: '#4a5058', ink: '#ffffff' };
  if (value === 'down' || value === 'vanished') return { fill: '#f3c9c7', ink: '#7a1a1a' };
  if (value.startsWith('Running')) return { fill: '#fbe3b0', ink: '#5a3f00' };
  if (value.startsWith('Pending')) return { fill: '#f8d58a', ink: '#5a3f00' };
  return jobSwatch(value);
}
