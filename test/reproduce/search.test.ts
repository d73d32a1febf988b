// The incident search on the #3618 example, as its reporter described it: from seed 1 it finds
// the API-error explanation for v2.1.3 (the deployment taken for deleted after an API error),
// apart from the restarted-container one, each shrunk to at most three events, each inside what
// is known, with a certificate saying 2.1.4 and proposed would have shown the truth. An incident
// no variant can write finds nothing. Deterministic for a seed and a number of schedules (the
// 60-second figure is bench:reproduce's, never a test's).
import { describe, expect, test } from 'vitest';
import { describeSchedule, healPhase } from '../../src/explore/schedule.ts';
import { modelNames } from '../../src/models/registry.ts';
import { respectsKnown } from '../../src/reproduce/incident-arbitrary.ts';
import { loadIncidentFile } from '../../src/reproduce/incident-load.ts';
import { compileIncident, judge } from '../../src/reproduce/judge.ts';
import { searchIncident, type SearchResult } from '../../src/reproduce/search.ts';

const EXAMPLE = new URL('../../docs/examples/incident-3618.yaml', import.meta.url).pathname;
const IMPOSSIBLE = new URL('../fixtures/incidents/canceled-without-cancel.yaml', import.meta.url).pathname;
const API_ERROR = /a failed deployment list read as gone/;

describe('reproducing #3618 from seed 1', () => {
  let result: SearchResult;
  let incident: Awaited<ReturnType<typeof loadIncidentFile>>;
  test('searches', { timeout: 300_000 }, async () => {
    incident = await loadIncidentFile(EXAMPLE);
    result = await searchIncident({ incident, trackers: incident.trackers, certify: modelNames(), heal: healPhase(), seed: 1, budget: { runs: 64 }, workers: 1 });
    expect(result.schedules).toBe(64);
  });

  test('finds the API-error explanation, shrunk to at most three events; 2.1.4 and proposed would have shown the truth', () => {
    const apiError = result.explanations.find((explanation) => API_ERROR.test(explanation.mechanism));
    expect(apiError, result.explanations.map((explanation) => explanation.mechanism).join('\n')).toBeDefined();
    expect(apiError!.tracker).toBe('v2.1.3');
    expect(apiError!.schedule.events.length).toBeLessThanOrEqual(3);
    const truthful = apiError!.certificate.filter((entry) => entry.showsTruth).map((entry) => entry.variant);
    expect(truthful).toEqual(expect.arrayContaining(['v2.1.4', 'proposed']));
    expect(truthful).not.toContain('v2.1.3');
    // the API was faulted while the restarted JobManager could not answer
    expect(apiError!.schedule.events.some((event) => event.kind === 'fault' && ['apiserver', 'etcd'].includes(event.target))).toBe(true);
  });

  test('tells it apart from the restarted container read as an error (another mechanism, another explanation)', () => {
    expect(result.explanations.some((explanation) => /a restarted container \(lastState\.terminated\) read as an error/.test(explanation.mechanism))).toBe(true);
    expect(new Set(result.explanations.map((explanation) => explanation.mechanism)).size).toBe(result.explanations.length);
  });

  test('every explanation stays inside what is known, explains the incident on its shrunk schedule, and is supported', () => {
    const compiled = compileIncident(incident);
    for (const explanation of result.explanations) {
      expect(respectsKnown(incident, explanation.schedule.events), describeSchedule(explanation.schedule)).toBe(true);
      const again = judge(explanation.run, compiled, explanation.tracker);
      expect(again.explains && again.mechanism).toBe(explanation.mechanism);
      expect(explanation.support).toBeGreaterThanOrEqual(1);
      expect(explanation.schedule.events.length).toBeLessThanOrEqual(explanation.original.events.length);
    }
    expect(result.firstExplanationMs).toBeDefined();
  });
});

test('an incident no variant can write (RUNNING → CANCELED, nobody cancelled): no explanation, and what was tried instead', { timeout: 120_000 }, async () => {
  const incident = await loadIncidentFile(IMPOSSIBLE);
  expect(incident.trackers).toEqual(modelNames());
  const result = await searchIncident({ incident, trackers: incident.trackers, certify: modelNames(), heal: healPhase(), seed: 1, budget: { runs: 32 }, workers: 1 });
  expect(result.explanations).toEqual([]);
  expect(result.schedules).toBe(32);
  expect(result.misses.trace).toBe(32);
  for (const tracker of modelNames()) expect(result.traces[tracker]?.every((entry) => !entry.trace.includes('CANCELED'))).toBe(true);
});
