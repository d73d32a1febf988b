/**
 * `--workers` and `--shard` for `run` (and `explore`): how many threads, which part of the run.
 * Live backends stay on one thread unless --workers is given: a live scenario runs on the wall
 * clock, and the trackers' poll intervals, timeouts and the scenario's schedule are all measured
 * on it; threads that compete for the same cores make timers fire late, and a verdict would then
 * depend on the machine's load instead of the tracker (docs/scaling.md).
 */
import { availableParallelism } from 'node:os';
import type { BackendName, BackendSettings } from '../backends/backend.ts';
import { UserError } from '../errors/user-error.ts';
import type { WorkerSettings } from '../pipeline/parallel-run.ts';
import { formatShard, parseShard, shardSize, WHOLE, type Shard } from '../record/shard.ts';
import { flagOrEnv, type OptionSpec } from './args.ts';
import { numberFlag } from './flag-ranges.ts';

export const SCALE_OPTIONS = { workers: { type: 'string' }, shard: { type: 'string' } } satisfies OptionSpec;

export const SCALE_HELP = `  --workers <n>        worker threads, at most one per core (default: sim one per core, ${availableParallelism()} here; live
                       backends 1: their scenarios run on the wall clock, see docs/scaling.md)
  --shard <i/n>        run only part i of n of the scenario runs (1/n … n/n, as in Playwright
                       and vitest); \`statuschaos merge\` joins the parts into one run and report
`;

/** How long a thread may clean up after Ctrl-C: sim has nothing to clean; live backends remove namespaces, proxies, processes. */
const STOP_GRACE_MS = { sim: 1_000, live: 120_000 };

export interface ScaleSettings {
  workers: WorkerSettings;
  shard: Shard | undefined;
}

/** --workers (or STATUSCHAOS_WORKERS); by default one thread per core on the simulation, one on a live backend. */
export function workerCount(values: Record<string, unknown>, env: NodeJS.ProcessEnv, backend: BackendName): number {
  return numberFlag('workers', flagOrEnv(values, 'workers', env)) ?? (backend === 'sim' ? availableParallelism() : 1);
}

/** The --workers and --shard of a command (flags or STATUSCHAOS_WORKERS / STATUSCHAOS_SHARD). */
export function scaleSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv, backend: BackendName, backendSettings: BackendSettings): ScaleSettings {
  const count = workerCount(values, env, backend);
  if (backend === 'kind' && count > 1) {
    throw new UserError(`--workers ${count} cannot run on the kind backend: every thread would create and delete the same kind cluster`, { hint: 'run kind scenarios on one thread, and split a big run over machines with --shard i/n' });
  }
  const shardText = flagOrEnv(values, 'shard', env);
  return {
    workers: { count, backendSettings, stopGraceMs: backend === 'sim' ? STOP_GRACE_MS.sim : STOP_GRACE_MS.live },
    shard: shardText === undefined ? undefined : parseShard(shardText),
  };
}

/** For the progress line: `; shard 2/4: 7 of 26 scenario runs; 2 worker threads`. */
export function describeScale({ workers, shard }: ScaleSettings, totalRuns: number): string {
  const runs = shardSize(totalRuns, shard ?? WHOLE);
  const threads = Math.min(workers.count, runs);
  return `${shard ? `; shard ${formatShard(shard)}: ${runs} of ${totalRuns} scenario runs` : ''}${threads > 1 ? `; ${threads} worker threads` : ''}`;
}
