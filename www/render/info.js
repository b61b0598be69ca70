// Pure renderers for the text around the controls and results.
import { percent, sig } from './format.js';
import { el } from './table.js';

const className = (data, y) => data?.classNames?.[y] ?? String(y);

/** "label 1 = malignant" for two classes, "10 classes: 0, 1, …, 9" for more. */
export function classSummary(data) {
  if (!data) return '';
  const names = data.classNames;
  if (names.length <= 2) return `label 1 = ${names[1]} · label 0 = ${names[0]}`;
  const shown = names.length <= 12 ? names.join(', ') : `${names.slice(0, 10).join(', ')}, …`;
  return `${names.length} classes (${shown}): multinomial model`;
}

/** The dataset and model summary line in the header. */
export function renderDatasetLine(node, { data, model }) {
  if (!data || !model) {
    node.textContent = 'Loading the data and training the model…';
    return;
  }
  const r = model.report;
  const categorical = data.groups.some((g) => g.kind === 'categorical');
  const parts = [
    data.name,
    `${r.nTrain} train / ${r.nTest} test / d = ${r.nFeatures}`,
    classSummary(data),
    categorical
      ? 'numeric features standardised on the training split, categorical ones one-hot (0/1)'
      : 'features standardised on the training split',
  ];
  if (data.effect) parts.push(data.effect);
  const modelParts = [
    ['accuracy', `test accuracy ${percent(r.testAccuracy)}`],
    ['iterations', `${r.iterations} Newton iterations`],
    ['grad', `‖∇L‖ = ${sig(r.gradNorm)}`],
    ['l2', `λ = ${model.l2}`],
  ];
  const dataLine = document.createElement('span');
  dataLine.className = 'facts';
  dataLine.id = 'data-line';
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

/** Where a table row is in its file: "line 12 of adult.csv". */
export function fileLine(data, tableRow) {
  const line = data?.lines?.[tableRow];
  return line === undefined ? '' : `line ${line} of ${data.fileName}`;
}

/**
 * The chosen relabel rows with their table row and label change. With more than two classes
 * each row has a picker for the class it changes to (or, poisoned, the wrong class it is
 * trained with).
 */
export function renderRelabelList(list, plan, { poison, data }) {
  const K = data?.classNames?.length ?? 2;
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
      csv.title = `Row ${csvRow} of the table, counted from 0 after the header (${fileLine(data, csvRow)})`;
      const change = document.createElement('span');
      change.className = 'chip__change';
      if (K > 2) {
        // The class that is not the truth can be chosen: the new label, or the poisoned one.
        const truth = poison ? to : from;
        const chosen = poison ? from : to;
        const select = el('select', {
          className: 'chip__select',
          'data-row': String(row),
          'aria-label': poison
            ? `Wrong label training row ${row} is trained with`
            : `New label of training row ${row}`,
        });
        data.classNames.forEach((name, k) => {
          if (k === truth) return;
          const option = el('option', { value: String(k), text: name });
          option.selected = k === chosen;
          select.append(option);
        });
        if (poison) change.append(select, ` → ${className(data, to)}`);
        else change.append(`${className(data, from)} → `, select);
      } else {
        change.textContent = `${className(data, from)} → ${className(data, to)}`;
      }
      item.append(index, csv, change);
      item.title = poison
        ? `Training row ${row}: trained with the poisoned label ${className(data, from)}, unlearning restores ${className(data, to)}`
        : `Training row ${row}: label ${className(data, from)} becomes ${className(data, to)}`;
      return item;
    }),
  );
}

/** The rows moved to another category: "#12 Male → Female". */
export function renderMoveList(list, moves, { categories, target }) {
  list.replaceChildren(
    ...moves.map(({ row, from }) => {
      const item = el('li', { 'data-row': String(row), 'data-from': String(from), 'data-to': String(target) }, [
        el('span', { className: 'chip__row', text: `#${row}` }),
        el('span', { className: 'chip__change', text: `${from >= 0 ? categories[from] : 'none'} → ${categories[target]}` }),
      ]);
      return item;
    }),
  );
}

/**
 * Test accuracy before and after: the trained model on the original test rows, then the
 * second-order update and the retrained model on the edited test rows.
 */
export function renderAccuracy(node, comparison, model) {
  if (!comparison || !model) {
    node.replaceChildren();
    node.hidden = true;
    return;
  }
  const find = (m) => comparison.methods.find((o) => o.method === m && !o.error);
  const second = find('second_order');
  const retrain = find('retrain');
  const before = model.report.testAccuracy;
  const value = (key, v) => el('strong', { 'data-key': key, 'data-value': String(v), text: percent(v) });
  const parts = [el('span', { text: 'Test accuracy: ' }), el('span', { text: 'before ' }), value('before', before)];
  parts.push(el('span', { text: ' (the trained model) → after ' }));
  if (second) parts.push(el('span', { text: 'second-order ' }), value('second_order', second.accuracy));
  if (second && retrain) parts.push(el('span', { text: ', ' }));
  if (retrain) parts.push(el('span', { text: 'retrained ' }), value('retrain', retrain.accuracy));
  node.replaceChildren(...parts);
  node.hidden = false;
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
export function renderPoisonState(node, { model, planned }) {
  const trained = model ? model.poison : [];
  const same = trained.length === planned.length && trained.every(([row, label], i) => row === planned[i][0] && label === planned[i][1]);
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
