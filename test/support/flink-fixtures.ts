// Real Flink's recorded answers (test/fixtures/flink/, `npm run record:flink`) and the REST stub
// driven through the same story, both reduced to what a poller of /jobs/overview can see.
import { readdirSync, readFileSync } from 'node:fs';
import { FlinkCluster } from '../../src/backends/flink/flink-cluster.ts';
import { startFlinkRestStub } from '../../src/backends/flink/flink-rest-stub.ts';
import { VirtualClock } from '../../src/backends/sim/virtual-clock.ts';
import type { ScenarioApp } from '../../src/scenario/types.ts';

/** One answer: an HTTP status and body, or the error of a request that got none. */
export interface Answer {
  status?: number;
  /** recorded for the snapshots taken during a leader election */
  headers?: Record<string, string>;
  body?: unknown;
  error?: string;
}

export interface FlinkFixture {
  flink: string;
  case: string;
  ha: boolean;
  action: 'none' | 'restart' | 'cancel' | 'fail' | 'finish';
  downtimeMs?: number;
  /** /jobs/overview whenever what it said changed; ms from the action (from the JobManager's launch for `none`) */
  timeline: (Answer & { tMs: number })[];
  snapshots: Record<string, Answer>;
  events: { tMs: number; event: string; code?: number | null }[];
  archive?: { jid: string; overview: unknown; timestamps: Record<string, number> };
}

const DIR = new URL('../fixtures/flink/', import.meta.url);

export function loadFlinkFixtures(): FlinkFixture[] {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as FlinkFixture);
}

export interface OverviewJob {
  jid: string;
  state: string;
}

export const jobsOf = (answer: Answer): OverviewJob[] => (answer.body as { jobs?: OverviewJob[] } | undefined)?.jobs ?? [];

/** What an answer tells a poller: `refused` (no HTTP answer), `unavailable` (503), `none` (no job listed) or the job's state. */
export function label(answer: Answer): string {
  if (answer.status === undefined) return 'refused';
  if (answer.status === 503) return 'unavailable';
  if (answer.status !== 200) return `HTTP ${answer.status}`;
  return jobsOf(answer)[0]?.state ?? 'none';
}

export interface Segment {
  label: string;
  fromMs: number;
  /** undefined for the last one (it lasted until the recording ended) */
  ms: number | undefined;
}

/** Consecutive answers with the same label as one segment each, from `fromMs` on. */
export function segments(timeline: readonly (Answer & { tMs: number })[], fromMs = -Infinity): Segment[] {
  const out: Segment[] = [];
  for (const entry of timeline.filter((candidate) => candidate.tMs >= fromMs)) {
    const current = label(entry);
    const last = out.at(-1);
    if (last?.label === current) continue;
    if (last !== undefined) last.ms = entry.tMs - last.fromMs;
    out.push({ label: current, fromMs: entry.tMs, ms: undefined });
  }
  return out;
}

/**
 * The states a poller can count on seeing: segments that lasted at least `minMs` (a shorter one,
 * such as Flink's 40 ms CANCELLING, is caught by luck only), with neighbours merged.
 */
export function visible(all: readonly Segment[], minMs: number): string[] {
  const kept = all.filter((segment) => segment.ms === undefined || segment.ms >= minMs).map((segment) => segment.label);
  return kept.filter((name, index) => name !== kept[index - 1]);
}

export async function httpAnswer(port: number, path: string, method = 'GET'): Promise<Answer> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, signal: AbortSignal.timeout(30_000) }); // a hang guard: the stub is in this process
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: (error as { cause?: { code?: string } }).cause?.code ?? String(error) };
  }
}

/**
 * The REST stub over a FlinkCluster on a virtual clock: `act` runs at time 0 (cancel through the
 * stub's own PATCH, like the trackers), then every timer up to `untilMs` fires; /jobs/overview is
 * read over HTTP after each, and every change is kept, as the recorder keeps real Flink's.
 */
export async function stubTimeline(app: ScenarioApp, act: (cluster: FlinkCluster, clock: VirtualClock, port: number) => Promise<void> | void, untilMs: number): Promise<{ timeline: (Answer & { tMs: number })[]; port: number; close: () => Promise<void> }> {
  const clock = new VirtualClock();
  let sync: () => Promise<void> = async () => {};
  const cluster = new FlinkCluster(app, clock, { onChange: () => void sync(), onShutdown: () => {} });
  const stub = await startFlinkRestStub(cluster);
  sync = () => stub.sync();
  const timeline: (Answer & { tMs: number })[] = [];
  const look = async () => {
    await stub.sync();
    const answer = await httpAnswer(stub.port, '/jobs/overview');
    const previous = timeline.at(-1);
    if (previous === undefined || label(previous) !== label(answer) || jobsOf(previous)[0]?.jid !== jobsOf(answer)[0]?.jid) timeline.push({ tMs: clock.now(), ...answer });
  };
  await look();
  await act(cluster, clock, stub.port);
  await look();
  for (let due = clock.nextDueAt(); due !== undefined && due <= untilMs; due = clock.nextDueAt()) {
    await clock.runUntil(due);
    await look();
  }
  return { timeline, port: stub.port, close: () => stub.close() };
}

/** The keys and value types of a JSON value, recursively (arrays by their first element). */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, shape((value as Record<string, unknown>)[key])]));
  return typeof value;
}
