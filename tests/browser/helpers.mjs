// Shared by the browser tests: the served demo in headless Chromium with every request, page
// error and console error recorded; the native reference; reading the results table.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launchChromium, requireBuild, startPreview } from '../../scripts/browser.mjs';
import { ROOT } from '../../scripts/toolchain.mjs';

export const CSV = join(ROOT, 'www', 'data', 'breast_cancer.csv');
const NATIVE = join(ROOT, 'target', 'release', 'examples', 'compare');
export const COMPARED_KEYS = ['distanceToRetrain', 'residual', 'accuracy', 'logLoss', 'agreement'];
export const TIMEOUT = 120_000;

/** Builds the native `compare` example once (returns at once when it is up to date). */
export function buildNative() {
  execFileSync('cargo', ['build', '-q', '--release', '--example', 'compare'], { cwd: ROOT, stdio: 'inherit' });
}

/** The native example's comparison for `edit` (split seed 42, 20 % test). */
export function runNative(edit, { l2 = 1, tau = 0.001, methods, steps } = {}) {
  const args = [CSV, JSON.stringify(edit), String(l2), String(tau), '42', '0.2'];
  if (methods) args.push(methods.join(','));
  if (steps !== undefined) args.push(String(steps));
  const out = execFileSync(NATIVE, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}

export function assertClose(actual, expected, what, relative = 1e-9) {
  const tolerance = relative * Math.max(1, Math.abs(expected));
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance,
    `${what}: page ${actual}, native ${expected} (|Δ| = ${Math.abs(actual - expected)})`,
  );
}

/** Every row of the results table: {method, status, error, cells: {key: value}}. */
export async function readTable(page) {
  return page.$$eval('#results tbody tr[data-method]', (rows) =>
    rows.map((row) => ({
      method: row.dataset.method,
      status: row.dataset.status ?? 'ok',
      error: row.querySelector('td.failed')?.textContent ?? null,
      cells: Object.fromEntries(
        [...row.querySelectorAll('td[data-key]')].map((td) => [
          td.dataset.key,
          td.dataset.value === undefined ? null : Number(td.dataset.value),
        ]),
      ),
    })),
  );
}

/** Resolves when every queued action of the page has run. */
export async function settled(page) {
  await page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
}

/** The number of comparisons the page has made. */
export async function comparisons(page) {
  return Number(await page.getAttribute('body', 'data-comparisons'));
}

/** Clicks Unlearn and waits until comparison number `count` is shown and nothing is queued. */
export async function unlearnAndWait(page, count) {
  await page.click('#unlearn');
  await page.waitForSelector(`body[data-comparisons="${count}"]`, { timeout: 60_000 });
  await settled(page);
}

/**
 * Serves dist/, launches Chromium and opens the demo. Returns {page, origin, log, close};
 * `log` collects requests, failed requests, page errors and console errors.
 */
export async function openDemo({ width = 1280, height = 900 } = {}) {
  requireBuild();
  const server = await startPreview();
  const browser = await launchChromium();
  const log = { requests: [], failedRequests: [], pageErrors: [], consoleErrors: [] };
  const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('requestfailed', (request) => log.failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
  page.on('pageerror', (error) => log.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') log.consoleErrors.push(message.text());
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return {
    page,
    browser,
    origin: new URL(server.url).origin,
    log,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Every request went to the page's origin; no failures, page errors or console errors. */
export function assertPrivateAndClean({ log, origin }) {
  assert.ok(log.requests.length > 0);
  const foreign = log.requests.filter((url) => new URL(url).origin !== origin);
  assert.deepEqual(foreign, [], 'every request goes to the page origin');
  assert.deepEqual(log.failedRequests, []);
  assert.deepEqual(log.pageErrors, [], 'no uncaught page errors');
  assert.deepEqual(log.consoleErrors, [], 'no console errors');
}
