// The explorer finds, from --seed 1 and no hint, the classes of lie the issue names — #3618
// (v2.1.3 FAILED for good while the job runs), a console restart during a false FAILED losing the
// job in every StreamPark variant, a session-mode network blip leaving v2.1.3 LOST — shrunk, and
// deterministically for a seed. The tests assert the classes, not exact schedules.
import { describe, expect, test } from 'vitest';
import { explore, type ExploreResult, type Finding } from '../../src/explore/explore.ts';
import { healPhase } from '../../src/explore/schedule.ts';
import { modelNames, variantsWithRole } from '../../src/models/registry.ts';

const STREAMPARK = variantsWithRole('buggy', 'fixed');
const options = { seed: 1, variants: modelNames(), oracles: [{ name: 'truthful' as const }, { name: 'converges' as const }], heal: healPhase() };

/** Does the shrunk schedule's run end with the console showing `state` while the job runs, for `variant`? */
function endsLying(finding: Finding, variant: string, state: string): boolean {
  const lane = finding.run.lanes.variants[variant];
  return finding.run.apps.some((app) => lane?.writes.filter((write) => write.app === app).at(-1)?.state === state);
}

const breaks = (finding: Finding) => finding.certificate.filter((entry) => !entry.holds).map((entry) => entry.variant);

describe('exploring from --seed 1', () => {
  let result: ExploreResult;
  test('runs', { timeout: 240_000 }, async () => {
    result = await explore({ ...options, budget: { runs: 300 } });
    expect(result.schedules).toBe(300);
  });

  test('finds #3618: v2.1.3 shows FAILED for good while the job runs (application mode), shrunk to ≤ 3 events', () => {
    const finding = result.findings.find((candidate) => candidate.variant === 'v2.1.3' && candidate.oracle === 'truthful' && candidate.schedule.mode === 'application' && /^v2\.1\.3 · truthful · FAILED while RUNNING, to the end( · |$)/.test(candidate.signature));
    expect(finding, result.findings.map((candidate) => candidate.signature).join('\n')).toBeDefined();
    expect(finding!.schedule.events.length).toBeLessThanOrEqual(3);
    expect(endsLying(finding!, 'v2.1.3', 'FAILED')).toBe(true);
    expect(breaks(finding!)).not.toContain('proposed');
  });

  test('finds a console restart during a false FAILED that loses the job in every StreamPark variant', () => {
    const finding = result.findings.find((candidate) => candidate.schedule.events.some((event) => event.kind === 'action' && event.action === 'restart-tracker') && endsLying(candidate, candidate.variant, 'FAILED') && STREAMPARK.every((variant) => breaks(candidate).includes(variant)));
    expect(finding, result.findings.map((candidate) => `${candidate.signature}: ${breaks(candidate).join(',')}`).join('\n')).toBeDefined();
  });

  test('finds a session-mode network blip (faults only, a few seconds) that leaves v2.1.3 LOST', () => {
    const finding = result.findings.find((candidate) => candidate.variant === 'v2.1.3' && candidate.schedule.mode === 'session' && endsLying(candidate, 'v2.1.3', 'LOST') && candidate.schedule.events.every((event) => event.kind === 'fault' && event.forMs <= 10_000));
    expect(finding, result.findings.map((candidate) => candidate.signature).join('\n')).toBeDefined();
  });

  test('every finding reproduces its violation on its shrunk schedule, and no shrunk schedule has more events than the one it came from', () => {
    for (const finding of result.findings) {
      expect(finding.schedule.events.length).toBeLessThanOrEqual(finding.original.events.length);
      expect(finding.violation.variant).toBe(finding.variant);
    }
  });

  // determinism needs no more than a few variants: every variant only makes it slower
  const few = { ...options, variants: ['v2.1.3', 'v2.1.4', 'proposed'] };

  test('the same seed finds the same findings, shrunk the same way', { timeout: 120_000 }, async () => {
    const first = await explore({ ...few, budget: { runs: 40 } });
    const again = await explore({ ...few, budget: { runs: 40 } });
    const view = (outcome: ExploreResult) => outcome.findings.map((finding) => [finding.signature, JSON.stringify(finding.schedule), finding.shrinkSteps]);
    expect(view(again)).toEqual(view(first));
    expect(first.findings.length).toBeGreaterThan(0);
  });

  test('two and four worker threads find the same findings as one, shrunk the same way and counted the same', { timeout: 300_000 }, async () => {
    // 70 schedules: two whole batches and a part of a third, so the last batch's limit matters too
    const view = (outcome: ExploreResult) => ({ schedules: outcome.schedules, findings: outcome.findings.map((finding) => [finding.signature, JSON.stringify(finding.schedule), finding.shrinkSteps, finding.occurrences, finding.found.schedule]) });
    const one = await explore({ ...few, budget: { runs: 70 } });
    const two = await explore({ ...few, budget: { runs: 70 }, workers: 2 });
    expect(view(two)).toEqual(view(one));
    const four = await explore({ ...few, budget: { runs: 70 }, workers: 4 });
    expect(view(four)).toEqual(view(one));
    expect(one.schedules).toBe(70);
    expect(one.findings.length).toBeGreaterThan(1);
  });
});
