// The built-in UCI Adult sample and handwritten digits in headless Chromium: the Adult story
// forgets the sensitive columns (sex, race, marital-status) as groups and shows the accuracy
// before and after; the digits train a 10-class model, repair mislabeled images by unlearning
// and draw the weights as 8×8 images — each table checked against the wasm API called directly
// in Node. Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/toolchain.mjs';
import {
  assertPrivateAndClean,
  assertTableMatches,
  comparisons,
  compareInNode,
  encodeInNode,
  loaded,
  loadWasm,
  openDemo,
  readTable,
  readTheta,
  TIMEOUT,
} from './helpers.mjs';

const read = (name) => readFileSync(join(ROOT, 'www', 'data', name), 'utf8');

describe('built-in datasets: UCI Adult and handwritten digits', { timeout: 12 * TIMEOUT }, () => {
  let demo;
  let page;
  let wasm;
  let DATASETS;

  before(async () => {
    wasm = await loadWasm();
    ({ DATASETS } = await import(join(ROOT, 'www', 'data.js')));
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 5 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('loads the Adult sample: categorical groups, missing values imputed, and a note on the sample', { timeout: TIMEOUT }, async () => {
    await page.check('#dataset-adult');
    await loaded(page, 2);
    assert.match(await page.textContent('#dataset-about'), /stratified sample of 2,000 of the 32,561 rows/);
    assert.match(await page.textContent('#load-full'), /Load all 32,561 rows/);
    assert.match(await page.textContent('#setup-fold summary'), /label “income” \(label 1 = >50K\) · 6 numeric and 8 categorical columns → 100 features · 250 missing cells: imputed/);
    assert.match(await page.textContent('#data-line'), /UCI Adult.*1600 train \/ 400 test \/ d = 100.*label 1 = >50K · label 0 = <=50K/);
    const groups = await page.$$eval('#feature-groups input', (boxes) => boxes.map((b) => b.dataset.name));
    assert.equal(groups.length, 14, 'one entry per original column');
    assert.ok(['sex', 'race', 'marital-status', 'workclass'].every((g) => groups.includes(g)));
    assert.equal(await page.isDisabled('#cert-start'), false, 'two classes: the certified panel works');
  });

  it('runs the story “forget sensitive attributes”: accuracy before and after, matching the direct computation', { timeout: TIMEOUT }, async () => {
    const count = await comparisons(page);
    await page.click('#story-sensitive');
    await page.waitForSelector(`body[data-comparisons="${count + 1}"]`, { timeout: 120_000 });
    await page.waitForSelector('body:not([data-busy])');
    const checked = await page.$$eval('#feature-groups input:checked', (boxes) => boxes.map((b) => b.dataset.name));
    assert.deepEqual(checked.sort(), ['marital-status', 'race', 'sex']);

    const source = { ...DATASETS.adult, builtIn: true };
    const adult = await encodeInNode(wasm, read('adult.csv'), source);
    const columns = adult.groups.filter((g) => ['sex', 'race', 'marital-status'].includes(g.name)).flatMap((g) => g.columns).sort((a, b) => a - b);
    assert.equal(columns.length, 2 + 5 + 7);
    const { comparison, report } = compareInNode(wasm, adult, { features: columns, featureValue: 0 });
    assertTableMatches(await readTable(page), comparison);

    const accuracy = await page.$$eval('#accuracy-line [data-key]', (nodes) => Object.fromEntries(nodes.map((n) => [n.dataset.key, Number(n.dataset.value)])));
    assert.equal(accuracy.before, report.testAccuracy, 'before: the trained model');
    assert.equal(accuracy.second_order, comparison.methods.find((m) => m.method === 'second_order').accuracy);
    assert.equal(accuracy.retrain, comparison.methods.find((m) => m.method === 'retrain').accuracy);
    assert.match(await page.textContent('#accuracy-line'), /^Test accuracy: before \d+\.\d\s%.*→ after second-order \d+\.\d\s%, retrained \d+\.\d\s%$/);
    const theta = await readTheta(page);
    const forgotten = theta.filter((r) => r.label.startsWith('✕ '));
    assert.equal(forgotten.length, columns.length);
    assert.ok(forgotten.every((r) => Math.abs(r.values.second_order) <= 1e-9), 'the forgotten groups weigh 0 after the update');
    assert.ok(forgotten.every((r) => /^✕ (sex|race|marital-status) = /.test(r.label)));
  });

  it('trains a 10-class model on the digits; the certified panel says it is for two classes', { timeout: TIMEOUT }, async () => {
    await page.check('#dataset-digits');
    await loaded(page, 3);
    assert.equal(await page.getAttribute('body', 'data-classes'), '10');
    assert.match(await page.textContent('#data-line'), /1438 train \/ 359 test \/ d = 61.*10 classes \(0, 1, 2, 3, 4, 5, 6, 7, 8, 9\): multinomial model/);
    assert.equal(await page.isDisabled('#cert-start'), true);
    assert.match(await page.textContent('#cert-binary'), /for two classes only.*Handwritten digits has 10 classes/);
    assert.equal(await page.locator('#feature-groups .pixel input').count(), 61, 'a pixel grid without the three constant pixels');
    assert.equal(await page.locator('#feature-groups .pixel--unused').count(), 3);
    assert.equal(await page.isVisible('#chart-class'), true, 'a class picker for the weights');
    assert.equal(await page.locator('#image-grid canvas').count(), 10, 'the original weights as images before any comparison');
  });

  it('runs the story “forget mislabeled images”: poison, then repair by unlearning, and draws the 8×8 images', { timeout: 2 * TIMEOUT }, async () => {
    const count = await comparisons(page);
    await page.fill('#seed', '5');
    await page.click('#story-mislabeled');
    await page.waitForSelector(`body[data-comparisons="${count + 1}"]`, { timeout: 180_000 });
    await page.waitForSelector('body:not([data-busy])');
    const chips = await page.$$eval('#relabel-list li', (items) =>
      items.map((li) => ({ row: Number(li.dataset.row), from: Number(li.dataset.from), to: Number(li.dataset.to) })),
    );
    assert.equal(chips.length, 20);
    assert.ok(chips.every((c) => c.from !== c.to && c.from >= 0 && c.from < 10), 'each poisoned label is another digit');
    assert.match(await page.textContent('#dataset-line'), /trained on 20 poisoned labels/);

    const digits = await encodeInNode(wasm, read('digits.csv'), { ...DATASETS.digits, builtIn: true });
    const { comparison, trainRows } = compareInNode(wasm, digits, { relabel: chips.map((c) => [c.row, c.to]) }, {
      poison: chips.map((c) => [c.row, c.from]),
    });
    for (const c of chips) assert.equal(c.to, digits.y[trainRows[c.row]], 'unlearning restores the true digit');
    const table = await readTable(page);
    assertTableMatches(table, comparison);
    const get = (m) => table.find((r) => r.method === m).cells;
    assert.ok(get('second_order').distanceToRetrain < get('lazy').distanceToRetrain, 'the repair moves towards retraining');

    // The weights of class 3 in the chart's table are the direct ones.
    await page.selectOption('#chart-class', '3');
    const theta = await readTheta(page);
    assert.equal(theta.length, 62);
    const second = comparison.methods.find((m) => m.method === 'second_order').theta;
    theta.slice(0, 61).forEach((row, j) => assert.equal(row.values.second_order, second[3 * 61 + j], `class 3 weight ${j}`));
    assert.equal(theta[61].values.second_order, second[10 * 61 + 3], 'class 3 intercept');

    // 3 models × 10 classes of 8×8 images, painted.
    assert.equal(await page.getAttribute('#image-grid', 'data-images'), '30');
    const painted = await page.$$eval('#image-grid canvas', (canvases) =>
      canvases.map((canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 2]) coloured += 1;
        return { method: canvas.dataset.method, digit: canvas.dataset.class, size: [canvas.width, canvas.height], coloured };
      }),
    );
    assert.equal(painted.length, 30);
    assert.deepEqual([...new Set(painted.map((p) => p.method))], ['lazy', 'second_order', 'retrain']);
    assert.ok(painted.every((p) => p.size[0] === 64 && p.size[1] === 64), '8×8 cells of 8 px');
    assert.ok(painted.every((p) => p.coloured > 200), 'every image shows its weights');
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
