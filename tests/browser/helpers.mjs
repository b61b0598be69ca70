// Shared by the browser tests: the served demo in headless Chromium with every request, page
// error and console error recorded; the native reference; reading the results table.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
 * `log` collects requests, failed requests, page errors and console errors. `beforeLoad(page)`
 * runs before the page is opened (to record from the first request on).
 */
export async function openDemo({ width = 1280, height = 900, beforeLoad = () => {} } = {}) {
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
  beforeLoad(page);
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

// ---------- your own data ----------

/** The methods of the default comparison, as the module lists them. */
export const CORE_METHODS = await (async () => (await loadWasm()).methods().core)();

/** The wasm package in Node, initialised: the API the page uses, called directly. */
export async function loadWasm() {
  const pkg = await import(join(ROOT, 'www', 'pkg', 'unlearn.js'));
  pkg.initSync({ module: readFileSync(join(ROOT, 'www', 'pkg', 'unlearn_bg.wasm')) });
  return pkg;
}

/** The training rows of the page's split (seed 42, 20 % test) of an n-row table. */
export function splitTrainRows(pkg, n) {
  const y = Float64Array.from({ length: n }, (_, i) => i % 2);
  return Array.from(pkg.prepareTable(new Float64Array(n), y, 1, { seed: 42, testFraction: 0.2 }).trainRows);
}

/**
 * The table the page trains on for CSV `text`, made in Node with the page's own reading and
 * encoding modules: `change(pending)` may adjust the setup (label, positive class, policy…).
 */
export async function encodeInNode(pkg, text, source, change = (setup) => setup) {
  const { finishSetup, startSetup, withPlan } = await import(join(ROOT, 'www', 'data.js'));
  const first = startSetup(text, source);
  assert.equal(first.error, undefined, first.error);
  const pending = withPlan({ ...first, setup: change(first.setup, first) });
  assert.deepEqual(pending.plan.errors, [], 'the setup is valid');
  return finishSetup(pending, { trainRowsOf: (n) => splitTrainRows(pkg, n) });
}

/**
 * A comparison straight from the wasm API (no page code): `Session.fromTable` on `data` with the
 * page's split, `poison` ([training row, label]) applied first, then `compare(edit)`.
 */
export function compareInNode(pkg, data, edit, { l2 = 1, tau = 1e-3, methods = CORE_METHODS, poison = [] } = {}) {
  const options = { l2, seed: 42, testFraction: 0.2 };
  if (data.unscaledColumns.length > 0) options.unscaledColumns = data.unscaledColumns;
  let y = data.y;
  if (poison.length > 0) {
    const probe = pkg.Session.fromTable(data.x, data.y, data.nFeatures, options);
    const rows = probe.trainRows;
    probe.free();
    y = Float64Array.from(data.y);
    for (const [row, label] of poison) y[rows[row]] = label;
  }
  const session = pkg.Session.fromTable(data.x, y, data.nFeatures, options);
  try {
    return {
      comparison: session.compare(edit, { methods, tau, minTimingSeconds: 0 }),
      trainRows: Array.from(session.trainRows),
      report: session.trainReport(),
    };
  } finally {
    session.free();
  }
}

/** The page's table equals a direct comparison, method by method, to 1e-9. */
export function assertTableMatches(table, comparison, methods = CORE_METHODS) {
  assert.deepEqual(table.map((r) => r.method), methods, 'one row per method, in order');
  for (const method of methods) {
    const row = table.find((r) => r.method === method);
    const reference = comparison.methods.find((m) => m.method === method);
    assert.equal(row.status, 'ok', `${method} has numbers`);
    for (const key of COMPARED_KEYS) assertClose(row.cells[key], reference[key], `${method}.${key}`);
  }
}

/** The parameters table as [{label, values: {method: number}}] (full precision). */
export async function readTheta(page) {
  return page.$$eval('#theta-table tbody tr', (rows) =>
    rows.map((tr) => ({
      label: tr.querySelector('th').textContent,
      values: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.method, Number(td.dataset.value)])),
    })),
  );
}

/** How many tables the page has trained on (1 after the start). */
export async function loads(page) {
  return Number(await page.getAttribute('body', 'data-loads'));
}

/** Waits until the page trained on table number `count` and nothing is queued. */
export async function loaded(page, count, timeout = 120_000) {
  await page.waitForSelector(`body[data-loads="${count}"]`, { timeout });
  await page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout });
}

/** Reads `text` into the page as an uploaded file (File API) and waits for its setup. */
export async function uploadCsv(page, name, text) {
  await page.check('#dataset-upload');
  await page.setInputFiles('#csv-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await page.waitForFunction((file) => document.querySelector('#setup-summary strong, #setup .setup__summary')?.textContent.startsWith(file), name, { timeout: 60_000 });
  await page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
}

/** Drops `text` as a file on the drop zone (drag-and-drop with a DataTransfer) and waits for its setup. */
export async function dropCsv(page, name, text) {
  await page.check('#dataset-upload');
  await page.evaluate(
    ([fileName, content]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], fileName, { type: 'text/csv' }));
      const zone = document.getElementById('dropzone');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    [name, text],
  );
  await page.waitForFunction((file) => document.querySelector('#setup .setup__summary')?.textContent.startsWith(file), name, { timeout: 60_000 });
  await page.waitForSelector('body[data-ready="true"]:not([data-busy])', { timeout: 60_000 });
}
