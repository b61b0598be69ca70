// `npm run screenshot`: serves the built site (dist/, from `npm run build`) and saves
//   docs/screenshot.png            — two features and three labels forgotten (1280 px, whole page)
//   docs/screenshot-certified.png  — the certified-unlearning panel after three requests
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './browser.mjs';
import { log, ROOT } from './toolchain.mjs';

const OUT = join(ROOT, 'docs', 'screenshot.png');
const OUT_CERTIFIED = join(ROOT, 'docs', 'screenshot-certified.png');
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
  const settled = () => page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.check('#feature-0');
  await page.check('#feature-1');
  await page.fill('#flip-k', '3');
  await page.fill('#seed', '7');
  await page.click('#flip-random');
  await page.click('#unlearn');
  await page.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
  await settled();
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  await capture(page, () => page.screenshot({ path: OUT, fullPage: true }));
  log(`saved ${OUT}`);

  // The certified panel: a seeded model, then three requests from the same controls — three
  // labels flipped and three rows deleted (both certified), then two features forgotten (too
  // large for what is left of the budget: retrained from scratch with fresh noise).
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.fill('#cert-seed', '2023');
  await page.click('#cert-start');
  await page.waitForSelector('#certified[data-started="1"]', { timeout: 60_000 });
  await page.click('#clear-features');
  const requests = [
    async () => {},
    async () => {
      await page.fill('#relabel-rows', '');
      await page.fill('#remove-rows', '3, 42, 100');
    },
    async () => {
      await page.fill('#remove-rows', '');
      await page.check('#feature-0');
      await page.check('#feature-1');
    },
  ];
  for (const [i, prepare] of requests.entries()) {
    await prepare();
    await page.click('#cert-apply');
    await page.waitForSelector(`#certified[data-requests="${i + 1}"]`, { timeout: 60_000 });
    await settled();
  }
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  await capture(page, () => page.locator('#certified').screenshot({ path: OUT_CERTIFIED }));
  log(`saved ${OUT_CERTIFIED}`);
} finally {
  await browser.close();
  await server.close();
}

/** Grows the viewport to the whole page (so sticky elements sit where they belong), lets the
 * chart resize, and captures. */
async function capture(page, shoot) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: WIDTH, height });
  await page.waitForTimeout(400);
  await page.evaluate(() => document.activeElement?.blur());
  await shoot();
}
