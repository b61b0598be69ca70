// The Web Worker that does every heavy computation of the page: training, comparisons,
// retraining, the hedging path, the certified model and the 2-D playground. It loads and
// instantiates the wasm module itself; engine.js talks to it through Comlink. Everything it
// returns is plain data (numbers, arrays, typed arrays), copied to the page.
import * as Comlink from 'comlink';
import init, { Model, prepareTable, Session, Unlearner } from './pkg/unlearn.js';

const ready = init();

/** Each method is repeated for at least this long; browsers coarsen timers to ~0.1 ms. */
const TIMING_SECONDS = 0.01;

let table = null; // { x, y, nFeatures, nClasses, unscaledColumns } raw, as loaded
let session = null;
let sessionKey = '';
let model = null; // description of `session`
let trainRows = null; // original table row of each training row; label- and λ-independent
let testSplit = null; // { xTest, yTest, seed, testFraction } standardised like the session's
let prepared = null; // prepareTable output with unit rows (certified model), made on the first start
let certified = null; // { unlearner, labels }
let playground = null; // { session }

/** Calls `onProgress` (a Comlink proxy of the page's callback) without waiting for it. */
function progressOption(onProgress) {
  if (!onProgress) return {};
  return {
    // (iteration, gradNorm), and on the hedging path also (epsilon, step, steps).
    onProgress: (...args) => {
      Promise.resolve(onProgress(...args)).catch(() => {});
    },
  };
}

function fromTable(t, y, { l2, seed, testFraction }, onProgress) {
  const options = { l2, seed, testFraction, ...progressOption(onProgress) };
  if (t.unscaledColumns?.length) options.unscaledColumns = [...t.unscaledColumns];
  return Session.fromTable(t.x, y, t.nFeatures, options);
}

function build(t, { l2, seed, testFraction, poison }, knownTrainRows, onProgress) {
  const options = { l2, seed, testFraction };
  if (poison.length === 0) return fromTable(t, t.y, options, onProgress);
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
  return fromTable(t, y, options, onProgress);
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

/** The compare options: `methods` as given (the page puts them in report order). */
function compareOptions({ tau, methods, steps }) {
  const options = { tau, methods, minTimingSeconds: TIMING_SECONDS };
  if (steps !== undefined) options.steps = steps;
  return options;
}

/** The standardised test rows of the session's split (for predictions of exported models). */
function testRows() {
  const { seed, testFraction } = JSON.parse(sessionKey);
  if (!testSplit || testSplit.seed !== seed || testSplit.testFraction !== testFraction) {
    const options = { seed, testFraction };
    if (table.unscaledColumns?.length) options.unscaledColumns = [...table.unscaledColumns];
    const p = prepareTable(table.x, table.y, table.nFeatures, options);
    testSplit = { xTest: Float64Array.from(p.xTest), yTest: Float64Array.from(p.yTest), seed, testFraction };
  }
  return testSplit;
}

function accuracy(predictions, labels) {
  let right = 0;
  for (let i = 0; i < labels.length; i += 1) if (predictions[i] === labels[i]) right += 1;
  return labels.length > 0 ? right / labels.length : NaN;
}

function certifiedSnapshot() {
  const { unlearner } = certified;
  return {
    beta: unlearner.beta,
    budget: unlearner.budget,
    noise: unlearner.noise, // "secret" or "reproducible": never the noise itself
    nRows: unlearner.nRows,
    accuracy: unlearner.score(prepared.xTest, prepared.yTest),
    failedAssumptions: unlearner.failedAssumptions(),
    labels: Float64Array.from(certified.labels),
  };
}

function stopCertified() {
  if (certified) certified.unlearner.free();
  certified = null;
}

const api = {
  /** Resolves once the wasm module is instantiated. */
  async ready() {
    await ready;
    return true;
  },

  /**
   * Trains on a new raw table and, only if that succeeds, makes it the worker's table and
   * model (the certified model is stopped). On failure nothing changes.
   */
  loadTable(next, { l2, seed, testFraction }, onProgress) {
    const candidate = build(next, { l2, seed, testFraction, poison: [] }, null, onProgress);
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
    testSplit = null;
    return model;
  },

  /**
   * Makes sure the model is trained with `l2` on labels poisoned as `poison` says and, if `edit`
   * is given, compares `methods`. Returns {model, comparison, retrained}; on failure nothing
   * changes.
   */
  request({ l2, seed, testFraction, poison = [], edit = null, tau = 1e-3, methods, steps }, onProgress) {
    if (!table) throw new Error('No data loaded yet.');
    const key = JSON.stringify({ l2, seed, testFraction, poison });
    const fresh = key !== sessionKey || !session;
    const candidate = fresh ? build(table, { l2, seed, testFraction, poison }, trainRows, onProgress) : session;
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
  },

  /** The hedging path of `edit` on the current model (see Session.hedgingPath). */
  hedgingPath(edit, options, onProgress) {
    if (!session) throw new Error('No model trained yet.');
    return session.hedgingPath(edit, { ...options, ...progressOption(onProgress) });
  },

  /**
   * A model as exported: the current model (θ*), or one with the parameters `theta` (an
   * unlearned or retrained θ of the last comparison), as `Model.toJSON()`, with its predictions
   * and accuracy on the test split.
   */
  exportModel({ theta = null } = {}) {
    if (!session) throw new Error('No model trained yet.');
    const current = session.model();
    let json = current.toJSON();
    current.free();
    if (theta) {
      const { coef, intercepts, ...rest } = json;
      const other = Model.fromJSON({ ...rest, theta: Array.from(theta) });
      json = other.toJSON();
      other.free();
    }
    const predicted = api.predictWith(json);
    return { model: json, ...predicted };
  },

  /** Imports a model JSON (`Model.fromJSON`) and predicts the current test split with it. */
  predictWith(json) {
    if (!session) throw new Error('No model trained yet.');
    const imported = Model.fromJSON(json);
    try {
      const d = table.nFeatures;
      if (imported.nFeatures !== d) {
        throw new Error(
          `the model has ${imported.nFeatures} features, but the data in use has ${d}. ` +
            'Load the dataset the model was trained on first.',
        );
      }
      const { xTest, yTest } = testRows();
      const predictions = Float64Array.from(imported.predict(xTest));
      const current = session.model();
      const mine = Float64Array.from(current.predict(xTest));
      current.free();
      return {
        predictions,
        accuracy: accuracy(predictions, yTest),
        agreement: accuracy(predictions, mine),
        nClasses: imported.nClasses,
        nFeatures: imported.nFeatures,
        nTest: yTest.length,
      };
    } finally {
      imported.free();
    }
  },

  // ---------- certified unlearning ----------

  /** `noiseSeed`: null for secret noise (drawn inside the module), or a seed for reproducible noise. */
  startCertified({ l2, epsilon, delta, sigma, noiseSeed, seed, testFraction }, onProgress) {
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
      certified: noiseSeed === null ? { epsilon, delta, sigma } : { epsilon, delta, sigma, seed: noiseSeed },
      ...progressOption(onProgress),
    });
    stopCertified();
    certified = { unlearner, labels: Float64Array.from(prepared.yTrain) };
    return { ...certifiedSnapshot(), trainRows: [...prepared.trainRows], nTrain: prepared.yTrain.length };
  },

  stopCertified() {
    stopCertified();
  },

  /** One request to the certified model ({features, flip, remove}); see engine.js. */
  certifiedRequest({ features, flip, remove }, { method, tau }) {
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
    const gone = new Set(remove);
    for (const row of flip) if (!gone.has(row)) labels[row] = 1 - labels[row];
    return { report, edit, snapshot: certifiedSnapshot() };
  },

  // ---------- the 2-D playground ----------

  /** Trains the playground's model on its points (already in the model's units). */
  playgroundTrain({ x, y, xTest, yTest, l2 }) {
    const next = new Session(x, y, xTest, yTest, 2, { l2 });
    if (playground) playground.free();
    playground = next;
    return { theta: next.theta, report: next.trainReport() };
  },

  /** Compares the playground's edit (removed and relabelled points) with retraining. */
  playgroundCompare(edit, { methods, tau }) {
    if (!playground) throw new Error('The playground has no model yet.');
    return playground.compare(edit, { methods, tau, minTimingSeconds: 0 });
  },
};

Comlink.expose(api);
