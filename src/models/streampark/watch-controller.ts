/**
 * FlinkK8sWatchController's caches and the watcher's updateState, written as a draft: a handler
 * of the watcher machine opens a draft on its context, calls the methods below in the order
 * the Scala code does, and commits the result (new caches plus the events to send) in one step.
 */
import type { TelemetryEvent } from '../telemetry.ts';
import type { TrackerTiming } from '../timing.ts';
import { freshEntry, statusDiffers } from './rules.ts';
import { isWatcherEndState } from './states.ts';
import { clusterKey, type CachedJobStatus, type JobStatus, type TrackId } from './types.ts';

export interface WatchCaches {
  /** trackIds, by appId */
  tracked: Record<string, TrackId>;
  /** canceling, by appId */
  canceling: Record<string, true>;
  /** jobStatuses, by appId (expireAfterWrite statusCacheTtlMs) */
  jobStatuses: Record<string, CachedJobStatus>;
  /** endpoints, by cluster key (expireAfterWrite restUrlCacheTtlMs) */
  endpoints: Record<string, { url: string; writtenAt: number }>;
}

/** The variant rules updateState depends on (the watcher's guards, evaluated by the caller). */
export interface UpdateRules {
  /** v2.1.4: a session-mode end state untracks without asking the Kubernetes API */
  untracksSessionEndStatesAtOnce: boolean;
}

export interface DraftResult {
  caches: WatchCaches;
  published: { trackId: TrackId; status: JobStatus }[];
  /** ids whose end state needs `!isDeploymentExists` before they are untracked */
  untrackChecks: TrackId[];
  telemetry: TelemetryEvent[];
}

export class WatchControllerDraft {
  private readonly original: WatchCaches;
  /** copies of the caches this draft changed (copy on first write: most polls change nothing) */
  private readonly changed: Partial<WatchCaches> = {};
  private readonly now: number;
  private readonly timing: TrackerTiming;
  private readonly result: Omit<DraftResult, 'caches'> = { published: [], untrackChecks: [], telemetry: [] };

  constructor(caches: WatchCaches, now: number, timing: TrackerTiming) {
    this.original = caches;
    this.now = now;
    this.timing = timing;
  }

  private get caches(): WatchCaches {
    return { ...this.original, ...this.changed } as WatchCaches;
  }

  private writable<K extends keyof WatchCaches>(key: K): WatchCaches[K] {
    return (this.changed[key] ??= { ...this.original[key] });
  }

  /** True when the draft would change nothing and send nothing. */
  isEmpty(): boolean {
    return Object.keys(this.changed).length === 0 && this.result.published.length === 0 && this.result.untrackChecks.length === 0 && this.result.telemetry.length === 0;
  }

  /** jobStatuses.get: the entry, unless it was written statusCacheTtlMs ago or more. */
  latestStatus(appId: string): CachedJobStatus | undefined {
    return freshEntry((this.changed.jobStatuses ?? this.original.jobStatuses)[appId], this.now, this.timing.statusCacheTtlMs);
  }

  /** FlinkJobStatusWatcher.updateState. */
  updateState(trackIdBefore: TrackId, status: JobStatus, rules: UpdateRules): void {
    const trackId = { ...trackIdBefore, jobId: status.jobId };
    if (statusDiffers(this.latestStatus(trackId.appId), status.state, status.jobId)) {
      this.writable('jobStatuses')[trackId.appId] = { ...status, writtenAt: this.now };
      if (!(trackId.appId in this.caches.tracked)) this.result.telemetry.push({ type: 'tracking.started', appId: trackId.appId, reason: 'trackIds.update in updateState' });
      this.writable('tracked')[trackId.appId] = trackId; // watchController.trackIds.update(trackId)
      this.publish(trackId, status);
    }
    if (!isWatcherEndState(status.state)) return;
    if (trackId.mode === 'session' && rules.untracksSessionEndStatesAtOnce) this.unWatching(trackId, 'session end state');
    else this.result.untrackChecks.push(trackId);
  }

  /** eventBus.postSync(FlinkJobStatusChangeEvent). */
  publish(trackId: TrackId, status: JobStatus): void {
    this.result.published.push({ trackId, status });
    this.result.telemetry.push({ type: 'status.published', appId: trackId.appId, state: status.state });
  }

  /** FlinkK8sWatchController.unWatching: forget the id in trackIds, canceling and jobStatuses. */
  unWatching(trackId: TrackId, reason: string): void {
    const { appId } = trackId;
    if (appId in this.caches.tracked) this.result.telemetry.push({ type: 'tracking.stopped', appId, reason });
    delete this.writable('tracked')[appId];
    delete this.writable('canceling')[appId];
    delete this.writable('jobStatuses')[appId];
  }

  /**
   * trackIds.invalidate only: v2.1.4's canceling branch (FlinkJobStatusWatcher.scala v2.1.4 line 314).
   * `canceling` and `jobStatuses` keep their entries, so updateState re-adds the id only on a diff.
   */
  invalidateTrackId(trackId: TrackId, reason: string): void {
    const { appId } = trackId;
    if (appId in this.caches.tracked) this.result.telemetry.push({ type: 'tracking.stopped', appId, reason });
    delete this.writable('tracked')[appId];
  }

  /** endpoints.invalidate(trackId.toClusterKey) */
  invalidateEndpoint(trackId: TrackId): void {
    delete this.writable('endpoints')[clusterKey(trackId)];
  }

  /** endpoints.put: the refreshed REST URL. */
  cacheEndpoint(key: string, url: string): void {
    this.writable('endpoints')[key] = { url, writtenAt: this.now };
  }

  /** DefaultFlinkK8sWatcher.doWatching: trackIds.set. */
  doWatching(trackId: TrackId): void {
    this.writable('tracked')[trackId.appId] = trackId;
    this.result.telemetry.push({ type: 'tracking.started', appId: trackId.appId, reason: 'doWatching' });
  }

  /** DefaultFlinkK8sWatcher.unWatching, which in 2.1.3 and 2.1.4 only marks the id as canceling. */
  markCanceling(trackId: TrackId): void {
    this.writable('canceling')[trackId.appId] = true;
  }

  commit(): DraftResult {
    return { caches: this.caches, ...this.result };
  }
}
