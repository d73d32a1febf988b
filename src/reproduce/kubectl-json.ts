/**
 * Reading what kubectl printed: `kubectl get events -o json` and `kubectl get pods -o json` (a
 * List of Event or of Pod; also a single Pod, and events.k8s.io/v1 events). Only the fields the
 * evidence import reads are required, each checked; anything else — not JSON, another kind, an
 * item without a time — is refused with where and what was expected (exit 2).
 */
import { UserError, UserErrors, describeValue } from '../errors/user-error.ts';
import { readInputText } from '../scenario/load.ts';

/** Bytes of one kubectl JSON file and items in it (a busy namespace's events fit many times over). */
export const KUBECTL_LIMITS = { fileBytes: 32 * 1024 * 1024, items: 20_000 } as const;

export const KUBECTL_COMMANDS = {
  events: 'kubectl get events -n <namespace> -o json > events.json',
  pods: 'kubectl get pods -n <namespace> -l app=<clusterId>,component=jobmanager -o json > pods.json',
} as const;

export interface KubeEvent {
  reason: string;
  message: string;
  /** the object it is about */
  kind: string;
  name: string;
  /** epoch ms: the last time it was seen (lastTimestamp, eventTime, or when it was recorded) */
  lastMs: number;
  firstMs: number;
  count: number;
}

export interface KubePod {
  name: string;
  labels: Record<string, string>;
  phase: string | undefined;
  reason: string | undefined;
  createdMs: number | undefined;
  /** deletionTimestamp minus the grace period: when the deletion was asked for */
  deletedMs: number | undefined;
  /** when the pod's conditions last changed (an eviction's time) */
  lastTransitionMs: number | undefined;
  containers: { name: string; restartCount: number; lastTerminated?: { reason: string; exitCode: number | undefined; finishedMs: number | undefined; startedMs: number | undefined }; runningSinceMs: number | undefined }[];
}

export type KubectlFile = { kind: 'events'; file: string; events: KubeEvent[] } | { kind: 'pods'; file: string; pods: KubePod[] };

const EXPECTED = 'the JSON that `kubectl get events -o json` or `kubectl get pods -o json` prints (a List of Event or of Pod)';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const time = (value: unknown): number | undefined => {
  const text = str(value);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Read one file kubectl wrote: events or pods, whichever it holds. */
export async function readKubectlFile(file: string): Promise<KubectlFile> {
  const text = await readInputText(file, { kind: 'kubectl JSON', maxBytes: KUBECTL_LIMITS.fileBytes, typical: 'kubectl get events/pods -o json of one namespace is well under that', give: 'the file kubectl -o json wrote' });
  return parseKubectlJson(text, file);
}

export function parseKubectlJson(text: string, file: string): KubectlFile {
  const fail = (message: string, hint = `give ${EXPECTED}; docs/reproduce.md says which commands`, line?: number) => new UserErrors([new UserError(message, { location: { file, ...(line !== undefined ? { line } : {}) }, hint })]);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const where = /line (\d+)/.exec((error as Error).message);
    throw fail(`not JSON: ${(error as Error).message.split('\n')[0]}`, `give ${EXPECTED} (with -o json, not -o yaml or the table)`, where ? Number(where[1]) : undefined);
  }
  if (!isObject(document)) throw fail(`expected ${EXPECTED}, got ${describeValue(document)}`);
  const kind = str(document.kind);
  const items = kind === 'Pod' || kind === 'Event' ? [document] : document.items;
  if (!Array.isArray(items)) throw fail(`expected ${EXPECTED}; this is ${kind ? `a ${kind}` : 'a JSON object without `kind` and `items`'}`);
  if (items.length > KUBECTL_LIMITS.items) throw fail(`more than ${KUBECTL_LIMITS.items} items (${items.length})`, 'select one namespace and the JobManager pods (docs/reproduce.md)');
  const kinds = new Set(items.map((item) => (isObject(item) ? (str(item.kind) ?? (isObject(item.involvedObject) || isObject(item.regarding) ? 'Event' : isObject(item.status) && isObject(item.spec) ? 'Pod' : undefined)) : undefined)));
  if (items.length === 0) throw fail('the list is empty: kubectl found nothing', 'check the namespace and the selector of the kubectl command; events expire after an hour by default');
  if (kinds.size !== 1 || !(kinds.has('Event') || kinds.has('Pod'))) throw fail(`expected a List of Event or of Pod, got a list of ${[...kinds].map((value) => value ?? 'unknown items').join(', ')}`);
  const problems: string[] = [];
  if (kinds.has('Event')) {
    const events = items.flatMap((item, index) => {
      const event = readEvent(item as Json);
      if (typeof event === 'string') problems.push(`items[${index}] (Event): ${event}`);
      return typeof event === 'string' ? [] : [event];
    });
    if (problems.length > 0) throw fail(problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''));
    return { kind: 'events', file, events };
  }
  const pods = items.flatMap((item, index) => {
    const pod = readPod(item as Json);
    if (typeof pod === 'string') problems.push(`items[${index}] (Pod): ${pod}`);
    return typeof pod === 'string' ? [] : [pod];
  });
  if (problems.length > 0) throw fail(problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''));
  return { kind: 'pods', file, pods };
}

/** A core/v1 Event (involvedObject, lastTimestamp) or an events.k8s.io/v1 one (regarding, eventTime). */
function readEvent(item: Json): KubeEvent | string {
  const about = isObject(item.involvedObject) ? item.involvedObject : isObject(item.regarding) ? item.regarding : undefined;
  if (about === undefined) return 'no involvedObject: what is it about?';
  const reason = str(item.reason);
  if (reason === undefined) return 'no reason';
  const metadata = isObject(item.metadata) ? item.metadata : {};
  const series = isObject(item.series) ? item.series : {};
  const lastMs = time(item.lastTimestamp) ?? time(series.lastObservedTime) ?? time(item.eventTime) ?? time(item.deprecatedLastTimestamp) ?? time(metadata.creationTimestamp);
  const firstMs = time(item.firstTimestamp) ?? time(item.eventTime) ?? time(item.deprecatedFirstTimestamp) ?? lastMs;
  if (lastMs === undefined || firstMs === undefined) return 'no time (lastTimestamp, eventTime or metadata.creationTimestamp)';
  const count = typeof item.count === 'number' ? item.count : typeof series.count === 'number' ? series.count : 1;
  return { reason, message: str(item.message) ?? str(item.note) ?? '', kind: str(about.kind) ?? '', name: str(about.name) ?? '', lastMs, firstMs, count };
}

function readPod(item: Json): KubePod | string {
  const metadata = isObject(item.metadata) ? item.metadata : undefined;
  const name = str(metadata?.name);
  if (metadata === undefined || name === undefined) return 'no metadata.name';
  const status = isObject(item.status) ? item.status : {};
  const labels = isObject(metadata.labels) ? Object.fromEntries(Object.entries(metadata.labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
  const grace = typeof metadata.deletionGracePeriodSeconds === 'number' ? metadata.deletionGracePeriodSeconds : 0;
  const deletion = time(metadata.deletionTimestamp);
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const transitions = conditions.map((condition) => time(condition.lastTransitionTime)).filter((value): value is number => value !== undefined);
  const containers = (Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObject) : []).map((container) => {
    const last = isObject(container.lastState) && isObject(container.lastState.terminated) ? container.lastState.terminated : undefined;
    const running = isObject(container.state) && isObject(container.state.running) ? container.state.running : undefined;
    return {
      name: str(container.name) ?? '',
      restartCount: typeof container.restartCount === 'number' ? container.restartCount : 0,
      ...(last !== undefined ? { lastTerminated: { reason: str(last.reason) ?? 'Error', exitCode: typeof last.exitCode === 'number' ? last.exitCode : undefined, finishedMs: time(last.finishedAt), startedMs: time(last.startedAt) } } : {}),
      runningSinceMs: time(running?.startedAt),
    };
  });
  return { name, labels, phase: str(status.phase), reason: str(status.reason), createdMs: time(metadata.creationTimestamp), deletedMs: deletion === undefined ? undefined : deletion - grace * 1000, lastTransitionMs: transitions.length > 0 ? Math.max(...transitions) : undefined, containers };
}
