// The package's JavaScript API: a thin layer over the wasm-bindgen bindings in ./wasm/ that takes
// plain arrays (rows of numbers, or a flat row-major array with nFeatures) and any class labels,
// returns plain arrays and objects of JS numbers, and throws `Error`s that say what is wrong.
//
// Entry points: this file (browsers and bundlers: call `await init()` once), ./auto.js (initialises
// itself with top-level await) and ./node.js (Node: initialises synchronously from the file next
// to it). All three export the same API.
import initBindings, {
  initSync as initBindingsSync,
  Model as WasmModel,
  Session as WasmSession,
  Unlearner as WasmUnlearner,
  makeClassification as wasmMakeClassification,
  methods as wasmMethods,
  optionKeys as wasmOptionKeys,
  prepareTable as wasmPrepareTable,
  randomSeed as wasmRandomSeed,
  sampleRows as wasmSampleRows,
  trainTestSplit as wasmTrainTestSplit,
} from './wasm/unlearn.js';

/** The package version (semver). */
export const version = '__VERSION__';

/** The unlearning methods in report order, as the module names them (filled by `init()`). */
export const METHODS = [];

// ---------------------------------------------------------------------------------------------
// Initialisation

let ready = false;

/**
 * Loads and instantiates the WebAssembly module; resolves when the API can be used. Call it once
 * before anything else (later calls return at once). Without an argument the `.wasm` file is
 * fetched from next to this module (`new URL('./wasm/unlearn_bg.wasm', import.meta.url)`, which
 * bundlers such as Vite and webpack rewrite to the emitted asset). Pass a URL or path string, a
 * `Response` (or a promise of one), the bytes, or a compiled `WebAssembly.Module` to load it
 * from elsewhere.
 */
export async function init(input) {
  if (ready) return;
  if (input === undefined) {
    await initBindings();
  } else if (input !== null && Object.getPrototypeOf(input) === Object.prototype) {
    await initBindings(input); // already `{ module_or_path }`
  } else {
    await initBindings({ module_or_path: input });
  }
  becomeReady();
}

/** The keys each options object accepts, as the bindings check them (filled by `init()`). */
const KEYS = {};

/** Reads the module's own lists once it is instantiated. */
function becomeReady() {
  METHODS.push(...wasmMethods().all);
  Object.freeze(METHODS);
  Object.assign(KEYS, wasmOptionKeys());
  ready = true;
}

/**
 * Instantiates the WebAssembly module synchronously from its bytes or a compiled
 * `WebAssembly.Module` (what the Node entry does). Browsers allow this only off the main thread
 * or for small modules; prefer `init()` there.
 */
export function initSync(input) {
  if (ready) return;
  if (input === undefined || input === null) {
    throw new Error('initSync: pass the bytes of unlearn_bg.wasm or a WebAssembly.Module');
  }
  if (Object.getPrototypeOf(input) === Object.prototype) initBindingsSync(input);
  else initBindingsSync({ module: input });
  becomeReady();
}

export default init;

function ensureReady() {
  if (!ready) {
    throw new Error(
      "unlearn is not initialised: call `await init()` once before using it, or import from 'unlearn/auto', " +
        'which initialises itself (in Node, `import ... from "unlearn"` is ready at once)',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Input conversion and checks

const BIGINT_ARRAYS = [globalThis.BigInt64Array, globalThis.BigUint64Array].filter(Boolean);

function isTypedArray(value) {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isBigIntArray(value) {
  return BIGINT_ARRAYS.some((type) => value instanceof type);
}

/** A short description of a value for error messages. */
function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (isTypedArray(value)) return `a ${value.constructor.name} of length ${value.length}`;
  switch (typeof value) {
    case 'number':
      return `the number ${value}`;
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'function':
      return 'a function';
    default: {
      const name = value.constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

/** A label as it appears in messages: strings quoted, numbers as numbers. */
function showLabel(label) {
  return typeof label === 'string' ? JSON.stringify(label) : String(label);
}

function showLabels(labels) {
  const shown = labels.slice(0, 10).map(showLabel).join(', ');
  return `[${shown}${labels.length > 10 ? `, … (${labels.length} in all)` : ''}]`;
}

function bigIntHint(what) {
  return `${what}: BigInt values are not accepted; convert them to numbers first (Number(value), or Float64Array.from(values, Number))`;
}

/**
 * Refuses anything but a plain options object with known keys; returns `{}` for undefined/null.
 * A typo (`lambda` for `l2`) is reported instead of silently ignored.
 */
function checkKeys(what, value, allowed) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || isTypedArray(value)) {
    throw new Error(`${what}: expected an object with keys ${allowed.join(', ')}; got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const hint = ['lambda', 'alpha', 'penalty', 'reg'].includes(key)
        ? ' (the L2 strength λ is `l2`, or scikit-learn\'s `C` = 1/λ)'
        : '';
      throw new Error(`${what}: unknown key "${key}"${hint}; expected one of ${allowed.join(', ')}`);
    }
  }
  return value;
}

/** An object without its undefined entries (the bindings treat a present key as set). */
function defined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function wholeNumber(what, value, min) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${what}: expected a whole number ≥ ${min}; got ${describe(value)}`);
  }
  return value;
}

/**
 * A feature matrix as `{data: Float64Array (row-major), nRows, nFeatures}` from an array of rows
 * (arrays or typed arrays), or from a flat row-major array or typed array with `nFeatures`.
 */
function toMatrix(X, what, nFeatures, nFeaturesSource) {
  if (isTypedArray(X)) {
    if (isBigIntArray(X)) throw new Error(bigIntHint(what));
    return flatMatrix(X instanceof Float64Array ? X : Float64Array.from(X), what, nFeatures);
  }
  if (!Array.isArray(X)) {
    throw new Error(
      `${what}: expected an array of rows (number[][]), or a flat row-major array or typed array of numbers with nFeatures; got ${describe(X)}`,
    );
  }
  if (X.length === 0) {
    return { data: new Float64Array(0), nRows: 0, nFeatures: nFeatures ?? 0 };
  }
  const first = X[0];
  if (Array.isArray(first) || isTypedArray(first)) return rowsMatrix(X, what, nFeatures, nFeaturesSource);
  if (typeof first === 'number') {
    const data = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) {
      const v = X[i];
      if (typeof v !== 'number') throw new Error(notANumber(`${what}[${i}]`, v, 'a flat array of numbers'));
      data[i] = v;
    }
    return flatMatrix(data, what, nFeatures);
  }
  throw new Error(
    `${what}[0]: expected a row (an array of numbers) or a number; got ${describe(first)}`,
  );
}

function notANumber(where, value, context) {
  if (typeof value === 'bigint') return bigIntHint(where);
  return `${where}: expected a number; got ${describe(value)} (${context})`;
}

function flatMatrix(data, what, nFeatures) {
  if (nFeatures === undefined) {
    throw new Error(
      `${what}: a flat array of ${data.length} numbers needs nFeatures (the number of columns) in the options; or pass an array of rows`,
    );
  }
  if (data.length % nFeatures !== 0) {
    throw new Error(
      `${what}: ${data.length} values do not split into rows of ${nFeatures} features; pass a row-major array of n × ${nFeatures} numbers`,
    );
  }
  return { data, nRows: data.length / nFeatures, nFeatures };
}

function rowsMatrix(X, what, nFeatures, nFeaturesSource = 'nFeatures') {
  const d = nFeatures ?? X[0].length;
  const source = nFeatures === undefined ? `row 0 has ${d}` : `${nFeaturesSource} is ${d}`;
  if (d === 0) throw new Error(`${what}[0]: a row without features; every row needs at least one number`);
  const data = new Float64Array(X.length * d);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (!Array.isArray(row) && !isTypedArray(row)) {
      throw new Error(`${what}[${i}]: expected a row (an array of ${d} numbers); got ${describe(row)}`);
    }
    if (isBigIntArray(row)) throw new Error(bigIntHint(`${what}[${i}]`));
    if (row.length !== d) {
      throw new Error(`${what}[${i}]: ${row.length} values, expected ${d} (${source}); every row needs the same number of features`);
    }
    const offset = i * d;
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new Error(notANumber(`${what}[${i}][${j}]`, v, 'rows must hold numbers'));
      data[offset + j] = v;
    }
  }
  return { data, nRows: X.length, nFeatures: d };
}

/** Labels as a plain array of numbers, strings or booleans (one kind), checked. */
function toLabels(y, what) {
  let labels;
  if (isTypedArray(y)) {
    if (isBigIntArray(y)) throw new Error(bigIntHint(what));
    labels = Array.from(y);
  } else if (Array.isArray(y)) {
    labels = y;
  } else {
    throw new Error(`${what}: expected an array of class labels (numbers, strings or booleans); got ${describe(y)}`);
  }
  let kind;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const type = typeof label;
    if (type === 'bigint') throw new Error(bigIntHint(`${what}[${i}]`));
    if (type !== 'number' && type !== 'string' && type !== 'boolean') {
      throw new Error(`${what}[${i}]: expected a class label (a number, string or boolean); got ${describe(label)}`);
    }
    if (type === 'number' && !Number.isFinite(label)) {
      throw new Error(`${what}[${i}]: ${label} is not a class label; labels must be finite numbers, strings or booleans`);
    }
    if (type === 'number' && !Number.isInteger(label)) {
      // 0, 0.5, 1 would silently become three classes (scikit-learn refuses them too).
      throw new Error(
        `${what}[${i}]: ${label} is not a whole number; numeric labels name classes, so a fractional one looks like ` +
          'a continuous target — pass the labels as strings to declare them categories',
      );
    }
    if (kind === undefined) kind = type;
    else if (type !== kind) {
      throw new Error(
        `${what}: labels mix types (${what}[0] is a ${kind}, ${what}[${i}] is a ${type}); use one type of label`,
      );
    }
  }
  return labels;
}

/** The sorted distinct labels (numbers ascending, strings by code unit, false before true). */
function uniqueSorted(labels) {
  const distinct = [...new Set(labels)];
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Class codes 0…K−1 for `labels` as a Float64Array; unknown labels throw. */
function encode(labels, index, what, classes) {
  const codes = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const code = index.get(labels[i]);
    if (code === undefined) {
      throw new Error(`${what}[${i}]: label ${showLabel(labels[i])} is not one of the model's classes ${showLabels(classes)}`);
    }
    codes[i] = code;
  }
  return codes;
}

function classIndex(classes) {
  return new Map(classes.map((label, k) => [label, k]));
}

/** An array of indices (a plain array, or a typed array converted to one). */
function indexList(what, value) {
  if (value === undefined) return undefined;
  if (isTypedArray(value)) {
    if (isBigIntArray(value)) throw new Error(bigIntHint(what));
    return Array.from(value);
  }
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array of indices; got ${describe(value)}`);
  return value;
}

function tuple(what, value) {
  if (isTypedArray(value)) return Array.from(value);
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array; got ${describe(value)}`);
  return value;
}

/** An edit for the bindings: relabelled rows get class codes instead of labels. */
function toWasmEdit(edit, state) {
  const e = checkKeys('edit', edit, KEYS.edit);
  const out = {
    features: indexList('edit.features', e.features),
    featureValue: e.featureValue,
    remove: indexList('edit.remove', e.remove),
  };
  if (e.featureValues !== undefined) {
    out.featureValues = tuple('edit.featureValues', e.featureValues).map((pair, k) => tuple(`edit.featureValues[${k}]`, pair));
  }
  if (e.cells !== undefined) {
    out.cells = tuple('edit.cells', e.cells).map((cell, k) => tuple(`edit.cells[${k}]`, cell));
  }
  if (e.relabel !== undefined) {
    out.relabel = tuple('edit.relabel', e.relabel).map((entry, k) => {
      const where = `edit.relabel[${k}]`;
      const pair = tuple(where, entry);
      if (pair.length !== 2) {
        throw new Error(`${where}: expected [row, label]; got ${pair.length} values`);
      }
      const [row, label] = pair;
      const code = state.index.get(label);
      if (code === undefined) {
        throw new Error(`${where}: label ${showLabel(label)} is not one of the model's classes ${showLabels(state.classes)}`);
      }
      return [row, code];
    });
  }
  return defined(out);
}

/**
 * The core names classes by their codes 0…K−1; in the messages about a class that lost its last
 * row, name the label instead.
 */
function withLabels(error, classes) {
  if (error instanceof Error) {
    error.message = error.message
      .replace(/^labels: every training row has label (\d+);/, (text, code) =>
        classes[code] === undefined ? text : `labels: every training row would have the label ${showLabel(classes[code])};`)
      .replace(/^labels: no training row has class (\d+);/, (text, code) =>
        classes[code] === undefined ? text : `labels: no training row would have the label ${showLabel(classes[code])};`)
      .replace(/^the request leaves no training row (?:with label|of class) (\d+):/, (text, code) =>
        classes[code] === undefined ? text : `the request leaves no training row with the label ${showLabel(classes[code])}:`);
  }
  return error;
}

/** The bindings' edit view with class codes turned back into labels. */
function fromWasmEdit(edit, classes) {
  return { ...edit, relabel: edit.relabel.map(([row, code]) => [row, classes[code]]) };
}

// ---------------------------------------------------------------------------------------------
// Options

// The bindings' keys (KEYS) and this layer's own: C (= 1/λ) and nFeatures (for flat X).
const trainKeys = () => [...KEYS.train, 'C'];
const fitKeys = () => [...trainKeys(), ...KEYS.fit, ...KEYS.progress, 'nFeatures'];
const requestKeys = () => [...KEYS.request, ...KEYS.settings];
const compareKeys = () => [...KEYS.compare, ...KEYS.settings];

/** The training options for the bindings (C turned into l2; nFeatures left out). */
function trainOptions(options) {
  const { C, nFeatures, ...rest } = options;
  if (C !== undefined) {
    if (rest.l2 !== undefined) {
      throw new Error('options: give either l2 (λ) or C (= 1/λ, as in scikit-learn), not both');
    }
    if (typeof C !== 'number' || !(C > 0) || C === Infinity) {
      throw new Error(`options.C: expected a number > 0 (C = 1/λ; for no penalty use l2: 0); got ${describe(C)}`);
    }
    rest.l2 = 1 / C;
  }
  return defined(rest);
}

/** The options' own keys (the bindings check `certified` and `drift` themselves, at fit). */
function checkFitOptions(options) {
  ensureReady();
  const o = { ...checkKeys('options', options, fitKeys()) };
  if (o.nFeatures !== undefined) wholeNumber('options.nFeatures', o.nFeatures, 1);
  trainOptions(o); // checks C and l2 together
  return Object.freeze(o);
}

// ---------------------------------------------------------------------------------------------
// Models

const SUPERSEDED =
  'this model was superseded: unlearn() and retrain() move the training data to the model they return. ' +
  'Unlearn from that model (this one still predicts as before)';
const LOADED =
  'this model has no training data (it was loaded with fromJSON); fit a model to unlearn from it';
const FREED = 'this model was freed with free(); it can no longer be used';
const UNFITTED = 'this model is not fitted yet: call fit(X, y) first';

/** Plain arrays `coef` (rows of d) and `intercept` from a bindings model. */
function readParameters(model, nFeatures) {
  const flat = model.coef;
  const coef = [];
  for (let k = 0; k < flat.length; k += nFeatures) coef.push(Array.from(flat.subarray(k, k + nFeatures)));
  return { coef, intercept: Array.from(model.intercepts) };
}

/**
 * Everything a fitted model knows. `unlearner` (the training data, the Hessian factor and, in
 * certified mode, the noise and budget) belongs to exactly one model at a time: the latest one.
 */
function makeState({ model, unlearner, classes, privacy }) {
  const nFeatures = model.nFeatures;
  return {
    model,
    unlearner,
    classes,
    index: classIndex(classes),
    nFeatures,
    nClasses: model.nClasses,
    privacy, // null, or {budget} in certified mode (the noise never leaves the wasm module)
    ...readParameters(model, nFeatures),
    status: unlearner ? 'owner' : 'loaded',
    frozen: null, // {nRows, beta, noise} when superseded
  };
}

export class LogisticRegression {
  #options;
  #state = null;

  /**
   * An unfitted model with its training options (all optional): `l2` (λ, default 1) or `C`
   * (= 1/λ), `fitIntercept` (true), `penalizeIntercept` (false), `l2Scaling` ("total" or
   * "per_sample"), `tol` (1e-10, on ‖∇L‖₂), `maxIter` (100), `certified` ({epsilon, delta, sigma,
   * seed?}), `onProgress` ((iteration, gradNorm) => void), `nFeatures` (for flat X).
   */
  constructor(options = {}) {
    this.#options = checkFitOptions(options);
  }

  static #wrap(options, state) {
    const model = new LogisticRegression(options);
    model.#state = state;
    return model;
  }

  /**
   * Trains on `X` (rows of numbers, or flat with `nFeatures`) and labels `y` (numbers, strings or
   * booleans; the sorted distinct labels become `classes`). Returns this model, fitted.
   */
  fit(X, y) {
    ensureReady();
    const options = this.#options;
    const matrix = toMatrix(X, 'X', options.nFeatures);
    const labels = toLabels(y, 'y');
    if (matrix.nRows === 0) throw new Error('X: no rows; fit needs rows of at least two classes');
    if (labels.length !== matrix.nRows) {
      throw new Error(`y: ${labels.length} labels for ${matrix.nRows} rows of X; give one label per row`);
    }
    const classes = uniqueSorted(labels);
    if (classes.length < 2) {
      throw new Error(`y: every row has the label ${showLabel(classes[0])}; fit needs rows of at least two classes`);
    }
    const codes = encode(labels, classIndex(classes), 'y', classes);
    const unlearner = WasmUnlearner.fit(matrix.data, codes, matrix.nFeatures, trainOptions(options));
    let model;
    try {
      model = unlearner.model();
    } catch (error) {
      unlearner.free();
      throw error;
    }
    const privacy = options.certified == null ? null : { budget: unlearner.budget };
    const previous = this.#state;
    this.#state = makeState({ model, unlearner, classes, privacy });
    if (previous && previous.status !== 'freed') release(previous);
    return this;
  }

  /** The state, freed or not (for the plain values that stay readable after free()). */
  #values() {
    if (this.#state === null) throw new Error(UNFITTED);
    return this.#state;
  }

  #fitted() {
    const state = this.#state;
    if (state === null) throw new Error(UNFITTED);
    if (state.status === 'freed') throw new Error(FREED);
    return state;
  }

  #owner() {
    const state = this.#fitted();
    if (state.status === 'superseded') throw new Error(SUPERSEDED);
    if (state.status === 'loaded') throw new Error(LOADED);
    return state;
  }

  #matrix(X, state) {
    ensureReady();
    return toMatrix(X, 'X', state.nFeatures, "the model's nFeatures");
  }

  /** Predicted class labels, one per row of X. */
  predict(X) {
    const state = this.#fitted();
    const codes = state.model.predict(this.#matrix(X, state).data);
    return Array.from(codes, (code) => state.classes[code]);
  }

  /** Class probabilities: one row of K numbers per row of X, columns in the order of `classes`. */
  predictProba(X) {
    const state = this.#fitted();
    const p = state.model.predictProba(this.#matrix(X, state).data);
    const rows = [];
    if (state.nClasses === 2) {
      for (let i = 0; i < p.length; i++) rows.push([1 - p[i], p[i]]);
    } else {
      const K = state.nClasses;
      for (let i = 0; i < p.length; i += K) rows.push(Array.from(p.subarray(i, i + K)));
    }
    return rows;
  }

  /**
   * Scores: w·x + b per row (binary: a number per row, > 0 predicts classes[1]) or, for K
   * classes, a row of K scores Wx + b per row.
   */
  decisionFunction(X) {
    const state = this.#fitted();
    const scores = state.model.decisionFunction(this.#matrix(X, state).data);
    if (state.nClasses === 2) return Array.from(scores);
    const rows = [];
    for (let i = 0; i < scores.length; i += state.nClasses) rows.push(Array.from(scores.subarray(i, i + state.nClasses)));
    return rows;
  }

  /** Accuracy on (X, y): the share of rows whose predicted label equals y. */
  score(X, y) {
    const predicted = this.predict(X);
    const labels = toLabels(y, 'y');
    if (labels.length !== predicted.length) {
      throw new Error(`y: ${labels.length} labels for ${predicted.length} rows of X; give one label per row`);
    }
    if (labels.length === 0) throw new Error('score: no rows given');
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct / labels.length;
  }

  /**
   * Forgets `edit` and returns `{model, report}`: the unlearned model (a new object) and what the
   * request did. The training data moves to the returned model; this one keeps predicting as it
   * did, but can no longer unlearn. A request that fails changes nothing.
   */
  unlearn(edit, options) {
    const state = this.#owner();
    ensureReady();
    const wasmEdit = toWasmEdit(edit, state);
    const request = defined({ ...checkKeys('unlearn options', options, requestKeys()) });
    const { unlearner } = state;
    const before = { nRows: unlearner.nRows, beta: unlearner.beta, noise: unlearner.noise ?? null };
    const started = performance.now();
    let raw;
    try {
      raw = unlearner.request(wasmEdit, request);
    } catch (error) {
      throw withLabels(error, state.classes);
    }
    const seconds = (performance.now() - started) / 1000;
    const next = makeState({
      model: unlearner.model(),
      unlearner,
      classes: state.classes,
      privacy: state.privacy,
    });
    state.unlearner = null;
    state.status = 'superseded';
    state.frozen = before;
    const report = {
      ...raw,
      seconds,
      certificate: raw.certificate && {
        ...raw.certificate,
        edit: fromWasmEdit(raw.certificate.edit, state.classes),
      },
    };
    return { model: LogisticRegression.#wrap(this.#options, next), report };
  }

  /**
   * Retrains from scratch (Newton from 0) on the training data after `edit` (default: none) —
   * the reference every unlearning method approximates. In certified mode with fresh noise.
   * Returns `{model, report}` like `unlearn`.
   */
  retrain(edit = {}, options) {
    const o = checkKeys('retrain options', options, ['residual']);
    return this.unlearn(edit, { ...o, method: 'retrain' });
  }

  /** The weights: K rows of d numbers (one row for a binary model), as scikit-learn's `coef_`. */
  get coef() {
    return this.#values().coef.map((row) => row.slice());
  }

  /** The intercepts: one (binary) or K numbers, as scikit-learn's `intercept_` (0 without one). */
  get intercept() {
    return this.#values().intercept.slice();
  }

  /** The class labels in sorted order, as scikit-learn's `classes_`. */
  get classes() {
    return this.#values().classes.slice();
  }

  /** Number of features d. */
  get nFeatures() {
    return this.#values().nFeatures;
  }

  /** Number of classes K (2 for a binary model). */
  get nClasses() {
    return this.#values().nClasses;
  }

  /**
   * Whether the model was trained with `certified` options (whether a request is certified is
   * its certificate's `certified`, never true with reproducible noise).
   */
  get certified() {
    return this.#fitted().privacy !== null;
  }

  /** Whether `unlearn` and `retrain` work on this model (it holds the training data). */
  get canUnlearn() {
    const state = this.#state;
    return state !== null && state.status === 'owner';
  }

  /** Training rows left after the requests so far (`null` for a model loaded from JSON). */
  get nRows() {
    const state = this.#fitted();
    if (state.status === 'owner') return state.unlearner.nRows;
    return state.frozen ? state.frozen.nRows : null;
  }

  /**
   * The accumulated bound β on the gradient residual (certified mode; otherwise the residual of
   * the last training); `null` for a model loaded from JSON.
   */
  get beta() {
    const state = this.#fitted();
    if (state.status === 'owner') return state.unlearner.beta;
    return state.frozen ? state.frozen.beta : null;
  }

  /**
   * What makes the trained model less trustworthy (badly scaled features), one sentence each;
   * every `unlearn` report adds its own.
   */
  get warnings() {
    const state = this.#fitted();
    return state.status === 'owner' ? state.unlearner.trainReport().warnings : [];
  }

  /** The budget β_max = σε/c (certified mode), else `null`. */
  get budget() {
    return this.#fitted().privacy?.budget ?? null;
  }

  /**
   * Certified mode: "secret" (b from the platform's secure generator, never exported) or
   * "reproducible" (from `certified.seed`: not a privacy guarantee); else `null`.
   */
  get noise() {
    const state = this.#fitted();
    if (state.privacy === null) return null;
    return state.status === 'owner' ? state.unlearner.noise : state.frozen.noise;
  }

  /**
   * The assumptions of certified unlearning that fail on the current training data, one sentence
   * each (empty when all hold). O(n·d).
   */
  failedAssumptions() {
    return this.#owner().unlearner.failedAssumptions();
  }

  /**
   * The model as a plain JSON-ready object: `{format: "unlearn-model", version: 1, theta,
   * nFeatures, nClasses, fitIntercept, coef, intercepts, classes}`. `JSON.stringify(model)` uses it.
   */
  toJSON() {
    const state = this.#fitted();
    ensureReady();
    return { ...state.model.toJSON(), classes: state.classes.slice() };
  }

  /** A predict-only model from `toJSON()`'s object (or its JSON text). */
  static fromJSON(json) {
    ensureReady();
    let value = json;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch (error) {
        throw new Error(`model: the text is not JSON (${error.message})`);
      }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`model: expected the object that toJSON() returns; got ${describe(value)}`);
    }
    const { classes, ...rest } = value;
    const model = WasmModel.fromJSON(rest);
    const K = model.nClasses;
    let labels;
    try {
      labels = classes === undefined ? Array.from({ length: K }, (_, k) => k) : toLabels(classes, 'model.classes');
      if (labels.length !== K || new Set(labels).size !== K) {
        throw new Error(`model.classes: expected ${K} distinct labels (nClasses is ${K}); got ${showLabels(labels)}`);
      }
    } catch (error) {
      model.free();
      throw error;
    }
    const state = makeState({ model, unlearner: null, classes: labels, privacy: null });
    return LogisticRegression.#wrap(Object.freeze({}), state);
  }

  /**
   * Releases the WebAssembly memory now (the model, and the training data if this model holds
   * it) instead of when the model is garbage-collected. Afterwards every method throws.
   */
  free() {
    const state = this.#state;
    if (state === null || state.status === 'freed') return;
    release(state);
  }
}

function release(state) {
  state.model.free();
  if (state.unlearner) state.unlearner.free();
  state.unlearner = null;
  state.status = 'freed';
}

/** Trains a model: `new LogisticRegression(options).fit(X, y)`. */
export function fit(X, y, options) {
  return new LogisticRegression(options).fit(X, y);
}

// ---------------------------------------------------------------------------------------------
// Comparisons, data preparation and helpers


/**
 * Applies `edit` with several methods to a model trained on (X, y) and reports each against
 * retraining from scratch (the demo's results table). Nothing is kept. Options: the training
 * options of `fit` (without `certified`), `xTest`/`yTest` (evaluation rows; default the training
 * data), `methods` (default lazy, first_order, second_order, retrain_warm, retrain), `tau`,
 * `steps`, `fineTuneRate`, `batchSize`, `exactTarget`, `exactMaxIter`, `minTimingSeconds`.
 */
export function compare(X, y, edit, options) {
  ensureReady();
  const trainAll = [...trainKeys(), ...KEYS.progress, 'nFeatures'];
  const o = checkKeys('options', options, [...trainAll, 'xTest', 'yTest', ...compareKeys()]);
  const train = {};
  const settings = {};
  for (const key of trainAll) train[key] = o[key];
  for (const key of compareKeys()) settings[key] = o[key];
  if (train.nFeatures !== undefined) wholeNumber('options.nFeatures', train.nFeatures, 1);
  const matrix = toMatrix(X, 'X', train.nFeatures);
  const labels = toLabels(y, 'y');
  if (labels.length !== matrix.nRows) {
    throw new Error(`y: ${labels.length} labels for ${matrix.nRows} rows of X; give one label per row`);
  }
  const classes = uniqueSorted(labels);
  if (classes.length < 2) {
    throw new Error(`y: ${classes.length ? `every row has the label ${showLabel(classes[0])}` : 'no labels'}; compare needs rows of at least two classes`);
  }
  const index = classIndex(classes);
  const codes = encode(labels, index, 'y', classes);
  let test = { data: matrix.data, codes };
  if (o.xTest !== undefined || o.yTest !== undefined) {
    if (o.xTest === undefined || o.yTest === undefined) throw new Error('options: give both xTest and yTest, or neither');
    const m = toMatrix(o.xTest, 'xTest', matrix.nFeatures, 'the number of columns of X');
    const t = toLabels(o.yTest, 'yTest');
    if (t.length !== m.nRows) throw new Error(`yTest: ${t.length} labels for ${m.nRows} rows of xTest; give one label per row`);
    test = { data: m.data, codes: encode(t, index, 'yTest', classes) };
  }
  const session = new WasmSession(matrix.data, codes, test.data, test.codes, matrix.nFeatures, trainOptions(train));
  try {
    const result = session.compare(toWasmEdit(edit, { index, classes }), defined(settings));
    return { ...result, classes };
  } catch (error) {
    throw withLabels(error, classes);
  } finally {
    session.free();
  }
}

/**
 * Splits (X, y) with a seeded shuffle and standardises both parts with the training split's mean
 * and standard deviation (like scikit-learn's train_test_split followed by StandardScaler).
 * Options: `testFraction` (0.2), `seed` (42), `unscaledColumns` ([]), `unitRows` (false: scale
 * every row to unit norm afterwards, as certified unlearning requires), `nFeatures` (flat X).
 */
export function prepare(X, y, options) {
  ensureReady();
  const o = checkKeys('options', options, [...KEYS.split, 'nFeatures']);
  const { nFeatures, ...split } = o;
  if (nFeatures !== undefined) wholeNumber('options.nFeatures', nFeatures, 1);
  const matrix = toMatrix(X, 'X', nFeatures);
  const labels = toLabels(y, 'y');
  if (labels.length !== matrix.nRows) {
    throw new Error(`y: ${labels.length} labels for ${matrix.nRows} rows of X; give one label per row`);
  }
  if (matrix.nRows === 0) throw new Error('X: no rows to split');
  const classes = uniqueSorted(labels);
  const codes = encode(labels, classIndex(classes), 'y', classes);
  if (split.unscaledColumns !== undefined) split.unscaledColumns = indexList('options.unscaledColumns', split.unscaledColumns);
  const p = wasmPrepareTable(matrix.data, codes, matrix.nFeatures, defined(split));
  const d = matrix.nFeatures;
  const rows = (flat) => {
    const out = [];
    for (let i = 0; i < flat.length; i += d) out.push(flat.slice(i, i + d));
    return out;
  };
  return {
    xTrain: rows(p.xTrain),
    yTrain: p.yTrain.map((code) => classes[code]),
    xTest: rows(p.xTest),
    yTest: p.yTest.map((code) => classes[code]),
    trainRows: p.trainRows,
    testRows: p.testRows,
    mean: p.mean,
    scale: p.scale,
    constantColumns: p.constantColumns,
  };
}

/**
 * The row indices of the seeded split `prepare` uses, without the data: `{train, test}` for a
 * table of n rows. Options: `testFraction` (0.2), `seed` (42).
 */
export function trainTestSplit(n, options) {
  ensureReady();
  const o = checkKeys('options', options, ['testFraction', 'seed']);
  const { train, test } = wasmTrainTestSplit(n, defined({ ...o }));
  return { train: Array.from(train), test: Array.from(test) };
}

/**
 * Seeded synthetic data: `{X, y}` with n rows of d standard-normal features and 0/1 labels drawn
 * from a random logistic model (the benchmarks' generator).
 */
export function makeClassification(n, d, seed = 0) {
  ensureReady();
  const { x, y } = wasmMakeClassification(n, d, seed);
  const X = [];
  for (let i = 0; i < x.length; i += d) X.push(Array.from(x.subarray(i, i + d)));
  return { X, y: Array.from(y) };
}

/** k distinct sorted indices from 0…n−1, chosen reproducibly by `seed`. */
export function sampleRows(n, k, seed = 0) {
  ensureReady();
  return Array.from(wasmSampleRows(n, k, seed));
}

/**
 * A fresh random seed (a whole number below 2³²) from the platform's crypto.getRandomValues, for
 * `sampleRows` and splits. Never pass one as `certified.seed` for privacy: without a seed the
 * certified noise is drawn secretly inside the module.
 */
export function randomSeed() {
  ensureReady();
  return wasmRandomSeed();
}
