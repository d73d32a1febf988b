/**
 * What run.json says about a shard: which one, and a fingerprint of the run's inputs, so that
 * `statuschaos merge` accepts only shards of one run (record/merge-shards.ts).
 */
import { createHash } from 'node:crypto';
import { RUN_FORMAT } from '../record/run-record.ts';
import { shardSize, type Shard, type ShardRecord } from '../record/shard.ts';
import type { RunOptions } from '../runner/run.ts';
import { TOOL } from '../tool.ts';

/**
 * A hash of everything that decides a run's results: tool and format version, backend, variants,
 * timing, seeds, repeats and every scenario as loaded (its file path included: it is in the
 * output). Two shards with the same fingerprint ran parts of the same run.
 */
export function runFingerprint(options: Pick<RunOptions, 'backend' | 'variants' | 'profile' | 'seed' | 'repeat' | 'scenarios'>): string {
  const inputs = { format: RUN_FORMAT, tool: TOOL, backend: options.backend.name, variants: options.variants, profile: options.profile ?? null, seed: options.seed ?? null, repeat: options.repeat, scenarios: options.scenarios };
  return `sha256:${createHash('sha256').update(JSON.stringify(inputs)).digest('hex')}`;
}

/** The run.json `shard` entry of a shard of a run with `totalPositions` scenario runs. */
export function shardRecord(options: Parameters<typeof runFingerprint>[0], shard: Shard, totalPositions: number): ShardRecord {
  return { index: shard.index, count: shard.count, fingerprint: runFingerprint(options), positions: shardSize(totalPositions, shard), totalPositions };
}
