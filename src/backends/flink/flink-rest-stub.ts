/**
 * A Flink JobManager REST endpoint for live backends: a small HTTP server (127.0.0.1 unless told
 * otherwise: the kind backend's stub image listens on every address of its container) that
 * answers `/jobs/overview`, `/overview`, `/config`, `/jobs`, `/jobs/:jid` and the cancel call in Flink's JSON shape,
 * from a FlinkCluster, in the shape of Flink 1.18's answers recorded in test/fixtures/flink/ (held
 * to them by test/backends/flink/conformance.test.ts). While the JobManager is down the server
 * stops listening, so connections are refused (and the proxy in front closes its clients'
 * connections), as with a dead pod; while it waits for leadership, every path answers 503.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { cancelAnswer, type FlinkCluster } from './flink-cluster.ts';
import { CONFIG, clusterOverview, handlerError, jobDetails, jobEntry, jobIds, LEADER_ELECTION } from './flink-rest-answers.ts';

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

/** Serve `cluster`'s REST API on `host` (default 127.0.0.1) and `port` (default: one the OS picks), following its JobManager. */
export async function startFlinkRestStub(cluster: FlinkCluster, options: { port?: number; host?: string } = {}): Promise<FlinkRestStub> {
  const host = options.host ?? '127.0.0.1';
  const startTime = Date.now();
  const sockets = new Set<Socket>();
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    // every REST handler is leader-gated (LeaderRetrievalHandler, flink-runtime 1.18.1 lines 72–104), /config included
    if (cluster.awaitsLeadership()) return json(response, 503, LEADER_ELECTION);
    const jobs = cluster.overview().jobs;
    const get = request.method === 'GET';
    if (get && url.pathname === '/config') return json(response, 200, CONFIG);
    if (get && url.pathname === '/jobs/overview') return json(response, 200, { jobs: jobs.map((job) => jobEntry(job, startTime)) });
    if (get && url.pathname === '/overview') return json(response, 200, clusterOverview(jobs));
    if (get && url.pathname === '/jobs') return json(response, 200, jobIds(jobs));
    const jobPath = /^\/jobs\/([0-9a-f]+)$/.exec(url.pathname);
    if (get && jobPath) {
      // JobDetailsHandler, through AbstractExecutionGraphHandler: NotFoundException for a job this JobManager does not run
      const job = cluster.job(jobPath[1]!);
      return job === undefined ? json(response, 404, handlerError('org.apache.flink.runtime.rest.NotFoundException', `Job ${jobPath[1]} not found`)) : json(response, 200, jobDetails(job, startTime));
    }
    if (request.method === 'PATCH' && jobPath) {
      const answer = cancelAnswer(cluster.cancelJob(jobPath[1]!));
      return answer.status === 202 ? json(response, 202, {}) : json(response, answer.status, handlerError('org.apache.flink.runtime.rest.handler.RestHandlerException', answer.message));
    }
    return json(response, 404, { errors: ['Not found: ' + url.pathname] });
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
