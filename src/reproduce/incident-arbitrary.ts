/**
 * The schedules an incident allows, as a fast-check arbitrary: every sure fact happens once inside
 * its window (a network fact: one or two faults, to say it may have flapped), a `maybe` fact may,
 * the truth's own end happens somewhere, and — unless the incident says nothing else happened — up
 * to two unknown events from the explorer's generator (never an action the incident rules out,
 * never an end the truth contradicts). Kinds, times, downtimes and toxics that are not known vary
 * at the explorer's boundaries; everything known is kept. Shrinking drops what may be dropped,
 * shortens, moves earlier and simplifies as the explorer's does, and never leaves the known world:
 * the scenario rules (validEvents) apply, and a schedule that lost a sure fact to them is refused.
 */
import fc from 'fast-check';
import { actionArbitrary, attributesArbitrary, CONSOLE_DOWNTIMES_MS, FAULT_WINDOWS_MS, faultArbitrary, JOBMANAGER_DOWNTIMES_MS, validEvents } from '../explore/arbitraries.ts';
import { JOBS, type ActionEvent, type FaultEvent, type Schedule, type ScheduleEvent } from '../explore/schedule.ts';
import type { ActionName } from '../scenario/schema.ts';
import { TARGETS, TOXIC_TYPES, toxic, type ToxicType } from '../scenario/toxics.ts';
import type { NetworkKind } from './incident-schema.ts';
import { ENDING_ACTIONS, FACT_ACTIONS, type Incident, type KnownFact, type TimeWindow } from './incident.ts';

const s = (seconds: number) => seconds * 1_000;

/** The toxics each kind of network trouble may be. */
export const KIND_TOXICS: Readonly<Record<NetworkKind, readonly ToxicType[]>> = {
  down: ['down', 'timeout'],
  slow: ['latency', 'bandwidth', 'slicer', 'slow_close'],
  resets: ['reset_peer', 'limit_data'],
  any: TOXIC_TYPES,
};

/**
 * Nothing happens before this: the run begins with the console's first poll, which has no REST
 * URL cached yet, while at an incident's start the console had been tracking the job for a while
 * (the explorer's schedules begin at 5 s too).
 */
export const EARLIEST_EVENT_MS = s(5);

/**
 * One of `values`, the first simplest. Unlike fc.constantFrom, which shrinks only to the first
 * value, shrinking bisects toward it, so a window shrinks to the shortest length that still
 * explains, not only to the shortest of all.
 */
function oneOf<T>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: values.length - 1 }).map((index) => values[index]!);
}

/** Whole seconds inside a window (not before EARLIEST_EVENT_MS), the earliest first (what shrinking moves toward). */
function secondsIn(window: TimeWindow, latestMs = window.toMs): fc.Arbitrary<number> {
  const min = Math.ceil(Math.max(window.fromMs, EARLIEST_EVENT_MS) / 1000);
  return fc.integer({ min, max: Math.max(min, Math.floor(latestMs / 1000)) }).map(s);
}

function actionOfFact(fact: Exclude<KnownFact, { fact: 'network' }>): fc.Arbitrary<ActionEvent> {
  const action = FACT_ACTIONS[fact.fact];
  const downtimes = fact.downtimeMs !== undefined ? [fact.downtimeMs] : fact.fact === 'console-restart' ? CONSOLE_DOWNTIMES_MS : JOBMANAGER_DOWNTIMES_MS;
  return fc
    .record({
      atMs: secondsIn(fact.window),
      downtimeMs: oneOf(downtimes),
      reason: fact.fact === 'jobmanager-restart' ? fc.constantFrom(...(fact.reason !== undefined ? [fact.reason] : ['Error', 'OOMKilled'])) : fc.constant(undefined),
      listed: fact.fact === 'pod-eviction' ? fc.constantFrom(...(fact.listed !== undefined ? [fact.listed] : (['first', 'last'] as const))) : fc.constant(undefined),
    })
    .map(({ reason, listed, ...rest }): ActionEvent => ({ kind: 'action', action, ...rest, ...(reason !== undefined ? { reason } : {}), ...(listed !== undefined ? { listed } : {}) }));
}

/**
 * One fault of a network fact: it begins inside the window and ends by its end (a length drawn
 * past the window's end is cut there; the last choice lasts to the window's end). Drawn
 * independently of the start, so that shrinking shortens it as well as moving it earlier.
 */
function faultOfFact(fact: Extract<KnownFact, { fact: 'network' }>): fc.Arbitrary<FaultEvent> {
  const { window } = fact;
  return fc
    .record({
      atMs: secondsIn(window, window.toMs - s(2)),
      forMs: oneOf([...FAULT_WINDOWS_MS, Number.POSITIVE_INFINITY]),
      target: fc.constantFrom(...fact.targets),
      toxic: fc.constantFrom(...KIND_TOXICS[fact.kind]),
      stream: fc.constantFrom('downstream' as const, 'upstream' as const),
      toxicity: fc.constantFrom(1, 0.5),
    })
    .chain((fault) =>
      attributesArbitrary(fault.toxic).map((attributes): FaultEvent => ({
        kind: 'fault',
        ...fault,
        forMs: Math.max(s(1), Math.min(fault.forMs, window.toMs - fault.atMs)),
        // `down` disables the whole proxy: it has no stream or toxicity
        ...(toxic(fault.toxic).disablesProxy ? { stream: 'downstream' as const, toxicity: 1 } : {}),
        attributes,
      })),
    );
}

function eventsOfFact(fact: KnownFact): fc.Arbitrary<ScheduleEvent[]> {
  if (fact.fact === 'network') return fc.array(faultOfFact(fact), { minLength: fact.sure ? 1 : 0, maxLength: 2 });
  const action = actionOfFact(fact);
  return fact.sure ? action.map((event) => [event]) : fc.option(action, { nil: undefined }).map((event) => (event === undefined ? [] : [event]));
}

/** May an unknown event be this action, given what the incident rules out and the truth? */
function allowedUnknown(incident: Incident, action: ActionName): boolean {
  if (incident.never.includes(action)) return false;
  const ends = ENDING_ACTIONS[action];
  return ends === undefined || incident.truth === 'unknown' || ends === incident.truth;
}

/** Up to two events nobody knows of, from the explorer's generator, spread over the observation. */
function unknownEvents(incident: Incident): fc.Arbitrary<ScheduleEvent[]> {
  const jobs = incident.app.scenario.jobs.map((job) => job.name);
  // the explorer's times run from 5 s to 3 min: stretched over the incident's observation
  const stretch = (atMs: number) => s(5) + Math.round(((atMs - s(5)) / s(175)) * Math.max(0, incident.endMs - s(10)) / 1000) * 1000;
  const event = fc.oneof(faultArbitrary(TARGETS), actionArbitrary(incident.mode)).map((drawn): ScheduleEvent => {
    const atMs = stretch(drawn.atMs);
    if (drawn.kind === 'fault') return { ...drawn, atMs };
    const job = drawn.job === undefined ? undefined : jobs[JOBS[incident.mode].indexOf(drawn.job) % jobs.length];
    return { ...drawn, atMs, ...(job !== undefined ? { job } : {}) };
  });
  return fc.array(event.filter((drawn) => drawn.kind === 'fault' || allowedUnknown(incident, drawn.action)), { maxLength: 2 });
}

/** The truth's own end (the job finished, failed or was cancelled): somewhere in the observation. */
function truthEvents(incident: Incident): fc.Arbitrary<ScheduleEvent[]> {
  const action = (Object.entries(ENDING_ACTIONS) as [ActionName, string][]).find(([name, truth]) => truth === incident.truth && name !== 'delete-deployment')?.[0];
  if (action === undefined) return fc.constant([]);
  const job = incident.mode === 'session' ? { job: incident.observed.job } : {};
  return secondsIn({ fromMs: s(5), toMs: incident.endMs - s(5) }).map((atMs): ScheduleEvent[] => [{ kind: 'action', action, atMs, ...job }]);
}

/** Does the schedule keep every sure fact (one of its events inside the window) and nothing `never` rules out? */
export function respectsKnown(incident: Incident, events: readonly ScheduleEvent[]): boolean {
  if (events.some((event) => event.kind === 'action' && incident.never.includes(event.action))) return false;
  return incident.known.filter((fact) => fact.sure).every((fact) => events.some((event) => matchesFact(fact, event)));
}

/** Is this event (one of) what the fact says happened? */
export function matchesFact(fact: KnownFact, event: ScheduleEvent): boolean {
  const inside = event.atMs >= fact.window.fromMs && event.atMs <= fact.window.toMs;
  if (fact.fact === 'network') return inside && event.kind === 'fault' && fact.targets.includes(event.target) && KIND_TOXICS[fact.kind].includes(event.toxic);
  return inside && event.kind === 'action' && event.action === FACT_ACTIONS[fact.fact];
}

/** Every schedule the incident allows. */
export function incidentArbitrary(incident: Incident): fc.Arbitrary<Schedule> {
  const parts = [...incident.known.map(eventsOfFact), truthEvents(incident), ...(incident.nothingElse ? [] : [unknownEvents(incident)])];
  return fc
    .tuple(...parts)
    .map((groups): Schedule => ({ mode: incident.mode, events: validEvents(incident.mode, groups.flat(), incident.app.scenario) }))
    .filter((schedule) => respectsKnown(incident, schedule.events));
}
