/**
 * The incident's clock: times in an incident file are a time of day (`"14:02"`, `"14:02:30"`),
 * a date-time with its zone (`2024-03-21T14:02:00+08:00`, what kubectl prints), or an offset from
 * the incident's start (`90s`, `2m`). Each becomes scenario milliseconds after `start`, the
 * moment the harness's run begins (the job RUNNING, the console showing RUNNING); the report
 * writes them back on the incident's clock.
 */
import { formatDuration, parseDuration } from './duration.ts';

const TIME_OF_DAY = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d(?:\.\d{1,3})?))?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d{1,9})?))?(Z|[+-]\d{2}:\d{2})$/;

export const TIME_PATTERN = `^(([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,3})?)?|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})|(\\d+(\\.\\d+)?(ms|s|m|h))+)$`;

/** How the incident's times were given: offsets only, times of day from a start, or date-times. */
export type IncidentClock =
  | { kind: 'offsets' }
  | { kind: 'time-of-day'; start: string; startSeconds: number }
  | { kind: 'date-time'; start: string; startEpochMs: number; startSeconds: number; zone: string };

const secondsOf = (hours: string, minutes: string, seconds: string | undefined) => Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0);

/** The clock of an incident from its `start` (undefined: times are offsets). Undefined when `start` is no clock time. */
export function clockFrom(start: string | undefined): IncidentClock | undefined {
  if (start === undefined) return { kind: 'offsets' };
  const day = TIME_OF_DAY.exec(start);
  if (day) return { kind: 'time-of-day', start, startSeconds: secondsOf(day[1]!, day[2]!, day[3]) };
  const dateTime = DATE_TIME.exec(start);
  if (dateTime) {
    const epoch = Date.parse(start);
    if (Number.isNaN(epoch)) return undefined;
    return { kind: 'date-time', start, startEpochMs: epoch, startSeconds: secondsOf(dateTime[2]!, dateTime[3]!, dateTime[4]), zone: dateTime[5]! };
  }
  return undefined;
}

/** A time of the incident as scenario ms after its start, or why it cannot be one. */
export function toScenarioMs(clock: IncidentClock, text: string): { ms: number } | { problem: string; hint: string } {
  const offset = parseDuration(text);
  if (offset !== undefined) return { ms: offset };
  const day = TIME_OF_DAY.exec(text);
  if (day) {
    if (clock.kind === 'offsets') return { problem: `\`${text}\` is a time of day, but the incident has no \`start\``, hint: 'add `start: "13:55"` (the time the run begins), or give the time as an offset like `6m`' };
    // a time of day on the start's clock: the first such moment at or after the start (past midnight: the next day)
    const seconds = (secondsOf(day[1]!, day[2]!, day[3]) - clock.startSeconds + 86_400) % 86_400;
    return { ms: Math.round(seconds * 1000) };
  }
  if (DATE_TIME.test(text)) {
    if (clock.kind !== 'date-time') return { problem: `\`${text}\` is a date-time, but the incident's \`start\` is ${clock.kind === 'offsets' ? 'not given' : 'a time of day'}`, hint: 'give `start` as a date-time with its zone, e.g. `start: 2024-03-21T13:55:00+08:00`, so that kubectl\'s times can be placed' };
    const epoch = Date.parse(text);
    if (Number.isNaN(epoch)) return { problem: `\`${text}\` is not a valid date-time`, hint: 'write it like 2024-03-21T14:02:00Z' };
    const ms = epoch - clock.startEpochMs;
    if (ms < 0) return { problem: `\`${text}\` is before the incident's start (${clock.start})`, hint: 'move `start` earlier' };
    return { ms };
  }
  return { problem: `\`${text}\` is not a time`, hint: 'write a time of day ("14:02"), a date-time (2024-03-21T14:02:00Z) or an offset from `start` (6m)' };
}

/** A scenario time written on the incident's clock: `14:02:30` (`+2m30s` with offsets only). */
export function clockTime(clock: IncidentClock, ms: number): string {
  if (clock.kind === 'offsets') return `+${formatDuration(Math.round(ms / 1000) * 1000)}`;
  const total = Math.round(clock.startSeconds + ms / 1000) % 86_400;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

/** A moment (epoch ms) as a date-time on the incident's clock, in its zone: what the kubectl import writes. */
export function dateTimeOnClock(clock: Extract<IncidentClock, { kind: 'date-time' }>, epochMs: number): string {
  const offsetMinutes = clock.zone === 'Z' ? 0 : (clock.zone.startsWith('-') ? -1 : 1) * (Number(clock.zone.slice(1, 3)) * 60 + Number(clock.zone.slice(4, 6)));
  const shifted = new Date(epochMs + offsetMinutes * 60_000).toISOString().replace(/\.000Z$/, '').replace(/Z$/, '');
  return `${shifted}${clock.zone}`;
}
