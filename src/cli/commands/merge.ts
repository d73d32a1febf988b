/** `statuschaos merge`: a run's (or an exploration's) shard folders into one folder and one report. */
import { relative, resolve } from 'node:path';
import { UserError } from '../../errors/user-error.ts';
import { isExploration, mergeExplorations } from '../../explore/merge.ts';
import { checkMergeOut, mergeShards } from '../../record/merge-shards.ts';
import { claimOutputFolder } from '../../record/output-folder.ts';
import { readRunRecord } from '../../record/store.ts';
import { writeReport } from '../../report/write.ts';
import { flagOrEnv, parseCommandArgs } from '../args.ts';
import { EXIT, verdictExitCode, type CliIo } from '../io.ts';
import { enterPhase } from '../phase.ts';
import { renderMatrix } from '../matrix.ts';

export const MERGE_HELP = `Usage: statuschaos merge <shard folders...> --out DIR

Joins the output folders of \`statuschaos run --shard 1/n\` … \`--shard n/n\` into the folder the
run would have written in one piece (run.json, results.jsonl, runs/, junit.xml) and renders its
HTML report. Each folder is checked first: all shards of one run (same inputs, same statuschaos
version), each exactly once, each complete; otherwise nothing is written and the exit code is 2.

The folders of \`statuschaos explore --shard i/n\` merge the same way into the exploration one
process would have made (explore.json, findings/, junit.xml, pages): each signature's finding is
the earliest in the seed space, shrunk again here as one process shrinks it (a few seconds per
finding), its occurrences and the schedules summed.

Options:
  --out <dir>   the merged run's folder: new or empty (also STATUSCHAOS_OUT)
  -h, --help    this help

The output folder is claimed as \`run\`'s is (docs/limits.md) and must be apart from the shards;
no link inside a shard is followed; a merge that fails half-way leaves nothing.

Exit codes: 0 every expectation held; 1 one failed, a run was inconclusive or nothing was
checked; 2 a bad merge (the message names the shard) or bad usage; 130, 143, 129, 131 stopped.
`;

export async function mergeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', argv, { out: { type: 'string' } });
  if (values.help) {
    io.stdout.write(MERGE_HELP);
    return EXIT.ok;
  }
  const cwd = io.cwd ?? process.cwd();
  const out = flagOrEnv(values, 'out', io.env);
  if (out === undefined) throw new UserError('merge needs --out DIR', { hint: 'e.g. `statuschaos merge shards/* --out merged`' });
  const outDir = resolve(cwd, out);
  const dirs = positionals.map((dir) => resolve(cwd, dir));
  await checkMergeOut(dirs, outDir);
  const explorations = await Promise.all(dirs.map(isExploration));
  if (explorations.some(Boolean) && !explorations.every(Boolean)) throw new UserError(`${positionals[explorations.indexOf(false)]} is not an exploration, but ${positionals[explorations.indexOf(true)]} is`, { hint: 'merge the shards of one `statuschaos explore`, or of one `statuschaos run`' });
  // the shards are inputs: the output is none of them, holds none, and is inside none
  const folder = await claimOutputFolder(outDir, { inputs: dirs });
  try {
    await enterPhase(io, 'merging');
    return await (explorations.some(Boolean) ? mergeExplorationsInto(dirs, outDir, io) : mergeRunsInto(dirs, outDir, io));
  } catch (error) {
    // a merge that failed leaves nothing (the folder was new or empty); one that was stopped keeps what it merged, marked interrupted
    if (!io.signal?.aborted) await folder.empty();
    throw error;
  } finally {
    await folder.release();
  }
}

async function mergeRunsInto(dirs: string[], outDir: string, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const merged = await mergeShards(dirs, outDir, io.signal);
  io.stderr.write(`statuschaos: merged ${dirs.length} shard(s): ${merged.summary.scenarioRuns} scenario runs → ${relative(cwd, outDir) || '.'}\n`);
  const record = await readRunRecord(outDir, io.signal);
  const written = await writeReport(record, outDir, { signal: io.signal });
  io.stdout.write(renderMatrix(record));
  io.stdout.write(`report: ${relative(cwd, written[0]!)}\n`);
  return verdictExitCode(record.summary, io);
}

async function mergeExplorationsInto(dirs: string[], outDir: string, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const merged = await mergeExplorations(dirs, outDir, (text) => io.stderr.write(`statuschaos: ${text}\n`), io.signal);
  io.stderr.write(`statuschaos: merged ${dirs.length} shard(s): ${merged.schedules} schedules, ${merged.findings} finding(s) → ${relative(cwd, outDir) || '.'}\n`);
  io.stdout.write(`report: ${relative(cwd, merged.index)}\n`);
  if (io.signal?.aborted) throw io.signal.reason;
  return merged.findings > 0 ? EXIT.failed : EXIT.ok;
}
