/**
 * The one range check of every numeric flag, shared by every command that takes it (`run`,
 * `explore`, `job render`, and their STATUSCHAOS_* variables): a value outside its range is
 * refused with exit 2, never folded, wrapped or clamped (docs/limits.md).
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors/user-error.ts';
import { parseDuration } from '../scenario/duration.ts';
import { LIMITS } from '../scenario/limits.ts';

interface Range {
  min: number;
  max: number;
  /** why the bound is where it is (the refusal's hint) */
  why: string;
}

/** Threads beyond the cores only compete for them (a simulation is CPU-bound; a live run's timers would fire late). */
const cores = availableParallelism();

export const NUMBER_FLAGS = {
  seed: { min: 0, max: LIMITS.seedMax, why: 'seeds are 32-bit: the generator takes exactly 32 bits (docs/limits.md)' },
  repeat: { min: 1, max: LIMITS.repeat, why: 'see docs/limits.md' },
  workers: { min: 1, max: cores, why: `this machine has ${cores} core(s); more threads than cores only compete for them (docs/scaling.md)` },
  /** `job render --workers`: threads in each pod, and the CPUs it requests */
  podWorkers: { min: 1, max: LIMITS.podWorkers, why: `a pod asks for as many CPUs; ${LIMITS.podWorkers} is more than a node usually has (docs/limits.md)` },
  shards: { min: 1, max: LIMITS.shards, why: 'see docs/limits.md' },
  parallelism: { min: 1, max: LIMITS.shards, why: 'pods at once, at most the shards (docs/limits.md)' },
  runs: { min: 1, max: LIMITS.exploreSchedules, why: `the explorer's seed space holds ${LIMITS.exploreSchedules} schedules` },
  'confirm-runs': { min: 1, max: LIMITS.confirmRuns, why: 'each is a live run of a few minutes (docs/limits.md)' },
} as const satisfies Record<string, Range>;

export type NumberFlag = keyof typeof NUMBER_FLAGS;

/** The flag's value as a whole number in its range; a UserError (exit 2) naming the range otherwise; undefined when not given. */
export function numberFlag(name: NumberFlag, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const { min, max, why } = NUMBER_FLAGS[name] as Range;
  const flag = name === 'podWorkers' ? 'workers' : name;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UserError(`Expected \`--${flag}\` to be a whole number from ${min} to ${max}, got \`${text}\``, { hint: why });
  return value;
}

/** `--budget`: a positive duration of at most a week (the explorer's wall time). */
export function budgetFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text.trim());
  if (ms === undefined || ms <= 0 || ms > LIMITS.budgetMs) throw new UserError(`Expected \`--budget\` to be a positive duration of at most ${LIMITS.budgetMs / 3_600_000} h like \`60s\`, \`30m\` or \`2h\`, got \`${text}\``, { hint: 'units: ms, s, m, h (docs/limits.md)' });
  return ms;
}
