/**
 * Mutants of the proposed tracker: each replaces one rule of its table (rule-set.ts) with a change
 * a developer could plausibly make — a bound miscounted, a case forgotten, a StreamPark habit let
 * back in. `npm run bench:mutants` explores each and reports which oracle catches it
 * (docs/explore.md, "How good are the oracles"); a mutant nothing catches is an oracle or generator
 * gap, or a change nobody could see. They run as variants named `proposed~<name>` (registry.ts),
 * never among the default variants, and keep the design's contract: their call timeouts as judged
 * are ours, whatever a mutant does with them.
 */
import { decide, initialView, isTerminal, observePods, proposedTiming as baseTiming, type Observation } from './rules.ts';
import { PROPOSED_RULES, type ProposedRules } from './rule-set.ts';

export interface Mutant {
  name: string;
  /** what the developer changed, and why they might have */
  change: string;
  rules: Partial<ProposedRules>;
}

/** An observation read differently before deciding on it (the rest of decide unchanged). */
const reading = (read: (observation: Observation) => Observation): Partial<ProposedRules> => ({ decide: (view, observation, startedAt, timing) => decide(view, read(observation), startedAt, timing) });

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'api-error-is-gone',
    change: 'a failed deployment list is read as "the deployment is gone" (StreamPark 2.1.3\'s BUG 1)',
    rules: reading((o) => (o.kind === 'unknown' && o.why === 'Kubernetes API unreachable' ? { kind: 'gone', archived: undefined } : o)),
  },
  {
    name: 'restart-is-failure',
    change: 'a container that restarted (lastState.terminated) is read as a failed JobManager (StreamPark\'s isDeploymentError)',
    rules: { observePods: (pods) => (pods.some((pod) => pod.containers.some((container) => container.lastTerminated !== undefined)) ? { kind: 'pods-failed', evidence: 'a restarted container' } : observePods(pods)) },
  },
  {
    name: 'first-pod-decides',
    change: 'the first pod listed speaks for the JobManager (StreamPark\'s pods.head), not the chosen one',
    rules: { decidingPod: (pods) => pods[0] },
  },
  {
    name: 'down-too-soon',
    change: 'a JobManager not serving is over after 12 polls (the session-missing bound reused), not 21',
    rules: { timing: (poll) => ({ ...baseTiming(poll), downAfterMs: poll * 12 }) },
  },
  {
    name: 'down-too-late',
    change: 'a JobManager not serving is over after 30 polls, beyond the detection bound',
    rules: { timing: (poll) => ({ ...baseTiming(poll), downAfterMs: poll * 30 }) },
  },
  {
    name: 'lost-not-alerted',
    change: 'LOST is not alerted: it only says the job is over, not how',
    rules: { alertsOn: (state, view) => state !== 'LOST' && isTerminal(state) && !(state === 'CANCELED' && view.userCancelled) },
  },
  {
    name: 'cancel-alerted',
    change: 'every end state is alerted, the CANCELED the user asked for too',
    rules: { alertsOn: (state) => isTerminal(state) },
  },
  {
    name: 'tracks-gone-deployment',
    change: 'the deployment seen gone writes the end but does not stop tracking',
    rules: { decide: (view, observation, startedAt, timing) => ({ ...decide(view, observation, startedAt, timing), untrack: false }) },
  },
  {
    name: 'response-timeout-is-connect-timeout',
    change: 'the REST response timeout set to the connect timeout (0.3 polls), not a whole poll',
    rules: { timing: (poll) => ({ ...baseTiming(poll), restResponseTimeoutMs: baseTiming(poll).restConnectTimeoutMs }) },
  },
  {
    name: 'no-cancel-fence',
    change: 'after a cancel, observations started before it settled are applied (they may have read Flink before the cancel)',
    rules: { appliedAfterCancel: () => 0 },
  },
  {
    name: 'late-results-applied',
    change: 'results are applied as they come, not newest-first: a late answer of an older observation overwrites a newer one',
    rules: { isStale: (app) => app.cancelPending },
  },
  {
    name: 'restart-forgets-cancel',
    change: 'a restarted console forgets that the user cancelled the job',
    rules: { afterRestart: (row, view, tracked) => ({ view: { ...initialView(row.state), endFromAbsence: view.endFromAbsence }, tracked }) },
  },
  {
    name: 'restart-drops-ends',
    change: 'a restarted console tracks only rows not in an end state (StreamPark\'s tracking flag)',
    rules: { afterRestart: (row, view, tracked) => ({ ...PROPOSED_RULES.afterRestart(row, view, tracked), tracked: tracked && !isTerminal(row.state) }) },
  },
  {
    name: 'accepted-cancel-lost',
    change: 'a deployment gone without an archive is LOST even after Flink accepted the user\'s cancel',
    rules: { inferredEnd: (view) => (view.flinkEnd !== undefined ? [view.flinkEnd, 'the end Flink last reported'] : ['LOST', 'nobody reported how the job ended']) },
  },
  {
    name: 'missing-never-lost',
    change: 'a session job missing from its cluster stays SILENT: the missing bound left unset',
    rules: { timing: (poll) => ({ ...baseTiming(poll), vanishedAfterMs: Number.POSITIVE_INFINITY }) },
  },
  {
    name: 'unknown-keeps-state',
    change: 'an observation that learned nothing keeps the state shown (like StreamPark\'s status cache), not SILENT',
    rules: { decide: (view, observation, startedAt, timing) => (observation.kind === 'unknown' && !view.endFromAbsence ? { view, write: undefined, alert: false, untrack: false, cause: observation.why } : decide(view, observation, startedAt, timing)) },
  },
  {
    name: 'absence-end-kept',
    change: 'an end inferred from the JobManager\'s absence stays when its pod serves again, until Flink answers',
    rules: reading((o) => (o.kind === 'unknown' && o.podServing === true ? { kind: 'unknown', why: o.why } : o)),
  },
];
