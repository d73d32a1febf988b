// Generated values for `job render`'s flags (issue 22, item 1): hostile ones (newlines, `---`,
// quotes, NUL, U+200B, `..`) and ones near Kubernetes' rules (names, quantities, image
// references), with where each flag's value lands in the rendered manifests. job.test.ts holds
// each to exit 2 or a verbatim render; job.live.test.ts has a real API server judge the renders.
import fc from 'fast-check';

interface Rendered {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}
type Field = (job: Rendered, claim: Rendered | undefined) => unknown;

const template = (job: Rendered) => (job.spec as { template: { spec: { containers: { image: string }[]; volumes: { persistentVolumeClaim: { claimName: string } }[] } } }).template.spec;

/** Each flag, and where its value lands (in the Job, or in the claim rendered with it). */
export const JOB_VALUE_FIELDS: readonly (readonly [string, Field])[] = [
  ['--name', (job) => job.metadata.name],
  ['--namespace', (job) => job.metadata.namespace],
  ['--claim', (job) => template(job).volumes[0]!.persistentVolumeClaim.claimName],
  ['--storage', (_, claim) => (claim?.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage],
  ['--storage-class', (_, claim) => (claim?.spec as { storageClassName?: string } | undefined)?.storageClassName],
  ['--image', (job) => template(job).containers[0]!.image],
];

const pieces = fc.constantFrom(...'abz09-._:/@\n\r\t #"\'{}[]&*!|>%\u0000\u200bAZ'.split(''), '---', '\nkind: Pod\n', 'sha256:', '5Gi', '..');
const hostile = fc.array(pieces, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const nearlyValid = fc.oneof(
  fc.stringMatching(/^[a-z0-9]([-a-z0-9.]{0,60}[a-z0-9])?$/),
  fc.stringMatching(/^([0-9]{1,4}|[0-9]{0,3}\.[0-9]{1,3})(Ki|Mi|Gi|Ti|m|k|M|G|e3|E|)$/),
  fc.stringMatching(/^([a-z0-9]{1,10}(\.[a-z0-9]{1,10})?(:[0-9]{2,5})?\/)?[a-z0-9]{1,10}([._-][a-z0-9]{1,10})?(:[\w][\w.-]{0,10})?$/),
);

/** Names YAML 1.1 (kubectl's) reads as booleans, numbers or null unless they are quoted. */
const yaml11 = fc.constantFrom('y', 'n', 'yes', 'no', 'on', 'off', 'true', 'null', '1:20', '0x1f', '1e3', '012');

/** A value for any of the flags: hostile, or near the rules. */
export const jobValue = fc.oneof(hostile, nearlyValid, yaml11);
