// `statuschaos report` re-checks a stored run and re-renders its HTML report offline, and says
// where index.html is; warnings and a backend error show on both pages.
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { renderHtmlReport } from '../../src/report/html/render.ts';
import type { RunRecord } from '../../src/record/run-record.ts';
import { readRunRecord } from '../../src/record/store.ts';
import { root } from './fixtures.ts';

async function cli(argv: string[]) {
  let stdout = '';
  const code = await main(argv, { env: {}, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } });
  return { code, stdout };
}

test('report writes index.html and a page per scenario into --out, and prints the index path', async () => {
  const first = await mkdtemp(join(tmpdir(), 'statuschaos-report-'));
  expect((await cli(['run', '--out', first, '--variants', 'v2.1.3,proposed', join(root, 'scenarios', 'incident-3618.yaml')])).code).toBe(0);
  const again = await mkdtemp(join(tmpdir(), 'statuschaos-report-'));
  const { code, stdout } = await cli(['report', join(first, 'run.json'), '--out', again]);
  expect(code).toBe(0);
  expect(stdout).toContain(`report: ${relative(process.cwd(), join(again, 'index.html'))}\n`);
  expect((await readdir(again)).sort()).toEqual(['index.html', 'junit.xml', 'results.jsonl', 'run.json', 'runs', 'scenario-incident-3618-1.html']);
  const page = await readFile(join(again, 'scenario-incident-3618-1.html'), 'utf8');
  expect(page).toContain('data-variant="v2.1.3"');
  expect(page).not.toContain('data-variant="minimal-fix"');
});

test('warnings and a backend error appear, escaped, on the index and the scenario page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-report-'));
  expect((await cli(['run', '--out', dir, '--variants', 'v2.1.3', join(root, 'scenarios', 'incident-3618.yaml')])).code).toBe(0);
  const record: RunRecord = await readRunRecord(dir);
  record.scenarios[0]!.warnings = ['its expectations do not tell <b>buggy</b> from fixed'];
  record.scenarios[0]!.error = 'the API server went away & never came back';
  record.results[0]!.verdict = 'inconclusive';
  const [index, page] = [...renderHtmlReport(record)];
  for (const file of [index!, page!]) {
    expect(file.content).toContain('its expectations do not tell &lt;b&gt;buggy&lt;/b&gt; from fixed');
    expect(file.content).toContain('the API server went away &amp; never came back');
  }
  expect(index!.content).toContain('<h2 id="warnings">Warnings</h2>');
  expect(index!.content).toContain('? inconclusive');
  expect(page!.content).toContain('<div class="error-box"><strong>The backend failed during this run:</strong>');
});
