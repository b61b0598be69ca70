// `npm run screenshot`: serves the built site (dist/, from `npm run build`), forgets two
// features and three labels, and saves docs/screenshot.png (1280 px wide, the whole page).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './browser.mjs';
import { log, ROOT } from './toolchain.mjs';

const OUT = join(ROOT, 'docs', 'screenshot.png');
const WIDTH = 1280;
const HEIGHT = 900;

const server = await startPreview();
const browser = await launchChromium();
try {
  const page = await browser.newPage({
    viewport: { width: WIDTH, height: HEIGHT },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.check('#feature-0');
  await page.check('#feature-1');
  await page.fill('#flip-k', '3');
  await page.fill('#seed', '7');
  await page.click('#flip-random');
  await page.click('#unlearn');
  await page.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  // Grow the viewport to the whole page so that sticky elements sit where they belong, let the
  // chart resize, then capture.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: WIDTH, height });
  await page.waitForTimeout(400);
  await page.evaluate(() => document.activeElement?.blur());
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: OUT, fullPage: true });
  log(`saved ${OUT}`);
} finally {
  await browser.close();
  await server.close();
}
