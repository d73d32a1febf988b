/**
 * Fault schedules as fast-check arbitraries: every target × toxic with attribute values at the
 * boundaries that matter (shorter than a poll, around each timeout, around the status cache
 * lifetime, beyond v2.1.4's grace window), every action, in application and session mode, alone,
 * overlapping and in sequence. Each choice lists its simplest option first and every number
 * shrinks toward its smallest, so fast-check's integrated shrinking gives the fewest events, the
 * shortest durations, the earliest times and the simplest toxic. A schedule is made valid (no two
 * faults on one slot at once, no action on a cluster that is gone, no cluster write inside an etcd
 * fault, …) by dropping the events that break a rule, which shrinking keeps.
 */
import fc from 'fast-check';
import { writesDuringEtcdFaults } from '../scenario/etcd-windows.ts';
import { actionsWhere, JOBMANAGER_RESTARTS, type ActionName } from '../scenario/actions.ts';
import type { ScenarioApp, ScheduledAction, ScheduledFault } from '../scenario/types.ts';
import { defaultAttributes, TARGETS, toxic, TOXIC_TYPES, UNIT_BOUNDARIES, type Target, type ToxicType } from '../scenario/toxics.ts';
import { APPS, JOBS, type ActionEvent, type FaultEvent, type Schedule, type ScheduleEvent } from './schedule.ts';
import { storyArbitraries } from './stories.ts';
import { CONSOLE_DOWNTIMES_MS, FAULT_WINDOWS_MS, JOBMANAGER_DOWNTIMES_MS } from './windows.ts';

export { CONSOLE_DOWNTIMES_MS, FAULT_WINDOWS_MS, JOBMANAGER_DOWNTIMES_MS };

const s = (seconds: number) => seconds * 1_000;

/** A toxic's attributes: each from its boundaries (the simplest first), on top of Toxiproxy's 0 defaults; never a combination Toxiproxy refuses. */
export function attributesArbitrary(type: ToxicType): fc.Arbitrary<Record<string, number>> {
  const definition = toxic(type);
  const fields = Object.fromEntries(Object.entries(definition.attributes).map(([name, unit]) => [name, fc.constantFrom(...(definition.boundaries?.[name] ?? UNIT_BOUNDARIES[unit]))]));
  return fc.record(fields).map((chosen) => ({ ...defaultAttributes(type), ...chosen })).filter((attributes) => definition.invalid?.(attributes) === undefined);
}

/** When events happen: whole seconds from 5 s to 3 min (earliest is simplest). */
const at = fc.integer({ min: 5, max: 180 }).map(s);

export function faultArbitrary(targets: readonly Target[]): fc.Arbitrary<FaultEvent> {
  return fc
    .record({
      atMs: at,
      forMs: fc.constantFrom(...FAULT_WINDOWS_MS),
      target: fc.constantFrom(...targets),
      toxic: fc.constantFrom(...TOXIC_TYPES),
      stream: fc.constantFrom('downstream' as const, 'upstream' as const),
      toxicity: fc.constantFrom(1, 0.5),
    })
    .chain((fault) =>
      attributesArbitrary(fault.toxic).map((attributes): FaultEvent => ({
        kind: 'fault',
        ...fault,
        // `down` disables the whole proxy: it has no stream or toxicity
        ...(toxic(fault.toxic).disablesProxy ? { stream: 'downstream' as const, toxicity: 1 } : {}),
        attributes,
      })),
    );
}

export function actionArbitrary(mode: Schedule['mode']): fc.Arbitrary<ActionEvent> {
  const jobs = JOBS[mode];
  const job: { job?: fc.Arbitrary<string> } = mode === 'session' ? { job: fc.constantFrom(...jobs) } : {};
  return fc.oneof(
    fc.record({ atMs: at, downtimeMs: fc.constantFrom(...JOBMANAGER_DOWNTIMES_MS), reason: fc.constantFrom('Error', 'OOMKilled') }).map((a): ActionEvent => ({ kind: 'action', action: 'restart-jobmanager', ...a })),
    fc.record({ atMs: at, downtimeMs: fc.constantFrom(...CONSOLE_DOWNTIMES_MS) }).map((a): ActionEvent => ({ kind: 'action', action: 'restart-tracker', ...a })),
    fc.record({ atMs: at, downtimeMs: fc.constantFrom(...JOBMANAGER_DOWNTIMES_MS) }).map((a): ActionEvent => ({ kind: 'action', action: 'delete-jobmanager-pod', ...a })),
    fc.record({ atMs: at, downtimeMs: fc.constantFrom(...JOBMANAGER_DOWNTIMES_MS), listed: fc.constantFrom('first' as const, 'last' as const) }).map((a): ActionEvent => ({ kind: 'action', action: 'evict-jobmanager-pod', ...a })),
    ...(['cancel-from-console', 'fail-job', 'finish-job'] as const).map((action) => fc.record({ atMs: at, ...job }).map((a): ActionEvent => ({ kind: 'action', action, ...a }))),
    fc.record({ atMs: at }).map((a): ActionEvent => ({ kind: 'action', action: 'delete-deployment', ...a })),
    fc.record({ atMs: at }).map((a): ActionEvent => ({ kind: 'action', action: 'crash-loop-jobmanager', ...a })),
  );
}

/** The uniform generator's weight against each story's (stories.ts: six, weighing 1 each): half the schedules are uniform. */
const UNIFORM_WEIGHT = 6;

/**
 * Schedules in both modes: one to `maxEvents` events over every target, toxic and action, drawn
 * uniformly — or, as often, one of the stories (stories.ts), unless the targets are restricted.
 */
export function scheduleArbitrary(options: { maxEvents?: number; targets?: readonly Target[] } = {}): fc.Arbitrary<Schedule> {
  const maxEvents = options.maxEvents ?? 4;
  const targets = options.targets ?? TARGETS;
  return fc.constantFrom('application' as const, 'session' as const).chain((mode) => {
    const uniform = fc.array(fc.oneof(faultArbitrary(targets), faultArbitrary(targets), actionArbitrary(mode)), { minLength: 1, maxLength: maxEvents });
    const events = options.targets === undefined ? fc.oneof({ weight: UNIFORM_WEIGHT, arbitrary: uniform }, ...storyArbitraries(mode)) : uniform;
    return events.map((chosen): Schedule => ({ mode, events: validEvents(mode, chosen) }));
  });
}

const JOBMANAGER_AWAY = JOBMANAGER_RESTARTS;
/** after these, an application cluster is gone: its job ended (Flink deletes its deployment), or its deployment was deleted */
const ENDS_APPLICATION: ReadonlySet<ActionName> = new Set([...actionsWhere((action) => action.endsJob), 'delete-deployment']);

/**
 * The events in time order, without those that break a scenario rule: a fault on a slot
 * (target, toxic, stream) that is already taken, a JobManager or console downtime inside
 * another, anything done to a job or cluster that has ended, to a job while its JobManager is
 * away or after a session cluster lost it, or to a JobManager that crash-loops; and a cluster write inside an etcd fault (scenario/etcd-windows.ts).
 * Dropping a write can make a later action valid again, so the rules are applied until nothing changes.
 */
export function validEvents(mode: Schedule['mode'], events: readonly ScheduleEvent[], app: ScenarioApp = APPS[mode]): ScheduleEvent[] {
  const banned = new Set<ScheduleEvent>();
  for (;;) {
    const kept = followingActionRules(mode, events.filter((event) => !banned.has(event)), app);
    const inEtcdFaults = writesInEtcdFaults(mode, kept, app);
    if (inEtcdFaults.length === 0) return kept;
    for (const event of inEtcdFaults) banned.add(event);
  }
}

/** The actions of `events` that would change the cluster while an etcd fault of `events` lasts. */
function writesInEtcdFaults(mode: Schedule['mode'], events: readonly ScheduleEvent[], app: ScenarioApp): ScheduleEvent[] {
  if (!events.some((event) => event.kind === 'fault' && event.target === 'etcd')) return [];
  const faults: ScheduledFault[] = [];
  const actions: ScheduledAction[] = [];
  events.forEach((event, index) => {
    const common = { id: String(index), atMs: event.atMs, name: '', line: undefined };
    if (event.kind === 'fault') faults.push({ ...common, untilMs: event.atMs + event.forMs, spec: { target: event.target, toxic: event.toxic, stream: event.stream, toxicity: event.toxicity, attributes: event.attributes } });
    else actions.push({ ...common, action: event.action, downtimeMs: event.downtimeMs, reason: event.reason, job: event.job, listed: event.listed });
  });
  return writesDuringEtcdFaults(faults, actions, mode, app.shutdownDelayMs, Number.POSITIVE_INFINITY).map((write) => events[Number(write.action.id)]!);
}

function followingActionRules(mode: Schedule['mode'], events: readonly ScheduleEvent[], app: ScenarioApp): ScheduleEvent[] {
  const jobs = app.jobs.map((job) => job.name);
  const kept: ScheduleEvent[] = [];
  const slotFreeAt = new Map<string, number>();
  let jobManagerBackAt = 0;
  let consoleBackAt = 0;
  let clusterGone = false;
  let crashLooping = false;
  const endedJobs = new Set<string>();
  for (const event of [...events].sort((a, b) => a.atMs - b.atMs)) {
    if (event.kind === 'fault') {
      const slot = event.toxic === 'down' ? `${event.target}/down` : `${event.target}/${event.toxic}/${event.stream}`;
      if ((slotFreeAt.get(slot) ?? 0) > event.atMs) continue;
      slotFreeAt.set(slot, event.atMs + event.forMs);
      kept.push(event);
      continue;
    }
    if (clusterGone) continue;
    if (crashLooping && event.action !== 'restart-tracker' && event.action !== 'delete-deployment') continue;
    if (event.action === 'crash-loop-jobmanager') {
      if (event.atMs < jobManagerBackAt) continue;
      crashLooping = true;
      kept.push(event);
      continue;
    }
    if (event.action === 'restart-tracker') {
      if (event.atMs < consoleBackAt) continue;
      consoleBackAt = event.atMs + (event.downtimeMs ?? 0);
      kept.push(event);
      continue;
    }
    if (JOBMANAGER_AWAY.has(event.action)) {
      if (event.atMs < jobManagerBackAt) continue;
      jobManagerBackAt = event.atMs + (event.downtimeMs ?? 0);
      kept.push(event);
      // a session cluster without HA loses its jobs when its JobManager restarts: nothing is left to end
      if (mode === 'session' && !app.ha) for (const job of jobs) endedJobs.add(job);
      continue;
    }
    const job = event.job ?? jobs[0]!;
    if (event.action !== 'delete-deployment' && (endedJobs.has(job) || event.atMs < jobManagerBackAt)) continue; // a job ends only in a JobManager that runs it
    kept.push(event);
    endedJobs.add(job);
    if (event.action === 'delete-deployment' || (mode === 'application' && ENDS_APPLICATION.has(event.action))) clusterGone = true;
  }
  return kept;
}
