// The certified-unlearning panel in headless Chromium: by default the noise is secret and the
// downloaded certificates, the facts and the link carry no seed or noise; a seeded model takes
// the same requests with numbers checked against the wasm API called directly in Node, and says
// at every certificate that reproducible noise is no privacy guarantee; a deleted row cannot be
// named again, and a small σ forces a retrain with fresh noise.
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

async function start(page, { sigma, seed = '', starts }) {
  await page.fill('#cert-sigma', String(sigma));
  await page.fill('#cert-seed', String(seed));
  await page.click('#cert-start');
  await page.waitForSelector(`#certified[data-started="${starts}"]`, { timeout: 60_000 });
  await settled(page);
}

/** Every key of a parsed JSON document, at any depth. */
function allKeys(value, keys = []) {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      allKeys(v, keys);
    }
  }
  return keys;
}

async function downloadCertificates(page, demo) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cert-download')]);
  assert.equal(download.suggestedFilename(), 'unlearn-certificates.json', 'the file name names no seed');
  assert.equal(new URL(download.url()).protocol, 'blob:');
  assert.equal(new URL(download.url()).origin, demo.origin, 'a same-origin Blob URL');
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
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
    assert.equal(await page.inputValue('#cert-seed'), '', 'secret noise is the default');

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

  it('with secret noise (the default) certifies two requests; the gauge and log follow', { timeout: TIMEOUT }, async () => {
    await start(page, { sigma: 3, starts: 1 });
    assert.equal(await page.getAttribute('#cert-facts', 'data-noise'), 'secret');
    assert.match(await page.textContent('#cert-facts'), /secret noise \(drawn in this browser, never shown or saved\)/);
    assert.equal(await page.isHidden('#cert-noise-note'), true);

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
    for (const row of rows) {
      // A random b may exhaust the budget (then the model retrains); either way it is certified.
      assert.match(row.cells.certified, /✓ certified/);
      assert.ok(row.cells.residual <= row.cells.betaAfter * (1 + 1e-9), 'the residual is within β');
    }
    const gauge = Number(await page.getAttribute('#cert-gauge', 'data-value'));
    assert.ok(gauge >= 0 && gauge <= 1);
    assert.equal(await page.locator('#cert-history li').count(), 2);
    assert.match(await page.textContent('#cert-facts'), /^452 of 455 training rows · test accuracy /);
    assert.equal(await page.isHidden('#cert-assumptions'), true, 'every assumption holds');
  });

  it('downloads the certificates with no seed and no noise in them', { timeout: TIMEOUT }, async () => {
    const saved = await downloadCertificates(page, demo);
    assert.equal(saved.certificates.length, 2);
    assert.equal(saved.privacy.noise, 'secret');
    assert.equal(saved.privacy.sigma, 3);
    const { split, ...rest } = saved;
    assert.deepEqual(allKeys(rest).filter((k) => /seed/i.test(k)), [], 'no noise seed anywhere');
    assert.equal(split.seed, 42, 'the public split seed of the data, not of the noise');
    const noiseKeys = new Set(allKeys(saved).filter((k) => /noise/i.test(k)));
    assert.deepEqual([...noiseKeys].sort(), ['noise', 'noiseDraws', 'residualWithoutNoise']);
    assert.deepEqual(saved.certificates.map((c) => c.request), [1, 2]);
    assert.deepEqual(saved.certificates[0].forgotten.flippedLabels, flipped);
    assert.deepEqual(saved.certificates[1].forgotten.deletedRows, [3, 42, 100]);
    for (const c of saved.certificates) {
      for (const key of ['bound', 'betaBefore', 'betaAfter', 'budget', 'residual', 'epsilon', 'delta', 'sigma']) {
        assert.equal(typeof c[key], 'number', `${key} is a number`);
      }
      assert.equal(c.certified, true);
      assert.equal(c.boundHolds, true);
      assert.equal(c.noise, 'secret');
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

  it('with a seed reproduces the wasm API exactly and says it is no privacy guarantee', { timeout: TIMEOUT }, async () => {
    await start(page, { sigma: 3, seed: SEED, starts: 2 });
    assert.equal(await page.getAttribute('#cert-facts', 'data-noise'), 'reproducible');
    assert.match(await page.textContent('#cert-facts'), /reproducible noise from seed 12345: not a privacy guarantee/);
    assert.equal(await page.isVisible('#cert-noise-note'), true);
    assert.match(await page.textContent('#cert-noise-note'), /Reproducible noise: not a privacy guarantee/);

    await page.fill('#relabel-rows', flipped.join(', '));
    await apply(page, 1);
    assert.match(await page.textContent('#cert-status'), /the bound holds, but the noise is reproducible — not a privacy guarantee/);
    await page.fill('#relabel-rows', '');
    await page.fill('#remove-rows', '3, 42, 100');
    await apply(page, 2);

    const rows = await logRows(page);
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
      assert.match(row.cells.certified, /◐ bound holds/);
      assert.match(row.cells.certified, /reproducible noise: not a privacy guarantee/);
    });
    assert.ok(expected.every((e) => e.certificate.boundHolds && !e.certificate.certified && !e.certificate.retrained));
    assert.equal((await page.textContent('#cert-history')).match(/◐/g)?.length, 2, 'the history marks both');
    const last = expected[1].certificate;
    const gauge = Number(await page.getAttribute('#cert-gauge', 'data-value'));
    assert.equal(gauge, last.betaAfter / last.budget, 'gauge = β after / budget');
    assert.equal(await page.getAttribute('#cert-gauge', 'aria-valuenow'), String(gauge));

    const saved = await downloadCertificates(page, demo);
    assert.equal(saved.privacy.noise, 'reproducible');
    assert.equal(saved.privacy.noiseSeed, SEED, 'the seed the user typed, to reproduce the run');
    for (const c of saved.certificates) {
      assert.equal(c.certified, false);
      assert.equal(c.boundHolds, true);
      assert.equal(c.noise, 'reproducible');
      assert.match(c.reason, /^reproducible noise: not a privacy guarantee/);
    }
  });

  it('retrains from scratch with fresh noise when a request exhausts a small budget', { timeout: TIMEOUT }, async () => {
    // Seeded: the numbers match a direct run.
    await start(page, { sigma: 0.1, seed: SEED, starts: 3 });
    assert.equal((await logRows(page)).length, 0, 'a restart begins a new log');
    await page.fill('#remove-rows', '');
    await page.fill('#relabel-rows', flipped.join(', '));
    await apply(page, 1);
    let [row] = await logRows(page);
    assert.equal(row.retrained, true);
    assert.match(row.cells.retrained, /retrained/);
    assert.match(await page.textContent('#cert-status'), /the bound holds after a retrain from scratch/);
    assert.equal(await page.locator('#cert-history li.history__item--retrained').count(), 1, 'a retrain marker');
    assert.match(await page.textContent('#cert-history'), /↺/);
    const [expected] = directRun(wasm, { l2: 20, epsilon: 1, delta: 1e-5, sigma: 0.1, seed: SEED }, [{ flip: flipped }]);
    assert.equal(expected.certificate.retrained, true);
    assert.equal(row.cells.betaAfter, expected.certificate.betaAfter);
    assert.match(await page.textContent('#cert-facts'), /2 noise draws/);

    // Secret: the fresh b is secret too, so the retrained model is certified again.
    await start(page, { sigma: 0.1, seed: '', starts: 4 });
    await apply(page, 1);
    [row] = await logRows(page);
    assert.equal(row.retrained, true);
    assert.match(row.cells.certified, /✓ certified/);
    assert.match(await page.textContent('#cert-status'), /retrained from scratch with fresh noise: certified again/);
    assert.equal(await page.getAttribute('#cert-facts', 'data-noise'), 'secret');
  });

  it('puts neither the noise seed nor the noise in the link', () => {
    const url = page.url();
    assert.doesNotMatch(url, /12345/, 'the seed typed in the panel is not in the link');
    assert.doesNotMatch(url, /noise|sigma|epsilon|delta/i);
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
