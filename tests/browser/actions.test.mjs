// The page's control flow and its honesty about bad numbers, in headless Chromium: actions are
// applied in order with the current state (none dropped), number fields say what is wrong,
// the row pickers never ask for more rows than exist, the model line matches the trained model,
// failed or meaningless methods are reported, and the method picker adds variants that match
// the native core. Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertClose,
  assertPrivateAndClean,
  buildNative,
  COMPARED_KEYS,
  comparisons,
  openDemo,
  readTable,
  runNative,
  settled,
  TIMEOUT,
  unlearnAndWait,
} from './helpers.mjs';

/** Waits a little longer than any action takes, then checks nothing else was compared. */
async function assertNoMoreComparisons(page, count) {
  await page.waitForTimeout(400);
  await settled(page);
  assert.equal(await comparisons(page), count, `exactly ${count} comparisons`);
}

function assertRowsMatch(table, native, methods) {
  for (const method of methods) {
    const row = table.find((r) => r.method === method);
    const reference = native.methods.find((m) => m.method === method);
    assert.ok(row, `a row for ${method}`);
    assert.ok(reference, `native has ${method}`);
    for (const key of COMPARED_KEYS) assertClose(row.cells[key], reference[key], `${method}.${key}`);
  }
}

describe('control flow and results', { timeout: 12 * TIMEOUT }, () => {
  let demo;
  let page;

  before(async () => {
    buildNative();
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 5 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('applies an Unlearn pressed right after typing λ: retrains with the new λ, compares once', { timeout: TIMEOUT }, async () => {
    // No results yet: the λ change retrains, the click compares.
    await page.check('#feature-3');
    await page.fill('#l2', '2');
    await page.click('#unlearn'); // the press blurs λ: its change and the click both count
    await page.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 1);
    assert.match(await page.textContent('#model-line [data-key="l2"]'), /λ = 2$/);
    assertRowsMatch(await readTable(page), runNative({ features: [3] }, { l2: 2 }), ['lazy', 'second_order', 'retrain']);

    // With results: a newly checked feature and a new λ, then one click.
    await page.check('#feature-7');
    await page.fill('#l2', '0.5');
    await page.click('#unlearn');
    await page.waitForSelector('body[data-comparisons="2"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 2);
    assert.match(await page.textContent('#model-line [data-key="l2"]'), /λ = 0.5$/);
    assertRowsMatch(await readTable(page), runNative({ features: [3, 7] }, { l2: 0.5 }), [
      'lazy',
      'first_order',
      'second_order',
      'retrain',
    ]);
    assert.match(await page.textContent('#theta-table tbody tr:nth-child(8) th'), /^✕ /, 'feature 7 is marked as forgotten');
    assert.equal((await page.textContent('#alert')).trim(), '');
  });

  it('never drops an action: τ typed while a comparison runs is applied after it, and says so', { timeout: TIMEOUT }, async () => {
    await page.fill('#relabel-rows', '12, 80');
    await page.click('#unlearn'); // starts a comparison…
    await page.fill('#tau', '0.01'); // …and τ changes while it runs
    await page.press('#tau', 'Tab');
    await page.waitForSelector('body[data-comparisons="4"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 4);
    assert.equal(await page.inputValue('#tau'), '0.01', 'τ keeps what was typed');
    const status = await page.textContent('#status');
    assert.match(status, /Compared the current selection again with τ = 0\.01; the model \(λ = 0\.5\) was not retrained\./);
    assert.doesNotMatch(status, /Retrained/);
    const relabel = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => [Number(li.dataset.row), Number(li.dataset.to)]),
    );
    const native = runNative({ features: [3, 7], relabel }, { l2: 0.5, tau: 0.01 });
    assertRowsMatch(await readTable(page), native, ['first_order', 'second_order', 'retrain']);
  });

  it('says which number is wrong instead of calling a field empty', { timeout: TIMEOUT }, async () => {
    const cases = [
      ['1e400', /λ: “1e400” is not a finite number\./],
      ['--1', /λ: “--1” is not a number\./],
      ['e', /λ: “e” is not a number\./],
    ];
    for (const [text, message] of cases) {
      await page.fill('#l2', text);
      await page.press('#l2', 'Tab');
      const error = await page.textContent('#l2-error');
      assert.match(error, message);
      assert.doesNotMatch(error, /empty/);
      assert.equal(await page.getAttribute('#l2', 'aria-invalid'), 'true');
    }
    await page.fill('#tau', '1e400');
    await page.click('#unlearn');
    assert.match(await page.textContent('#alert'), /τ: “1e400” is not a finite number/);
    await page.fill('#l2', '0.5');
    await page.fill('#tau', '0.01');
    await page.press('#tau', 'Tab');
    await settled(page);
    assert.equal(await page.getAttribute('#l2', 'aria-invalid'), null);
    assert.equal(await comparisons(page), 4, 'nothing ran for the bad values');
  });

  it('never asks for more rows than are left to pick', { timeout: TIMEOUT }, async () => {
    await page.fill('#flip-k', '455');
    await page.click('#flip-random');
    assert.equal((await page.inputValue('#relabel-rows')).split(',').length, 455);
    await page.fill('#remove-k', '1');
    await page.click('#remove-random');
    const error = await page.textContent('#remove-k-error');
    assert.match(error, /every training row is already selected to relabel/);
    assert.doesNotMatch(error, /from 1 to -1/);
    assert.doesNotMatch(await page.textContent('#alert'), /went wrong/);

    await page.fill('#relabel-rows', [...Array(450).keys()].join(', '));
    await page.fill('#remove-k', '10');
    await page.click('#remove-random');
    assert.match(await page.textContent('#remove-k-error'), /from 1 to 5\b.*450 rows are selected to relabel/);
    await page.fill('#remove-k', '5');
    await page.click('#remove-random');
    assert.equal(await page.inputValue('#remove-rows'), '450, 451, 452, 453, 454');
    assert.equal(await page.getAttribute('#remove-k', 'aria-invalid'), null);
    await page.fill('#relabel-rows', '');
    await page.fill('#remove-rows', '');
  });

  it('describes the model it trained, whatever the poison box says now', { timeout: TIMEOUT }, async () => {
    await page.fill('#relabel-rows', '5, 17, 40');
    await page.check('#poison');
    await unlearnAndWait(page, 5);
    assert.match(await page.textContent('#dataset-line'), /trained on 3 poisoned labels/);
    assert.equal(await page.isHidden('#poison-state'), true, 'box and model agree');

    await page.uncheck('#poison');
    assert.match(await page.textContent('#dataset-line'), /trained on 3 poisoned labels/, 'still the trained model');
    assert.match(await page.textContent('#poison-state'), /current model is trained on 3 poisoned labels; the next Unlearn retrains it on the true labels/);
    const chips = await page.$$eval('#relabel-list li', (items) => items.map((li) => [li.dataset.from, li.dataset.to]));
    assert.ok(chips.every(([from, to]) => from !== to));

    await page.fill('#l2', '1');
    await page.press('#l2', 'Tab');
    await page.waitForSelector('body[data-comparisons="6"]', { timeout: 60_000 });
    await settled(page);
    assert.doesNotMatch(await page.textContent('#dataset-line'), /poisoned/);
    assert.equal(await page.isHidden('#poison-state'), true);
    assert.match(await page.textContent('#status'), /^Retrained with λ = 1 and compared the current selection/);
  });

  it('reports failed and meaningless methods instead of plotting them (λ = 1e-6, every feature forgotten)', { timeout: TIMEOUT }, async () => {
    await page.fill('#relabel-rows', '');
    for (let j = 0; j < 30; j += 1) await page.check(`#feature-${j}`);
    await page.check('#method-hessian_on_d');
    // λ = 0: these 455 rows are separable, so there is no model to unlearn from; nothing changes.
    await page.fill('#l2', '0');
    await page.click('#unlearn');
    await page.waitForFunction(() => /no finite optimum/.test(document.getElementById('alert').textContent), null, { timeout: 60_000 });
    await settled(page);
    assert.match(await page.textContent('#alert'), /all 455 training rows lie strictly on their class's side of a hyperplane.*use λ > 0/);
    assert.equal(await page.getAttribute('body', 'data-comparisons'), '6', 'no comparison was added');
    await page.fill('#l2', '1e-6');
    await unlearnAndWait(page, 7);
    const table = await readTable(page);
    const second = table.find((r) => r.method === 'second_order');
    assert.match(second.error, /^failed: .*numerically singular.*flattest along the intercept/);
    assert.equal(second.status, 'failed');
    assert.deepEqual(second.cells, {}, 'no numbers for a failed method');
    assert.equal(await page.getAttribute('tr[data-method="second_order"] td.failed', 'colspan'), '7');
    const hessian = table.find((r) => r.method === 'hessian_on_d');
    assert.equal(hessian.status, 'absurd', 'parameters of ~1e17 are flagged');
    assert.equal(await page.isVisible('#warnings'), true);
    const warnings = await page.textContent('#warnings');
    assert.match(warnings, /Hessian on D θ\*−H⁻¹G: its parameters reach/);
    assert.match(warnings, /failed; the table says why/);
    const note = await page.textContent('#chart-note');
    assert.match(note, /Second-order θ\*−H̃⁻¹G \(failed\)/);
    assert.match(note, /Hessian on D θ\*−H⁻¹G \(parameters far out of range\)/);
    const series = await page.$$eval('#theta-table thead th', (cells) => cells.slice(1).map((c) => c.textContent));
    assert.deepEqual(series, ['Original θ*', 'First-order', 'Retrained'], 'failed and absurd series are not drawn');
    assert.equal(table.find((r) => r.method === 'retrain').cells.distanceToRetrain, 0);

    // The page still works.
    await page.click('#clear-features');
    await page.uncheck('#method-hessian_on_d');
    await page.check('#feature-0');
    await page.fill('#l2', '1');
    await page.press('#l2', 'Tab');
    await page.waitForSelector('body[data-comparisons="8"]', { timeout: 60_000 });
    await settled(page);
    const again = await readTable(page);
    assert.ok(again.every((r) => r.status === 'ok'), 'every method has numbers again');
    assert.equal(await page.isHidden('#warnings'), true);
    assert.equal(await page.isHidden('#chart-note'), true);
  });

  it('adds the chosen variants: Hessian on D and exact match the native core, exact equals retraining', { timeout: TIMEOUT }, async () => {
    await page.check('#method-hessian_on_d');
    await page.check('#method-exact');
    await page.fill('#relabel-rows', '12, 80, 311');
    await page.fill('#remove-rows', '3, 42');
    await unlearnAndWait(page, 9);
    const table = await readTable(page);
    const methods = ['lazy', 'first_order', 'second_order', 'hessian_on_d', 'exact', 'retrain_warm', 'retrain'];
    assert.deepEqual(table.map((r) => r.method), methods, 'variants in report order');
    const relabel = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => [Number(li.dataset.row), Number(li.dataset.to)]),
    );
    const native = runNative({ features: [0], relabel, remove: [3, 42] }, { l2: 1, tau: 0.01, methods });
    assertRowsMatch(table, native, methods);
    const exact = table.find((r) => r.method === 'exact').cells;
    const retrain = table.find((r) => r.method === 'retrain').cells;
    assert.ok(exact.distanceToRetrain <= 1e-8, `exact is ${exact.distanceToRetrain} from retraining`);
    for (const key of ['accuracy', 'agreement']) assert.equal(exact[key], retrain[key], key);
    assert.ok(Math.abs(exact.logLoss - retrain.logLoss) <= 1e-8);
    const notes = await page.$$eval('#results tbody .method__note', (nodes) => nodes.map((n) => n.textContent));
    assert.equal(notes.length, methods.length);
    assert.ok(notes.every((n) => n.length > 8), 'every row explains its method');
    const series = await page.$$eval('#theta-table thead th', (cells) => cells.slice(1).map((c) => c.textContent));
    assert.deepEqual(series, ['Original θ*', 'First-order', 'Second-order', 'Hessian on D', 'Exact (refined)', 'Retrained']);

    // Stepwise variants use k from the field.
    await page.uncheck('#method-hessian_on_d');
    await page.uncheck('#method-exact');
    await page.check('#method-second_order_stepwise');
    await page.fill('#steps', '4');
    await unlearnAndWait(page, 10);
    const stepwise = (await readTable(page)).find((r) => r.method === 'second_order_stepwise');
    const nativeSteps = runNative({ features: [0], relabel, remove: [3, 42] }, {
      l2: 1,
      tau: 0.01,
      methods: ['second_order_stepwise'],
      steps: 4,
    });
    assertRowsMatch([stepwise], nativeSteps, ['second_order_stepwise']);
    assert.equal(await page.textContent('tr[data-method="second_order_stepwise"] .method__name'), 'Second-order in 4 steps');
  });

  it('applies λ typed and confirmed with Enter once: retrain and compare', { timeout: TIMEOUT }, async () => {
    await page.fill('#l2', '2');
    await page.press('#l2', 'Enter'); // submits the form (and may fire change first)
    await page.waitForSelector('body[data-comparisons="11"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 11);
    await page.press('#l2', 'Tab'); // leaving the field changes nothing more
    await assertNoMoreComparisons(page, 11);
    assert.match(await page.textContent('#model-line [data-key="l2"]'), /λ = 2$/);
    assert.match(await page.textContent('#status'), /^Retrained with λ = 2/);
  });

  it('keeps the Unlearn bar opaque over the results', { timeout: TIMEOUT }, async () => {
    const background = await page.$eval('.actions', (bar) => getComputedStyle(bar).backgroundColor);
    const [, r, g, b, a = '1'] = background.match(/rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/);
    assert.deepEqual([r, g, b, Number(a)], ['255', '255', '255', 1], `background ${background}`);
    // Scroll the table under the sticky bar: the bar is painted on top of it.
    await page.$eval('#shift-chart', (c) => c.scrollIntoView({ block: 'start' }));
    const hit = await page.evaluate(() => {
      const bar = document.querySelector('.actions').getBoundingClientRect();
      const el = document.elementFromPoint(bar.right - 8, bar.top + bar.height / 2);
      return { top: bar.top, inBar: Boolean(el && el.closest('.actions')) };
    });
    assert.equal(hit.top, 0, 'the bar is stuck to the top');
    assert.ok(hit.inBar, 'the bar, not the content behind it, is on top');
  });

  it('works at 380 px and with the keyboard; a blur never moves the button from under a press', { timeout: TIMEOUT }, async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    await page.waitForTimeout(300); // the chart follows its box on the next frames
    const { overflow, wide } = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      // Wide tables scroll inside their own box; nothing else may stick out.
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.table-wrap'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`),
    }));
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide: ${wide.join(', ')})`);
    await page.focus('#remove-rows');
    await page.fill('#remove-rows', '7');
    await page.keyboard.press('Enter'); // submits the form: one comparison
    await page.waitForSelector('body[data-comparisons="12"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 12);

    // One column: λ's message sits above the Unlearn button. Fixing λ and pressing Unlearn
    // removes the message (the blur) — the button must not move away from under the press.
    // (A tall viewport at the top of the page, so that scroll anchoring cannot hide a shift.)
    await page.setViewportSize({ width: 380, height: 3800 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.fill('#l2', 'x');
    await page.press('#l2', 'Tab');
    assert.equal(await page.isVisible('#l2-error'), true);
    await page.fill('#l2', '2'); // the model's λ: only the click can compare
    await page.click('#unlearn');
    await page.waitForSelector('body[data-comparisons="13"]', { timeout: 60_000 });
    await assertNoMoreComparisons(page, 13);
    assert.equal(await page.isHidden('#l2-error'), true);
    assert.match(await page.textContent('#model-line [data-key="l2"]'), /λ = 2$/);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
