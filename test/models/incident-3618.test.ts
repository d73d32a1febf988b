// Per variant: the incident of apache/streampark#3618 (API errors + REST failures after a
// container restart, then recovery), and its neighbours: a restart with no network fault, a
// recreated pod, a real deployment deletion, a console restart while FAILED shows. Scripted
// ports: the world is written out below, call by call.
import { describe, expect, test } from 'vitest';
import { normalizeTrace } from '../../src/scenario/trace-pattern.ts';
import { appRow, healthyWorld, RESTARTED_POD, runTracker } from '../support/tracker-harness.ts';
import type { Script } from '../support/scripted-ports.ts';

const s = 1_000;
interface World {
  apiDown?: [number, number];
  /** JobManager container restart: REST refused for `downtime`, then INITIALIZING 3 s, CREATED 2 s */
  restartAt?: number;
  podDeletedAt?: number;
  deploymentDeletedAt?: number;
  downtime?: number;
}

function world({ apiDown, restartAt, podDeletedAt, deploymentDeletedAt, downtime = 30 * s }: World): Script {
  const disruptedAt = restartAt ?? podDeletedAt;
  const jobState = (now: number) => {
    if (disruptedAt === undefined || now < disruptedAt) return 'RUNNING';
    const back = disruptedAt + downtime;
    return now < back ? undefined : now < back + 3 * s ? 'INITIALIZING' : now < back + 5 * s ? 'CREATED' : 'RUNNING';
  };
  const gone = (now: number) => deploymentDeletedAt !== undefined && now >= deploymentDeletedAt;
  const api = (now: number) => apiDown !== undefined && now >= apiDown[0] && now < apiDown[1];
  return healthyWorld({
    fetchJobsOverview: (now) => {
      const state = jobState(now);
      return state === undefined || gone(now) ? { fail: 'closed' } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state }] } };
    },
    lookupRestService: (now) => (api(now) ? { fail: 'refused' } : { ok: gone(now) ? undefined : 'http://flink-demo-rest:8081' }),
    lookupIngress: (now) => (api(now) ? { fail: 'refused' } : { ok: undefined }),
    listFlinkDeployments: (now) => (api(now) ? { fail: 'refused' } : { ok: gone(now) ? [] : ['flink-demo'] }),
    getDeploymentPods: (now) => {
      if (api(now)) return { fail: 'refused' };
      if (gone(now)) return { ok: [] };
      if (restartAt !== undefined && now >= restartAt) return { ok: RESTARTED_POD };
      if (podDeletedAt !== undefined && now >= podDeletedAt) return { ok: [{ name: 'jm-2', phase: now < podDeletedAt + downtime ? 'Pending' : 'Running', containers: [{ name: 'c', restartCount: 0, ready: now >= podDeletedAt + downtime }] }] };
      return { ok: [{ name: 'jm-1', phase: 'Running', containers: [{ name: 'c', restartCount: 0, ready: true }] }] };
    },
  });
}

const transient = ['INITIALIZING', 'CREATED'];
const traceOf = (run: Awaited<ReturnType<typeof runTracker>>, ignore: string[] = transient) => normalizeTrace(run.trace(), ignore);

describe('incident #3618: API refused for 2 min while the JobManager container restarts', () => {
  const incident = world({ apiDown: [60 * s, 180 * s], restartAt: 70 * s });
  test.for([
    ['v2.1.3', ['RUNNING', 'FAILED']],
    ['fix-retriever-only', ['RUNNING', 'FAILED']],
    ['fix-listener-only', ['RUNNING', 'FAILED']],
    ['minimal-fix', ['RUNNING', 'FAILED', 'RUNNING']],
    ['v2.1.4', ['RUNNING', 'FAILED', 'RUNNING']],
    ['proposed', ['RUNNING', 'SILENT', 'RUNNING']],
  ] as const)('%s writes %j', async ([variant, expected]) => {
    const run = await runTracker({ variant, script: incident, untilMs: 300 * s });
    expect(traceOf(run)).toEqual(expected);
  });

  test('v2.1.3 stops polling the job at once (end state, existence check failed)', async () => {
    const run = await runTracker({ variant: 'v2.1.3', script: incident, untilMs: 300 * s });
    expect(run.calls.filter((call) => call.call === 'fetchJobsOverview' && call.at > 100 * s)).toEqual([]);
  });

  test('fix-listener-only is FAILED and untracked: the job runs again but nobody looks', async () => {
    const run = await runTracker({ variant: 'fix-listener-only', script: incident, untilMs: 300 * s });
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(true);
    expect(run.calls.filter((call) => call.call === 'fetchJobsOverview' && call.at > 100 * s)).toEqual([]);
  });

  test('the proposed tracker sends no alert', async () => {
    const run = await runTracker({ variant: 'proposed', script: incident, untilMs: 300 * s });
    expect(run.alerts).toEqual([]);
  });
});

describe('a container restart with no network fault', () => {
  const restart = world({ restartAt: 60 * s });
  test.for([
    ['v2.1.3', ['RUNNING', 'FAILED']],
    ['fix-retriever-only', ['RUNNING', 'FAILED']],
    ['fix-listener-only', ['RUNNING', 'FAILED', 'RUNNING']],
    ['minimal-fix', ['RUNNING', 'FAILED', 'RUNNING']],
    ['v2.1.4', ['RUNNING', 'FAILED', 'RUNNING']],
    ['proposed', ['RUNNING', 'SILENT', 'RUNNING']],
  ] as const)('%s writes %j (lastState.terminated makes any failed poll a deployment error)', async ([variant, expected]) => {
    const run = await runTracker({ variant, script: restart, untilMs: 180 * s });
    expect(traceOf(run)).toEqual(expected);
  });
});

describe('a recreated pod: INITIALIZING, never FAILED', () => {
  test.for(['v2.1.3', 'fix-retriever-only', 'fix-listener-only', 'minimal-fix', 'v2.1.4'])('%s', async (variant) => {
    const run = await runTracker({ variant, script: world({ podDeletedAt: 60 * s }), untilMs: 180 * s });
    expect(traceOf(run, ['CREATED'])).toEqual(['RUNNING', 'INITIALIZING', 'RUNNING']);
  });
  test('proposed', async () => {
    const run = await runTracker({ variant: 'proposed', script: world({ podDeletedAt: 60 * s }), untilMs: 180 * s });
    expect(run.trace()).not.toContain('FAILED');
    expect(run.trace().at(-1)).toBe('RUNNING');
  });
});

describe('a real deployment deletion: an end state and untracked, for every variant', () => {
  // StreamPark: no archive → FAILED; proposed: nobody said how the job ended → LOST (docs/proposed-tracker.md rule 3)
  test.for([
    ['v2.1.3', 'FAILED'], ['fix-retriever-only', 'FAILED'], ['fix-listener-only', 'FAILED'], ['minimal-fix', 'FAILED'], ['v2.1.4', 'FAILED'], ['proposed', 'LOST'],
  ] as const)('%s: %s', async ([variant, end]) => {
    const run = await runTracker({ variant, script: world({ deploymentDeletedAt: 60 * s }), untilMs: 120 * s });
    expect(normalizeTrace(run.trace(), ['SILENT'])).toEqual(['RUNNING', end]);
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(true);
  });
});

describe('a console restart while the false FAILED shows (tracking flag)', () => {
  const incident = world({ apiDown: [60 * s, 180 * s], restartAt: 70 * s });
  const restart = [{ atMs: 85 * s, command: { type: 'console.restart' as const, downtimeMs: 30 * s } }];
  test.for(['v2.1.3', 'minimal-fix', 'v2.1.4'])('%s: FAILED (tracking = 0) is not tracked again and stays', async (variant) => {
    const run = await runTracker({ variant, script: incident, untilMs: 300 * s, commands: restart });
    expect(traceOf(run)).toEqual(['RUNNING', 'FAILED']);
  });
  test('proposed: never wrote FAILED, tracks the job again, shows RUNNING', async () => {
    const run = await runTracker({ variant: 'proposed', script: incident, untilMs: 300 * s, commands: restart, rows: [appRow()] });
    expect(traceOf(run, [...transient, 'SILENT'])).toEqual(['RUNNING']);
  });
});
