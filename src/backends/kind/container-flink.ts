/**
 * The Flink side of a kind scenario: the JobManager runs in its container (the REST stub image,
 * or a real Flink), goes down when the container is killed and comes back by itself. The harness
 * only watches it, polling from the host, never through a proxy: the stub's control endpoint
 * (job states, archive, shutdown), or a real Flink's /jobs/overview.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FlinkJobState } from '../../states.ts';
import { BackendError } from '../backend.ts';
import { archiveReadable } from '../flink/flink-cluster.ts';
import type { FlinkSide, FlinkSideContext } from '../shared/flink-side.ts';
import { STATE_PATH, jobActionPath, type StubState } from './stub/protocol.ts';

const POLL_MS = 100;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);
const REQUEST_TIMEOUT_MS = 1_000;
const WARM_UP_REQUESTS = 5;
/** How often a fail/finish is sent before it counts as failed. */
const ACTION_ATTEMPTS = 5;
/** How long ready() waits for every job to run (a real Flink takes tens of seconds to start). */
const READY_TIMEOUT_MS = 180_000;

export interface ContainerFlinkOptions {
  /** `host:port` of the REST NodePort on this machine (the flink-rest proxy's upstream) */
  restAddress: string;
  /** `host:port` of the stub's control NodePort; undefined for a real Flink image */
  controlAddress: string | undefined;
  /** a real Flink image's fail-job/finish-job: a trigger file its job reads (undefined: it cannot be told) */
  trigger?: (verb: 'fail' | 'finish') => Promise<void>;
}

/** What one poll saw; undefined when the JobManager did not answer. */
type Observation = Omit<StubState, 'uptimeMs'> | undefined;

/**
 * One request on a connection of its own (no keep-alive pool). This machine's network has now and
 * then answered a forwarded loopback connection itself, with a 403 ("resolve_deny") instead of the
 * NodePort's pod; a pooled connection that met it would answer every later poll and retry the same
 * (the observer then never saw the cluster shut down, and an action failed five times over).
 */
function requestOnce(method: 'GET' | 'POST', url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const call = request(url, { method, agent: false, headers: { connection: 'close' }, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ status: 0, body: error.message }));
    });
    call.on('error', (error) => resolve({ status: 0, body: error.message }));
    call.end();
  });
}

async function getJson(url: string): Promise<unknown> {
  const answer = await requestOnce('GET', url, REQUEST_TIMEOUT_MS);
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return JSON.parse(answer.body) as unknown;
}

/** One look at the stub's control endpoint. */
async function observeStub(controlAddress: string): Promise<Observation> {
  try {
    const state = (await getJson(`http://${controlAddress}${STATE_PATH}`)) as StubState;
    return { serving: state.serving, jobs: state.jobs, archive: state.archive, shutdown: state.shutdown };
  } catch {
    return undefined;
  }
}

/** One look at a real Flink's /jobs/overview (jobs by id or by name, named after the scenario's jobs). */
async function observeFlink(restAddress: string, jobNames: Map<string, string>): Promise<Observation> {
  try {
    const overview = (await getJson(`http://${restAddress}/jobs/overview`)) as { jobs?: { jid: string; name?: string; state: string }[] };
    const names = new Set(jobNames.values());
    const jobs = Object.fromEntries([...names].map((name) => [name, 'not listed']));
    // by id when the id is fixed; by name when a restarted JobManager submitted the job under a new one
    for (const job of overview.jobs ?? []) {
      const name = jobNames.get(job.jid) ?? (job.name !== undefined && names.has(job.name) ? job.name : undefined);
      if (name !== undefined) jobs[name] = job.state;
    }
    return { serving: true, jobs, archive: {}, shutdown: false };
  } catch {
    return undefined;
  }
}

/**
 * A few GETs of /jobs/overview at the REST NodePort before the trackers start: the first answers
 * of a fresh JobManager (its handlers compiled on first use, the forwarding path's first
 * connections) are slow, and a Flink a console watches has answered many requests before.
 */
async function warmUp(restAddress: string): Promise<void> {
  for (let i = 0; i < WARM_UP_REQUESTS; i++) await fetch(`http://${restAddress}/jobs/overview`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then((response) => response.arrayBuffer(), () => undefined);
}

/** Watch the JobManager in its container; polls until close(). */
export async function containerFlink(context: FlinkSideContext, options: ContainerFlinkOptions): Promise<FlinkSide> {
  const jobNames = new Map(context.app.jobs.map((job) => [job.jobId, job.name]));
  const observe = () => (options.controlAddress === undefined ? observeFlink(options.restAddress, jobNames) : observeStub(options.controlAddress));
  let serving = false;
  let jobs: Record<string, string> = Object.fromEntries(context.app.jobs.map((job) => [job.name, 'not listed']));
  const archive = new Map<string, FlinkJobState>(); // kept after the pod is gone, like Flink's archive directory
  let shutdownSeen = false;
  let ended = false;
  let closed = false;

  const apply = (seen: Observation) => {
    const before = JSON.stringify({ serving, jobs });
    serving = seen?.serving ?? false;
    if (seen !== undefined) jobs = seen.jobs; // while it is down, the last states stand
    for (const [jid, state] of Object.entries(seen?.archive ?? {})) archive.set(jid, state as FlinkJobState);
    if (JSON.stringify({ serving, jobs }) !== before) context.onChange();
    // a real Flink in application mode: its job ended, then its REST endpoint went away: it shut the cluster down
    const realShutdown = options.controlAddress === undefined && seen === undefined && ended;
    if (seen !== undefined) ended = Object.values(seen.jobs).length > 0 && Object.values(seen.jobs).every((state) => TERMINAL.has(state));
    if ((seen?.shutdown || realShutdown) && !shutdownSeen) {
      shutdownSeen = true;
      context.onShutdown();
    }
  };
  const loop = (async () => {
    while (!closed) {
      apply(await observe());
      await sleep(POLL_MS);
    }
  })();

  const act = async (name: string, verb: 'fail' | 'finish') => {
    if (options.controlAddress === undefined && options.trigger !== undefined) return options.trigger(verb);
    if (options.controlAddress === undefined) throw new BackendError(`${verb}-job needs the REST stub image: a real Flink image (--flink-image) cannot be told to ${verb} its job`);
    // an answer that is not the stub's own (requestOnce: this machine's network) never reached it: try again
    let failure = '';
    for (let attempt = 1; attempt <= ACTION_ATTEMPTS; attempt++) {
      const answer = await requestOnce('POST', `http://${options.controlAddress}${jobActionPath(name, verb)}`, 5_000);
      if (answer.status === 200) return apply(JSON.parse(answer.body) as StubState);
      if (answer.status === 404 && answer.body.startsWith('{')) throw new BackendError(`${verb}-job ${name}: the REST stub answered 404: ${answer.body}`);
      failure = `${answer.status === 0 ? 'no answer' : `answered ${answer.status}`}: ${answer.body.slice(0, 200)}`;
      await sleep(100 * attempt);
    }
    throw new BackendError(`${verb}-job ${name}: the REST stub's control endpoint ${options.controlAddress} ${failure} (${ACTION_ATTEMPTS} attempts)`);
  };

  return {
    upstream: options.restAddress,
    async ready(signal) {
      const deadline = performance.now() + READY_TIMEOUT_MS;
      for (;;) {
        signal?.throwIfAborted();
        const seen = await observe();
        apply(seen);
        if (seen?.serving && Object.values(seen.jobs).every((state) => state === 'RUNNING')) return warmUp(options.restAddress);
        if (performance.now() > deadline) {
          const where = options.controlAddress ?? options.restAddress;
          throw new BackendError(`the JobManager's jobs did not reach RUNNING within ${READY_TIMEOUT_MS / 1000} s (last seen at ${where}: ${seen === undefined ? 'no answer' : JSON.stringify(seen.jobs)})`, {
            hint: 'check the pod with `kubectl --kubeconfig <run folder>/kind/kubeconfig get pods -A` and its logs',
          });
        }
        await sleep(POLL_MS);
      }
    },
    isServing: () => serving,
    jobStates: () => jobs,
    archivedState: (jobId, dir) => (archiveReadable(context.app.archive, dir) ? archive.get(jobId) : undefined),
    jobManagerStopped: () => {}, // the container really stops, and the kubelet starts it again
    failJob: (name) => act(name, 'fail'),
    finishJob: (name) => act(name, 'finish'),
    async close() {
      closed = true;
      await loop;
    },
  };
}
