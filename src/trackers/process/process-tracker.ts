/**
 * A tracker that runs as a process of its own and speaks the protocol (docs/trackers.md): the
 * adapter starts it, hands it the applications and endpoints, turns its lines into the report,
 * restarts it for a console restart with the rows it had persisted, and stops it. A tracker that
 * never starts, crashes, or prints garbage is failed (its verdicts become inconclusive, with its
 * stderr's tail); nothing it started outlives stop(), a kill, or the harness.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { logTail } from '../../processes/processes.ts';
import type { TrackedApp } from '../../models/environment.ts';
import type { RunningTracker, TrackerContext } from '../tracker.ts';
import { Incarnation, StartError } from './incarnation.ts';
import { PROTOCOL_VERSION, type HarnessMessage, type TrackerMessage } from './protocol.ts';

export interface ProcessCommand {
  file: string;
  args: readonly string[];
  /** added to a minimal environment (PATH, HOME, LANG and STATUSCHAOS_TRACKER_PROTOCOL) */
  env?: Record<string, string>;
}

export interface ProcessTrackerSpec {
  /** the command line, built when the tracker starts (from the settings) */
  command(context: TrackerContext): ProcessCommand;
  /** the console states the tracker may write (its system's) */
  states: readonly string[];
  /** wall ms the process may take to say hello, and then to be ready */
  startTimeoutMs?: number;
  /** wall ms it may take to exit after `stop` before its process group is killed */
  stopTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 120_000;
const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** more lines than any honest run prints: a tracker printing in a loop is failed, not stored */
const MAX_MESSAGES = 200_000;
const STDERR_TAIL_LINES = 20;

/** The persisted row of each application, as the tracker's last write left it. */
type Rows = Map<string, TrackedApp>;

export function processTracker(spec: ProcessTrackerSpec): (context: TrackerContext) => Promise<RunningTracker> {
  return (context) => new ProcessTracker(spec, context).start();
}

class ProcessTracker implements RunningTracker {
  version: string | undefined;
  private readonly rows: Rows;
  private readonly stderrLog: string;
  private current: Incarnation | undefined;
  private epochMs: number | undefined;
  /** the last start's figures, reported at its scenario start */
  private startup: { helloWallMs: number; readyWallMs: number; restart: boolean } | undefined;
  private lastAt = 0;
  private messages = 0;
  private cancels = 0;
  private failed = false;
  private failing: Promise<void> | undefined;
  private stopping = false;
  /** a console restart in progress: the old process's exit is expected */
  private restarting = false;
  private relaunch: unknown;
  /** one more per console restart: a start overtaken by a newer restart is let go quietly */
  private generation = 0;
  /** between spawn and `ready`: an exit then is a failure to start, which the start reports itself */
  private launching = false;

  private readonly spec: ProcessTrackerSpec;
  private readonly context: TrackerContext;

  constructor(spec: ProcessTrackerSpec, context: TrackerContext) {
    this.spec = spec;
    this.context = context;
    this.rows = new Map(context.apps.map((app) => [app.appId, { ...app }]));
    mkdirSync(context.workDir, { recursive: true });
    this.stderrLog = join(context.workDir, 'stderr.log');
    context.signal?.addEventListener('abort', () => void this.current?.kill(), { once: true });
  }

  async start(): Promise<RunningTracker> {
    await this.launch(false);
    return this;
  }

  /** Start a life: hello, setup, ready. A failure to start fails the tracker (it does not throw). */
  private async launch(restart: boolean): Promise<void> {
    const { context, spec } = this;
    if (this.failed || this.stopping) return;
    const generation = this.generation;
    const timeoutMs = spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      const command = spec.command(context);
      const life = new Incarnation({
        name: `tracker ${context.variant}`,
        file: command.file,
        args: command.args,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: process.env.LANG ?? 'C.UTF-8', ...command.env, STATUSCHAOS_TRACKER_PROTOCOL: String(PROTOCOL_VERSION) },
        cwd: context.workDir,
        stderrLog: this.stderrLog,
        onMessage: (message) => this.receive(message),
        onGarbage: (why, line) => void this.fail(`printed something that is not the protocol (${why}): ${JSON.stringify(line.slice(0, 200))}`),
        onExit: (how) => {
          if (life === this.current && !this.launching && !this.stopping && !this.restarting) void this.fail(`its process ${how} while tracking`);
        },
      });
      this.current = life;
      this.launching = true;
      const spawnedAt = performance.now();
      const hello = await life.expect('hello', timeoutMs);
      const helloMs = performance.now() - spawnedAt;
      if (hello.protocol !== PROTOCOL_VERSION) throw new StartError(`speaks protocol ${hello.protocol}; the harness speaks ${PROTOCOL_VERSION}`);
      this.version = hello.version;
      life.send(this.setup(restart));
      await life.expect('ready', timeoutMs);
      this.startup = { helloWallMs: Math.round(helloMs), readyWallMs: Math.round(performance.now() - spawnedAt), restart };
      this.launching = false;
    } catch (error) {
      this.launching = false;
      if (this.stopping || generation !== this.generation) return;
      await this.fail(`did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private setup(restart: boolean): HarnessMessage {
    const { context } = this;
    const endpoints = context.endpoints;
    const archive = endpoints?.archive;
    return {
      type: 'setup',
      protocol: PROTOCOL_VERSION,
      tracker: context.variant,
      restart,
      timing: { ...context.timing },
      timeScale: context.timeScale,
      apps: [...this.rows.values()].map(({ appId, mode, namespace, clusterId, jobId, state, tracking }) => ({ appId, mode, namespace, clusterId, jobId, state, tracking, archive: archive?.setting ?? 'none' })),
      endpoints: endpoints === undefined ? null : { kubeconfig: endpoints.kubeconfig, apiServer: endpoints.apiServer, flinkRest: endpoints.flinkRest, archiveDirs: archive === undefined ? {} : { [archive.setting]: archive.folder } },
      workDir: context.workDir,
    };
  }

  begin(): void {
    // the wall time of scenario time 0: the tracker's own timestamps are read against it
    this.epochMs = Date.now() - this.context.clock.now() * this.context.timeScale;
    this.reportStartup();
    this.showStoredRows();
    this.current?.send({ type: 'start', epochMs: this.epochMs, timeScale: this.context.timeScale });
  }

  /** How long the process took to say hello and to be ready (wall ms, for bench:live and the report's events). */
  private reportStartup(): void {
    if (this.startup === undefined || this.failed) return;
    this.context.report.event('process.started', { ...this.startup });
    this.startup = undefined;
  }

  /** A console that (re)starts shows each application as its database holds it, before it learns anything: as the models write it. */
  private showStoredRows(): void {
    if (this.failed) return;
    for (const row of this.rows.values()) this.context.report.write({ appId: row.appId, state: row.state, tracking: row.tracking, cause: 'initial' });
  }

  /** Scenario ms of a tracker timestamp: never before 0, nor before the last one (lanes are in time order), nor in the future. */
  private toScenario(at: number): number {
    const now = this.context.clock.now();
    const t = this.epochMs === undefined ? now : (at - this.epochMs) / this.context.timeScale;
    this.lastAt = Math.min(now, Math.max(this.lastAt, t, 0));
    return this.lastAt;
  }

  private receive(message: TrackerMessage): void {
    if (this.failed) return;
    if (++this.messages > MAX_MESSAGES) return void this.fail(`printed more than ${MAX_MESSAGES} messages`);
    const { report } = this.context;
    switch (message.type) {
      case 'write': {
        const row = this.rows.get(message.appId);
        if (row === undefined) return void this.fail(`wrote a state for \`${message.appId}\`, which it was not asked to track`);
        if (!this.spec.states.includes(message.state)) return void this.fail(`wrote \`${message.state}\`, which is no state of its console`);
        this.rows.set(message.appId, { ...row, state: message.state, tracking: message.tracking });
        return report.write({ appId: message.appId, state: message.state, tracking: message.tracking, cause: message.cause, at: this.toScenario(message.at) });
      }
      case 'alert':
        return report.alert({ appId: message.appId, state: message.state, at: this.toScenario(message.at) });
      case 'poll':
        return report.poll({ call: message.call, target: message.target, outcome: message.outcome, ms: message.ms / this.context.timeScale, at: this.toScenario(message.at) });
      case 'event':
        return report.event(message.name, { ...(message.appId !== undefined ? { appId: message.appId } : {}), ...(message.detail !== undefined ? { detail: message.detail } : {}) }, this.toScenario(message.at));
      case 'log':
        // the tracker's own log stays in its stderr file; warnings and errors are worth a line in the report
        if (message.level === 'warn' || message.level === 'error') report.event('log', { level: message.level, message: message.message }, this.toScenario(message.at));
        return;
      case 'cancel.result':
        return report.event('cancel.result', { id: message.id, outcome: message.outcome, ...(message.message !== undefined ? { message: message.message } : {}) }, this.toScenario(message.at));
      case 'fatal':
        return void this.fail(`gave up: ${message.message}`);
      case 'hello':
      case 'ready':
        return void this.fail(`sent \`${message.type}\` again while tracking`);
    }
  }

  send(command: Parameters<RunningTracker['send']>[0]): void {
    if (this.failed || this.stopping) return;
    if (command.type === 'console.cancel') {
      if (this.current?.alive !== true || this.restarting) return this.context.report.event('cancel.dropped', { appId: command.appId, reason: 'the console is down' });
      this.current.send({ type: 'cancel', appId: command.appId, id: `cancel-${++this.cancels}` });
      return;
    }
    // a console restart: the process dies with everything in memory; after the downtime a new one starts from the persisted rows
    this.restarting = true;
    const generation = ++this.generation;
    if (this.relaunch !== undefined) this.context.clock.clearTimeout(this.relaunch);
    this.relaunch = undefined;
    this.context.report.event('console.killed', { downtimeMs: command.downtimeMs });
    void this.current?.kill().then(() => {
      if (generation === this.generation && !this.stopping) this.relaunch = this.context.clock.setTimeout(() => void this.restartNow(generation), command.downtimeMs);
    });
  }

  private async restartNow(generation: number): Promise<void> {
    this.relaunch = undefined;
    await this.launch(true);
    if (generation !== this.generation) return;
    this.restarting = false;
    if (this.failed || this.stopping || this.epochMs === undefined) return;
    this.context.report.event('console.started', { tracked: [...this.rows.values()].map((row) => row.appId) });
    this.reportStartup();
    this.showStoredRows();
    this.current?.send({ type: 'start', epochMs: this.epochMs, timeScale: this.context.timeScale });
  }

  /** Fail once: kill it, then report why with its stderr's tail; every later caller waits for that report. */
  private fail(reason: string): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.failing ??= (async () => {
      this.failed = true;
      await this.current?.kill();
      this.context.report.fail(reason, await logTail(this.stderrLog, STDERR_TAIL_LINES));
    })();
    return this.failing;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.relaunch !== undefined) this.context.clock.clearTimeout(this.relaunch);
    const life = this.current;
    if (life === undefined) return;
    const peakRssKiB = await peakResidentKiB(life.pid);
    if (peakRssKiB !== undefined && !this.failed) this.context.report.event('process.memory', { peakRssKiB });
    const inTime = await life.stop(this.spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    if (!inTime && !this.failed) this.context.report.event('stop.killed', { reason: `did not exit within ${Math.round((this.spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) / 1000)} s of \`stop\`: its process group was killed` });
  }
}

/** The process's peak resident set (VmHWM, KiB) while it lives; undefined once it is gone or off Linux. */
async function peakResidentKiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status?.match(/^VmHWM:\s+(\d+) kB/m);
  return match ? Number(match[1]) : undefined;
}
