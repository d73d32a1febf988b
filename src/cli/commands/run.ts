/** `statuschaos run`: scenarios in, verdicts out (exit 0 / 1), report files written. */
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { BACKEND_NAMES } from '../../backends/backend.ts';
import { assertScenariosSupported, createBackend } from '../../backends/registry.ts';
import { UserError, suggestion } from '../../errors/user-error.ts';
import { modelNames } from '../../models/registry.ts';
import { PROFILE_NAMES } from '../../models/timing.ts';
import { runAndStore } from '../../pipeline/run-and-store.ts';
import { readRunRecord } from '../../record/store.ts';
import { hasFailures } from '../../record/summary.ts';
import { writeReport } from '../../report/write.ts';
import { loadScenarios } from '../../scenario/files.ts';
import { choiceFlag, flagOrEnv, integerFlag, parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';
import { renderMatrix } from '../matrix.ts';

export const RUN_HELP = `Usage: statuschaos run <scenario files or folders...> [options]

Runs every scenario against every tracker variant side by side, checks each console trace
against its expectation, prints a verdict matrix and writes run.json, junit.xml and an HTML
report.

Options (each also as an environment variable STATUSCHAOS_<NAME>):
  --backend <name>     sim (default) | local | kind | kubeconfig
  --seed <n>           first seed (default: the scenario's \`seed\`, else 1); run i uses seed + i
  --repeat <n>         run each scenario n times with consecutive seeds (default 1)
  --variants <a,b>     variants to run (default: all: ${modelNames().join(', ')})
  --timing <profile>   streampark | fast (default: the scenario's own; live backends: fast)
  --out <dir>          output folder (default: reports/<time>-<backend>, linked as reports/latest)
  --kubeconfig <file>  kubeconfig backend: the cluster to use (required; never taken from
                       $KUBECONFIG or ~/.kube/config)
  --context <name>     kubeconfig backend: the context (default: the file's current one)
  --allowed-contexts <a,b>  kubeconfig backend: the contexts it may use; any other is refused
                       (exit 2). The harness works only in namespaces it creates and labels.
  --keep-cluster       kind backend: leave the cluster it created running afterwards
  --flink-image <img>  kind backend: a real Flink image in application mode instead of the
                       REST stub image; kubeconfig backend: the JobManager pod's image
                       (kind config: STATUSCHAOS_KIND_CONFIG, default clusters/kind/config.yaml;
                       see docs/backends.md)
  --cluster-dir <dir>  local backend: use the control plane \`statuschaos cluster up\` started there
  -h, --help           this help

Exit codes: 0 every expectation held; 1 an expectation failed or a run was inconclusive;
2 bad input or usage; 3 the backend could not run.
`;

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    backend: { type: 'string' },
    seed: { type: 'string' },
    repeat: { type: 'string' },
    variants: { type: 'string' },
    timing: { type: 'string' },
    out: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'allowed-contexts': { type: 'string' },
    'keep-cluster': { type: 'boolean' },
    'flink-image': { type: 'string' },
    'cluster-dir': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const backendName = choiceFlag('backend', flagOrEnv(values, 'backend', io.env), BACKEND_NAMES) ?? 'sim';
  const seed = integerFlag('seed', flagOrEnv(values, 'seed', io.env));
  const repeat = integerFlag('repeat', flagOrEnv(values, 'repeat', io.env), { min: 1 }) ?? 1;
  const profile = choiceFlag('timing', flagOrEnv(values, 'timing', io.env), PROFILE_NAMES) ?? (backendName === 'sim' ? undefined : 'fast');
  const known = modelNames();
  const variants = (flagOrEnv(values, 'variants', io.env) ?? known.join(',')).split(',').map((name) => name.trim()).filter(Boolean);
  for (const variant of variants) if (!known.includes(variant)) throw new UserError(`unknown variant \`${variant}\` in --variants`, { hint: suggestion(variant, known) });
  if (variants.length === 0) throw new UserError('--variants names no variant', { hint: `choose from ${known.join(', ')}` });

  const scenarios = await loadScenarios(positionals);
  assertScenariosSupported(backendName, scenarios);
  const cwd = io.cwd ?? process.cwd();
  const explicitOut = flagOrEnv(values, 'out', io.env);
  const outDir = resolve(cwd, explicitOut ?? join('reports', `${timestamp(new Date())}-${backendName}`));
  const backend = await createBackend(backendName, {
    env: io.env,
    kubeconfig: flagOrEnv(values, 'kubeconfig', io.env),
    context: flagOrEnv(values, 'context', io.env),
    allowedContexts: flagOrEnv(values, 'allowed-contexts', io.env)?.split(',').map((name) => name.trim()).filter(Boolean),
    keepCluster: values['keep-cluster'] === true || /^(1|true|yes)$/i.test(io.env.STATUSCHAOS_KEEP_CLUSTER ?? ''),
    flinkImage: flagOrEnv(values, 'flink-image', io.env),
    workDir: outDir,
    ...(flagOrEnv(values, 'cluster-dir', io.env) ? { clusterDir: resolve(cwd, flagOrEnv(values, 'cluster-dir', io.env)!) } : {}),
  });
  const progress = (message: string) => io.stderr.write(`statuschaos: ${message}\n`);
  progress(`${scenarios.length} scenario(s) × ${variants.length} variant(s) on ${backendName}${repeat > 1 ? `, ${repeat} seeds each` : ''} → ${relative(cwd, outDir) || '.'}`);
  await runAndStore({ backend, scenarios, variants, seed, repeat, profile, outDir, workDir: outDir, onProgress: progress, signal: io.signal });
  const record = await readRunRecord(outDir);
  const written = await writeReport(record, outDir);
  if (explicitOut === undefined) await linkLatest(join(cwd, 'reports'), outDir);
  io.stdout.write(renderMatrix(record));
  io.stdout.write(`report: ${relative(cwd, written[0]!)}\n`);
  return hasFailures(record.summary) ? EXIT.failed : EXIT.ok;
}

/** reports/latest → the newest run folder (replaced atomically enough for a local tool). */
async function linkLatest(reportsDir: string, outDir: string): Promise<void> {
  await mkdir(reportsDir, { recursive: true });
  const link = join(reportsDir, 'latest');
  await rm(link, { force: true, recursive: false }).catch(() => {});
  await symlink(relative(reportsDir, outDir), link);
}
