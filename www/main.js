// Boot: load the wasm module and the default dataset, train the first model, wire the controls,
// the data panel and the certified panel, render.
import { mountControls, showError } from './controls.js';
import { DATASETS, DEFAULT_DATASET, fetchText, finishSetup, prefetchBuiltIns, startSetup } from './data.js';
import { mountDataPanel } from './dataset.js';
import * as engine from './engine.js';
import { createState, SPLIT_SEED, TEST_FRACTION } from './state.js';

// A last safety net: nothing should get here, but if it does it is shown, not thrown.
window.addEventListener('error', (event) => {
  event.preventDefault();
  showError(`Something went wrong: ${event.message}`);
});
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason = event.reason;
  showError(`Something went wrong: ${reason && reason.message ? reason.message : String(reason)}`);
});

async function boot() {
  const state = createState();
  let pending;
  try {
    await engine.initEngine();
    const source = { ...DATASETS[DEFAULT_DATASET], builtIn: true };
    pending = startSetup(await fetchText(source.url), source);
    if (pending.error || !pending.plan.ready) throw new Error(pending.error ?? pending.plan.errors.join(' '));
    const split = { seed: SPLIT_SEED, testFraction: TEST_FRACTION };
    state.data = finishSetup(pending, { trainRowsOf: (n) => engine.splitTrainRows(n, split) });
    state.seed = engine.randomSeed();
    state.model = engine.loadTable(state.data, { l2: state.l2, ...split });
  } catch (err) {
    showError(`The demo could not start: ${err && err.message ? err.message : String(err)}`);
    return;
  }
  const controls = mountControls(state);
  mountDataPanel({ state, queue: controls.queue, initial: pending, onLoaded: controls.datasetChanged });
  document.body.dataset.ready = 'true';
  // The other small built-in files, so that they open offline too.
  setTimeout(prefetchBuiltIns, 1500);
}

boot();
