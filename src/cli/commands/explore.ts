/** `statuschaos explore`: generate fault schedules, find the ones that make a tracker lie, shrink them. */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { createBackend } from '../../backends/registry.ts';
import { ALL_ORACLES } from '../../check/oracles.ts';
import { UserError, suggestion } from '../../errors/user-error.ts';
import { confirmFinding } from '../../explore/confirm.ts';
import { explore, type ExploreResult } from '../../explore/explore.ts';
import { ExploreWriter } from '../../explore/output.ts';
import { healPhase } from '../../explore/schedule.ts';
import { modelNames } from '../../models/registry.ts';
import { parseDuration } from '../../scenario/duration.ts';
import { ORACLE_NAMES, type OracleName } from '../../scenario/oracle-names.ts';
import { choiceFlag, flagOrEnv, integerFlag, parseCommandArgs, shardFlag } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';
import { claimRunOutput } from '../output.ts';
import { workerCount } from '../scale-flags.ts';

export const EXPLORE_HELP = `Usage: statuschaos explore [options]

Generates fault schedules (every target × toxic at the boundaries that matter, every action, in
application and session mode, alone, overlapping and in sequence, always ending healed), runs each
on the simulation with every variant, checks the truth oracles, and shrinks each new kind of
violation to a minimal schedule. Writes each finding as a scenario file that \`statuschaos run\`
replays, explore.json, junit.xml and an HTML page (docs/explore.md).

Options (each also as an environment variable STATUSCHAOS_<NAME>):
  --variants <a,b>     variants to check (default: all: ${modelNames().join(', ')})
  --oracles <a,b>      oracles to check (default: all: ${ORACLE_NAMES.join(', ')})
  --budget <duration>  wall time to explore, e.g. 60s, 10m (default 60s)
  --runs <n>           stop after n schedules instead (deterministic for a seed)
  --seed <n>           the exploration's seed (default 1)
  --workers <n>        worker threads exploring side by side (default one per core, ${availableParallelism()} here);
                       with --runs the findings are the same for any number
  --shard <i/n>        explore the i-th of n shares of the seed space (1-based, like --shard 2/4);
                       \`statuschaos merge\` joins the shares' folders into one exploration
  --out <dir>          output folder: new, empty or an earlier statuschaos output (default:
                       a new reports/<time>-explore)
  --confirm <backend>  re-run each finding on a live backend (local) and report how often it reproduces
  --confirm-runs <n>   how many times (default 3)
  -h, --help           this help

Exit codes: 0 no checked variant broke an oracle; 1 something was found; 2 bad input or usage;
3 the backend could not run. Ctrl-C stops within a second and keeps what was found.
`;

function listFlag<T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new UserError(`--${name} names nothing`, { hint: `choose from ${allowed.join(', ')}` });
  for (const item of items) if (!allowed.includes(item as T)) throw new UserError(`unknown ${name.replace(/s$/, '')} \`${item}\` in --${name}`, { hint: suggestion(item, allowed) });
  return [...new Set(items)] as T[];
}

export async function exploreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('explore', argv, {
    variants: { type: 'string' },
    oracles: { type: 'string' },
    budget: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    shard: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    confirm: { type: 'string' },
    'confirm-runs': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(EXPLORE_HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UserError(`explore takes no scenario files (got ${positionals[0]})`, { hint: 'it generates its own schedules; to run files use `statuschaos run`' });
  const variants = listFlag('variants', flagOrEnv(values, 'variants', io.env), modelNames()) ?? modelNames();
  const oracleNames: OracleName[] = listFlag('oracles', flagOrEnv(values, 'oracles', io.env), ORACLE_NAMES) ?? ALL_ORACLES.map((oracle) => oracle.name);
  const runs = integerFlag('runs', flagOrEnv(values, 'runs', io.env), { min: 1 });
  const budgetText = flagOrEnv(values, 'budget', io.env);
  const budgetMs = budgetText === undefined ? (runs === undefined ? 60_000 : undefined) : parseDuration(budgetText);
  if (budgetText !== undefined && (budgetMs === undefined || budgetMs <= 0)) throw new UserError(`Expected \`--budget\` to be a positive duration like \`60s\` or \`10m\`, got \`${budgetText}\``);
  const seed = integerFlag('seed', flagOrEnv(values, 'seed', io.env)) ?? 1;
  const shard = shardFlag(flagOrEnv(values, 'shard', io.env));
  const workers = workerCount(values, io.env, 'sim');
  const confirmWith = choiceFlag('confirm', flagOrEnv(values, 'confirm', io.env), ['local'] as const);
  const confirmRuns = integerFlag('confirm-runs', flagOrEnv(values, 'confirm-runs', io.env), { min: 1 }) ?? 3;
  const cwd = io.cwd ?? process.cwd();
  const output = await claimRunOutput(cwd, flagOrEnv(values, 'out', io.env), 'explore');
  try {
    return await exploreInto(output.folder.path, { variants, oracleNames, runs, budgetMs, seed, shard, workers, confirmWith, confirmRuns, cwd }, io);
  } finally {
    await output.folder.release();
  }
}

interface ExploreSettings {
  variants: string[];
  oracleNames: OracleName[];
  runs: number | undefined;
  budgetMs: number | undefined;
  seed: number;
  shard: { index: number; count: number } | undefined;
  workers: number;
  confirmWith: 'local' | undefined;
  confirmRuns: number;
  cwd: string;
}

async function exploreInto(outDir: string, { variants, oracleNames, runs, budgetMs, seed, shard, workers, confirmWith, confirmRuns, cwd }: ExploreSettings, io: CliIo): Promise<number> {
  const confirmBackend = confirmWith === undefined ? undefined : await createBackend(confirmWith, { env: io.env, workDir: join(outDir, 'confirm') });

  const heal = healPhase();
  const oracles = oracleNames.map((name) => ({ name }));
  const writer = await ExploreWriter.create(outDir, { seed, budget: { ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { ms: budgetMs } : {}) }, ...(shard ? { shard } : {}), variants, oracles }, heal);
  const progress = (message: string) => io.stderr.write(`statuschaos: ${message}\n`);
  progress(`exploring with seed ${seed}${shard ? `, shard ${shard.index + 1}/${shard.count}` : ''}${workers > 1 ? ` on ${workers} worker threads` : ''}: ${variants.length} variant(s), oracles ${oracleNames.join(', ')}, ${runs !== undefined ? `${runs} schedules` : ''}${runs !== undefined && budgetMs !== undefined ? ' or ' : ''}${budgetMs !== undefined ? `${budgetMs / 1000} s` : ''} → ${relative(cwd, outDir) || '.'}`);
  let result: ExploreResult | undefined;
  try {
    result = await explore({
      seed,
      variants,
      oracles,
      budget: { runs, ms: budgetMs },
      ...(shard ? { shard } : {}),
      workers,
      heal,
      signal: io.signal,
      onProgress: (p) => progress(`${p.schedules} schedules (${p.rate.toFixed(1)}/s) · ${p.findings} finding(s)${p.leftMs !== undefined ? ` · ${Math.ceil(p.leftMs / 1000)} s left` : ''} · ${p.doing}`),
      onFinding: async (finding) => {
        const entry = await writer.add(finding);
        progress(`found ${entry.signature} — shrunk to ${entry.events} event(s): ${entry.shrunk}${entry.replayed ? '' : ' (its file did NOT replay it)'}`);
      },
    });
  } finally {
    // whatever stopped it, the folder says so and keeps what was found
    if (result === undefined) await writer.finish({ schedules: 0, elapsedMs: 0, unjudged: 0 }, 'interrupted');
  }
  if (confirmBackend !== undefined && !io.signal?.aborted) {
    try {
      for (const entry of writer.findings) {
        await writer.confirm(entry, await confirmFinding(entry, join(outDir, entry.file), { backend: confirmBackend, runs: confirmRuns, workDir: join(outDir, 'confirm'), onProgress: progress, signal: io.signal }));
      }
    } finally {
      await confirmBackend.shutdown?.();
    }
  }
  if (result === undefined) throw new Error('the exploration stopped without a result');
  const index = await writer.finish(result, io.signal?.aborted ? 'interrupted' : 'complete');
  for (const entry of writer.findings) io.stdout.write(`✗ ${entry.signature}\n    ${entry.variant} ${entry.message}\n    ${entry.shrunk}\n    ${entry.file}${entry.confirmed ? ` · reproduced ${entry.confirmed.reproduced}/${entry.confirmed.runs} on ${entry.confirmed.backend}` : ''}\n`);
  io.stdout.write(`${result.schedules} schedule(s) in ${(result.elapsedMs / 1000).toFixed(1)} s, ${writer.findings.length} finding(s), ${result.unjudged} stop(s) unjudged\nreport: ${relative(cwd, index)}\n`);
  if (io.signal?.aborted) throw io.signal.reason;
  return writer.findings.length > 0 ? EXIT.failed : EXIT.ok;
}
