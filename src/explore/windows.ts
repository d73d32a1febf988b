/** The lengths the explorer tries for fault windows and downtimes: around the bounds that matter. */
import { STREAMPARK_TIMING } from '../models/timing.ts';

const T = STREAMPARK_TIMING;
const s = (seconds: number) => seconds * 1_000;
/** Just below and just above a bound. */
const around = (ms: number) => [ms - s(1), ms + s(1)];

/** How long a fault lasts: shorter than a poll, around the API and REST timeouts, the cache lifetime, the cycle wait and v2.1.4's grace. */
export const FAULT_WINDOWS_MS = [
  s(2), T.pollIntervalMs - s(1),
  ...around(T.apiRequestTimeoutMs), ...around(T.statusCacheTtlMs), ...around(T.restConnectTimeoutMs),
  ...around(T.silentKeepMs), ...around(T.cycleWaitMs), ...around(T.deploymentLostGraceMs),
].sort((a, b) => a - b);

/** How long a JobManager stays away: a blip, around the cache lifetime and a minute, beyond the detection bound. */
export const JOBMANAGER_DOWNTIMES_MS = [s(5), ...around(T.statusCacheTtlMs), s(45), ...around(T.silentKeepMs), s(150)].sort((a, b) => a - b);
/** How long the console process stays away. */
export const CONSOLE_DOWNTIMES_MS = [s(5), s(30), s(90)];
