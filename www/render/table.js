// Pure renderers for the results table and the parameter table: data in, DOM out.
import { duration, factor, percent, sig } from './format.js';
import { METHOD_COLORS } from './palette.js';

export const METHOD_LABELS = {
  lazy: 'No update (lazy)',
  first_order: 'First-order θ*−τG',
  second_order: 'Second-order θ*−H̃⁻¹G',
  retrain_warm: 'Retrain (warm start)',
  retrain: 'Retrain (from scratch)',
};

const METHOD_NOTES = {
  lazy: 'keeps θ*',
  first_order: 'one gradient step',
  second_order: 'one Newton step',
  retrain_warm: 'Newton from θ*',
  retrain: 'Newton from 0 · reference',
};

/** The numeric columns, in order: key in the comparison, how to show it. */
export const COLUMNS = [
  { key: 'distanceToRetrain', format: sig },
  { key: 'residual', format: sig },
  { key: 'accuracy', format: percent },
  { key: 'logLoss', format: sig },
  { key: 'agreement', format: percent },
  { key: 'seconds', format: duration },
  { key: 'speedup', format: factor },
];

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null) continue;
    if (name === 'className') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) node.append(child);
  return node;
}

function methodCell(method) {
  const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
  swatch.dataset.method = method;
  if (METHOD_COLORS[method]) swatch.classList.add('swatch--chart');
  return el('th', { scope: 'row' }, [
    el('span', { className: 'method' }, [
      swatch,
      el('span', {}, [
        el('span', { className: 'method__name', text: METHOD_LABELS[method] ?? method }),
        el('span', { className: 'method__note', text: METHOD_NOTES[method] ?? '' }),
      ]),
    ]),
  ]);
}

/** Replaces the body of the results table with one row per method of `comparison`. */
export function renderResultsTable(table, comparison) {
  const body = el('tbody');
  if (!comparison) {
    const cell = el('td', { colspan: String(COLUMNS.length + 1), className: 'empty' });
    cell.textContent = 'Choose what to forget and press Unlearn to compare the methods.';
    body.append(el('tr', {}, [cell]));
  } else {
    for (const outcome of comparison.methods) {
      const row = el('tr', { 'data-method': outcome.method }, [methodCell(outcome.method)]);
      for (const { key, format } of COLUMNS) {
        const value = outcome[key];
        const numeric = typeof value === 'number' && Number.isFinite(value);
        const cell = el('td', {
          'data-key': key,
          'data-value': numeric ? String(value) : undefined,
          title: numeric ? String(value) : 'not applicable',
          text: format(value),
        });
        row.append(cell);
      }
      body.append(row);
    }
  }
  table.tBodies[0]?.remove();
  table.append(body);
}

/** θ of each method per parameter (values, not differences), for the chart's text alternative. */
export function renderThetaTable(table, view) {
  const head = el('thead', {}, [
    el('tr', {}, [
      el('th', { scope: 'col', text: 'Parameter' }),
      ...view.datasets.map((d) => el('th', { scope: 'col', text: d.label })),
    ]),
  ]);
  const body = el('tbody');
  view.labels.forEach((label, i) => {
    body.append(
      el('tr', {}, [
        el('th', { scope: 'row', text: label }),
        ...view.datasets.map((d) => el('td', { text: sig(d.values[i]) })),
      ]),
    );
  });
  table.replaceChildren(head, body);
}
