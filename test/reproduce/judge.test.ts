// The judge: a run explains an incident when the truth is the engineer's, the tracker's trace up
// to the end of the observation matches the observed pattern, and each observed time falls on a
// shown state within its tolerance. The mechanism is why the tracker wrote each state, as the
// models say it on each console write: #3618's API error read as a deleted deployment is told
// apart from a restarted container read as an error.
import { describe, expect, test } from 'vitest';
import { simBackend } from '../../src/backends/sim/backend.ts';
import { parseIncident } from '../../src/reproduce/incident-load.ts';
import { compileIncident, judge } from '../../src/reproduce/judge.ts';
import { runScenario } from '../../src/runner/run-scenario.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

const library = (name: string) => new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname;
const runOf = async (name: string) => runScenario(await loadScenarioFile(library(name)), { backend: simBackend, variants: ['v2.1.3', 'v2.1.4', 'proposed'], seed: 1, runDir: '' });
const incident = (lines: string) => compileIncident(parseIncident(`name: i\nstart: "14:00"\n${lines}`, 'incident.yaml'));

describe('judging a run against an incident', () => {
  test('#3618 (API packet loss during a restart): v2.1.3 explains RUNNING → FAILED by the API error read as a deleted deployment', async () => {
    const run = await runOf('incident-3618');
    const verdict = judge(run, incident('observed: { trace: RUNNING → FAILED }\ntruth: running\nend: "14:05"\n'), 'v2.1.3');
    expect(verdict).toMatchObject({ explains: true, trace: ['RUNNING', 'FAILED'] });
    expect(verdict.explains && verdict.mechanism).toBe('v2.1.3 · FAILED ← a failed deployment list read as gone; no archive: FAILED');
  });

  test('a restart without a fault: the restarted container read as an error, another mechanism', async () => {
    const run = await runOf('restart-without-fault');
    const verdict = judge(run, incident('observed: { trace: RUNNING → FAILED }\ntruth: running\nend: "14:01:30"\n'), 'v2.1.3');
    expect(verdict.explains && verdict.mechanism).toBe('v2.1.3 · FAILED ← Flink did not answer; a restarted container (lastState.terminated) read as an error');
  });

  test('only the trace up to the end of the observation counts: v2.1.4 came back after it', async () => {
    const run = await runOf('incident-3618');
    const looked = (end: string) => judge(run, incident(`observed: { trace: RUNNING → FAILED }\ntruth: running\nend: "${end}"\n`), 'v2.1.4');
    expect(looked('14:02:05.003')).toMatchObject({ explains: true }); // FAILED at 125.002 s, RUNNING again at 125.004 s
    expect(looked('14:05')).toMatchObject({ explains: false, why: 'trace', trace: ['RUNNING', 'FAILED', 'RUNNING'] });
  });

  test('observed times: within the tolerance they explain it, outside they do not', async () => {
    const run = await runOf('incident-3618'); // v2.1.3 writes FAILED at 95 s
    const at = (time: string, tolerance: string) => judge(run, incident(`observed: { trace: RUNNING → FAILED, times: [{ state: FAILED, at: "${time}", tolerance: ${tolerance} }] }\ntruth: running\nend: "14:05"\n`), 'v2.1.3');
    expect(at('14:01:40', '10s')).toMatchObject({ explains: true });
    expect(at('14:02:30', '30s')).toMatchObject({ explains: false, why: 'times' });
  });

  test('the truth must be the engineer\'s: a job that really failed does not explain "the job kept running"', async () => {
    const run = await runOf('real-job-failure');
    expect(judge(run, incident('observed: { trace: RUNNING → FAILED }\ntruth: running\nend: "14:03"\n'), 'v2.1.3')).toMatchObject({ explains: false, why: 'truth' });
    expect(judge(run, incident('observed: { trace: RUNNING → FAILED }\ntruth: failed\nend: "14:03"\n'), 'v2.1.3')).toMatchObject({ explains: true });
    expect(judge(run, incident('observed: { trace: RUNNING → FAILED }\ntruth: unknown\nend: "14:03"\n'), 'v2.1.3')).toMatchObject({ explains: true });
  });
});
