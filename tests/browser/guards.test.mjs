// The guards of the request pipeline where a user of the page can reach them: a request that
// leaves one class without rows and λ = 0 on separable data are refused with the core's own
// message (tests/guards/cases.json has the same refusals through Rust, wasm and npm), and the
// page keeps its previous model and results.
// Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/toolchain.mjs';
import { assertPrivateAndClean, CSV, loadWasm, openDemo, settled, TIMEOUT, unlearnAndWait } from './helpers.mjs';

/** The training rows (in the page's numbering) of each label, for the page's split. */
async function trainingRowsByLabel() {
  const pkg = await loadWasm();
  const { parseTable } = await import(join(ROOT, 'www', 'data.js'));
  const table = parseTable(readFileSync(CSV, 'utf8'));
  const { seed, testFraction } = pkg.defaults();
  const p = pkg.prepareTable(table.x, table.y, table.nFeatures, { seed, testFraction });
  const rows = { 0: [], 1: [] };
  Array.from(p.yTrain).forEach((label, i) => rows[label].push(i));
  return rows;
}

describe('guards on the page', { timeout: 5 * TIMEOUT }, () => {
  let demo;
  let page;
  let rows;

  before(async () => {
    rows = await trainingRowsByLabel();
    demo = await openDemo();
    page = demo.page;
  }, { timeout: 3 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  it('refuses to delete every row of one class, with the reason, and keeps the results', { timeout: TIMEOUT }, async () => {
    await page.fill('#remove-rows', '3');
    await unlearnAndWait(page, 1);
    const before = await page.innerHTML('#results tbody');
    await page.fill('#remove-rows', rows[1].join(', '));
    await page.click('#unlearn');
    await page.waitForFunction(() => /leaves no training row/.test(document.getElementById('alert').textContent), null, { timeout: 60_000 });
    await settled(page);
    const alert = await page.textContent('#alert');
    assert.match(alert, /the request leaves no training row with label 1: with a free intercept .* keep at least one row of every class/);
    assert.equal(await page.getAttribute('body', 'data-comparisons'), '1', 'no comparison was added');
    assert.equal(await page.innerHTML('#results tbody'), before, 'the previous results stay');
  });

  it('refuses λ = 0 on separable data as having no finite optimum', { timeout: TIMEOUT }, async () => {
    await page.fill('#remove-rows', '3');
    await page.fill('#l2', '0');
    await page.click('#unlearn');
    await page.waitForFunction(() => /no finite optimum/.test(document.getElementById('alert').textContent), null, { timeout: 60_000 });
    await settled(page);
    assert.match(await page.textContent('#alert'), /with λ = 0 the classes are separable .*use λ > 0/);
    assert.equal(await page.getAttribute('body', 'data-comparisons'), '1');
  });

  it('loads nothing from another origin and logs no errors', () => {
    assertPrivateAndClean(demo);
  });
});
