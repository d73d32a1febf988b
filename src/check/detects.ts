/**
 * `detects`: a real stop — the job failed, finished or was cancelled, its JobManager is down for
 * good, its deployment gone, or it vanished from its session cluster — shows as the right end
 * state by its deadline: the bound (24 polls by default: first seen within a poll, a JobManager
 * over after 21 more, by an observation of at most two) plus the time nobody could see it
 * (check/stops.ts). Whether it was alerted is `alerts`' to judge.
 */
import { showsEnd } from './claims.ts';
import { systemOf } from '../record/tracker-info.ts';
import { seconds, type Judge, type OracleViolation } from './oracle-types.ts';
import { causeAt, consoleSegments, valueAt } from './segments.ts';
import { isJudgeable, stopsOf } from './stops.ts';

export const detects: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  if (lane === undefined) return [];
  const system = systemOf(run, variant);
  const shown = consoleSegments(lane, app, run.durationMs);
  const violations: OracleViolation[] = [];
  for (const stop of stopsOf(run, variant, app, boundMs)) {
    if (!isJudgeable(stop, run)) continue; // not judgeable in this run (check/stops.ts counts it), or over by itself
    if (shown.some((part) => part.to > stop.from && part.from <= stop.deadline && showsEnd(system, part.value, stop.truth))) continue;
    const at = valueAt(shown, stop.deadline) ?? shown[shown.length - 1]?.value ?? '(nothing)';
    const cause = causeAt(lane, app, stop.deadline);
    violations.push({ oracle: 'detects', variant, app, at: stop.from, signature: `${at} for ${stop.truth}`, ...(cause ? { cause } : {}), message: `the job was ${stop.truth} from ${seconds(stop.from)}, but by ${seconds(stop.deadline)} the console still showed ${at}` });
  }
  return violations;
};
