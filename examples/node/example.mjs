// Train a logistic model in Node, make it forget a feature, ten rows and a wrong label, and check
// the result against retraining from scratch on the edited data.
//
//   npm run pack                   (in the repository root: builds target/unlearn-<version>.tgz)
//   cd examples/node && npm install && node example.mjs
//
// `node example.mjs --json` prints only the summary (the package tests compare it with the same
// computation in a browser, examples/vite/).
import assert from 'node:assert/strict';
import { LogisticRegression, fit, makeClassification, version } from 'unlearn';

const json = process.argv.includes('--json');
const say = (...lines) => {
  if (!json) console.log(...lines);
};
const round = (values) => values.map((v) => Number(v.toFixed(4)) + 0); // + 0 turns -0 into 0

// 1. Data: 200 rows of 5 features, labels "negative"/"positive" (any labels work).
const data = makeClassification(200, 5, 7);
const X = data.X; // number[][]: an array of rows
const y = data.y.map((v) => (v === 1 ? 'positive' : 'negative'));

// 2. Train (in Node the package is ready on import; in a browser call `await init()` first).
const model = fit(X, y, { C: 1 }); // scikit-learn: LogisticRegression(C=1).fit(X, y)
say(`unlearn ${version}: trained on ${X.length} rows, classes ${JSON.stringify(model.classes)}`);
say('  coef      ', round(model.coef[0]));
say('  intercept ', round(model.intercept));
say('  accuracy  ', model.score(X, y));

// 3. Forget: feature 0 everywhere, rows 0–9, and correct the label of row 12.
const remove = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const corrected = y[12] === 'positive' ? 'negative' : 'positive';
const edit = { features: [0], remove, relabel: [[12, corrected]] };
const before = model.predictProba(X);
const { model: unlearned, report } = model.unlearn(edit, { method: 'second_order' });
say(`unlearned with ${report.method}: ${report.affected} rows affected, ${report.nRows} left, ` +
  `${(report.seconds * 1000).toFixed(2)} ms, gradient residual ${report.residual.toExponential(2)}`);
say('  coef      ', round(unlearned.coef[0]));

// The old model is a value: it still predicts exactly as before, but the training data moved.
assert.deepEqual(model.predictProba(X), before);
assert.equal(model.canUnlearn, false);
assert.equal(unlearned.canUnlearn, true);
assert.throws(() => model.unlearn({ remove: [20] }), /superseded/);

// 4. Check against retraining from scratch on the edited data (what unlearning approximates).
const kept = X.map((_, i) => i).filter((i) => !remove.includes(i));
const xEdited = kept.map((i) => [0, ...X[i].slice(1)]); // feature 0 set to featureValue (0)
const yEdited = kept.map((i) => (i === 12 ? corrected : y[i]));
const retrained = fit(xEdited, yEdited, { C: 1 });
const distance = Math.hypot(
  ...unlearned.coef[0].map((w, j) => w - retrained.coef[0][j]),
  unlearned.intercept[0] - retrained.intercept[0],
);
const reference = retrained.predict(xEdited);
const agreement = unlearned.predict(xEdited).filter((label, i) => label === reference[i]).length / kept.length;
say(`  distance to the retrained model ${distance.toExponential(2)}, same predictions on ${(agreement * 100).toFixed(1)} % of rows`);
say(`  weight of the forgotten feature ${unlearned.coef[0][0].toExponential(2)} (retrained: ${retrained.coef[0][0]})`);
assert.ok(distance < 0.05, `the second-order update lands close to retraining (${distance})`);
assert.ok(agreement >= 0.99);
assert.ok(Math.abs(unlearned.coef[0][0]) < 1e-9, 'the forgotten feature has no weight left');

// 5. Save and load: a predict-only model from JSON.
const text = JSON.stringify(unlearned);
const loaded = LogisticRegression.fromJSON(text);
assert.deepEqual(loaded.predictProba(X), unlearned.predictProba(X));
assert.deepEqual(loaded.classes, ['negative', 'positive']);
assert.equal(loaded.canUnlearn, false);
say(`saved and loaded (${text.length} bytes of JSON): same probabilities`);

// 6. Bad input is an Error whose message says what is wrong.
try {
  unlearned.predict([[1, 2, 3]]);
  assert.fail('expected an error');
} catch (error) {
  assert.ok(error instanceof Error);
  assert.match(error.message, /expected 5/);
  say(`bad input: ${error.message}`);
}

// 7. The summary the browser example computes too; every number is a JS number, never a BigInt.
const summary = {
  classes: model.classes,
  coef: model.coef,
  intercept: model.intercept,
  accuracy: model.score(X, y),
  report: { method: report.method, affected: report.affected, nRows: report.nRows, residual: report.residual },
  unlearned: {
    coef: unlearned.coef,
    intercept: unlearned.intercept,
    accuracy: unlearned.score(xEdited, yEdited),
    proba: unlearned.predictProba(X.slice(0, 5)),
    predict: unlearned.predict(X.slice(0, 5)),
  },
  distanceToRetrained: distance,
};
const hasBigInt = (value) =>
  typeof value === 'bigint' || (typeof value === 'object' && value !== null && Object.values(value).some(hasBigInt));
assert.equal(hasBigInt(summary) || hasBigInt(report), false);
unlearned.free(); // optional: releases the WebAssembly memory now rather than at garbage collection

if (json) console.log(JSON.stringify(summary));
else say('all checks passed');
