/**
 * Timing profiles for the trackers (StreamPark's defaults: docs/models.md). A profile is StreamPark's defaults times a
 * `scale`: `fast` keeps every ratio and shrinks wall time tenfold for live runs. Scenario
 * timelines are written in StreamPark seconds and are scaled by the same factor, so a
 * scenario means the same thing under every profile.
 */

export interface TrackerTiming {
  /** job-status polling interval (scheduleAtFixedRate period) */
  pollIntervalMs: number;
  /** how long one polling cycle waits for its per-application futures */
  cycleWaitMs: number;
  /** silent-state keep time before SILENT becomes LOST */
  silentKeepMs: number;
  /** Flink REST connect timeout (RestOptions.AWAIT_LEADER_TIMEOUT default) */
  restConnectTimeoutMs: number;
  /** Flink REST response timeout (ClientOptions.CLIENT_TIMEOUT default) */
  restResponseTimeoutMs: number;
  /** jobStatuses cache: expireAfterWrite */
  statusCacheTtlMs: number;
  /** endpoints (REST URL) cache: expireAfterWrite */
  restUrlCacheTtlMs: number;
  /** v2.1.4: how long a failing existence check still answers "exists" */
  deploymentLostGraceMs: number;
  /**
   * Kubernetes API client timeouts: StreamPark builds DefaultKubernetesClient with fabric8 5.5.0's
   * defaults (Config.java lines 185 and 190: 10 s connect, 10 s per read), and never retries.
   */
  apiConnectTimeoutMs: number;
  apiRequestTimeoutMs: number;
  /**
   * Flink's RestClusterClient, which the console's cancel goes through (RestOptions defaults):
   * `rest.connection-timeout` per connect, `rest.idleness-timeout` of a connection waiting for
   * its answer, `rest.retry.delay` between attempts, `rest.retry.max-attempts` retries after
   * the first attempt of a request that failed on a connection problem or a 503.
   */
  flinkClientConnectTimeoutMs: number;
  flinkClientIdleTimeoutMs: number;
  flinkClientRetryDelayMs: number;
  flinkClientRetries: number;
  /**
   * The console host's visible cores (`app.console.cpus`), which size StreamPark's poll pools
   * (2.1.3: one thread per core; 2.1.4: max(4, 2 × cores), one of them the tick's); unset: as
   * many threads as the polls need (streampark/poll-pool.ts).
   */
  consoleCpus?: number;
}

export const TIMING_FIELDS = [
  'pollIntervalMs', 'cycleWaitMs', 'silentKeepMs', 'restConnectTimeoutMs', 'restResponseTimeoutMs',
  'statusCacheTtlMs', 'restUrlCacheTtlMs', 'deploymentLostGraceMs', 'apiConnectTimeoutMs', 'apiRequestTimeoutMs',
  'flinkClientConnectTimeoutMs', 'flinkClientIdleTimeoutMs', 'flinkClientRetryDelayMs',
] as const satisfies readonly (keyof TrackerTiming)[];

/** StreamPark's defaults, in StreamPark (unscaled) milliseconds. */
export const STREAMPARK_TIMING: Readonly<TrackerTiming> = Object.freeze({
  pollIntervalMs: 5_000,
  cycleWaitMs: 120_000,
  silentKeepMs: 60_000,
  restConnectTimeoutMs: 30_000,
  restResponseTimeoutMs: 60_000,
  statusCacheTtlMs: 20_000,
  restUrlCacheTtlMs: 24 * 3_600_000,
  deploymentLostGraceMs: 180_000,
  apiConnectTimeoutMs: 10_000,
  apiRequestTimeoutMs: 10_000,
  flinkClientConnectTimeoutMs: 15_000,
  flinkClientIdleTimeoutMs: 300_000,
  flinkClientRetryDelayMs: 3_000,
  flinkClientRetries: 20,
});

export const PROFILE_NAMES = ['streampark', 'fast'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Wall-clock scale of each profile: wall ms = scenario ms × scale. */
export const PROFILE_SCALE: Readonly<Record<ProfileName, number>> = { streampark: 1, fast: 0.1 };

/** A resolved profile: the tracker timing in scenario ms, and the wall-clock scale to run it at. */
export interface TimingProfile {
  name: ProfileName;
  scale: number;
  tracker: TrackerTiming;
}

/** Resolve a profile name plus per-scenario overrides (scenario ms) into a TimingProfile. */
export function resolveTiming(name: ProfileName, overrides: Partial<TrackerTiming> = {}): TimingProfile {
  return { name, scale: PROFILE_SCALE[name], tracker: { ...STREAMPARK_TIMING, ...overrides } };
}
