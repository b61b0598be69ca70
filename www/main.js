// Boot: load the wasm module and the data, train the first model, wire the controls, render.
import { mountControls, showError } from './controls.js';
import { loadDataset } from './data.js';
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
  try {
    await engine.initEngine();
    state.data = await loadDataset();
    engine.setTable(state.data);
    state.seed = engine.randomSeed();
    state.model = engine.request({ l2: state.l2, seed: SPLIT_SEED, testFraction: TEST_FRACTION }).model;
    mountControls(state);
  } catch (err) {
    showError(`The demo could not start: ${err && err.message ? err.message : String(err)}`);
    return;
  }
  document.body.dataset.ready = 'true';
}

boot();
