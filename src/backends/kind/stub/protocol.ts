/**
 * What the Flink REST stub image (main.ts) and the kind backend agree on: ports, environment,
 * the control endpoint's state document, and the file through which a restart carries its
 * downtime across the kill. Runs in the container too, so it imports nothing at run time.
 */
import type { ScenarioApp } from '../../../scenario/types.ts';

/** Flink's REST port, as in every JobManager container. */
export const REST_PORT = 8081;
/** The stub's control port: job state and fail/finish, served even while the REST port is closed. */
export const CONTROL_PORT = 8082;
/** An emptyDir volume: it outlives a container restart, not the pod. */
export const STATE_DIR = '/statuschaos';
/** Written by the restart command just before it kills the stub: epoch ms until which the new process must not serve. */
export const RESTART_UNTIL_FILE = 'restart-until';
/** How often the pod's JobManager container has started (the stub counts its own starts). */
export const STARTS_FILE = 'starts';
/** Written by the crash-loop command: every start from then on exits at once with CRASH_EXIT_CODE, and the kubelet backs off. */
export const CRASH_LOOP_FILE = 'crash-loop';
/** A JobManager that fails at start-up (a bad configuration, a missing class): exit 1, reason Error. */
export const CRASH_EXIT_CODE = 1;

export const STUB_ENV = {
  app: 'STATUSCHAOS_STUB_APP',
  timeScale: 'STATUSCHAOS_STUB_TIME_SCALE',
  startDelayMs: 'STATUSCHAOS_STUB_START_DELAY_MS',
  stateDir: 'STATUSCHAOS_STUB_STATE_DIR',
  host: 'STATUSCHAOS_STUB_HOST',
  restPort: 'STATUSCHAOS_STUB_REST_PORT',
  controlPort: 'STATUSCHAOS_STUB_CONTROL_PORT',
} as const;

/** GET /statuschaos/state on the control port. */
export interface StubState {
  /** is the REST port open? */
  serving: boolean;
  /** Flink's view of each job, by name ('not listed' while it recovers) */
  jobs: Record<string, string>;
  /** the history archive: final state by job id */
  archive: Record<string, string>;
  /** application mode: the job ended and Flink shut the cluster down */
  shutdown: boolean;
  /** wall ms since this process started (a restart resets it) */
  uptimeMs: number;
}

export const STATE_PATH = '/statuschaos/state';
/** POST /statuschaos/jobs/<name>/fail or …/finish */
export const jobActionPath = (name: string, verb: 'fail' | 'finish') => `/statuschaos/jobs/${encodeURIComponent(name)}/${verb}`;

export interface StubConfig {
  app: ScenarioApp;
  timeScale: number;
  startDelayMs: number;
  stateDir: string;
  host: string;
  restPort: number;
  controlPort: number;
}

/** The stub's settings from its environment; throws naming the variable that is wrong. */
export function readStubConfig(env: NodeJS.ProcessEnv): StubConfig {
  const number = (name: string, fallback: number, bound: 'positive' | 'non-negative') => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || (bound === 'positive' && value === 0)) throw new Error(`${name} must be a ${bound} number, got \`${text}\``);
    return value;
  };
  const text = env[STUB_ENV.app];
  if (text === undefined) throw new Error(`${STUB_ENV.app} is not set: it holds the scenario's app (clusterId, mode, jobs, recovery) as JSON`);
  let app: ScenarioApp;
  try {
    app = JSON.parse(text) as ScenarioApp;
  } catch (error) {
    throw new Error(`${STUB_ENV.app} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(app.jobs) || !Array.isArray(app.recovery)) throw new Error(`${STUB_ENV.app} needs \`jobs\` and \`recovery\` arrays`);
  return {
    app,
    timeScale: number(STUB_ENV.timeScale, 1, 'positive'),
    startDelayMs: number(STUB_ENV.startDelayMs, 0, 'non-negative'),
    stateDir: env[STUB_ENV.stateDir] || STATE_DIR,
    host: env[STUB_ENV.host] || '0.0.0.0',
    restPort: number(STUB_ENV.restPort, REST_PORT, 'non-negative'),
    controlPort: number(STUB_ENV.controlPort, CONTROL_PORT, 'non-negative'),
  };
}

/**
 * The shell command that restarts the stub in place: note until when the next process must stay
 * down, then SIGTERM PID 1 (the stub exits 143, the kubelet starts the container again).
 */
export function restartShellCommand(untilEpochMs: number, stateDir = STATE_DIR): string {
  return `printf '%s' ${Math.round(untilEpochMs)} > ${stateDir}/${RESTART_UNTIL_FILE} 2>/dev/null; kill 1`;
}

/** The shell command that makes the stub crash-loop: mark it, then SIGTERM PID 1; each start after it exits at once. */
export function crashLoopShellCommand(stateDir = STATE_DIR): string {
  return `: > ${stateDir}/${CRASH_LOOP_FILE}; kill 1`;
}
