/**
 * `statuschaos merge` for explorations: the folders of `explore --shard i/n` joined into the
 * folder the unsharded exploration would have written. A signature's finding is the one of the
 * earliest batch in the seed space that showed it, whichever shard ran it; its occurrences and the
 * schedules are summed. Each chosen finding is shrunk again here from its batch's seed and path,
 * with the findings of the same schedule chosen before it as siblings — exactly what one process
 * does — because a shard may have reused a sibling whose signature another shard found first.
 * Every folder is checked before anything is written (UserErrors naming the shard).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { UserError, UserErrors } from '../errors/user-error.ts';
import type { ExploreRecord, FindingRecord } from '../record/explore-record.ts';
import { exploreFileSchema } from '../record/explore-schema.ts';
import { readCheckedJson } from '../record/read-run.ts';
import { BATCH_SIZE, batchArbitrary, shrinkFinding, type BatchSettings, type Sibling } from './batch.ts';
import { evaluate, signatureOf } from './evaluate.ts';
import type { Finding } from './explore.ts';
import { ExploreWriter } from './output.ts';
import { healPhase } from './schedule.ts';

/** explore.json is rewritten after each finding; a shard's stays far below this. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

interface ShardExploration {
  dir: string;
  record: ExploreRecord & { shard: { index: number; count: number } };
}

const shardName = (input: ShardExploration) => `shard ${input.record.shard.index + 1}/${input.record.shard.count} (${input.dir})`;

/** Does the folder hold an exploration (explore.json) rather than a run? */
export async function isExploration(dir: string): Promise<boolean> {
  return stat(join(dir, 'explore.json')).then((info) => info.isFile(), () => false);
}

/** Merge the shard folders into `outDir` (claimed by the caller); returns the number of schedules and findings. */
export async function mergeExplorations(dirs: readonly string[], outDir: string, onProgress: (text: string) => void, signal?: AbortSignal): Promise<{ schedules: number; findings: number; index: string }> {
  const shards = await checkShards(dirs);
  const [first] = shards;
  const { seed, variants, oracles, budget } = first!.record;
  const heal = healPhase();
  const settings: BatchSettings = { variants, oracles, heal };
  const arbitrary = batchArbitrary(settings);

  // per signature: the earliest batch's finding, and its occurrences over every shard
  const chosen = new Map<string, { record: FindingRecord; order: number }>();
  const occurrences = new Map<string, number>();
  for (const input of shards) {
    for (const [order, record] of input.record.findings.entries()) {
      occurrences.set(record.signature, (occurrences.get(record.signature) ?? 0) + record.occurrences);
      const known = chosen.get(record.signature);
      if (known === undefined || record.found.batch < known.record.found.batch) chosen.set(record.signature, { record, order });
    }
  }
  const inOrder = [...chosen.values()].sort((a, b) => a.record.found.batch - b.record.found.batch || a.order - b.order).map((entry) => entry.record);

  const count = first!.record.shard.count;
  const writer = await ExploreWriter.create(outDir, { seed, budget: { ...(budget.runs !== undefined ? { runs: budget.runs * count } : {}), ...(budget.ms !== undefined ? { ms: budget.ms } : {}) }, variants, oracles, merged: { shards: count } }, heal);
  const accepted: (Sibling & { batch: number; index: number })[] = [];
  for (const [position, record] of inOrder.entries()) {
    if (signal?.aborted) break;
    onProgress(`[${position + 1}/${inOrder.length}] shrinking ${record.signature} again (batch ${record.found.batch}, path ${record.found.index})`);
    const original = fc.sample(arbitrary, { seed: record.found.batchSeed, numRuns: BATCH_SIZE })[record.found.index];
    const target = { variants: [record.variant], oracles: oracles.filter((oracle) => oracle.name === record.oracle), heal };
    const violation = original === undefined ? undefined : (await evaluate(original, target)).violations.find((candidate) => signatureOf(candidate) === record.signature);
    if (original === undefined || violation === undefined) throw new UserError(`${record.signature}: batch ${record.found.batch} path ${record.found.index} does not show it again`, { hint: 'the shards were written by another version of statuschaos than this one; merge with that version' });
    const siblings = accepted.filter((other) => other.index === record.found.index && other.batch === record.found.batch);
    const shrunk = await shrinkFinding({ signature: record.signature, violation, schedule: original, index: record.found.index }, record.found.batchSeed, arbitrary, settings, siblings, signal);
    if (shrunk === undefined) throw new UserError(`${record.signature}: its shrink did not reproduce it`, { hint: 'the shards were written by another version of statuschaos than this one' });
    accepted.push({ signature: shrunk.signature, schedule: shrunk.schedule, batch: record.found.batch, index: record.found.index });
    const { index: _index, reused: _reused, ...rest } = shrunk;
    const finding: Finding = { ...rest, occurrences: occurrences.get(record.signature) ?? record.occurrences, found: record.found };
    await writer.add(finding);
  }
  const schedules = shards.reduce((sum, input) => sum + input.record.stats.schedules, 0);
  const unjudged = shards.reduce((sum, input) => sum + (input.record.stats.unjudged ?? 0), 0);
  const elapsedMs = Math.max(...shards.map((input) => input.record.stats.elapsedMs));
  const index = await writer.finish({ schedules, elapsedMs, unjudged }, signal?.aborted ? 'interrupted' : 'complete');
  return { schedules, findings: writer.findings.length, index };
}

/** A shard's explore.json, bounded, read without following links, and checked field by field. */
function readExploration(dir: string): Promise<ExploreRecord> {
  return readCheckedJson(dir, 'explore.json', exploreFileSchema, 'a statuschaos exploration', MAX_RECORD_BYTES) as Promise<ExploreRecord>;
}

/** Every shard read and checked, in shard order; all problems at once. */
async function checkShards(dirs: readonly string[]): Promise<ShardExploration[]> {
  const problems: UserError[] = [];
  const inputs: ShardExploration[] = [];
  for (const dir of dirs) {
    const at = { location: { file: join(dir, 'explore.json') } };
    const record = await readExploration(dir).catch((error: unknown) => {
      if (!(error instanceof UserError)) throw error;
      problems.push(new UserError(`not a statuschaos exploration: ${error.message}`, { location: error.location ?? at.location, hint: 'give the --out folders of `statuschaos explore --shard i/n`' }));
      return undefined;
    });
    if (record === undefined) continue;
    if (record.shard === undefined) {
      problems.push(new UserError(`${dir} is not a shard: its explore.json has no \`shard\` (it was explored without --shard)`, at));
      continue;
    }
    inputs.push({ dir, record: record as ShardExploration['record'] });
  }
  inputs.sort((a, b) => a.record.shard.index - b.record.shard.index);
  const [reference] = inputs;
  if (reference !== undefined) {
    const settingsOf = (input: ShardExploration) => JSON.stringify([input.record.tool.version, input.record.seed, input.record.variants, input.record.oracles, input.record.budget, input.record.shard.count]);
    const seen = new Map<number, ShardExploration>();
    for (const input of inputs) {
      const at = { location: { file: join(input.dir, 'explore.json') } };
      if (settingsOf(input) !== settingsOf(reference)) problems.push(new UserError(`${shardName(input)} is from a different exploration than ${shardName(reference)}: version, seed, variants, oracles, budget or shard count differ`, { ...at, hint: 'merge the shards of one exploration: same command, only --shard differs' }));
      const twice = seen.get(input.record.shard.index);
      if (twice !== undefined) problems.push(new UserError(`${shardName(input)} is given twice (also ${twice.dir})`, { hint: 'give each shard’s folder once' }));
      seen.set(input.record.shard.index, input);
      if (input.record.status !== 'complete') problems.push(new UserError(`${shardName(input)} is partial: the exploration ended \`${input.record.status}\``, { ...at, hint: `explore shard ${input.record.shard.index + 1}/${input.record.shard.count} again` }));
    }
    const count = reference.record.shard.count;
    for (let index = 0; index < count; index++) if (!seen.has(index)) problems.push(new UserError(`shard ${index + 1}/${count} is missing (given: ${[...seen.keys()].map((i) => `${i + 1}/${count}`).join(', ')})`, { hint: `explore it (--shard ${index + 1}/${count}) or add its folder` }));
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return inputs;
}
