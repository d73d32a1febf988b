/**
 * The Kubernetes manifests of a sharded run (clusters/job/README.md): a PersistentVolumeClaim
 * for the outputs, an Indexed Job whose pod k runs shard k + 1 of n through the image's entry
 * script (clusters/job/shard-entry.sh: `--shard $((JOB_COMPLETION_INDEX + 1))/n`, output in
 * `<results>/shard-<k+1>`), and the Job that merges the shards once they are all done.
 */
import { Document } from 'yaml';

/** Where the claim is mounted in every pod, and where the image keeps the project. */
export const RESULTS_MOUNT = '/results';
export const APP_DIR = '/app';
export const ENTRY_SCRIPT = `${APP_DIR}/clusters/job/shard-entry.sh`;
const CONTAINER = 'statuschaos';

export interface JobSpec {
  /** the Job's name; its outputs go to `/results/<name>/` */
  name: string;
  namespace: string | undefined;
  image: string;
  /** completions: the n of --shard i/n */
  shards: number;
  /** pods at once */
  parallelism: number;
  /** worker threads per pod (and CPUs it requests) */
  workers: number;
  /** statuschaos's arguments before --shard and --out, e.g. ['explore', '--budget', '30m'] */
  args: string[];
  /** the claim the pods write to; `createClaim` renders it too */
  claim: string;
  createClaim: boolean;
  storage: string;
  storageClass: string | undefined;
}

const labels = (spec: JobSpec, component: string) => ({ 'app.kubernetes.io/name': 'statuschaos', 'app.kubernetes.io/instance': spec.name, 'app.kubernetes.io/component': component });
const metadata = (spec: JobSpec, name: string, component: string) => ({ name, ...(spec.namespace ? { namespace: spec.namespace } : {}), labels: labels(spec, component) });

/** The folder of a Job's outputs on the claim, and shard k's (1-based) folder in it. */
export const resultsDir = (name: string) => `${RESULTS_MOUNT}/${name}`;
export const shardDir = (name: string, shard: number) => `${resultsDir(name)}/shard-${shard}`;

/** A pod that runs as the image's non-root user, can write only to the claim, and holds no privileges. */
function podSpec(spec: JobSpec, container: Record<string, unknown>) {
  return {
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: CONTAINER,
        image: spec.image,
        ...container,
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
      },
    ],
    volumes: [{ name: 'results', persistentVolumeClaim: { claimName: spec.claim } }],
  };
}

function claim(spec: JobSpec) {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: metadata(spec, spec.claim, 'results'),
    // ReadWriteMany: the pods of the Job may run on different nodes and write at the same time
    spec: { accessModes: ['ReadWriteMany'], ...(spec.storageClass ? { storageClassName: spec.storageClass } : {}), resources: { requests: { storage: spec.storage } } },
  };
}

function indexedJob(spec: JobSpec) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(spec, spec.name, 'shards'),
    spec: {
      completionMode: 'Indexed',
      completions: spec.shards,
      parallelism: spec.parallelism,
      // a lost pod (node drained, preempted) runs its shard again; a failed shard twice more
      backoffLimitPerIndex: 2,
      podFailurePolicy: {
        rules: [
          // exit 2 is bad input or usage: every shard would fail the same way
          { action: 'FailJob', onExitCodes: { containerName: CONTAINER, operator: 'In', values: [2] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
      template: {
        metadata: { labels: labels(spec, 'shards') },
        spec: podSpec(spec, {
          command: [ENTRY_SCRIPT],
          args: spec.args,
          env: [
            { name: 'STATUSCHAOS_SHARDS', value: String(spec.shards) },
            { name: 'STATUSCHAOS_RESULTS', value: resultsDir(spec.name) },
          ],
          resources: { requests: { cpu: String(spec.workers), memory: `${256 + 256 * spec.workers}Mi` }, limits: { memory: `${512 + 512 * spec.workers}Mi` } },
        }),
      },
    },
  };
}

function mergeJob(spec: JobSpec) {
  const shards = Array.from({ length: spec.shards }, (_, index) => shardDir(spec.name, index + 1));
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(spec, `${spec.name}-merge`, 'merge'),
    spec: {
      backoffLimit: 0, // exit 1 (an expectation failed) is the answer, not a reason to retry
      template: {
        metadata: { labels: labels(spec, 'merge') },
        spec: podSpec(spec, {
          command: ['statuschaos'],
          args: ['merge', ...shards, '--out', `${resultsDir(spec.name)}/merged`],
          resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '2Gi' } },
        }),
      },
    },
  };
}

/**
 * The manifests as YAML, built as data by the yaml package's document API (values are quoted by
 * it, never spliced into text), with `header` as a comment above the first: each of its lines is
 * a comment whatever it holds, so it can never start a document of its own. Written for YAML 1.1,
 * which kubectl reads: a value like `y`, `no` or `1:20` is quoted, or it would arrive as a boolean
 * or a number (the server-side dry run refused `--image y` as one).
 */
function toYaml(manifests: object[], header: string): string {
  return manifests
    .map((manifest, index) => {
      const document = new Document(manifest, { version: '1.1' });
      if (index === 0 && document.contents !== null) document.contents.commentBefore = header.split('\n').map((line) => ` ${line}`).join('\n');
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

/** The claim (unless it exists already) and the Indexed Job, as one multi-document YAML. */
export function renderShardJob(spec: JobSpec, header: string): string {
  return toYaml([...(spec.createClaim ? [claim(spec)] : []), indexedJob(spec)], header);
}

/** The Job that merges the shards of `renderShardJob(spec)` into `/results/<name>/merged`. */
export function renderMergeJob(spec: JobSpec, header: string): string {
  return toYaml([mergeJob(spec)], header);
}
