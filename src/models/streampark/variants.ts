/**
 * The StreamPark variants (docs/models.md). Each is the same set of machines with a few named guards
 * and actions swapped through `.provide()`; everything not listed here is v2.1.3 as shipped.
 */
import { enqueueActions, sendTo } from 'xstate';
import { consoleMachine } from './console.ts';
import type { ExistenceApiErrorEvent, ExistenceVerdictEvent } from './deployment-existence.ts';
import { listJobsMachine } from './list-jobs.ts';
import { applicationProbeMachine } from './application-probe.ts';
import { restUrlRefresherMachine } from './rest-url-refresher.ts';
import { sessionProbeMachine } from './session-probe.ts';
import { trackerMachine } from './tracker.ts';
import { deploymentKey } from './types.ts';
import { watcherMachine } from './watcher.ts';

type Provided<M extends { provide: (implementations: never) => unknown }> = Parameters<M['provide']>[0];

/** Overrides per machine; a variant names only what differs from v2.1.3. */
export interface StreamParkOverrides {
  tracker?: Provided<typeof trackerMachine>;
  console?: Provided<typeof consoleMachine>;
  watcher?: Provided<typeof watcherMachine>;
  sessionProbe?: Provided<typeof sessionProbeMachine>;
  applicationProbe?: Provided<typeof applicationProbeMachine>;
  restUrlRefresher?: Provided<typeof restUrlRefresherMachine>;
}


// ── the two fixes for issue #3618 ──────────────────────────────────────────────────────────
/** Commit 3b88e60: isDeploymentExists returns true when the API call throws. */
const retrieverFix: StreamParkOverrides = {
  tracker: {
    actions: {
      answerExistenceAfterApiError: sendTo((_, params: ExistenceApiErrorEvent) => params.replyTo, { type: 'existence.verdict', exists: true } satisfies ExistenceVerdictEvent),
    },
  },
};
/** PR #3634: the listener no longer returns early when the stored state is an end state. */
const listenerFix: StreamParkOverrides = {
  console: { guards: { isAbsorbedByEndState: () => false } },
};

// ── v2.1.4 as shipped ──────────────────────────────────────────────────────────────────────
const v214: StreamParkOverrides = {
  tracker: {
    actions: {
      // DEPLOYMENT_LOST_TIME: true for 3 minutes after the first failure, then false once
      // (the key is dropped); never cleared on success.
      answerExistenceAfterApiError: enqueueActions(({ context, enqueue }, params: ExistenceApiErrorEvent) => {
        const key = deploymentKey(params.namespace, params.deploymentName);
        const since = context.deploymentLostSince[key];
        const now = context.env.ports.now();
        let exists = true;
        if (since === undefined) enqueue.assign({ deploymentLostSince: { ...context.deploymentLostSince, [key]: now } });
        else if (now - since >= context.env.timing.deploymentLostGraceMs) {
          const { [key]: _dropped, ...rest } = context.deploymentLostSince;
          enqueue.assign({ deploymentLostSince: rest });
          exists = false;
        }
        const verdict: ExistenceVerdictEvent = { type: 'existence.verdict', exists };
        enqueue.sendTo(params.replyTo, verdict);
      }),
    },
    guards: { retrackChecksDeploymentExistence: () => false },
  },
  console: listenerFix.console,
  watcher: {
    guards: {
      invalidatesTrackIdWhenCanceling: () => true, // commit 933271e: canceling branch does trackIds.invalidate
      appliesSessionOverviewToEveryJob: () => false,
      untracksSessionEndStatesAtOnce: () => true,
      pollsOnScheduledPool: () => true, // FlinkWatcher.scala v2.1.4 lines 29–31
    },
  },
  sessionProbe: { guards: { rechecksMissingSessionJob: () => true } },
  applicationProbe: { guards: { readsArchiveDirFromFlinkConf: () => true } }, // commit b4c40508b
  restUrlRefresher: { guards: { looksUpIngressFirst: () => true } },
};

/** Build the tracker machine of a variant: the overrides provided at every level they apply. */
export function assembleStreamPark(overrides: StreamParkOverrides) {
  const restUrlRefresher = restUrlRefresherMachine.provide(overrides.restUrlRefresher ?? {});
  const listJobsDetails = listJobsMachine.provide({ actors: { restUrlRefresher } });
  const applicationProbe = applicationProbeMachine.provide({ ...overrides.applicationProbe, actors: { listJobsDetails } });
  const sessionProbe = sessionProbeMachine.provide({ ...overrides.sessionProbe, actors: { listJobsDetails } });
  const watcher = watcherMachine.provide({ ...overrides.watcher, actors: { applicationProbe, sessionProbe } });
  const console = consoleMachine.provide(overrides.console ?? {});
  return trackerMachine.provide({ ...overrides.tracker, actors: { watcher, console } });
}

export const STREAMPARK_VARIANTS = {
  'v2.1.3': { role: 'buggy', description: 'StreamPark 2.1.3 as shipped', overrides: {} },
  'fix-retriever-only': { role: 'buggy', description: 'ablation: only isDeploymentExists fixed (true on API error)', overrides: retrieverFix },
  'fix-listener-only': { role: 'buggy', description: 'ablation: only the listener end-state guard removed', overrides: listenerFix },
  'minimal-fix': { role: 'fixed', description: 'the fix for #3618: both changes, nothing else', overrides: { ...retrieverFix, ...listenerFix } },
  'v2.1.4': { role: 'fixed', description: 'StreamPark 2.1.4 as shipped (3-minute grace window, new session and restart rules)', overrides: v214 },
} as const satisfies Record<string, { role: 'buggy' | 'fixed'; description: string; overrides: StreamParkOverrides }>;

export type StreamParkVariantName = keyof typeof STREAMPARK_VARIANTS;
