// Pure renderers for the results table and the parameter table: data in, DOM out.
import { duration, factor, percent, sig } from './format.js';
import { METHOD_LABELS, METHOD_NOTES, methodLabel } from './labels.js';
import { METHOD_COLORS } from './palette.js';

export { METHOD_LABELS } from './labels.js';

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

export function el(tag, attrs = {}, children = []) {
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

function methodCell(method, { steps, flag }) {
  const swatch = el('span', { className: 'swatch', 'aria-hidden': 'true' });
  swatch.dataset.method = method;
  if (METHOD_COLORS[method]) swatch.classList.add('swatch--chart');
  const name = el('span', { className: 'method__name', text: methodLabel(method, { steps }) });
  if (flag) name.append(el('span', { className: 'flag', title: flag, text: ' ⚠' }));
  const note = METHOD_NOTES[method] ?? '';
  return el('th', { scope: 'row' }, [
    el('span', { className: 'method' }, [
      swatch,
      el('span', {}, [
        name,
        el('span', { className: 'method__note', text: steps !== undefined ? note.replace(' k ', ` ${steps} `) : note }),
      ]),
    ]),
  ]);
}

/**
 * Replaces the body of the results table with one row per method of `comparison`: numbers,
 * or the method's error across the metric cells. `verdicts` (from assessMethods) flags rows
 * whose numbers are not finite or absurd.
 */
export function renderResultsTable(table, comparison, { verdicts = new Map(), steps } = {}) {
  const body = el('tbody');
  if (!comparison) {
    const cell = el('td', { colspan: String(COLUMNS.length + 1), className: 'empty' });
    cell.textContent = 'Choose what to forget and press Unlearn to compare the methods.';
    body.append(el('tr', {}, [cell]));
  } else {
    for (const outcome of comparison.methods) {
      const verdict = verdicts.get(outcome.method);
      const flagged = verdict && (verdict.status === 'absurd' || verdict.status === 'nonfinite');
      const stepwise = outcome.method.endsWith('_stepwise') ? steps : undefined;
      const row = el('tr', { 'data-method': outcome.method }, [
        methodCell(outcome.method, { steps: stepwise, flag: flagged ? verdict.reason : '' }),
      ]);
      if (outcome.error) {
        row.dataset.status = 'failed';
        row.append(
          el('td', { colspan: String(COLUMNS.length), className: 'failed', 'data-error': outcome.error }, [
            el('strong', { text: 'failed: ' }),
            outcome.error,
          ]),
        );
        body.append(row);
        continue;
      }
      if (flagged) row.dataset.status = verdict.status;
      for (const { key, format } of COLUMNS) {
        const value = outcome[key];
        const numeric = typeof value === 'number' && Number.isFinite(value);
        const broken = typeof value === 'number' && !numeric;
        const cell = el('td', {
          'data-key': key,
          'data-value': numeric ? String(value) : undefined,
          title: numeric ? String(value) : broken ? 'not a finite number' : 'not applicable',
          className: broken ? 'bad-number' : undefined,
          text: broken ? 'not finite' : format(value),
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
        ...view.datasets.map((d) => el('td', { 'data-method': d.method, 'data-value': String(d.values[i]), title: String(d.values[i]), text: sig(d.values[i]) })),
      ]),
    );
  });
  table.replaceChildren(head, body);
}
