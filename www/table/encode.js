// From a parsed table and the user's setup (label column, positive class, each column's role,
// the missing-value policy) to the numbers the model trains on. Pure and deterministic:
//
// - `planTable` checks everything first — classes, feature columns, every missing or bad cell
//   (with its file line and column), the effect of each policy and the size of the encoded
//   table — and says whether training may start;
// - `encodeTable` then builds the row-major table: numeric columns as they are (the model
//   standardises them on the training split), categorical columns one-hot encoded (one 0/1
//   column per category, none dropped) and left unscaled, so that a categorical column is one
//   group of columns that can be forgotten together.
import { limits } from '../pkg/unlearn.js';
import { readNumber } from './csv.js';
import { classKey, isMissingCategory, labelClasses, MAX_CLASSES, MISSING_CATEGORY, sortValues } from './columns.js';

/** The most parameters a model may have on this page: its Hessian holds p² numbers (3000 → 72 MB),
 * and each Newton step costs n·p², so wider models train too slowly in a browser tab. */
export const MAX_PARAMETERS = 3000;
/** The fewest rows that leave a training and a test part (20 % test). */
export const MIN_ROWS = 3;
/** Bad cells kept for listing (all are counted). */
const MAX_RECORDED = 1000;

const fmt = (n) => n.toLocaleString('en-US');
const plural = (n, word, many = `${word}s`) => `${fmt(n)} ${n === 1 ? word : many}`;

/** How many parameters a model over `features` columns and `classes` classes has. */
export function parameterCount(features, classes) {
  return classes <= 2 ? features + 1 : classes * (features + 1);
}

/**
 * The size of an encoded table and of its model, and whether it fits: `{values, bytes,
 * parameters, hessianBytes, error?}`. The module refuses arrays over its `maxValues` numbers (the
 * limit is read from it); the model's Hessian limits the parameters.
 */
export function estimateSize({ rows, features, classes }) {
  const MAX_VALUES = limits().maxValues;
  const values = rows * features;
  const parameters = parameterCount(features, classes);
  const out = { rows, features, classes, values, bytes: values * 8, parameters, hessianBytes: parameters * parameters * 8 };
  if (values > MAX_VALUES) {
    out.error =
      `The encoded table would hold ${fmt(values)} numbers (${fmt(rows)} rows × ${fmt(features)} encoded ` +
      `features, ${formatMB(values * 8)}); WebAssembly refuses tables of more than ${fmt(MAX_VALUES)} numbers ` +
      `(${formatMB(MAX_VALUES * 8)}). Ignore columns with many categories, or use fewer rows.`;
  } else if (parameters > MAX_PARAMETERS) {
    out.error =
      `The model would have ${fmt(parameters)} parameters (${fmt(features)} encoded features` +
      `${classes > 2 ? ` × ${classes} classes` : ''}, plus intercept${classes > 2 ? 's' : ''}); its Hessian would hold ` +
      `${fmt(parameters * parameters)} numbers (${formatMB(parameters * parameters * 8)}). The limit is ` +
      `${fmt(MAX_PARAMETERS)} parameters: ignore columns with many categories.`;
  }
  return out;
}

function formatMB(bytes) {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Why a numeric cell cannot be used ('' when it is a finite number). */
function numericProblem(cell, raw, shortBy) {
  const shown = `“${String(raw).trim()}”`;
  switch (cell.kind) {
    case 'empty':
      return shortBy ? `missing (the row has only ${shortBy})` : 'empty';
    case 'marker':
      return `${shown} marks a missing value`;
    case 'nan':
      return `${shown} is not a number (NaN)`;
    case 'inf':
      return `${shown} is infinite`;
    case 'overflow':
      return `${shown} is out of range (beyond ±1.8 × 10³⁰⁸)`;
    case 'text':
      return `${shown} is text in a numeric column`;
    default:
      return '';
  }
}

/**
 * Checks a setup against a parsed table.
 * @param {object} parsed from parseCsv
 * @param {object[]} columns from describeColumns
 * @param {{label: number, roles: string[], positive: string|null, policy: 'drop'|'impute'|null}} setup
 * @returns {object} `{errors, notes, label: {index, name, classes, K, positive, missingRows},
 *   features: [{index, name, role}], badCells: [{row, line, column, value, why, kind}],
 *   badCellCount, badRows: Set, alwaysDropped: Map(row → why), needsPolicy, policy, effects:
 *   {drop, impute}, keptRows, size, ready}` — `ready` is true when training may start.
 */
export function planTable(parsed, columns, setup) {
  const errors = [];
  const notes = [];
  const { rows, lines } = parsed;
  const n = rows.length;
  const labelIndex = setup.label;
  const labelColumn = columns[labelIndex];

  const features = columns
    .filter((c) => c.index !== labelIndex && (setup.roles[c.index] === 'numeric' || setup.roles[c.index] === 'categorical'))
    .map((c) => ({ index: c.index, name: c.name, role: setup.roles[c.index] }));

  // ---- cells: missing or bad, per row, in file order ----
  const shortBy = new Map(parsed.rowProblems.filter((p) => p.short).map((p) => [p.row, p.message.replace(/^only /, '')]));
  const malformed = new Map(parsed.rowProblems.filter((p) => !p.short).map((p) => [p.row, p.message]));
  const badCells = [];
  let badCellCount = 0;
  const badRows = new Set();
  const alwaysDropped = new Map(); // rows no policy can keep: no label, too many cells
  const imputable = { numeric: 0, categorical: 0 };
  const record = (entry) => {
    badCellCount += 1;
    if (badCells.length < MAX_RECORDED) badCells.push(entry);
  };
  const width = parsed.width;
  const featureRoles = features.map((f) => [f.index, f.role]);
  for (let i = 0; i < n; i += 1) {
    const row = rows[i];
    if (malformed.has(i)) {
      record({ row: i, line: lines[i], column: '(whole row)', value: '', why: `the row has ${malformed.get(i)}`, kind: 'row' });
      badRows.add(i);
      alwaysDropped.set(i, 'malformed');
    }
    const labelCell = labelIndex >= 0 && labelIndex < width ? row[labelIndex] : '';
    if (labelColumn && isMissingCategory(labelCell)) {
      const why = String(labelCell).trim() === '' ? 'no label (empty)' : `no label (“${String(labelCell).trim()}” marks a missing value)`;
      record({ row: i, line: lines[i], column: labelColumn.name, value: labelCell, why, kind: 'label' });
      badRows.add(i);
      if (!alwaysDropped.has(i)) alwaysDropped.set(i, 'label');
    }
    for (const [j, role] of featureRoles) {
      const raw = row[j];
      if (role === 'numeric') {
        const cell = readNumber(raw, { decimalComma: parsed.decimalComma });
        if (cell.kind === 'number') continue;
        record({ row: i, line: lines[i], column: columns[j].name, value: raw, why: numericProblem(cell, raw, shortBy.get(i)), kind: cell.kind });
        badRows.add(i);
        if (!alwaysDropped.has(i)) imputable.numeric += 1;
      } else if (isMissingCategory(raw)) {
        const why = String(raw).trim() === '' ? (shortBy.has(i) ? `missing (the row has only ${shortBy.get(i)})` : 'empty') : `“${String(raw).trim()}” marks a missing value`;
        record({ row: i, line: lines[i], column: columns[j].name, value: raw, why, kind: 'missing' });
        badRows.add(i);
        if (!alwaysDropped.has(i)) imputable.categorical += 1;
      }
    }
  }
  const needsPolicy = badCellCount > 0;
  const policy = needsPolicy ? setup.policy ?? null : null;

  const all = [...Array(n).keys()];
  const keptFor = (p) => (p === 'drop' ? all.filter((i) => !badRows.has(i)) : all.filter((i) => !alwaysDropped.has(i)));
  const keptDrop = keptFor('drop');
  const keptImpute = keptFor('impute');
  const droppedByLabel = [...alwaysDropped.values()].filter((v) => v === 'label').length;
  const droppedMalformed = alwaysDropped.size - droppedByLabel;
  const alwaysText = [
    droppedByLabel > 0 ? `${plural(droppedByLabel, 'row')} without a label` : '',
    droppedMalformed > 0 ? `${plural(droppedMalformed, 'malformed row')}` : '',
  ].filter(Boolean).join(' and ');
  const effects = {
    drop: `${plural(n - keptDrop.length, 'row')} dropped, ${fmt(keptDrop.length)} remain`,
    impute: [
      imputable.numeric > 0 ? `${plural(imputable.numeric, 'numeric cell')} set to the training mean` : '',
      imputable.categorical > 0 ? `${plural(imputable.categorical, 'categorical cell')} set to “${MISSING_CATEGORY}”` : '',
      alwaysText ? `${alwaysText} dropped (they cannot be imputed)` : '',
      `${fmt(keptImpute.length)} rows remain`,
    ].filter(Boolean).join('; '),
  };
  // Until a policy is chosen, sizes and classes are those of the larger table (impute).
  const keptRows = !needsPolicy ? all : policy === 'drop' ? keptDrop : keptImpute;

  // ---- the label ----
  let label = null;
  if (!labelColumn) {
    errors.push('Choose a label column.');
  } else {
    const { classes, numeric } = labelClasses(parsed, labelIndex, keptRows);
    const allClasses = labelClasses(parsed, labelIndex).classes;
    const K = classes.length;
    label = {
      index: labelIndex,
      name: labelColumn.name,
      classes: classes.map((c) => c.name),
      counts: classes.map((c) => c.count),
      keys: classes.map((c) => c.key),
      numeric,
      K,
      positive: null,
    };
    if (allClasses.length === 0) {
      errors.push(`The label column “${labelColumn.name}” has no values. Choose another label column.`);
    } else if (allClasses.length === 1) {
      errors.push(
        `The label column “${labelColumn.name}” has only one class (“${allClasses[0].name}”, ${plural(allClasses[0].count, 'row')}); ` +
          'a classifier needs at least two. Choose another label column, or add rows of another class.',
      );
    } else if (K < 2) {
      errors.push(
        `After dropping rows, the label column “${labelColumn.name}” keeps only one class (“${classes[0]?.name ?? '—'}”); ` +
          'a classifier needs at least two. Impute instead of dropping, or fix the file.',
      );
    } else if (K > MAX_CLASSES) {
      errors.push(
        `The label column “${labelColumn.name}” has ${fmt(K)} different values; at most ${MAX_CLASSES} classes are supported. ` +
          'Is it the right label column? (A label holds a few classes, such as yes/no or 0–9.)',
      );
    } else if (K === 2) {
      const positive = setup.positive !== null && label.classes.includes(setup.positive) ? setup.positive : label.classes[1];
      label.positive = positive;
    }
  }

  // ---- features ----
  if (features.length === 0) {
    errors.push(
      parsed.width <= 1
        ? 'No feature columns: the file has a single column. A model needs the label and at least one feature column (is the delimiter right?).'
        : 'No feature columns: every column other than the label is ignored. Use at least one column as numeric or categorical.',
    );
  }
  for (const f of features) {
    const c = columns[f.index];
    if (c.constant) {
      notes.push(`“${c.name}” is constant (every value is “${c.constantValue}”): it is kept, and its weight stays 0 (λ > 0 keeps the fit well-defined).`);
    }
    if (c.duplicateOf !== null && features.some((g) => g.index === c.duplicateOf)) {
      notes.push(`“${c.name}” repeats “${columns[c.duplicateOf].name}”: both are kept, and they share one weight between them.`);
    }
  }

  // ---- categories and size ----
  const categoryPolicy = needsPolicy ? policy ?? 'impute' : 'impute';
  for (const f of features) {
    if (f.role !== 'categorical') continue;
    const seen = new Map();
    let missing = false;
    for (const i of keptRows) {
      const raw = rows[i][f.index];
      if (isMissingCategory(raw)) missing = true;
      else seen.set(raw.trim(), true);
    }
    f.categories = sortValues(seen.keys());
    if (missing && categoryPolicy === 'impute') f.categories.push(MISSING_CATEGORY);
  }
  const encodedWidth = features.reduce((sum, f) => sum + (f.role === 'categorical' ? f.categories.length : 1), 0);
  const size = estimateSize({ rows: keptRows.length, features: encodedWidth, classes: label?.K ?? 2 });
  if (size.error) errors.push(size.error);
  if (keptRows.length < MIN_ROWS && n > 0 && errors.length === 0) {
    errors.push(
      `Only ${plural(keptRows.length, 'row')} ${keptRows.length === 1 ? 'is' : 'are'} left; at least ${MIN_ROWS} are needed ` +
        '(80 % to train on, 20 % to test on).',
    );
  }
  if (needsPolicy && policy === 'drop' && keptDrop.length === 0 && errors.length === 0) {
    errors.push('Dropping every row with a missing or bad cell would drop all rows. Impute instead, or fix the file.');
  }

  return {
    errors,
    notes,
    label,
    features,
    encodedWidth,
    badCells,
    badCellCount,
    badRows,
    alwaysDropped,
    needsPolicy,
    policy,
    effects,
    keptRows,
    size,
    ready: errors.length === 0 && (!needsPolicy || policy !== null),
  };
}

/**
 * Builds the table the model trains on from a ready plan.
 * @param {object} parsed from parseCsv
 * @param {object} plan from planTable (ready)
 * @param {object} [options]
 * @param {(n: number) => number[]} [options.trainRowsOf] the training rows of the split of an
 *   n-row table; needed to impute numeric cells with the training mean
 * @returns {{x: Float64Array, y: Float64Array, nRows: number, nFeatures: number,
 *   featureNames: string[], groups: object[], unscaledColumns: number[], classes: string[],
 *   nClasses: number, labelName: string, positive: string|null, lines: number[],
 *   policy: string|null, effect: string, imputed: object[]}}
 */
export function encodeTable(parsed, plan, { trainRowsOf } = {}) {
  if (!plan.ready) throw new Error(plan.errors[0] ?? 'Choose what to do with the missing and bad cells first.');
  const { rows, lines, decimalComma } = parsed;
  const kept = plan.keptRows;
  const n = kept.length;
  const label = plan.label;

  // Groups: one per original column, with its encoded columns.
  const groups = [];
  const featureNames = [];
  const unscaledColumns = [];
  for (const f of plan.features) {
    const start = featureNames.length;
    if (f.role === 'numeric') {
      featureNames.push(f.name);
      groups.push({ name: f.name, kind: 'numeric', source: f.index, columns: [start] });
    } else {
      f.categories.forEach((category) => {
        unscaledColumns.push(featureNames.length);
        featureNames.push(`${f.name} = ${category}`);
      });
      groups.push({
        name: f.name,
        kind: 'categorical',
        source: f.index,
        columns: f.categories.map((_, k) => start + k),
        categories: [...f.categories],
      });
    }
  }
  const d = featureNames.length;

  // Numbers of the numeric columns, with NaN where a cell is missing or bad.
  const numeric = plan.features.map((f) =>
    f.role === 'numeric'
      ? Float64Array.from(kept, (i) => {
          const cell = readNumber(rows[i][f.index], { decimalComma });
          return cell.kind === 'number' ? cell.value : NaN;
        })
      : null,
  );

  // Impute: the mean of the column's numbers in the training rows of the split.
  const imputed = [];
  let trainRows = null;
  plan.features.forEach((f, k) => {
    const values = numeric[k];
    if (!values || !values.some(Number.isNaN)) return;
    if (!trainRows) {
      if (!trainRowsOf) throw new Error('encodeTable: imputing needs the training rows of the split');
      trainRows = trainRowsOf(n);
    }
    let sum = 0;
    let count = 0;
    for (const r of trainRows) {
      if (!Number.isNaN(values[r])) {
        sum += values[r];
        count += 1;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    let cells = 0;
    for (let r = 0; r < n; r += 1) {
      if (Number.isNaN(values[r])) {
        values[r] = mean;
        cells += 1;
      }
    }
    imputed.push({ column: f.name, mean, cells, fromTrainingRows: count });
  });

  const categoryIndex = plan.features.map((f) => (f.categories ? new Map(f.categories.map((c, k) => [c, k])) : null));
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  const classIndex = new Map(label.keys.map((key, k) => [key, k]));
  const positiveKey = label.K === 2 ? label.keys[label.classes.indexOf(label.positive)] : null;
  for (let r = 0; r < n; r += 1) {
    const i = kept[r];
    const cells = rows[i];
    const base = r * d;
    let g = 0;
    plan.features.forEach((f, k) => {
      const group = groups[g];
      g += 1;
      if (f.role === 'numeric') {
        x[base + group.columns[0]] = numeric[k][r];
      } else {
        const raw = cells[f.index];
        const category = isMissingCategory(raw) ? MISSING_CATEGORY : raw.trim();
        x[base + group.columns[categoryIndex[k].get(category)]] = 1;
      }
    });
    const key = classKey(cells[label.index], { numeric: label.numeric, decimalComma });
    y[r] = label.K === 2 ? (key === positiveKey ? 1 : 0) : classIndex.get(key);
  }

  // For two classes, class 0 is the negative one and class 1 the positive one.
  const classes =
    label.K === 2 ? [label.classes.find((c) => c !== label.positive), label.positive] : [...label.classes];
  return {
    x,
    y,
    nRows: n,
    nFeatures: d,
    featureNames,
    groups,
    unscaledColumns,
    classes,
    nClasses: label.K,
    labelName: label.name,
    positive: label.positive,
    lines: kept.map((i) => lines[i]),
    policy: plan.policy,
    effect: plan.needsPolicy ? plan.effects[plan.policy] : '',
    imputed,
  };
}
