// Starting the real-tracker driver (src/trackers/streampark-real/driver) as the harness would,
// from the launch.json `npm run tools` installed, and reading its protocol lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { driverCommand } from '../../src/trackers/streampark-real/plugins.ts';
import { toolsBinDir, onCI } from './tools.ts';

export const streamparkInstallDir = (version: string) => join(toolsBinDir, '..', 'streampark', version);

/** The installed launch.json of each version, or a skip message (a thrown error on CI) when one is missing. */
export function missingStreamparkDriver(versions: readonly string[]): string | undefined {
  const missing = versions.filter((version) => !existsSync(join(streamparkInstallDir(version), 'launch.json')));
  if (missing.length === 0) return undefined;
  const message = `the real StreamPark driver is not installed for ${missing.join(', ')} (${streamparkInstallDir(missing[0]!)}/launch.json); run \`npm run tools\` with a JDK 17, Maven and ../shared/systems/streampark/maven`;
  if (onCI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return message;
}

/** One driver process: its stdout lines (parsed when they are JSON, kept raw otherwise) and its stderr. */
export class DriverProcess {
  readonly child: ChildProcess;
  readonly lines: { raw: string; message?: Record<string, unknown>; receivedAt: number }[] = [];
  stderr = '';
  readonly startedAt = Date.now();
  readonly exited: Promise<number | null>;

  private constructor(child: ChildProcess) {
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (raw) => {
      let message: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) message = parsed as Record<string, unknown>;
      } catch {
        // garbage: kept raw, the test says so
      }
      this.lines.push({ raw, message, receivedAt: Date.now() });
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-20_000)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `real-<version>` in `workDir` with the command line its plug-in uses (src/trackers/streampark-real/plugins.ts). */
  static async start(version: string, workDir: string): Promise<DriverProcess> {
    await mkdir(workDir, { recursive: true });
    const command = driverCommand(version, process.env, workDir);
    const child = spawn(command.file, command.args, { cwd: workDir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...command.env, STATUSCHAOS_TRACKER_PROTOCOL: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    return new DriverProcess(child);
  }

  send(message: unknown): void {
    this.child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** The first message of `type` for which `matches` holds, waiting up to `timeoutMs`. */
  async next(type: string, timeoutMs: number, matches: (message: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => line.message?.type === type && matches(line.message));
      if (found) return found.message!;
      const fatal = this.lines.find((line) => line.message?.type === 'fatal');
      if (fatal) throw new Error(`the driver sent fatal while waiting for ${type}: ${String(fatal.message!.message)}\n${this.stderr.slice(-3000)}`);
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no ${type} from the driver within ${timeoutMs} ms (exit ${this.child.exitCode}); stdout:\n${this.lines.map((l) => l.raw).join('\n')}\nstderr tail:\n${this.stderr.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
