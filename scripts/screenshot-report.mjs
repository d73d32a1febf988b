#!/usr/bin/env node
// Screenshot of a scenario report page, rendered by Debian's chromium through playwright-core:
// by default it runs scenarios/incident-3618.yaml on the simulation (seed 1, deterministic) into
// a temporary folder and writes the top of its page (summary and timeline), 1280 px wide, to
// docs/images/report-incident.png.
// Usage: npm run screenshot:report [-- --page FILE.html --out PNG --full --chromium PATH]
import './pinned-node.mjs'; // first: on Node < 22.18 the script runs again with the pinned Node 22
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { CHROMIUM_ARGS, CHROMIUM_INSTALL_HINT, chromiumPath } = await import('./browser/chromium.ts');

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    page: { type: 'string' },
    out: { type: 'string', default: join(root, 'docs', 'images', 'report-incident.png') },
    full: { type: 'boolean', default: false },
    chromium: { type: 'string', default: chromiumPath() },
  },
});

if (!existsSync(values.chromium)) {
  process.stderr.write(`no chromium at ${values.chromium}: ${CHROMIUM_INSTALL_HINT}, or pass --chromium PATH\n`);
  process.exit(2);
}

async function incidentPage() {
  const { main } = await import('../src/cli/main.ts');
  const out = await mkdtemp(join(tmpdir(), 'statuschaos-screenshot-'));
  const quiet = { write: () => true };
  // run from the project root with a relative path, so the page shows scenarios/incident-3618.yaml
  process.chdir(root);
  const code = await main(['run', '--out', out, '--seed', '1', join('scenarios', 'incident-3618.yaml')], { env: {}, stdout: quiet, stderr: process.stderr });
  if (code !== 0) throw new Error(`the incident run exited ${code}`);
  const page = (await readdir(out)).find((name) => name.startsWith('scenario-incident-3618-'));
  if (page === undefined) throw new Error(`no incident page in ${out}`);
  return join(out, page);
}

const file = values.page ? resolve(values.page) : await incidentPage();
const browser = await chromium.launch({
  executablePath: values.chromium,
  args: [...CHROMIUM_ARGS],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  // the report must not fetch anything; refuse whatever it tries
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(pathToFileURL(file).href);
  await mkdir(dirname(values.out), { recursive: true });
  if (values.full) {
    await page.screenshot({ path: values.out, fullPage: true });
  } else {
    const box = await page.locator('.timeline-figure').boundingBox();
    if (box === null) throw new Error(`${file} has no timeline`);
    await page.screenshot({ path: values.out, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(box.y + box.height + 16) }, fullPage: true });
  }
  process.stdout.write(`${values.out} ← ${file}\n`);
} finally {
  await browser.close();
}
