/**
 * 1-minimal shrinking, after fast-check's: fast-check shrinks one choice at a time and stops at a
 * local minimum, which often keeps an event that could go (a short API outage early on beside the
 * #3618 story). This tries every schedule one step simpler — each event dropped alone, each window
 * or downtime shortened to the next boundary below it — and keeps the first that still shows the
 * same signature, until none does: then no single event can be dropped and no window shortened.
 */
import { validEvents } from './arbitraries.ts';
import { CONSOLE_DOWNTIMES_MS, FAULT_WINDOWS_MS, JOBMANAGER_DOWNTIMES_MS } from './windows.ts';
import type { Schedule, ScheduleEvent } from './schedule.ts';

/** Candidates tried at most per finding (each is one run of one variant). */
const MAX_TRIES = 200;

/** The next boundary below `value` among `boundaries` (sorted ascending), if any. */
function nextBelow(boundaries: readonly number[], value: number): number | undefined {
  return [...boundaries].reverse().find((boundary) => boundary < value);
}

/** The event with its window (a fault's length, an action's downtime) one boundary shorter, if it has one. */
function shortened(event: ScheduleEvent): ScheduleEvent | undefined {
  if (event.kind === 'fault') {
    const forMs = nextBelow(FAULT_WINDOWS_MS, event.forMs);
    return forMs === undefined ? undefined : { ...event, forMs };
  }
  if (event.downtimeMs === undefined) return undefined;
  const downtimeMs = nextBelow(event.action === 'restart-tracker' ? CONSOLE_DOWNTIMES_MS : JOBMANAGER_DOWNTIMES_MS, event.downtimeMs);
  return downtimeMs === undefined ? undefined : { ...event, downtimeMs };
}

/** Every schedule one step simpler than `schedule`: an event dropped, or one window shortened (kept valid). */
export function* simplerSchedules(schedule: Schedule): Generator<Schedule> {
  const { mode, events } = schedule;
  for (let index = 0; index < events.length; index++) yield { mode, events: validEvents(mode, events.filter((_, other) => other !== index)) };
  for (let index = 0; index < events.length; index++) {
    const shorter = shortened(events[index]!);
    if (shorter !== undefined) yield { mode, events: validEvents(mode, events.map((event, other) => (other === index ? shorter : event))) };
  }
}

/** The schedule made 1-minimal for `stillBreaks`, and how many steps that took. */
export async function minimize(schedule: Schedule, stillBreaks: (candidate: Schedule) => Promise<boolean>): Promise<{ schedule: Schedule; steps: number }> {
  let current = schedule;
  let steps = 0;
  let tries = 0;
  const seen = new Set<string>([JSON.stringify(schedule)]);
  for (let improved = true; improved && tries < MAX_TRIES; ) {
    improved = false;
    for (const candidate of simplerSchedules(current)) {
      const key = JSON.stringify(candidate);
      if (candidate.events.length === 0 || seen.has(key)) continue;
      seen.add(key);
      if (++tries > MAX_TRIES) break;
      if (await stillBreaks(candidate)) {
        current = candidate;
        steps += 1;
        improved = true;
        break;
      }
    }
  }
  return { schedule: current, steps };
}
