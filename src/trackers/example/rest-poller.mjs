#!/usr/bin/env node
// An example tracker process for docs/trackers.md: the smallest program that speaks the
// statuschaos tracker protocol (version 1, JSON lines on stdio). It polls Flink's REST API for
// each job's state and shows it, as a naive console would: a job Flink does not answer for
// keeps its last state, and a job Flink lists as FAILED shows FAILED. It uses nothing but Node.
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const now = () => Date.now();

send({ type: 'hello', protocol: 1, tracker: 'example-rest-poller', version: `example REST poller on Node ${process.version}` });

let setup;
let timer;
const shown = new Map();

/** One GET of /jobs/overview through the flink-rest proxy, within the REST timeouts of the setup. */
async function overview() {
  const started = now();
  const timeoutMs = Math.max(1, setup.timing.restResponseTimeoutMs * setup.timeScale);
  try {
    const response = await fetch(`${setup.endpoints.flinkRest}/jobs/overview`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = response.ok ? await response.json() : undefined;
    send({ type: 'poll', at: started, call: 'fetchJobsOverview', target: 'flink-rest', outcome: response.ok ? 'ok' : 'http', ms: now() - started });
    return body?.jobs;
  } catch (error) {
    const outcome = error?.name === 'TimeoutError' ? 'timeout' : error?.cause?.code === 'ECONNREFUSED' ? 'refused' : 'reset';
    send({ type: 'poll', at: started, call: 'fetchJobsOverview', target: 'flink-rest', outcome, ms: now() - started });
    return undefined;
  }
}

async function poll() {
  const jobs = await overview();
  if (jobs === undefined) return; // no answer: keep what is shown
  for (const app of setup.apps) {
    const state = jobs.find((job) => job.jid === app.jobId)?.state ?? 'LOST';
    if (shown.get(app.appId) === state) continue;
    shown.set(app.appId, state);
    const tracking = ['FAILED', 'CANCELED', 'FINISHED', 'LOST'].includes(state) ? 0 : 1;
    send({ type: 'write', at: now(), appId: app.appId, state, tracking, cause: `REST poll: Flink says ${state}` });
    if (state === 'FAILED' || state === 'LOST') send({ type: 'alert', at: now(), appId: app.appId, state });
  }
}

async function cancel(message) {
  const app = setup.apps.find((candidate) => candidate.appId === message.appId);
  try {
    const response = await fetch(`${setup.endpoints.flinkRest}/jobs/${app.jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(10_000) });
    send({ type: 'cancel.result', at: now(), id: message.id, outcome: response.ok ? 'ok' : 'failed', message: `HTTP ${response.status}` });
  } catch (error) {
    send({ type: 'cancel.result', at: now(), id: message.id, outcome: 'failed', message: String(error?.message ?? error) });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  switch (message.type) {
    case 'setup':
      if (message.endpoints === null) {
        send({ type: 'fatal', message: 'this tracker needs a live backend (the Flink REST endpoint)' });
        process.exit(1);
      }
      setup = message;
      for (const app of setup.apps) shown.set(app.appId, app.state);
      send({ type: 'ready', at: now() });
      break;
    case 'start':
      void poll();
      timer = setInterval(() => void poll(), setup.timing.pollIntervalMs * message.timeScale);
      break;
    case 'cancel':
      void cancel(message);
      break;
    case 'stop':
      clearInterval(timer);
      process.exit(0);
  }
});
// the harness went away: so do we
lines.on('close', () => process.exit(0));
