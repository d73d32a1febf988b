/**
 * A Flink JobManager REST endpoint for live backends: a small HTTP server (127.0.0.1 unless told
 * otherwise: the kind backend's stub image listens on every address of its container) that
 * answers `/jobs/overview`, `/overview`, `/config` and the cancel call in Flink's JSON shape,
 * from a FlinkCluster, in the shape of Flink 1.18's answers recorded in test/fixtures/flink/ (held
 * to them by test/backends/flink/conformance.test.ts). While the JobManager is down the server
 * stops listening, so connections are refused (and the proxy in front closes its clients'
 * connections), as with a dead pod; while it waits for leadership, it answers 503.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FlinkCluster } from './flink-cluster.ts';

export interface FlinkRestStub {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Open or close the listener to match the cluster (call after every change). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The version the stub answers as: the one whose answers test/fixtures/flink/ recorded. */
export const STUB_FLINK_VERSION = '1.18.1';

const CONFIG = {
  'refresh-interval': 3000,
  'timezone-name': 'Coordinated Universal Time',
  'timezone-offset': 0,
  'flink-version': STUB_FLINK_VERSION,
  'flink-revision': 'statuschaos REST stub',
  features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
};

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const TERMINAL = ['FAILED', 'FINISHED', 'CANCELED'];
/** Task counts by job state, as Flink reports the test job's two vertices (INITIALIZING: none yet). */
const TASKS: Record<string, Partial<Record<string, number>>> = {
  INITIALIZING: { total: 0 },
  RUNNING: { running: 2 },
  CANCELLING: { canceling: 2 },
  CANCELED: { canceled: 2 },
  FAILING: { canceling: 1, failed: 1 },
  FAILED: { canceled: 1, failed: 1 },
  FINISHED: { finished: 2 },
};

/** Flink's /jobs/overview entry for one job (the fields StreamPark reads, and the rest in the same shape). */
function jobEntry(job: { jid: string; name: string; state: string }, startTime: number) {
  const now = Date.now();
  const tasks = { running: 0, canceling: 0, canceled: 0, total: 2, created: 0, scheduled: 0, deploying: 0, reconciling: 0, finished: 0, initializing: 0, failed: 0, ...TASKS[job.state] };
  return {
    jid: job.jid,
    name: job.name,
    'start-time': startTime,
    'end-time': TERMINAL.includes(job.state) ? now : -1,
    duration: now - startTime,
    state: job.state,
    'last-modification': job.state === 'INITIALIZING' ? 0 : now,
    tasks,
  };
}

/** Flink's answer while its JobManager waits for leadership (recovery step `unavailable`). */
const LEADER_ELECTION = { errors: ['Service temporarily unavailable due to an ongoing leader election. Please refresh.'] };

/** Serve `cluster`'s REST API on `host` (default 127.0.0.1) and `port` (default: one the OS picks), following its JobManager. */
export async function startFlinkRestStub(cluster: FlinkCluster, options: { port?: number; host?: string } = {}): Promise<FlinkRestStub> {
  const host = options.host ?? '127.0.0.1';
  const startTime = Date.now();
  const sockets = new Set<Socket>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (request.method === 'GET' && url.pathname === '/config') return json(response, 200, CONFIG);
    if (cluster.awaitsLeadership()) return json(response, 503, LEADER_ELECTION);
    const jobs = cluster.overview().jobs;
    if (request.method === 'GET' && url.pathname === '/jobs/overview') return json(response, 200, { jobs: jobs.map((job) => jobEntry(job, startTime)) });
    if (request.method === 'GET' && url.pathname === '/overview') {
      const count = (state: string) => jobs.filter((job) => job.state === state).length;
      return json(response, 200, { taskmanagers: 1, 'slots-total': 1, 'slots-available': count('RUNNING') > 0 ? 0 : 1, 'jobs-running': jobs.length - count('FINISHED') - count('CANCELED') - count('FAILED'), 'jobs-finished': count('FINISHED'), 'jobs-cancelled': count('CANCELED'), 'jobs-failed': count('FAILED'), 'flink-version': STUB_FLINK_VERSION, 'flink-commit': 'stub' });
    }
    const cancel = /^\/jobs\/([0-9a-f]+)$/.exec(url.pathname);
    if (request.method === 'PATCH' && cancel) {
      return cluster.cancelJob(cancel[1]!) ? json(response, 202, {}) : json(response, 404, { errors: [`Job ${cancel[1]} not found`] });
    }
    return json(response, 404, { errors: ['Not found.'] });
  };

  let server: Server | undefined;
  let port = options.port ?? 0;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(handle);
      next.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      next.once('error', reject);
      next.listen(port, host, () => {
        port = (next.address() as { port: number }).port;
        server = next;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (current === undefined) return resolve();
      for (const socket of sockets) socket.destroy(); // the process is gone: so are its connections
      current.close(() => resolve());
    });

  await open();
  let syncing: Promise<void> = Promise.resolve();
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    sync() {
      syncing = syncing.then(() => (cluster.isServing() ? (server ? undefined : open()) : shut()));
      return syncing;
    },
    async close() {
      await syncing.catch(() => {});
      await shut();
    },
  };
}
