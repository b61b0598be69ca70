// The table-setup panel of the data section: how the file was read, the label and its classes,
// every column with its detected type and role, the missing and bad cells with the policy for
// them, blocking problems, notes, and the size of the encoded table. Data in, DOM out; the
// data panel (dataset.js) listens to the controls it contains.
import { DELIMITER_NAMES, DELIMITERS, formatBytes } from '../table/csv.js';
import { defaultExclusion, MISSING_CATEGORY, rolesFor } from '../table/columns.js';
import { el } from './table.js';

/** Bad cells listed in the panel (all are counted). */
export const LISTED_BAD_CELLS = 50;

const fmt = (n) => n.toLocaleString('en-US');
const plural = (n, word, many = `${word}s`) => `${fmt(n)} ${n === 1 ? word : many}`;
const ROLE_NAMES = { numeric: 'numeric', categorical: 'categorical (one-hot)', ignore: 'ignored' };

function select(id, label, options, value, attrs = {}) {
  const node = el('select', { id, ...attrs });
  for (const [v, text] of options) {
    const option = el('option', { value: String(v), text });
    option.selected = String(v) === String(value);
    node.append(option);
  }
  return el('div', { className: 'field field--setup' }, [el('label', { for: id, text: label }), node]);
}

function readingControls(pending) {
  const { parsed } = pending;
  const d = parsed.detected;
  const delimiter = select(
    'setup-delimiter',
    'Delimiter',
    DELIMITERS.map((c) => [c === '\t' ? 'tab' : c, `${DELIMITER_NAMES[c]}${c === d.delimiter ? ' (detected)' : ''}`]),
    parsed.delimiter === '\t' ? 'tab' : parsed.delimiter,
  );
  const decimal = select(
    'setup-decimal',
    'Decimal mark',
    [
      ['point', `point: 1.5${d.decimalComma ? '' : ' (detected)'}`],
      ['comma', `comma: 1,5${d.decimalComma ? ' (detected)' : ''}`],
    ],
    parsed.decimalComma ? 'comma' : 'point',
  );
  const header = el('div', { className: 'check check--setup' }, [
    el('input', { type: 'checkbox', id: 'setup-header' }),
    el('label', { for: 'setup-header', text: `First row is a header${d.header ? ' (detected)' : ' (not detected)'}` }),
  ]);
  header.querySelector('input').checked = parsed.header;
  return el('div', { className: 'setup__reading' }, [delimiter, decimal, header]);
}

function summary(pending) {
  const { parsed, source } = pending;
  const facts = [
    `${plural(parsed.rows.length, 'row')} × ${plural(parsed.width, 'column')}`,
    `${DELIMITER_NAMES[parsed.delimiter]}-separated`,
    parsed.decimalComma ? 'decimal comma' : 'decimal point',
    parsed.header ? `header on line ${parsed.headerLine}` : 'no header row (columns are numbered)',
    ...(source.encoding && source.encoding !== 'UTF-8' ? [source.encoding] : []),
    ...parsed.notes,
  ];
  return el('p', { className: 'setup__summary', id: 'setup-summary' }, [
    el('strong', { text: source.fileName }),
    ' · ',
    facts.join(' · '),
  ]);
}

function labelControls(pending) {
  const { parsed, setup, plan } = pending;
  const label = select(
    'setup-label',
    'Label column (what the model predicts)',
    parsed.names.map((name, j) => [j, name]),
    setup.label,
  );
  const parts = [label];
  const info = plan.label;
  if (info && info.K === 2) {
    parts.push(
      select(
        'setup-positive',
        'Positive class (label 1)',
        info.classes.map((c, k) => [c, `${c} (${fmt(info.counts[k])})`]),
        info.positive,
      ),
    );
  }
  let text = '';
  if (info && info.K === 2) {
    const negative = info.classes.find((c) => c !== info.positive);
    text = `Two classes: label 1 = ${info.positive} · label 0 = ${negative}. A binary logistic model.`;
  } else if (info && info.K > 2 && plan.errors.every((e) => !e.startsWith(`The label column`))) {
    const shown = info.classes.slice(0, 20).map((c, k) => `${c} (${fmt(info.counts[k])})`).join(', ');
    text = `${info.K} classes: ${shown}${info.K > 20 ? ', …' : ''}. A multinomial (softmax) logistic model, class numbers in this order.`;
  }
  return el('div', { className: 'setup__label' }, [
    el('div', { className: 'setup__label-fields' }, parts),
    el('p', { className: 'setup__classes', id: 'setup-classes', text }),
  ]);
}

function columnNote(column, columns, role) {
  const notes = [];
  if (column.kind === 'categorical' || role === 'categorical') {
    notes.push(column.manyValues ? 'thousands of values' : plural(column.distinct, 'category', 'categories'));
  } else if (column.kind === 'numeric' && Number.isFinite(column.min)) {
    notes.push(`${fmt(column.min)} to ${fmt(column.max)}`);
  }
  if (column.missing > 0) notes.push(`${fmt(column.missing)} missing`);
  const bad = column.counts.nan + column.counts.inf + column.counts.overflow + (role === 'numeric' ? column.counts.text : 0);
  if (role === 'numeric' && bad > 0) notes.push(`${fmt(bad)} not usable as numbers`);
  const excluded = defaultExclusion(column, columns);
  if (excluded) notes.push(role === 'ignore' ? `${excluded}: ignored` : `${excluded}`);
  return notes.join(' · ');
}

function columnsTable(pending) {
  const { columns, setup } = pending;
  const counts = { numeric: 0, categorical: 0, ignore: 0 };
  setup.roles.forEach((role) => {
    if (role in counts) counts[role] += 1;
  });
  const body = el('tbody');
  for (const column of columns) {
    const role = setup.roles[column.index];
    const detected =
      column.kind === 'numeric' && column.counts.text > 0
        ? `numbers (${fmt(column.counts.text)} text)`
        : { numeric: 'numbers', categorical: 'text', empty: 'empty' }[column.kind];
    let use;
    if (role === 'label') {
      use = el('span', { className: 'setup__role-label', text: 'label' });
    } else {
      use = el('select', { id: `role-${column.index}`, 'data-column': String(column.index), 'aria-label': `Use column “${column.name}” as` });
      for (const r of rolesFor(column)) {
        const option = el('option', { value: r, text: ROLE_NAMES[r] });
        option.selected = r === role;
        use.append(option);
      }
    }
    body.append(
      el('tr', { 'data-column': String(column.index), 'data-role': role, 'data-kind': column.kind }, [
        el('th', { scope: 'row', text: column.name }),
        el('td', { text: detected }),
        el('td', {}, [use]),
        el('td', { className: 'setup__note', text: role === 'label' ? '' : columnNote(column, columns, role) }),
      ]),
    );
  }
  const table = el('table', { className: 'setup-table', id: 'setup-columns' }, [
    el('caption', { className: 'visually-hidden', text: 'Columns of the file, their detected type and how each is used' }),
    el('thead', {}, [
      el('tr', {}, [
        el('th', { scope: 'col', text: 'Column' }),
        el('th', { scope: 'col', text: 'Holds' }),
        el('th', { scope: 'col', text: 'Use as' }),
        el('th', { scope: 'col', text: 'Notes' }),
      ]),
    ]),
    body,
  ]);
  const details = el('details', { className: 'setup__columns', id: 'setup-columns-details' }, [
    el('summary', {
      text:
        `Columns: ${fmt(counts.numeric)} numeric, ${fmt(counts.categorical)} categorical, ${fmt(counts.ignore)} ignored, ` +
        `1 label → ${plural(pending.plan.encodedWidth, 'encoded feature')}`,
    }),
    el('p', {
      className: 'hint hint--small',
      text:
        'Numbers are standardised on the training split. Categorical columns become one 0/1 column per category ' +
        '(none dropped, left unscaled) and are forgotten as a group. Change “Use as” to override what was detected.',
    }),
    el('div', { className: 'table-wrap setup__table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Columns' }, [table]),
  ]);
  details.open = pending.columnsOpen ?? !pending.source.builtIn;
  details.addEventListener('toggle', () => {
    pending.columnsOpen = details.open;
  });
  return details;
}

function badCells(pending) {
  const { plan } = pending;
  if (!plan.needsPolicy) return null;
  const listed = plan.badCells.slice(0, LISTED_BAD_CELLS);
  const body = el('tbody');
  for (const cell of listed) {
    body.append(
      el('tr', { 'data-line': String(cell.line), 'data-column': cell.column, 'data-kind': cell.kind }, [
        el('td', { text: String(cell.line) }),
        el('th', { scope: 'row', text: cell.column }),
        el('td', { className: 'setup__why', text: cell.why }),
      ]),
    );
  }
  const more = plan.badCellCount - listed.length;
  const policy = el('fieldset', { className: 'setup__policy', id: 'setup-policy' }, [
    el('legend', { text: 'Nothing trains until you choose what to do with them (or fix the file):' }),
  ]);
  for (const [value, title, effect] of [
    ['drop', 'Drop every row with a missing or bad cell', plan.effects.drop],
    ['impute', `Impute: numeric → the training mean, categorical → a “${MISSING_CATEGORY}” category`, plan.effects.impute],
  ]) {
    const input = el('input', { type: 'radio', name: 'setup-policy', id: `policy-${value}`, value });
    input.checked = plan.policy === value;
    policy.append(
      el('div', { className: 'setup__policy-option' }, [
        input,
        el('label', { for: `policy-${value}` }, [title, el('span', { className: 'setup__effect', text: ` — ${effect}` })]),
      ]),
    );
  }
  const rows = plan.badRows.size;
  return el('div', { className: 'setup__bad', id: 'setup-bad', 'data-count': String(plan.badCellCount) }, [
    el('h3', { id: 'bad-count', text: `${plural(plan.badCellCount, 'missing or bad cell')} in ${plural(rows, 'row')}` }),
    el('div', { className: 'table-wrap setup__table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'bad-count' }, [
      el('table', { className: 'setup-table setup-table--bad', id: 'bad-cells' }, [
        el('caption', { className: 'visually-hidden', text: 'Missing and bad cells: file line, column and why' }),
        el('thead', {}, [
          el('tr', {}, [
            el('th', { scope: 'col', text: 'Line' }),
            el('th', { scope: 'col', text: 'Column' }),
            el('th', { scope: 'col', text: 'Why' }),
          ]),
        ]),
        body,
      ]),
    ]),
    more > 0 ? el('p', { className: 'hint hint--small', id: 'bad-more', text: `… and ${plural(more, 'more cell')} (the first ${LISTED_BAD_CELLS} are listed).` }) : '',
    policy,
    plan.policy ? el('p', { className: 'setup__effect-line', id: 'policy-effect', text: `Policy: ${plan.policy === 'drop' ? 'drop rows' : 'impute'} — ${plan.effects[plan.policy]}.` }) : '',
  ]);
}

function messages(pending) {
  const { plan } = pending;
  const parts = [];
  if (plan.errors.length > 0) {
    parts.push(
      el('div', { className: 'setup__errors', id: 'setup-errors' }, [
        el('h3', { text: plan.errors.length === 1 ? 'This table cannot be used yet' : `${plan.errors.length} problems to fix first` }),
        el('ul', {}, plan.errors.map((text) => el('li', { text }))),
      ]),
    );
  }
  const notes = [...plan.notes];
  const ignored = pending.columns.filter((c) => pending.setup.roles[c.index] === 'ignore' && defaultExclusion(c, pending.columns));
  for (const c of ignored) notes.push(`“${c.name}” is ignored: ${defaultExclusion(c, pending.columns)}. Use it anyway with “Use as”.`);
  if (notes.length > 0) {
    parts.push(el('ul', { className: 'setup__notes', id: 'setup-notes' }, notes.map((text) => el('li', { text }))));
  }
  return parts;
}

function sizeLine(pending) {
  const { size } = pending.plan;
  return el('p', { className: 'setup__size', id: 'setup-size' }, [
    `Encoded: ${fmt(size.rows)} rows × ${fmt(size.features)} features = ${fmt(size.values)} numbers (${formatBytes(size.bytes)}); `,
    `${fmt(size.parameters)} parameters. Limits: 50,000,000 numbers, 3,000 parameters.`,
  ]);
}

/**
 * Renders the setup of `pending` (see data.js) into `container`. `active` says whether this
 * setup is the one the page trains on now (then the button retrains with changes).
 */
export function renderSetup(container, pending, { active = false } = {}) {
  if (!pending) {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  container.hidden = false;
  if (pending.error) {
    container.dataset.ready = 'false';
    container.replaceChildren(
      el('p', { className: 'setup__summary', text: pending.source.fileName }),
      el('div', { className: 'setup__errors', id: 'setup-errors' }, [
        el('h3', { text: 'This file cannot be read' }),
        el('ul', {}, [el('li', { text: pending.error })]),
      ]),
    );
    return;
  }
  const { plan } = pending;
  container.dataset.ready = String(plan.ready);
  const button = el('button', { type: 'button', id: 'setup-train', className: 'button button--primary' }, [
    active ? 'Train again with these settings' : 'Train on this table',
  ]);
  button.disabled = !plan.ready;
  const why = plan.errors.length > 0
    ? 'Fix the problems above first.'
    : plan.needsPolicy && !plan.policy
      ? 'Choose what to do with the missing and bad cells first.'
      : active
        ? 'The page uses this table now; training again applies changed settings.'
        : 'The current model stays in use until this table has trained.';
  const parts = [
    summary(pending),
    readingControls(pending),
    labelControls(pending),
    columnsTable(pending),
    ...[badCells(pending)].filter(Boolean),
    ...messages(pending),
    sizeLine(pending),
    el('div', { className: 'setup__actions' }, [button, el('p', { className: 'hint hint--small', id: 'setup-why', text: why })]),
  ];
  if (!pending.source.builtIn) {
    container.replaceChildren(...parts);
    return;
  }
  // A built-in table is ready as it is: its setup is folded away, one line tells how it is read.
  const details = el('details', { className: 'setup__fold', id: 'setup-fold' }, [
    el('summary', { text: foldSummary(pending) }),
    ...parts,
  ]);
  details.open = pending.open === true;
  details.addEventListener('toggle', () => {
    pending.open = details.open;
  });
  container.replaceChildren(details);
}

/** One line on how a built-in table is read. */
function foldSummary(pending) {
  const { plan, parsed, setup } = pending;
  const roles = setup.roles.filter((r) => r === 'numeric' || r === 'categorical');
  const numeric = roles.filter((r) => r === 'numeric').length;
  const categorical = roles.length - numeric;
  const label = plan.label;
  const classes = label?.K === 2 ? `label 1 = ${label.positive}` : `${label?.K ?? 0} classes`;
  const columns = [numeric ? `${numeric} numeric` : '', categorical ? `${categorical} categorical` : ''].filter(Boolean).join(' and ');
  const parts = [
    `How ${pending.source.fileName} is read: label “${parsed.names[setup.label]}” (${classes})`,
    `${columns} columns → ${plural(plan.encodedWidth, 'feature')}`,
  ];
  const ignored = setup.roles.filter((r) => r === 'ignore').length;
  if (ignored) parts.push(`${ignored} ignored`);
  if (plan.needsPolicy && plan.policy) parts.push(`${plural(plan.badCellCount, 'missing cell')}: ${plan.policy === 'impute' ? 'imputed' : 'rows dropped'}`);
  return parts.join(' · ');
}
