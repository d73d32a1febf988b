/**
 * The external-tracker protocol, version 1 (docs/trackers.md): JSON lines on stdio. This module
 * is the protocol's one definition on the harness's side: what the harness sends, and the
 * schema every line a tracker prints must fit. A line that does not fit is garbage.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** The longest line either side may send. */
export const MAX_LINE_BYTES = 64 * 1024;

/** How the harness describes an application in `setup`. */
export interface ProtocolApp {
  appId: string;
  mode: 'application' | 'session';
  namespace: string;
  clusterId: string;
  jobId: string;
  state: string;
  tracking: 0 | 1;
  /** where Flink writes the job's history archive: nowhere, or the folder of `endpoints.archiveDirs` of that name */
  archive: 'none' | 'workspace' | 'fs-dir';
}

export type HarnessMessage =
  | {
      type: 'setup';
      protocol: typeof PROTOCOL_VERSION;
      tracker: string;
      /** a console restart: `apps` hold what the previous process persisted */
      restart: boolean;
      /** the run's timing in scenario ms, and wall ms per scenario ms */
      timing: Record<string, number>;
      timeScale: number;
      apps: ProtocolApp[];
      endpoints: { kubeconfig: string; apiServer: string; flinkRest: string; archiveDirs: Partial<Record<'workspace' | 'fs-dir', string>> } | null;
      workDir: string;
    }
  /** scenario time 0 (or, after a console restart, the moment the new process may track): start tracking now */
  | { type: 'start'; epochMs: number; timeScale: number }
  | { type: 'cancel'; appId: string; id: string }
  | { type: 'stop' };

const epochMs = z.number().finite().nonnegative();
const text = (max: number) => z.string().max(max);
const name = text(200);
const binary = z.union([z.literal(0), z.literal(1)]);

/** Every message a tracker may print, by type; unknown fields are refused too (a typo is garbage, not silence). */
const trackerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), protocol: z.number().int(), tracker: name, version: text(500) }).strict(),
  z.object({ type: z.literal('ready'), at: epochMs }).strict(),
  z.object({ type: z.literal('write'), at: epochMs, appId: name, state: name, tracking: binary, cause: text(2000) }).strict(),
  z.object({ type: z.literal('alert'), at: epochMs, appId: name, state: name }).strict(),
  z.object({ type: z.literal('poll'), at: epochMs, call: name, target: z.enum(['apiserver', 'flink-rest', 'local']), outcome: name, ms: z.number().finite().nonnegative() }).strict(),
  z.object({ type: z.literal('event'), at: epochMs, name, appId: name.optional(), detail: text(2000).optional() }).strict(),
  z.object({ type: z.literal('log'), at: epochMs, level: z.enum(['debug', 'info', 'warn', 'error']), message: text(4000) }).strict(),
  z.object({ type: z.literal('cancel.result'), at: epochMs, id: name, outcome: z.enum(['ok', 'failed']), message: text(2000).optional() }).strict(),
  z.object({ type: z.literal('fatal'), message: text(4000) }).strict(),
]);

export type TrackerMessage = z.infer<typeof trackerMessage>;

/** A line as the harness read it: a message, or why it is garbage. */
export type ParsedLine = { ok: true; message: TrackerMessage } | { ok: false; why: string };

export function parseTrackerLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const parsed = trackerMessage.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, why: issue === undefined ? 'not a protocol message' : `${issue.path.join('.') || 'message'}: ${issue.message}` };
}

export function encode(message: HarnessMessage): string {
  return `${JSON.stringify(message)}\n`;
}
