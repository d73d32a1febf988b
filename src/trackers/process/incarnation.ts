/**
 * One life of a tracker process: started in its own process group, its stdout read as protocol
 * lines (each bounded), its stderr kept in a log file. A console restart ends a life and starts
 * another; nothing of a life outlives `kill()`.
 */
import { StringDecoder } from 'node:string_decoder';
import { killProcess, startTalkingProcess, type TalkingProcess } from '../../processes/processes.ts';
import { encode, MAX_LINE_BYTES, parseTrackerLine, type HarnessMessage, type TrackerMessage } from './protocol.ts';

export interface IncarnationOptions {
  name: string;
  file: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  stderrLog: string;
  /** every message, in order */
  onMessage(message: TrackerMessage): void;
  /** a line that is not the protocol: the tracker can no longer be trusted */
  onGarbage(why: string, line: string): void;
  /** the process ended (whoever ended it) */
  onExit(description: string): void;
}

/** What `expect` rejects with: the process ended, or said something else, before the message came. */
export class StartError extends Error {}

export class Incarnation {
  private readonly process: TalkingProcess;
  private readonly waiters = new Set<{ type: TrackerMessage['type']; resolve: (message: TrackerMessage) => void; reject: (error: Error) => void }>();
  private pending = '';
  private ended: string | undefined;
  private readonly options: IncarnationOptions;

  constructor(options: IncarnationOptions) {
    this.options = options;
    this.process = startTalkingProcess(options.name, options.file, options.args, { logPath: options.stderrLog, env: options.env, cwd: options.cwd });
    const decoder = new StringDecoder('utf8');
    this.process.stdout.on('data', (chunk: Buffer) => this.read(decoder.write(chunk)));
    // a closed or broken stdin (the process died) is seen through its exit, not as an error here
    this.process.stdin.on('error', () => {});
    void this.process.exited.then(() => {
      const exit = this.process.exit;
      this.ended = exit?.signal !== undefined ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? 'unknown'}`;
      for (const waiter of this.waiters) waiter.reject(new StartError(`${this.ended} before it sent \`${waiter.type}\``));
      this.waiters.clear();
      options.onExit(this.ended);
    });
  }

  get pid(): number {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  private read(text: string): void {
    this.pending += text;
    for (let newline = this.pending.indexOf('\n'); newline !== -1; newline = this.pending.indexOf('\n')) {
      const line = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      if (line.trim() !== '') this.handle(line);
    }
    if (Buffer.byteLength(this.pending) > MAX_LINE_BYTES) {
      const start = this.pending.slice(0, 200);
      this.pending = '';
      this.options.onGarbage(`a line longer than ${MAX_LINE_BYTES} bytes`, start);
    }
  }

  private handle(line: string): void {
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) return this.options.onGarbage(`a line longer than ${MAX_LINE_BYTES} bytes`, line.slice(0, 200));
    const parsed = parseTrackerLine(line);
    if (!parsed.ok) return this.options.onGarbage(parsed.why, line);
    for (const waiter of this.waiters) {
      if (waiter.type !== parsed.message.type) continue;
      this.waiters.delete(waiter);
      waiter.resolve(parsed.message);
      return;
    }
    this.options.onMessage(parsed.message);
  }

  /** The next message of this type (it is not passed to onMessage), within `timeoutMs` of wall time. */
  expect<T extends TrackerMessage['type']>(type: T, timeoutMs: number): Promise<Extract<TrackerMessage, { type: T }>> {
    if (this.ended !== undefined) return Promise.reject(new StartError(`${this.ended} before it sent \`${type}\``));
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        resolve: (message: TrackerMessage) => {
          clearTimeout(timer);
          resolve(message as Extract<TrackerMessage, { type: T }>);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new StartError(`sent no \`${type}\` within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  send(message: HarnessMessage): void {
    if (this.ended === undefined && this.process.stdin.writable) this.process.stdin.write(encode(message));
  }

  /** Ask it to stop (`stop`, then stdin closed), and kill its process group if it has not exited within `graceMs`. */
  async stop(graceMs: number): Promise<boolean> {
    this.send({ type: 'stop' });
    this.process.stdin.end();
    const exitedInTime = await Promise.race([this.process.exited.then(() => true), new Promise<false>((resolve) => setTimeout(resolve, graceMs, false).unref())]);
    await this.kill();
    return exitedInTime;
  }

  /** Kill the whole process group at once (a crashed or restarted console loses everything). */
  async kill(): Promise<void> {
    await killProcess(this.process);
  }
}
