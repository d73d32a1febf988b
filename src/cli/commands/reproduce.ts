/** `statuschaos reproduce`: from what an engineer saw in production to the fault schedules that explain it. */
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { createBackend } from '../../backends/registry.ts';
import { UserError } from '../../errors/user-error.ts';
import { healPhase } from '../../explore/schedule.ts';
import { certifyReal, REAL_CERTIFIERS } from '../../reproduce/certify-real.ts';
import { defaultTrackers } from '../../trackers/registry.ts';
import { readInputText } from '../../scenario/load.ts';
import { LIMITS } from '../../scenario/limits.ts';
import { addEvidence, evidenceAsYaml } from '../../reproduce/incident-evidence.ts';
import { parseIncident } from '../../reproduce/incident-load.ts';
import { KUBECTL_COMMANDS, readKubectlFile, type KubectlFile } from '../../reproduce/kubectl-json.ts';
import { ReproduceWriter } from '../../reproduce/output.ts';
import { searchIncident, type SearchResult } from '../../reproduce/search.ts';
import { writeFileAtomically } from '../../record/safe-files.ts';
import { flagOrEnv, parseCommandArgs } from '../args.ts';
import { budgetFlag, numberFlag } from '../flag-ranges.ts';
import { EXIT, type CliIo } from '../io.ts';
import { claimRunOutput } from '../output.ts';
import { workerCount } from '../scale-flags.ts';
import { chooseTrackers } from '../variants.ts';

export const REPRODUCE_HELP = `Usage: statuschaos reproduce <incident.yaml> [options]
       statuschaos reproduce <incident.yaml> --from-kubectl <events.json> <pods.json> [options]
       statuschaos reproduce --from-kubectl <events.json> <pods.json> [--cluster-id <id>]

Searches the fault schedules that respect what the incident file says is known (restarts,
evictions, console restarts, network trouble, each in its window, sure or maybe) and vary what is
not (kinds, times, downtimes, unknown events), keeps those in which the tracker writes the observed
trace while the job does what it did, shrinks each to a minimal schedule and groups them by
mechanism (why the tracker wrote each state). For each explanation: a scenario file ready for the
library, how many schedules support it, and which variants would have shown the truth on the same
schedule. Writes reproduce.json, explanations/*.yaml and an HTML page (docs/reproduce.md).

With --from-kubectl, the JSON that \`${KUBECTL_COMMANDS.events}\` and
\`${KUBECTL_COMMANDS.pods}\` wrote adds the JobManager's restarts (lastState.terminated, its reason
and time), evictions and deletions to the incident's known facts, on its clock (\`start\` must be a
date-time); without an incident file it prints them as YAML.

Options (each also as an environment variable STATUSCHAOS_<NAME>):
  --variants <a,b>     the trackers that may have written the trace (default: the incident's
                       \`tracker\`, else all: ${defaultTrackers('sim').join(', ')})
  --budget <duration>  wall time to search, e.g. 60s, 10m (default 60s; at most a week)
  --runs <n>           stop after n schedules instead (deterministic for a seed)
  --seed <n>           the search's seed (default 1)
  --workers <n>        worker threads (default one per core, ${availableParallelism()} here); with --runs the
                       explanations are the same for any number
  --out <dir>          output folder: new, empty or an earlier statuschaos output (default: a new
                       reports/<time>-reproduce)
  --certify-real       also run each explanation on the local control plane with StreamPark's own
                       code (${REAL_CERTIFIERS.join(', ')}) at StreamPark's timing: would that release
                       have shown the truth? (minutes per explanation; needs \`npm run tools\`)
  --from-kubectl       the .json files given are kubectl's events and pods
  --cluster-id <id>    without an incident: whose JobManager pods (default: any labelled component=jobmanager)
  -h, --help           this help

Exit codes: 0 at least one explanation; 1 none within the budget (the page says what was tried);
2 bad input or usage; 3 --certify-real could not run. Ctrl-C stops within a second and keeps
what was found.
`;

export async function reproduceCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('reproduce', argv, {
    variants: { type: 'string' },
    budget: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    'from-kubectl': { type: 'boolean' },
    'certify-real': { type: 'boolean' },
    'cluster-id': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(REPRODUCE_HELP);
    return EXIT.ok;
  }
  const incidents = positionals.filter((path) => !path.endsWith('.json'));
  const jsonFiles = positionals.filter((path) => path.endsWith('.json'));
  const fromKubectl = values['from-kubectl'] === true;
  if (jsonFiles.length > 0 && !fromKubectl) throw new UserError(`${jsonFiles[0]} is JSON: kubectl's files go with --from-kubectl`, { hint: 'statuschaos reproduce incident.yaml --from-kubectl events.json pods.json' });
  if (fromKubectl && jsonFiles.length === 0) throw new UserError('--from-kubectl needs the JSON files kubectl wrote', { hint: `${KUBECTL_COMMANDS.events}; ${KUBECTL_COMMANDS.pods}` });
  if (incidents.length > 1) throw new UserError(`reproduce takes one incident file (got ${incidents.length}: ${incidents.join(', ')})`, { hint: 'run it once per incident' });
  const kubectl: KubectlFile[] = [];
  for (const file of jsonFiles) kubectl.push(await readKubectlFile(file));
  const [incidentPath] = incidents;
  if (incidentPath === undefined) {
    if (!fromKubectl) throw new UserError('no incident file given', { hint: 'statuschaos reproduce incident.yaml (docs/reproduce.md has an example)' });
    const { text } = evidenceAsYaml(kubectl, flagOrEnv(values, 'cluster-id', io.env));
    io.stdout.write(text);
    return EXIT.ok;
  }

  let text = await readInputText(incidentPath, { kind: 'incident', maxBytes: LIMITS.scenarioFileBytes, typical: 'an incident is a few KB', give: 'an incident .yaml file' });
  if (kubectl.length > 0) text = addEvidence(text, incidentPath, kubectl).text;
  const incident = parseIncident(text, kubectl.length > 0 ? `${incidentPath} (with kubectl's facts)` : incidentPath);
  const variantsText = flagOrEnv(values, 'variants', io.env);
  const trackers = variantsText === undefined ? incident.trackers : chooseTrackers(variantsText, { backend: 'sim', env: io.env }).variants;
  const real = values['certify-real'] === true || flagOrEnv(values, 'certify-real', io.env) === 'true';
  if (real) chooseTrackers(REAL_CERTIFIERS.join(','), { backend: 'local', env: io.env }); // not built: exit 3 before anything runs
  const runs = numberFlag('runs', flagOrEnv(values, 'runs', io.env));
  const budgetMs = budgetFlag(flagOrEnv(values, 'budget', io.env)) ?? (runs === undefined ? 60_000 : undefined);
  const seed = numberFlag('seed', flagOrEnv(values, 'seed', io.env)) ?? 1;
  const workers = workerCount(values, io.env, 'sim');
  const cwd = io.cwd ?? process.cwd();
  // the output is apart from the incident and kubectl's files (replacing a folder that holds them would remove them)
  const output = await claimRunOutput(cwd, flagOrEnv(values, 'out', io.env), 'reproduce', positionals);
  try {
    if (kubectl.length > 0) await writeFileAtomically(output.folder.path, 'incident.yaml', text);
    return await reproduceInto(output.folder.path, { incident, trackers, runs, budgetMs, seed, workers, real, cwd }, io);
  } finally {
    await output.folder.release();
  }
}

interface ReproduceSettings {
  incident: ReturnType<typeof parseIncident>;
  trackers: string[];
  runs: number | undefined;
  budgetMs: number | undefined;
  seed: number;
  workers: number;
  real: boolean;
  cwd: string;
}

async function reproduceInto(outDir: string, { incident, trackers, runs, budgetMs, seed, workers, real, cwd }: ReproduceSettings, io: CliIo): Promise<number> {
  const heal = healPhase();
  const certify = defaultTrackers('sim');
  const budget = { ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { ms: budgetMs } : {}) };
  const writer = await ReproduceWriter.create(outDir, incident, { seed, budget, trackers, certify }, heal);
  const progress = (message: string) => io.stderr.write(`statuschaos: ${message}\n`);
  progress(`reproducing ${incident.name} (${trackers.join(', ')}: ${incident.observed.trace}, job ${incident.truth}) with seed ${seed}${workers > 1 ? ` on ${workers} worker threads` : ''}: ${runs !== undefined ? `${runs} schedules` : ''}${runs !== undefined && budgetMs !== undefined ? ' or ' : ''}${budgetMs !== undefined ? `${budgetMs / 1000} s` : ''} → ${relative(cwd, outDir) || '.'}`);
  let result: SearchResult | undefined;
  try {
    result = await searchIncident({
      incident,
      trackers,
      certify,
      heal,
      seed,
      budget,
      workers,
      signal: io.signal,
      onProgress: (p) => progress(`${p.schedules} schedules (${p.rate.toFixed(1)}/s) · ${p.explanations} explanation(s)${p.leftMs !== undefined ? ` · ${Math.ceil(p.leftMs / 1000)} s left` : ''} · ${p.doing}`),
      onExplanation: async (explanation) => {
        const entry = await writer.add(explanation);
        progress(`explained: ${entry.mechanism} — shrunk to ${entry.events} event(s): ${entry.schedule}${entry.replayed ? '' : ' (its file did NOT replay it)'}`);
      },
    });
  } finally {
    // whatever stopped it, the folder says so and keeps what was found
    if (result === undefined) await writer.finish({ schedules: 0, elapsedMs: 0, firstExplanationMs: undefined, misses: { truth: 0, trace: 0, times: 0 }, traces: {}, explanations: [] }, 'interrupted');
  }
  if (real && !io.signal?.aborted && writer.explanations.length > 0) {
    const backend = await createBackend('local', { env: io.env, workDir: join(outDir, 'certify') });
    try {
      for (const entry of writer.explanations) {
        if (io.signal?.aborted) break;
        progress(`certifying ${entry.name} with StreamPark's own code (${REAL_CERTIFIERS.join(', ')}) on the local control plane`);
        await writer.certifyReal(entry, await certifyReal(join(outDir, entry.file), incident.observed.job, { backend, workDir: join(outDir, 'certify', entry.name), onProgress: progress, env: io.env, ...(io.signal ? { signal: io.signal } : {}) }));
      }
    } finally {
      await backend.shutdown?.();
    }
  }
  const index = await writer.finish(result, io.signal?.aborted ? 'interrupted' : 'complete');
  for (const entry of writer.explanations) {
    const truthful = entry.certificate.filter((item) => item.showsTruth).map((item) => `${item.variant}${item.kind === 'real' && item.version ? ` (${item.version})` : ''}`);
    io.stdout.write(`✓ ${entry.mechanism}\n    ${entry.schedule} (${entry.events} event(s), ${entry.support} schedule(s))\n    would have shown the truth: ${truthful.join(', ') || 'no variant'}\n    ${entry.file}\n`);
  }
  if (writer.explanations.length === 0) {
    const { misses } = result;
    io.stdout.write(`✗ no schedule explains ${incident.name}: in ${result.schedules} schedule(s), ${misses.truth} gave another truth, ${misses.trace} another trace, ${misses.times} the trace at other times\n`);
  }
  io.stdout.write(`${result.schedules} schedule(s) in ${(result.elapsedMs / 1000).toFixed(1)} s, ${writer.explanations.length} explanation(s)${result.firstExplanationMs !== undefined ? `, the first after ${(result.firstExplanationMs / 1000).toFixed(1)} s` : ''}\nreport: ${relative(cwd, index)}\n`);
  if (io.signal?.aborted) throw io.signal.reason;
  return writer.explanations.length > 0 ? EXIT.ok : EXIT.failed;
}
