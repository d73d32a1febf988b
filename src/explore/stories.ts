/**
 * Stories: weighted templates for the multi-event combinations the sources care about, which the
 * uniform generator (arbitraries.ts) reaches only by luck — events placed relative to each other:
 *
 *   incident        the API unreachable while the JobManager restarts inside it (#3618's shape)
 *   outage-restart  an API outage long enough to cross a console restart, with a stop inside it
 *   slow-stop       a stop while one path answers late: around each design's timeouts, in a
 *                   window long or just a poll or two (answers out of order around the stop)
 *   cancel-race     a cancel racing the job's own end or its cluster's removal, its answer maybe lost
 *   slow-cancel     a cancel while Flink answers late and unevenly (latency with jitter near a
 *                   poll): answers of observations that read Flink before the cancel arrive after
 *                   it settled, and out of order — what the cancel's fence and the newest-first
 *                   rule are for
 *   long-absence    a JobManager away long enough to be over, back later — and while the console
 *                   shows the end, the console restarts or Flink cannot be reached as it comes back
 *
 * Each gives events that the generator's rules then make valid (validEvents), and shrinks like the
 * uniform one: fewer events, shorter windows, earlier times.
 */
import fc from 'fast-check';
import type { ActionName } from '../scenario/schema.ts';
import { CONSOLE_DOWNTIMES_MS, JOBMANAGER_DOWNTIMES_MS } from './windows.ts';
import { JOBS, type ActionEvent, type FaultEvent, type Schedule, type ScheduleEvent } from './schedule.ts';

const s = (seconds: number) => seconds * 1_000;
/** Outages long enough to matter: beyond the status cache, the SILENT keep time, the cycle wait. */
const OUTAGES_MS = [s(61), s(121), s(181)];
/** Latencies around each design's timeouts: ours (a poll, 5 s; the API's 2 s), StreamPark's (API 10 s, REST 30 s and 60 s). */
const LATENCIES_MS = [s(3), s(6), s(11), s(31), s(61)];
/**
 * A slow path's window: the outages' lengths, and windows of one to two polls, which end close to
 * the stop inside them — an observation started in the window then answers after one started past
 * its end (observations overlap by up to a poll), so results arrive out of order around the stop.
 */
const LATENCY_WINDOWS_MS = [s(7), s(10), ...OUTAGES_MS];

const start = fc.integer({ min: 5, max: 120 }).map(s);
const fraction = fc.integer({ min: 0, max: 20 }).map((n) => n / 20);
/** The whole second `into` (a fraction) of the way through the window of `forMs` from `at`. */
const within = (at: number, forMs: number, into: number) => at + Math.round((forMs * into) / 1_000) * 1_000;

function jobOf(mode: Schedule['mode']): fc.Arbitrary<{ job?: string }> {
  return mode === 'session' ? fc.constantFrom(...JOBS.session).map((job) => ({ job })) : fc.constant({});
}

function fault(target: FaultEvent['target'], toxic: FaultEvent['toxic'], atMs: number, forMs: number, attributes: Record<string, number> = {}): FaultEvent {
  return { kind: 'fault', atMs, forMs, target, toxic, stream: 'downstream', toxicity: 1, attributes };
}

/** A stop of the job: it fails or finishes, its JobManager crash-loops or stays away, its deployment goes, or the user cancels it. */
function stopAt(mode: Schedule['mode'], atMs: number, actions: readonly ActionName[]): fc.Arbitrary<ActionEvent> {
  return fc.record({ action: fc.constantFrom(...actions), job: jobOf(mode) }).map(({ action, job }): ActionEvent => ({
    kind: 'action',
    atMs,
    action,
    ...(action === 'restart-jobmanager' ? { downtimeMs: JOBMANAGER_DOWNTIMES_MS.at(-1)!, reason: 'Error' } : {}),
    ...(action === 'fail-job' || action === 'finish-job' || action === 'cancel-from-console' ? job : {}),
  }));
}

const apiOutage = fc.constantFrom<[FaultEvent['toxic'], Record<string, number>]>(['down', {}], ['timeout', { timeout: 0 }]);

function incident(): fc.Arbitrary<ScheduleEvent[]> {
  return fc.record({ at: start, forMs: fc.constantFrom(...OUTAGES_MS), outage: apiOutage, into: fraction, downtimeMs: fc.constantFrom(...JOBMANAGER_DOWNTIMES_MS), reason: fc.constantFrom('Error', 'OOMKilled') }).map(({ at, forMs, outage, into, downtimeMs, reason }) => [
    fault('apiserver', outage[0], at, forMs, outage[1]),
    { kind: 'action', action: 'restart-jobmanager', atMs: within(at, forMs, into), downtimeMs, reason },
  ]);
}

function outageAcrossRestart(mode: Schedule['mode']): fc.Arbitrary<ScheduleEvent[]> {
  return fc
    .record({ at: start, forMs: fc.constantFrom(...OUTAGES_MS), outage: apiOutage, restartInto: fraction, stopInto: fraction, downtimeMs: fc.constantFrom(...CONSOLE_DOWNTIMES_MS) })
    .chain(({ at, forMs, outage, restartInto, stopInto, downtimeMs }) => {
      return stopAt(mode, within(at, forMs, stopInto), ['fail-job', 'finish-job', 'crash-loop-jobmanager', 'delete-deployment', 'restart-jobmanager']).map((stop): ScheduleEvent[] => [
        fault('apiserver', outage[0], at, forMs, outage[1]),
        { kind: 'action', action: 'restart-tracker', atMs: within(at, forMs, restartInto), downtimeMs },
        stop,
      ]);
    });
}

function stopDuringLatency(mode: Schedule['mode']): fc.Arbitrary<ScheduleEvent[]> {
  return fc
    .record({ at: start, forMs: fc.constantFrom(...LATENCY_WINDOWS_MS), target: fc.constantFrom('flink-rest' as const, 'apiserver' as const), latency: fc.constantFrom(...LATENCIES_MS), into: fraction })
    .chain(({ at, forMs, target, latency, into }) =>
      stopAt(mode, within(at, forMs, into), ['fail-job', 'finish-job', 'cancel-from-console', 'crash-loop-jobmanager', 'delete-deployment']).map((stop): ScheduleEvent[] => [fault(target, 'latency', at, forMs, { latency, jitter: 0 }), stop]),
    );
}

function cancelRacingShutdown(mode: Schedule['mode']): fc.Arbitrary<ScheduleEvent[]> {
  const lostAnswer = fc.option(fc.constantFrom<[FaultEvent['toxic'], Record<string, number>]>(['limit_data', { bytes: 0 }], ['reset_peer', { timeout: 0 }], ['down', {}]), { nil: undefined });
  return fc
    .record({ at: start, offsetS: fc.integer({ min: -2, max: 2 }), other: fc.constantFrom<ActionName>('fail-job', 'finish-job', 'delete-deployment'), lost: lostAnswer, job: jobOf(mode) })
    .map(({ at, offsetS, other, lost, job }): ScheduleEvent[] => [
      { kind: 'action', action: 'cancel-from-console', atMs: at, ...job },
      { kind: 'action', action: other, atMs: at + s(offsetS), ...(other === 'delete-deployment' ? {} : job) },
      ...(lost === undefined ? [] : [fault('flink-rest', lost[0], at - s(1), s(2), lost[1])]),
    ]);
}

/** Latencies with jitter around our poll (5 s): answers overlap the next observation and overtake each other. */
const UNEVEN_LATENCIES_MS = [[s(3), s(2)], [s(4), s(3)], [s(6), s(3)]] as const;

function cancelWhileSlow(mode: Schedule['mode']): fc.Arbitrary<ScheduleEvent[]> {
  return fc
    .record({ at: start, forMs: fc.constantFrom(...LATENCY_WINDOWS_MS), latency: fc.constantFrom(...UNEVEN_LATENCIES_MS), into: fraction, job: jobOf(mode) })
    .map(({ at, forMs, latency: [latency, jitter], into, job }): ScheduleEvent[] => [
      fault('flink-rest', 'latency', at, forMs, { latency, jitter }),
      { kind: 'action', action: 'cancel-from-console', atMs: within(at, forMs, into), ...job },
    ]);
}

function longAbsence(): fc.Arbitrary<ScheduleEvent[]> {
  const away = fc.constantFrom<Pick<ActionEvent, 'action' | 'listed'>>({ action: 'restart-jobmanager' }, { action: 'delete-jobmanager-pod' }, { action: 'evict-jobmanager-pod', listed: 'last' });
  const meanwhile = fc.oneof(
    fc.constantFrom(...CONSOLE_DOWNTIMES_MS).map((downtimeMs) => (atMs: number): ScheduleEvent => ({ kind: 'action', action: 'restart-tracker', atMs, downtimeMs })),
    apiOutage.map(([toxic, attributes]) => (atMs: number): ScheduleEvent => fault('flink-rest', toxic, atMs, OUTAGES_MS[0]!, attributes)),
  );
  // the truth counts it over after 100 s, a tracker shows it by 120 s; the JobManager is back at 150 s
  return fc.record({ at: start, away, after: fc.integer({ min: 22, max: 29 }).map((polls) => s(polls * 5)), meanwhile }).map(({ at, away, after, meanwhile }): ScheduleEvent[] => [
    { kind: 'action', atMs: at, downtimeMs: JOBMANAGER_DOWNTIMES_MS.at(-1)!, ...away },
    meanwhile(at + after),
  ]);
}

/** The stories of a mode, each with its weight against the uniform generator's (see arbitraries.ts). */
export function storyArbitraries(mode: Schedule['mode']): { weight: number; arbitrary: fc.Arbitrary<ScheduleEvent[]> }[] {
  return [
    { weight: 1, arbitrary: incident() },
    { weight: 1, arbitrary: outageAcrossRestart(mode) },
    { weight: 1, arbitrary: stopDuringLatency(mode) },
    { weight: 1, arbitrary: cancelRacingShutdown(mode) },
    { weight: 1, arbitrary: cancelWhileSlow(mode) },
    { weight: 1, arbitrary: longAbsence() },
  ];
}
