// The whole report of a real simulation run: file names, self-containment, escaping of
// whatever a scenario is called, and writeReport putting index.html first among the pages.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderHtmlReport, type ReportFile } from '../../src/report/html/render.ts';
import { writeReport } from '../../src/report/write.ts';
import type { RunRecord } from '../../src/record/run-record.ts';
import { simRecord } from './fixtures.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';

let record: RunRecord;
let files: ReportFile[];
beforeAll(async () => {
  record = await simRecord(['incident-3618', 'session-rest-blip']);
  files = [...renderHtmlReport(record)];
});

describe('renderHtmlReport', () => {
  test('index.html first, then one page per scenario run', () => {
    expect(files.map((file) => file.name)).toEqual(['index.html', 'scenario-incident-3618-1.html', 'scenario-session-rest-blip-1.html']);
  });

  test('the index links every scenario page and shows each verdict and trace', () => {
    const index = files[0]!.content;
    expect(index).toContain('href="scenario-incident-3618-1.html"');
    expect(index).toContain('href="scenario-session-rest-blip-1.html"');
    expect(index.match(/<tr class="scenario-row"/g)).toHaveLength(2);
    expect(index).toContain('RUNNING → SILENT → RUNNING');
    expect(index).toContain('lied from 95 s');
  });

  test('a scenario page has the summary, a timeline with a console lane per variant, the comparison, diagrams and events', () => {
    const page = files[1]!.content;
    expect(page).toContain('<h2>Who lied</h2>');
    expect(page).toContain('3 of 6 variants lied');
    for (const variant of record.variants) expect(page).toContain(`<g class="lane lane-console" data-variant="${variant}" data-app="flink-demo">`);
    expect(page).toContain('<table class="comparison">');
    expect(page.match(/<figure class="diagram-figure">/g)).toHaveLength(6);
    expect(page).toContain('<table id="event-table" class="events">');
  });

  test('session mode: a console lane per variant and job', () => {
    const page = files[2]!.content;
    for (const variant of record.variants) for (const app of ['orders', 'payments']) expect(page).toContain(`data-variant="${variant}" data-app="${app}"`);
  });

  test('self-contained: no URL, no external resource of any kind', () => {
    for (const file of files) {
      expect(file.content).not.toMatch(/https?:|\/\/[a-z]/i);
      expect(file.content).not.toMatch(/<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\((?!#)/i);
      // the policy that makes the browser refuse any request the page might still make (quotes are entities in the attribute)
      expect(file.content).toContain('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;');
    }
  });
});

test('a hostile scenario name, description and fault name are text everywhere, including the JSON block', () => {
  const run = structuredClone(record.scenarios[0]!);
  const hostile: RunRecord = structuredClone(record);
  run.name = HOSTILE;
  run.description = '</script><script>alert(2)</script>';
  run.faults[0]!.name = `"><svg onload=alert(3)>`;
  hostile.scenarios = [run];
  hostile.results = record.results.filter((result) => result.scenario === 'incident-3618').map((result) => ({ ...result, scenario: HOSTILE }));
  const [index, page] = [...renderHtmlReport(hostile)];
  expect(page!.name).toMatch(/^scenario-img-src-x-onerror-alert-1-[0-9a-f]{8}-1\.html$/);
  for (const file of [index!, page!]) {
    expect(file.content).not.toContain('<img');
    expect(file.content).not.toContain('<svg onload');
    expect(file.content).not.toContain('<script>alert');
    expect(file.content).toContain('&lt;img src=x onerror=alert(1)&gt;');
  }
  const json = /<script type="application\/json" id="statuschaos-scenario">(.*?)<\/script>/s.exec(page!.content)![1]!;
  expect(JSON.parse(json).scenario).toBe(HOSTILE);
});

test('writeReport writes the pages and junit.xml, index.html first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'statuschaos-report-'));
  const written = await writeReport(record, dir);
  expect(written.map((path) => basename(path))).toEqual(['index.html', 'scenario-incident-3618-1.html', 'scenario-session-rest-blip-1.html', 'junit.xml']);
  expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe(files[0]!.content);
});
