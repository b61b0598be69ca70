// "Your own data" in headless Chromium: a CSV file read with the File API (Playwright's
// setInputFiles with a buffer written here), its label picked, a categorical column forgotten
// as a group and rows moved to another category — each checked against the wasm API called
// directly in Node on the same encoded table; bad cells listed and nothing trained until a
// policy is chosen; failures that keep the previous model. Run `npm run build` first, then
// `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertPrivateAndClean,
  assertTableMatches,
  comparisons,
  compareInNode,
  dropCsv,
  encodeInNode,
  loaded,
  loads,
  loadWasm,
  openDemo,
  readTable,
  readTheta,
  settled,
  splitTrainRows,
  TIMEOUT,
  unlearnAndWait,
  uploadCsv,
} from './helpers.mjs';

/** A reproducible stream of numbers in [0, 1). */
function stream(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * 80 rows: the label first (so the default, the last column, is wrong), a numeric column, a
 * categorical one and a decimal one. The label depends on all three, noisily.
 */
function shopCsv() {
  const random = stream(7);
  const colours = ['red', 'green', 'blue'];
  const lines = ['outcome,size,colour,weight'];
  for (let i = 0; i < 80; i += 1) {
    const size = Math.round(10 + 30 * random());
    const colour = colours[Math.floor(random() * 3)];
    const weight = (1 + 4 * random()).toFixed(3);
    const score = 0.08 * (size - 25) + (colour === 'red' ? 1 : colour === 'blue' ? -1 : 0) - 0.5 * (weight - 3) + 1.2 * (random() - 0.5);
    lines.push(`${score > 0 ? 'yes' : 'no'},${size},${colour},${weight}`);
  }
  return `${lines.join('\n')}\n`;
}

const SHOP = shopCsv();
const SHOP_SOURCE = { id: 'upload', name: 'shop.csv', short: 'shop.csv', fileName: 'shop.csv', builtIn: false };
const SHOP_SETUP = (setup) => ({
  ...setup,
  label: 0,
  roles: setup.roles.map((role, j) => (j === 0 ? 'label' : role === 'label' ? 'numeric' : role)),
  positive: 'yes',
});

describe('your own data: upload, categorical groups, bad cells', { timeout: 12 * TIMEOUT }, () => {
  let demo;
  let page;
  let wasm;
  let shop; // the shop table as the page encodes it, made in Node

  before(async () => {
    wasm = await loadWasm();
    shop = await encodeInNode(wasm, SHOP, SHOP_SOURCE, SHOP_SETUP);
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 5 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('reads a CSV on the device, picks the label and the positive class, and trains on it', { timeout: TIMEOUT }, async () => {
    assert.equal(await loads(page), 1);
    await uploadCsv(page, 'shop.csv', SHOP);
    // The last column is the default label: 80 different weights are no classes.
    assert.equal(await page.getAttribute('#setup', 'data-ready'), 'false');
    assert.match(await page.textContent('#setup-errors'), /“weight” has 80 different values; at most 50 classes/);
    assert.equal(await page.isDisabled('#setup-train'), true);
    assert.match(await page.textContent('#setup-summary'), /shop\.csv · 80 rows × 4 columns · comma-separated · decimal point · header on line 1/);

    // The header toggle overrides the detection, and back.
    await page.uncheck('#setup-header');
    assert.match(await page.textContent('#setup-summary'), /81 rows × 4 columns .* no header row/);
    assert.equal(await page.textContent('#setup-label option[value="0"]'), 'column 1');
    await page.check('#setup-header');
    assert.match(await page.textContent('#setup-summary'), /80 rows × 4 columns/);

    await page.selectOption('#setup-label', '0');
    assert.equal(await page.getAttribute('#setup', 'data-ready'), 'true');
    assert.equal(await page.inputValue('#setup-positive'), 'yes', 'the last class in order is positive by default');
    assert.match(await page.textContent('#setup-classes'), /label 1 = yes · label 0 = no/);
    assert.equal(await page.inputValue('#role-2'), 'categorical', 'colour is detected as categorical');
    assert.equal(await page.inputValue('#role-3'), 'numeric', 'the old label is a feature again');
    assert.match(await page.textContent('#setup-columns-details summary'), /2 numeric, 1 categorical, 0 ignored, 1 label → 5 encoded features/);
    assert.equal(await loads(page), 1, 'nothing trains before the button');

    await page.click('#setup-train');
    await loaded(page, 2);
    assert.match(await page.textContent('#data-line'), /shop\.csv/);
    assert.match(await page.textContent('#data-line'), /label 1 = yes · label 0 = no/);
    assert.match(await page.textContent('#data-status'), /Now using shop\.csv: 64 train \/ 16 test rows, d = 5/);
    const groups = await page.$$eval('#feature-groups input', (boxes) => boxes.map((b) => [b.dataset.name, b.dataset.columns]));
    assert.deepEqual(groups, [['size', '0'], ['weight', '4'], ['colour', '1,2,3']], 'one entry per original column');
    assert.deepEqual(shop.featureNames, ['size', 'colour = blue', 'colour = green', 'colour = red', 'weight']);
    assert.equal(await page.isHidden('#move'), false, 'rows can be moved between categories');
  });

  it('forgets the categorical group: its weights become 0 after the second-order update, and the table matches', { timeout: TIMEOUT }, async () => {
    const before = await comparisons(page);
    await page.check('#feature-groups input[data-name="colour"]');
    await unlearnAndWait(page, before + 1);
    const { comparison } = compareInNode(wasm, shop, { features: [1, 2, 3], featureValue: 0 });
    assertTableMatches(await readTable(page), comparison);

    const theta = await readTheta(page);
    assert.deepEqual(theta.map((r) => r.label), ['size', '✕ colour = blue', '✕ colour = green', '✕ colour = red', 'weight', 'intercept']);
    for (const row of theta.filter((r) => r.label.startsWith('✕'))) {
      // Exactly ∂ⱼL(θ*)/λ: zero up to the training tolerance.
      assert.ok(Math.abs(row.values.second_order) <= 1e-9, `${row.label}: second-order weight ${row.values.second_order}`);
      assert.ok(Math.abs(row.values.retrain) <= 1e-9, `${row.label}: retrained weight ${row.values.retrain}`);
      assert.ok(Math.abs(row.values.lazy) > 1e-3, `${row.label} had a weight before`);
    }
    const second = comparison.methods.find((m) => m.method === 'second_order').theta;
    for (const j of [1, 2, 3]) assert.equal(theta[j].values.second_order, second[j], 'the page shows the direct θ');
    const retrain = (await readTable(page)).find((r) => r.method === 'retrain').cells;
    assert.equal(retrain.distanceToRetrain, 0);
    assert.match(await page.textContent('#accuracy-line'), /Test accuracy: before .* → after second-order .*, retrained/);
  });

  it('moves rows to another category (cells), checked against the direct computation', { timeout: TIMEOUT }, async () => {
    await page.uncheck('#feature-groups input[data-name="colour"]');
    await page.selectOption('#move-group', { label: 'colour' });
    await page.selectOption('#move-target', { label: 'green' });
    await page.fill('#move-k', '4');
    await page.fill('#seed', '11');
    await page.click('#move-random');
    const moves = await page.$$eval('#move-list li', (items) =>
      items.map((li) => ({ row: Number(li.dataset.row), from: Number(li.dataset.from), to: Number(li.dataset.to), text: li.textContent })),
    );
    assert.equal(moves.length, 4);
    for (const m of moves) {
      assert.equal(m.to, 1, 'green is the second category');
      assert.notEqual(m.from, 1, 'no row is green already');
      assert.match(m.text, /^#\d+(blue|red) → green$/);
    }
    const before = await comparisons(page);
    await unlearnAndWait(page, before + 1);
    const columns = [1, 2, 3];
    const cells = moves.flatMap(({ row, from, to }) => [[row, columns[from], 0], [row, columns[to], 1]]);
    const { comparison } = compareInNode(wasm, shop, { cells });
    assertTableMatches(await readTable(page), comparison);
    assert.match(await page.textContent('#affected'), /^4 of 64 training rows affected/);

    // A row already in the target category is named, and nothing runs.
    const green = moves[0].row;
    await page.fill('#move-rows', String(green));
    await page.selectOption('#move-target', { label: ['blue', 'green', 'red'][moves[0].from] });
    await page.click('#unlearn');
    assert.match(await page.textContent('#alert'), new RegExp(`Rows to move: row ${green} is already “(blue|red)”`));
    assert.equal(await comparisons(page), before + 1);
    // Forgetting the whole column and moving rows in it at once is refused too.
    await page.selectOption('#move-target', { label: 'green' });
    await page.check('#feature-groups input[data-name="colour"]');
    await page.click('#unlearn');
    assert.match(await page.textContent('#alert'), /“colour” is checked above, so it is forgotten as a whole/);
    await page.uncheck('#feature-groups input[data-name="colour"]');
    await page.fill('#move-rows', '');
  });

  it('lists every bad cell, trains nothing until a policy is chosen, then applies it', { timeout: TIMEOUT }, async () => {
    const rows = SHOP.trim().split('\n');
    const bad = [...rows];
    bad[3] = 'yes,,red,2.5'; // empty number (line 4)
    bad[5] = 'no,NaN,green,2.5'; // line 6
    bad[7] = 'yes,inf,blue,2.5'; // line 8
    bad[8] = 'no,-inf,blue,2.5'; // line 9
    bad[10] = 'yes,12,red,abc'; // text in a numeric column (line 11)
    bad[12] = 'no,1e400,green,2.5'; // out of range (line 13)
    bad[14] = 'yes,30,,2.5'; // missing category (line 15)
    bad[16] = ',30,red,2.5'; // no label (line 17)
    const text = `${bad.join('\n')}\n\n\n`;
    await uploadCsv(page, 'shop-bad.csv', text);
    await page.selectOption('#setup-label', '0');
    assert.equal(await page.getAttribute('#setup', 'data-ready'), 'false');
    assert.equal(await page.isDisabled('#setup-train'), true, 'nothing trains before a policy');
    assert.match(await page.textContent('#setup-why'), /Choose what to do with the missing and bad cells first/);
    assert.match(await page.textContent('#bad-count'), /^8 missing or bad cells in 8 rows$/);
    const listed = await page.$$eval('#bad-cells tbody tr', (trs) => trs.map((tr) => [Number(tr.dataset.line), tr.dataset.column, tr.querySelector('.setup__why').textContent]));
    assert.deepEqual(listed, [
      [4, 'size', 'empty'],
      [6, 'size', '“NaN” is not a number (NaN)'],
      [8, 'size', '“inf” is infinite'],
      [9, 'size', '“-inf” is infinite'],
      [11, 'weight', '“abc” is text in a numeric column'],
      [13, 'size', '“1e400” is out of range (beyond ±1.8 × 10³⁰⁸)'],
      [15, 'colour', 'empty'],
      [17, 'outcome', 'no label (empty)'],
    ]);
    assert.match(await page.textContent('#setup-summary'), /3 blank lines ignored|blank lines? ignored/);
    assert.match(await page.textContent('label[for="policy-drop"]'), /8 rows dropped, 72 remain/);
    assert.match(
      await page.textContent('label[for="policy-impute"]'),
      /6 numeric cells set to the training mean; 1 categorical cell set to “\(missing\)”; 1 row without a label dropped \(they cannot be imputed\); 79 rows remain/,
    );
    assert.equal(await loads(page), 2, 'nothing was trained');

    // The model in use still works meanwhile.
    const before = await comparisons(page);
    await page.check('#feature-groups input[data-name="size"]');
    await unlearnAndWait(page, before + 1);
    await page.uncheck('#feature-groups input[data-name="size"]');

    await page.check('#policy-drop');
    assert.match(await page.textContent('#policy-effect'), /Policy: drop rows — 8 rows dropped, 72 remain\./);
    assert.equal(await page.isDisabled('#setup-train'), false);
    await page.click('#setup-train');
    await loaded(page, 3);
    assert.match(await page.textContent('#data-line'), /8 rows dropped, 72 remain/);
    assert.match(await page.textContent('#data-status'), /Now using shop-bad\.csv: 58 train \/ 14 test rows/);
  });

  it('refuses a table it cannot train on and keeps the previous data and model', { timeout: TIMEOUT }, async () => {
    const modelLine = await page.textContent('#model-line');
    // One class only (dropped on the page this time).
    await dropCsv(page, 'one-class.csv', 'a,b,label\n1,2,yes\n3,4,yes\n5,6,yes\n7,8,yes\n');
    assert.match(await page.textContent('#setup-errors'), /only one class \(“yes”, 4 rows\); a classifier needs at least two/);
    assert.equal(await page.isDisabled('#setup-train'), true);
    // A header without rows.
    await uploadCsv(page, 'header-only.csv', 'alpha,beta,label\n');
    assert.match(await page.textContent('#setup-errors'), /has a header row \(alpha, beta, label\) but no data rows/);
    // No feature columns.
    await uploadCsv(page, 'label-only.csv', 'label\nyes\nno\nyes\n');
    assert.match(await page.textContent('#setup-errors'), /No feature columns: the file has a single column/);
    // A class that falls only into the test split: the core refuses to train; nothing changes.
    const train = new Set(splitTrainRows(wasm, 30));
    const testRow = [...Array(30).keys()].find((i) => !train.has(i));
    const rare = Array.from({ length: 30 }, (_, i) => `${i},${i === testRow ? 'rare' : i % 2 ? 'a' : 'b'}`);
    await uploadCsv(page, 'rare.csv', `v,label\n${rare.join('\n')}\n`);
    assert.match(await page.textContent('#setup-classes'), /^3 classes: a \(\d+\), b \(\d+\), rare \(1\)/);
    await page.click('#setup-train');
    await settled(page);
    assert.equal(await loads(page), 3, 'still the previous table');
    assert.match(await page.textContent('#data-alert'), /The table was not used — the page still uses shop-bad\.csv: class “rare” has one row, and the seeded 80\/20 split puts it in the test part/);
    assert.equal(await page.textContent('#model-line'), modelLine, 'the model line is unchanged');
    assert.equal(await page.getAttribute('body', 'data-dataset'), 'upload');

    const before = await comparisons(page);
    await page.check('#feature-groups input[data-name="colour"]');
    await unlearnAndWait(page, before + 1);
    assert.equal((await page.textContent('#alert')).trim(), '');
    await page.uncheck('#feature-groups input[data-name="colour"]');
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
