/** `statuschaos explore`: generate fault schedules, find the ones that make a tracker lie, shrink them. */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { createBackend } from '../../backends/registry.ts';
import { ALL_ORACLES } from '../../check/oracles.ts';
import { UserError } from '../../errors/user-error.ts';
import { confirmFinding, type ConfirmMode } from '../../explore/confirm.ts';
import { REAL_STREAMPARK_TRACKERS } from '../../trackers/streampark-real/plugins.ts';

const REAL_TRACKERS_FOR_CONFIRM = REAL_STREAMPARK_TRACKERS.map((tracker) => tracker.name);
import { explore, type ExploreResult } from '../../explore/explore.ts';
import { ExploreWriter } from '../../explore/output.ts';
import { healPhase } from '../../explore/schedule.ts';
import { defaultTrackers } from '../../trackers/registry.ts';
import { chooseTrackers } from '../variants.ts';
import { ORACLE_NAMES, type OracleName } from '../../scenario/oracle-names.ts';
import { choiceFlag, flagOrEnv, listFlag, parseCommandArgs, shardFlag } from '../args.ts';
import { budgetFlag, numberFlag } from '../flag-ranges.ts';
import { EXIT, type CliIo } from '../io.ts';
import { enterPhase, notePhase } from '../phase.ts';
import { claimRunOutput } from '../output.ts';
import { workerCount } from '../scale-flags.ts';

export const EXPLORE_HELP = `Usage: statuschaos explore [options]

Generates fault schedules (every target × toxic at the boundaries that matter, every action, in
application and session mode, alone, overlapping and in sequence, always ending healed), runs each
on the simulation with every variant, checks the truth oracles, and shrinks each new kind of
violation to a minimal schedule. Writes each finding as a scenario file that \`statuschaos run\`
replays, explore.json, junit.xml and an HTML page (docs/explore.md).

Options (each also as an environment variable STATUSCHAOS_<NAME>):
  --variants <a,b>     variants to check (default: all: ${defaultTrackers('sim').join(', ')}; the
                       explorer runs on the simulation, so trackers that run as processes cannot be explored)
  --oracles <a,b>      oracles to check (default: all: ${ORACLE_NAMES.join(', ')})
  --budget <duration>  wall time to explore, shrinking included, e.g. 60s, 10m (default 60s;
                       at most a week)
  --runs <n>           stop after n schedules instead (deterministic for a seed)
  --seed <n>           the exploration's seed (default 1)
  --workers <n>        worker threads exploring side by side (default one per core, ${availableParallelism()} here);
                       with --runs the findings are the same for any number
  --shard <i/n>        explore the i-th of n shares of the seed space (1-based, like --shard 2/4);
                       \`statuschaos merge\` joins the shares' folders into one exploration
  --out <dir>          output folder: new, empty or an earlier statuschaos output (default:
                       a new reports/<time>-explore)
  --confirm <how>      re-run each finding on the local control plane and report how often it
                       reproduces: local (the same models, fast timing) | real (the real tracker
                       of the finding's variant, StreamPark's own code, at StreamPark's timing:
                       minutes a finding; docs/explore.md)
  --confirm-runs <n>   how many times (default 3)
  -h, --help           this help

Exit codes: 0 no checked variant broke an oracle; 1 something was found, or no schedule ran
within the budget (nothing was checked); 2 bad input or usage; 3 the backend could not run; 130,
143, 129, 131 stopped by Ctrl-C, SIGTERM, SIGHUP, SIGQUIT. The budget bounds the wall time,
shrinking included; a stop or the end of the budget keeps what was found, a violation not yet
shrunk as a finding marked so.

`;

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
  const { variants } = chooseTrackers(flagOrEnv(values, 'variants', io.env), { backend: 'sim', env: io.env });
  const oracleNames: OracleName[] = listFlag('oracles', flagOrEnv(values, 'oracles', io.env), ORACLE_NAMES) ?? ALL_ORACLES.map((oracle) => oracle.name);
  const runs = numberFlag('runs', flagOrEnv(values, 'runs', io.env));
  const budgetMs = budgetFlag(flagOrEnv(values, 'budget', io.env)) ?? (runs === undefined ? 60_000 : undefined);
  const seed = numberFlag('seed', flagOrEnv(values, 'seed', io.env)) ?? 1;
  const shard = shardFlag(flagOrEnv(values, 'shard', io.env));
  const workers = workerCount(values, io.env, 'sim');
  const confirmWith = choiceFlag('confirm', flagOrEnv(values, 'confirm', io.env), ['local', 'real'] as const);
  // the real trackers must be built before anything is explored (exit 3 now, not after the budget)
  if (confirmWith === 'real') chooseTrackers(REAL_TRACKERS_FOR_CONFIRM.join(','), { backend: 'local', env: io.env });
  const confirmRuns = numberFlag('confirm-runs', flagOrEnv(values, 'confirm-runs', io.env)) ?? 3;
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
  confirmWith: ConfirmMode | undefined;
  confirmRuns: number;
  cwd: string;
}

async function exploreInto(outDir: string, { variants, oracleNames, runs, budgetMs, seed, shard, workers, confirmWith, confirmRuns, cwd }: ExploreSettings, io: CliIo): Promise<number> {
  const confirmBackend = confirmWith === undefined ? undefined : await createBackend('local', { env: io.env, workDir: join(outDir, 'confirm') });

  const heal = healPhase();
  const oracles = oracleNames.map((name) => ({ name }));
  const writer = await ExploreWriter.create(outDir, { seed, budget: { ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { ms: budgetMs } : {}) }, ...(shard ? { shard } : {}), variants, oracles }, heal);
  const progress = (message: string) => io.stderr.write(`statuschaos: ${message}\n`);
  progress(`exploring with seed ${seed}${shard ? `, shard ${shard.index + 1}/${shard.count}` : ''}${workers > 1 ? ` on ${workers} worker threads` : ''}: ${variants.length} variant(s), oracles ${oracleNames.join(', ')}, ${runs !== undefined ? `${runs} schedules` : ''}${runs !== undefined && budgetMs !== undefined ? ' or ' : ''}${budgetMs !== undefined ? `${budgetMs / 1000} s` : ''} → ${relative(cwd, outDir) || '.'}`);
  let result: ExploreResult | undefined;
  await enterPhase(io, 'simulating');
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
      beforeShrink: () => enterPhase(io, 'shrinking'),
      onProgress: (p) => {
        writer.progress(p.schedules, p.elapsedMs, p.unjudged); // the true figures so far, should the process end early
        notePhase(p.doing.startsWith('shrinking') ? 'shrinking' : 'simulating');
        progress(`${p.schedules} schedules (${p.rate.toFixed(1)}/s) · ${p.findings} finding(s)${p.leftMs !== undefined ? ` · ${Math.ceil(p.leftMs / 1000)} s left` : ''} · ${p.doing}`);
      },
      onFinding: async (finding) => {
        const entry = await writer.add(finding);
        progress(`found ${entry.signature} — ${entry.notShrunk ? `not shrunk (stopped first): ${entry.events} event(s)` : `shrunk to ${entry.events} event(s)`}: ${entry.shrunk}${entry.replayed || entry.notShrunk ? '' : ' (its file did NOT replay it)'}`);
      },
    });
  } finally {
    // whatever stopped it, the folder says so and keeps what was found, with the figures so far
    if (result === undefined) await writer.finish(writer.snapshot.stats, 'interrupted');
  }
  if (confirmBackend !== undefined && !io.signal?.aborted) {
    try {
      for (const entry of writer.findings) {
        await writer.confirm(entry, await confirmFinding(entry, join(outDir, entry.file), { backend: confirmBackend, mode: confirmWith!, runs: confirmRuns, workDir: join(outDir, 'confirm'), onProgress: progress, signal: io.signal, env: io.env }));
      }
    } finally {
      await confirmBackend.shutdown?.();
    }
  }
  if (result === undefined) throw new Error('the exploration stopped without a result');
  notePhase('writing reports');
  const index = await writer.finish(result, io.signal?.aborted ? 'interrupted' : 'complete');
  for (const entry of writer.findings) io.stdout.write(`✗ ${entry.signature}${entry.notShrunk ? ' (not shrunk)' : ''}\n    ${entry.variant} ${entry.message}\n    ${entry.shrunk}\n    ${entry.file}${entry.confirmed ? ` · reproduced ${entry.confirmed.reproduced}/${entry.confirmed.runs} on ${entry.confirmed.backend}${entry.confirmed.tracker ? ` by ${entry.confirmed.tracker} (${entry.confirmed.version ?? 'its own code'})` : ''}` : ''}\n`);
  io.stdout.write(`${result.schedules} schedule(s) in ${(result.elapsedMs / 1000).toFixed(1)} s, ${writer.findings.length} finding(s), ${result.unjudged} stop(s) unjudged\nreport: ${relative(cwd, index)}\n`);
  if (io.signal?.aborted) throw io.signal.reason;
  if (writer.findings.length > 0) return EXIT.failed;
  if (result.schedules === 0) {
    // a budget too short for one schedule checked nothing: that is no pass
    io.stderr.write('statuschaos: nothing was checked: no schedule ran within the budget (exit 1)\n');
    return EXIT.failed;
  }
  return EXIT.ok;
}
