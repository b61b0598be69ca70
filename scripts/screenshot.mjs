// `npm run screenshot`: serves the built site (dist/, from `npm run build`) and saves
//   docs/screenshot.png            — two features and three labels forgotten (1280 px, whole page)
//   docs/screenshot-certified.png  — the certified-unlearning panel after three requests
//   docs/screenshot-upload.png     — a CSV read on the device (made up here: plants, semicolons,
//                                    decimal commas, a few missing cells) with a categorical
//                                    column forgotten as one group
//   docs/screenshot-digits.png     — the handwritten digits: mislabeled images repaired by
//                                    unlearning, the weights of each class as 8×8 images
//   docs/screenshot-path.png       — the hedging path θ(ε) at ε = 0.5 with the straight updates
//   docs/screenshot-playground.png — the 2-D playground after removing three points
//   docs/screenshot-phone.png, docs/screenshot-phone-path.png — the page at phone width (390 px)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, startPreview } from './browser.mjs';
import { log, ROOT } from './toolchain.mjs';

const OUT = join(ROOT, 'docs', 'screenshot.png');
const OUT_CERTIFIED = join(ROOT, 'docs', 'screenshot-certified.png');
const OUT_UPLOAD = join(ROOT, 'docs', 'screenshot-upload.png');
const OUT_DIGITS = join(ROOT, 'docs', 'screenshot-digits.png');
const OUT_PATH = join(ROOT, 'docs', 'screenshot-path.png');
const OUT_PLAYGROUND = join(ROOT, 'docs', 'screenshot-playground.png');
const OUT_PHONE = join(ROOT, 'docs', 'screenshot-phone.png');
const OUT_PHONE_PATH = join(ROOT, 'docs', 'screenshot-phone-path.png');

/** A made-up table (no real data): how plants fare by soil, light, watering and pot size. */
function plantsCsv() {
  let s = 2024;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const soils = ['clay', 'loam', 'sand', 'peat'];
  const waterings = ['daily', 'weekly', 'rarely'];
  const lines = ['soil;light hours;watering;pot litres;thrives'];
  for (let i = 0; i < 240; i += 1) {
    const soil = soils[Math.floor(random() * 4)];
    const light = (2 + 10 * random()).toFixed(1);
    const watering = waterings[Math.floor(random() * 3)];
    const pot = (0.5 + 9.5 * random()).toFixed(2);
    const score =
      { clay: -0.8, loam: 1, sand: -0.3, peat: 0.5 }[soil] + 0.25 * (light - 7) +
      { daily: -0.4, weekly: 0.6, rarely: -0.5 }[watering] + 0.1 * (pot - 5) + 1.6 * (random() - 0.5);
    const cells = [soil, light, watering, pot].map((v) => String(v).replace('.', ','));
    if (i % 41 === 7) cells[0] = ''; // a few missing soils
    lines.push([...cells, score > 0 ? 'yes' : 'no'].join(';'));
  }
  return `${lines.join('\n')}\n`;
}
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
  await capture(page, () => shootBetween(page, OUT, '.masthead', '.theta-details', 16));
  log(`saved ${OUT}`);

  // The hedging path of the same request, half way.
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.click('#tab-path');
  await page.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
  await page.focus('#path-eps');
  for (let k = 0; k < 10; k += 1) await page.keyboard.press('ArrowLeft');
  await settled();
  await capture(page, () => page.locator('#panel-path').screenshot({ path: OUT_PATH }));
  log(`saved ${OUT_PATH}`);
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.click('#tab-compare');

  // The playground: the three class-1 points deepest in class 0's cloud removed.
  const outliers = await page.$$eval('#pg-point option', (options) =>
    options
      .filter((o) => /class 1/.test(o.textContent))
      .sort((a, b) => Number(a.dataset.x1) + Number(a.dataset.x2) - Number(b.dataset.x1) - Number(b.dataset.x2))
      .slice(0, 3)
      .map((o) => o.value),
  );
  for (const [k, value] of outliers.entries()) {
    await page.selectOption('#pg-point', value);
    await page.click('#pg-remove');
    await page.waitForSelector(`#playground[data-edits="${k + 1}"]`, { timeout: 60_000 });
    await settled();
  }
  await capture(page, () => page.locator('#playground').screenshot({ path: OUT_PLAYGROUND }));
  log(`saved ${OUT_PLAYGROUND}`);
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });

  // The certified panel: a model with secret noise (the default: no seed), then three requests
  // from the same controls — three labels flipped, three rows deleted, then two features
  // forgotten (usually too large for what is left of the budget: retrained with fresh noise).
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.fill('#cert-seed', '');
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

  // Your own data: a CSV read on the device, missing cells imputed, a categorical column
  // forgotten as one group.
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  await page.evaluate(() => window.scrollTo(0, 0));
  const comparisons = async () => Number(await page.getAttribute('body', 'data-comparisons'));
  const loads = async () => Number(await page.getAttribute('body', 'data-loads'));
  let count = await comparisons();
  let loaded = await loads();
  await page.check('#dataset-upload');
  await page.setInputFiles('#csv-file', { name: 'plants.csv', mimeType: 'text/csv', buffer: Buffer.from(plantsCsv()) });
  await page.waitForSelector('#setup-policy');
  await page.check('#policy-impute');
  await page.click('#setup-train');
  await page.waitForSelector(`body[data-loads="${loaded + 1}"]`, { timeout: 60_000 });
  await settled();
  await page.check('#feature-groups input[data-name="soil"]');
  await page.click('#unlearn');
  count += 1;
  await page.waitForSelector(`body[data-comparisons="${count}"]`, { timeout: 60_000 });
  await settled();
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  await capture(page, () => shootBetween(page, OUT_UPLOAD, '#data', '.theta-details', 16));
  log(`saved ${OUT_UPLOAD}`);

  // The digits: twenty mislabeled images repaired by unlearning, the weights as images.
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  loaded = await loads();
  await page.check('#dataset-digits');
  await page.waitForSelector(`body[data-loads="${loaded + 1}"]`, { timeout: 60_000 });
  await settled();
  await page.fill('#seed', '5');
  await page.click('#story-mislabeled');
  count += 1;
  await page.waitForSelector(`body[data-comparisons="${count}"]`, { timeout: 180_000 });
  await settled();
  await page.check('#images-change');
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
  await capture(page, () => shootBetween(page, OUT_DIGITS, '#data', '#images', 24));
  log(`saved ${OUT_DIGITS}`);

  // Phone width: the first screen, and the hedging path of the "forget one person" lesson.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });
  phone.on('pageerror', (error) => errors.push(error.message));
  await phone.goto(server.url);
  await phone.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
  await phone.screenshot({ path: OUT_PHONE });
  log(`saved ${OUT_PHONE}`);
  await phone.click('#lesson-person');
  await phone.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
  await phone.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
  await phone.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
  await phone.locator('#path-eps').scrollIntoViewIfNeeded();
  await phone.evaluate(() => window.scrollBy(0, -120));
  await phone.waitForTimeout(300);
  await phone.screenshot({ path: OUT_PHONE_PATH });
  log(`saved ${OUT_PHONE_PATH}`);
  if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
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

/** Saves the full-width band of the page from the top of `from` to the bottom of `to` (+ `extra` px). */
async function shootBetween(page, path, from, to, extra) {
  const box = await page.evaluate(
    ([a, b]) => {
      const top = document.querySelector(a).getBoundingClientRect().top + window.scrollY;
      const bottom = document.querySelector(b).getBoundingClientRect().bottom + window.scrollY;
      return { top, bottom };
    },
    [from, to],
  );
  const y = Math.max(0, Math.floor(box.top) - 16);
  await page.screenshot({ path, clip: { x: 0, y, width: WIDTH, height: Math.ceil(box.bottom + extra) - y } });
}
