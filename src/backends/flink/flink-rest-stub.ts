/**
 * A Flink JobManager REST endpoint for live backends: a small HTTP server (127.0.0.1 unless told
 * otherwise: the kind backend's stub image listens on every address of its container) that
 * answers `/jobs/overview`, `/overview`, `/config` and the cancel call in Flink's JSON shape,
 * from a FlinkCluster. While the JobManager is down the server stops listening, so connections
 * are refused (and the proxy in front closes its clients' connections), as with a dead pod.
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

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Flink 1.15's /jobs/overview entry for one job (the fields StreamPark reads, and the rest for realism). */
function jobEntry(job: { jid: string; name: string; state: string }, startTime: number) {
  return {
    jid: job.jid,
    name: job.name,
    state: job.state,
    'start-time': startTime,
    'end-time': ['FAILED', 'FINISHED', 'CANCELED'].includes(job.state) ? Date.now() : -1,
    duration: Date.now() - startTime,
    'last-modification': Date.now(),
    tasks: { total: 2, created: 0, scheduled: 0, deploying: 0, running: job.state === 'RUNNING' ? 2 : 0, finished: 0, canceling: 0, canceled: 0, failed: 0, reconciling: 0, initializing: 0 },
  };
}

/** Serve `cluster`'s REST API on `host` (default 127.0.0.1) and `port` (default: one the OS picks), following its JobManager. */
export async function startFlinkRestStub(cluster: FlinkCluster, options: { port?: number; host?: string } = {}): Promise<FlinkRestStub> {
  const host = options.host ?? '127.0.0.1';
  const startTime = Date.now();
  const sockets = new Set<Socket>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    if (request.method === 'GET' && url.pathname === '/jobs/overview') return json(response, 200, { jobs: cluster.overview().jobs.map((job) => jobEntry(job, startTime)) });
    if (request.method === 'GET' && url.pathname === '/overview') return json(response, 200, { taskmanagers: 1, 'slots-total': 2, 'slots-available': 0, 'jobs-running': cluster.overview().jobs.filter((job) => job.state === 'RUNNING').length, 'flink-version': '1.15.3' });
    if (request.method === 'GET' && url.pathname === '/config') return json(response, 200, { 'refresh-interval': 3000, 'timezone-name': 'UTC', 'flink-version': '1.15.3', features: { 'web-submit': false } });
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
