/**
 * The stub image's control endpoint: what the harness reads instead of an in-process FlinkCluster
 * (job states, archive, serving, shutdown) and the fail/finish actions. It listens on its own port
 * for the whole life of the process, so it answers while the REST port is closed.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { FlinkCluster } from '../../flink/flink-cluster.ts';
import { STATE_PATH, type StubState } from './protocol.ts';

export interface ControlServer {
  port: number;
  close(): Promise<void>;
}

function reply(response: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  response.end(text);
}

/** Serve the control endpoint for `flink` on `host:port`; `shutdown()` says whether application mode has shut the cluster down. */
export async function startControlServer(flink: FlinkCluster, options: { host: string; port: number; jobIds: Record<string, string>; shutdown: () => boolean }): Promise<ControlServer> {
  const startedAt = performance.now();
  const state = (): StubState => ({
    serving: flink.isServing(),
    jobs: flink.jobStates(),
    archive: flink.archivedJobs(),
    shutdown: options.shutdown(),
    uptimeMs: Math.round(performance.now() - startedAt),
  });
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://stub').pathname;
    if (request.method === 'GET' && path === STATE_PATH) return reply(response, 200, state());
    const action = /^\/statuschaos\/jobs\/([^/]+)\/(fail|finish)$/.exec(path);
    if (request.method === 'POST' && action) {
      const name = decodeURIComponent(action[1]!);
      if (options.jobIds[name] === undefined) return reply(response, 404, { error: `no job named ${name}; jobs: ${Object.keys(options.jobIds).join(', ')}` });
      if (action[2] === 'fail') flink.failJob(name);
      else flink.finishJob(name);
      return reply(response, 200, state());
    }
    return reply(response, 404, { error: `unknown control request ${request.method} ${path}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
