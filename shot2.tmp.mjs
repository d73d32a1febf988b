import { chromium } from 'playwright-core';
const [page, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await p.goto(`file://${page}`);
const box = await p.locator('#incident-3618-explanation-2').boundingBox();
await p.screenshot({ path: out, fullPage: true, clip: { x: 0, y: box.y - 10, width: 1280, height: 690 } });
await browser.close();
