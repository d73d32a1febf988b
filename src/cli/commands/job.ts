/** `statuschaos job render`: the Kubernetes manifests of a sharded run (clusters/job/README.md). */
import { UserError, suggestion } from '../../errors/user-error.ts';
import { TOOL } from '../../tool.ts';
import { flagOrEnv, parseCommandArgs } from '../args.ts';
import { budgetFlag, numberFlag } from '../flag-ranges.ts';
import { dnsLabel, dnsSubdomain, imagePath, imageReference, storageQuantity } from '../kube-values.ts';
import { EXIT, type CliIo } from '../io.ts';
import { renderMergeJob, renderShardJob, type JobSpec } from '../job-manifest.ts';

export const JOB_HELP = `Usage: statuschaos job render explore --budget <duration> | --runs <n> [options]
       statuschaos job render run <scenario files or folders in the image...> [options]
       statuschaos job render merge [options]

Prints Kubernetes manifests for \`kubectl apply -f -\`: a PersistentVolumeClaim and an Indexed Job
(completionMode: Indexed) whose pod k runs \`statuschaos explore|run … --shard k+1/n\` in the
image and writes to /results/<name>/shard-<k+1> on the claim; then, with \`merge\`, the Job that
joins the shards into /results/<name>/merged. clusters/job/README.md walks through it.

Options:
  --shards <n>          completions: the run is split into n shards (default: --parallelism, else 4)
  --parallelism <n>     pods at once (default: --shards)
  --image <ref>         the image of clusters/job/Dockerfile (default statuschaos:${TOOL.version})
  --workers <n>         worker threads per pod, and the CPUs it requests (default 1)
  --budget <duration>   explore: each pod's wall time, e.g. 30m (as \`explore --budget\`)
  --runs <n>            explore: each pod's schedules instead (as \`explore --runs\`)
  --seed <n>            explore: the exploration's seed; run: as for \`statuschaos run\`
  --repeat <n>          run: seeds per scenario, as for \`statuschaos run\`
  --name <name>         the Job's name and output folder (default statuschaos-<explore|run>;
                        merge: the shards' Job, required)
  --namespace <ns>      metadata.namespace of every object (default: kubectl's)
  --claim <name>        write to this existing claim instead of rendering <name>-results
  --storage <size>      the claim's size (default 5Gi)
  --storage-class <sc>  the claim's storage class; it must offer ReadWriteMany (default: the cluster's)
  -h, --help            this help
`;

const KINDS = ['explore', 'run', 'merge'] as const;
type Kind = (typeof KINDS)[number];
/** The flags in the order the header's command gives them (paths come first). */
const FLAGS = ['budget', 'runs', 'seed', 'repeat', 'name', 'namespace', 'shards', 'parallelism', 'workers', 'image', 'claim', 'storage', 'storage-class'] as const;
/** A Job name, and room for `-<index>` in its pods' host names (63 characters at most). */
const JOB_NAME_CHARS = 50;

export async function jobCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('job', argv, Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' }])));
  if (values.help) {
    io.stdout.write(JOB_HELP);
    return EXIT.ok;
  }
  const [verb, kind, ...paths] = positionals;
  if (verb !== 'render') throw new UserError(verb === undefined ? 'job needs a verb' : `unknown job verb \`${verb}\``, { hint: 'statuschaos job render explore|run|merge (see --help)' });
  if (!KINDS.includes(kind as Kind)) throw new UserError(kind === undefined ? 'job render needs explore, run or merge' : `unknown job kind \`${kind}\``, { hint: suggestion(kind ?? '', KINDS) ?? 'explore, run or merge' });
  const flag = (name: string) => flagOrEnv(values, name, {}); // not from STATUSCHAOS_*: those configure the pods' own runs
  const spec = jobSpec(kind as Kind, paths, flag);
  // the header is the command that renders this again, made of the checked values (never the raw argv)
  const given = FLAGS.flatMap((name) => (flag(name) === undefined ? [] : [`--${name}`, flag(name)!]));
  const header = `statuschaos job ${['render', kind!, ...paths, ...given].map(shellWord).join(' ')}`;
  io.stdout.write(kind === 'merge' ? renderMergeJob(spec, header) : renderShardJob(spec, header));
  return EXIT.ok;
}

/** Every value checked as Kubernetes (and statuschaos in the pods) would check it; exit 2 otherwise. */
function jobSpec(kind: Kind, paths: string[], flag: (name: string) => string | undefined): JobSpec {
  const shardsGiven = numberFlag('shards', flag('shards'));
  const parallelismGiven = numberFlag('parallelism', flag('parallelism'));
  const shards = shardsGiven ?? parallelismGiven ?? 4;
  const parallelism = Math.min(parallelismGiven ?? shards, shards);
  if (kind === 'merge' && flag('name') === undefined) throw new UserError('job render merge needs --name: the name of the Job whose shards it merges', { hint: 'and the same --shards' });
  const name = dnsLabel('name', flag('name') ?? `statuschaos-${kind}`, JOB_NAME_CHARS);
  const namespace = flag('namespace') === undefined ? undefined : dnsLabel('namespace', flag('namespace')!);
  const claim = flag('claim') === undefined ? undefined : dnsSubdomain('claim', flag('claim')!);
  const image = imageReference('image', flag('image') ?? `statuschaos:${TOOL.version}`);
  const storage = storageQuantity('storage', flag('storage') ?? '5Gi');
  const storageClass = flag('storage-class') === undefined ? undefined : dnsSubdomain('storage-class', flag('storage-class')!);
  const repeat = numberFlag('repeat', flag('repeat'));
  const seed = numberFlag('seed', flag('seed'));
  const budget = flag('budget');
  budgetFlag(budget);
  const runs = numberFlag('runs', flag('runs'));
  const workers = numberFlag('podWorkers', flag('workers')) ?? 1;
  const optional = (name: string, value: number | string | undefined) => (value === undefined ? [] : [`--${name}`, String(value)]);
  let args: string[] = [];
  if (kind === 'explore') {
    if (budget === undefined && runs === undefined) throw new UserError('job render explore needs --budget or --runs', { hint: 'what each pod explores: a wall time (--budget 30m) or a number of schedules (--runs 100000)' });
    if (paths.length > 0 || repeat !== undefined) throw new UserError('job render explore takes no scenario paths and no --repeat');
    args = ['explore', ...optional('budget', budget?.trim()), ...optional('runs', runs), ...optional('seed', seed), '--workers', String(workers)];
  } else if (kind === 'run') {
    if (paths.length === 0) throw new UserError('job render run needs the scenario files or folders, as paths in the image', { hint: 'e.g. `statuschaos job render run scenarios --repeat 20` (the image has the library in /app/scenarios)' });
    if (budget !== undefined || runs !== undefined) throw new UserError('--budget and --runs are for explore; a run is as big as its scenarios × --repeat');
    args = ['run', ...paths.map(imagePath), ...optional('seed', seed), ...optional('repeat', repeat), '--workers', String(workers)];
  } else if (paths.length > 0) throw new UserError('job render merge takes no paths: it merges the shard folders of --name');
  return { name, namespace, image, shards, parallelism, workers, args, claim: claim ?? `${name}-results`, createClaim: claim === undefined, storage, storageClass };
}

/** An argument as a shell would need it (the comment at the top of the manifest is a command to re-render it). */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
