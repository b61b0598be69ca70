// What each column of a parsed table holds: numbers or categories, how many cells are missing
// or bad, whether it is constant or repeats an earlier column, and the classes of a label
// column. Pure: parsed rows in, descriptions out.
import { MISSING_MARKERS, readNumber } from './csv.js';

/** More categories than this: a column is not one-hot encoded unless the user insists. */
export const MAX_CATEGORIES = 200;
/** More classes than this: the column is not a label a classifier can use. */
export const MAX_CLASSES = 50;
/** Distinct values tracked per column (beyond this a column has "many" values). */
const MAX_TRACKED = 5000;
/** A column is numeric when at least this share of its filled cells read as numbers (finite or
 * not); the rest are reported as bad cells. */
const NUMERIC_SHARE = 0.8;

/** The category name given to missing cells by the "impute" policy. */
export const MISSING_CATEGORY = '(missing)';

/** Whether a cell counts as missing in a categorical (or label) column. */
export function isMissingCategory(raw) {
  const s = String(raw).trim();
  if (s === '') return true;
  const lower = s.toLowerCase();
  return MISSING_MARKERS.has(lower) || lower === 'nan';
}

/** Category names in a stable order: numbers numerically, then text (natural order). */
export function sortValues(values) {
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
  return [...values].sort((a, b) => {
    const [x, y] = [readNumber(a), readNumber(b)];
    if (x.kind === 'number' && y.kind === 'number') return x.value - y.value || collator.compare(a, b);
    if (x.kind === 'number') return -1;
    if (y.kind === 'number') return 1;
    return collator.compare(a, b);
  });
}

/** A 53-bit hash of a column's cells (to find repeated columns quickly). */
function hashColumn(rows, j) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const row of rows) {
    const s = row[j].trim();
    for (let i = 0; i < s.length; i += 1) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function sameColumn(rows, a, b) {
  return rows.every((row) => row[a].trim() === row[b].trim());
}

/**
 * One description per column of `parsed` (from parseCsv):
 * `{index, name, kind: 'numeric'|'categorical'|'empty', counts: {number, empty, marker, nan, inf,
 *   overflow, text}, missing, nonMissing, distinct, manyValues, values: Map|null, constant,
 *   constantValue, duplicateOf, identifier, min, max}`.
 * `kind` is numeric when every non-missing cell is a number — or nearly every one (at least 80 %
 * read as numbers, finite or not; the others are reported as bad cells) — categorical otherwise,
 * and empty when no cell holds anything.
 */
export function describeColumns(parsed) {
  const { rows, names, width, decimalComma } = parsed;
  const columns = [];
  const hashes = new Map(); // hash → first column with it
  for (let j = 0; j < width; j += 1) {
    const counts = { number: 0, empty: 0, marker: 0, nan: 0, inf: 0, overflow: 0, text: 0 };
    let values = new Map();
    let manyValues = false;
    let min = Infinity;
    let max = -Infinity;
    for (const row of rows) {
      const cell = readNumber(row[j], { decimalComma });
      counts[cell.kind] += 1;
      if (cell.kind === 'number') {
        if (cell.value < min) min = cell.value;
        if (cell.value > max) max = cell.value;
      }
      if (!manyValues && !isMissingCategory(row[j])) {
        const key = row[j].trim();
        values.set(key, (values.get(key) ?? 0) + 1);
        if (values.size > MAX_TRACKED) {
          manyValues = true;
          values = null;
        }
      }
    }
    const missing = counts.empty + counts.marker;
    const nonMissing = rows.length - missing;
    const distinct = manyValues ? Infinity : values.size;
    let kind;
    if (nonMissing === 0 || (counts.number === 0 && distinct === 0)) kind = 'empty';
    else if (counts.number > 0 && counts.text <= (1 - NUMERIC_SHARE) * nonMissing) kind = 'numeric';
    else kind = 'categorical';
    const hash = hashColumn(rows, j);
    let duplicateOf = null;
    if (hashes.has(hash) && sameColumn(rows, hashes.get(hash), j)) duplicateOf = hashes.get(hash);
    else if (!hashes.has(hash)) hashes.set(hash, j);
    const constant = kind !== 'empty' && distinct === 1;
    columns.push({
      index: j,
      name: names[j],
      kind,
      counts,
      missing,
      nonMissing,
      distinct,
      manyValues,
      values,
      constant,
      constantValue: constant ? [...values.keys()][0] : null,
      duplicateOf,
      identifier: kind === 'categorical' && nonMissing > 20 && distinct === nonMissing,
      min,
      max,
    });
  }
  return columns;
}

/**
 * The classes of label column `j`: its distinct non-missing values (numbers that are equal are
 * one class, "1" and "1.0" alike), ordered, with their counts, and the rows without a label.
 * @returns {{classes: {name: string, count: number}[], missingRows: number[], numeric: boolean}}
 */
export function labelClasses(parsed, j, rows = null) {
  const { decimalComma } = parsed;
  const use = rows ?? parsed.rows.map((_, i) => i);
  const byKey = new Map(); // key → {name, count}
  const missingRows = [];
  let numeric = true;
  for (const i of use) {
    const raw = parsed.rows[i][j];
    if (isMissingCategory(raw)) {
      missingRows.push(i);
      continue;
    }
    const name = raw.trim();
    const cell = readNumber(name, { decimalComma });
    if (cell.kind !== 'number') numeric = false;
    const key = cell.kind === 'number' ? `#${cell.value}` : name;
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { name, count: 1, key });
  }
  let classes = [...byKey.values()];
  if (!numeric) {
    // Mixed numbers and text: every value is its own class, by its text.
    const byName = new Map();
    for (const i of use) {
      const raw = parsed.rows[i][j];
      if (isMissingCategory(raw)) continue;
      const name = raw.trim();
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
    classes = [...byName].map(([name, count]) => ({ name, count, key: name }));
  }
  const order = sortValues(classes.map((c) => c.name));
  classes.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { classes: classes.map(({ name, count, key }) => ({ name, count, key })), missingRows, numeric };
}

/** The class key of a label cell (numbers by value), or null when it is missing. */
export function classKey(raw, { numeric, decimalComma }) {
  if (isMissingCategory(raw)) return null;
  const name = String(raw).trim();
  if (!numeric) return name;
  const cell = readNumber(name, { decimalComma });
  return cell.kind === 'number' ? `#${cell.value}` : name;
}

/** Why a column is left out by default ('' if it is used). */
export function defaultExclusion(column, columns) {
  if (column.kind === 'empty') return 'empty: no cell holds a value';
  if (column.constant) return `constant: every value is “${column.constantValue}”`;
  if (column.duplicateOf !== null) return `the same values as “${columns[column.duplicateOf].name}”`;
  if (column.identifier) return `every value is different (an identifier?)`;
  if (column.kind === 'categorical' && column.distinct > MAX_CATEGORIES) {
    return `${column.manyValues ? 'thousands of' : column.distinct} categories (more than ${MAX_CATEGORIES})`;
  }
  return '';
}

/**
 * The starting setup for a parsed table: the label is the last column (or `preset.label`, a
 * column name), every other column is used as detected unless it is empty, constant, a repeat
 * of an earlier column, an identifier or has too many categories. For two classes the positive
 * class is the last in order (1 of 0/1, ">50K" of "<=50K"/">50K", "yes" of "no"/"yes").
 * @returns {{label: number, roles: string[], positive: string|null, policy: string|null}}
 */
export function defaultSetup(parsed, columns, preset = {}) {
  let label = columns.length - 1;
  if (preset.label !== undefined) {
    const found = columns.findIndex((c) => c.name === preset.label);
    if (found >= 0) label = found;
  }
  const roles = columns.map((c) => (c.index === label ? 'label' : defaultExclusion(c, columns) ? 'ignore' : c.kind));
  return {
    label,
    roles,
    positive: preset.positive ?? defaultPositive(parsed, label),
    policy: preset.policy ?? null,
  };
}

/** The default positive class of label column `label`: the last class in order, if two. */
export function defaultPositive(parsed, label) {
  if (label < 0 || label >= parsed.width) return null;
  const { classes } = labelClasses(parsed, label);
  return classes.length === 2 ? classes[1].name : null;
}

/** The roles a column may take, for the column picker. */
export function rolesFor(column) {
  if (column.kind === 'empty') return ['ignore'];
  return column.counts.number > 0 ? ['numeric', 'categorical', 'ignore'] : ['categorical', 'ignore'];
}
