/**
 * explore.json as a schema, so `statuschaos merge` refuses a hand-edited or foreign shard of an
 * exploration naming the field (exit 2) instead of merging it (`occurrences: -5` was summed in).
 */
import { z } from 'zod';
import { VARIANT_NAMES } from '../models/registry.ts';
import { LIMITS } from '../scenario/limits.ts';
import { ORACLE_NAMES } from '../scenario/oracle-names.ts';
import { EXPLORE_FORMAT } from './explore-record.ts';

const count = z.number().int().min(0);
const time = z.number().min(0);
/** Schedules per batch of the explorer (explore/batch.ts; the record layer cannot import it). */
const BATCH_SIZE = 32;

const found = z.object({
  batch: count.max(LIMITS.exploreSchedules / BATCH_SIZE - 1),
  batchSeed: z.number().int().min(-0x80000000).max(0x7fffffff),
  index: count.max(BATCH_SIZE - 1),
  schedule: count.min(1),
  afterMs: time,
});

const finding = z.looseObject({
  signature: z.string().max(1_000),
  variant: z.enum(VARIANT_NAMES),
  oracle: z.enum(ORACLE_NAMES),
  message: z.string().max(10_000),
  occurrences: z.number().int().min(1, { error: 'Expected `occurrences` to be a whole number ≥ 1: a finding showed at least once' }),
  found,
  original: z.string(),
  shrunk: z.string(),
  events: count,
  shrinkSteps: count,
  file: z.string().regex(/^findings\/finding-[a-z0-9-]+\.yaml$/, { error: 'Expected `file` to be findings/finding-<name>.yaml' }),
  page: z.string().regex(/^finding-[a-z0-9-]+\.html$/, { error: 'Expected `page` to be finding-<name>.html' }),
  replayed: z.boolean(),
  notShrunk: z.literal(true).optional(),
  certificate: z.array(z.object({ variant: z.enum(VARIANT_NAMES), holds: z.boolean(), violation: z.string().optional() })),
  traces: z.record(z.string(), z.record(z.string(), z.array(z.string()))),
  confirmed: z.object({ backend: z.string(), runs: count, reproduced: count, notes: z.array(z.string()) }).optional(),
});

export const exploreFileSchema = z.looseObject({
  format: z.literal(EXPLORE_FORMAT, { error: (issue) => `is not a statuschaos exploration (format ${JSON.stringify(issue.input) ?? 'missing'}, expected ${EXPLORE_FORMAT})` }),
  tool: z.object({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  seed: count.max(LIMITS.seedMax),
  budget: z.object({ runs: count.min(1).max(LIMITS.exploreSchedules).optional(), ms: z.number().positive().max(LIMITS.budgetMs).optional() }),
  shard: z.object({ index: count, count: count.min(1).max(LIMITS.shards) }).refine((shard) => shard.index < shard.count, { error: 'Expected `shard.index` to be below `shard.count`' }).optional(),
  merged: z.object({ shards: count.min(1) }).optional(),
  variants: z.array(z.enum(VARIANT_NAMES)).min(1),
  oracles: z.array(z.object({ name: z.enum(ORACLE_NAMES), boundMs: z.number().positive().optional() })).min(1),
  status: z.enum(['running', 'complete', 'interrupted']),
  stats: z.object({ schedules: count, elapsedMs: time, schedulesPerSecond: time, unjudged: count.optional() }),
  findings: z.array(finding).max(10_000),
});
