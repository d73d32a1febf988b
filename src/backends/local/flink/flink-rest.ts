/**
 * The harness's own reads of a real JobManager's REST API, straight to its port (never through
 * the `flink-rest` proxy): `/jobs/overview`, the one endpoint whose state is never stale
 * (`/jobs/<jid>` is cached for `web.refresh-interval`, 3 s).
 */

/** One job of `/jobs/overview`, as Flink 1.18 answers it (the fields the harness reads). */
export interface OverviewJob {
  jid: string;
  name: string;
  state: string;
  tasks?: Record<string, number>;
}

/** What one GET of /jobs/overview saw. */
export type OverviewAnswer =
  | { kind: 'jobs'; jobs: OverviewJob[] }
  /** an HTTP error status, e.g. 503 while an HA JobManager waits for its leadership */
  | { kind: 'status'; status: number; body: string }
  /** no HTTP answer: refused, reset, timed out */
  | { kind: 'down'; error: string };

const TIMEOUT_MS = 1_000;

export async function readOverview(restPort: number): Promise<OverviewAnswer> {
  try {
    const response = await fetch(`http://127.0.0.1:${restPort}/jobs/overview`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = await response.text();
    if (!response.ok) return { kind: 'status', status: response.status, body };
    const parsed = JSON.parse(body) as { jobs?: OverviewJob[] };
    return { kind: 'jobs', jobs: parsed.jobs ?? [] };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { kind: 'down', error: cause ?? (error instanceof Error ? error.name : String(error)) };
  }
}

/** A job RUNNING with every task running (RUNNING alone can mean tasks still SCHEDULED, waiting for a slot). */
export function fullyRunning(job: OverviewJob): boolean {
  const tasks = job.tasks ?? {};
  return job.state === 'RUNNING' && (tasks.total ?? 0) > 0 && tasks.running === tasks.total;
}
