// The proposed tracker as a machine, on scripted ports.
import { describe, expect, test } from 'vitest';
import { healthyWorld, runTracker } from '../../support/tracker-harness.ts';

const apiAndRestDown = (from: number, to: number) => {
  const down = (now: number) => now >= from && now < to;
  return healthyWorld({
    fetchJobsOverview: (now) => (down(now) ? { fail: 'timeout', latencyMs: 3_000 } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }),
    listFlinkDeployments: (now) => (down(now) ? { fail: 'refused' } : { ok: ['flink-demo'] }),
  });
};

describe('proposed tracker', () => {
  test('a short blip changes nothing; a longer one shows SILENT, then RUNNING within one interval of the heal', async () => {
    const short = await runTracker({ variant: 'proposed', script: apiAndRestDown(10_000, 18_000), untilMs: 60_000 });
    expect(short.trace()).toEqual(['RUNNING']);
    const long = await runTracker({ variant: 'proposed', script: apiAndRestDown(10_000, 60_000), untilMs: 120_000 });
    expect(long.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    const back = long.writes.at(-1)!.t;
    expect(back - 60_000).toBeLessThanOrEqual(5_000 + 100);
    expect(long.alerts).toEqual([]);
  });

  test('a hung call cannot delay convergence: every interval starts a fresh observation', async () => {
    const hung = healthyWorld({ fetchJobsOverview: (now) => (now >= 10_000 && now < 40_000 ? { fail: 'timeout', latencyMs: 120_000 } : { ok: { jobs: [{ jid: 'job-1', name: 'j', state: 'RUNNING' }] } }), listFlinkDeployments: (now) => (now >= 10_000 && now < 40_000 ? { fail: 'timeout', latencyMs: 120_000 } : { ok: ['flink-demo'] }) });
    const run = await runTracker({ variant: 'proposed', script: hung, untilMs: 90_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'RUNNING']);
    expect(run.writes.at(-1)!.t).toBeLessThanOrEqual(45_100);
  });

  test('LOST after the long grace, and RUNNING again when Flink answers (LOST is not an end state here)', async () => {
    const run = await runTracker({ variant: 'proposed', script: apiAndRestDown(10_000, 700_000), untilMs: 720_000 });
    expect(run.trace()).toEqual(['RUNNING', 'SILENT', 'LOST', 'RUNNING']);
    expect(run.alerts.map((alert) => alert.state)).toEqual(['LOST']);
  });

  test('Flink reporting FAILED is evidence: FAILED, alerted; tracking continues while the deployment exists', async () => {
    const run = await runTracker({ variant: 'proposed', script: healthyWorld({ fetchJobsOverview: (now) => ({ ok: { jobs: [{ jid: 'job-1', name: 'j', state: now >= 10_000 ? 'FAILED' : 'RUNNING' }] } }) }), untilMs: 30_000 });
    expect(run.trace()).toEqual(['RUNNING', 'FAILED']);
    expect(run.alerts.map((alert) => alert.state)).toEqual(['FAILED']);
    expect(run.events.some((event) => event.type === 'tracking.stopped')).toBe(false);
  });

  test('a console restart tracks every row that was not confirmed ended', async () => {
    const run = await runTracker({ variant: 'proposed', script: healthyWorld(), untilMs: 30_000, commands: [{ atMs: 7_000, command: { type: 'console.restart', downtimeMs: 5_000 } }] });
    expect(run.events.find((event) => event.type === 'tracker.restarted')).toMatchObject({ tracked: ['app-1'] });
    expect(run.calls.some((call) => call.call === 'fetchJobsOverview' && call.at >= 12_000)).toBe(true);
  });

  test('a failed cancel call does not claim the job failed', async () => {
    const run = await runTracker({ variant: 'proposed', script: healthyWorld({ cancelJob: () => ({ fail: 'refused' }) }), untilMs: 20_000, commands: [{ atMs: 6_000, command: { type: 'console.cancel', appId: 'app-1' } }] });
    expect(run.trace()).toEqual(['RUNNING', 'CANCELLING', 'RUNNING']);
  });
});
