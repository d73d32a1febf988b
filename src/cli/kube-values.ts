/**
 * What Kubernetes accepts, for the values `job render` puts into manifests: each is checked here
 * and refused with exit 2 (a value the API server would refuse, or one that would change the
 * manifest's shape, never reaches the output). The rules are the API's own: DNS-1123 names,
 * resource quantities, image references as the container runtime parses them.
 */
import { UserError } from '../errors/user-error.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A value as a message shows it: control characters and newlines visible, long ones cut. */
const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** A DNS-1123 label (a namespace; a Job name, with room for its pods' `-<index>` host names). */
export function dnsLabel(flag: string, value: string, max = 63): string {
  if (value.length > max || !DNS_LABEL.test(value)) throw new UserError(`--${flag} ${shown(value)} is not a Kubernetes name`, { hint: `lowercase letters, digits and dashes, ${max} characters at most, starting and ending with a letter or digit (DNS-1123 label)` });
  return value;
}

/** A DNS-1123 subdomain (a claim, a storage class). */
export function dnsSubdomain(flag: string, value: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) throw new UserError(`--${flag} ${shown(value)} is not a Kubernetes name`, { hint: 'lowercase letters, digits, dashes and dots, 253 characters at most (DNS-1123 subdomain)' });
  return value;
}

const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPE]|m|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3 };

/** A storage size as a Kubernetes quantity of at least one byte (`5Gi`, `500M`, `1e9`). */
export function storageQuantity(flag: string, value: string): string {
  const match = QUANTITY.exec(value);
  const suffix = match?.[3];
  const bytes = match === null ? Number.NaN : Number(match[1]) * (suffix === undefined ? 1 : /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix]!);
  if (!(bytes >= 1) || !Number.isFinite(bytes)) throw new UserError(`--${flag} ${shown(value)} is not a storage size`, { hint: 'a Kubernetes quantity of at least one byte, e.g. 5Gi, 500Mi or 10G' });
  return value;
}

// the grammar of image references (as Docker's and containerd's reference parsers read them)
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`;
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** An image reference: `[registry[:port]/]path[:tag][@digest]`, 255 characters of name at most. */
export function imageReference(flag: string, value: string): string {
  const name = value.split(/[:@]/, 1)[0]!;
  if (!IMAGE.test(value) || name.length > 255 || value.length > 512) throw new UserError(`--${flag} ${shown(value)} is not an image reference`, { hint: 'e.g. registry.example.com/statuschaos:0.1.0 (lowercase path, optional :tag and @sha256:digest)' });
  return value;
}

/** A path inside the image (run's scenario files): plain characters, no `..`, not a flag. */
export function imagePath(value: string): string {
  const plain = /^[A-Za-z0-9._/+@=,:-]+$/.test(value) && value.length <= 1024;
  if (!plain || value.startsWith('-') || value.split('/').includes('..')) {
    throw new UserError(`scenario path ${shown(value)} is not a plain path in the image`, { hint: 'letters, digits and . _ / + @ = , : -, no `..`, not starting with `-` (e.g. scenarios or /app/scenarios/incident-3618.yaml)' });
  }
  return value;
}
