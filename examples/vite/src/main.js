// Train a logistic model in the browser and make it forget a feature, ten rows and a wrong label —
// the same steps as examples/node/example.mjs, so both print the same summary.
import { init, fit, makeClassification, version } from 'unlearn';

const status = document.getElementById('status');

const fixed = (v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);

function row(name, model, X, y) {
  const tr = document.createElement('tr');
  const cells = [name, fixed(model.score(X, y)), model.coef[0].map(fixed).join(', '), fixed(model.intercept[0])];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  document.querySelector('#table tbody').append(tr);
}

async function main() {
  await init(); // fetches and compiles the .wasm that Vite emitted next to the bundle

  const data = makeClassification(200, 5, 7);
  const X = data.X;
  const y = data.y.map((v) => (v === 1 ? 'positive' : 'negative'));
  const model = fit(X, y, { C: 1 });

  const remove = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const corrected = y[12] === 'positive' ? 'negative' : 'positive';
  const { model: unlearned, report } = model.unlearn(
    { features: [0], remove, relabel: [[12, corrected]] },
    { method: 'second_order' },
  );

  const kept = X.map((_, i) => i).filter((i) => !remove.includes(i));
  const xEdited = kept.map((i) => [0, ...X[i].slice(1)]);
  const yEdited = kept.map((i) => (i === 12 ? corrected : y[i]));
  const retrained = fit(xEdited, yEdited, { C: 1 });
  const distance = Math.hypot(
    ...unlearned.coef[0].map((w, j) => w - retrained.coef[0][j]),
    unlearned.intercept[0] - retrained.intercept[0],
  );

  row('trained', model, X, y);
  row(`unlearned (${report.method}, ${(report.seconds * 1000).toFixed(1)} ms)`, unlearned, xEdited, yEdited);
  row('retrained from scratch', retrained, xEdited, yEdited);
  document.getElementById('table').hidden = false;

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
  document.getElementById('summary').textContent = JSON.stringify(summary, null, 2);
  status.textContent = `unlearn ${version}: done. The unlearned model is ${distance.toExponential(2)} from retraining.`;
  document.body.dataset.status = 'done';
}

main().catch((error) => {
  status.textContent = `Error: ${error.message}`;
  document.body.dataset.status = 'error';
});
