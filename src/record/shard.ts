/**
 * Shards: one run split over n processes or machines (`--shard i/n`, numbered from 1 as in
 * Playwright and vitest). The split is round-robin over the run's positions (scenario × seed ×
 * repeat for `run`, the seed space for `explore`): position p belongs to shard (p mod n) + 1.
 * Round-robin rather than contiguous blocks because neighbouring positions are alike in cost (the
 * same scenario at the next seed), so every shard gets a similar mix; and a merge can rebuild the
 * run's order by reading the shards in turn, one line at a time.
 */
import { UserError } from '../errors/user-error.ts';
import { LIMITS } from '../scenario/limits.ts';

export interface Shard {
  /** 1 … count */
  index: number;
  count: number;
}

/** What run.json records about a shard, so a merge can check it has every part of one run. */
export interface ShardRecord extends Shard {
  /** hash of the run's inputs (tool version, backend, variants, timing, seeds, scenarios): equal in every shard of a run */
  fingerprint: string;
  /** positions this shard ran */
  positions: number;
  /** positions of the whole run, over all shards */
  totalPositions: number;
}

/** The whole run as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** `--shard i/n` parsed; a UserError (exit 2) that says the convention otherwise. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count || count > LIMITS.shards) {
    const zeroBased = match !== null && index === 0 && count >= 1;
    throw new UserError(`Expected \`--shard\` to be i/n with 1 ≤ i ≤ n ≤ ${LIMITS.shards}, got \`${text}\``, {
      hint: zeroBased
        ? 'shards count from 1, as in Playwright and vitest (1/n … n/n); from a Kubernetes Indexed Job pass $((JOB_COMPLETION_INDEX + 1))/n'
        : count > LIMITS.shards ? `at most ${LIMITS.shards} shards (docs/limits.md)` : 'e.g. --shard 1/4 … --shard 4/4: four processes that together run everything once',
    });
  }
  return { index, count };
}

/** The shard (1 … count) that position p of a run belongs to. */
export function shardOf(position: number, count: number): number {
  return (position % count) + 1;
}

/** Does `shard` run position p? */
export function inShard(position: number, shard: Shard): boolean {
  return shardOf(position, shard.count) === shard.index;
}

/** How many of `total` positions a shard runs. */
export function shardSize(total: number, shard: Shard): number {
  return Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count));
}

/** The positions of `total` that a shard runs, in order (lazily: the explorer's space may be huge). */
export function* shardPositions(total: number, shard: Shard): Generator<number> {
  for (let position = shard.index - 1; position < total; position += shard.count) yield position;
}

/** The items of a shard, in order: those whose position in `items` belongs to it. */
export function* takeShard<T>(items: Iterable<T>, shard: Shard): Generator<T> {
  let position = 0;
  for (const item of items) if (inShard(position++, shard)) yield item;
}

/** `i/n`, as the flag takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
