/**
 * `informative`: while Flink answers the tracker's calls within a poll (check/reach.ts, with the
 * tracker's own timeouts) and lists the job, the console shows the state Flink reports within a
 * bound (3 polls by default: check/bounds.ts). SILENT, or a state Flink no longer reports, for
 * longer hides what anyone polling could see. States that claim something (RUNNING, an end) are
 * `truthful`'s to judge; while the console process is down it shows nothing to anyone.
 */
import { consoleDowntimes, flinkAnswers } from './blindness.ts';
import { NOT_LISTED } from './job-truth.ts';
import { claimOf } from './claims.ts';
import { systemOf } from '../record/tracker-info.ts';
import { seconds, type Judge } from './oracle-types.ts';
import { causeAt, consoleSegments, stepSegments, valueAt } from './segments.ts';
import { complement, intersect, within } from './spans.ts';

export const informative: Judge = (run, variant, app, boundMs) => {
  const lane = run.lanes.variants[variant];
  if (lane === undefined) return [];
  const system = systemOf(run, variant);
  const end = run.durationMs;
  const shown = consoleSegments(lane, app, end);
  // what Flink reports of the job while it serves and lists it (a job it does not list is SILENT's to show)
  const reported = stepSegments(run.lanes.truth, (entry) => (entry.restServing && entry.deploymentExists && entry.jobs[app] !== NOT_LISTED ? entry.jobs[app] : undefined), end);
  const answering = intersect(flinkAnswers(run, variant), complement(consoleDowntimes(run), end));
  const cuts = [...new Set([...shown, ...reported, ...answering].flatMap((span) => [span.from, span.to]))].sort((a, b) => a - b);
  let open: { from: number; to: number; state: string; flink: string } | undefined;
  for (let index = 0; index + 1 < cuts.length; index++) {
    const [from, to] = [cuts[index]!, cuts[index + 1]!];
    const state = valueAt(shown, from);
    const flink = valueAt(reported, from);
    const uninformed = state !== undefined && flink !== undefined && within(answering, from) && claimOf(system, state) === 'none' && state !== flink;
    if (!uninformed) {
      open = undefined;
      continue;
    }
    if (open === undefined || open.to !== from) open = { from, to, state, flink };
    open.to = to;
    if (open.to - open.from > boundMs) {
      const cause = causeAt(lane, app, open.from);
      return [{ oracle: 'informative', variant, app, at: open.from, signature: `${open.state} while Flink answered ${open.flink}`, ...(cause ? { cause } : {}), message: `showed ${open.state} from ${seconds(open.from)} for more than ${seconds(boundMs)} while Flink answered its calls with the job ${open.flink}` }];
    }
  }
  return [];
};
