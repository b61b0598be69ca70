// The 2-D playground's limits in headless Chromium: a link cannot bypass what the interface
// allows (at least three points of both classes, added points finite, inside the plot and at most
// 200, a seed the Seed box accepts) and the page says what it changed; keyboard-added points stay
// inside the plot; "Undo all edits" goes back to the seed's own points after an Add; Enter in the
// Seed box draws that seed; a stale message goes once a later action succeeds. Run
// `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/toolchain.mjs';
import { assertPrivateAndClean, openDemo, settled, TIMEOUT } from './helpers.mjs';

const { blobs } = await import(join(ROOT, 'www', 'synthetic.js'));
const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

/** Waits until the playground trained at least `n` times and nothing is queued. */
async function trained(page, n = 1) {
  await page.waitForFunction((k) => Number(document.getElementById('playground').dataset.trainings) >= k, n, { timeout: 60_000 });
  await settled(page);
}

const trainings = async (page) => Number(await page.getAttribute('#playground', 'data-trainings'));
const status = async (page) => (await page.textContent('#pg-status-live')).trim();
const count = async (page, key = 'count') => Number(await page.getAttribute('#pg-count', `data-${key}`));

/** The playground's points as listed: [[x1, x2], …] in base order. */
async function points(page) {
  const rows = await page.$$eval('#pg-point option', (options) => options.map((o) => [Number(o.value), Number(o.dataset.x1), Number(o.dataset.x2)]));
  return rows.sort((a, b) => a[0] - b[0]).map(([, x1, x2]) => [x1, x2]);
}

/** θ of every drawn model is finite, and the "before" model is there. */
async function assertFiniteTheta(page) {
  const theta = await page.$$eval('#pg-table tbody tr', (rows) =>
    Object.fromEntries(rows.map((tr) => [tr.dataset.method, ['w1', 'w2', 'b'].map((k) => Number(tr.querySelector(`[data-key="${k}"]`).dataset.value))])),
  );
  assert.ok(theta.lazy, 'θ* is shown');
  for (const [method, values] of Object.entries(theta)) assert.ok(values.every(Number.isFinite), `${method}: θ = ${values}`);
}

async function assertInsidePlot(page) {
  const [min, max] = (await page.getAttribute('#pg-canvas', 'data-domain')).split(',').map(Number);
  const outside = (await points(page)).filter(([x1, x2]) => !(x1 >= min && x1 <= max && x2 >= min && x2 <= max));
  assert.deepEqual(outside, [], 'every point is inside the drawn square');
}

const playgroundKeys = (url) => [...new URLSearchParams(new URL(url).hash.slice(1)).keys()].filter((k) => /^pg/.test(k));

describe('playground limits: links, keyboard Add, undo, seed box, messages', { timeout: 12 * TIMEOUT }, () => {
  let demo;
  let page;
  let base;

  before(async () => {
    demo = await openDemo();
    page = demo.page;
    base = page.url().split('#')[0];
    await trained(page);
  }, { timeout: 3 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  /** Opens the demo at `hash` in a new page; returns it with its page errors. */
  async function openAt(hash) {
    const other = await demo.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    other.on('pageerror', (e) => errors.push(e.message));
    other.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await other.goto(`${base}${hash}`);
    await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await trained(other);
    return { other, errors };
  }

  /** Opens `hash`, checks the page, then closes it. */
  async function withLink(hash, check) {
    const { other, errors } = await openAt(hash);
    try {
      await check(other);
      await assertFiniteTheta(other);
      await assertInsidePlot(other);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await other.close();
    }
  }

  it('refuses a link that would drop every point, or leave fewer than three', { timeout: TIMEOUT }, async () => {
    await withLink(`#pg=1&pgd=${range(0, 40).join(',')}`, async (other) => {
      assert.match(await status(other), /would leave no points at all, and at least three must stay, so the seed's own points are shown/);
      assert.equal(await count(other), 40);
      assert.deepEqual(await points(other), blobs(1).train.map(([a, b]) => [a, b]));
      assert.deepEqual(playgroundKeys(other.url()), [], 'the link is rewritten without the refused parts');
    });
    await withLink(`#pg=1&pgr=${range(0, 39).join(',')}`, async (other) => {
      assert.match(await status(other), /removed and flipped points would leave only 1 point, and at least three must stay, so they are ignored/);
      assert.equal(await count(other), 40);
      assert.equal(await count(other, 'removed'), 0);
    });
    // Dropped and removed together: 4 points stay in the base, removing 2 of them would leave 2.
    await withLink(`#pg=1&pgd=${range(0, 36).join(',')}&pgr=0,1`, async (other) => {
      assert.match(await status(other), /would leave only 2 points/);
      assert.equal(await count(other), 4, 'the base of the link is kept, its removals are not');
      assert.equal(await count(other, 'removed'), 36);
      assert.match(other.url(), /pgd=0,1,2,/);
      assert.doesNotMatch(other.url(), /pgr=/);
    });
  });

  it('refuses a link that would leave only one class', { timeout: TIMEOUT }, async () => {
    const ones = range(0, 40).filter((i) => blobs(1).train[i][2] === 1);
    await withLink(`#pg=1&pgr=${ones.join(',')}`, async (other) => {
      assert.match(await status(other), /would leave only points of class 0, and both classes must stay/);
      assert.equal(await count(other), 40);
    });
    await withLink(`#pg=1&pgf=${ones.join(',')}`, async (other) => {
      assert.match(await status(other), /only points of class 0/);
      assert.equal(await count(other, 'flipped'), 0);
    });
    await withLink(`#pg=1&pgx=${ones.join(',')}`, async (other) => {
      assert.match(await status(other), /dropped, relabelled and added points would leave only points of class 0/);
      assert.equal(await count(other, 'flipped'), 0);
    });
  });

  it('moves added points into the plot and leaves out malformed ones', { timeout: TIMEOUT }, async () => {
    await withLink('#pga=1e308:1e308:1;-7:0.5:0;2:2:7;Infinity:0:1;1:1;0x10:0:1;0.5:-0.5:1', async (other) => {
      const text = await status(other);
      assert.match(text, /4 added points left out \(each needs two finite coordinates and a label 0 or 1\)/);
      assert.match(text, /2 added points outside the plot moved to its edge \(−4 to 4\)/);
      assert.equal(await count(other), 43);
      assert.equal(await count(other, 'added'), 3);
      const added = (await points(other)).slice(40);
      assert.deepEqual(added, [[4, 4], [-4, 0.5], [0.5, -0.5]]);
      assert.match(decodeURIComponent(other.url()), /pga=4:4:1;-4:0.5:0;0.5:-0.5:1/);
    });
  });

  it('keeps at most 200 added points, from a link and from the keyboard', { timeout: 2 * TIMEOUT }, async () => {
    const many = range(0, 250).map((k) => `${((k % 50) / 10 - 2.5).toFixed(1)}:${(Math.floor(k / 50) - 2).toFixed(1)}:${k % 2}`);
    await withLink(`#pga=${many.join(';')}`, async (other) => {
      assert.match(await status(other), /only the first 200 of its 250 added points kept \(at most 200 can be added\)/);
      assert.equal(await count(other, 'added'), 200);
      assert.equal(await count(other), 240);
      await other.click('label[for="pg-mode-add"]');
      await other.focus('#pg-canvas');
      const before = await trainings(other);
      await other.keyboard.press('Enter');
      assert.match(await status(other), /No point added: at most 200 points can be added/);
      await settled(other);
      assert.equal(await count(other), 240);
      assert.equal(await trainings(other), before, 'nothing retrained');
    });
  });

  it('falls back to the default seed when a link’s seed is out of range or not whole', { timeout: TIMEOUT }, async () => {
    for (const seed of ['99999999999999', '1.5', '-3', 'abc']) {
      await withLink(`#pg=${seed}&pgr=2`, async (other) => {
        assert.match(await status(other), new RegExp(`its seed “${seed.replace('.', '\\.')}” is not a whole number from 0 to 4294967295, so seed 1 is shown without its edits`));
        assert.equal(await other.inputValue('#pg-seed'), '1');
        assert.equal(await count(other), 40);
        assert.deepEqual(playgroundKeys(other.url()), []);
      });
    }
    // A valid seed and edit from a link are taken as they are, without a message.
    await withLink('#pg=4294967295&pgr=2', async (other) => {
      assert.equal(await status(other), '');
      assert.equal(await other.inputValue('#pg-seed'), '4294967295');
      assert.equal(await count(other), 39);
    });
  });

  it('keeps keyboard-added points inside the plot', { timeout: 2 * TIMEOUT }, async () => {
    await page.locator('#playground').scrollIntoViewIfNeeded();
    await page.click('label[for="pg-mode-add"]');
    await page.focus('#pg-canvas');
    assert.match(await page.textContent('#pg-selected'), /Add mode: the cursor is at \(0\.00, 0\.00\)/);
    const start = await trainings(page);
    // Twenty-five Enters add twenty-five points at the cursor, none off the plot.
    for (let k = 0; k < 25; k += 1) await page.keyboard.press('Enter');
    await trained(page, start + 25);
    assert.equal(await count(page), 65);
    await assertInsidePlot(page);
    // The arrow keys stop the cursor at the edge of the plot.
    for (let k = 0; k < 10; k += 1) await page.keyboard.press('Shift+ArrowRight');
    for (let k = 0; k < 40; k += 1) await page.keyboard.press('ArrowUp');
    assert.equal(await page.getAttribute('#pg-canvas', 'data-cursor'), '4,4');
    await page.keyboard.press('Enter');
    await trained(page, start + 26);
    assert.deepEqual((await points(page)).at(-1), [4, 4]);
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('#pg-canvas', 'data-cursor'), '0,0');
    await assertInsidePlot(page);
    await assertFiniteTheta(page);
  });

  it('undoes every edit, also those made before an Add', { timeout: 2 * TIMEOUT }, async () => {
    // From the keyboard test's 26 added points back to the seed's own 40.
    await page.click('label[for="pg-mode-remove"]');
    const first = await trainings(page);
    await page.click('#pg-reset');
    await trained(page, first + 1);
    assert.equal(await count(page), 40);
    await page.waitForFunction(() => !/pg/.test(location.hash), null, { timeout: 5_000 });

    // Remove one point and flip another, then add one: the base is retrained on the edited points.
    await page.click('label[for="pg-mode-remove"]');
    await page.selectOption('#pg-point', '3');
    await page.click('#pg-remove');
    await page.selectOption('#pg-point', '4');
    await page.click('#pg-flip');
    await page.waitForSelector('#pg-count[data-removed="1"][data-flipped="1"]');
    await settled(page);
    const before = await trainings(page);
    await page.click('label[for="pg-mode-add"]');
    await page.focus('#pg-canvas');
    await page.keyboard.press('Enter');
    await trained(page, before + 1);
    // The count line still counts the removal and the flip made before the Add.
    assert.equal(await count(page), 40);
    assert.equal(await count(page, 'removed'), 1);
    assert.equal(await count(page, 'flipped'), 1);
    assert.equal(await count(page, 'added'), 1);
    assert.match(await page.textContent('#pg-count'), /40 points in the training data · 1 removed · 1 flipped · 1 added, against seed 1's 40/);
    await page.waitForFunction(() => /pgd=3&pgx=4&pga=/.test(location.hash), null, { timeout: 5_000 });

    await page.click('#pg-reset');
    await trained(page, before + 2);
    assert.deepEqual(await points(page), blobs(1).train.map(([a, b]) => [a, b]), 'the seed’s own points');
    for (const key of ['removed', 'flipped', 'added']) assert.equal(await count(page, key), 0, key);
    assert.match(await page.textContent('#pg-count'), /^40 points in the training data · 0 removed · 0 flipped · 0 added/);
    const labels = await page.$$eval('#pg-point option', (options) => options.map((o) => Number(/class (\d)/.exec(o.textContent)[1])));
    assert.equal(labels.filter((c) => c === 1).length, 20, 'the flipped label is back');
    await page.click('label[for="pg-mode-remove"]');
    await page.waitForFunction(() => !/pg/.test(location.hash), null, { timeout: 5_000 });
    await assertFiniteTheta(page);
  });

  it('refuses to remove or flip away the last point of a class', { timeout: 2 * TIMEOUT }, async () => {
    // Flip every class-1 point but one, then the last one is refused.
    const ones = range(0, 40).filter((i) => blobs(1).train[i][2] === 1);
    await page.click('label[for="pg-mode-flip"]');
    const edits = Number(await page.getAttribute('#playground', 'data-edits'));
    for (const i of ones.slice(0, -1)) {
      await page.selectOption('#pg-point', String(i));
      await page.click('#pg-flip');
    }
    await page.waitForSelector(`#playground[data-edits="${edits + ones.length - 1}"]`, { timeout: 60_000 });
    await settled(page);
    await page.selectOption('#pg-point', String(ones.at(-1)));
    await page.click('#pg-flip');
    assert.equal(await status(page), `Point ${ones.at(-1)} was not flipped: that would leave only points of class 0, and both classes must stay.`);
    assert.equal(await count(page, 'flipped'), ones.length - 1);
    await page.click('#pg-reset');
    await page.waitForSelector('#pg-count[data-flipped="0"]');
    assert.equal(await status(page), '', 'the message goes with the next edit');
    await page.click('label[for="pg-mode-remove"]');
    await settled(page);
  });

  it('draws the seed typed in the Seed box when Enter is pressed; a bad seed shows its error', { timeout: TIMEOUT }, async () => {
    const before = await trainings(page);
    await page.fill('#pg-seed', '7');
    await page.press('#pg-seed', 'Enter');
    await trained(page, before + 1);
    assert.deepEqual(await points(page), blobs(7).train.map(([a, b]) => [a, b]));
    await page.waitForFunction(() => /pg=7/.test(location.hash), null, { timeout: 5_000 });
    assert.equal(await page.isHidden('#pg-seed-error'), true);

    await page.fill('#pg-seed', '12x');
    await page.press('#pg-seed', 'Enter');
    assert.equal(await page.isVisible('#pg-seed-error'), true);
    assert.match(await page.textContent('#pg-seed-error'), /Seed: “12x” is not a whole number\. Enter a whole number from 0 to 4294967295\./);
    assert.equal(await page.getAttribute('#pg-seed', 'aria-invalid'), 'true');
    await settled(page);
    assert.equal(await trainings(page), before + 1, 'the points stay');
    // "Undo all edits" shows the drawn seed in the box again.
    await page.click('#pg-reset');
    assert.equal(await page.inputValue('#pg-seed'), '7');
    assert.equal(await page.isHidden('#pg-seed-error'), true);
    await settled(page);
  });

  it('clears a stale message once a later action succeeds', { timeout: TIMEOUT }, async () => {
    await page.locator('#playground').scrollIntoViewIfNeeded();
    // An empty spot: the point of the plot farthest from every point.
    const pts = await points(page);
    let empty = [0, 0];
    let gap = -1;
    for (let x = -3.5; x <= 3.5; x += 0.5) {
      for (let y = -3.5; y <= 3.5; y += 0.5) {
        const d = Math.min(...pts.map(([a, b]) => Math.hypot(a - x, b - y)));
        if (d > gap) [empty, gap] = [[x, y], d];
      }
    }
    const box = await page.locator('#pg-canvas').boundingBox();
    const clickEmpty = () => page.mouse.click(box.x + ((empty[0] + 4) / 8) * box.width, box.y + ((4 - empty[1]) / 8) * box.height);
    await clickEmpty();
    assert.match(await status(page), /^No point there: click on a point/);

    const edits = Number(await page.getAttribute('#playground', 'data-edits'));
    await page.selectOption('#pg-point', '0');
    await page.click('#pg-remove');
    await page.waitForSelector(`#playground[data-edits="${edits + 1}"]`, { timeout: 30_000 });
    assert.equal(await status(page), '', 'a successful removal clears it');

    await clickEmpty();
    assert.match(await status(page), /^No point there/);
    const before = await trainings(page);
    await page.fill('#pg-seed', '3');
    await page.click('#pg-new');
    await trained(page, before + 1);
    assert.equal(await status(page), '', 'new points clear it');
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
