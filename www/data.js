// The datasets the page offers and the way from a file's text to the table the engine trains on:
// parse (table/csv.js), describe the columns (table/columns.js), check the setup and encode
// (table/encode.js). Built-in files are served by the page's own origin; uploaded files are
// read on the device (dataset.js). Nothing here talks to the wasm module directly.
import Papa from 'papaparse';
import { parseCsv } from './table/csv.js';
import { defaultSetup, describeColumns } from './table/columns.js';
import { encodeTable, planTable } from './table/encode.js';

/** The built-in datasets. `preset` fixes the label, the positive class and the policy. */
export const DATASETS = {
  'breast-cancer': {
    id: 'breast-cancer',
    name: 'Breast Cancer Wisconsin (Diagnostic)',
    short: 'Breast Cancer',
    fileName: 'breast_cancer.csv',
    url: new URL('./data/breast_cancer.csv', import.meta.url),
    preset: { label: 'malignant', positive: '1' },
    classNames: { 0: 'benign', 1: 'malignant' },
  },
  adult: {
    id: 'adult',
    name: 'UCI Adult (2,000-row sample)',
    short: 'UCI Adult',
    fileName: 'adult.csv',
    url: new URL('./data/adult.csv', import.meta.url),
    preset: { label: 'income', positive: '>50K', policy: 'impute' },
    full: 'adult-full',
  },
  'adult-full': {
    id: 'adult-full',
    name: 'UCI Adult (all 32,561 rows)',
    short: 'UCI Adult (full)',
    fileName: 'adult-full.csv',
    url: new URL('./data/adult-full.csv', import.meta.url),
    preset: { label: 'income', positive: '>50K', policy: 'impute' },
  },
  digits: {
    id: 'digits',
    name: 'Handwritten digits (8×8 images)',
    short: 'Handwritten digits',
    fileName: 'digits.csv',
    url: new URL('./data/digits.csv', import.meta.url),
    preset: { label: 'digit' },
  },
};

/** The first dataset the page trains on. */
export const DEFAULT_DATASET = 'breast-cancer';

/** Built-in files already fetched (or being fetched), by URL. */
const fetched = new Map();

/**
 * Fetches the small built-in files in the background, so that switching to them works offline
 * too once the page has loaded (the full Adult file is fetched only when asked for).
 */
export function prefetchBuiltIns() {
  for (const id of ['adult', 'digits']) {
    const { url } = DATASETS[id];
    if (!fetched.has(url.href)) fetched.set(url.href, download(url).catch(() => fetched.delete(url.href) && null));
  }
}

/** Fetches a built-in file from the page's own origin (once). */
export async function fetchText(url) {
  const known = fetched.get(url.href);
  if (known) {
    const text = await known;
    if (typeof text === 'string') return text;
  }
  const pending = download(url);
  fetched.set(url.href, pending.catch(() => fetched.delete(url.href) && null));
  return pending;
}

async function download(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`The data file could not be loaded (${err.message}).`);
  }
  if (!response.ok) {
    throw new Error(`The data file could not be loaded (HTTP ${response.status}).`);
  }
  return response.text();
}

/**
 * A table being set up: the parsed file, its columns, the setup (label, positive class, roles,
 * policy) and the plan that checks it. `source` describes where it came from.
 */
export function startSetup(text, source, parseOptions = {}) {
  const parsed = parseCsv(text, parseOptions);
  if (parsed.error) return { source, text, parseOptions, error: parsed.error };
  const columns = describeColumns(parsed);
  const setup = defaultSetup(parsed, columns, source.preset ?? {});
  return withPlan({ source, text, parseOptions, parsed, columns, setup });
}

/** The same pending table with its plan recomputed (after the setup changed). */
export function withPlan(pending) {
  return { ...pending, plan: planTable(pending.parsed, pending.columns, pending.setup) };
}

/** Pixel grids: columns named px_r_c (row r, column c), as in the digits file. */
function imageLayout(groups) {
  const cells = groups.map((g) => (g.kind === 'numeric' ? /^px_(\d+)_(\d+)$/.exec(g.name) : null));
  if (cells.length < 4 || cells.some((m) => !m)) return null;
  const rows = Math.max(...cells.map((m) => Number(m[1]))) + 1;
  const cols = Math.max(...cells.map((m) => Number(m[2]))) + 1;
  if (rows * cols > 1024) return null;
  // The encoded column of each pixel (null where the column is not used, e.g. constant).
  const pixels = Array(rows * cols).fill(null);
  cells.forEach((m, g) => {
    pixels[Number(m[1]) * cols + Number(m[2])] = { group: g, column: groups[g].columns[0] };
  });
  return { rows, cols, pixels };
}

/**
 * The table the page uses, from a ready pending setup. `trainRowsOf(n)` gives the training rows
 * of the split of an n-row table (for imputing training means).
 */
export function finishSetup(pending, { trainRowsOf }) {
  const encoded = encodeTable(pending.parsed, pending.plan, { trainRowsOf });
  const { source } = pending;
  const classNames = encoded.classes.map((c) => source.classNames?.[c] ?? c);
  return {
    ...encoded,
    id: source.id,
    name: source.name,
    short: source.short ?? source.name,
    fileName: source.fileName,
    builtIn: Boolean(source.builtIn),
    classNames,
    headerLine: pending.parsed.headerLine,
    image: imageLayout(encoded.groups),
    notes: [...pending.plan.notes],
  };
}

/**
 * Parses CSV text with a header row, numeric feature columns and the 0/1 label last (the
 * format of breast_cancer.csv); kept for callers that need no setup (tests, scripts).
 * @returns {{featureNames: string[], labelName: string, x: Float64Array, y: Float64Array,
 *            nRows: number, nFeatures: number}}
 */
export function parseTable(text) {
  const parsed = Papa.parse(text.trim(), { skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`The data file could not be read: ${e.message} (row ${e.row ?? '?'})`);
  }
  const [header, ...rows] = parsed.data;
  if (!header || header.length < 2 || rows.length === 0) {
    throw new Error('The data file needs a header, at least one feature column and one row.');
  }
  const nFeatures = header.length - 1;
  const x = new Float64Array(rows.length * nFeatures);
  const y = new Float64Array(rows.length);
  rows.forEach((cells, i) => {
    if (cells.length !== header.length) {
      throw new Error(`Data row ${i + 1} has ${cells.length} cells; the header has ${header.length}.`);
    }
    for (let j = 0; j < nFeatures; j += 1) {
      const v = Number(cells[j]);
      if (cells[j].trim() === '' || !Number.isFinite(v)) {
        throw new Error(`Data row ${i + 1}, column “${header[j]}”: “${cells[j]}” is not a number.`);
      }
      x[i * nFeatures + j] = v;
    }
    const label = Number(cells[nFeatures]);
    if (label !== 0 && label !== 1) {
      throw new Error(`Data row ${i + 1}: the label “${cells[nFeatures]}” is not 0 or 1.`);
    }
    y[i] = label;
  });
  return {
    featureNames: header.slice(0, nFeatures).map((s) => s.trim()),
    labelName: header[nFeatures].trim(),
    x,
    y,
    nRows: rows.length,
    nFeatures,
  };
}
