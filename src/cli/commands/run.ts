/** `statuschaos run`: scenarios in, verdicts out (exit 0 / 1), report files written. */
import { relative, resolve } from 'node:path';
import { BACKEND_NAMES, FLINK_KINDS } from '../../backends/backend.ts';
import { assertScenariosSupported, createBackend } from '../../backends/registry.ts';
import { UserError, suggestion } from '../../errors/user-error.ts';
import { PROFILE_NAMES } from '../../models/timing.ts';
import { runAndStore } from '../../pipeline/run-and-store.ts';
import { readRunRecord } from '../../record/store.ts';
import { hasFailures } from '../../record/summary.ts';
import { writeReport } from '../../report/write.ts';
import { loadScenarios } from '../../scenario/files.ts';
import { LIMITS } from '../../scenario/limits.ts';
import type { Scenario } from '../../scenario/types.ts';
import { choiceFlag, flagOrEnv, integerFlag, listFlag, parseCommandArgs } from '../args.ts';
import { EXIT, type CliIo } from '../io.ts';
import { renderMatrix } from '../matrix.ts';
import { claimRunOutput, linkLatest } from '../output.ts';
import { assertProfile, chooseTrackers } from '../variants.ts';
import { defaultTrackers, TRACKER_NAMES } from '../../trackers/registry.ts';
import { describeScale, SCALE_HELP, SCALE_OPTIONS, scaleSettings } from '../scale-flags.ts';

export const RUN_HELP = `Usage: statuschaos run <scenario files or folders...> [options]

Runs every scenario against every tracker variant side by side, checks each console trace
against its expectation, prints a verdict matrix and writes run.json, junit.xml and an HTML
report.

Options (each but --allowed-contexts also as an environment variable STATUSCHAOS_<NAME>):
  --backend <name>     sim (default) | local | kind | kubeconfig
  --seed <n>           first seed (default: the scenario's \`seed\`, else 1); run i uses seed + i
  --repeat <n>         run each scenario n times with consecutive seeds (default 1; seeds are
                       0 to 4294967295, repeats at most 1000000)
  --variants <a,b>     trackers to run (default: the models: ${defaultTrackers('sim').join(', ')});
                       also ${TRACKER_NAMES.filter((name) => !defaultTrackers('sim').includes(name)).join(', ')} on live backends (docs/trackers.md)
  --timing <profile>   streampark | fast (default: the scenario's own; live backends: fast,
                       with --flink real or a real tracker: streampark)
  --streampark-home <dir>  real-2.1.x trackers: a StreamPark installation whose lib/ holds
                       the jars to run (default: what \`npm run tools\` resolved)
  --out <dir>          output folder: new, empty or a previous statuschaos output, yours, not in
                       use by another run (default: a new reports/<time>-<backend>, linked as
                       reports/latest; docs/limits.md)
${SCALE_HELP.trimEnd()}
  --kubeconfig <file>  kubeconfig backend: the cluster to use (required; never taken from
                       $KUBECONFIG or ~/.kube/config)
  --context <name>     kubeconfig backend: the context (default: the file's current one)
  --allowed-contexts <a=URL,b=URL>  kubeconfig backend: the contexts it may use, each with the
                       API server it must point at (else clusters/allowed-contexts in the
                       repository); any other is refused (exit 2). Never read from the
                       environment. The harness works only in namespaces it creates and labels.
  --keep-cluster       kind backend: leave the cluster it created running afterwards
  --flink-image <img>  kind backend: a real Flink image in application mode instead of the
                       REST stub image; kubeconfig backend: the JobManager pod's image
                       (kind config: STATUSCHAOS_KIND_CONFIG, default clusters/kind/config.yaml;
                       see docs/backends.md)
  --cluster-dir <dir>  local backend: use the control plane \`statuschaos cluster up\` started there
  --flink <kind>       local and kind backends: stub (default: the REST stub, in this process
                       or as the JobManager's image) | real (a Flink 1.18 application cluster:
                       JVMs on local, the Flink image in the JobManager pod on kind;
                       \`npm run tools\` builds both)
  -h, --help           this help

Exit codes: 0 every expectation held; 1 an expectation failed or a run was inconclusive;
2 bad input or usage; 3 the backend or a tracker could not run (a tracker that never started,
crashed or printed garbage: its verdicts are inconclusive, with its stderr's tail); 130 stopped by Ctrl-C, 143 by SIGTERM
(the scenario runs finished by then are kept).
`;

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
    flink: { type: 'string' },
    'streampark-home': { type: 'string' },
    ...SCALE_OPTIONS,
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const backendName = choiceFlag('backend', flagOrEnv(values, 'backend', io.env), BACKEND_NAMES) ?? 'sim';
  const seed = integerFlag('seed', flagOrEnv(values, 'seed', io.env), { max: LIMITS.seedMax });
  const repeat = integerFlag('repeat', flagOrEnv(values, 'repeat', io.env), { min: 1, max: LIMITS.repeat }) ?? 1;
  const flink = choiceFlag('flink', flagOrEnv(values, 'flink', io.env), FLINK_KINDS);
  if (flink === 'real' && backendName !== 'local' && backendName !== 'kind') throw new UserError(`--flink real runs on the local and kind backends only, not on ${backendName}`, { hint: 'add `--backend local` or `--backend kind`' });
  const streamparkHome = flagOrEnv(values, 'streampark-home', io.env);
  // the trackers read their settings from the environment (STATUSCHAOS_STREAMPARK_HOME)
  const trackerEnv = streamparkHome === undefined ? io.env : { ...io.env, STATUSCHAOS_STREAMPARK_HOME: resolve(io.cwd ?? process.cwd(), streamparkHome) };
  const { variants, needsProfile } = chooseTrackers(flagOrEnv(values, 'variants', io.env), { backend: backendName, env: trackerEnv });
  // real Flink and real trackers cannot start, recover or time out ten times faster: StreamPark's own timing unless asked
  const profile = choiceFlag('timing', flagOrEnv(values, 'timing', io.env), PROFILE_NAMES) ?? needsProfile ?? (backendName === 'sim' ? undefined : flink === 'real' ? 'streampark' : 'fast');
  assertProfile(variants, profile);

  const scenarios = await loadScenarios(positionals);
  checkSeedRange(scenarios, seed, repeat);
  assertScenariosSupported(backendName, scenarios);
  const cwd = io.cwd ?? process.cwd();
  const output = await claimRunOutput(cwd, flagOrEnv(values, 'out', io.env), backendName);
  const outDir = output.folder.path;
  const shown = relative(cwd, outDir) || '.';
  const progress = (message: string) => io.stderr.write(`statuschaos: ${message}\n`);
  try {
    const backendSettings = {
      env: trackerEnv,
      kubeconfig: flagOrEnv(values, 'kubeconfig', io.env),
      context: flagOrEnv(values, 'context', io.env),
      // the allow-list is never read from the environment alone (docs/backends.md)
      allowedContexts: listFlag('allowed-contexts', typeof values['allowed-contexts'] === 'string' ? values['allowed-contexts'] : undefined),
      keepCluster: values['keep-cluster'] === true || /^(1|true|yes)$/i.test(io.env.STATUSCHAOS_KEEP_CLUSTER ?? ''),
      flinkImage: flagOrEnv(values, 'flink-image', io.env),
      ...(flink ? { flink } : {}),
      workDir: outDir,
      ...(flagOrEnv(values, 'cluster-dir', io.env) ? { clusterDir: resolve(cwd, flagOrEnv(values, 'cluster-dir', io.env)!) } : {}),
    };
    const scale = scaleSettings(values, io.env, backendName, backendSettings);
    const { workers, shard } = scale;
    const backend = await createBackend(backendName, backendSettings);
    progress(`${scenarios.length} scenario(s) × ${variants.length} variant(s) on ${backendName}${repeat > 1 ? `, ${repeat} seeds each` : ''} → ${shown}${describeScale(scale, scenarios.length * repeat)}`);
    try {
      await runAndStore({ backend, scenarios, variants, seed, repeat, shard, workers, profile, outDir, workDir: outDir, onProgress: progress, signal: io.signal, env: trackerEnv });
    } catch (error) {
      if (io.signal?.aborted) progress(`the scenario runs finished before the stop are kept in ${shown}; \`statuschaos report ${shown}\` renders them`);
      throw error;
    }
    const record = await readRunRecord(outDir);
    const written = await writeReport(record, outDir, { html: shard === undefined });
    const warning = await linkLatest(output);
    if (warning !== undefined) progress(`warning: ${warning}`);
    io.stdout.write(renderMatrix(record));
    io.stdout.write(`report: ${relative(cwd, written[0]!)}\n`);
    const broken = record.results.filter((result) => result.trackerFailed !== undefined);
    if (broken.length > 0) {
      for (const result of broken) progress(`${result.variant} broke in ${result.scenario} (seed ${result.seed}): ${result.trackerFailed}`);
      return EXIT.backend; // a tracker that could not run is like a backend that could not: its verdicts are inconclusive
    }
    return hasFailures(record.summary) ? EXIT.failed : EXIT.ok;
  } finally {
    await output.folder.release();
  }
}

/** Seeds are 32-bit: the last seed of a repeated run must be one too (never folded or wrapped). */
function checkSeedRange(scenarios: readonly Scenario[], seed: number | undefined, repeat: number): void {
  for (const scenario of scenarios) {
    const first = seed ?? scenario.seed ?? 1;
    if (first + repeat - 1 > LIMITS.seedMax) {
      throw new UserError(`${scenario.name}: seeds ${first} to ${first + repeat - 1} go past ${LIMITS.seedMax}, the largest seed`, { location: seed === undefined ? { file: scenario.file } : undefined, hint: 'start from a smaller --seed or repeat fewer times (docs/limits.md)' });
    }
  }
}
