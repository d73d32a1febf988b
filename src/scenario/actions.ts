/**
 * Every action a scenario's timeline can take, with what the rest of the harness needs to know
 * about it: what it acts on, its downtime, whether the JobManager comes back from it, whether it
 * ends a job, whether the cluster must record it (etcd faults), which fields it takes. Adding an
 * action is an entry here, plus what each backend does for a world action (its `perform`) and
 * the evidence that it took effect (check/evidence.ts). docs/scenarios.md lists them.
 */

export const ACTIONS = ['restart-jobmanager', 'crash-loop-jobmanager', 'delete-jobmanager-pod', 'evict-jobmanager-pod', 'delete-deployment', 'fail-job', 'finish-job', 'cancel-from-console', 'restart-tracker'] as const;
export type ActionName = (typeof ACTIONS)[number];

export interface ActionDefinition {
  /** `world`: a backend performs it; `console`: every tracker is told (a command) */
  on: 'world' | 'console';
  /** it takes the JobManager (or, for `console`, the console) away for a downtime, by default this long */
  defaultDowntimeMs?: number;
  /** the JobManager comes back after its downtime as a new process: the job recovers, maybe under a new id */
  restartsJobManager: boolean;
  /** it acts on a JobManager: refused once the cluster is gone (its deployment deleted, its job ended in application mode) */
  needsJobManager: boolean;
  /** it ends a job (in application mode Flink then deletes its deployment) */
  endsJob: boolean;
  /** the cluster records it through the API server (kwok, the controllers, the harness write through it) */
  writesToCluster: boolean;
  /** after it, a real stop is there to detect (the job ended, or its JobManager will not serve again) */
  stopsJob: boolean;
  /** it takes `reason` (the terminated container's) */
  takesReason: boolean;
  /** it takes `listed` (where the evicted pod sorts) and needs it */
  takesListed: boolean;
  /** in session mode it is about one job (`job`) */
  aboutJob: boolean;
}

const world = (definition: Partial<ActionDefinition>): ActionDefinition => ({ on: 'world', restartsJobManager: false, needsJobManager: true, endsJob: false, writesToCluster: false, stopsJob: false, takesReason: false, takesListed: false, aboutJob: false, ...definition });

export const ACTION_DEFINITIONS: Readonly<Record<ActionName, ActionDefinition>> = {
  'restart-jobmanager': world({ defaultDowntimeMs: 10_000, restartsJobManager: true, writesToCluster: true, takesReason: true }),
  'crash-loop-jobmanager': world({ writesToCluster: true, stopsJob: true, takesReason: true }),
  'delete-jobmanager-pod': world({ defaultDowntimeMs: 15_000, restartsJobManager: true, writesToCluster: true }),
  'evict-jobmanager-pod': world({ defaultDowntimeMs: 15_000, restartsJobManager: true, writesToCluster: true, takesListed: true }),
  'delete-deployment': world({ writesToCluster: true, stopsJob: true }),
  'fail-job': world({ endsJob: true, stopsJob: true, aboutJob: true }),
  'finish-job': world({ endsJob: true, stopsJob: true, aboutJob: true }),
  'cancel-from-console': { on: 'console', restartsJobManager: false, needsJobManager: true, endsJob: true, writesToCluster: false, stopsJob: true, takesReason: false, takesListed: false, aboutJob: true },
  'restart-tracker': { on: 'console', defaultDowntimeMs: 30_000, restartsJobManager: false, needsJobManager: false, endsJob: false, writesToCluster: false, stopsJob: false, takesReason: false, takesListed: false, aboutJob: false },
};

export function actionDefinition(name: ActionName): ActionDefinition {
  return ACTION_DEFINITIONS[name];
}

/** The actions with a property, e.g. `actionsWhere((action) => action.restartsJobManager)`. */
export function actionsWhere(test: (definition: ActionDefinition) => boolean): ReadonlySet<ActionName> {
  return new Set(ACTIONS.filter((name) => test(ACTION_DEFINITIONS[name])));
}

/** The actions after which a JobManager comes back (a new process): the job recovers, maybe under a new id. */
export const JOBMANAGER_RESTARTS = actionsWhere((action) => action.restartsJobManager);
