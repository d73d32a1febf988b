// Evidence import from kubectl JSON recorded on the local backend's real control plane during two
// JobManager restarts (test/fixtures/kubectl/, scripts/record-kubectl-fixtures.mjs): the restarts
// come out at the times the harness asked for them, with the reason kubectl keeps (the last
// container termination's); bad or foreign JSON is refused with what was expected.
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { UserErrors, formatUserError } from '../../src/errors/user-error.ts';
import { evidenceFrom } from '../../src/reproduce/evidence.ts';
import { restartEvidence, restartsAgainstAsked } from '../support/kubectl-evidence.ts';
import { addEvidence } from '../../src/reproduce/incident-evidence.ts';
import { parseIncident } from '../../src/reproduce/incident-load.ts';
import { parseKubectlJson, readKubectlFile } from '../../src/reproduce/kubectl-json.ts';

const fixture = (name: string) => new URL(`../fixtures/kubectl/${name}`, import.meta.url).pathname;
const recorded = JSON.parse(await readFile(fixture('recorded.json'), 'utf8')) as { clusterId: string; asked: { reason: string; at: string }[] };
const files = async () => [await readKubectlFile(fixture('restart-events.json')), await readKubectlFile(fixture('restart-pods.json'))];

function refusal(text: string): string {
  try {
    parseKubectlJson(text, 'x.json');
  } catch (error) {
    if (error instanceof UserErrors) return error.errors.map(formatUserError).join('\n');
    throw error;
  }
  return 'accepted';
}

describe('kubectl JSON recorded on the local control plane', () => {
  test('gives both restarts, each within 2 s of when the harness asked for it, and the last one\'s reason', async () => {
    const found = await restartEvidence(fixture(''));
    const restarts = restartsAgainstAsked(found);
    expect(restarts.count).toBe(recorded.asked.length);
    for (const apart of restarts.apartMs) expect(apart).toBeLessThanOrEqual(2_000);
    // kubectl keeps the reason of the last termination only (lastState): the first restart's OOMKilled is not in it
    expect(restarts.reasons).toEqual([undefined, recorded.asked.at(-1)!.reason]);
    expect(restarts.others).toEqual([]);
    expect(found.evidence.notes.join('\n')).toMatch(/restarted 2 times/);
  });

  test('added to an incident on its clock, they are its known restarts', async () => {
    const text = 'name: i\ntracker: v2.1.3\nstart: 2026-12-07T20:39:00Z\nobserved: { trace: RUNNING → FAILED }\ntruth: running\nend: 2026-12-07T20:43:00Z\n';
    const incident = parseIncident(addEvidence(text, 'i.yaml', await files()).text, 'i.yaml');
    const started = Date.parse('2026-12-07T20:39:00Z');
    expect(incident.known.map((fact) => [fact.fact, fact.sure, fact.window.fromMs + 10_000])).toEqual(recorded.asked.map((asked) => ['jobmanager-restart', true, Math.floor((Date.parse(asked.at) - started) / 1000) * 1000]));
  });

  test('an incident whose start is not a date-time, or comes after the evidence, is refused', async () => {
    const refuse = async (start: string) => {
      try {
        addEvidence(`name: i\nstart: ${start}\nobserved: { trace: RUNNING }\ntruth: running\n`, 'i.yaml', await files());
      } catch (error) {
        return error instanceof UserErrors ? error.errors.map(formatUserError).join('\n') : String(error);
      }
      return 'accepted';
    };
    expect(await refuse('"20:39"')).toMatch(/^i\.yaml: kubectl's times are date-times, and the incident's `start` is `20:39`/);
    expect(await refuse('2026-12-07T20:40:00Z')).toMatch(/before the incident's start/);
  });
});

test('events.k8s.io/v1 events (regarding, eventTime, note) and an evicted pod read as well', () => {
  const events = parseKubectlJson(JSON.stringify({ apiVersion: 'events.k8s.io/v1', kind: 'EventList', items: [{ kind: 'Event', reason: 'Evicted', note: 'The node was low on resource: memory.', regarding: { kind: 'Pod', name: 'flink-demo-6d4-abcde' }, eventTime: '2024-03-21T06:01:30.000000Z', metadata: { name: 'e1' } }] }), 'events.json');
  const pods = parseKubectlJson(JSON.stringify({ kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'flink-demo-6d4-abcde', labels: { app: 'flink-demo', component: 'jobmanager' } }, status: { phase: 'Failed', reason: 'Evicted', conditions: [{ type: 'Ready', lastTransitionTime: '2024-03-21T06:01:31Z' }] } }] }), 'pods.json');
  const evidence = evidenceFrom([events, pods], 'flink-demo');
  expect(evidence.facts).toEqual([expect.objectContaining({ fact: 'pod-eviction', atMs: Date.parse('2024-03-21T06:01:30Z'), seenAs: ['Evicted event', 'pod Failed, Evicted'] })]);
});

describe('bad or foreign JSON: exit 2, saying what was expected', () => {
  test.each([
    ['not JSON', 'apiVersion: v1\nkind: List\n', /^x\.json(:\d+)?: not JSON: .*\n  hint: give the JSON that `kubectl get events -o json`/],
    ['a table, not -o json', 'NAME   READY\nflink  1/1\n', /not JSON/],
    ['another kind of list', JSON.stringify({ kind: 'List', items: [{ kind: 'Deployment', metadata: { name: 'd' } }] }), /expected a List of Event or of Pod, got a list of Deployment/],
    ['a mapping without items', JSON.stringify({ kind: 'Deployment' }), /this is a Deployment/],
    ['an empty list', JSON.stringify({ kind: 'List', items: [] }), /the list is empty/],
    ['an event without a time', JSON.stringify({ kind: 'List', items: [{ kind: 'Event', reason: 'BackOff', involvedObject: { kind: 'Pod', name: 'p' }, metadata: { name: 'e' } }] }), /items\[0\] \(Event\): no time/],
    ['a pod without a name', JSON.stringify({ kind: 'PodList', items: [{ kind: 'Pod', metadata: {}, status: {} }] }), /items\[0\] \(Pod\): no metadata.name/],
  ])('%s', (_, text, message) => expect(refusal(text)).toMatch(message));

  test('pods without the JobManager: which labels were looked for, and the kubectl command', async () => {
    const pods = parseKubectlJson(JSON.stringify({ kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'tm', labels: { component: 'taskmanager' } }, status: {} }] }), 'pods.json');
    expect(() => evidenceFrom([pods], 'flink-demo')).toThrow(/no JobManager pod of flink-demo in the pods \(1 pod\(s\), none labelled component=jobmanager, app=flink-demo\)/);
  });
});
