/**
 * Which trackers a command runs: the ones `--variants` names (each known, able to run on the
 * backend and at the timing profile, and built), or the backend's defaults. Refused before
 * anything starts: an unknown or misplaced name is bad input (exit 2), a tracker that is not
 * built cannot run here (exit 3).
 */
import { BackendError } from '../backends/backend.ts';
import { suggestion, UserError } from '../errors/user-error.ts';
import { defaultTrackers, getTracker, TRACKER_NAMES } from '../trackers/registry.ts';
import { listFlag } from './args.ts';
import type { ProfileName } from '../models/timing.ts';

export interface TrackerChoice {
  variants: string[];
  /** the profile the chosen trackers need, when one of them can run only at one (real code: `streampark`) */
  needsProfile: ProfileName | undefined;
}

export function chooseTrackers(text: string | undefined, where: { backend: string; env: NodeJS.ProcessEnv }): TrackerChoice {
  const named = listFlag('variants', text);
  if (named !== undefined && named.length === 0) throw new UserError('--variants names no variant', { hint: `choose from ${TRACKER_NAMES.join(', ')}` });
  const variants = named ?? defaultTrackers(where.backend);
  const profiles = new Set<ProfileName>();
  for (const name of variants) {
    const tracker = getTracker(name);
    if (tracker === undefined) throw new UserError(`unknown variant \`${name}\` in --variants`, { hint: suggestion(name, TRACKER_NAMES) });
    if (!tracker.backends.includes(where.backend)) throw new UserError(`${name} cannot run on the ${where.backend} backend`, { hint: `it runs on ${tracker.backends.join(', ')}: add e.g. \`--backend ${tracker.backends[0]}\`` });
    if (tracker.profiles !== undefined && tracker.profiles.length === 1) profiles.add(tracker.profiles[0]!);
    const missing = tracker.unavailable?.(where.env);
    if (missing !== undefined) throw new BackendError(`${name} cannot run: ${missing}`);
  }
  if (profiles.size > 1) throw new UserError(`the variants need different timing profiles (${[...profiles].join(', ')})`, { hint: 'run them separately' });
  return { variants, needsProfile: [...profiles][0] };
}

/** Refuse a profile a chosen tracker cannot honour (exit 2). */
export function assertProfile(variants: readonly string[], profile: ProfileName | undefined): void {
  if (profile === undefined) return;
  for (const name of variants) {
    const profiles = getTracker(name)?.profiles;
    if (profiles !== undefined && !profiles.includes(profile)) throw new UserError(`${name} cannot run at the ${profile} timing profile: its timeouts are its own code's constants`, { hint: `use \`--timing ${profiles[0]}\` (docs/trackers.md says what that costs in wall time)` });
  }
}
