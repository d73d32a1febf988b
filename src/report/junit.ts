/**
 * JUnit XML for CI: one testcase per scenario × variant (× application in session mode); the
 * failure message is the point of divergence.
 */
import type { ExploreRecord } from '../record/explore-record.ts';
import type { RunRecord } from '../record/run-record.ts';

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function renderJUnit(record: RunRecord): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = record.results.filter((result) => result.verdict === 'fail' || result.verdict === 'inconclusive').length;
  const skipped = record.results.filter((result) => result.verdict === 'unchecked').length;
  lines.push(`<testsuites name="statuschaos" tests="${record.results.length}" failures="${failures}" skipped="${skipped}">`);
  for (const scenario of record.scenarios) {
    const results = record.results.filter((result) => result.scenario === scenario.name && result.seed === scenario.seed);
    const scenarioFailures = results.filter((result) => result.verdict === 'fail' || result.verdict === 'inconclusive').length;
    const time = (scenario.wallMs / 1000).toFixed(3);
    lines.push(`  <testsuite name="${escapeXml(`${scenario.name} (seed ${scenario.seed})`)}" file="${escapeXml(scenario.file)}" tests="${results.length}" failures="${scenarioFailures}" time="${time}">`);
    for (const result of results) {
      const name = scenario.apps.length > 1 ? `${result.variant} [${result.app}]` : result.variant;
      lines.push(`    <testcase classname="${escapeXml(scenario.name)}" name="${escapeXml(name)}">`);
      const trace = `observed: ${result.trace.join(' → ')}`;
      if (result.verdict === 'fail' || result.verdict === 'inconclusive') {
        const message = result.failures[0] ?? result.verdict;
        lines.push(`      <failure type="${result.verdict}" message="${escapeXml(message)}">${escapeXml([...result.failures, trace].join('\n'))}</failure>`);
      } else if (result.verdict === 'unchecked') {
        lines.push(`      <skipped message="no expectation for this variant"/>`);
      }
      lines.push(`      <system-out>${escapeXml(trace)}</system-out>`);
      lines.push('    </testcase>');
    }
    for (const warning of scenario.warnings) lines.push(`    <system-err>${escapeXml(`warning: ${warning}`)}</system-err>`);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** JUnit XML for an exploration: one testcase per variant × oracle, failing with its findings. */
export function renderExploreJUnit(record: ExploreRecord): string {
  const cases = record.variants.flatMap((variant) => record.oracles.map((oracle) => ({ variant, oracle: oracle.name, findings: record.findings.filter((finding) => finding.variant === variant && finding.oracle === oracle.name) })));
  const failures = cases.filter((item) => item.findings.length > 0).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="statuschaos explore" tests="${cases.length}" failures="${failures}">`];
  lines.push(`  <testsuite name="${escapeXml(`explore (seed ${record.seed})`)}" tests="${cases.length}" failures="${failures}" time="${(record.stats.elapsedMs / 1000).toFixed(3)}">`);
  for (const item of cases) {
    lines.push(`    <testcase classname="explore.${escapeXml(item.oracle)}" name="${escapeXml(item.variant)}">`);
    if (item.findings.length > 0) {
      const detail = item.findings.map((finding) => `${finding.signature}: ${finding.message} (${finding.file})`).join('\n');
      lines.push(`      <failure type="${escapeXml(item.oracle)}" message="${escapeXml(item.findings[0]!.message)}">${escapeXml(detail)}</failure>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
