// The page's side of the computing engine. Training, comparisons, retraining, the hedging path,
// the certified model and the playground run in a Web Worker (worker.js, through Comlink), so
// the page never blocks: every call here is async. Long work reports its progress to the
// listeners of `onActivity` (Newton iteration and ‖∇L‖ while a model trains) and can be
// cancelled: the worker is terminated, a fresh one starts, and the last good state — the table,
// the model (λ, poisoned labels), the certified model's requests and the playground — is
// rebuilt in it from what this module keeps on the page. Only tiny helpers that the controls
// need at once (random picks, the split's rows, a fresh seed) call the wasm module on the page.
import * as Comlink from 'comlink';
import initWasm, {
  defaults as wasmDefaults,
  methods as wasmMethods,
  randomSeed as wasmRandomSeed,
  sampleRows as wasmSampleRows,
  trainTestSplit,
} from './pkg/unlearn.js';

/** The methods every comparison includes (the API's default set), in report order; from the module. */
export let CORE_METHODS = [];

/** Every method the API knows, in report order; from the module. */
export let ALL_METHODS = [];

/** Thrown by a call that the user cancelled. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'CancelledError';
    this.cancelled = true;
  }
}

let worker = null;
let remote = null;
let restoring = null; // the rebuild after a cancel, awaited by every later call
const inflight = new Set(); // { reject, label } of each call in flight
const listeners = new Set();

/** What the fresh worker must rebuild after a cancel: committed only when a call succeeded. */
const good = {
  table: null, // { x, y, nFeatures, nClasses, unscaledColumns }
  split: null, // { seed, testFraction }
  l2: 1,
  poison: [],
  certified: null, // { start: {…}, requests: [[selection, options], …] }
  playground: null, // { x, y, xTest, yTest, l2 }
};
let model = null; // description of the current model
let certifiedRemovedRows = new Map(); // training row → request number

/**
 * Listens to the engine's activity: `fn({phase: 'start'|'progress'|'end', label, iteration,
 * gradNorm, cancellable})`. Returns a function that stops listening.
 */
export function onActivity(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(event) {
  for (const fn of listeners) {
    try {
      fn(event);
    } catch {
      // a listener's failure must not break the computation
    }
  }
}

function spawn() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  remote = Comlink.wrap(worker);
}

/** Loads the wasm module on the page (for the small helpers) and starts the worker. */
export async function initEngine() {
  spawn();
  await Promise.all([initWasm(), remote.ready()]);
  ({ core: CORE_METHODS, all: ALL_METHODS } = wasmMethods());
}

/**
 * Runs `call(remote, progress)` in the worker as one cancellable job named `label`.
 * `progress` is a proxy of the page's callback for `onProgress` (iteration, ‖∇L‖).
 */
async function job(label, call, { restore = false } = {}) {
  if (!restore && restoring) await restoring;
  const onProgress = Comlink.proxy((iteration, gradNorm, epsilon, step, steps) =>
    emit({ phase: 'progress', label, iteration, gradNorm, ...(steps ? { epsilon, step, steps } : {}) }),
  );
  let reject;
  const cancelled = new Promise((_, r) => {
    reject = r;
  });
  const me = { reject, label };
  inflight.add(me);
  emit({ phase: 'start', label, cancellable: true });
  try {
    return await Promise.race([call(remote, onProgress), cancelled]);
  } finally {
    inflight.delete(me);
    emit({ phase: 'end', label });
  }
}

/** Whether a call is running in the worker. */
export function busy() {
  return inflight.size > 0;
}

/**
 * Cancels the call in flight: terminates the worker, starts a fresh one and rebuilds the last
 * good state in it. The cancelled call rejects with a CancelledError; later calls wait for the
 * rebuild. Returns the rebuild's promise.
 */
export function cancel() {
  const running = [...inflight];
  inflight.clear();
  worker?.terminate();
  spawn();
  for (const call of running) call.reject(new CancelledError());
  emit({ phase: 'restoring', restoring: true });
  const mine = rebuild()
    .catch((err) => {
      if (!err?.cancelled) emit({ phase: 'error', label: 'Restoring the last model', error: err });
    })
    .finally(() => {
      if (restoring === mine) {
        restoring = null;
        emit({ phase: 'restoring', restoring: false });
      }
    });
  restoring = mine;
  return mine;
}

async function rebuild() {
  await remote.ready();
  if (good.table) {
    const label = 'Restoring the last model after the cancel';
    const { seed, testFraction } = good.split;
    await job(label, (r, p) => r.loadTable(good.table, { l2: good.l2, seed, testFraction }, p), { restore: true });
    if (good.poison.length > 0) {
      await job(label, (r, p) => r.request({ l2: good.l2, seed, testFraction, poison: good.poison }, p), { restore: true });
    }
    if (good.certified) {
      // Secret noise cannot be replayed: the rebuilt model draws a fresh b and its requests get
      // new certificates, which the panel takes in place of the old ones.
      const started = await remote.startCertified(good.certified.start);
      const replies = [];
      for (const [selection, options] of good.certified.requests) replies.push(await remote.certifiedRequest(selection, options));
      emit({ phase: 'certified-rebuilt', started, replies });
    }
  }
  if (good.playground) await remote.playgroundTrain(good.playground);
}

/** What the worker needs of a table the page loaded. */
function rawTable(t) {
  return {
    x: t.x,
    y: t.y,
    nFeatures: t.nFeatures,
    nClasses: t.nClasses,
    unscaledColumns: t.unscaledColumns ? [...t.unscaledColumns] : [],
  };
}

/**
 * The training rows of the seeded split of an n-row table (the split depends only on n, the
 * seed and the test fraction), e.g. to impute missing values with training means before the
 * table is handed over.
 */
export function splitTrainRows(n, { seed, testFraction }) {
  return Array.from(trainTestSplit(n, { seed, testFraction }).train);
}

/**
 * Trains a model on a new raw table ({x, y, nFeatures, nClasses, unscaledColumns}) and, only if
 * that succeeds, makes it the table and model of the page (the certified model is stopped).
 * On failure or cancel nothing changes: the previous table and model stay.
 */
export async function loadTable(next, { l2, seed, testFraction }) {
  const t = rawTable(next);
  const described = await job(`Training on ${next.short ?? 'the table'} (λ = ${l2})`, (r, p) =>
    r.loadTable(t, { l2, seed, testFraction }, p),
  );
  Object.assign(good, { table: t, split: { seed, testFraction }, l2, poison: [], certified: null });
  certifiedRemovedRows = new Map();
  model = described;
  return model;
}

/** The compare options' methods: the core methods plus `extra`, in report order. */
function methodsOf(extra) {
  const wanted = new Set([...CORE_METHODS, ...extra]);
  return ALL_METHODS.filter((m) => wanted.has(m));
}

/**
 * Makes sure the model is trained with `l2` on labels poisoned as `poison` says ([training row,
 * wrong label] pairs; [] for the clean data) and, if `edit` is given, compares the core methods
 * and the `methods` variants. Returns {model, comparison, retrained}. On any failure (or a
 * cancel) nothing changes: the previous model stays.
 */
export async function request({ l2, seed, testFraction, poison = [], edit = null, tau = 1e-3, methods = [], steps }) {
  const all = methodsOf(methods);
  const retrains = l2 !== good.l2 || JSON.stringify(poison) !== JSON.stringify(good.poison);
  const label = edit
    ? `${retrains ? `Training with λ = ${l2}, then comparing` : 'Comparing'} ${all.length} methods with retraining from scratch`
    : `Training with λ = ${l2}`;
  const out = await job(label, (r, p) =>
    r.request({ l2, seed, testFraction, poison, edit, tau, methods: all, steps }, p),
  );
  if (out.retrained) {
    Object.assign(good, { l2, poison: poison.map((pair) => [...pair]), split: { seed, testFraction } });
    model = out.model;
  }
  return { ...out, model };
}

/** The hedging path of `edit` on the current model: [{epsilon, exact, firstOrder, …}]. */
export function hedgingPath(edit, options) {
  return job('Tracing the hedging path θ(ε)', (r, onProgress) => r.hedgingPath(edit, options, onProgress));
}

/** The current model (or one with parameters `theta`) as JSON, with its test predictions. */
export function exportModel(options = {}) {
  return job('Exporting the model', (r) => r.exportModel(options));
}

/** Predictions and accuracy of an imported model JSON on the current test split. */
export function predictWith(json) {
  return job('Reading the imported model', (r) => r.predictWith(json));
}

// ---------- certified unlearning ----------

/** c = √(2 ln(1.5/δ)) and the budget β_max = σε/c, as the core computes them. */
export function certifiedBudget({ epsilon, delta, sigma }) {
  const c = Math.sqrt(2 * Math.log(1.5 / delta));
  return { c, budget: (sigma * epsilon) / c };
}

/**
 * Trains a certified model (no intercept, rows scaled to unit norm after standardisation) on the
 * same split as the comparison, with noise b ~ N(0, σ²I): secret (drawn inside the module) when
 * `noiseSeed` is null, else reproducible from it. Replaces a previous certified model only if
 * training succeeds.
 */
export async function startCertified(settings) {
  const started = await job(`Training the certified model (λ = ${settings.l2}, σ = ${settings.sigma})`, (r, p) =>
    r.startCertified(settings, p),
  );
  good.certified = { start: { ...settings }, requests: [] };
  certifiedRemovedRows = new Map();
  return started;
}

/** Frees the certified model, if any. */
export async function stopCertified() {
  good.certified = null;
  certifiedRemovedRows = new Map();
  if (restoring) await restoring;
  await remote.stopCertified();
}

/** Training rows deleted from the certified model so far: Map(row → request number). */
export function certifiedRemoved() {
  return new Map(certifiedRemovedRows);
}

/**
 * Sends one request to the certified model. `flip` are training rows whose current label (in
 * the certified model) is flipped. Returns {report, edit, snapshot}; on failure nothing changes.
 */
export async function certifiedRequest(selection, { method, tau }) {
  if (!good.certified) throw new Error('Start the certified model first.');
  const plain = { features: [...selection.features], flip: [...selection.flip], remove: [...selection.remove] };
  const options = tau === undefined ? { method } : { method, tau };
  const out = await job('Applying the certified request', (r) => r.certifiedRequest(plain, options));
  good.certified.requests.push([plain, options]);
  const n = good.certified.requests.length;
  for (const row of plain.remove) certifiedRemovedRows.set(row, n);
  return out;
}

// ---------- the 2-D playground ----------

/** Trains the playground's base model on its points. */
export async function playgroundTrain(data) {
  const plain = {
    x: Float64Array.from(data.x),
    y: Float64Array.from(data.y),
    xTest: Float64Array.from(data.xTest),
    yTest: Float64Array.from(data.yTest),
    l2: data.l2,
  };
  const out = await job('Training the playground model', (r) => r.playgroundTrain(plain));
  good.playground = plain;
  return out;
}

/** The playground's edit against retraining (θ of each method). */
export function playgroundCompare(edit, options) {
  return job('Unlearning in the playground', (r) => r.playgroundCompare(edit, options));
}

// ---------- small helpers on the page ----------

/** `k` distinct sorted indices from 0..n−1, reproducible from `seed` (needs k ≤ n). */
export function sampleRows(n, k, seed) {
  return Array.from(wasmSampleRows(n, k, seed));
}

/** The core's default of every option (λ, τ, k, the split, …), from the module. */
export function moduleDefaults() {
  return wasmDefaults();
}

/** A fresh random seed from the platform's cryptographic generator. */
export function randomSeed() {
  return wasmRandomSeed();
}
