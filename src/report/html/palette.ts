/**
 * The report's colours and symbols, in one place so every page, lane and legend agrees: one
 * colour per console (and Flink) state, one per verdict, poll outcome and fault target.
 * Verdicts always carry a symbol and a word as well, never colour alone.
 */
import type { Verdict } from '../../check/expectations.ts';

export interface Swatch {
  fill: string;
  /** text written on the fill */
  ink: string;
}

const GREEN: Swatch = { fill: '#2f9e58', ink: '#ffffff' };
const RED: Swatch = { fill: '#d33f3f', ink: '#ffffff' };
const NEUTRAL: Swatch = { fill: '#8a8f98', ink: '#ffffff' };

// Live is green, wrong-or-ended red, "don't know" grey/amber, coming up blue, ended by intent neutral.
const STATE_SWATCHES: Readonly<Record<string, Swatch>> = {
  RUNNING: GREEN,
  FAILED: RED,
  FAILING: { fill: '#e9807a', ink: '#3b0d0b' },
  SILENT: { fill: '#b7bcc4', ink: '#1f2329' },
  LOST: { fill: '#e3a21a', ink: '#2b1d00' },
  OTHER: { fill: '#d5d8dd', ink: '#1f2329' },
  INITIALIZING: { fill: '#5b8fd6', ink: '#ffffff' },
  CREATED: { fill: '#86b0e6', ink: '#0d2344' },
  RESTARTING: { fill: '#3f6fb8', ink: '#ffffff' },
  STARTING: { fill: '#9cc2ee', ink: '#0d2344' },
  RECONCILING: { fill: '#7aa5dd', ink: '#0d2344' },
  K8S_INITIALIZING: { fill: '#5b8fd6', ink: '#ffffff' },
  CANCELLING: { fill: '#b9b2a6', ink: '#2a2620' },
  CANCELED: { fill: '#8c8479', ink: '#ffffff' },
  FINISHED: NEUTRAL,
  SUCCEEDED: NEUTRAL,
  KILLED: { fill: '#6f6a63', ink: '#ffffff' },
  TERMINATED: { fill: '#6f6a63', ink: '#ffffff' },
  POS_TERMINATED: { fill: '#6f6a63', ink: '#ffffff' },
  SUSPENDED: { fill: '#c4b5dd', ink: '#24173a' },
  /** truth: Flink lists no job (the JobManager is coming back) */
  'not listed': { fill: '#e6e8eb', ink: '#4a5058' },
  /** truth: the JobManager is away and will come back by itself (check/job-truth.ts) */
  recovering: { fill: '#c9d9ef', ink: '#1d3a63' },
  /** truth: the JobManager has been away beyond the detection bound, will not come back, or its deployment is gone */
  down: { fill: '#4a5058', ink: '#ffffff' },
};

const UNKNOWN_STATE: Swatch = { fill: '#cfd3d8', ink: '#1f2329' };

/** The colour of a console or Flink job state (unknown names get a light grey). */
export function stateSwatch(state: string): Swatch {
  return STATE_SWATCHES[state] ?? UNKNOWN_STATE;
}

// Diagram order: live first, then uncertain, coming up, ending, ended.
const STATE_ORDER = ['RUNNING', 'SILENT', 'RESTARTING', 'INITIALIZING', 'CREATED', 'STARTING', 'RECONCILING', 'OTHER', 'FAILING', 'CANCELLING', 'LOST', 'FAILED', 'CANCELED', 'FINISHED'];

/** Sort key for laying states out left to right (unknown states after the known, alphabetically). */
export function stateRank(state: string): number {
  const index = STATE_ORDER.indexOf(state);
  return index === -1 ? STATE_ORDER.length : index;
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
  return stateSwatch(value);
}
