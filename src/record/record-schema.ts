/**
 * The stored run's files as schemas, so that `statuschaos report` on a partial, hand-edited or
 * foreign run folder says which file, line and field is wrong (exit 2) instead of failing deep
 * inside the checks or the report. Ids become file names: they are checked to be plain names.
 */
import { z } from 'zod';
import { TRACKER_NAMES } from '../trackers/registry.ts';
import { ACTIONS } from '../scenario/schema.ts';
import { LIMITS } from '../scenario/limits.ts';
import { ORACLE_NAMES } from '../scenario/oracle-names.ts';
import { TARGETS, TOXIC_TYPES } from '../scenario/toxics.ts';
import { TIMING_FIELDS } from '../models/timing.ts';
import { parsePattern } from '../scenario/trace-pattern.ts';
import { RUN_FORMAT } from './run-record.ts';

/** The message for a file that is no run record at all (reported alone, without the problems that follow from it). */
export const NOT_A_RUN = 'is not a statuschaos run record';

const count = z.number().int().min(0);
const time = z.number().min(0);
const seed = z.number().int().min(0).max(LIMITS.seedMax);
const strings = z.array(z.string());
const texts = z.record(z.string(), z.string());

/** A scenario run's file-name id: what scenarioRunId makes (never a path). */
export const RUN_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const divergence = z.object({ index: count, expected: strings, got: z.string().optional() });

export const resultSchema = z.object({
  scenario: z.string(),
  variant: z.string(),
  app: z.string(),
  seed,
  trace: strings,
  verdict: z.enum(['pass', 'fail', 'unchecked', 'inconclusive']),
  failures: strings,
  divergence: divergence.optional(),
  alerts: count,
  trackerFailed: z.string().optional(),
});

const shardRecord = z
  .object({ index: count.min(1), count: count.min(1).max(LIMITS.shards), fingerprint: z.string(), positions: count, totalPositions: count })
  .refine((shard) => shard.index <= shard.count && shard.positions <= shard.totalPositions, { error: 'Expected `shard` to have index ≤ count and positions ≤ totalPositions' });

export const runFileSchema = z.looseObject({
  format: z.literal(RUN_FORMAT, { error: (issue) => `${NOT_A_RUN} (format ${JSON.stringify(issue.input) ?? 'missing'}, expected ${RUN_FORMAT})` }),
  tool: z.object({ name: z.string(), version: z.string() }),
  backend: z.string(),
  startedAt: z.string(),
  metadata: texts,
  timing: z.object({ profile: z.string(), scale: z.number().positive() }),
  variants: z.array(z.string()).max(100),
  status: z.enum(['running', 'complete', 'interrupted']),
  summary: z.object({ pass: count, fail: count, unchecked: count, inconclusive: count, warnings: count, scenarioRuns: count }),
  shard: shardRecord.optional(),
});

export const resultsLineSchema = z.looseObject({
  id: z.string().regex(RUN_ID, { error: 'Expected `id` to be a file-name id like `incident-3618-1`' }),
  name: z.string(),
  seed,
  kept: z.boolean(),
  warnings: count,
  results: z.array(resultSchema),
  file: z.string().optional(),
  wallMs: time.optional(),
});

const oracle = z.object({ name: z.enum(ORACLE_NAMES), boundMs: time.optional() });

const expectation = z.looseObject({
  trace: z
    .string()
    .max(LIMITS.textChars)
    .refine((pattern) => {
      try {
        parsePattern(pattern);
        return true;
      } catch {
        return false;
      }
    }, { error: 'Expected `trace` to be a trace pattern (docs/scenarios.md)' })
    .optional(),
  ignore: strings,
  final: z.string().optional(),
  never: strings,
  withinMs: time.optional(),
  maxAlerts: count.optional(),
  oracles: z.array(oracle).max(ORACLE_NAMES.length * 2).default([]),
});

const fault = z.object({
  id: z.string(),
  atMs: time,
  untilMs: time.optional(),
  spec: z.object({ target: z.enum(TARGETS), toxic: z.enum(TOXIC_TYPES), stream: z.enum(['upstream', 'downstream']), toxicity: z.number().min(0).max(1), attributes: z.record(z.string(), z.number().min(0)) }),
  name: z.string(),
  line: z.number().int().optional(),
});

const action = z.looseObject({ id: z.string(), atMs: time, action: z.enum(ACTIONS), downtimeMs: time.optional(), reason: z.string().optional(), job: z.string().optional(), listed: z.enum(['first', 'last']).optional(), name: z.string(), line: z.number().int().optional() });

const podTruth = z.looseObject({ name: z.string(), phase: z.string(), restartCount: count, ready: z.boolean(), lastTerminated: z.string().optional(), reason: z.string().optional(), terminating: z.boolean().optional() });

const truthEntry = z.looseObject({
  t: time,
  deploymentExists: z.boolean(),
  pod: podTruth.optional(),
  pods: z.array(podTruth).optional(),
  restServing: z.boolean(),
  jobs: texts,
});

const variantLane = z.object({
  writes: z.array(z.object({ t: time, app: z.string(), state: z.string(), tracking: z.union([z.literal(0), z.literal(1)]), cause: z.string() })),
  alerts: z.array(z.object({ t: time, app: z.string(), state: z.string() })),
  polls: z.array(z.object({ t: time, call: z.string(), target: z.enum(['apiserver', 'flink-rest', 'local']), outcome: z.string(), ms: time })),
  events: z.array(z.looseObject({ t: time, type: z.string() })),
  failure: z.object({ t: time, reason: z.string(), detail: z.string().optional() }).optional(),
});

const trackerInfo = z.object({ system: z.string(), role: z.string(), kind: z.enum(['model', 'process']), expectationOf: z.string().optional(), version: z.string().optional() });

// Loose objects: a field added to the record later is kept when a run is read back, not silently dropped.
export const scenarioRunSchema = z.looseObject({
  file: z.string(),
  name: z.string(),
  description: z.string(),
  seed,
  durationMs: z.number().positive().max(LIMITS.durationMs, { error: `Expected \`durationMs\` to be at most ${LIMITS.durationMs} (an hour; docs/limits.md)` }),
  settledAtMs: time,
  timeScale: z.number().positive(),
  timing: z.looseObject({ ...(Object.fromEntries(TIMING_FIELDS.map((field) => [field, time])) as Record<(typeof TIMING_FIELDS)[number], typeof time>), flinkClientRetries: count }),
  faults: z.array(fault).max(LIMITS.timelineEntries),
  actions: z.array(action).max(LIMITS.timelineEntries),
  expect: z.partialRecord(z.enum(TRACKER_NAMES as [string, ...string[]]), expectation),
  discriminates: z.boolean(),
  apps: z.array(z.string()).min(1).max(LIMITS.jobs),
  trackers: z.record(z.string(), trackerInfo).optional(),
  lanes: z.object({
    faults: z.array(z.object({ t: time, kind: z.enum(['fault.applied', 'fault.removed', 'action']), id: z.string(), name: z.string(), target: z.string().optional(), toxic: z.string().optional(), action: z.string().optional() })),
    truth: z.array(truthEntry),
    variants: z.record(z.string(), variantLane),
    canaries: z.record(z.string(), strings),
  }),
  error: z.string().optional(),
  wallMs: time,
  metadata: texts,
  phases: z.object({ setupMs: time, runMs: time, teardownMs: time }),
  lateness: z.object({ maxMs: time, worstAtMs: z.number().finite(), fired: z.number().int().nonnegative() }).optional(),
  warnings: strings,
  evidence: z.record(z.string(), strings),
});
