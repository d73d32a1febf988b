/**
 * JUnit XML for CI: one testcase per scenario × variant (× application in session mode); the
 * failure message is the point of divergence. A stored run's junit.xml is streamed from its
 * results.jsonl, one scenario run at a time, so it covers every run of a long --repeat.
 */
import { join } from 'node:path';
import type { ExploreRecord } from '../record/explore-record.ts';
import type { Result, ResultsLine, RunRecord, RunSummary } from '../record/run-record.ts';
import { createFileAtomically } from '../record/safe-files.ts';
import { readResultsLines } from '../record/store.ts';

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const failed = (result: Result) => result.verdict === 'fail' || result.verdict === 'inconclusive';

function header(summary: RunSummary): string {
  const tests = summary.pass + summary.fail + summary.inconclusive + summary.unchecked;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="statuschaos" tests="${tests}" failures="${summary.fail + summary.inconclusive}" skipped="${summary.unchecked}">\n`;
}

/** One scenario run as a <testsuite>. */
function testsuite(run: { name: string; seed: number; file: string; wallMs: number; apps: number; warnings: readonly string[] }, results: readonly Result[]): string {
  const lines: string[] = [];
  lines.push(`  <testsuite name="${escapeXml(`${run.name} (seed ${run.seed})`)}" file="${escapeXml(run.file)}" tests="${results.length}" failures="${results.filter(failed).length}" time="${(run.wallMs / 1000).toFixed(3)}">`);
  for (const result of results) {
    const name = run.apps > 1 ? `${result.variant} [${result.app}]` : result.variant;
    lines.push(`    <testcase classname="${escapeXml(run.name)}" name="${escapeXml(name)}">`);
    const trace = `observed: ${result.trace.join(' → ')}`;
    if (failed(result)) {
      const message = result.failures[0] ?? result.verdict;
      lines.push(`      <failure type="${result.verdict}" message="${escapeXml(message)}">${escapeXml([...result.failures, trace].join('\n'))}</failure>`);
    } else if (result.verdict === 'unchecked') {
      lines.push(`      <skipped message="no expectation for this variant"/>`);
    }
    lines.push(`      <system-out>${escapeXml(trace)}</system-out>`);
    lines.push('    </testcase>');
  }
  for (const warning of run.warnings) lines.push(`    <system-err>${escapeXml(`warning: ${warning}`)}</system-err>`);
  lines.push('  </testsuite>');
  return `${lines.join('\n')}\n`;
}

/** JUnit XML of the scenario runs a record holds (a record built in memory, or a small run). */
export function renderJUnit(record: RunRecord): string {
  const suites = record.scenarios.map((scenario) => {
    const results = record.results.filter((result) => result.scenario === scenario.name && result.seed === scenario.seed);
    return testsuite({ ...scenario, apps: scenario.apps.length }, results);
  });
  return `${header({ ...record.summary, ...summaryOf(record.results) })}${suites.join('')}</testsuites>\n`;
}

function summaryOf(results: readonly Result[]): Pick<RunSummary, 'pass' | 'fail' | 'inconclusive' | 'unchecked'> {
  const counts = { pass: 0, fail: 0, inconclusive: 0, unchecked: 0 };
  for (const result of results) counts[result.verdict] += 1;
  return counts;
}

/** Write `<dir>/junit.xml` for every scenario run in `<dir>/results.jsonl`, streamed. */
export async function writeJUnitFromResults(dir: string, record: Pick<RunRecord, 'summary' | 'status' | 'scenarios'>, signal?: AbortSignal): Promise<string> {
  const warnings = new Map(record.scenarios.map((run) => [`${run.name}\u0000${run.seed}`, run.warnings]));
  const out = await createFileAtomically(dir, 'junit.xml');
  try {
    await out.write(header(record.summary));
    for await (const line of readResultsLines(join(dir, 'results.jsonl'), record.status)) {
      signal?.throwIfAborted(); // a run of a million lines: a stop is not held up until the end
      await out.write(testsuite(suiteOf(line, warnings.get(`${line.name}\u0000${line.seed}`)), line.results));
    }
    await out.write('</testsuites>\n');
    await out.commit();
  } catch (error) {
    await out.discard();
    throw error;
  }
  return join(dir, 'junit.xml');
}

function suiteOf(line: ResultsLine, kept: readonly string[] | undefined): Parameters<typeof testsuite>[0] {
  // a line counts its warnings; their text is kept with the lanes (runs/<id>.json) of the runs shown
  const warnings = kept ?? (line.warnings > 0 ? [`${line.warnings} warning(s) (not kept: the run was not among those shown)`] : []);
  return { name: line.name, seed: line.seed, file: line.file ?? '', wallMs: line.wallMs ?? 0, apps: new Set(line.results.map((result) => result.app)).size, warnings };
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
