// Pure renderers for the text around the controls and results.
import { percent, sig } from './format.js';

const labelName = (y) => (y === 1 ? 'malignant' : 'benign');

/** The dataset and model summary line in the header. */
export function renderDatasetLine(node, { datasetName, data, model }) {
  if (!data || !model) {
    node.textContent = 'Loading the data and training the model…';
    return;
  }
  const r = model.report;
  const parts = [
    datasetName,
    `${r.nTrain} train / ${r.nTest} test / d = ${r.nFeatures}`,
    'positive class = malignant',
    'features standardised on the training split',
  ];
  const modelParts = [
    ['accuracy', `test accuracy ${percent(r.testAccuracy)}`],
    ['iterations', `${r.iterations} Newton iterations`],
    ['grad', `‖∇L‖ = ${sig(r.gradNorm)}`],
    ['l2', `λ = ${model.l2}`],
  ];
  const dataLine = document.createElement('span');
  dataLine.className = 'facts';
  for (const text of parts) {
    const item = document.createElement('span');
    item.textContent = text;
    dataLine.append(item);
  }
  const modelLine = document.createElement('span');
  modelLine.className = 'facts facts--model';
  modelLine.id = 'model-line';
  for (const [key, text] of modelParts) {
    const item = document.createElement('span');
    item.textContent = text;
    item.dataset.key = key;
    modelLine.append(item);
  }
  if (model.poisoned.length > 0) {
    const item = document.createElement('span');
    item.className = 'poisoned';
    item.textContent = `trained on ${model.poisoned.length} poisoned label${model.poisoned.length === 1 ? '' : 's'}`;
    modelLine.append(item);
  }
  node.replaceChildren(dataLine, modelLine);
}

/** The chosen relabel rows with their CSV row and label change. */
export function renderRelabelList(list, plan, { poison }) {
  list.replaceChildren(
    ...plan.map(({ row, csvRow, from, to }) => {
      const item = document.createElement('li');
      item.dataset.row = String(row);
      item.dataset.csvRow = String(csvRow);
      item.dataset.from = String(from);
      item.dataset.to = String(to);
      const index = document.createElement('span');
      index.className = 'chip__row';
      index.textContent = `#${row}`;
      const csv = document.createElement('span');
      csv.className = 'chip__csv';
      csv.textContent = `CSV row ${csvRow}`;
      csv.title = 'Row of breast_cancer.csv, counted from 0 after the header';
      const change = document.createElement('span');
      change.className = 'chip__change';
      change.textContent = `${labelName(from)} → ${labelName(to)}`;
      item.append(index, csv, change);
      item.title = poison
        ? `Training row ${row}: trained with the poisoned label ${from}, unlearning restores ${to}`
        : `Training row ${row}: label ${from} becomes ${to}`;
      return item;
    }),
  );
}

/** "m of n training rows affected" and what retraining did. */
export function renderAffected(node, comparison, model) {
  if (!comparison || !model) {
    node.textContent = '';
    return;
  }
  const n = model.report.nTrain;
  const m = comparison.affected.length;
  const strong = document.createElement('strong');
  strong.id = 'affected-count';
  strong.textContent = `${m} of ${n} training rows affected`;
  const rest = document.createElement('span');
  const removed = n - comparison.nEdited;
  rest.textContent =
    ` · ${removed} deleted, ${comparison.nEdited} remain` +
    ` · retraining took ${comparison.retrainIterations} Newton iterations` +
    ` (‖∇L‖ = ${sig(comparison.retrainGradNorm)})`;
  node.replaceChildren(strong, rest);
}

/** Shows one message in the status region and one in the alert region (either may be empty). */
export function renderMessages({ statusNode, alertNode }, { status = '', error = '' }) {
  if (statusNode.textContent !== status) statusNode.textContent = status;
  if (alertNode.textContent !== error) alertNode.textContent = error;
}

/** Marks one input as invalid with its message next to it, or clears it. */
export function renderFieldError(input, messageNode, message) {
  if (message) {
    input.setAttribute('aria-invalid', 'true');
    messageNode.textContent = message;
    messageNode.hidden = false;
  } else {
    input.removeAttribute('aria-invalid');
    messageNode.textContent = '';
    messageNode.hidden = true;
  }
}

/**
 * The warnings about the current results (the core's, e.g. a nearly singular Hessian, and the
 * page's own, e.g. absurd parameters), as a list in `node`; hidden when there are none.
 */
export function renderWarnings(node, warnings) {
  const list = node.querySelector('ul');
  list.replaceChildren(
    ...warnings.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
  node.hidden = warnings.length === 0;
}

/** The line under the chart naming the methods it leaves out, and why. */
export function renderChartNote(node, leftOut) {
  node.textContent =
    leftOut.length === 0 ? '' : `Not drawn: ${leftOut.map(({ label, why }) => `${label} (${why})`).join('; ')}.`;
  node.hidden = leftOut.length === 0;
}

/**
 * Under “Poison first”: how the trained model relates to the checkbox and the rows, when they
 * differ (the model line in the header always describes the trained model).
 */
export function renderPoisonState(node, { model, poison, relabel }) {
  const trained = model ? model.poisoned : [];
  const planned = poison ? relabel : [];
  const same = trained.length === planned.length && trained.every((row, i) => row === planned[i]);
  let text = '';
  if (!same) {
    const now =
      trained.length === 0
        ? 'The current model is trained on the true labels'
        : `The current model is trained on ${trained.length} poisoned label${trained.length === 1 ? '' : 's'}`;
    const next =
      planned.length === 0
        ? 'the next Unlearn retrains it on the true labels'
        : `the next Unlearn retrains it with ${planned.length === 1 ? 'this label' : `these ${planned.length} labels`} poisoned`;
    text = `${now}; ${next}.`;
  }
  node.textContent = text;
  node.hidden = text === '';
}
