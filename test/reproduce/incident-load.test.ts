// Incident files: the #3618 example loads as the reporter described it; every problem is refused
// at its line with what to do (exit 2), as scenario files are.
import { describe, expect, test } from 'vitest';
import { UserErrors, formatUserError } from '../../src/errors/user-error.ts';
import { loadIncidentFile, parseIncident } from '../../src/reproduce/incident-load.ts';
import { clockFrom, clockTime, toScenarioMs } from '../../src/scenario/incident-clock.ts';

const EXAMPLE = new URL('../../docs/examples/incident-3618.yaml', import.meta.url).pathname;

/** Every problem of an incident text, as the CLI prints it. */
function problems(text: string): string[] {
  try {
    parseIncident(text, 'incident.yaml');
  } catch (error) {
    if (error instanceof UserErrors) return error.errors.map(formatUserError);
    throw error;
  }
  return [];
}

const base = 'name: i\nobserved: { trace: RUNNING → FAILED }\ntruth: running\n';

describe('the #3618 example', () => {
  test('loads: v2.1.3, RUNNING → FAILED while the job runs, a JobManager restart and API or etcd trouble around it', async () => {
    const incident = await loadIncidentFile(EXAMPLE);
    expect(incident).toMatchObject({ name: 'incident-3618', trackers: ['v2.1.3'], mode: 'application', truth: 'running', endMs: 600_000, observed: { trace: 'RUNNING → FAILED', ignore: ['INITIALIZING'], job: 'flink-demo', times: [] }, nothingElse: false });
    expect(incident.known).toEqual([
      expect.objectContaining({ fact: 'jobmanager-restart', sure: true, window: { fromMs: 30_000, toMs: 210_000 } }),
      expect.objectContaining({ fact: 'network', sure: true, targets: ['apiserver', 'etcd'], kind: 'any', window: { fromMs: 0, toMs: 300_000 } }),
    ]);
  });
});

test('every example in docs/examples loads', async () => {
  const { readdir } = await import('node:fs/promises');
  const folder = new URL('../../docs/examples/', import.meta.url).pathname;
  const files = (await readdir(folder)).filter((name) => name.endsWith('.yaml'));
  expect(files.length).toBeGreaterThanOrEqual(2);
  for (const name of files) await expect(loadIncidentFile(`${folder}${name}`)).resolves.toMatchObject({ name: expect.any(String) });
});

describe('the incident clock', () => {
  test('times of day count from `start`, past midnight into the next day; date-times from a date-time start; offsets always', () => {
    const day = clockFrom('23:58')!;
    expect(toScenarioMs(day, '00:01')).toEqual({ ms: 180_000 });
    expect(toScenarioMs(day, '2m')).toEqual({ ms: 120_000 });
    expect(clockTime(day, 180_000)).toBe('00:01:00');
    const dateTime = clockFrom('2024-03-21T13:55:00+08:00')!;
    expect(toScenarioMs(dateTime, '2024-03-21T06:01:30Z')).toEqual({ ms: 390_000 });
    expect(toScenarioMs(dateTime, '14:02')).toEqual({ ms: 420_000 });
    expect(toScenarioMs(dateTime, '2024-03-21T05:00:00Z')).toMatchObject({ problem: expect.stringContaining('before the incident') });
    expect(toScenarioMs(clockFrom(undefined)!, '14:02')).toMatchObject({ problem: expect.stringContaining('has no `start`') });
  });
});

describe('bad incident files: each problem at its line, with what to do', () => {
  test.each([
    ['an unknown fact', `${base}known:\n  - fact: reboot\n    at: 1m\n`, 'incident.yaml:5:', 'Expected `fact` to be one of jobmanager-restart'],
    ['an unknown field, with a suggestion', `${base}known:\n  - fact: jobmanager-restart\n    at: 1m\n    reasn: OOMKilled\n`, 'incident.yaml:7:5: unknown field `reasn`', 'did you mean `reason`'],
    ['a time of day without a start', `${base}known:\n  - fact: jobmanager-restart\n    at: "14:01"\n`, 'incident.yaml:6:9: `14:01` is a time of day, but the incident has no `start`', 'add `start:'],
    ['at and from together', `${base}known:\n  - fact: network\n    target: apiserver\n    at: 1m\n    from: 2m\n`, 'incident.yaml:5:5: a fact has either `at`', ''],
    ['a fact with no time', `${base}known:\n  - fact: console-restart\n`, 'incident.yaml:5:', 'when did it happen?'],
    ['to before from', `${base}known:\n  - fact: network\n    target: etcd\n    from: 3m\n    to: 2m\n`, 'incident.yaml:8:9: `to` (2m) is not after `from` (3m)', ''],
    ['a fact after the end', `${base}end: 5m\nknown:\n  - fact: pod-deletion\n    from: 6m\n    to: 7m\n`, 'incident.yaml:6:5: this happened after the end of the observation', ''],
    ['a broken trace pattern, at its column', 'name: i\nobserved: { trace: RUNNING → FIALED }\ntruth: running\n', 'incident.yaml:2:30: trace pattern: unknown state `FIALED`', 'did you mean `FAILED`'],
    ['a fact that `never` rules out', `${base}known:\n  - fact: console-restart\n    at: 1m\nnever: [restart-tracker]\n`, 'incident.yaml:5:5: this fact says `restart-tracker` happened, and `never` says it did not', ''],
    ['a truth `never` rules out', 'name: i\nobserved: { trace: RUNNING → CANCELED }\ntruth: canceled\nnever: [cancel-from-console]\n', 'incident.yaml:4:8: `truth: canceled` needs `cancel-from-console`', ''],
    ['an unknown truth', 'name: i\nobserved: { trace: RUNNING }\ntruth: fine\n', 'incident.yaml:3:8: Expected `truth` to be one of running', ''],
    ['an unquoted time YAML reads as a number', 'name: i\nobserved: { trace: RUNNING }\ntruth: running\nstart: 1355\n', 'incident.yaml:4:8: Expected `start` to be a time in quotes', ''],
    ['a session job that does not exist', 'name: i\napp: { mode: session, jobs: [a, b] }\nobserved: { trace: RUNNING, job: c }\ntruth: running\n', 'incident.yaml:3:', 'unknown job `c`'],
    ['an app the scenario rules refuse, at its line in the incident', 'name: i\napp: { mode: application, jobs: [a, b] }\nobserved: { trace: RUNNING }\ntruth: running\n', 'incident.yaml:2:', 'an application-mode cluster runs one job'],
    ['not a mapping', '- a\n- b\n', 'incident.yaml:1: an incident file must be a YAML mapping', ''],
  ])('%s', (_, text, where, what) => {
    const found = problems(text);
    expect(found.length, found.join('\n')).toBeGreaterThan(0);
    expect(found.some((line) => line.startsWith(where) && line.includes(what)), found.join('\n')).toBe(true);
  });

  test('every problem of a file at once', () => {
    expect(problems('name: i\nobserved: { trace: RUNNING }\ntruth: fine\nknown:\n  - fact: reboot\n').length).toBe(2);
    expect(problems(`${base}end: 5m\nknown:\n  - fact: network\n    target: apiserver\n    from: 3m\n    to: 2m\n  - fact: console-restart\n    at: 6m\n    within: 10s\n`).length).toBe(2);
  });
});
