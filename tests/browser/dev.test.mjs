// The page as `npm start` serves it (Vite's development server, unbundled modules): it starts,
// obeys its own Content-Security-Policy (no script-injected styles), typesets the formulas without
// spilling sideways, unlearns in the worker, and asks nothing of another origin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchChromium, startDevServer } from '../../scripts/browser.mjs';
import { TIMEOUT } from './helpers.mjs';

describe('the development server (npm start)', { timeout: 4 * TIMEOUT }, () => {
  let server;
  let browser;
  let page;
  const log = { requests: [], consoleErrors: [], pageErrors: [] };

  before(async () => {
    server = await startDevServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => log.requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') log.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => log.pageErrors.push(error.message));
    await page.goto(server.url);
    // The first visit makes Vite prepare the dependencies: give it time.
    await page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 3 * TIMEOUT });
  }, { timeout: 4 * TIMEOUT });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('styles the formulas within the policy: no violation, nothing wider than the window', { timeout: TIMEOUT }, async () => {
    assert.ok((await page.locator('.katex').count()) >= 10, 'formulas are typeset');
    // KaTeX's stylesheet is applied: its MathML copy is clipped to 1 px, not shown beside the formula.
    const mathml = await page.$eval('.katex-mathml', (node) => node.getBoundingClientRect().width);
    assert.ok(mathml <= 1, `the MathML copy is hidden (${mathml} px wide)`);
    for (const width of [1280, 380]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at ${width} px (${overflow} px too wide)`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('unlearns in the worker', { timeout: TIMEOUT }, async () => {
    await page.fill('#relabel-rows', '12, 80');
    await page.click('#unlearn');
    await page.waitForSelector('body[data-comparisons="1"]', { timeout: TIMEOUT });
    assert.ok((await page.locator('#results tbody tr[data-method]').count()) >= 5, 'the results table is filled');
  });

  it('logs no errors and asks nothing of another origin', () => {
    assert.deepEqual(log.consoleErrors, [], 'no console errors (a policy violation is one)');
    assert.deepEqual(log.pageErrors, []);
    const origin = new URL(server.url).origin;
    const foreign = log.requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    assert.deepEqual(foreign, []);
  });
});
