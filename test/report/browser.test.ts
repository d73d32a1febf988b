// The HTML report in a real browser: a simulation run through the CLI (in-process) into a temp
// folder, then every page opened from file:// in Debian's chromium. The pages must render, make
// no request but their own file, raise no error, filter the event table, and show a hostile
// scenario name as text. Screenshots of each page are left in the temp folder.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { scenarioPageNames } from '../../src/report/html/format.ts';
import type { RunRecord } from '../../src/record/run-record.ts';
import { readRunRecord } from '../../src/record/store.ts';
import { onCI } from '../support/tools.ts';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL_HINT, chromiumPath } from '../../scripts/browser/chromium.ts';
import { root } from './fixtures.ts';

const CHROMIUM = chromiumPath();

const missing = !existsSync(CHROMIUM);
if (missing && !onCI) console.warn(`skipping the browser test of the HTML report: no chromium at ${CHROMIUM}; ${CHROMIUM_INSTALL_HINT}`);

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_SCENARIO = `# a scenario whose texts are markup, to prove the report shows them as text
name: '${HOSTILE}'
description: '</script><script>alert(2)</script> & "quoted"'
duration: 1m
timeline:
  - at: 20s
    name: '<svg onload=alert(3)>'
    fault: { target: apiserver, toxic: down }
    for: 10s
expect:
  v2.1.3: { trace: RUNNING }
`;

interface Visit {
  page: Page;
  requests: string[];
  problems: string[];
  dialogs: string[];
}

describe.skipIf(missing && !onCI)('the HTML report in chromium', () => {
  let browser: Browser;
  let out: string;
  let record: RunRecord;
  let pages: string[];

  beforeAll(async () => {
    if (missing) throw new Error(`no chromium at ${CHROMIUM}, and CI=true requires the browser test: ${CHROMIUM_INSTALL_HINT}`);
    out = await mkdtemp(join(tmpdir(), 'statuschaos-browser-'));
    await writeFile(join(out, 'hostile.yaml'), HOSTILE_SCENARIO);
    const scenarios = [join(root, 'scenarios', 'incident-3618.yaml'), join(root, 'scenarios', 'session-rest-blip.yaml'), join(root, 'test', 'fixtures', 'scenario', 'good', 'wrong-expectation.yaml'), join(out, 'hostile.yaml')];
    const quiet = { write: () => true };
    const code = await main(['run', '--out', join(out, 'report'), ...scenarios], { env: {}, stdout: quiet, stderr: quiet });
    expect(code).toBe(1); // wrong-expectation fails on purpose, so a failed verdict is rendered too
    record = await readRunRecord(join(out, 'report')); // run.json holds the header; the scenario runs are in runs/
    pages = (await readdir(join(out, 'report'))).filter((name) => name.startsWith('scenario-')).sort();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Open a report page from file://, recording every request, console error, page error and dialog. */
  async function visit(name: string): Promise<Visit> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const visit: Visit = { page: await context.newPage(), requests: [], problems: [], dialogs: [] };
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      visit.problems.push(`request to ${url}`);
      return route.abort();
    });
    visit.page.on('request', (request) => visit.requests.push(request.url()));
    visit.page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') visit.problems.push(`console ${message.type()}: ${message.text()}`);
    });
    visit.page.on('pageerror', (error) => visit.problems.push(`page error: ${error.message}`));
    visit.page.on('dialog', async (dialog) => {
      visit.dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const url = pathToFileURL(join(out, 'report', name)).href;
    await visit.page.goto(url);
    await visit.page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    expect(visit.requests).toEqual([url]);
    return visit;
  }

  test('index.html: the matrix has a row per scenario run and a column per variant, no error, no request', async () => {
    const { page, problems, dialogs } = await visit('index.html');
    expect(await page.title()).toMatch(/^statuschaos: \d+ passed, 1 failed · sim/);
    const rows = page.locator('tr.scenario-row');
    expect(await rows.count()).toBe(4);
    const names = await rows.locator('a.scenario-name').allTextContents();
    expect(names).toEqual(['incident-3618', 'session-rest-blip', 'wrong-expectation', HOSTILE]);
    expect(await page.locator('table.matrix thead th').allTextContents()).toEqual(['scenario', ...record.variants]);
    expect(await page.locator('table.matrix').textContent()).toContain('✗ fail');
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.context().close();
  });

  test('every scenario page renders a timeline with a console lane per variant (and job), and its table filters', async () => {
    const names = scenarioPageNames(record.scenarios);
    expect([...names].sort()).toEqual(pages);
    for (const [index, run] of record.scenarios.entries()) {
      const name = names[index]!;
      const { page, problems, dialogs } = await visit(name);
      expect(await page.title()).toBe(`${run.name} (seed ${run.seed}) · statuschaos`);
      expect(await page.locator('h1').textContent()).toBe(run.name);
      expect(await page.locator('svg.timeline').count()).toBe(1);
      for (const variant of record.variants) {
        expect(await page.locator(`svg.timeline g.lane-console[data-variant="${variant}"]`).count(), `${name}: lanes of ${variant}`).toBe(run.apps.length);
        expect(await page.locator(`svg.timeline g.lane-console[data-variant="${variant}"] rect`).count()).toBeGreaterThan(0);
      }
      expect(await page.locator('table.comparison tbody tr').count()).toBe(record.variants.length * run.apps.length);

      const rows = page.locator('#event-table tbody tr:not([hidden])');
      const all = await rows.count();
      expect(all).toBeGreaterThan(10);
      await page.fill('#event-filter', 'RUNNING');
      const filtered = await rows.count();
      expect(filtered).toBeGreaterThan(0);
      expect(filtered).toBeLessThan(all);
      expect(await page.locator('#event-count').textContent()).toBe(`${filtered} of ${all} events`);
      await page.locator('input[data-lane-toggle][value="write"]').uncheck();
      expect(await rows.count()).toBeLessThan(filtered);
      await page.fill('#event-filter', '');
      await page.locator('input[data-lane-toggle][value="write"]').check();
      expect(await rows.count()).toBe(all);

      expect(problems, name).toEqual([]);
      expect(dialogs, name).toEqual([]);
      await page.context().close();
    }
  });

  test('printing hides the filter controls and keeps the timeline and the table', async () => {
    const { page, problems } = await visit(scenarioPageNames(record.scenarios)[0]!);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.filters').isVisible()).toBe(false);
    expect(await page.locator('nav.crumbs').isVisible()).toBe(false);
    expect(await page.locator('svg.timeline').isVisible()).toBe(true);
    expect(await page.locator('#event-table').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test('a scenario named <img src=x onerror=alert(1)> shows its name as text and runs nothing', async () => {
    const name = pages.find((file) => file.startsWith('scenario-img-src-x-onerror-alert-1-'))!;
    expect(name).toBeDefined();
    const { page, problems, dialogs } = await visit(name);
    expect(await page.locator('h1').textContent()).toBe(HOSTILE);
    expect(await page.locator('main').textContent()).toContain('</script><script>alert(2)</script> & "quoted"');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('svg[onload], [onerror]').count()).toBe(0);
    expect(await page.locator('svg.timeline').textContent()).toContain('<svg onload=alert(3)>');
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
