// The limits (docs/limits.md): every library scenario and anything the explorer generates fits
// under them; one step beyond each is refused with exit 2 at the offending line, before anything
// runs.
import { describe, expect, test, vi } from 'vitest';
import { PROBLEMS_SHOWN, UserErrors, formatUserError } from '../../src/errors/user-error.ts';
import { SourceMap } from '../../src/scenario/source-map.ts';
import { LIMITS } from '../../src/scenario/limits.ts';
import { loadScenarios } from '../../src/scenario/files.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const root = new URL('../..', import.meta.url).pathname;

/** A valid scenario with `lines` appended to its top level (and `app`/`timeline` given). */
function scenario(parts: { app?: string; timeline?: string[]; extra?: string; duration?: string } = {}): string {
  return [
    'name: limits',
    `duration: ${parts.duration ?? '30m'}`,
    ...(parts.app ? [`app: ${parts.app}`] : []),
    ...(parts.timeline ? ['timeline:', ...parts.timeline] : []),
    ...(parts.extra ? [parts.extra] : []),
  ].join('\n');
}

const faults = (count: number) => Array.from({ length: count }, (_, index) => `  - { at: ${10 + index * 20}s, fault: { target: apiserver, toxic: down }, for: 10s }`);
const jobs = (count: number) => `{ clusterId: flink-session, mode: session, jobs: [${Array.from({ length: count }, (_, index) => `job-${index}`).join(', ')}] }`;

function problems(text: string): string {
  try {
    parseScenario(text, 'limits.yaml');
  } catch (error) {
    if (error instanceof UserErrors) return error.errors.map(formatUserError).join('\n');
    throw error;
  }
  return '';
}

describe('what the harness is for fits under the limits', () => {
  test('every scenario of the library', async () => {
    expect((await loadScenarios([`${root}scenarios`])).length).toBeGreaterThanOrEqual(13);
  });

  test('the largest schedule the explorer writes: 12 events, 30 minutes, session mode with 4 jobs', () => {
    const twelve = [...faults(6), ...Array.from({ length: 6 }, (_, index) => `  - { at: ${200 + index * 60}s, action: restart-jobmanager, downtime: 20s }`)];
    expect(problems(scenario({ duration: '30m', app: jobs(4), timeline: twelve }))).toBe('');
  });
});

describe('each limit: at it accepted, one beyond refused with a line', () => {
  test.for([
    ['scenario time', scenario({ duration: '60m' }), scenario({ duration: '60m1s' }), /limits\.yaml:2:11: `duration: 60m1s` is longer than the 1h a scenario may last/],
    ['a duration of a trillion seconds (the sim used to run for ever)', scenario({ duration: '1h' }), scenario({ duration: '1000000000000s' }), /is longer than the 1h/],
    ['timeline entries', scenario({ duration: '60m', timeline: faults(LIMITS.timelineEntries) }), scenario({ duration: '60m', timeline: faults(LIMITS.timelineEntries + 1) }), /limits\.yaml:4:3: timeline: a timeline has at most 50 entries/],
    ['session jobs (2000 overflowed the stack at 3.6 GB)', scenario({ app: jobs(LIMITS.jobs) }), scenario({ app: jobs(2000) }), /app\.jobs: a session cluster runs at most 8 jobs/],
    ['the shortest timing', scenario({ extra: 'timing: { pollInterval: 1s }' }), scenario({ extra: 'timing: { pollInterval: 999ms }' }), /`pollInterval: 999ms` is shorter than 1s/],
    ['recovery steps', scenario({ app: `{ recovery: [${Array(LIMITS.recoverySteps).fill('{ state: CREATED, for: 1s }').join(', ')}] }` }), scenario({ app: `{ recovery: [${Array(LIMITS.recoverySteps + 1).fill('{ state: CREATED, for: 1s }').join(', ')}] }` }), /at most 20 recovery steps/],
    ['the scenario name', `${scenario()}\n`.replace('name: limits', `name: ${'n'.repeat(LIMITS.nameChars)}`), scenario().replace('name: limits', `name: ${'n'.repeat(LIMITS.nameChars + 1)}`), /`name` is longer than 100 characters \(101\)/],
    ['a description (a 50 MB one ran for minutes)', scenario({ extra: `description: ${'d'.repeat(LIMITS.descriptionChars)}` }), scenario({ extra: `description: ${'d'.repeat(LIMITS.descriptionChars + 1)}` }), /`description` is longer than 4000 characters/],
    ['the seed', scenario({ extra: `seed: ${LIMITS.seedMax}` }), scenario({ extra: `seed: ${LIMITS.seedMax + 1}` }), /Expected `seed` to be a whole number from 0 to 4294967295 \(seeds are 32-bit\), got 4294967296/],
    ['a toxic attribute', scenario({ timeline: [`  - { at: 1s, fault: { target: apiserver, toxic: latency, latency: ${LIMITS.attributeMax} } }`] }), scenario({ timeline: [`  - { at: 1s, fault: { target: apiserver, toxic: latency, latency: ${LIMITS.attributeMax + 1} } }`] }), /Toxic attributes are at most 2147483647/],
  ] as const)('%s', ([, atLimit, beyond, message]) => {
    expect(problems(atLimit)).toBe('');
    expect(problems(beyond)).toMatch(message);
  });

  test('a seed that is not a safe integer is refused, not turned into seed 0', () => {
    expect(problems(scenario({ extra: 'seed: 99999999999999999999' }))).toMatch(/seeds are 32-bit/);
    expect(problems(scenario({ extra: 'seed: -1' }))).toMatch(/from 0 to 4294967295, got -1/);
  });
});

describe('validation is linear and its report bounded (issue 22, item 7)', () => {
  /** A file of the largest size allowed, as many top-level keys as fit: each one a problem (unknown field), or each the same key. */
  const manyKeys = (key: (index: number) => string) => {
    let text = 'name: keys\nduration: 1m\n';
    for (let index = 0; ; index++) {
      const line = `${key(index)}: 1\n`;
      if (text.length + line.length > LIMITS.scenarioFileBytes) return text;
      text += line;
    }
  };
  const cpuSeconds = (work: () => unknown) => {
    const before = process.cpuUsage();
    try {
      work();
    } catch {
      // the refusal is looked at separately
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1e6;
  };

  test(`27 000 unknown keys: the first ${PROBLEMS_SHOWN} located and shown, the rest counted; seconds of CPU, not the 22 s it took`, () => {
    const text = manyKeys((index) => `k${index}`);
    const locate = vi.spyOn(SourceMap.prototype, 'locate');
    let refusal: UserErrors | undefined;
    const seconds = cpuSeconds(() => {
      try {
        parseScenario(text, 'keys.yaml');
      } catch (error) {
        refusal = error as UserErrors;
        throw error;
      }
    });
    expect(refusal).toBeInstanceOf(UserErrors);
    expect(refusal!.errors).toHaveLength(PROBLEMS_SHOWN);
    expect(refusal!.total).toBeGreaterThan(27_000);
    expect(refusal!.errors[0]!.message).toBe('unknown field `k0` in the scenario');
    expect(locate.mock.calls.length).toBeLessThanOrEqual(PROBLEMS_SHOWN); // the others are never located
    locate.mockRestore();
    console.log(`27 000 unknown keys: ${seconds.toFixed(2)} s of CPU`);
    expect(seconds).toBeLessThan(5);
  });

  test('a key given 27 000 times: found in linear time (the yaml package compared every key with every other)', () => {
    const text = manyKeys(() => 'again');
    let message = '';
    const seconds = cpuSeconds(() => {
      try {
        parseScenario(text, 'keys.yaml');
      } catch (error) {
        message = (error as UserErrors).errors.map(formatUserError).join('\n');
        throw error;
      }
    });
    expect(message).toContain('keys.yaml:4:1: YAML: Map keys must be unique');
    console.log(`27 000 equal keys: ${seconds.toFixed(2)} s of CPU`);
    expect(seconds).toBeLessThan(5);
  });

  test('across files the shown problems are capped too, and the count says how many there were', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'statuschaos-problems-'));
    for (const index of [1, 2, 3]) await writeFile(join(dir, `s${index}.yaml`), manyKeys((key) => `k${key}`).slice(0, 4000));
    const refusal = await loadScenarios([dir]).then(() => undefined, (error: unknown) => error as UserErrors);
    expect(refusal!.errors).toHaveLength(PROBLEMS_SHOWN);
    expect(refusal!.total).toBeGreaterThan(3 * PROBLEMS_SHOWN);
  });
});
