// Importing a model file in headless Chromium: a file saved on other features (the same columns in
// another order, a renamed column) or with the classes swapped is loaded under a warning that names
// the names that differ, and files with mistakes are refused with the key and index at fault.
// Run `npm run build` first, then `node --test tests/browser/`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { assertPrivateAndClean, openDemo, settled, TIMEOUT } from './helpers.mjs';

describe('model import: names checked against the current data, mistakes named', { timeout: 6 * TIMEOUT }, () => {
  let demo;
  let page;
  /** The exported θ* of Breast Cancer, as parsed JSON. */
  let saved;

  before(async () => {
    demo = await openDemo();
    page = demo.page;
    await settled(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
    saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  }, { timeout: 2 * TIMEOUT });

  after(async () => {
    await demo?.close();
  });

  /** Imports `document_` (an object, or text) as a file named `name` and waits until it is handled. */
  async function importFile(name, document_) {
    const text = typeof document_ === 'string' ? document_ : JSON.stringify(document_);
    await page.evaluate(() => {
      document.getElementById('status').textContent = '';
      document.getElementById('alert').textContent = '';
    });
    await page.setInputFiles('#import-model', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(
      (file) => ['status', 'alert'].some((id) => document.getElementById(id).textContent.includes(file)),
      name,
      { timeout: 30_000 },
    );
    await settled(page);
  }

  const warning = () => page.evaluate(() => {
    const node = document.getElementById('import-warning');
    return node.hidden ? null : node.textContent;
  });
  const identical = async () => Number(await page.getAttribute('#import-result [data-key="identical"]', 'data-value'));

  it('imports the file as saved without a warning', { timeout: TIMEOUT }, async () => {
    assert.equal(saved.dataset.featureNames.length, 30);
    await importFile('same.json', saved);
    assert.equal(await warning(), null);
    assert.equal(await identical(), 114);
    assert.equal(await page.getAttribute('#import-result', 'data-mismatch'), 'false');
    assert.equal(await page.textContent('#status'), 'Imported same.json (read on this device).');
  });

  it('warns when the file was saved with the columns in another order', { timeout: TIMEOUT }, async () => {
    const names = saved.dataset.featureNames;
    const reversed = { ...saved, dataset: { ...saved.dataset, featureNames: [...names].reverse() } };
    await importFile('reversed.json', reversed);
    const text = await warning();
    assert.ok(text, 'the warning is shown');
    assert.match(text, /This model was trained on other features than the current data’s/);
    assert.match(text, /Features: the columns are the same, but in another order \(30 of 30 moved\)/);
    assert.ok(text.includes(`column 1 is “${names[29]}” in the file but “${names[0]}” here`), text);
    assert.match(text, /; and 27 more\./);
    assert.match(text, /the numbers below do not describe the saved model/);
    assert.equal(await page.getAttribute('#import-warning', 'role'), 'alert');
    assert.equal(await page.getAttribute('#import-result', 'data-mismatch'), 'true');
    assert.match(await page.textContent('#import-result'), /Applied by position to the current columns \(see the warning above\)/);
    assert.match(await page.textContent('#status'), /^Imported reversed\.json \(read on this device\), but it was trained on other features than the current data’s: see the warning\.$/);
    assert.ok(await page.isVisible('#import-warning'));
    // The file's θ is unchanged, so its predictions are still the saved ones; the warning says why
    // they do not vouch for the model here.
    assert.equal(await identical(), 114);
  });

  it('names a renamed column, and swapped classes', { timeout: TIMEOUT }, async () => {
    const names = [...saved.dataset.featureNames];
    names[4] = 'tumour colour';
    await importFile('renamed.json', { ...saved, dataset: { ...saved.dataset, featureNames: names } });
    let text = await warning();
    assert.match(text, /Features: 1 of 30 column names differ: column 5 is “tumour colour” in the file but “mean smoothness” here\./);

    const classes = [...saved.dataset.classes].reverse();
    await importFile('swapped.json', { ...saved, dataset: { ...saved.dataset, classes } });
    text = await warning();
    assert.match(text, /This model’s classes are not named like the current data’s/);
    assert.match(text, /Classes: the classes are the same, but in another order \(2 of 2 moved\): label 0 is “malignant” in the file but “benign” here; label 1 is “benign” in the file but “malignant” here\./);
    assert.match(text, /Its class numbers mean other classes here/);
    assert.doesNotMatch(text, /Features:/);

    await importFile('other-names.json', { ...saved, dataset: { ...saved.dataset, classes: ['0', '1'] } });
    assert.match(await warning(), /2 of 2 class names differ: .*If these are the same classes under other names, in the same order/);

    // A bare model (Model.toJSON) has no names to check: no warning, but a note.
    await importFile('bare.json', saved.model);
    assert.equal(await warning(), null);
    assert.match(await page.textContent('#import-result'), /The file does not name its features, so they could not be checked/);

    // The file as saved clears the warning again.
    await importFile('same-again.json', saved);
    assert.equal(await warning(), null);
  });

  it('refuses files with mistakes, naming the key and the index', { timeout: TIMEOUT }, async () => {
    const text = JSON.stringify(saved);
    const refused = async (name, document_, expected) => {
      await importFile(name, document_);
      const alert = await page.textContent('#alert');
      assert.ok(alert.startsWith(`${name} `), alert);
      assert.match(alert, expected);
      assert.doesNotMatch(alert, /invalid type|unit value|impute|row 0, column/, 'no parser or training words');
      assert.equal(await warning(), null);
      assert.equal(await page.textContent('#import-result'), '');
    };
    await refused('null.json', 'null', /^null\.json holds null, not a model: choose a file saved with “Export model \(JSON\)”/);
    await refused('array.json', '[1, 2]', /holds an array, not a model/);
    const theta = [...saved.model.theta];
    theta[3] = null;
    await refused('null-entry.json', { ...saved, model: { ...saved.model, theta } }, /could not be imported: model: theta\[3\] is null, not a number; every entry of theta must be a finite number/);
    await refused('huge.json', text.replace(/"theta":\[[^,\]]+/, '"theta":[1e999'), /model: theta\[0\] is Infinity, not a finite number \(a number too large for a double, such as 1e999, reads as Infinity\)/);
    const coef = [...saved.model.coef];
    coef[2] += 1;
    await refused('edited.json', { ...saved, model: { ...saved.model, coef } }, /model: coef\[2\] = \S+ disagrees with theta\[2\] = \S+; coef and intercepts only repeat theta/);
    await refused('bad-intercept.json', { ...saved, model: { ...saved.model, intercepts: [saved.model.intercepts[0] * 2] } }, /model: intercepts\[0\] = \S+ disagrees with theta\[30\]/);
    await refused('no-model.json', { ...saved, model: null }, /is a model export, but its key “model” holds null instead of the model/);
    await refused('version.json', { ...saved, model: { ...saved.model, version: 2 } }, /model: version 2 is not supported; expected version 1/);
    await refused('empty.json', '', /^empty\.json is not a JSON file: the file is empty\.$/);
    await refused('nan.json', text.replace(/"theta":\[[^,\]]+/, '"theta":[NaN'), /is not a JSON file: it contains NaN or Infinity, which JSON cannot hold/);
    // Names that are not strings are compared as they are written, never run.
    await importFile('odd-names.json', { ...saved, dataset: { ...saved.dataset, featureNames: [{ toString: 1 }, null, 3, ...saved.dataset.featureNames.slice(3)] } });
    assert.match(await warning(), /3 of 30 column names differ: column 1 is “\{"toString":1\}” in the file/);
    // The page keeps working: the saved file imports again.
    await importFile('same-at-last.json', saved);
    assert.equal(await identical(), 114);
    assertPrivateAndClean(demo);
  });
});
