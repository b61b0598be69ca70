// The npm package as its users get it: `scripts/pack.mjs` builds and packs it, each test installs
// the tarball into a fresh folder outside the repository and uses it from there — the Node
// example, the API in Node, the browser entry, a strict TypeScript consumer, and the Vite example
// built and opened in headless Chromium (which must compute the same numbers as Node).
//
// KEEP_NPM_TEST_DIR=1 keeps the temporary folder (its path is printed) for a look afterwards.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../scripts/browser.mjs';
import { crateVersion } from '../../scripts/pack.mjs';
import {
  ROOT,
  TIMEOUT,
  assertNearlyEqual,
  findBigInt,
  installApp,
  packPackage,
  run,
  serveStatic,
} from './helpers.mjs';

let tarball;
let work;
let nodeApp;
let nodeSummary;
let api; // the installed package, resolved as Node resolves `import 'unlearn'`
let bindings; // 'unlearn/bindings' from the same install (the same module instance)

before(
  async () => {
    tarball = packPackage();
    work = mkdtempSync(join(tmpdir(), 'unlearn-npm-'));
    nodeApp = join(work, 'node');
    installApp(join(ROOT, 'examples', 'node'), nodeApp, tarball);
    const require = createRequire(join(nodeApp, 'package.json'));
    api = await import(pathToFileURL(require.resolve('unlearn')).href);
    bindings = await import(pathToFileURL(require.resolve('unlearn/bindings')).href);
  },
  { timeout: TIMEOUT },
);

after(() => {
  if (!work) return;
  if (process.env.KEEP_NPM_TEST_DIR) console.log(`# kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
});

/** The names a module declares in a .d.ts (`export function|class|const|type|interface`). */
function declaredValues(dts) {
  const names = new Set();
  for (const m of dts.matchAll(/^export (?:declare )?(?:async )?(function|class|const|let) (\w+)/gm)) names.add(m[2]);
  if (/^export default /m.test(dts)) names.add('default');
  return [...names].sort();
}

/** The property names of `export interface name` in a .d.ts. */
function declaredKeys(dts, name) {
  const start = dts.search(new RegExp(`^export interface ${name}\\b`, 'm'));
  assert.ok(start >= 0, `interface ${name} is declared`);
  const body = dts.slice(dts.indexOf('{', start) + 1, dts.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]).sort();
}

describe('the packed tarball', () => {
  test('holds the layer, the bindings, the docs and a manifest with exports for browsers, bundlers and Node', () => {
    const files = run('tar', ['tzf', tarball]).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    assert.deepEqual(files, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'auto.js',
      'index.d.ts',
      'index.js',
      'node.js',
      'package.json',
      'wasm/unlearn.d.ts',
      'wasm/unlearn.js',
      'wasm/unlearn_bg.wasm',
      'wasm/unlearn_bg.wasm.d.ts',
    ]);
    const dir = join(nodeApp, 'node_modules', 'unlearn');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const version = crateVersion();
    assert.equal(manifest.name, 'unlearn');
    assert.equal(manifest.version, version, 'the version is the crate version');
    assert.match(version, /^\d+\.\d+\.\d+(-[\w.-]+)?$/, 'semver');
    assert.equal(manifest.license, 'MIT');
    assert.equal(manifest.type, 'module');
    assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'node', 'default'], 'types first, default last');
    assert.deepEqual(manifest.exports['.'], { types: './index.d.ts', node: './node.js', default: './index.js' });
    assert.deepEqual(manifest.exports['./auto'], { types: './index.d.ts', node: './node.js', default: './auto.js' });
    assert.deepEqual(manifest.sideEffects, ['./auto.js', './node.js']);
    assert.equal(api.version, version);

    assert.match(readFileSync(join(dir, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.match(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'), new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm'));
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const heading of ['## Install', '## Quick start', '## API', '## Errors', '## scikit-learn equivalents', '## Runtimes', '### Certified unlearning']) {
      assert.ok(readme.includes(`\n${heading}`), `README has "${heading}"`);
    }
    assert.ok(!readme.includes('<!-- include:'), 'the included section was filled in');
    assert.ok(readme.includes('retrained from scratch with fresh'), 'the certified section comes from the repository README');
    for (const name of Object.keys(api)) {
      if (name !== 'default') assert.ok(readme.includes(`\`${name}`), `README documents ${name}`);
    }
  });

  test('declares exactly what each entry exports at run time', async () => {
    const dir = join(nodeApp, 'node_modules', 'unlearn');
    const declared = declaredValues(readFileSync(join(dir, 'index.d.ts'), 'utf8'));
    assert.deepEqual(Object.keys(api).sort(), declared);
    const require = createRequire(join(nodeApp, 'package.json'));
    assert.equal(require.resolve('unlearn/auto'), require.resolve('unlearn'), 'Node uses the same entry for /auto');
    const generated = declaredValues(readFileSync(join(dir, 'wasm', 'unlearn.d.ts'), 'utf8'));
    assert.deepEqual(Object.keys(bindings).sort(), generated);
  });

  test('declares the fields of every report, certificate and comparison the bindings return', () => {
    const dts = readFileSync(join(nodeApp, 'node_modules', 'unlearn', 'index.d.ts'), 'utf8');
    const keys = (object) => Object.keys(object).sort();
    const { X, y } = api.makeClassification(60, 3, 2);
    const prepared = api.prepare(X, y, { unitRows: true });
    const model = api.fit(prepared.xTrain, prepared.yTrain, {
      fitIntercept: false,
      certified: { epsilon: 1, delta: 1e-5, sigma: 5, seed: 1 },
    });
    const { report } = model.unlearn({ remove: [0] });
    assert.deepEqual(keys(report), declaredKeys(dts, 'UnlearnReport'));
    assert.deepEqual(keys(report.certificate), declaredKeys(dts, 'Certificate'));
    assert.deepEqual(keys(report.certificate.edit), declaredKeys(dts, 'EditRecord'));
    assert.deepEqual(declaredKeys(dts, 'EditRecord'), declaredKeys(dts, 'Edit'), 'an edit as given and as recorded');
    const comparison = api.compare(X, y, { remove: [0] }, { methods: ['second_order', 'retrain'], minTimingSeconds: 0 });
    assert.deepEqual(keys(comparison), declaredKeys(dts, 'Comparison'));
    assert.deepEqual(keys(comparison.methods[0]), declaredKeys(dts, 'MethodResult'));
    assert.deepEqual(keys(prepared), declaredKeys(dts, 'Prepared'));
    assert.deepEqual(keys(api.fit(X, y).toJSON()), declaredKeys(dts, 'ModelJSON'));
  });

  test('the examples depend on the tarball of the current version', () => {
    for (const example of ['node', 'vite']) {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'examples', example, 'package.json'), 'utf8'));
      assert.equal(manifest.dependencies.unlearn, `file:../../target/unlearn-${crateVersion()}.tgz`, example);
    }
  });
});

test('the Node example runs against the installed package', { timeout: TIMEOUT }, () => {
  const out = run(process.execPath, ['example.mjs'], { cwd: nodeApp });
  assert.match(out, /all checks passed/);
  nodeSummary = JSON.parse(run(process.execPath, ['example.mjs', '--json'], { cwd: nodeApp }));
  assert.deepEqual(nodeSummary.classes, ['negative', 'positive']);
  assert.equal(nodeSummary.report.nRows, 190);
  assert.ok(nodeSummary.distanceToRetrained < 0.05);
});

describe('the API in Node', () => {
  const data = () => api.makeClassification(120, 4, 11);

  test('rows, flat arrays and typed arrays give the same model', () => {
    const { X, y } = data();
    const flat = X.flat();
    const a = api.fit(X, y);
    const b = api.fit(flat, y, { nFeatures: 4 });
    const c = api.fit(Float64Array.from(flat), Float64Array.from(y), { nFeatures: 4 });
    const d = api.fit(X.map((row) => Float64Array.from(row)), Int32Array.from(y));
    for (const m of [b, c, d]) {
      assert.deepEqual(m.coef, a.coef);
      assert.deepEqual(m.intercept, a.intercept);
    }
    assert.deepEqual(a.predictProba(flat), a.predictProba(X));
    assert.deepEqual(a.predict(Float64Array.from(flat)), a.predict(X));
    assert.deepEqual(a.predict([]), []);
  });

  test('a binary model has scikit-learn shapes, and its outputs agree with each other and the bindings', () => {
    const { X, y } = data();
    const model = new api.LogisticRegression({ C: 2 });
    assert.equal(model.fit(X, y), model, 'fit returns the model');
    assert.deepEqual(model.classes, [0, 1]);
    assert.equal(model.nFeatures, 4);
    assert.equal(model.nClasses, 2);
    assert.equal(model.coef.length, 1, 'coef is 1 × d for two classes');
    assert.equal(model.coef[0].length, 4);
    assert.equal(model.intercept.length, 1);
    const raw = bindings.Unlearner.fit(Float64Array.from(X.flat()), Float64Array.from(y), 4, { l2: 0.5 });
    assert.deepEqual(model.coef[0], Array.from(raw.coef), 'C = 2 is l2 = 0.5; the layer passes the numbers through');
    assert.deepEqual(model.intercept, Array.from(raw.intercepts));
    raw.free();

    const proba = model.predictProba(X);
    const scores = model.decisionFunction(X);
    const predicted = model.predict(X);
    proba.forEach((p, i) => {
      assert.equal(p.length, 2);
      assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-12);
      assert.ok(Math.abs(1 / (1 + Math.exp(-scores[i])) - p[1]) < 1e-12, 'P(y = 1) = σ(decisionFunction)');
      assert.equal(predicted[i], scores[i] >= 0 ? 1 : 0);
    });
    const accuracy = predicted.filter((label, i) => label === y[i]).length / y.length;
    assert.equal(model.score(X, y), accuracy);
    assert.equal(model.nRows, 120);
    assert.equal(model.certified, false);
    assert.equal(model.budget, null);
    assert.equal(model.noise, null);
    assert.ok(model.beta < 1e-8, 'beta is the training residual');
  });

  test('a multinomial model takes string labels and sorts them into classes', () => {
    const { X } = data();
    const names = ['virginica', 'setosa', 'versicolor'];
    const y = X.map((row) => names[row[0] > 0.5 ? 0 : row[1] > 0 ? 1 : 2]);
    const model = api.fit(X, y, { l2: 0.1 });
    assert.deepEqual(model.classes, ['setosa', 'versicolor', 'virginica']);
    assert.equal(model.nClasses, 3);
    assert.equal(model.coef.length, 3);
    assert.equal(model.intercept.length, 3);
    assert.ok(Math.abs(model.intercept.reduce((a, b) => a + b)) < 1e-9, 'centred intercepts');
    const proba = model.predictProba(X);
    const scores = model.decisionFunction(X);
    const predicted = model.predict(X);
    proba.forEach((p, i) => {
      assert.ok(Math.abs(p.reduce((a, b) => a + b) - 1) < 1e-12);
      const top = p.indexOf(Math.max(...p));
      assert.equal(predicted[i], model.classes[top]);
      const z = scores[i];
      const sum = z.reduce((a, v) => a + Math.exp(v), 0);
      z.forEach((v, k) => assert.ok(Math.abs(Math.exp(v) / sum - p[k]) < 1e-12, 'softmax of the scores'));
    });
    assert.ok(model.score(X, y) > 0.8);
    assert.equal(model.score(X, y.map(() => 'rose')), 0, 'labels outside the classes count as wrong');

    const { model: next, report } = model.unlearn({ relabel: [[0, 'setosa'], [1, 'virginica']], remove: [2] });
    assert.equal(report.nRows, 119);
    assert.deepEqual(next.classes, model.classes);
    assert.throws(() => next.unlearn({ relabel: [[3, 'rose']] }), {
      message: 'edit.relabel[0]: label "rose" is not one of the model\'s classes ["setosa", "versicolor", "virginica"]',
    });
    assert.throws(() => api.fit(X, y, { certified: { epsilon: 1, delta: 1e-5, sigma: 1 } }), /multinomial model is not supported/);
    const setosa = y.flatMap((label, i) => (label === 'setosa' ? [i] : []));
    const fresh = api.fit(X, y, { l2: 0.1 });
    assert.throws(() => fresh.unlearn({ remove: setosa }, { method: 'retrain' }), {
      message: /^the request leaves no training row with the label "setosa":/,
    });

    const binary = api.fit(X, y.map((label) => (label === 'setosa' ? 'setosa' : 'other')));
    assert.throws(() => binary.unlearn({ remove: setosa }, { method: 'second_order' }), {
      message: /^the request leaves no training row with the label "setosa":/,
    });
    assert.equal(binary.canUnlearn, true);
  });

  test('unlearn returns a new model and a report; the old model keeps predicting but no longer unlearns', () => {
    const { X, y } = data();
    const model = api.fit(X, y);
    const before = model.predictProba(X);
    const coefBefore = model.coef;
    assert.throws(() => model.unlearn({ remove: [500] }), /rows to remove: index 500 is out of range \(valid: 0 to 119\)/);
    assert.equal(model.canUnlearn, true, 'a failed request changes nothing');

    const raw = bindings.Unlearner.fit(Float64Array.from(X.flat()), Float64Array.from(y), 4, {});
    const edit = { features: [1], featureValues: [[0, 0.25]], cells: [[5, 2, 0.5]], relabel: [[7, 1 - y[7]]], remove: [3, 4] };
    const rawReport = raw.request(edit, { method: 'second_order' });
    const { model: next, report } = model.unlearn(edit, { method: 'second_order' });
    assert.deepEqual(next.coef[0], Array.from(raw.coef), 'the same numbers as the bindings');
    assert.deepEqual(next.intercept, Array.from(raw.intercepts));
    raw.free();
    const { seconds, ...rest } = report;
    assert.deepEqual(rest, rawReport);
    assert.ok(seconds >= 0 && seconds < 10);
    assert.equal(report.method, 'second_order');
    assert.equal(report.nRows, 118);
    assert.equal(report.certificate, null);

    assert.notEqual(next, model);
    assert.deepEqual(model.predictProba(X), before, 'the old model is a value');
    assert.deepEqual(model.coef, coefBefore);
    assert.equal(model.canUnlearn, false);
    assert.equal(model.nRows, 120, 'the old model reports its own time');
    assert.equal(next.nRows, 118);
    assert.throws(() => model.unlearn({ remove: [9] }), /superseded/);
    assert.throws(() => model.retrain(), /superseded/);
    assert.throws(() => model.failedAssumptions(), /superseded/);
    assert.throws(() => next.unlearn({ remove: [3] }), /row 3 was removed by an earlier request/);

    for (const method of api.METHODS) {
      const { model: after, report: r } = api.fit(X, y).unlearn({ remove: [0, 1] }, { method });
      assert.equal(r.method, method);
      assert.equal(after.nRows, 118);
    }
  });

  test('retrain() is fitting on the edited data from scratch', () => {
    const { X, y } = data();
    const remove = [0, 5, 9];
    const { model: retrained, report } = api.fit(X, y).retrain({ remove, features: [2] });
    assert.equal(report.method, 'retrain');
    const kept = X.map((_, i) => i).filter((i) => !remove.includes(i));
    const direct = api.fit(kept.map((i) => X[i].map((v, j) => (j === 2 ? 0 : v))), kept.map((i) => y[i]));
    assertNearlyEqual(retrained.coef, direct.coef, 1e-8);
    assertNearlyEqual(retrained.intercept, direct.intercept, 1e-8);
    const second = retrained.retrain();
    assert.equal(second.report.affected, 0);
    assertNearlyEqual(second.model.coef, direct.coef, 1e-8);
  });

  test('certified mode: certificates with labels, budget, reproducible noise, refusals', () => {
    const { X, y } = api.makeClassification(200, 5, 3);
    const labels = y.map((v) => (v ? 'yes' : 'no'));
    const prepared = api.prepare(X, labels, { unitRows: true, seed: 1 });
    assert.equal(prepared.xTrain.length, 160);
    assert.equal(prepared.xTest.length, 40);
    assert.ok(prepared.xTrain.every((row) => Math.hypot(...row) <= 1 + 1e-12));
    assert.deepEqual([...new Set(prepared.yTrain)].sort(), ['no', 'yes']);
    assert.deepEqual(prepared.trainRows.map((i) => labels[i]), prepared.yTrain);

    const options = { l2: 1, fitIntercept: false, certified: { epsilon: 1, delta: 1e-5, sigma: 5, seed: 17 } };
    const model = api.fit(prepared.xTrain, prepared.yTrain, options);
    assert.deepEqual(api.fit(prepared.xTrain, prepared.yTrain, options).coef, model.coef, 'the seed reproduces the noise');
    assert.equal(model.certified, true);
    assert.equal(model.noise, 'reproducible');
    assert.equal('noiseSeed' in model, false, 'the seed is not reported back');
    assert.deepEqual(model.failedAssumptions(), []);
    const c = Math.sqrt(2 * Math.log(1.5 / 1e-5));
    assert.ok(Math.abs(model.budget - (5 * 1) / c) < 1e-12, 'budget σε/c');

    const flipped = prepared.yTrain[4] === 'yes' ? 'no' : 'yes';
    const { model: next, report } = model.unlearn({ remove: [0, 1], relabel: [[4, flipped]] });
    const certificate = report.certificate;
    assert.equal(certificate.boundHolds, true, 'the bound holds');
    assert.equal(certificate.certified, false, 'but a seed is no privacy guarantee');
    assert.equal(certificate.noise, 'reproducible');
    assert.match(certificate.reason, /^reproducible noise: not a privacy guarantee/);
    assert.equal(certificate.retrained, false);
    assert.deepEqual(certificate.edit.relabel, [[4, flipped]], 'labels, not class codes');
    assert.deepEqual(certificate.edit.remove, [0, 1]);
    assert.deepEqual(certificate.edit.featureValues, []);
    assert.equal(next.noise, 'reproducible');
    assert.equal(model.noise, 'reproducible', 'a superseded model still says what its noise was');
    assert.ok(certificate.residual <= certificate.betaAfter, 'the residual is within the bound');
    assert.equal(next.beta, certificate.betaAfter);
    assert.equal(model.beta, certificate.betaBefore);
    assert.equal(next.budget, model.budget);
    assert.throws(() => next.unlearn({ remove: [2] }, { method: 'fine_tune' }), /cannot be used in certified mode/);
    assert.equal(next.canUnlearn, true, 'a refused request changes nothing');

    const withIntercept = api.fit(prepared.xTrain, prepared.yTrain, { ...options, fitIntercept: true });
    assert.ok(withIntercept.failedAssumptions().length > 0, 'an unpenalised intercept is named');
    const uncertified = withIntercept.unlearn({ remove: [0] }).report.certificate;
    assert.equal(uncertified.certified, false);
    assert.deepEqual([uncertified.bound, uncertified.worstCaseBound, uncertified.betaAfter], [null, null, null], 'no number reads like a guarantee');
    assert.match(uncertified.reason, /^not certified: /);
  });

  test('certified mode without a seed: secret noise, certified, and nothing exported names it', () => {
    const { X, y } = api.makeClassification(200, 5, 3);
    const prepared = api.prepare(X, y, { unitRows: true, seed: 1 });
    const options = { l2: 1, fitIntercept: false, certified: { epsilon: 1, delta: 1e-5, sigma: 5 } };
    const model = api.fit(prepared.xTrain, prepared.yTrain, options);
    const twin = api.fit(prepared.xTrain, prepared.yTrain, options);
    assert.notDeepEqual(model.coef, twin.coef, 'two fits on the same data draw different b');
    assert.equal(model.noise, 'secret');
    const { model: next, report } = model.unlearn({ remove: [0] });
    const c = report.certificate;
    assert.equal(c.noise, 'secret');
    assert.equal(c.certified, c.boundHolds, 'with secret noise, certified exactly when the bound holds');
    assert.equal(c.boundHolds, true);
    assert.doesNotMatch(c.reason ?? '', /reproducible/);
    const { report: retrained } = next.retrain({ remove: [1] });
    assert.equal(retrained.certificate.noise, 'secret', 'a retrain draws fresh secret noise');
    assert.equal(retrained.certificate.certified, true);

    // No key of anything the package hands out names a seed, or noise beyond its kind and count.
    const exported = { report, retrained, json: next.toJSON(), text: JSON.stringify(next) };
    const keys = [];
    const walk = (value) => {
      if (typeof value === 'string' && value.startsWith('{')) walk(JSON.parse(value));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          keys.push(k);
          walk(v);
        }
      }
    };
    walk(exported);
    assert.deepEqual(keys.filter((k) => /seed/i.test(k)), []);
    assert.deepEqual([...new Set(keys.filter((k) => /noise/i.test(k)))].sort(), ['noise', 'noiseDraws', 'residualWithoutNoise']);
    const getters = Object.getOwnPropertyNames(Object.getPrototypeOf(next));
    assert.deepEqual(getters.filter((k) => /seed/i.test(k)), [], 'no seed getter');
  });

  test('every case of the guard table (tests/guards/cases.json) is refused by fit, unlearn and compare', () => {
    const { cases } = JSON.parse(readFileSync(join(ROOT, 'tests', 'guards', 'cases.json'), 'utf8'));
    const refused = (c, path, call) => {
      assert.throws(call, (error) => {
        for (const part of c.message) {
          // The package names classes by their labels ("with the label 2"), not by code.
          const wanted = part.replace(/^class (\d+)$/, 'label $1');
          assert.ok(error.message.includes(wanted), `${c.name}, ${path}: ${JSON.stringify(error.message)} lacks ${JSON.stringify(wanted)}`);
        }
        return true;
      });
    };
    for (const c of cases) {
      if (c.at === 'fit') {
        refused(c, 'fit', () => api.fit(c.x, c.y, c.train));
        refused(c, 'compare', () => api.compare(c.x, c.y, {}, c.train));
        continue;
      }
      const fitted = () => api.fit(c.x, c.y, c.train);
      if (c.at === 'request') {
        for (const method of api.METHODS) {
          const model = fitted();
          refused(c, method, () => model.unlearn(c.edit, { method }));
          assert.equal(model.canUnlearn, true, 'a refused request changes nothing');
        }
        refused(c, 'compare', () => api.compare(c.x, c.y, c.edit, { ...c.train, methods: api.METHODS, minTimingSeconds: 0 }));
      } else {
        refused(c, 'second_order', () => fitted().unlearn(c.edit));
        const lazy = fitted().unlearn(c.edit, { method: 'lazy' }).report;
        assert.ok(lazy.warnings.some((w) => w.includes('no Hessian factor is kept')), lazy.warnings.join(' | '));
        const comparison = api.compare(c.x, c.y, c.edit, { ...c.train, methods: api.METHODS, minTimingSeconds: 0 });
        const second = comparison.methods.find((m) => m.method === 'second_order');
        refused(c, 'compare, second_order', () => {
          throw new Error(second.error);
        });
      }
    }
  });

  test('unlearn reports carry drift and warnings; a drifting model can correct itself', () => {
    const { X, y } = data();
    assert.deepEqual(api.fit(X, y).warnings, [], 'standardised-scale data: no warning');
    const raw = api.fit(X.map((row) => [row[0] * 1.2e6, ...row.slice(1)]), y, { tol: 1e-3 });
    assert.match(raw.warnings[0], /^badly scaled features: 1 column reaches beyond ±1e6/);
    const edited = api.fit(X, y).unlearn({ cells: [[0, 1, 5e8]] }).report;
    assert.ok(edited.warnings.some((w) => w.startsWith('badly scaled features')), 'a value the request brings in');
    const { report } = api.fit(X, y).unlearn({ remove: [0, 1] });
    assert.deepEqual(report.warnings, []);
    assert.ok(report.drift > 0 && report.drift < 1e-2);
    assert.equal(report.corrected, null);
    const overshoot = api.fit(X, y).unlearn({ remove: [0, 1] }, { method: 'first_order', tau: 50 }).report;
    assert.ok(overshoot.warnings.some((w) => w.includes('farther from the edited optimum than no update')), overshoot.warnings.join(' | '));
    const strict = api.fit(X, y, { drift: { threshold: 1e-12, action: 'retrain' } }).unlearn({ remove: [0, 1] }).report;
    assert.equal(strict.corrected, 'retrain');
    assert.ok(strict.residual <= 1e-9);
  });

  test('sizes beyond the memory and objects used after free() are clear errors, never a crash', () => {
    const limit = /beyond the limit of .* that this library allows \(WebAssembly has at most 4 GiB of memory\)/;
    assert.throws(() => api.trainTestSplit(4e9), limit);
    assert.throws(() => api.sampleRows(4e9, 3e9, 1), limit);
    const wide = Array.from({ length: 10 }, (_, i) => Array.from({ length: 9000 }, (_, j) => Math.sin(i * 9000 + j)));
    assert.throws(() => api.fit(wide, wide.map((_, i) => i % 2)), /training problem: 10 rows × 9000 features .*use fewer features/);
    // 600 classes of 5 features: 3,600 parameters, minutes per Newton step: refused up front.
    const many = Array.from({ length: 600 }, (_, i) => [i % 7, i % 5, i % 3, i % 11, i % 13]);
    assert.throws(() => api.fit(many, many.map((_, i) => `c${i}`)), /operations per Newton step .*use fewer features or classes/);
    const raw = bindings.Unlearner.fit(Float64Array.of(0, 1, 2, 3), Float64Array.of(0, 1, 0, 1), 1, {});
    raw.free();
    assert.throws(() => raw.request({ remove: [0] }), { message: /^Unlearner\.request: this object was freed \(free\(\) was called on it\); create a new one$/ });
    assert.throws(() => raw.coef, /Unlearner\.coef: this object was freed/);
    const boom = () => {
      throw new Error('stop here');
    };
    assert.throws(() => api.fit([[0], [1], [2], [3]], [0, 1, 0, 1], { onProgress: boom }), /stopped by options\.onProgress, which threw: stop here; nothing was changed/);
  });

  test('toJSON and fromJSON round-trip a predict-only model', () => {
    const { X, y } = data();
    const labels = y.map((v) => v === 1);
    const model = api.fit(X, labels);
    const text = JSON.stringify(model);
    const json = JSON.parse(text);
    assert.equal(json.format, 'unlearn-model');
    assert.equal(json.version, 1);
    assert.deepEqual(json.classes, [false, true]);
    for (const loaded of [api.LogisticRegression.fromJSON(text), api.LogisticRegression.fromJSON(json)]) {
      assert.deepEqual(loaded.predictProba(X), model.predictProba(X));
      assert.deepEqual(loaded.predict(X), model.predict(X));
      assert.deepEqual(loaded.coef, model.coef);
      assert.deepEqual(loaded.classes, [false, true]);
      assert.equal(loaded.canUnlearn, false);
      assert.equal(loaded.nRows, null);
      assert.throws(() => loaded.unlearn({ remove: [0] }), /loaded with fromJSON/);
    }
    const { classes, ...withoutClasses } = json;
    assert.deepEqual(api.LogisticRegression.fromJSON(withoutClasses).classes, [0, 1], 'classes default to 0 … K − 1');
    assert.throws(() => api.LogisticRegression.fromJSON({ ...json, format: 'pickle' }), /not an exported model/);
    assert.throws(() => api.LogisticRegression.fromJSON({ ...json, classes: ['a'] }), /expected 2 distinct labels/);
    assert.throws(() => api.LogisticRegression.fromJSON('{oops'), /the text is not JSON/);
    // A file changed by hand: every mistake is named with its key and index.
    const theta = json.theta.slice();
    theta[2] = null;
    assert.throws(() => api.LogisticRegression.fromJSON({ ...json, theta }), /model: theta\[2\] is null, not a number/);
    const huge = text.replace(/"theta":\[[^,]+/, '"theta":[1e999');
    assert.throws(() => api.LogisticRegression.fromJSON(huge), /model: theta\[0\] is Infinity, not a finite number/);
    const coef = json.coef.slice();
    coef[1] += 0.5;
    assert.throws(() => api.LogisticRegression.fromJSON({ ...json, coef }), /model: coef\[1\] = \S+ disagrees with theta\[1\] = /);
    assert.throws(() => api.LogisticRegression.fromJSON({ ...json, intercepts: [json.intercepts[0] + 1] }), /model: intercepts\[0\] = \S+ disagrees with theta\[4\]/);
    const { coef: _c, intercepts: _i, ...bare } = json;
    assert.deepEqual(api.LogisticRegression.fromJSON(bare).predict(X), model.predict(X), 'coef and intercepts are optional');
  });

  test('bad input throws an Error whose message says what is wrong', () => {
    const { X, y } = data();
    const model = api.fit(X, y);
    const cases = [
      [() => api.fit(X, y.slice(1)), /^y: 119 labels for 120 rows of X/],
      [() => api.fit([[1, 2], [3]], [0, 1]), /^X\[1\]: 1 values, expected 2 \(row 0 has 2\)/],
      [() => api.fit([[1, 'a'], [3, 4]], [0, 1]), /^X\[0\]\[1\]: expected a number; got the string "a"/],
      [() => api.fit([[1, NaN], [3, 4]], [0, 1]), /row 0, column 1 is NaN or infinite/],
      [() => api.fit([[1n, 2], [3, 4]], [0, 1]), /BigInt values are not accepted/],
      [() => api.fit(new BigInt64Array(4), [0, 1], { nFeatures: 2 }), /BigInt values are not accepted/],
      [() => api.fit([1, 2, 3, 4], [0, 1]), /needs nFeatures/],
      [() => api.fit([1, 2, 3], [0, 1], { nFeatures: 2 }), /3 values do not split into rows of 2/],
      [() => api.fit('data', y), /^X: expected an array of rows/],
      [() => api.fit([], []), /^X: no rows/],
      [() => api.fit(X, y.map(() => 1)), /every row has the label 1; fit needs rows of at least two classes/],
      [() => api.fit(X, y.map((v, i) => (i ? v : 'a'))), /labels mix types/],
      [() => api.fit(X, y.map((v, i) => (i ? v : null))), /^y\[0\]: expected a class label/],
      [() => api.fit(X, y, { lambda: 1 }), /unknown key "lambda" \(the L2 strength λ is `l2`/],
      [() => api.fit(X, y, { l2: 1, C: 1 }), /either l2 \(λ\) or C/],
      [() => api.fit(X, y, { C: 0 }), /options.C: expected a number > 0/],
      [() => api.fit(X, y, { l2: -1 }), /l2/],
      [() => api.fit(X, y, { certified: { epsilon: 1 } }), /^options.certified.delta: expected a number/],
      [() => api.fit(X, y, { certified: { epsilon: 1, delta: 1e-5, sigma: 1, rng: 2 } }), /^options.certified: unknown key `rng`/],
      [() => api.fit([[0], [1], [2]], [0, 0.5, 1]), /^y\[1\]: 0\.5 is not a whole number; .*pass the labels as strings to declare them categories/],
      [() => api.fit(X, y, { drift: { action: 'panic' } }), /^options.drift: unknown variant `panic`, expected one of `warn`, `refine`, `retrain`/],
      [() => api.fit(X, y, { drift: { threshold: -1 } }), /drift threshold = -1 is invalid/],
      [() => api.fit(X, y, { certified: { epsilon: 1, delta: 2, sigma: 1 } }), /δ = 2 is invalid: expected a number in \(0, 1\)/],
      [() => api.fit(X, y, { maxIter: 1 }), /training did not converge in 1 Newton iterations/],
      [() => model.predict([[1, 2]]), /X\[0\]: 2 values, expected 4 \(the model's nFeatures is 4\)/],
      [() => model.predict(new Float64Array(6)), /6 values do not split into rows of 4/],
      [() => model.unlearn({ forget: [1] }), /^edit: unknown key "forget"/],
      [() => model.unlearn({ remove: 3 }), /^edit.remove: expected an array of indices/],
      [() => model.unlearn({ relabel: [[1]] }), /^edit.relabel\[0\]: expected \[row, label\]/],
      [() => model.unlearn({ remove: [1.5] }), /not an index/],
      [() => model.unlearn({ features: [9] }), /features to forget: index 9 is out of range \(valid: 0 to 3\)/],
      [() => model.unlearn({ features: [1], featureValues: [[1, 0.5]] }), /features to forget: index 1 appears more than once/],
      [() => model.unlearn({ featureValues: [[1]] }), /edit.featureValues\[0\]: expected 2 numbers, got 1/],
      [() => model.unlearn({}, { method: 'magic' }), /unknown name `magic`/],
      [() => model.unlearn({}, { tau: -1, mehtod: 'lazy' }), /unknown key "mehtod"/],
      [() => model.unlearn({ remove: X.map((_, i) => i) }), /removes every row/],
      [() => new api.LogisticRegression().predict(X), /not fitted yet/],
      [() => api.LogisticRegression.fromJSON(null), /expected the object that toJSON\(\) returns/],
    ];
    for (const [call, message] of cases) {
      assert.throws(call, (error) => {
        assert.ok(error instanceof Error, `an Error instance for ${message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.equal(model.canUnlearn, true, 'no failed call changed the model');
    assert.equal(model.nRows, 120);
  });

  test('every output is plain data of JS numbers — never a BigInt or a typed array', () => {
    const { X, y } = data();
    const model = api.fit(X, y.map((v) => `c${v}`));
    const { model: next, report } = model.unlearn({ remove: [1] });
    const outputs = {
      coef: next.coef,
      intercept: next.intercept,
      classes: next.classes,
      proba: next.predictProba(X),
      scores: next.decisionFunction(X),
      predicted: next.predict(X),
      report,
      json: next.toJSON(),
      counts: [next.nFeatures, next.nClasses, next.nRows, next.beta, next.score(X, y.map((v) => `c${v}`))],
      comparison: api.compare(X, y, { remove: [1] }, { methods: ['second_order', 'retrain'], minTimingSeconds: 0 }),
      prepared: api.prepare(X, y),
      sampled: api.sampleRows(10, 3, 1),
      split: api.trainTestSplit(10),
      seed: api.randomSeed(),
      data: api.makeClassification(5, 2, 1),
    };
    assert.equal(findBigInt(outputs), null);
    const typed = [];
    const walk = (value, path) => {
      if (ArrayBuffer.isView(value)) typed.push(path);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    };
    walk(outputs, '$');
    assert.deepEqual(typed, [], 'plain arrays only');
  });

  test('compare, prepare and the helpers', () => {
    const { X, y } = data();
    const comparison = api.compare(X, y, { remove: [0, 1], features: [3] }, {
      l2: 1,
      methods: ['first_order', 'second_order', 'exact', 'retrain'],
      xTest: X.slice(0, 30),
      yTest: y.slice(0, 30),
      minTimingSeconds: 0,
    });
    assert.deepEqual(comparison.methods.map((m) => m.method), ['first_order', 'second_order', 'exact', 'retrain']);
    assert.deepEqual(comparison.classes, [0, 1]);
    const byMethod = Object.fromEntries(comparison.methods.map((m) => [m.method, m]));
    assert.equal(byMethod.retrain.distanceToRetrain, 0);
    assert.ok(byMethod.second_order.distanceToRetrain < byMethod.first_order.distanceToRetrain);
    assert.ok(byMethod.exact.distanceToRetrain < 1e-6);
    const unlearned = api.fit(X, y).unlearn({ remove: [0, 1], features: [3] }).model;
    assertNearlyEqual([...unlearned.coef[0], ...unlearned.intercept], byMethod.second_order.theta, 1e-10);

    const prepared = api.prepare(X.flat(), y, { nFeatures: 4, testFraction: 0.25, seed: 5 });
    assert.equal(prepared.xTrain.length, 90);
    assert.equal(prepared.mean.length, 4);
    assert.deepEqual(prepared.constantColumns, []);
    // A column that is constant up to round-off is named and maps to exactly 0, not to ±1.
    const near = X.map((row, i) => [...row, 1e6 + 0.3 + (i % 2) * 1e-10]);
    const noted = api.prepare(near, y);
    assert.deepEqual(noted.constantColumns, [4]);
    assert.ok(noted.xTrain.every((row) => row[4] === 0));
    assert.equal(prepared.scale.length, 4);
    assert.deepEqual([...prepared.trainRows, ...prepared.testRows].sort((a, b) => a - b), X.map((_, i) => i));
    assert.deepEqual(api.trainTestSplit(120, { testFraction: 0.25, seed: 5 }), { train: prepared.trainRows, test: prepared.testRows });

    assert.deepEqual(api.sampleRows(10, 3, 4), api.sampleRows(10, 3, 4));
    assert.equal(new Set(api.sampleRows(10, 10, 4)).size, 10);
    const seed = api.randomSeed();
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32);
    assert.deepEqual(api.makeClassification(20, 3, 9), api.makeClassification(20, 3, 9));
    assert.equal(api.METHODS.length, 10);
    assert.equal(api.default, api.init);
  });

  test('free() releases the model; methods then throw and the parameters stay readable', () => {
    const { X, y } = data();
    const model = api.fit(X, y);
    const coef = model.coef;
    const { model: next } = model.unlearn({ remove: [0] });
    model.free();
    assert.throws(() => model.predict(X), /freed/);
    assert.throws(() => model.toJSON(), /freed/);
    assert.throws(() => model.unlearn({}), /freed/);
    assert.deepEqual(model.coef, coef, 'the parameters stay readable');
    assert.equal(model.intercept.length, 1);
    assert.deepEqual(model.classes, [0, 1]);
    assert.equal(model.nFeatures, 4);
    assert.equal(model.nClasses, 2);
    assert.equal(next.predict(X).length, 120, 'freeing the old model leaves the new one working');
    next.free();
    next.free();
    assert.throws(() => next.unlearn({ remove: [1] }), /freed/);
  });
});

test('the browser entry needs init() first, then works (in Node, loaded by path)', { timeout: TIMEOUT }, () => {
  const script = `
    import { readFileSync } from 'node:fs';
    const entry = new URL('./node_modules/unlearn/index.js', 'file://${nodeApp}/');
    const { init, fit } = await import(entry);
    let message = null;
    try { fit([[0], [1]], [0, 1]); } catch (error) { message = error.message; }
    await init(readFileSync(new URL('./wasm/unlearn_bg.wasm', entry)));
    await init();
    const model = fit([[0], [1], [2], [3]], ['a', 'a', 'b', 'b']);
    console.log(JSON.stringify({ message, predicted: model.predict([[0], [3]]) }));
  `;
  const out = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], { cwd: nodeApp }));
  assert.match(out.message, /not initialised: call `await init\(\)`/);
  assert.deepEqual(out.predicted, ['a', 'b']);
});

test('the TypeScript declarations type-check a strict consumer (nodenext and bundler resolution)', { timeout: TIMEOUT }, () => {
  const app = join(work, 'types');
  installApp(join(ROOT, 'tests', 'npm', 'types'), app, tarball);
  const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app });
  run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { cwd: app });
});

test('the Vite example builds (and serves with vite dev), and in Chromium computes the same numbers as Node', { timeout: TIMEOUT }, async () => {
  assert.ok(nodeSummary, 'the Node example ran first');
  const app = join(work, 'vite');
  installApp(join(ROOT, 'examples', 'vite'), app, tarball);
  run(process.execPath, [join(app, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: app });
  const assets = readdirSync(join(app, 'dist', 'assets'));
  assert.equal(assets.filter((f) => f.endsWith('.wasm')).length, 1, `one .wasm asset for both pages: ${assets}`);
  assert.ok(existsSync(join(app, 'dist', 'auto.html')));

  const server = await serveStatic(join(app, 'dist'));
  const browser = await launchChromium();
  try {
    const origin = new URL(server.url).origin;
    const origins = [origin]; // the static server's, then the dev server's
    const page = await browser.newPage();
    const log = { requests: [], failed: [], errors: [], console: [] };
    page.on('request', (request) => log.requests.push(request.url()));
    page.on('requestfailed', (request) => log.failed.push(request.url()));
    page.on('pageerror', (error) => log.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') log.console.push(message.text());
    });

    const read = async (path) => {
      await page.goto(`${server.url}${path}`);
      await page.waitForSelector('body[data-status]', { timeout: 60_000 });
      const status = await page.getAttribute('body', 'data-status');
      assert.equal(status, 'done', `${path}: ${await page.textContent('#status')}`);
      return JSON.parse(await page.textContent('#summary'));
    };

    assertNearlyEqual(await read('index.html'), nodeSummary, 1e-12);
    const rows = await page.$$eval('#table tbody tr', (trs) => trs.length);
    assert.equal(rows, 3, 'the page shows trained, unlearned and retrained');

    const { X, y } = api.makeClassification(200, 5, 7);
    const model = api.fit(X, y, { C: 1 });
    assertNearlyEqual(await read('auto.html'), { classes: model.classes, proba: model.predictProba(X.slice(0, 5)) }, 1e-12);

    // The same app from the dev server (`npm run dev`), which serves the package from node_modules.
    const { createServer } = await import(pathToFileURL(join(app, 'node_modules', 'vite', 'dist', 'node', 'index.js')).href);
    const dev = await createServer({ root: app, logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false } });
    await dev.listen();
    try {
      const devUrl = dev.resolvedUrls.local[0];
      origins.push(new URL(devUrl).origin);
      await page.goto(`${devUrl}index.html`);
      await page.waitForSelector('body[data-status]', { timeout: 60_000 });
      assert.equal(await page.getAttribute('body', 'data-status'), 'done', await page.textContent('#status'));
      assertNearlyEqual(JSON.parse(await page.textContent('#summary')), nodeSummary, 1e-12);
    } finally {
      await dev.close();
    }

    assert.ok(log.requests.some((url) => url.endsWith('.wasm')), 'the page fetched the .wasm');
    assert.deepEqual(log.requests.filter((url) => !origins.includes(new URL(url).origin)), [], 'nothing from another origin');
    assert.deepEqual(log.failed, []);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.console, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
