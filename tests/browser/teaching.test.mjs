// The teaching views in headless Chromium: the hedging path starts at θ* and ends at the retrained
// model (the table's numbers), the 2-D playground removes a clicked point and draws the unlearned
// and retrained boundaries with the wasm API's numbers, a link reproduces the view, an exported
// model imports with the same predictions, formulas are typeset with KaTeX from the page's own
// origin, and the page works at phone width with the keyboard. Run `npm run build` first, then
// `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/toolchain.mjs';
import {
  assertPrivateAndClean,
  COMPARED_KEYS,
  comparisons,
  loadWasm,
  openDemo,
  readTable,
  readTheta,
  settled,
  TIMEOUT,
  unlearnAndWait,
} from './helpers.mjs';

function close(actual, expected, tolerance, what) {
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= tolerance,
    `${what}: page ${actual}, expected ${expected} (|Δ| = ${Math.abs(actual - expected)})`,
  );
}

async function pathColumn(page, series) {
  return page.$$eval(`#path-table td[data-series="${series}"]`, (cells) => cells.map((td) => Number(td.dataset.value)));
}

/** The playground's rows as the page shows them: {method: [w1, w2, b]}. */
async function playgroundTheta(page) {
  return page.$$eval('#pg-table tbody tr', (rows) =>
    Object.fromEntries(rows.map((tr) => [tr.dataset.method, ['w1', 'w2', 'b'].map((k) => Number(tr.querySelector(`[data-key="${k}"]`).dataset.value))])),
  );
}

/** Clicks playground point `i` on the canvas, where the page draws it. */
async function clickPoint(page, i) {
  const { x1, x2 } = await page.$eval(`#pg-point option[value="${i}"]`, (o) => ({ x1: Number(o.dataset.x1), x2: Number(o.dataset.x2) }));
  const [min, max] = (await page.getAttribute('#pg-canvas', 'data-domain')).split(',').map(Number);
  const box = await page.locator('#pg-canvas').boundingBox();
  await page.mouse.click(box.x + ((x1 - min) / (max - min)) * box.width, box.y + ((max - x2) / (max - min)) * box.height);
}

/** The training point farthest from its nearest neighbour (a click on it hits only it). */
function loneliest(points) {
  let best = 0;
  let bestGap = -1;
  points.forEach(([a, b], i) => {
    const gap = Math.min(...points.map(([c, d], j) => (j === i ? Infinity : Math.hypot(a - c, b - d))));
    if (gap > bestGap && Math.abs(a) < 3.6 && Math.abs(b) < 3.6) {
      best = i;
      bestGap = gap;
    }
  });
  return best;
}

describe('teaching views: path, playground, links, export/import, KaTeX, phone', { timeout: 16 * TIMEOUT }, () => {
  let demo;
  let page;
  let wasm;

  before(async () => {
    wasm = await loadWasm();
    demo = await openDemo();
    page = demo.page;
    await settled(page);
  }, { timeout: 3 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('typesets the formulas with KaTeX and loads its fonts from the page’s origin', { timeout: TIMEOUT }, async () => {
    assert.ok((await page.locator('.katex').count()) >= 10, 'formulas are typeset');
    assert.ok((await page.locator('#explain .explain__item .katex').count()) >= 9, 'every method explained with a formula');
    assert.ok((await page.locator('.katex-mathml math').count()) >= 10, 'with MathML for screen readers');
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return performance.getEntriesByType('resource').map((e) => e.name).filter((name) => /KaTeX_.*\.woff2$/.test(name));
    });
    assert.ok(fonts.length > 0, 'KaTeX fonts were loaded');
    assert.ok(fonts.every((url) => new URL(url).origin === demo.origin), 'from the page’s own origin');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /worker-src 'self'/);
    assert.match(csp, /font-src 'self'/);
    assert.doesNotMatch(csp, /blob:|https?:|unsafe-inline/);
  });

  it('traces the hedging path: θ(0) is θ* and θ(1) the retrained model of the table', { timeout: 2 * TIMEOUT }, async () => {
    await page.fill('#relabel-rows', '12, 80, 311');
    await page.fill('#remove-rows', '3, 42');
    await unlearnAndWait(page, 1);
    const theta = await readTheta(page);
    await page.click('#tab-path');
    await page.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
    assert.equal(await page.isVisible('#path-chart'), true);

    await page.focus('#path-eps');
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('#panel-path', 'data-epsilon'), '0');
    const start = await pathColumn(page, 'exact');
    assert.equal(start.length, theta.length);
    start.forEach((v, k) => close(v, theta[k].values.lazy, 1e-8, `θ(0)[${k}] = θ*`));
    assert.equal(Number(await page.getAttribute('#path-readout [data-key="distance-second"]', 'data-value')), 0);

    await page.keyboard.press('End');
    assert.equal(await page.getAttribute('#panel-path', 'data-epsilon'), '1');
    const end = await pathColumn(page, 'exact');
    end.forEach((v, k) => close(v, theta[k].values.retrain, 1e-8, `θ(1)[${k}] = retrained`));
    // The second-order line at ε = 1 is the second-order update of the table.
    (await pathColumn(page, 'secondOrder')).forEach((v, k) => close(v, theta[k].values.second_order, 1e-8, `second-order line at 1 [${k}]`));

    // The slider moves along the path; the charts are drawn.
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getAttribute('#panel-path', 'data-epsilon'), '0.95');
    const distance = Number(await page.getAttribute('#path-readout [data-key="distance-second"]', 'data-value'));
    assert.ok(distance > 0 && distance < 1, `second-order distance at 0.95: ${distance}`);
    for (const id of ['path-chart', 'path-distance', 'path-residual']) {
      const painted = await page.$eval(`#${id}`, (canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
        return n;
      });
      assert.ok(painted > 2000, `${id} is drawn (${painted} px)`);
    }
    await page.click('#tab-compare');
  });

  it('removes a clicked point in the playground; the boundaries are the wasm API’s', { timeout: TIMEOUT }, async () => {
    await page.locator('#playground').scrollIntoViewIfNeeded();
    await page.waitForSelector('#playground[data-trainings="1"]');
    assert.equal(await page.getAttribute('#pg-count', 'data-count'), '40');
    const { blobs, toArrays } = await import(join(ROOT, 'www', 'synthetic.js'));
    const { train, test } = blobs(1);
    const i = loneliest(train);
    await clickPoint(page, i);
    await page.waitForSelector('#playground[data-edits="1"]', { timeout: 30_000 });
    await settled(page);
    assert.equal(await page.getAttribute('#pg-count', 'data-count'), '39', 'the point count drops');
    assert.equal(await page.getAttribute('#pg-canvas', 'data-lines'), 'lazy,second_order,retrain', 'three boundaries are drawn');

    const data = toArrays(train);
    const held = toArrays(test);
    const session = new wasm.Session(data.x, data.y, held.x, held.y, 2, { l2: 1 });
    const direct = session.compare({ remove: [i] }, { methods: ['lazy', 'second_order', 'retrain'], tau: 1e-3, minTimingSeconds: 0 });
    const shown = await playgroundTheta(page);
    for (const m of direct.methods) shown[m.method].forEach((v, k) => close(v, m.theta[k], 1e-9, `${m.method}[${k}]`));

    // The unlearned and retrained boundaries are painted in their colours.
    const colours = await page.$eval('#pg-canvas', (canvas) => {
      const { data: px } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let green = 0;
      let black = 0;
      for (let k = 0; k < px.length; k += 4) {
        if (px[k] === 0 && px[k + 1] === 158 && px[k + 2] === 115) green += 1;
        if (px[k] === 0 && px[k + 1] === 0 && px[k + 2] === 0 && px[k + 3] === 255) black += 1;
      }
      return { green, black };
    });
    assert.ok(colours.green > 200 && colours.black > 100, `boundaries painted (${JSON.stringify(colours)})`);

    // The keyboard flips another point: the list chooses it, the mode is "flip", Enter applies it.
    const j = i === 0 ? 1 : 0;
    await page.click('label[for="pg-mode-flip"]');
    await page.selectOption('#pg-point', String(j));
    await page.click('#pg-flip');
    await page.waitForSelector('#playground[data-edits="2"]', { timeout: 30_000 });
    await settled(page);
    assert.equal(await page.getAttribute('#pg-count', 'data-flipped'), '1');
    const both = session.compare({ remove: [i], relabel: [[j, 1 - train[j][2]]] }, { methods: ['lazy', 'second_order', 'retrain'], tau: 1e-3, minTimingSeconds: 0 });
    const shown2 = await playgroundTheta(page);
    for (const m of both.methods) shown2[m.method].forEach((v, k) => close(v, m.theta[k], 1e-9, `after the flip: ${m.method}[${k}]`));
    session.free();
    await page.click('label[for="pg-mode-remove"]');
  });

  it('puts the view in the link: a new page opened with it shows the same state and numbers', { timeout: 2 * TIMEOUT }, async () => {
    await page.check('#feature-0');
    await page.check('#feature-5');
    await page.fill('#relabel-rows', '12, 80');
    await page.fill('#remove-rows', '7');
    await page.check('#method-exact');
    await page.fill('#l2', '2');
    await page.fill('#seed', '99');
    const count = await comparisons(page);
    await page.click('#unlearn');
    await page.waitForSelector(`body[data-comparisons="${count + 1}"]`, { timeout: 60_000 });
    await settled(page);
    await page.click('#tab-path');
    await page.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
    await page.focus('#path-eps');
    await page.keyboard.press('Home');
    for (let k = 0; k < 7; k += 1) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /eps=0.35/.test(location.hash), null, { timeout: 5_000 });
    const url = page.url();
    assert.match(url, /#ds=breast-cancer&l2=2&seed=99&f=0,5&rl=12,80&rm=7&m=exact&view=path&eps=0.35/);
    const table = await readTable(page);
    const exactHere = await pathColumn(page, 'exact');

    const other = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    other.on('pageerror', (e) => errors.push(e.message));
    try {
      await other.goto(url);
      await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await other.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
      await other.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
      await settled(other);
      assert.equal(await other.inputValue('#l2'), '2');
      assert.equal(await other.inputValue('#seed'), '99');
      assert.equal(await other.inputValue('#relabel-rows'), '12, 80');
      assert.equal(await other.inputValue('#remove-rows'), '7');
      assert.deepEqual(await other.$$eval('#feature-groups input:checked', (b) => b.map((x) => x.value)), ['0', '5']);
      assert.deepEqual(await other.$$eval('.method-picker input:checked', (b) => b.map((x) => x.value)), ['exact']);
      assert.equal(await other.getAttribute('#tab-path', 'aria-selected'), 'true');
      assert.equal(await other.getAttribute('#panel-path', 'data-epsilon'), '0.35');
      const again = await readTable(other);
      assert.deepEqual(again.map((r) => r.method), table.map((r) => r.method));
      for (const [k, row] of again.entries()) {
        for (const key of COMPARED_KEYS) assert.equal(row.cells[key], table[k].cells[key], `${row.method}.${key}`);
      }
      assert.deepEqual(await pathColumn(other, 'exact'), exactHere, 'the same point on the path');
      assert.equal(other.url(), url, 'the link is unchanged once restored');

      // Embedding flags hide parts of the page.
      await other.goto('about:blank');
      await other.goto(`${url.split('#')[0]}#view=playground&hideControls=1&hideText=1&hide=certified,explain`);
      await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await settled(other);
      for (const id of ['#controls', '#data', '#lessons', '#certified', '#explain']) assert.equal(await other.isHidden(id), true, `${id} is hidden`);
      assert.equal(await other.isHidden('.lede'), true, 'text is hidden');
      assert.equal(await other.isVisible('#pg-canvas'), true);
      assert.match(other.url(), /view=playground&hideControls=1&hideText=1&hide=certified,explain$/, 'the flags stay in the link');
      assert.deepEqual(errors, []);
    } finally {
      await other.close();
    }
    await page.click('#tab-compare');
  });

  it('says which parts of a bad link it ignored, and applies a link pasted into the open page', { timeout: 2 * TIMEOUT }, async () => {
    const other = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    other.on('pageerror', (e) => errors.push(e.message));
    const base = page.url().split('#')[0];
    try {
      await other.goto(`${base}#l2=-1&tau=abc&f=999,abc&rl=5,99999&rm=-3&m=bogus&view=xyz&eps=7&hide=everything&lambda=2&hideText=yes`);
      await other.waitForSelector('body[data-comparisons="1"]', { timeout: 60_000 });
      await settled(other);
      assert.equal(await other.isVisible('#link-note'), true, 'the note shows');
      const note = await other.textContent('#link-note-text');
      for (const part of ['λ (l2): -1 is out of range', 'τ (tau): “abc” is not a number', 'f (features): “abc”', 'f (features): 999', 'rm (rows to delete): “-3”', 'm (methods): bogus', 'view: “xyz”', 'eps: “7”', 'hide: “everything”', '“lambda”: not a part of a link', 'hideText: “yes”', 'rl (labels to correct): 99999 is out of range']) {
        assert.ok(note.includes(part), `the note names ${part}: ${note}`);
      }
      // The valid parts apply; the invalid ones leave the defaults and drop out of the address.
      assert.equal(await other.inputValue('#l2'), '1');
      assert.equal(await other.inputValue('#tau'), '0.001');
      assert.equal(await other.inputValue('#relabel-rows'), '5');
      await other.waitForFunction(() => /rl=5/.test(location.hash) && !/l2=|tau=|bogus|xyz|eps=|everything/.test(location.hash), null, { timeout: 5_000 });
      assert.doesNotMatch(note, /\.\./, 'one full stop at a time');
      await other.click('#link-note-close');
      assert.equal(await other.isHidden('#link-note'), true);

      // The page's own anchors (the skip link) move the focus and keep the view: no reload.
      await other.evaluate(() => {
        window.sameDocument = true;
      });
      await other.focus('a.skip');
      await other.keyboard.press('Enter');
      await other.waitForFunction(() => !/#controls$/.test(location.href), null, { timeout: 5_000 });
      assert.equal(await other.evaluate(() => window.sameDocument), true, 'the page did not reload');
      assert.equal(await other.inputValue('#relabel-rows'), '5');

      // A huge value is quoted clipped.
      await other.goto('about:blank');
      await other.goto(`${base}#m=${'x'.repeat(5000)}&tau=${'9'.repeat(3000)}`);
      await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const long = await other.textContent('#link-note-text');
      assert.ok(long.length < 600, `the note stays short (${long.length} characters)`);

      // A dataset that does not exist is named as such, not taken for an uploaded file.
      await other.goto('about:blank');
      await other.goto(`${base}#ds=nope&rm=3`);
      await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await other.waitForFunction(() => /no built-in dataset “nope”/.test(document.getElementById('link-note-text').textContent), null, { timeout: 30_000 });
      assert.equal(await other.inputValue('#remove-rows'), '');

      // Pasting a new link into the address bar of the open page applies it.
      await other.evaluate(() => {
        location.hash = '#rm=7&view=path';
      });
      await other.waitForFunction(() => document.getElementById('remove-rows')?.value === '7', null, { timeout: 60_000 });
      await other.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
      await settled(other);
      assert.equal(await other.getAttribute('#tab-path', 'aria-selected'), 'true');
      assert.equal(await other.isHidden('#link-note'), true, 'a good link shows no note');

      // Rows moved to a category the column does not have: refused, not moved elsewhere.
      await other.goto('about:blank');
      await other.goto(`${base}#ds=adult&mv=5:99:1.2.3`);
      await other.waitForFunction(() => /has no category 99/.test(document.getElementById('link-note-text').textContent), null, { timeout: 60_000 });
      await settled(other);
      assert.doesNotMatch(other.url(), /mv=/);
      assert.equal(await other.getAttribute('body', 'data-comparisons'), '0', 'nothing ran');
      assert.deepEqual(errors, []);
    } finally {
      await other.close();
    }
  });

  it('exports the model and imports it again with the same predictions', { timeout: TIMEOUT }, async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    assert.equal(new URL(download.url()).protocol, 'blob:');
    const path = await download.path();
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(saved.format, 'unlearn model export, version 1');
    assert.equal(saved.model.format, 'unlearn-model');
    assert.equal(saved.model.theta.length, 31);
    assert.equal(saved.testPredictions.length, 114);
    assert.ok(saved.report && saved.report.methods.length > 0, 'with the report of the last comparison');
    // θ* as exported is the table's θ*.
    const theta = await readTheta(page);
    saved.model.theta.forEach((v, k) => close(v, theta[k].values.lazy, 0, `θ*[${k}]`));
    // The same predictions from the wasm API in Node.
    const model = wasm.Model.fromJSON(saved.model);
    assert.equal(model.nFeatures, 30);
    model.free();

    await page.setInputFiles('#import-model', { name: 'model.json', mimeType: 'application/json', buffer: readFileSync(path) });
    await page.waitForSelector('#import-result [data-key="identical"]', { timeout: 30_000 });
    assert.equal(await page.getAttribute('#import-result [data-key="identical"]', 'data-value'), '114');
    assert.equal(Number(await page.getAttribute('#import-result [data-key="accuracy"]', 'data-value')), saved.testAccuracy);
    assert.equal(await page.getAttribute('#import-result [data-key="agreement"]', 'data-value'), '1');
    assert.equal(await page.getAttribute('#import-result', 'data-predictions'), saved.testPredictions.join(','));
    // The report inside the file is shown with the file's numbers.
    const shownReport = async () =>
      page.$$eval('#import-report-table tbody tr', (rows) =>
        rows.map((tr) => [tr.dataset.method, Number(tr.querySelector('[data-key="distanceToRetrain"]')?.dataset.value)]),
      );
    assert.deepEqual(await shownReport(), saved.report.methods.map((m) => [m.method, m.distanceToRetrain]));

    // A report on its own ("Download report") imports as a table, with no model to load.
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-report')]);
    const reportText = readFileSync(await reportDownload.path(), 'utf8');
    const report = JSON.parse(reportText);
    await page.setInputFiles('#import-model', { name: 'report.json', mimeType: 'application/json', buffer: Buffer.from(reportText) });
    await page.waitForFunction(() => /report\.json is a comparison report/.test(document.getElementById('import-result').textContent), null, { timeout: 10_000 });
    assert.deepEqual(await shownReport(), report.methods.map((m) => [m.method, m.distanceToRetrain]));
    // Text in a file stays text.
    const hostile = { ...report, methods: [{ method: 'x', label: '<img src=x onerror=alert(1)>', distanceToRetrain: 1 }] };
    await page.setInputFiles('#import-model', { name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
    await page.waitForFunction(() => /hostile\.json is a comparison report/.test(document.getElementById('import-result').textContent), null, { timeout: 10_000 });
    assert.equal(await page.locator('#import-report img').count(), 0);
    assert.match(await page.textContent('#import-report-table tbody th'), /<img src=x/);

    // The second-order model exports too, and a file that is not a model is refused.
    await page.selectOption('#export-which', 'second_order');
    const [second] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    const unlearned = JSON.parse(readFileSync(await second.path(), 'utf8'));
    assert.equal(unlearned.which, 'second_order');
    unlearned.model.theta.forEach((v, k) => close(v, theta[k].values.second_order, 0, `second-order θ[${k}]`));
    await page.setInputFiles('#import-model', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"nope"}') });
    await page.waitForFunction(() => /bad\.json could not be imported/.test(document.getElementById('alert').textContent), null, { timeout: 10_000 });
  });

  it('works at 380 px: no horizontal overflow, and the keyboard reaches the main controls', { timeout: TIMEOUT }, async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    await page.waitForTimeout(400);
    const { overflow, wide } = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      // Scrolling containers may hold wide content; KaTeX's MathML copy is clipped to 1 px (it is
      // there for screen readers), so its box does not show.
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.table-wrap, .display-math, .explain__formula, .katex-display, .katex-mathml'))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`),
    }));
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide: ${wide.join(', ')})`);
    assert.deepEqual(wide, [], 'nothing sticks out');

    // Tab through the page from the top: the main controls are reached, in order.
    // (Blurring is not enough: the browser would go on from the last focused control.)
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.focus('a.skip');
    const reached = new Set();
    for (let k = 0; k < 260; k += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id || '');
      if (id) reached.add(id);
      if (id === 'pg-canvas') break;
    }
    for (const id of ['lesson-sensitive', 'dataset-breast-cancer', 'feature-0', 'relabel-rows', 'flip-random', 'remove-rows', 'l2', 'tau', 'method-exact', 'unlearn', 'share-link', 'tab-compare', 'export-model', 'import-model', 'pg-canvas']) {
      assert.ok(reached.has(id), `Tab reaches #${id}`);
    }
    // The playground by keyboard: arrow keys choose a point, Enter removes it.
    const before = Number(await page.getAttribute('#pg-count', 'data-count'));
    const edits = Number(await page.getAttribute('#playground', 'data-edits'));
    await page.keyboard.press('ArrowRight');
    assert.match(await page.textContent('#pg-selected'), /^Chosen: Point \d+/);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#playground[data-edits="${edits + 1}"]`, { timeout: 30_000 });
    assert.equal(Number(await page.getAttribute('#pg-count', 'data-count')), before - 1);
    // The tabs by keyboard.
    await page.focus('#tab-compare');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-path');
    assert.equal(await page.getAttribute('#tab-path', 'aria-selected'), 'true');
    await page.keyboard.press('ArrowLeft');
    await settled(page);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('runs a lesson from its button', { timeout: TIMEOUT }, async () => {
    const count = await comparisons(page);
    await page.click('#lesson-person');
    await page.waitForSelector(`body[data-comparisons="${count + 1}"]`, { timeout: 60_000 });
    await page.waitForSelector('#panel-path[data-ready="true"]', { timeout: 60_000 });
    await settled(page);
    assert.equal(await page.inputValue('#remove-rows'), '42');
    assert.equal(await page.inputValue('#relabel-rows'), '');
    assert.equal(await page.getAttribute('#tab-path', 'aria-selected'), 'true');
    // The lesson's text stays above the results while it is followed.
    assert.equal(await page.isVisible('#lesson-current'), true);
    assert.match(await page.textContent('#lesson-current'), /Lesson: Forget one person\..*Delete one patient/);
    assert.equal(await page.getAttribute('#lesson-person', 'aria-current'), 'true');
    const top = await page.evaluate(() => document.querySelector('.results').getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 40, `the results are scrolled into view (top at ${top} px)`);
    // The address bar follows within a moment (it is updated once the page is idle).
    await page.waitForFunction(() => /rm=42.*view=path/.test(location.href), null, { timeout: 10_000 });
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
