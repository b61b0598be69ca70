// Events → state → engine → render. Every handler is guarded: a failure becomes a message in
// the alert region and leaves the previous model, chart and results as they were.
import * as engine from './engine.js';
import { DATASET_NAME } from './data.js';
import { formatIndexList, parseIndexList, parseNumber } from './parse.js';
import { createShiftChart, renderShiftChart, ROW_HEIGHT, shiftView } from './render/chart.js';
import {
  renderAffected,
  renderDatasetLine,
  renderFieldError,
  renderMessages,
  renderRelabelList,
} from './render/info.js';
import { renderResultsTable, renderThetaTable } from './render/table.js';
import { editFromState, relabelPlan, SPLIT_SEED, TEST_FRACTION } from './state.js';

const GROUPS = [
  { key: 'mean', title: 'Mean', match: (name) => name.startsWith('mean ') },
  { key: 'error', title: 'Error', match: (name) => name.endsWith(' error') },
  { key: 'worst', title: 'Worst', match: (name) => name.startsWith('worst ') },
  { key: 'other', title: 'Other', match: () => true }, // any other dataset's columns
];

const byId = (id) => document.getElementById(id);

/** The page's elements, looked up once. */
export function queryDom() {
  return {
    form: byId('controls'),
    datasetLine: byId('dataset-line'),
    featureGroups: byId('feature-groups'),
    clearFeatures: byId('clear-features'),
    featureValue: byId('feature-value'),
    featureValueError: byId('feature-value-error'),
    relabelRows: byId('relabel-rows'),
    relabelError: byId('relabel-error'),
    flipK: byId('flip-k'),
    flipKError: byId('flip-k-error'),
    seed: byId('seed'),
    seedError: byId('seed-error'),
    newSeed: byId('new-seed'),
    flipRandom: byId('flip-random'),
    relabelList: byId('relabel-list'),
    poison: byId('poison'),
    removeRows: byId('remove-rows'),
    removeError: byId('remove-error'),
    removeK: byId('remove-k'),
    removeKError: byId('remove-k-error'),
    removeRandom: byId('remove-random'),
    l2: byId('l2'),
    l2Error: byId('l2-error'),
    tau: byId('tau'),
    tauError: byId('tau-error'),
    unlearn: byId('unlearn'),
    status: byId('status'),
    alert: byId('alert'),
    affected: byId('affected'),
    results: byId('results'),
    resultsSection: document.querySelector('.results'),
    chartBox: byId('chart-box'),
    chartCanvas: byId('shift-chart'),
    chartModes: document.querySelectorAll('input[name="chart-mode"]'),
    thetaTable: byId('theta-table'),
  };
}

/** Shows a message in the alert region (used for failures before the controls exist, too). */
export function showError(message) {
  renderMessages({ statusNode: byId('status'), alertNode: byId('alert') }, { error: message });
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function featureControl(name, j, group) {
  const id = `feature-${j}`;
  const wrap = document.createElement('div');
  wrap.className = 'feature';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = id;
  box.value = String(j);
  box.dataset.feature = String(j);
  const label = document.createElement('label');
  label.htmlFor = id;
  label.title = name;
  // The visible text drops the group word; the accessible name keeps the full feature name.
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  if (group.key === 'mean' || group.key === 'worst') {
    hidden.textContent = `${group.key} `;
    label.append(hidden, name.slice(group.key.length + 1));
  } else if (group.key === 'error') {
    hidden.textContent = ' error';
    label.append(name.slice(0, -' error'.length), hidden);
  } else {
    label.append(name);
  }
  wrap.append(box, label);
  return wrap;
}

/** One fieldset of checkboxes per group of features (mean / error / worst). */
function buildFeatureControls(container, names) {
  const members = new Map(GROUPS.map((g) => [g, []]));
  names.forEach((name, j) => members.get(GROUPS.find((g) => g.match(name))).push(j));
  const fieldsets = GROUPS.filter((g) => members.get(g).length > 0).map((group) => {
    const fieldset = document.createElement('fieldset');
    fieldset.className = 'feature-group';
    const legend = document.createElement('legend');
    legend.textContent = group.title;
    fieldset.append(legend, ...members.get(group).map((j) => featureControl(names[j], j, group)));
    return fieldset;
  });
  container.replaceChildren(...fieldsets);
}

/**
 * Builds the dynamic controls, wires every event and draws the first view.
 * Needs `state.data` and `state.model` (main.js trains before calling this).
 */
export function mountControls(state, dom = queryDom()) {
  const nTrain = () => state.model.report.nTrain;
  const chart = createShiftChart(dom.chartCanvas);

  buildFeatureControls(dom.featureGroups, state.data.featureNames);
  dom.chartBox.style.height = `${(state.data.nFeatures + 1) * ROW_HEIGHT + 90}px`;
  dom.seed.value = String(state.seed);
  dom.l2.value = String(state.l2);
  dom.tau.value = String(state.tau);
  dom.flipK.value = String(state.flipK);
  dom.removeK.value = String(state.removeK);
  dom.featureValue.value = String(state.featureValue);

  // ---------- rendering ----------
  function say({ status = '', error = '' }) {
    renderMessages({ statusNode: dom.status, alertNode: dom.alert }, { status, error });
  }

  function renderModel() {
    renderDatasetLine(dom.datasetLine, { datasetName: DATASET_NAME, data: state.data, model: state.model });
  }

  function renderRelabel() {
    renderRelabelList(dom.relabelList, relabelPlan(state), { poison: state.poison });
  }

  function renderResults() {
    const comparison = state.result?.comparison ?? null;
    renderAffected(dom.affected, comparison, state.model);
    renderResultsTable(dom.results, comparison);
    renderChart();
  }

  function renderChart() {
    const comparison = state.result?.comparison ?? null;
    const input = {
      featureNames: state.data.featureNames,
      forgotten: state.result?.edit.features ?? [],
      theta: state.model.theta,
      comparison,
    };
    const view = shiftView({ ...input, mode: state.chartMode });
    renderShiftChart(chart, view);
    renderThetaTable(dom.thetaTable, view.mode === 'values' ? view : shiftView({ ...input, mode: 'values' }));
  }

  function renderAll() {
    renderModel();
    renderRelabel();
    renderResults();
  }

  // ---------- reading inputs ----------
  /** Parses one input, shows or clears its inline message; returns the value or undefined. */
  function field(input, errorNode, parsed) {
    renderFieldError(input, errorNode, parsed.error);
    return parsed.error ? undefined : parsed.value;
  }

  const readRelabel = () =>
    field(dom.relabelRows, dom.relabelError, parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct'));
  const readRemove = () =>
    field(dom.removeRows, dom.removeError, parseIndexList(dom.removeRows.value, nTrain(), 'Rows to delete'));
  const readFeatureValue = () =>
    field(dom.featureValue, dom.featureValueError, parseNumber(dom.featureValue.value, 'Replace with', { min: -100, max: 100 }));
  const readL2 = () => field(dom.l2, dom.l2Error, parseNumber(dom.l2.value, 'λ', { min: 0 }));
  const readTau = () => field(dom.tau, dom.tauError, parseNumber(dom.tau.value, 'τ', { min: 0 }));
  const readSeed = () =>
    field(dom.seed, dom.seedError, parseNumber(dom.seed.value, 'Seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  const readFlipK = () =>
    field(dom.flipK, dom.flipKError, parseNumber(dom.flipK.value, 'k (labels)', { min: 1, max: nTrain(), integer: true }));
  const readFeatures = () =>
    [...dom.featureGroups.querySelectorAll('input[type="checkbox"]:checked')]
      .map((box) => Number(box.value))
      .sort((a, b) => a - b);

  /** Every input of a request; null (with inline messages shown) if any is invalid. */
  function readRequest() {
    const values = {
      features: readFeatures(),
      featureValue: readFeatureValue(),
      relabel: readRelabel(),
      remove: readRemove(),
      l2: readL2(),
      tau: readTau(),
      poison: dom.poison.checked,
    };
    const invalid = [dom.featureValue, dom.relabelRows, dom.removeRows, dom.l2, dom.tau].filter(
      (input) => input.getAttribute('aria-invalid') === 'true',
    );
    if (invalid.length > 0) {
      const messages = [dom.featureValueError, dom.relabelError, dom.removeError, dom.l2Error, dom.tauError]
        .map((node) => node.textContent)
        .filter(Boolean);
      say({ error: messages.join(' ') });
      invalid[0].focus();
      return null;
    }
    return values;
  }

  // ---------- running ----------
  let running = false;

  /**
   * Trains (if the model settings changed) and compares; commits to `state` only if everything
   * succeeded. `request` = {l2, tau, poisonRows, edit, features…}.
   */
  async function run(request, { successStatus }) {
    if (running) return false;
    running = true;
    dom.unlearn.disabled = true;
    dom.resultsSection.setAttribute('aria-busy', 'true');
    say({ status: 'Working…' });
    await nextFrame();
    try {
      const { model, comparison } = engine.request({
        l2: request.l2,
        seed: SPLIT_SEED,
        testFraction: TEST_FRACTION,
        poisonRows: request.poisonRows,
        edit: request.edit,
        tau: request.tau,
      });
      state.model = model;
      state.l2 = request.l2;
      state.tau = request.tau;
      if (comparison) {
        state.result = { comparison, edit: request.edit, poisonRows: request.poisonRows, tau: request.tau };
        state.comparisons += 1;
      }
      renderAll();
      if (comparison) document.body.dataset.comparisons = String(state.comparisons);
      say({ status: successStatus(comparison) });
      return true;
    } catch (err) {
      say({ error: `Nothing was changed: ${errorText(err)}` });
      return false;
    } finally {
      running = false;
      dom.unlearn.disabled = false;
      dom.resultsSection.removeAttribute('aria-busy');
    }
  }

  const doneStatus = (comparison) => {
    if (!comparison) return 'Model retrained.';
    const second = comparison.methods.find((m) => m.method === 'second_order');
    const lazy = comparison.methods.find((m) => m.method === 'lazy');
    const better = lazy.distanceToRetrain > 0 ? lazy.distanceToRetrain / second.distanceToRetrain : NaN;
    return Number.isFinite(better) && better > 1
      ? `Done. The second-order update is ${better >= 100 ? Math.round(better) : better.toPrecision(2)}× closer to retraining than no update.`
      : 'Done.';
  };

  async function onUnlearn() {
    const values = readRequest();
    if (!values) return;
    const next = { ...state, ...values };
    const edit = editFromState(next);
    if (edit.features.length === 0 && edit.relabel.length === 0 && edit.remove.length === 0) {
      say({ error: 'Nothing to forget yet: check a feature, or enter rows to relabel or delete.' });
      return;
    }
    const poisonRows = values.poison ? values.relabel : [];
    Object.assign(state, { features: values.features, featureValue: values.featureValue, relabel: values.relabel, remove: values.remove, poison: values.poison });
    await run({ l2: values.l2, tau: values.tau, poisonRows, edit }, { successStatus: doneStatus });
  }

  /** λ or τ changed: retrain if needed and repeat the last comparison with the new setting. */
  async function onSettingChange() {
    const l2 = readL2();
    const tau = readTau();
    if (l2 === undefined || tau === undefined) {
      say({ error: [dom.l2Error.textContent, dom.tauError.textContent].filter(Boolean).join(' ') });
      return;
    }
    if (l2 === state.model.l2 && tau === state.tau) return;
    const last = state.result;
    const ok = await run(
      { l2, tau, poisonRows: last?.poisonRows ?? state.model.poisoned, edit: last?.edit ?? null },
      { successStatus: (c) => (c ? `Retrained with λ = ${l2} and repeated the last comparison (τ = ${tau}).` : `Model retrained with λ = ${l2}.`) },
    );
    if (!ok) {
      // Keep showing what the page actually uses.
      dom.l2.value = String(state.model.l2);
      dom.tau.value = String(state.tau);
    }
  }

  function onFlipRandom() {
    const k = readFlipK();
    const seed = readSeed();
    if (k === undefined || seed === undefined) {
      say({ error: [dom.flipKError.textContent, dom.seedError.textContent].filter(Boolean).join(' ') });
      return;
    }
    state.flipK = k;
    state.seed = seed;
    state.relabel = engine.sampleRows(nTrain(), k, seed);
    dom.relabelRows.value = formatIndexList(state.relabel);
    renderFieldError(dom.relabelRows, dom.relabelError, '');
    renderRelabel();
    say({ status: `Picked ${k} training rows to relabel (seed ${seed}).` });
  }

  function onRemoveRandom() {
    const relabel = readRelabel();
    const seed = readSeed();
    const free = relabel === undefined ? [] : [...Array(nTrain()).keys()].filter((i) => !relabel.includes(i));
    const k =
      relabel === undefined
        ? undefined
        : field(dom.removeK, dom.removeKError, parseNumber(dom.removeK.value, 'k (rows)', { min: 1, max: free.length - 1, integer: true }));
    if (k === undefined || seed === undefined) {
      say({ error: [dom.relabelError.textContent, dom.removeKError.textContent, dom.seedError.textContent].filter(Boolean).join(' ') });
      return;
    }
    state.removeK = k;
    state.seed = seed;
    // Rows already being relabelled are left out, so that the two lists do not overlap.
    state.remove = engine.sampleRows(free.length, k, seed).map((i) => free[i]);
    dom.removeRows.value = formatIndexList(state.remove);
    renderFieldError(dom.removeRows, dom.removeError, '');
    say({ status: `Picked ${k} training rows to delete (seed ${seed}).` });
  }

  function onRelabelInput() {
    const parsed = parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct');
    if (parsed.error) return; // reported on change / Unlearn, not while typing
    state.relabel = parsed.value;
    renderFieldError(dom.relabelRows, dom.relabelError, '');
    renderRelabel();
  }

  // ---------- wiring ----------
  /** Wraps a handler so that no exception escapes to the console. */
  const guard = (handler) => async (event) => {
    try {
      await handler(event);
    } catch (err) {
      say({ error: `Something went wrong: ${errorText(err)}` });
    }
  };

  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    guard(onUnlearn)(event);
  });
  dom.flipRandom.addEventListener('click', guard(onFlipRandom));
  dom.removeRandom.addEventListener('click', guard(onRemoveRandom));
  dom.newSeed.addEventListener('click', guard(() => {
    state.seed = engine.randomSeed();
    dom.seed.value = String(state.seed);
    renderFieldError(dom.seed, dom.seedError, '');
  }));
  dom.relabelRows.addEventListener('input', guard(onRelabelInput));
  dom.relabelRows.addEventListener('change', guard(() => readRelabel()));
  dom.removeRows.addEventListener('change', guard(() => readRemove()));
  dom.featureValue.addEventListener('change', guard(() => readFeatureValue()));
  dom.seed.addEventListener('change', guard(() => readSeed()));
  dom.flipK.addEventListener('change', guard(() => readFlipK()));
  dom.poison.addEventListener('change', guard(() => {
    state.poison = dom.poison.checked;
    renderRelabel();
  }));
  dom.l2.addEventListener('change', guard(onSettingChange));
  dom.tau.addEventListener('change', guard(onSettingChange));
  dom.clearFeatures.addEventListener('click', guard(() => {
    for (const box of dom.featureGroups.querySelectorAll('input[type="checkbox"]')) box.checked = false;
    state.features = [];
  }));
  dom.featureGroups.addEventListener('change', guard(() => {
    state.features = readFeatures();
  }));
  for (const radio of dom.chartModes) {
    radio.addEventListener('change', guard(() => {
      if (!radio.checked) return;
      state.chartMode = radio.value;
      renderChart();
    }));
  }

  renderAll();
  dom.unlearn.disabled = false;
  return { renderAll, say };
}

function errorText(err) {
  const text = err && typeof err.message === 'string' ? err.message : String(err);
  return text.replace(/^Error:\s*/, '');
}
