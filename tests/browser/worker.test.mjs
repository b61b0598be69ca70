// The worker keeps the page responsive: while the full UCI Adult file (32,561 rows) trains and a
// comparison of every method runs in the Web Worker, the page's main thread keeps painting frames
// and answering, the activity bar shows Newton's iterations and ‖∇L‖, and Cancel stops the work —
// the page stays usable, the previous model and results stay. Run `npm run build` first, then
// `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertPrivateAndClean, comparisons, loaded, openDemo, readTable, settled, TIMEOUT, unlearnAndWait } from './helpers.mjs';

/** Frames painted by the page in `ms` milliseconds (requestAnimationFrame keeps running). */
function frames(page, ms = 600) {
  return page.evaluate(
    (duration) =>
      new Promise((resolve) => {
        let n = 0;
        const start = performance.now();
        const step = () => {
          n += 1;
          if (performance.now() - start < duration) requestAnimationFrame(step);
          else resolve(n);
        };
        requestAnimationFrame(step);
      }),
    ms,
  );
}

/** How long the page takes to answer a trivial evaluate (ms, measured from the test). */
async function roundTrip(page) {
  const t = Date.now();
  await page.evaluate(() => document.title.length);
  return Date.now() - t;
}

/** The main thread is free: frames keep coming, evaluate answers quickly, a tab reacts at once. */
async function assertResponsive(page, what) {
  const n = await frames(page);
  assert.ok(n >= 12, `${what}: ${n} frames in 600 ms`);
  const ms = await roundTrip(page);
  assert.ok(ms < 300, `${what}: evaluate answered in ${ms} ms`);
  const mode = (await page.isChecked('#mode-change')) ? '#mode-values' : '#mode-change';
  const t = Date.now();
  await page.click(`label[for="${mode.slice(1)}"]`);
  assert.equal(await page.isChecked(mode), true, `${what}: the chart's mode switch reacts`);
  assert.ok(Date.now() - t < 1000, `${what}: the click took ${Date.now() - t} ms`);
}

async function waitRestored(page) {
  await page.waitForSelector('body:not([data-restoring])', { timeout: 120_000 });
  await settled(page);
}

describe('the Web Worker: responsive page, progress and cancel', { timeout: 12 * TIMEOUT }, () => {
  let demo;
  let page;

  before(async () => {
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 3 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('trains on the full Adult file in the worker: progress with iterations, the page keeps answering', { timeout: 3 * TIMEOUT }, async () => {
    await page.check('#dataset-adult');
    await loaded(page, 2);
    // On a fast machine the fit can end before the bar appears (250 ms): slow the CPU until the
    // bar shows an iteration, so the test sees the progress it is about.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    try {
      await page.click('#load-full');
      await page.waitForSelector('#activity:not([hidden])[data-iteration]', { timeout: 120_000 });
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
    assert.match(await page.textContent('#activity-label'), /^Training on UCI Adult \(full\)/);
    assert.match(await page.textContent('#activity-text'), /Newton iteration \d+ · ‖∇L‖ = \S+/);
    await assertResponsive(page, 'while training');
    await loaded(page, 3, 180_000);
    assert.match(await page.textContent('#data-line'), /UCI Adult \(all 32,561 rows\)/);
    assert.equal(await page.isHidden('#activity'), true, 'the bar goes away when the work is done');
  });

  it('cancels a long comparison: the page stays usable and the previous results stay', { timeout: 5 * TIMEOUT }, async () => {
    // A first, small comparison: the results to keep.
    await page.fill('#remove-rows', '3');
    await unlearnAndWait(page, (await comparisons(page)) + 1);
    const count = await comparisons(page);
    const table = await page.innerHTML('#results tbody');
    const rows = await readTable(page);
    assert.equal(rows.length, 5);
    const modelLine = await page.textContent('#model-line');

    // A long one: a new λ (the model retrains, with progress), then every method on a request
    // that changes every row.
    for (const name of ['sex', 'race', 'marital-status']) await page.check(`#feature-groups input[data-name="${name}"]`);
    for (const box of await page.$$('.method-picker input[type="checkbox"]')) await box.check();
    await page.fill('#l2', '3');
    await page.click('#unlearn');
    await page.waitForSelector('#activity:not([hidden])[data-iteration]', { timeout: 60_000 });
    assert.match(await page.textContent('#activity-text'), /Newton iteration \d+/);
    await assertResponsive(page, 'while comparing');
    await page.click('#activity-cancel');
    await page.waitForFunction(() => /Cancelled/.test(document.getElementById('status').textContent), null, { timeout: 10_000 });
    assert.match(await page.textContent('#status'), /Cancelled — nothing was changed \(λ is back to 1\): the previous model and results stay\./);
    assert.equal(await comparisons(page), count, 'no comparison was added');
    assert.equal(await page.innerHTML('#results tbody'), table, 'the previous results stay');
    assert.equal(await page.textContent('#model-line'), modelLine, 'the previous model stays');
    assert.equal(await page.inputValue('#l2'), '1');
    await assertResponsive(page, 'after the cancel');

    // The fresh worker rebuilt the model: the page computes again, with the same numbers as before.
    await waitRestored(page);
    for (const box of await page.$$('.method-picker input[type="checkbox"]')) await box.uncheck();
    await page.click('#clear-features');
    await unlearnAndWait(page, count + 1);
    const again = await readTable(page);
    for (const [i, row] of again.entries()) {
      for (const key of ['distanceToRetrain', 'residual', 'accuracy', 'logLoss', 'agreement']) {
        assert.equal(row.cells[key], rows[i].cells[key], `${row.method}.${key} as before the cancel`);
      }
    }
  });

  it('traces the hedging path in the worker: progress per ε, the page keeps answering', { timeout: 4 * TIMEOUT }, async () => {
    await page.check('#feature-groups input[data-name="sex"]');
    await unlearnAndWait(page, (await comparisons(page)) + 1);
    await page.click('#tab-path');
    await page.waitForSelector('#activity:not([hidden])[data-step]', { timeout: 60_000 });
    assert.match(await page.textContent('#activity-label'), /^Tracing the hedging path/);
    assert.match(await page.textContent('#activity-text'), /ε = [01]\.\d\d \(\d+ of 21\) · Newton iteration \d+ · ‖∇L‖ = \S+/);
    const n = await frames(page);
    assert.ok(n >= 12, `while tracing the path: ${n} frames in 600 ms`);
    const ms = await roundTrip(page);
    assert.ok(ms < 300, `while tracing the path: evaluate answered in ${ms} ms`);
    await page.waitForSelector('#panel-path[data-ready="true"]', { timeout: 3 * TIMEOUT });
    await settled(page);
    await page.click('#tab-compare');
    await page.click('#clear-features');
  });

  it('cancels training a dataset: the page still uses the previous one', { timeout: 3 * TIMEOUT }, async () => {
    await page.check('#dataset-breast-cancer');
    await loaded(page, 4);
    await page.check('#dataset-adult');
    await loaded(page, 5);
    // A certified model with secret noise and one request, to be rebuilt after the cancel.
    await page.fill('#cert-seed', '');
    await page.click('#cert-start');
    await page.waitForSelector('#certified[data-started="1"]', { timeout: 60_000 });
    await page.fill('#remove-rows', '3, 4');
    await page.click('#cert-apply');
    await page.waitForSelector('#certified[data-requests="1"]', { timeout: 60_000 });
    await settled(page);
    const residual = () => page.getAttribute('#cert-log td[data-key="residual"]', 'data-value');
    const before = await residual();
    await page.fill('#remove-rows', '');

    await page.click('#load-full');
    await page.waitForSelector('#activity:not([hidden])', { timeout: 120_000 });
    await page.click('#activity-cancel');
    await page.waitForFunction(() => /Cancelled — the page still uses UCI Adult/.test(document.getElementById('data-status').textContent), null, { timeout: 10_000 });
    await waitRestored(page);
    // Secret noise cannot be replayed: the rebuilt model drew a fresh b, and the log says so.
    await page.waitForFunction(() => /rebuilt after the cancel with fresh secret noise/.test(document.getElementById('cert-status').textContent), null, { timeout: 60_000 });
    assert.equal(await page.getAttribute('#certified', 'data-requests'), '1', 'the request was applied again');
    assert.notEqual(await residual(), before, 'the log shows the new certificate');
    assert.match(await page.textContent('#cert-log td[data-key="certified"]'), /✓ certified/);
    assert.match(await page.textContent('#data-line'), /UCI Adult \(2,000-row sample\)/);
    await page.fill('#remove-rows', '3');
    await unlearnAndWait(page, (await comparisons(page)) + 1);
    assert.equal((await readTable(page)).length, 5, 'the sample still compares');
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
