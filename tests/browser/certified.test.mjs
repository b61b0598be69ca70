// The certified-unlearning panel in headless Chromium: a seeded certified model takes the
// selection of steps 1–3 as requests, the gauge and the log follow the certificates (checked
// against the same wasm API called directly in Node), the certificates download as JSON from
// a same-origin Blob URL, a deleted row cannot be named again, and a small σ forces a retrain.
// Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/toolchain.mjs';
import { assertPrivateAndClean, CSV, openDemo, settled, TIMEOUT } from './helpers.mjs';

const SEED = 12345;

/** The wasm package in Node: the same API the page uses, called directly. */
async function loadWasm() {
  const pkg = await import(join(ROOT, 'www', 'pkg', 'unlearn.js'));
  pkg.initSync({ module: readFileSync(join(ROOT, 'www', 'pkg', 'unlearn_bg.wasm')) });
  const { parseTable } = await import(join(ROOT, 'www', 'data.js'));
  return { ...pkg, table: parseTable(readFileSync(CSV, 'utf8')) };
}

/** Expected certificates for `requests` ({flip, remove}) from a direct Unlearner run. */
function directRun(wasm, { l2, epsilon, delta, sigma, seed }, requests) {
  const { table } = wasm;
  const p = wasm.prepareTable(table.x, table.y, table.nFeatures, { testFraction: 0.2, seed: 42, unitRows: true });
  const u = wasm.Unlearner.fit(p.xTrain, p.yTrain, table.nFeatures, {
    l2,
    fitIntercept: false,
    certified: { epsilon, delta, sigma, seed },
  });
  const labels = Array.from(p.yTrain);
  const out = [];
  for (const { flip = [], remove = [] } of requests) {
    const report = u.request({ relabel: flip.map((r) => [r, 1 - labels[r]]), remove }, { method: 'second_order' });
    for (const r of flip) labels[r] = 1 - labels[r];
    out.push({ certificate: report.certificate, accuracy: u.score(p.xTest, p.yTest) });
  }
  u.free();
  return out;
}

async function logRows(page) {
  return page.$$eval('#cert-log tbody tr[data-request]', (rows) =>
    rows.map((row) => ({
      n: Number(row.dataset.request),
      retrained: row.dataset.retrained === 'true',
      text: row.textContent,
      cells: Object.fromEntries(
        [...row.querySelectorAll('td[data-key]')].map((td) => [
          td.dataset.key,
          td.dataset.value === undefined ? td.textContent : Number(td.dataset.value),
        ]),
      ),
    })),
  );
}

async function apply(page, count) {
  await page.click('#cert-apply');
  await page.waitForSelector(`#certified[data-requests="${count}"]`, { timeout: 60_000 });
  await settled(page);
}

async function start(page, { sigma, seed = SEED, starts }) {
  await page.fill('#cert-sigma', String(sigma));
  await page.fill('#cert-seed', String(seed));
  await page.click('#cert-start');
  await page.waitForSelector(`#certified[data-started="${starts}"]`, { timeout: 60_000 });
  await settled(page);
}

describe('certified unlearning panel', { timeout: 10 * TIMEOUT }, () => {
  let demo;
  let page;
  let wasm;
  let flipped;

  before(async () => {
    wasm = await loadWasm();
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 5 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('does not train a certified model until asked', { timeout: TIMEOUT }, async () => {
    assert.equal(await page.getAttribute('#certified', 'data-started'), null);
    assert.equal(await page.isDisabled('#cert-apply'), true);
    assert.equal(await page.isDisabled('#cert-download'), true);
    assert.match(await page.textContent('#cert-budget'), /β_max = σε\/c = 0\.6145/);
    assert.equal(await page.getAttribute('#certified', 'data-requests'), '0');

    // Bad settings are named and nothing is trained.
    await page.fill('#cert-delta', '1.5');
    await page.fill('#cert-l2', '0');
    await page.click('#cert-start');
    const alert = await page.textContent('#cert-alert');
    assert.match(alert, /δ: 1\.5 is out of range\. Enter a number between 0 and 1 \(exclusive\)\./);
    assert.match(alert, /λ: 0 is out of range\. Enter a number greater than 0\./);
    assert.match(await page.textContent('#cert-budget'), /enter valid ε, δ and σ/);
    await settled(page);
    assert.equal(await page.getAttribute('#certified', 'data-started'), null);
    await page.fill('#cert-delta', '1e-5');
    await page.fill('#cert-l2', '20');
  });

  it('certifies two requests; the gauge and the log follow the certificates', { timeout: TIMEOUT }, async () => {
    await start(page, { sigma: 3, starts: 1 });
    assert.equal(await page.getAttribute('#cert-facts', 'data-seed'), String(SEED));
    assert.match(await page.textContent('#cert-facts'), /noise seed 12345 ·/);

    // Request 1: flip three labels.
    await page.fill('#flip-k', '3');
    await page.fill('#seed', '7');
    await page.click('#flip-random');
    flipped = (await page.inputValue('#relabel-rows')).split(',').map((s) => Number(s.trim()));
    assert.match(await page.textContent('#cert-next'), /^flip 3 labels/);
    await apply(page, 1);

    // Request 2: delete three rows.
    await page.fill('#relabel-rows', '');
    await page.fill('#remove-rows', '3, 42, 100');
    assert.match(await page.textContent('#cert-next'), /^delete 3 rows \(#3, #42, #100\)$/);
    await apply(page, 2);

    const rows = await logRows(page);
    assert.equal(rows.length, 2);
    const expected = directRun(wasm, { l2: 20, epsilon: 1, delta: 1e-5, sigma: 3, seed: SEED }, [
      { flip: flipped },
      { remove: [3, 42, 100] },
    ]);
    rows.forEach((row, i) => {
      const c = expected[i].certificate;
      assert.equal(row.cells.bound, c.bound, `request ${i + 1}: bound`);
      assert.equal(row.cells.betaAfter, c.betaAfter, `request ${i + 1}: β after`);
      assert.equal(row.cells.residual, c.residual, `request ${i + 1}: residual`);
      assert.equal(row.cells.accuracy, expected[i].accuracy, `request ${i + 1}: test accuracy`);
      assert.equal(row.retrained, c.retrained);
      assert.match(row.cells.certified, c.certified ? /✓ certified/ : /✗ not certified/);
    });
    assert.ok(expected.every((e) => e.certificate.certified && !e.certificate.retrained), 'both fit in the budget');
    const last = expected[1].certificate;
    const gauge = Number(await page.getAttribute('#cert-gauge', 'data-value'));
    assert.equal(gauge, last.betaAfter / last.budget, 'gauge = β after / budget');
    assert.ok(gauge > 0 && gauge < 1);
    assert.equal(await page.getAttribute('#cert-gauge', 'aria-valuenow'), String(gauge));
    assert.equal(await page.locator('#cert-history li').count(), 2);
    assert.match(await page.textContent('#cert-facts'), /^452 of 455 training rows · test accuracy /);
    assert.equal(await page.isHidden('#cert-assumptions'), true, 'every assumption holds');
  });

  it('downloads every certificate of the session as JSON, from the page itself', { timeout: TIMEOUT }, async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cert-download')]);
    assert.equal(download.suggestedFilename(), `unlearn-certificates-seed-${SEED}.json`);
    assert.equal(new URL(download.url()).protocol, 'blob:');
    assert.equal(new URL(download.url()).origin, demo.origin, 'a same-origin Blob URL');
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(saved.certificates.length, 2);
    assert.equal(saved.privacy.noiseSeed, SEED);
    assert.equal(saved.privacy.sigma, 3);
    assert.deepEqual(saved.certificates.map((c) => c.request), [1, 2]);
    assert.deepEqual(saved.certificates[0].forgotten.flippedLabels, flipped);
    assert.deepEqual(saved.certificates[1].forgotten.deletedRows, [3, 42, 100]);
    for (const c of saved.certificates) {
      for (const key of ['bound', 'betaBefore', 'betaAfter', 'budget', 'residual', 'epsilon', 'delta', 'sigma', 'noiseSeed']) {
        assert.equal(typeof c[key], 'number', `${key} is a number`);
      }
      assert.equal(c.certified, true);
      assert.equal(c.method, 'second_order');
    }
    const gauge = Number(await page.getAttribute('#cert-gauge', 'data-value'));
    assert.equal(gauge, saved.certificates[1].betaAfter / saved.certificates[1].budget);
  });

  it('refuses to name a deleted row again, clearly, and changes nothing', { timeout: TIMEOUT }, async () => {
    await page.fill('#remove-rows', '42');
    assert.match(await page.textContent('#cert-next'), /#42 was already deleted/);
    await page.click('#cert-apply');
    await settled(page);
    const alert = await page.textContent('#cert-alert');
    assert.match(alert, /Row #42 was deleted from the certified model by request 2 and can’t be named again/);
    assert.match(alert, /Take it out of “Rows to delete” first/);
    assert.equal((await logRows(page)).length, 2, 'the log still has 2 rows');
    assert.equal(await page.getAttribute('#certified', 'data-requests'), '2');

    await page.fill('#remove-rows', '');
    await page.fill('#relabel-rows', '100');
    await page.click('#cert-apply');
    await settled(page);
    assert.match(await page.textContent('#cert-alert'), /Take it out of “Labels to correct” first/);
    assert.equal((await logRows(page)).length, 2);

    await page.fill('#relabel-rows', '');
    await page.click('#cert-apply');
    assert.match(await page.textContent('#cert-alert'), /Nothing to forget yet/);
    assert.equal((await logRows(page)).length, 2);
  });

  it('retrains from scratch with fresh noise when a request exhausts a small budget', { timeout: TIMEOUT }, async () => {
    await start(page, { sigma: 0.1, starts: 2 });
    assert.equal((await logRows(page)).length, 0, 'a restart begins a new log');
    await page.fill('#relabel-rows', flipped.join(', '));
    await apply(page, 1);
    const [row] = await logRows(page);
    assert.equal(row.retrained, true);
    assert.match(row.cells.retrained, /retrained/);
    assert.match(await page.textContent('#cert-status'), /retrained from scratch with fresh noise/);
    assert.equal(await page.locator('#cert-history li.history__item--retrained').count(), 1, 'a retrain marker');
    assert.match(await page.textContent('#cert-history'), /↺/);
    const [expected] = directRun(wasm, { l2: 20, epsilon: 1, delta: 1e-5, sigma: 0.1, seed: SEED }, [{ flip: flipped }]);
    assert.equal(expected.certificate.retrained, true);
    assert.equal(row.cells.betaAfter, expected.certificate.betaAfter);
    assert.match(await page.textContent('#cert-facts'), /2 noise draws/);
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
