// Loads the bundled CSV (same origin) and turns it into a row-major table for the engine.
import Papa from 'papaparse';

const CSV_URL = new URL('./data/breast_cancer.csv', import.meta.url);

export const DATASET_NAME = 'Breast Cancer Wisconsin (Diagnostic)';

/**
 * Parses CSV text with a header row, numeric feature columns and the 0/1 label last.
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

export async function loadDataset(url = CSV_URL) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`The data file could not be loaded (${err.message}).`);
  }
  if (!response.ok) {
    throw new Error(`The data file could not be loaded (HTTP ${response.status}).`);
  }
  return parseTable(await response.text());
}
