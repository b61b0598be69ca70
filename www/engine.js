// The only module that talks to the WebAssembly package. It owns the trained Session of the
// comparison (a new session replaces and frees the old one only after everything asked of it
// has succeeded) and, once started, the certified Unlearner of the certified panel.
import init, {
  prepareTable,
  randomSeed as wasmRandomSeed,
  sampleRows as wasmSampleRows,
  Session,
  Unlearner,
} from './pkg/unlearn.js';

/** Each method is repeated for at least this long; browsers coarsen timers to ~0.1 ms. */
const TIMING_SECONDS = 0.01;

/** The methods every comparison includes (the API's default set), in report order. */
export const CORE_METHODS = ['lazy', 'first_order', 'second_order', 'retrain_warm', 'retrain'];

/** Every method the API knows, in report order. */
export const ALL_METHODS = [
  'lazy',
  'first_order',
  'second_order',
  'hessian_on_d',
  'first_order_stepwise',
  'second_order_stepwise',
  'fine_tune',
  'exact',
  'retrain_warm',
  'retrain',
];

let table = null; // { x, y, nFeatures, nClasses, unscaledColumns } raw, as loaded
let session = null;
let sessionKey = '';
let model = null; // description of `session`
let trainRows = null; // original table row of each training row; label- and λ-independent

/** Loads and instantiates the wasm module; call once before anything else. */
export async function initEngine() {
  await init();
}

function fromTable(t, y, { l2, seed, testFraction }) {
  const options = { l2, seed, testFraction };
  if (t.unscaledColumns?.length) options.unscaledColumns = [...t.unscaledColumns];
  return Session.fromTable(t.x, y, t.nFeatures, options);
}

function build(t, { l2, seed, testFraction, poison }, knownTrainRows) {
  const options = { l2, seed, testFraction };
  if (poison.length === 0) return fromTable(t, t.y, options);
  let rows = knownTrainRows;
  if (!rows) {
    // Learn the split from a clean model first (same seed, same split).
    const probe = fromTable(t, t.y, options);
    rows = probe.trainRows;
    probe.free();
  }
  // Give the poisoned rows their wrong labels in the raw table; the split and the
  // standardisation do not depend on labels, so training row i is still table row rows[i].
  const y = Float64Array.from(t.y);
  for (const [row, label] of poison) {
    if (!(Number.isInteger(row) && row >= 0 && row < rows.length)) {
      throw new Error(`Row ${row} is not a training-row index (0–${rows.length - 1}).`);
    }
    y[rows[row]] = label;
  }
  return fromTable(t, y, options);
}

function describe(s, t, { l2, poison }) {
  const rows = s.trainRows;
  const report = s.trainReport();
  return {
    theta: s.theta,
    report,
    nClasses: report.nClasses,
    trainRows: rows,
    testRows: s.testRows,
    trainLabels: s.trainLabels,
    trueLabels: Float64Array.from(rows, (r) => t.y[r]),
    l2,
    poisoned: poison.map(([row]) => row),
    poison: poison.map((pair) => [...pair]),
  };
}

/**
 * The training rows of the seeded split of an n-row table (the split depends only on n, the
 * seed and the test fraction), e.g. to impute missing values with training means before the
 * table is handed over.
 */
export function splitTrainRows(n, { seed, testFraction }) {
  const y = Float64Array.from({ length: n }, (_, i) => i % 2);
  const p = prepareTable(new Float64Array(n), y, 1, { seed, testFraction });
  return Array.from(p.trainRows);
}

/**
 * Trains a model on a new raw table ({x, y, nFeatures, nClasses, unscaledColumns}) and, only if
 * that succeeds, makes it the table and model of the page (the certified model is stopped).
 * On failure nothing changes: the previous table and model stay.
 */
export function loadTable(next, { l2, seed, testFraction }) {
  const candidate = build(next, { l2, seed, testFraction, poison: [] });
  let described;
  try {
    described = describe(candidate, next, { l2, poison: [] });
  } catch (err) {
    candidate.free();
    throw err;
  }
  if (session) session.free();
  stopCertified();
  table = next;
  session = candidate;
  sessionKey = JSON.stringify({ l2, seed, testFraction, poison: [] });
  model = described;
  trainRows = described.trainRows;
  prepared = null;
  return model;
}

/** The compare options for a request: the core methods plus `extra`, in report order. */
function compareOptions({ tau, methods, steps }) {
  const wanted = new Set([...CORE_METHODS, ...methods]);
  const options = {
    tau,
    methods: ALL_METHODS.filter((m) => wanted.has(m)),
    minTimingSeconds: TIMING_SECONDS,
  };
  if (steps !== undefined) options.steps = steps;
  return options;
}

/**
 * Makes sure the model is trained with `l2` on labels poisoned as `poison` says ([training row,
 * wrong label] pairs; [] for the clean data) and, if `edit` is given, compares the core methods
 * and the `methods` variants. Returns {model, comparison, retrained}. On any failure nothing
 * changes: the previous session stays.
 */
export function request({
  l2,
  seed,
  testFraction,
  poison = [],
  edit = null,
  tau = 1e-3,
  methods = [],
  steps,
}) {
  if (!table) throw new Error('No data loaded yet.');
  const key = JSON.stringify({ l2, seed, testFraction, poison });
  const fresh = key !== sessionKey || !session;
  const candidate = fresh ? build(table, { l2, seed, testFraction, poison }, trainRows) : session;
  try {
    const comparison = edit ? candidate.compare(edit, compareOptions({ tau, methods, steps })) : null;
    if (fresh) {
      const described = describe(candidate, table, { l2, poison });
      if (session) session.free();
      session = candidate;
      sessionKey = key;
      model = described;
      trainRows = described.trainRows;
    }
    return { model, comparison, retrained: fresh };
  } catch (err) {
    if (fresh) candidate.free();
    throw err;
  }
}

// ---------- certified unlearning ----------

let prepared = null; // prepareTable output with unit rows, made on the first start
let certified = null; // { unlearner, labels, removed: Map(row → request number), requests }

/** c = √(2 ln(1.5/δ)) and the budget β_max = σε/c, as the core computes them. */
export function certifiedBudget({ epsilon, delta, sigma }) {
  const c = Math.sqrt(2 * Math.log(1.5 / delta));
  return { c, budget: (sigma * epsilon) / c };
}

function certifiedSnapshot() {
  const { unlearner } = certified;
  return {
    beta: unlearner.beta,
    budget: unlearner.budget,
    nRows: unlearner.nRows,
    accuracy: unlearner.score(prepared.xTest, prepared.yTest),
    failedAssumptions: unlearner.failedAssumptions(),
    labels: Float64Array.from(certified.labels),
  };
}

/**
 * Trains a certified model (no intercept, rows scaled to unit norm after standardisation) on the
 * same split as the comparison, with noise b ~ N(0, σ²I) drawn from `noiseSeed`. Replaces a
 * previous certified model only if training succeeds. Returns the model's snapshot plus the
 * split's original table rows.
 */
export function startCertified({ l2, epsilon, delta, sigma, noiseSeed, seed, testFraction }) {
  if (!table) throw new Error('No data loaded yet.');
  if (table.nClasses > 2) {
    throw new Error(
      `Certified unlearning here is for two classes only; this dataset has ${table.nClasses}. ` +
        'Choose a dataset with a binary label to start a certified model.',
    );
  }
  if (!prepared || prepared.seed !== seed || prepared.testFraction !== testFraction) {
    const options = { testFraction, seed, unitRows: true };
    if (table.unscaledColumns?.length) options.unscaledColumns = [...table.unscaledColumns];
    const p = prepareTable(table.x, table.y, table.nFeatures, options);
    prepared = {
      ...p,
      xTrain: Float64Array.from(p.xTrain),
      yTrain: Float64Array.from(p.yTrain),
      xTest: Float64Array.from(p.xTest),
      yTest: Float64Array.from(p.yTest),
      seed,
      testFraction,
    };
  }
  const unlearner = Unlearner.fit(prepared.xTrain, prepared.yTrain, prepared.nFeatures, {
    l2,
    fitIntercept: false,
    certified: { epsilon, delta, sigma, seed: noiseSeed },
  });
  stopCertified();
  certified = { unlearner, labels: Float64Array.from(prepared.yTrain), removed: new Map(), requests: 0 };
  return { ...certifiedSnapshot(), trainRows: [...prepared.trainRows], nTrain: prepared.yTrain.length };
}

/** Frees the certified model, if any. */
export function stopCertified() {
  if (certified) certified.unlearner.free();
  certified = null;
}

/** Training rows deleted from the certified model so far: Map(row → request number). */
export function certifiedRemoved() {
  return certified ? new Map(certified.removed) : new Map();
}

/**
 * Sends one request to the certified model. `flip` are training rows whose current label (in
 * the certified model) is flipped. Returns {report, snapshot}; on failure nothing changes.
 */
export function certifiedRequest({ features, flip, remove }, { method, tau }) {
  if (!certified) throw new Error('Start the certified model first.');
  const { unlearner, labels } = certified;
  const edit = {
    features: [...features],
    featureValue: 0,
    relabel: flip.map((row) => [row, 1 - labels[row]]),
    remove: [...remove],
  };
  const options = { method };
  if (tau !== undefined) options.tau = tau;
  const report = unlearner.request(edit, options);
  certified.requests += 1;
  const gone = new Set(remove);
  for (const row of flip) if (!gone.has(row)) labels[row] = 1 - labels[row];
  for (const row of remove) certified.removed.set(row, certified.requests);
  return { report, edit, snapshot: certifiedSnapshot() };
}

/** `k` distinct sorted indices from 0..n−1, reproducible from `seed` (needs k ≤ n). */
export function sampleRows(n, k, seed) {
  return Array.from(wasmSampleRows(n, k, seed));
}

/** A fresh random seed from the platform's cryptographic generator. */
export function randomSeed() {
  return wasmRandomSeed();
}
