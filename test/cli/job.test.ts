// `statuschaos job render` and clusters/job/: the manifests say what the issue asks (Indexed, the
// shard from JOB_COMPLETION_INDEX, outputs on the claim); the checked-in examples are what the
// command renders; and the pods' entry command, run here as n processes in a copy of the image's
// files (per the Dockerfile), gives shards whose merge equals one unsharded run.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import fc from 'fast-check';
import { ENTRY_SCRIPT, RESULTS_MOUNT, renderShardJob } from '../../src/cli/job-manifest.ts';
import { JOB_VALUE_FIELDS, jobValue } from '../support/job-values.ts';
import { comparableRun } from '../support/run-folder.ts';
import { cli } from '../support/cli.ts';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

interface Container {
  command: string[];
  args: string[];
  env?: { name: string; value: string }[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: Container[]; volumes: { persistentVolumeClaim: { claimName: string } }[] } } };
}

/** The documents as kubectl reads them: YAML 1.1, where `y`, `no` and `1:20` are a boolean and a number unless quoted. */
const documents = (yamlText: string) => parseAllDocuments(yamlText, { version: '1.1' }).map((document) => document.toJS() as Manifest);
const jobOf = (yamlText: string) => documents(yamlText).find((document) => document.kind === 'Job')!;
const container = (job: Manifest) => job.spec.template.spec.containers[0]!;

async function render(argv: string[]): Promise<string> {
  const { code, stdout, stderr } = await cli(['job', 'render', ...argv]);
  expect(code, stderr).toBe(0);
  return stdout;
}

describe('job render', () => {
  test('explore: a claim and an Indexed Job whose pods run shard JOB_COMPLETION_INDEX + 1 of n into the claim', async () => {
    const [claim, job] = documents(await render(['explore', '--budget', '30m', '--seed', '7', '--shards', '8', '--parallelism', '3', '--image', 'example.org/statuschaos:1']));
    expect(claim).toMatchObject({ kind: 'PersistentVolumeClaim', metadata: { name: 'statuschaos-explore-results' }, spec: { accessModes: ['ReadWriteMany'] } });
    expect(job!.spec).toMatchObject({ completionMode: 'Indexed', completions: 8, parallelism: 3 });
    expect(container(job!)).toMatchObject({
      image: 'example.org/statuschaos:1',
      command: [ENTRY_SCRIPT],
      args: ['explore', '--budget', '30m', '--seed', '7', '--workers', '1'],
      env: [{ name: 'STATUSCHAOS_SHARDS', value: '8' }, { name: 'STATUSCHAOS_RESULTS', value: `${RESULTS_MOUNT}/statuschaos-explore` }],
      resources: { requests: { cpu: '1' } },
      volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
    });
    expect(job!.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName).toBe('statuschaos-explore-results');
  });

  test('explore --workers: threads in each pod, on as many CPUs', async () => {
    const job = jobOf(await render(['explore', '--runs', '100000', '--workers', '2']));
    expect(container(job)).toMatchObject({ args: ['explore', '--runs', '100000', '--workers', '2'], resources: { requests: { cpu: '2' } } });
  });

  test('run: the scenarios, seeds and repeats as given, and --workers threads on as many CPUs', async () => {
    const job = jobOf(await render(['run', 'scenarios/incident-3618.yaml', '--repeat', '50', '--seed', '3', '--workers', '2']));
    expect(container(job)).toMatchObject({ args: ['run', 'scenarios/incident-3618.yaml', '--seed', '3', '--repeat', '50', '--workers', '2'], resources: { requests: { cpu: '2' } } });
  });

  test('--claim uses an existing claim and renders none; merge lists every shard folder', async () => {
    expect(documents(await render(['run', 'scenarios', '--claim', 'shared', '--shards', '2'])).map((document) => document.kind)).toEqual(['Job']);
    const merge = jobOf(await render(['merge', '--name', 'nightly', '--shards', '3', '--claim', 'shared']));
    expect(container(merge).args).toEqual(['merge', '/results/nightly/shard-1', '/results/nightly/shard-2', '/results/nightly/shard-3', '--out', '/results/nightly/merged']);
  });

  test.for([
    [['explore'], /job render explore needs --budget or --runs/],
    [['explore', '--budget', '1000'], /Expected `--budget` to be a positive duration of at most 168 h like `60s`/],
    [['run'], /job render run needs the scenario files or folders/],
    [['run', 'scenarios', '--budget', '10m'], /--budget and --runs are for explore/],
    [['merge'], /job render merge needs --name/],
    [['explore', '--runs', '10', '--name', 'Nightly_Run'], /--name "Nightly_Run" is not a Kubernetes name/],
    [['explore', '--runs', '10', '--shards', '0'], /Expected `--shards` to be a whole number from 1 to 10000/],
    [['explre', '--runs', '10'], /unknown job kind `explre`[\s\S]*did you mean `explore`/],
  ] as const)('job render %j: exit 2 with what to do', async ([argv, message]) => {
    const { code, stderr } = await cli(['job', 'render', ...argv]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  // issue 22, item 1: the header repeated argv with raw newlines, so a value could render a document of its own
  test.for([
    ['a storage class carrying a Pod', ['explore', '--runs', '1', '--storage-class', 'standard\n---\napiVersion: v1\nkind: Pod'], /--storage-class "standard\\n---\\napiVersion: v1\\nkind: Pod" is not a Kubernetes name/],
    ['a namespace with a newline', ['explore', '--runs', '1', '--namespace', 'default\nkind: Pod'], /--namespace "default\\nkind: Pod" is not a Kubernetes name/],
    ['a namespace of 64 characters', ['explore', '--runs', '1', '--namespace', 'n'.repeat(64)], /--namespace "n{64}" is not a Kubernetes name/],
    ['a claim in capitals', ['explore', '--runs', '1', '--claim', 'Shared'], /--claim "Shared" is not a Kubernetes name/],
    ['a claim with a newline', ['run', 'scenarios', '--claim', 'x\n---\nkind: Pod'], /--claim .* is not a Kubernetes name/],
    ['storage 0', ['explore', '--runs', '1', '--storage', '0'], /--storage "0" is not a storage size/],
    ['storage -1Gi', ['explore', '--runs', '1', '--storage', '-1Gi'], /--storage "-1Gi" is not a storage size/],
    ['storage of less than a byte', ['explore', '--runs', '1', '--storage', '500m'], /--storage "500m" is not a storage size/],
    ['storage in words', ['explore', '--runs', '1', '--storage', 'lots'], /is not a storage size/],
    ['an image with a space', ['explore', '--runs', '1', '--image', 'statuschaos latest'], /--image "statuschaos latest" is not an image reference/],
    ['an image with a newline', ['explore', '--runs', '1', '--image', 'x\n---\nkind: Pod'], /is not an image reference/],
    ['an image path in capitals', ['explore', '--runs', '1', '--image', 'example.org/StatusChaos:1'], /is not an image reference/],
    ['a scenario path with ..', ['run', '../etc/scenarios'], /scenario path "..\/etc\/scenarios" is not a plain path in the image/],
    ['a scenario path that is a flag', ['run', '--out=/etc'], /Unknown option|is not a plain path/],
    ['a scenario path with a newline', ['run', 'scenarios\n---\nkind: Pod'], /is not a plain path in the image/],
    ['a name of 51 characters', ['explore', '--runs', '1', '--name', 'n'.repeat(51)], /--name "n{51}" is not a Kubernetes name/],
    ['merge with paths', ['merge', '--name', 'x', 'scenarios'], /job render merge takes no paths/],
  ] as const)('%s: exit 2, nothing rendered', async ([, argv, message]) => {
    const { code, stdout, stderr } = await cli(['job', 'render', ...argv]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  test('the header is a comment whatever it holds: a newline in it cannot start a document', () => {
    const spec = { name: 'x', namespace: undefined, image: 'statuschaos:1', shards: 2, parallelism: 2, workers: 1, args: ['explore', '--runs', '1'], claim: 'x-results', createClaim: true, storage: '1Gi', storageClass: undefined };
    const text = renderShardJob(spec, 'statuschaos job render\n---\napiVersion: v1\nkind: Pod');
    expect(documents(text).map((document) => document.kind)).toEqual(['PersistentVolumeClaim', 'Job']);
    expect(text.split('\n').slice(0, 4)).toEqual(['# statuschaos job render', '# ---', '# apiVersion: v1', '# kind: Pod']);
  });

  test('generated values: each flag either refused with exit 2, or rendered verbatim into the field it sets, in exactly the documents expected', async () => {
    let rendered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...JOB_VALUE_FIELDS), jobValue, async ([flag, field], text) => {
        const { code, stdout, stderr } = await cli(['job', 'render', 'explore', '--runs', '1', flag, text]);
        if (code !== 0) {
          expect(code, stderr).toBe(2);
          expect(stdout).toBe('');
          return;
        }
        rendered += 1;
        const parsed = documents(stdout);
        expect(parsed.map((document) => document.kind)).toEqual(flag === '--claim' ? ['Job'] : ['PersistentVolumeClaim', 'Job']);
        expect(field(parsed.at(-1)!, parsed.length === 2 ? parsed[0] : undefined)).toBe(text);
        expect(stdout.split('\n')[0]).toMatch(/^# statuschaos job render explore /);
        expect(stdout.split('\n')[1]).toMatch(/^apiVersion: /);
      }),
      { numRuns: 300, seed: 22 },
    );
    console.log(`generated job render values: ${rendered} of 300 rendered`);
    expect(rendered).toBeGreaterThan(0); // some generated values are valid names, and those render
  });

  test.for(['clusters/job/indexed-job.yaml', 'clusters/job/merge-job.yaml'])('%s is what the command in its first line renders', async (file) => {
    const text = await readFile(join(root, file), 'utf8');
    const command = /^# statuschaos job (.*)\n/.exec(text)![1]!.split(' ');
    expect((await cli(['job', ...command])).stdout).toBe(text);
  });
});

/** The image's /app as clusters/job/Dockerfile builds it: its COPY lines carried out, node_modules linked. */
async function imageFiles(): Promise<string> {
  const dockerfile = await readFile(join(root, 'clusters/job/Dockerfile'), 'utf8');
  const ignore = await readFile(join(root, 'clusters/job/Dockerfile.dockerignore'), 'utf8');
  const app = await mkdtemp(join(tmpdir(), 'statuschaos-image-'));
  const copies = [...dockerfile.matchAll(/^COPY (.+)$/gm)];
  expect(copies.length, 'COPY lines in clusters/job/Dockerfile').toBeGreaterThan(0);
  for (const [, line] of copies) {
    const words = line!.split(/\s+/);
    const destination = join(app, words.pop()!);
    for (const source of words) {
      expect(ignore.split('\n'), `${source} is let into the build context`).toContain(`!${source}`);
      await mkdir(destination, { recursive: true });
      await cp(join(root, source), source.endsWith('/') ? destination : join(destination, source.split('/').pop()!), { recursive: true });
    }
  }
  expect(dockerfile).toMatch(/^RUN ln -s \/app\/bin\/statuschaos\.js \/usr\/local\/bin\/statuschaos/m); // `statuschaos` on PATH
  expect(dockerfile).toMatch(/^ENTRYPOINT \["\/app\/clusters\/job\/shard-entry\.sh"\]$/m);
  await symlink(join(root, 'node_modules'), join(app, 'node_modules'));
  return app;
}

describe('the image and its entry command', () => {
  test('every package src/ and bin/ import at run time is a dependency, which `npm ci --omit=dev` installs', async () => {
    const { dependencies } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const { stdout } = await run('grep', ['-rhoE', "^(import|export) [^'\"]*from '[^.][^']*'|import\\('[^.][^']*'\\)", join(root, 'src'), join(root, 'bin')]);
    const packages = new Set(
      stdout
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('import type') && !line.startsWith('export type'))
        .map((line) => /'([^']+)'/.exec(line)![1]!)
        .map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!))
        .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name)),
    );
    expect([...packages].filter((name) => !(name in dependencies))).toEqual([]);
  });

  test('n pods’ entry command, run as n processes with JOB_COMPLETION_INDEX set, then the merge Job’s: equal to one unsharded run', async () => {
    const app = await imageFiles();
    const volume = await mkdtemp(join(tmpdir(), 'statuschaos-volume-'));
    const onPath = await mkdtemp(join(tmpdir(), 'statuschaos-path-'));
    await symlink(join(app, 'bin', 'statuschaos.js'), join(onPath, 'statuschaos')); // as the Dockerfile links it
    const env = { PATH: [onPath, dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: volume }; // Node 22 as `node`
    const fromImage = (path: string) => path.replace(/^\/app\//, `${app}/`).replace(new RegExp(`^${RESULTS_MOUNT}/`), `${volume}/`);

    const shards = jobOf(await render(['run', 'scenarios', '--shards', '3', '--name', 'test-run']));
    const pod = container(shards);
    const podEnv = Object.fromEntries(pod.env!.map(({ name, value }) => [name, fromImage(value)]));
    await Promise.all(
      [0, 1, 2].map((index) => run(fromImage(pod.command[0]!), pod.args, { cwd: app, env: { ...env, ...podEnv, JOB_COMPLETION_INDEX: String(index) } })),
    );

    const merge = container(jobOf(await render(['merge', '--name', 'test-run', '--shards', '3'])));
    const merged = await run(merge.command[0]!, merge.args.map(fromImage), { cwd: app, env });
    expect(merged.stdout).toContain('passed, 0 failed');
    await run('statuschaos', ['run', ...pod.args.slice(1), '--out', join(volume, 'whole')], { cwd: app, env });

    expect(await comparableRun(join(volume, 'test-run', 'merged'))).toEqual(await comparableRun(join(volume, 'whole')));
    const again = await run(fromImage(pod.command[0]!), pod.args, { cwd: app, env: { ...env, ...podEnv, JOB_COMPLETION_INDEX: '1' } }).catch((error: { code: number; stderr: string }) => error);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('shard-2 exists already') }); // a finished shard is never overwritten
  });
});
