/**
 * `statuschaos merge`: the folders of a run's shards (`run --shard i/n`) joined into the folder
 * the unsharded run would have written — the same results.jsonl, run.json and runs/<id>.json,
 * in the same order, with the same ids and the same lanes kept. Every shard is checked before
 * anything is written: all from one run (same inputs, same tool version), none missing or given
 * twice, each complete. Problems are UserErrors (exit 2) that name the shard and its folder.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, UserErrors, formatUserError } from '../errors/user-error.ts';
import { readLanes, runFileExists } from './read-run.ts';
import type { RunHeader } from './run-record.ts';
import { makeFolder } from './safe-files.ts';
import { formatShard, shardOf, shardSize, type ShardRecord } from './shard.ts';
import { readResultsLines, readRunFile, RunStore, type RunFile } from './store.ts';

interface ShardInput {
  dir: string;
  file: RunFile;
  shard: ShardRecord;
}

const name = (input: ShardInput) => `shard ${formatShard(input.shard)} (${input.dir})`;

/**
 * Merge the shard folders `dirs` into `outDir` (claimed by the caller, new or empty); returns the
 * merged run.json. Stopped by `signal`, run.json says interrupted.
 */
export async function mergeShards(dirs: readonly string[], outDir: string, signal?: AbortSignal): Promise<RunFile> {
  const shards = await checkShards(dirs, signal);
  const [first] = shards;
  const { shard: _shard, status: _status, summary: _summary, ...header } = first!.file;
  // the backend's metadata (versions, endpoints) is the same in every scenario run, so the shards'
  // union, in shard order, is what the unsharded run collects; startedAt: the earliest shard's
  const merged: RunHeader = { ...header, startedAt: shards.map((input) => input.file.startedAt).sort()[0]!, metadata: {} };
  for (const input of shards) for (const [key, value] of Object.entries(input.file.metadata)) merged.metadata[key] ??= value;

  await makeFolder(outDir);
  const store = await RunStore.create(outDir, merged, first!.shard.totalPositions);
  const lines = shards.map((input) => readResultsLines(join(input.dir, 'results.jsonl')));
  try {
    // position p of the whole run is the next line of shard (p mod n): the run's own order
    for (let position = 0; position < first!.shard.totalPositions; position++) {
      signal?.throwIfAborted();
      const index = shardOf(position, first!.shard.count) - 1;
      const { value: line } = await lines[index]!.next();
      if (line === undefined) throw new Error(`${name(shards[index]!)} ended early`); // checked before: a bug if reached
      if (!line.kept) {
        await store.addWithoutLanes(line);
        continue;
      }
      const lanes = await readLanes(shards[index]!.dir, line.id, { asWritten: true }); // copied exactly, as the shard wrote them
      await store.add(lanes, { results: line.results, warnings: lanes.warnings, evidence: lanes.evidence });
    }
  } catch (error) {
    await store.finish('interrupted');
    throw error;
  } finally {
    await Promise.all(lines.map((iterator) => iterator.return(undefined)));
  }
  await store.finish('complete');
  return readRunFile(join(outDir, 'run.json'));
}

/** A merge's output folder: new or empty (the inputs are kept apart from it when it is claimed). */
export async function checkMergeOut(dirs: readonly string[], outDir: string): Promise<void> {
  if (dirs.length === 0) throw new UserError('merge needs the folders of a run’s shards', { hint: 'e.g. `statuschaos merge shards/* --out merged`' });
  const entries = await readdir(outDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new UserError(`--out ${outDir} is not a folder statuschaos can write to (${error.code})`, { hint: 'give a new folder' });
  });
  if (entries.length > 0) throw new UserError(`--out ${outDir} is not empty`, { hint: 'merge into a new (or empty) folder, so nothing of another run is mixed in' });
}

/** Every shard read and checked, in shard order; all problems at once. */
async function checkShards(dirs: readonly string[], signal: AbortSignal | undefined): Promise<ShardInput[]> {
  const problems: UserError[] = [];
  const inputs: ShardInput[] = [];
  for (const dir of dirs) {
    const file = await readRunFile(join(dir, 'run.json')).catch((error: Error) => {
      problems.push(new UserError(`${dir}: not a statuschaos run: ${error.message.replace(/^ENOENT: .*/, 'no run.json')}`, { location: { file: join(dir, 'run.json') }, hint: 'give the --out folders of `statuschaos run --shard i/n`' }));
      return undefined;
    });
    if (file === undefined) continue;
    if (file.shard === undefined) {
      problems.push(new UserError(`${dir} is not a shard: its run.json has no \`shard\` (it was run without --shard)`, { location: { file: join(dir, 'run.json') } }));
      continue;
    }
    inputs.push({ dir, file, shard: file.shard });
  }
  inputs.sort((a, b) => a.shard.index - b.shard.index);
  const [reference] = inputs;
  if (reference !== undefined) problems.push(...sameRun(reference, inputs), ...everyShardOnce(inputs));
  for (const input of inputs) problems.push(...(await complete(input, signal)));
  if (problems.length > 0) throw new UserErrors(problems);
  return inputs;
}

/** Every shard from the run `reference` is from: same tool version, same inputs, same split. */
function sameRun(reference: ShardInput, inputs: readonly ShardInput[]): UserError[] {
  const problems: UserError[] = [];
  for (const input of inputs.slice(1)) {
    const at = { location: { file: join(input.dir, 'run.json') } };
    if (input.file.tool.version !== reference.file.tool.version) {
      problems.push(new UserError(`${name(input)} was written by statuschaos ${input.file.tool.version}, ${name(reference)} by ${reference.file.tool.version}`, { ...at, hint: 'run every shard with the same version' }));
    } else if (input.shard.count !== reference.shard.count || input.shard.totalPositions !== reference.shard.totalPositions || input.shard.fingerprint !== reference.shard.fingerprint) {
      problems.push(new UserError(`${name(input)} is from a different run than ${name(reference)}: their inputs differ (scenarios, seeds, repeats, variants, backend, timing or shard count)`, { ...at, hint: 'merge the shards of one run: same command, same files, only --shard differs' }));
    }
  }
  return problems;
}

/** Each of the n shards exactly once. */
function everyShardOnce(inputs: readonly ShardInput[]): UserError[] {
  const problems: UserError[] = [];
  const count = inputs[0]!.shard.count;
  const byIndex = new Map<number, ShardInput>();
  for (const input of inputs) {
    const other = byIndex.get(input.shard.index);
    if (other !== undefined) problems.push(new UserError(`shard ${formatShard(input.shard)} is given twice: ${other.dir} and ${input.dir}`, { hint: 'give each shard’s folder once' }));
    byIndex.set(input.shard.index, input);
  }
  for (let index = 1; index <= count; index++) {
    if (!byIndex.has(index)) problems.push(new UserError(`shard ${index}/${count} is missing (given: ${[...byIndex.keys()].map((i) => `${i}/${count}`).join(', ')})`, { hint: `run it (--shard ${index}/${count}) or add its folder` }));
  }
  return problems;
}

/** A shard that finished: status complete, every one of its scenario runs in results.jsonl, kept lanes present. */
async function complete(input: ShardInput, signal: AbortSignal | undefined): Promise<UserError[]> {
  const at = (file: string) => ({ location: { file: join(input.dir, file) } });
  const rerun = { hint: `run shard ${formatShard(input.shard)} again` };
  if (input.file.status !== 'complete') return [new UserError(`${name(input)} is partial: the run ended \`${input.file.status}\``, { ...at('run.json'), ...rerun })];
  const expected = shardSize(input.shard.totalPositions, input.shard);
  if (input.shard.positions !== expected || input.file.summary.scenarioRuns !== expected) {
    return [new UserError(`${name(input)} is partial: run.json counts ${input.file.summary.scenarioRuns} scenario runs, the shard has ${expected}`, { ...at('run.json'), ...rerun })];
  }
  const problems: UserError[] = [];
  let count = 0;
  try {
    // every line checked as `report` checks it (a forged field is refused, not merged)
    for await (const line of readResultsLines(join(input.dir, 'results.jsonl'))) {
      signal?.throwIfAborted();
      count += 1;
      if (line.kept && !(await runFileExists(input.dir, `runs/${line.id}.json`))) {
        problems.push(new UserError(`${name(input)} is partial: runs/${line.id}.json is missing`, { ...at('results.jsonl'), ...rerun }));
        break;
      }
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = error instanceof UserError && /results\.jsonl: cannot read it: no such file/.test(formatUserError(error)) ? 'is partial: it has no results.jsonl' : `is broken: ${error instanceof UserError ? formatUserError(error) : (error as Error).message}`;
    return [new UserError(`${name(input)} ${message}`, { ...at('results.jsonl'), ...rerun })];
  }
  if (problems.length === 0 && count !== expected) problems.push(new UserError(`${name(input)} is partial: results.jsonl has ${count} of its ${expected} scenario runs`, { ...at('results.jsonl'), ...rerun }));
  return problems;
}
