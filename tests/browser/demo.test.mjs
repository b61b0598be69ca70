// End-to-end test of the built demo (dist/) in headless Chromium, checked against the native
// Rust core. Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, requireBuild, startPreview } from '../../scripts/browser.mjs';
import { ROOT } from '../../scripts/toolchain.mjs';

const CSV = join(ROOT, 'www', 'data', 'breast_cancer.csv');
const NATIVE = join(ROOT, 'target', 'release', 'examples', 'compare');
const METHODS = ['lazy', 'first_order', 'second_order', 'retrain_warm', 'retrain'];
const COMPARED_KEYS = ['distanceToRetrain', 'residual', 'accuracy', 'logLoss', 'agreement'];
const TIMEOUT = 120_000;

/** Labels of the CSV, by data row (header excluded). */
const CSV_LABELS = readFileSync(CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => Number(line.slice(line.lastIndexOf(',') + 1)));

/** The native example's comparison for `edit` (λ = 1, τ = 1e-3, split seed 42, 20 % test). */
function runNative(edit) {
  const out = execFileSync(NATIVE, [CSV, JSON.stringify(edit), '1', '0.001', '42', '0.2'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

function assertClose(actual, expected, what) {
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance,
    `${what}: page ${actual}, native ${expected} (|Δ| = ${Math.abs(actual - expected)})`,
  );
}

/** Every numeric cell of the results table as {method: {key: value}} plus the row order. */
async function readTable(page) {
  return page.$$eval('#results tbody tr[data-method]', (rows) =>
    rows.map((row) => ({
      method: row.dataset.method,
      cells: Object.fromEntries(
        [...row.querySelectorAll('td[data-key]')].map((td) => [
          td.dataset.key,
          td.dataset.value === undefined ? null : Number(td.dataset.value),
        ]),
      ),
    })),
  );
}

function assertMatchesNative(table, native) {
  assert.deepEqual(
    table.map((r) => r.method),
    METHODS,
    'one row per method, in the documented order',
  );
  assert.deepEqual(
    native.methods.map((m) => m.method),
    METHODS,
  );
  for (const row of table) {
    const reference = native.methods.find((m) => m.method === row.method);
    for (const key of COMPARED_KEYS) {
      assertClose(row.cells[key], reference[key], `${row.method}.${key}`);
    }
    assert.ok(row.cells.seconds >= 0, `${row.method}.seconds is a time`);
    if (row.method === 'lazy') assert.equal(row.cells.speedup, null, 'lazy has no speed-up');
    else assert.ok(row.cells.speedup > 0, `${row.method}.speedup is positive`);
  }
}

async function unlearnAndWait(page, count) {
  await page.click('#unlearn');
  await page.waitForSelector(`body[data-comparisons="${count}"]`, { timeout: 60_000 });
}

describe('browser demo', { timeout: 10 * TIMEOUT }, () => {
  let server;
  let browser;
  let page;
  let origin;
  const requests = [];
  const pageErrors = [];
  const consoleErrors = [];
  const failedRequests = [];

  before(async () => {
    requireBuild();
    // The native reference; builds once, then returns at once.
    execFileSync('cargo', ['build', '-q', '--release', '--example', 'compare'], { cwd: ROOT, stdio: 'inherit' });
    server = await startPreview();
    origin = new URL(server.url).origin;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('requestfailed', (request) => failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  }, { timeout: 5 * TIMEOUT });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  let firstTable;

  it('forgets two features and three labels exactly like the native core', { timeout: TIMEOUT }, async () => {
    await page.check('#feature-0');
    await page.check('#feature-1');
    assert.match(await page.getAttribute('label[for="feature-0"]', 'title'), /^mean radius$/);
    assert.match(await page.getAttribute('label[for="feature-1"]', 'title'), /^mean texture$/);
    await page.fill('#flip-k', '3');
    await page.fill('#seed', '7');
    await page.click('#flip-random');
    await unlearnAndWait(page, 1);

    // The relabel rows as the page shows them (UI state).
    const chosen = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => ({
        row: Number(li.dataset.row),
        csvRow: Number(li.dataset.csvRow),
        from: Number(li.dataset.from),
        to: Number(li.dataset.to),
      })),
    );
    assert.equal(chosen.length, 3, 'k = 3 rows were picked');
    const inputRows = (await page.inputValue('#relabel-rows')).split(',').map((s) => Number(s.trim()));
    assert.deepEqual(inputRows, chosen.map((c) => c.row), 'the list shows the rows of the input');

    const edit = {
      features: [0, 1],
      featureValue: 0,
      relabel: chosen.map((c) => [c.row, 1 - c.from]),
      remove: [],
    };
    const native = runNative(edit);
    for (const c of chosen) {
      assert.equal(c.csvRow, native.train.trainRows[c.row], `CSV row of training row ${c.row}`);
      assert.equal(c.from, CSV_LABELS[c.csvRow], `original label of training row ${c.row}`);
      assert.equal(c.to, 1 - c.from, 'the label is flipped');
    }

    firstTable = await readTable(page);
    assertMatchesNative(firstTable, native);

    const affected = await page.textContent('#affected');
    assert.match(affected, new RegExp(`${native.affected.length} of 455 training rows affected`));
    const labels = await page.$$eval('#results tbody th .method__name', (nodes) => nodes.map((n) => n.textContent));
    assert.deepEqual(labels, [
      'No update (lazy)',
      'First-order θ*−τG',
      'Second-order θ*−H̃⁻¹G',
      'Retrain (warm start)',
      'Retrain (from scratch)',
    ]);
  });

  it('draws the parameter-shift chart', { timeout: TIMEOUT }, async () => {
    const size = await page.$eval('#shift-chart', (c) => ({ width: c.width, height: c.height }));
    assert.ok(size.width > 300 && size.height > 31 * 20, `canvas is ${size.width}×${size.height}`);
    // Wait for the bars (after the short animation) and look for each series' colour.
    const colours = await page.waitForFunction(() => {
      const canvas = document.getElementById('shift-chart');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const wanted = { original: [86, 180, 233], first: [230, 159, 0], second: [0, 158, 115], retrained: [0, 0, 0] };
      const counts = Object.fromEntries(Object.keys(wanted).map((k) => [k, 0]));
      let painted = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        painted += 1;
        for (const [name, [r, g, b]] of Object.entries(wanted)) {
          if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) counts[name] += 1;
        }
      }
      return Object.values(counts).every((n) => n > 50) ? { painted, ...counts } : null;
    }, null, { timeout: 10_000 });
    assert.ok((await colours.jsonValue()).painted > 1000, 'the canvas is not blank');

    // The chart's text alternative carries the same 31 parameters × 4 series.
    const theta = await page.$$eval('#theta-table tbody tr', (rows) =>
      rows.map((tr) => [tr.querySelector('th').textContent, tr.querySelectorAll('td').length]),
    );
    assert.equal(theta.length, 31);
    assert.ok(theta.every(([, n]) => n === 4), 'four series per parameter');
    assert.equal(theta[0][0], '✕ mean radius', 'forgotten features are marked');
    assert.equal(theta[1][0], '✕ mean texture');
    assert.equal(theta[2][0], 'mean perimeter');
    assert.equal(theta[30][0], 'intercept');
  });

  it('rejects bad row indices without touching the results, then recovers', { timeout: TIMEOUT }, async () => {
    const before = await page.innerHTML('#results tbody');
    await page.fill('#remove-rows', 'abc, 99999');
    await page.click('#unlearn');
    const alert = page.locator('#alert');
    await alert.filter({ hasText: 'Rows to delete' }).waitFor({ timeout: 10_000 });
    const message = await alert.textContent();
    assert.match(message, /“abc” is not a row index/);
    assert.match(message, /99999 is out of range/);
    assert.match(await page.textContent('#remove-error'), /abc/);
    assert.equal(await page.getAttribute('#remove-rows', 'aria-invalid'), 'true');
    assert.equal(await page.innerHTML('#results tbody'), before, 'the results table is unchanged');
    assert.equal(await page.getAttribute('body', 'data-comparisons'), '1');

    await page.fill('#remove-rows', '5, 10');
    await unlearnAndWait(page, 2);
    assert.equal((await page.textContent('#alert')).trim(), '', 'the alert is cleared');
    assert.equal(await page.getAttribute('#remove-rows', 'aria-invalid'), null);
    const chosen = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => [Number(li.dataset.row), Number(li.dataset.to)]),
    );
    const native = runNative({ features: [0, 1], featureValue: 0, relabel: chosen, remove: [5, 10] });
    const table = await readTable(page);
    assertMatchesNative(table, native);
    assert.equal(native.nEdited, 453);
  });

  it('repairs poisoned labels: second-order is closer to retraining than no update', { timeout: TIMEOUT }, async () => {
    await page.click('#clear-features');
    await page.fill('#remove-rows', '');
    await page.fill('#flip-k', '5');
    await page.click('#flip-random');
    await page.check('#poison');
    await unlearnAndWait(page, 3);
    const chosen = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => ({ from: Number(li.dataset.from), to: Number(li.dataset.to), csvRow: Number(li.dataset.csvRow) })),
    );
    assert.equal(chosen.length, 5);
    for (const c of chosen) assert.equal(c.to, CSV_LABELS[c.csvRow], 'unlearning restores the true label');
    assert.match(await page.textContent('#dataset-line'), /trained on 5 poisoned labels/);
    const table = await readTable(page);
    const get = (method) => table.find((r) => r.method === method).cells;
    assert.ok(
      get('second_order').distanceToRetrain < get('lazy').distanceToRetrain,
      `second-order ${get('second_order').distanceToRetrain} < lazy ${get('lazy').distanceToRetrain}`,
    );
    assert.ok(get('first_order').distanceToRetrain <= get('lazy').distanceToRetrain);
    assert.match(await page.textContent('#affected'), /^5 of 455 training rows affected/);
  });

  it('loads nothing from another origin and logs no errors', () => {
    assert.ok(requests.length > 0);
    const foreign = requests.filter((url) => new URL(url).origin !== origin);
    assert.deepEqual(foreign, [], 'every request goes to the page origin');
    assert.deepEqual(failedRequests, []);
    assert.deepEqual(pageErrors, [], 'no uncaught page errors');
    assert.deepEqual(consoleErrors, [], 'no console errors');
  });
});
