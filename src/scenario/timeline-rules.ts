/**
 * Rules between timeline entries: two faults on one slot must not overlap, a downtime must end
 * before the next restart of the same thing, and nothing acts on a cluster that is gone.
 */
import { UserError } from '../errors/user-error.ts';
import { formatDuration } from './duration.ts';
import type { Problems } from './problems.ts';
import { actionsWhere, JOBMANAGER_RESTARTS, type ActionName } from './actions.ts';
import type { ScheduledAction, ScheduledFault } from './types.ts';

const NEEDS_JOBMANAGER = actionsWhere((action) => action.needsJobManager);
const ENDS_JOB = actionsWhere((action) => action.endsJob);

function slotOf(fault: ScheduledFault): string {
  return fault.spec.toxic === 'down' ? `${fault.spec.target}/down` : `${fault.spec.target}/${fault.spec.toxic}/${fault.spec.stream}`;
}

export function checkOverlaps(problems: Problems, faults: ScheduledFault[], actions: ScheduledAction[], durationMs: number): void {
  const bySlot = new Map<string, ScheduledFault[]>();
  for (const fault of faults) bySlot.set(slotOf(fault), [...(bySlot.get(slotOf(fault)) ?? []), fault]);
  for (const [slot, group] of bySlot) {
    const sorted = [...group].sort((a, b) => a.atMs - b.atMs);
    for (let index = 1; index < sorted.length; index++) {
      const previous = sorted[index - 1]!;
      const current = sorted[index]!;
      const previousEnd = previous.untilMs ?? durationMs;
      if (current.atMs < previousEnd) {
        problems.errors.push(
          new UserError(`this fault overlaps the one at line ${previous.line ?? '?'} on the same slot (${slot}), which lasts until ${formatDuration(previousEnd)}`, {
            location: problems.locate(['timeline', Number(current.id.split('-')[1]), 'at']),
            hint: 'start it after the first one ends, merge the two, or use another stream',
          }),
        );
      }
    }
  }
  const downtimes = (names: ActionName[]) => actions.filter((action) => names.includes(action.action)).sort((a, b) => a.atMs - b.atMs);
  for (const group of [downtimes([...JOBMANAGER_RESTARTS]), downtimes(['restart-tracker'])]) {
    for (let index = 1; index < group.length; index++) {
      const previous = group[index - 1]!;
      const current = group[index]!;
      const end = previous.atMs + (previous.downtimeMs ?? 0);
      if (current.atMs < end) {
        problems.errors.push(
          new UserError(`\`${current.action}\` at ${formatDuration(current.atMs)} starts during the downtime of \`${previous.action}\` (line ${previous.line ?? '?'}), which lasts until ${formatDuration(end)}`, {
            location: problems.locate(['timeline', Number(current.id.split('-')[1]), 'at']),
            hint: 'move it after the first downtime ends',
          }),
        );
      }
    }
  }
}

export function checkJobManagerGone(problems: Problems, actions: ScheduledAction[], mode: 'application' | 'session'): void {
  let goneAt: ScheduledAction | undefined;
  for (const action of [...actions].sort((a, b) => a.atMs - b.atMs)) {
    // a crash-looping JobManager's deployment can still be deleted; nothing else acts on it
    const stillPossible = goneAt?.action === 'crash-loop-jobmanager' && action.action === 'delete-deployment';
    if (goneAt !== undefined && NEEDS_JOBMANAGER.has(action.action) && !stillPossible) {
      problems.errors.push(
        new UserError(`\`${action.action}\` at ${formatDuration(action.atMs)} comes after \`${goneAt.action}\` at ${formatDuration(goneAt.atMs)} (line ${goneAt.line ?? '?'}), when there is no ${mode === 'application' ? 'cluster' : 'deployment'} left to act on`, {
          location: problems.locate(['timeline', Number(action.id.split('-')[1]), 'action']),
          hint: 'remove it, or move it before the action that ends the cluster',
        }),
      );
    }
    if (action.action === 'delete-deployment' || action.action === 'crash-loop-jobmanager' || (mode === 'application' && ENDS_JOB.has(action.action))) goneAt = goneAt?.action === 'crash-loop-jobmanager' ? action : (goneAt ?? action);
  }
}
