// Times as the report writes them, and page file names that are safe whatever a scenario is called.
import { describe, expect, test } from 'vitest';
import { exactSeconds, scenarioPageNames, seconds, span, wallTime } from '../../src/report/html/format.ts';
import { scenarioRunId } from '../../src/record/store.ts';

describe('times', () => {
  test.for([
    [95_002, '95 s'],
    [62_500, '62.5 s'],
    [0, '0 s'],
    [300_000, '300 s'],
  ] as const)('seconds(%d) = %s', ([ms, text]) => expect(seconds(ms)).toBe(text));

  test('exact seconds keep the millisecond, spans use a dash', () => {
    expect(exactSeconds(95_002)).toBe('95.002 s');
    expect(span(60_000, 180_000)).toBe('60–180 s');
  });

  test('wall time', () => {
    expect([wallTime(130), wallTime(41_500), wallTime(61_500), wallTime(754_000)]).toEqual(['130 ms', '41.5 s', '1 min 2 s', '12 min 34 s']);
  });
});

describe('scenarioPageNames', () => {
  test('one file per run, named by the run id, unique and plain', () => {
    const runs = [
      { name: 'incident-3618', seed: 1 },
      { name: 'incident-3618', seed: 2 },
      { name: 'Incident 3618', seed: 1 },
      { name: 'incident 3618!', seed: 1 },
      { name: '<img src=x onerror=alert(1)>', seed: 1 },
    ];
    const names = scenarioPageNames(runs);
    expect(names.slice(0, 2)).toEqual(['scenario-incident-3618-1.html', 'scenario-incident-3618-2.html']);
    expect(names).toEqual(runs.map((run) => `scenario-${scenarioRunId(run.name, run.seed)}.html`));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^scenario-[a-z0-9]+(-[a-z0-9]+)*\.html$/);
  });
});
