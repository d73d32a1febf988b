/**
 * The trackers' plain HTTP client for Flink's REST API (StreamPark uses Apache HttpClient's
 * fluent Request): one connection per call, a connect timeout and a response timeout that is a
 * read timeout (httpclient5's responseTimeout is the socket timeout: the longest silence, not a
 * deadline for the whole answer), and every failure classified the way the ports report it.
 */
import { request as httpRequest } from 'node:http';
import { httpStatusOf, PortError, type PortErrorKind } from '../../models/ports.ts';

/** Classify a socket or fetch error (Node codes, undici codes, abort) as a PortError kind. */
export function classifyNetworkError(error: unknown): PortErrorKind {
  const seen = new Set<unknown>();
  for (let current: unknown = error; current && typeof current === 'object' && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    const { code, name } = current as { code?: string; name?: string };
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
    if (code === 'ECONNREFUSED') return 'refused';
    if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
    if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'closed';
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/socket hang up|other side closed|premature close/i.test(message)) return 'closed';
  return 'invalid';
}

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * One HTTP request on a new connection; rejects with a PortError on any network failure, a connect
 * timeout or a read timeout. `keepAlive` asks the server to keep the connection open after its
 * answer, as httpclient5 does (HTTP/1.1's default; the connection is closed here once the answer is
 * in): a server answering through a `timeout` toxic then holds the connection, and the call ends on
 * its read timeout. Without it the request says `Connection: close`, as Flink's RestClient does
 * (RestClient.java 1.14.4 lines 409 and 421), so the server closes after answering, and a `timeout`
 * toxic passes that close at once (docs/toxics.md): the call fails at once, closed.
 */
export function httpCall(call: string, method: string, url: string, timeouts: { connectTimeoutMs: number; responseTimeoutMs: number }, options: { keepAlive?: boolean } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (kind: PortErrorKind, message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      request.destroy();
      reject(new PortError(call, kind, message));
    };
    const request = httpRequest(url, { method, agent: false, headers: { accept: 'application/json', connection: options.keepAlive ? 'keep-alive' : 'close' } });
    const connectTimer = setTimeout(() => fail('timeout', `no connection within ${timeouts.connectTimeoutMs}ms`), timeouts.connectTimeoutMs);
    // the socket's idle timeout: restarts with every byte that arrives
    request.setTimeout(timeouts.responseTimeoutMs, () => fail('timeout', `no data for ${timeouts.responseTimeoutMs}ms`));
    request.on('socket', (socket) => socket.once('connect', () => clearTimeout(connectTimer)));
    request.on('error', (error) => {
      clearTimeout(connectTimer);
      fail(classifyNetworkError(error), error.message);
    });
    request.on('response', (response) => {
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => fail(classifyNetworkError(error), error.message));
      response.on('aborted', () => fail('closed', 'response aborted'));
      response.on('end', () => {
        if (settled) return;
        if (!response.complete) return fail('closed', 'connection closed before the response was complete');
        settled = true;
        request.destroy(); // one connection per call, kept alive or not
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end();
  });
}

/** What the caller's httpclient5 client waits before it sends a 503 or 429 again, and its response timeout. */
export interface Httpclient5RetryOptions {
  /** DefaultHttpRequestRetryStrategy's interval when no Retry-After came (1 s); undefined: the caller's client does not retry a status */
  statusRetryIntervalMs: number | undefined;
  responseTimeoutMs: number;
  /** waits on the backend's clock (virtual on the simulation, scaled wall time on live backends) */
  sleep: (ms: number) => Promise<void>;
}

/** The statuses DefaultHttpRequestRetryStrategy retries (5.1.4, lines 137–139). */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * StreamPark's GET /jobs/overview goes through httpclient5 5.1's fluent Executor, whose client
 * has the default DefaultHttpRequestRetryStrategy (one retry in all: `execCount <= maxRetries`,
 * counted across both kinds, HttpRequestRetryExec 5.1.4 lines 93–167):
 * - a connection closed or reset before the answer (NoHttpResponseException, SocketException)
 *   is sent again at once; a refusal (ConnectException) or a timeout (InterruptedIOException)
 *   is on its list of non-retriable exceptions, and is not;
 * - a 503 or 429 is sent again after the Retry-After it names or else 1 s (Flink sends none),
 *   unless that wait is longer than the response timeout (then the answer stands).
 */
export async function withHttpclient5Retries<T>(attempt: () => Promise<T>, options: Httpclient5RetryOptions): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof PortError && (error.kind === 'closed' || error.kind === 'reset')) return attempt();
    const status = httpStatusOf(error);
    const interval = options.statusRetryIntervalMs;
    if (status === undefined || !RETRIED_STATUSES.has(status) || interval === undefined || interval > options.responseTimeoutMs) throw error;
    await options.sleep(interval);
    return attempt();
  }
}
