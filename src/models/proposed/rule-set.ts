/**
 * The proposed tracker's rules as one table, so that a variant of the tracker is the table with
 * one rule replaced (mutants.ts) rather than a copy of the machines. The machines (tracker.ts,
 * observation.ts) ask the table for every decision; the rules that decide() and observePods() ask
 * in turn come from the same table, so replacing one changes every place it is used.
 */
import type { PodView } from '../ports.ts';
import type { ConsoleRow } from '../environment.ts';
import type { ConsoleState } from '../../systems/streampark.ts';
import { alertsOn, decide, decidingPod, inferredEnd, initialView, isTerminal, observePods, ownJob, proposedTiming, type AppView, type Decision, type Observation, type ProposedTiming } from './rules.ts';

export interface ProposedRules {
  /** every timeout and bound from the poll interval */
  timing(pollIntervalMs: number): ProposedTiming;
  /** the pod that speaks for the JobManager */
  decidingPod(pods: readonly PodView[]): PodView | undefined;
  /** what the pods say when Flink did not answer */
  observePods(pods: readonly PodView[]): Observation;
  /** the application's job in Flink's overview */
  ownJob<Job extends { jid: string }>(jobs: readonly Job[] | undefined, trackId: { jobId: string; mode: string }): Job | undefined;
  isTerminal(state: ConsoleState): boolean;
  alertsOn(state: ConsoleState, view: Pick<AppView, 'userCancelled'>): boolean;
  inferredEnd(view: Pick<AppView, 'flinkEnd' | 'cancelAccepted'>): [ConsoleState, string];
  decide(view: AppView, observation: Observation, startedAt: number, timing: ProposedTiming): Decision;
  /** is a settled observation's result too old to apply: an observation newer than it was applied, or a cancel is out */
  isStale(app: { appliedSeq: number; cancelPending: boolean }, seq: number): boolean;
  /** once a cancel settled: results of observations numbered below this are not applied (one may have read Flink before the cancel) */
  appliedAfterCancel(lastStartedSeq: number): number;
  /** what a restarted console knows of a row: the view it starts from, and whether it tracks it */
  afterRestart(row: ConsoleRow<ConsoleState>, view: AppView, tracked: boolean): { view: AppView; tracked: boolean };
}

/** The rules as designed (docs/proposed-tracker.md), with `overrides` replacing some of them everywhere they are asked. */
export function proposedRules(overrides: Partial<ProposedRules> = {}): ProposedRules {
  const rules: ProposedRules = {
    timing: proposedTiming,
    decidingPod,
    observePods: (pods) => observePods(pods, rules.decidingPod),
    ownJob,
    isTerminal,
    alertsOn,
    inferredEnd,
    decide: (view, observation, startedAt, timing) => decide(view, observation, startedAt, timing, rules),
    isStale: (app, seq) => app.cancelPending || seq < app.appliedSeq,
    appliedAfterCancel: (lastStartedSeq) => lastStartedSeq + 1,
    // kept with the row: what the user asked, how its end was reached; observed state starts again (rule 12)
    afterRestart: (row, view, tracked) => ({ view: { ...initialView(row.state), userCancelled: view.userCancelled, cancelAccepted: view.cancelAccepted, endFromAbsence: view.endFromAbsence }, tracked }),
    ...overrides,
  };
  return rules;
}

export const PROPOSED_RULES: ProposedRules = proposedRules();
