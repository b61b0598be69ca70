// The only module that talks to the WebAssembly package. It owns the trained Session: a new
// session replaces (and frees) the old one only after everything asked of it has succeeded.
import init, { Session, randomSeed as wasmRandomSeed, sampleRows as wasmSampleRows } from './pkg/unlearn.js';

/** Each method is repeated for at least this long; browsers coarsen timers to ~0.1 ms. */
const TIMING_SECONDS = 0.01;

let table = null; // { x, y, nFeatures } raw, as loaded
let session = null;
let sessionKey = '';
let model = null; // description of `session`
let trainRows = null; // original table row of each training row; label- and λ-independent

/** Loads and instantiates the wasm module; call once before anything else. */
export async function initEngine() {
  await init();
}

/** Registers the raw table ({x, y, nFeatures}) every model is trained from. */
export function setTable(data) {
  table = data;
  trainRows = null;
}

function build({ l2, seed, testFraction, poisonRows }) {
  const options = { l2, seed, testFraction };
  if (poisonRows.length === 0) return Session.fromTable(table.x, table.y, table.nFeatures, options);
  if (!trainRows) {
    // Learn the split from a clean model first (same seed, same split).
    const probe = Session.fromTable(table.x, table.y, table.nFeatures, options);
    trainRows = probe.trainRows;
    probe.free();
  }
  // Flip the labels of the poisoned rows in the raw table; the split and the standardisation
  // do not depend on labels, so training row i is still table row trainRows[i].
  const y = Float64Array.from(table.y);
  for (const row of poisonRows) {
    if (!(Number.isInteger(row) && row >= 0 && row < trainRows.length)) {
      throw new Error(`Row ${row} is not a training-row index (0–${trainRows.length - 1}).`);
    }
    y[trainRows[row]] = 1 - y[trainRows[row]];
  }
  return Session.fromTable(table.x, y, table.nFeatures, options);
}

function describe(s, { l2, poisonRows }) {
  const rows = s.trainRows;
  return {
    theta: s.theta,
    report: s.trainReport(),
    trainRows: rows,
    testRows: s.testRows,
    trainLabels: s.trainLabels,
    trueLabels: Float64Array.from(rows, (r) => table.y[r]),
    l2,
    poisoned: [...poisonRows],
  };
}

/**
 * Makes sure the model is trained with `l2` on labels poisoned at `poisonRows` (training-row
 * indices; [] for the clean data) and, if `edit` is given, compares every unlearning method.
 * Returns {model, comparison}. On any failure nothing changes: the previous session stays.
 */
export function request({ l2, seed, testFraction, poisonRows = [], edit = null, tau = 1e-3 }) {
  if (!table) throw new Error('No data loaded yet.');
  const key = JSON.stringify({ l2, seed, testFraction, poisonRows });
  const fresh = key !== sessionKey || !session;
  const candidate = fresh ? build({ l2, seed, testFraction, poisonRows }) : session;
  try {
    const comparison = edit ? candidate.compare(edit, { tau, minTimingSeconds: TIMING_SECONDS }) : null;
    if (fresh) {
      const described = describe(candidate, { l2, poisonRows });
      if (session) session.free();
      session = candidate;
      sessionKey = key;
      model = described;
      trainRows = described.trainRows;
    }
    return { model, comparison };
  } catch (err) {
    if (fresh) candidate.free();
    throw err;
  }
}

/** `k` distinct sorted indices from 0..n−1, reproducible from `seed`. */
export function sampleRows(n, k, seed) {
  return Array.from(wasmSampleRows(n, k, seed));
}

/** A fresh random seed from the platform's cryptographic generator. */
export function randomSeed() {
  return wasmRandomSeed();
}
