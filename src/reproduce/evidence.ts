/**
 * Evidence import: what kubectl's pods and events say about the JobManager, as known facts of an
 * incident. A container's `lastState.terminated` is a restart at its `finishedAt` with its reason;
 * a pod `Failed`/`Evicted` (or an `Evicted` event) an eviction; a `deletionTimestamp`, a `Killing`
 * event on a pod that is gone or a ReplicaSet's "Deleted pod" a deletion; a `BackOff` event a
 * container that crashed and restarted. Facts a few seconds apart that say the same are one.
 * Times stay absolute (epoch ms) until the incident's clock places them.
 */
import { UserError, UserErrors } from '../errors/user-error.ts';
import { dateTimeOnClock, type IncidentClock } from '../scenario/incident-clock.ts';
import type { KubectlFile, KubePod } from './kubectl-json.ts';

/** How far apart two sightings of one restart, eviction or deletion may be (kubectl's times are to the second; an event may lag a second). */
const SAME_FACT_MS = 5_000;
/** How far the incident's fact may be from what kubectl says (its times are to the second; a restart is noticed when the container dies). */
const WITHIN_MS = 10_000;

export interface EvidenceFact {
  fact: 'jobmanager-restart' | 'pod-eviction' | 'pod-deletion';
  /** epoch ms */
  atMs: number;
  reason?: string;
  /** what showed it, in full */
  sources: string[];
  /** the same, short: `lastState.terminated OOMKilled`, `BackOff event` */
  seenAs: string[];
}

export interface Evidence {
  facts: EvidenceFact[];
  /** the JobManager pods the files hold */
  pods: string[];
  /** what the files say that is not a fact (more restarts than times, …) */
  notes: string[];
}

const isJobManager = (pod: KubePod, clusterId: string | undefined) => pod.labels.component === 'jobmanager' && (clusterId === undefined || pod.labels.app === clusterId);

/** The facts the files show about the JobManager of `clusterId` (any JobManager when undefined). */
export function evidenceFrom(files: readonly KubectlFile[], clusterId: string | undefined): Evidence {
  const pods = files.flatMap((file) => (file.kind === 'pods' ? file.pods : []));
  const events = files.flatMap((file) => (file.kind === 'events' ? file.events : []));
  const jobManagers = pods.filter((pod) => isJobManager(pod, clusterId));
  const podFile = files.find((file) => file.kind === 'pods');
  if (podFile !== undefined && jobManagers.length === 0) {
    throw new UserErrors([new UserError(`no JobManager pod${clusterId ? ` of ${clusterId}` : ''} in the pods (${pods.length} pod(s), none labelled component=jobmanager${clusterId ? `, app=${clusterId}` : ''})`, { location: { file: podFile.file }, hint: `kubectl get pods -n <namespace> -l app=${clusterId ?? '<clusterId>'},component=jobmanager -o json` })]);
  }
  const names = new Set(jobManagers.map((pod) => pod.name));
  // without pods, a pod is the JobManager's by its name: <clusterId>-<hash>-<suffix>, not a TaskManager
  const isJobManagerPodName = (name: string) => names.has(name) || (podFile === undefined && clusterId !== undefined && name.startsWith(`${clusterId}-`) && !name.includes('taskmanager'));
  const facts: EvidenceFact[] = [];
  const notes: string[] = [];
  const at = (ms: number) => new Date(ms).toISOString();

  for (const pod of jobManagers) {
    for (const container of pod.containers) {
      const last = container.lastTerminated;
      const when = last?.finishedMs ?? container.runningSinceMs;
      if (last !== undefined && when !== undefined) facts.push({ fact: 'jobmanager-restart', atMs: when, reason: last.reason, seenAs: [`lastState.terminated ${last.reason}`], sources: [`pod ${pod.name}: container ${container.name} lastState.terminated ${last.reason}${last.exitCode !== undefined ? ` (exit ${last.exitCode})` : ''} at ${at(when)}, restartCount ${container.restartCount}`] });
      if (container.restartCount > 1) notes.push(`pod ${pod.name}: container ${container.name} restarted ${container.restartCount} times; lastState tells only the last one's time and reason (events may tell the others' times, not their reasons)`);
    }
    if (pod.phase === 'Failed' && pod.reason === 'Evicted') facts.push({ fact: 'pod-eviction', atMs: pod.lastTransitionMs ?? pod.createdMs ?? 0, seenAs: ['pod Failed, Evicted'], sources: [`pod ${pod.name}: phase Failed, reason Evicted`] });
    if (pod.deletedMs !== undefined) facts.push({ fact: 'pod-deletion', atMs: pod.deletedMs, seenAs: ['deletionTimestamp'], sources: [`pod ${pod.name}: being deleted (deletionTimestamp) since ${at(pod.deletedMs)}`] });
  }
  if (jobManagers.length > 1) notes.push(`${jobManagers.length} JobManager pods: ${jobManagers.map((pod) => `${pod.name} (${pod.phase ?? 'no phase'}, created ${pod.createdMs === undefined ? '?' : at(pod.createdMs)})`).join(', ')}`);

  for (const event of events) {
    const what = `event ${event.reason} on ${event.kind} ${event.name}${event.count > 1 ? ` ×${event.count}` : ''} (${at(event.firstMs)}${event.lastMs !== event.firstMs ? ` – ${at(event.lastMs)}` : ''}): ${event.message}`;
    if (event.kind === 'Pod' && isJobManagerPodName(event.name)) {
      if (event.reason === 'BackOff') {
        // an aggregated event: its first and last sightings are restarts; those between have no time of their own
        facts.push({ fact: 'jobmanager-restart', atMs: event.firstMs, seenAs: ['BackOff event'], sources: [what] });
        if (event.count > 1 && event.lastMs > event.firstMs) facts.push({ fact: 'jobmanager-restart', atMs: event.lastMs, seenAs: ['BackOff event'], sources: [what] });
        if (event.count > 2) notes.push(`${what}: ${event.count - 2} more restart(s) between, at times kubectl does not keep`);
      }
      else if (event.reason === 'Evicted') facts.push({ fact: 'pod-eviction', atMs: event.lastMs, seenAs: ['Evicted event'], sources: [what] });
      else if (event.reason === 'Killing') facts.push({ fact: podFile !== undefined && !names.has(event.name) ? 'pod-deletion' : 'jobmanager-restart', atMs: event.lastMs, seenAs: ['Killing event'], sources: [what] });
      else if (event.reason === 'Started' && event.count > 1) notes.push(`${what}: ${event.count - 1} restart(s)`);
    } else if (event.kind === 'ReplicaSet' && event.reason === 'SuccessfulDelete') {
      const deleted = /Deleted pod: (\S+)/.exec(event.message)?.[1];
      if (deleted !== undefined && (clusterId === undefined || deleted.startsWith(`${clusterId}-`))) facts.push({ fact: 'pod-deletion', atMs: event.lastMs, seenAs: ['ReplicaSet deleted it'], sources: [what] });
    }
  }
  return { facts: mergeSightings(facts), pods: jobManagers.map((pod) => pod.name), notes };
}

/** One fact per restart, eviction or deletion: sightings of one kind within SAME_FACT_MS are one, at the earliest, with the reason a lastState gave. */
function mergeSightings(facts: readonly EvidenceFact[]): EvidenceFact[] {
  const merged: EvidenceFact[] = [];
  for (const fact of [...facts].sort((a, b) => a.atMs - b.atMs)) {
    const same = merged.find((other) => other.fact === fact.fact && Math.abs(other.atMs - fact.atMs) <= SAME_FACT_MS);
    if (same === undefined) merged.push({ ...fact, sources: [...fact.sources], seenAs: [...fact.seenAs] });
    else {
      same.sources.push(...fact.sources);
      for (const seen of fact.seenAs) if (!same.seenAs.includes(seen)) same.seenAs.push(seen);
      if (same.reason === undefined && fact.reason !== undefined) same.reason = fact.reason;
    }
  }
  return merged;
}

/** The facts as `known:` entries of an incident file, on the incident's clock (UTC date-times when it has none). */
export function knownEntries(evidence: Evidence, clock: IncidentClock | undefined): Record<string, unknown>[] {
  const on = (ms: number) => (clock?.kind === 'date-time' ? dateTimeOnClock(clock, ms) : new Date(ms).toISOString().replace(/\.000Z$/, 'Z'));
  return evidence.facts.map((fact) => ({
    fact: fact.fact,
    at: on(fact.atMs),
    within: `${WITHIN_MS / 1000}s`,
    ...(fact.reason !== undefined ? { reason: fact.reason } : {}),
    name: `kubectl: ${fact.seenAs.join(', ')}`,
  }));
}
