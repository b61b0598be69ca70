// Events → queue → state → engine → render. Each user action reads the controls when it
// happens and is then queued, so actions run one after another, in order, and none is dropped
// while another is running. Every action is guarded: a failure becomes a message in the alert
// region and leaves the previous model, chart and results as they were.
import { mountCertified } from './certified.js';
import { DATASET_NAME } from './data.js';
import * as engine from './engine.js';
import { formatIndexList, parseIndexList, parseNumber } from './parse.js';
import { afterPress } from './pointer.js';
import { createQueue } from './queue.js';
import { assessMethods } from './render/assess.js';
import { createShiftChart, renderShiftChart, rowHeight, shiftView } from './render/chart.js';
import {
  renderAffected,
  renderChartNote,
  renderDatasetLine,
  renderFieldError,
  renderMessages,
  renderPoisonState,
  renderRelabelList,
  renderWarnings,
} from './render/info.js';
import { methodLabel } from './render/labels.js';
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
    poisonState: byId('poison-state'),
    removeRows: byId('remove-rows'),
    removeError: byId('remove-error'),
    removeK: byId('remove-k'),
    removeKError: byId('remove-k-error'),
    removeRandom: byId('remove-random'),
    l2: byId('l2'),
    l2Error: byId('l2-error'),
    tau: byId('tau'),
    tauError: byId('tau-error'),
    methodBoxes: document.querySelectorAll('.method-picker input[type="checkbox"]'),
    steps: byId('steps'),
    stepsError: byId('steps-error'),
    unlearn: byId('unlearn'),
    status: byId('status'),
    alert: byId('alert'),
    affected: byId('affected'),
    warnings: byId('warnings'),
    chartNote: byId('chart-note'),
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
  dom.seed.value = String(state.seed);
  dom.l2.value = String(state.l2);
  dom.tau.value = String(state.tau);
  dom.flipK.value = String(state.flipK);
  dom.removeK.value = String(state.removeK);
  dom.featureValue.value = String(state.featureValue);
  dom.steps.value = String(state.steps);

  // ---------- rendering ----------
  function say({ status = '', error = '' }) {
    renderMessages({ statusNode: dom.status, alertNode: dom.alert }, { status, error });
  }

  function renderModel() {
    renderDatasetLine(dom.datasetLine, { datasetName: DATASET_NAME, data: state.data, model: state.model });
  }

  function renderRelabel() {
    renderRelabelList(dom.relabelList, relabelPlan(state), { poison: state.poison });
    renderPoisonState(dom.poisonState, { model: state.model, poison: state.poison, relabel: state.relabel });
  }

  /** The verdicts on the last comparison (failed, not finite, absurd), computed once per result. */
  function assessment() {
    const comparison = state.result?.comparison ?? null;
    if (state.result && !state.result.assessment) state.result.assessment = assessMethods(comparison);
    return state.result?.assessment ?? assessMethods(null);
  }

  function renderResults() {
    const comparison = state.result?.comparison ?? null;
    const { verdicts } = assessment();
    renderAffected(dom.affected, comparison, state.model);
    const flagged = [...verdicts.values()].filter((v) => v.status === 'absurd' || v.status === 'nonfinite');
    const failed = [...verdicts.values()].filter((v) => v.status === 'failed');
    const warnings = [
      ...(comparison?.warnings ?? []).map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
      ...flagged.map((v) => v.reason),
      ...(failed.length > 0
        ? [`${failed.length === 1 ? 'One method' : `${failed.length} methods`} failed; the table says why, and the chart leaves ${failed.length === 1 ? 'it' : 'them'} out.`]
        : []),
    ];
    renderWarnings(dom.warnings, warnings);
    renderResultsTable(dom.results, comparison, { verdicts, steps: state.result?.request.steps });
    renderChart();
  }

  function renderChart() {
    const comparison = state.result?.comparison ?? null;
    const { verdicts } = assessment();
    const exclude = new Set([...verdicts].filter(([, v]) => v.status !== 'ok').map(([m]) => m));
    const steps = state.result?.request.steps;
    const input = {
      featureNames: state.data.featureNames,
      forgotten: state.result?.edit.features ?? [],
      theta: state.model.theta,
      comparison,
      exclude,
      steps,
    };
    const view = shiftView({ ...input, mode: state.chartMode });
    dom.chartBox.style.height = `${(state.data.nFeatures + 1) * rowHeight(view.datasets.length) + 90}px`;
    renderShiftChart(chart, view);
    renderThetaTable(dom.thetaTable, view.mode === 'values' ? view : shiftView({ ...input, mode: 'values' }));
    const why = { failed: 'failed', nonfinite: 'numbers not finite', absurd: 'parameters far out of range' };
    renderChartNote(
      dom.chartNote,
      [...exclude]
        .filter((m) => m !== 'retrain_warm')
        .map((m) => ({ label: methodLabel(m, { steps }), why: why[verdicts.get(m).status] })),
    );
  }

  function renderAll() {
    renderModel();
    renderRelabel();
    renderResults();
  }

  // ---------- reading inputs ----------
  /** The message of each input's last reading ('' when valid). */
  const fieldErrors = new Map();
  const errorOf = (...inputs) => inputs.map((input) => fieldErrors.get(input) ?? '').filter(Boolean).join(' ');

  /**
   * Parses one input, shows or clears its inline message (after the press in progress, if any:
   * see pointer.js); returns the value or undefined.
   */
  function field(input, errorNode, parsed) {
    fieldErrors.set(input, parsed.error ?? '');
    // Deferred renders show the latest reading, not the one that scheduled them.
    afterPress(() => renderFieldError(input, errorNode, fieldErrors.get(input)));
    return parsed.error ? undefined : parsed.value;
  }
  const clearField = (input, errorNode) => field(input, errorNode, { value: null });

  const readRelabel = () =>
    field(dom.relabelRows, dom.relabelError, parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct'));
  const readRemove = () =>
    field(dom.removeRows, dom.removeError, parseIndexList(dom.removeRows.value, nTrain(), 'Rows to delete'));
  const readFeatureValue = () =>
    field(dom.featureValue, dom.featureValueError, parseNumber(dom.featureValue.value, 'Replace with', { min: -100, max: 100 }));
  const readL2 = () => field(dom.l2, dom.l2Error, parseNumber(dom.l2.value, 'λ', { min: 0 }));
  const readTau = () => field(dom.tau, dom.tauError, parseNumber(dom.tau.value, 'τ', { min: 0 }));
  const readSteps = () =>
    field(dom.steps, dom.stepsError, parseNumber(dom.steps.value, 'k steps', { min: 1, max: 1000, integer: true }));
  const readSeed = () =>
    field(dom.seed, dom.seedError, parseNumber(dom.seed.value, 'Seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }));
  const readFlipK = () =>
    field(dom.flipK, dom.flipKError, parseNumber(dom.flipK.value, 'k (labels)', { min: 1, max: nTrain(), integer: true }));
  const readFeatures = () =>
    [...dom.featureGroups.querySelectorAll('input[type="checkbox"]:checked')]
      .map((box) => Number(box.value))
      .sort((a, b) => a - b);
  const readMethods = () => [...dom.methodBoxes].filter((box) => box.checked).map((box) => box.value);

  const REQUEST_FIELDS = [dom.featureValue, dom.relabelRows, dom.removeRows, dom.l2, dom.tau, dom.steps];

  /**
   * Every input of a request, read now: {values}, or {error} (with inline messages shown and,
   * if `focus`, the first bad field focused) if any is invalid.
   */
  function readValues({ focus = true } = {}) {
    const values = {
      features: readFeatures(),
      featureValue: readFeatureValue(),
      relabel: readRelabel(),
      remove: readRemove(),
      l2: readL2(),
      tau: readTau(),
      poison: dom.poison.checked,
      methods: readMethods(),
      steps: readSteps(),
    };
    const invalid = REQUEST_FIELDS.filter((input) => fieldErrors.get(input));
    if (invalid.length > 0) {
      if (focus) invalid[0].focus();
      return { error: errorOf(...invalid) };
    }
    return { values };
  }

  /** The engine request that `values` describe. */
  function requestOf(values) {
    const edit = editFromState({ ...state, ...values });
    return {
      l2: values.l2,
      tau: values.tau,
      poisonRows: values.poison ? values.relabel : [],
      edit,
      methods: values.methods,
      steps: values.steps,
    };
  }

  const keyOf = (request) => JSON.stringify(request);
  const isEmpty = (edit) => edit.features.length === 0 && edit.relabel.length === 0 && edit.remove.length === 0;

  // ---------- running ----------
  const queue = createQueue({
    onBusy: (busy) => {
      if (busy) {
        dom.resultsSection.setAttribute('aria-busy', 'true');
        document.body.dataset.busy = 'true';
      } else {
        dom.resultsSection.removeAttribute('aria-busy');
        delete document.body.dataset.busy;
      }
    },
    onError: (err) => say({ error: `Something went wrong: ${errorText(err)}` }),
  });

  const poisonText = (rows) => (rows.length > 0 ? ` on ${rows.length} poisoned label${rows.length === 1 ? '' : 's'}` : '');

  /** What the comparison says, in one sentence. */
  function verdictText(comparison) {
    if (!comparison) return '';
    const second = comparison.methods.find((m) => m.method === 'second_order');
    const lazy = comparison.methods.find((m) => m.method === 'lazy');
    if (!second || second.error) return 'The second-order update failed: the table says why.';
    const { verdicts } = assessMethods(comparison);
    if (verdicts.get('second_order')?.status !== 'ok') return 'The second-order result is not meaningful here: see the warnings.';
    const better = lazy && lazy.distanceToRetrain > 0 ? lazy.distanceToRetrain / second.distanceToRetrain : NaN;
    return Number.isFinite(better) && better > 1
      ? `The second-order update is ${better >= 100 ? Math.round(better) : better.toPrecision(2)}× closer to retraining than no update.`
      : '';
  }

  /**
   * Trains (if λ or the poisoned rows changed) and compares `request.edit` (if given); commits
   * to `state` only if everything succeeded. Returns true on success.
   */
  async function compute(request, job, { status, clearResult = false }) {
    say({ status: 'Working…' });
    await nextFrame();
    try {
      const { model, comparison, retrained } = engine.request({
        ...request,
        seed: SPLIT_SEED,
        testFraction: TEST_FRACTION,
      });
      state.model = model;
      state.l2 = request.l2;
      state.tau = request.tau;
      if (comparison) {
        state.result = { comparison, edit: request.edit, request };
        state.comparisons += 1;
        job.comparedKey = keyOf(request);
      } else if (clearResult) {
        state.result = null;
      }
      renderAll();
      if (comparison) document.body.dataset.comparisons = String(state.comparisons);
      say({ status: status({ comparison, retrained }) });
      return true;
    } catch (err) {
      // Show what the page still uses — unless the field was edited again since (that edit is
      // queued and will be applied in its turn).
      const back = [];
      const shows = (input, value) => parseNumber(input.value, '').value === value;
      if (request.l2 !== state.model.l2 && shows(dom.l2, request.l2)) {
        dom.l2.value = String(state.model.l2);
        back.push(`λ is back to ${state.model.l2}`);
      }
      if (request.tau !== state.tau && shows(dom.tau, request.tau)) {
        dom.tau.value = String(state.tau);
        back.push(`τ is back to ${state.tau}`);
      }
      say({ error: `Nothing was changed${back.length ? ` (${back.join(', ')})` : ''}: ${errorText(err)}` });
      return false;
    }
  }

  // The Unlearn press that blurred λ or τ triggers their change first: jobs queued from the
  // moment the button is pressed count as in flight for that press (see onUnlearn).
  let pressSeq = null;
  dom.unlearn.addEventListener('pointerdown', () => {
    pressSeq = queue.nextSeq();
  });
  const forgetPress = () => setTimeout(() => {
    pressSeq = null;
  }, 0);
  dom.unlearn.addEventListener('pointerup', forgetPress);
  dom.unlearn.addEventListener('pointercancel', forgetPress);

  function onUnlearn() {
    const since = Math.min(pressSeq ?? Infinity, queue.oldestUnfinishedSeq() ?? Infinity);
    pressSeq = null;
    const read = readValues();
    if (read.error) {
      say({ error: read.error });
      return;
    }
    const { values } = read;
    const request = requestOf(values);
    if (isEmpty(request.edit)) {
      say({ error: 'Nothing to forget yet: check a feature, or enter rows to relabel or delete.' });
      return;
    }
    Object.assign(state, {
      features: values.features,
      featureValue: values.featureValue,
      relabel: values.relabel,
      remove: values.remove,
      poison: values.poison,
    });
    queue.push(async (job) => {
      // An action already queued or running when this press happened computes the same
      // comparison (e.g. the λ change the press caused): it answers this press too.
      const key = keyOf(request);
      if (queue.jobsSince(since).some((j) => j !== job && j.comparedKey === key)) {
        job.comparedKey = key;
        return;
      }
      await compute(request, job, {
        status: ({ comparison, retrained }) =>
          [retrained ? `Retrained with λ = ${request.l2}${poisonText(request.poisonRows)}.` : '', 'Done.', verdictText(comparison)]
            .filter(Boolean)
            .join(' '),
      });
    });
  }

  /** λ or τ changed: retrain if needed and, once there are results, compare the current selection. */
  function onSettingChange() {
    const l2 = readL2();
    const tau = readTau();
    if (l2 === undefined || tau === undefined) {
      say({ error: errorOf(dom.l2, dom.tau) });
      return;
    }
    const read = readValues({ focus: false });
    queue.push(async (job) => {
      const l2Changed = l2 !== state.model.l2;
      const tauChanged = tau !== state.tau;
      if (!l2Changed && !tauChanged) return;
      if (read.error) {
        say({
          error: `${l2Changed ? `λ = ${l2}` : `τ = ${tau}`} is not applied yet: ${read.error} Fix ${
            read.error.includes('. ') ? 'these fields' : 'this field'
          }, then press Unlearn.`,
        });
        return;
      }
      const request = requestOf(read.values);
      if (!state.result || isEmpty(request.edit)) {
        if (!l2Changed) {
          state.tau = tau;
          say({ status: `τ = ${tau} will be used by the next comparison.` });
          return;
        }
        await compute({ ...request, edit: null }, job, {
          clearResult: true,
          status: () =>
            `Model retrained with λ = ${l2}${poisonText(request.poisonRows)}.` +
            (state.result ? '' : ' Choose what to forget and press Unlearn to compare.'),
        });
        return;
      }
      Object.assign(state, { poison: read.values.poison, relabel: read.values.relabel });
      await compute(request, job, {
        status: ({ comparison, retrained }) =>
          [
            retrained
              ? `Retrained with λ = ${l2}${poisonText(request.poisonRows)} and compared the current selection (τ = ${tau}).`
              : `Compared the current selection again with τ = ${tau}; the model (λ = ${l2}) was not retrained.`,
            verdictText(comparison),
          ]
            .filter(Boolean)
            .join(' '),
      });
    });
  }

  function onFlipRandom() {
    const k = readFlipK();
    const seed = readSeed();
    if (k === undefined || seed === undefined) {
      say({ error: errorOf(dom.flipK, dom.seed) });
      return;
    }
    state.flipK = k;
    state.seed = seed;
    state.relabel = engine.sampleRows(nTrain(), k, seed);
    dom.relabelRows.value = formatIndexList(state.relabel);
    clearField(dom.relabelRows, dom.relabelError);
    renderRelabel();
    selectionChanged();
    say({ status: `Picked ${k} training rows to relabel (seed ${seed}).` });
  }

  function onRemoveRandom() {
    const relabel = readRelabel();
    const seed = readSeed();
    if (relabel === undefined || seed === undefined) {
      say({ error: errorOf(dom.relabelRows, dom.seed) });
      return;
    }
    // Rows already being relabelled are left out, so that the two lists do not overlap; at
    // least one training row always stays.
    const taken = new Set(relabel);
    const free = [...Array(nTrain()).keys()].filter((i) => !taken.has(i));
    const available = Math.min(free.length, nTrain() - 1);
    if (available < 1) {
      const message =
        'k (rows): every training row is already selected to relabel, so no row is left to pick ' +
        'for deletion. Take rows out of “Labels to correct” first.';
      field(dom.removeK, dom.removeKError, { error: message });
      say({ error: message });
      return;
    }
    const parsed = parseNumber(dom.removeK.value, 'k (rows)', { min: 1, max: available, integer: true });
    if (parsed.error && taken.size > 0 && Number(dom.removeK.value) > available) {
      parsed.error += ` (${taken.size} rows are selected to relabel and are not picked, so ${available} are left.)`;
    }
    const k = field(dom.removeK, dom.removeKError, parsed);
    if (k === undefined) {
      say({ error: errorOf(dom.removeK) });
      return;
    }
    state.removeK = k;
    state.seed = seed;
    state.remove = engine.sampleRows(free.length, k, seed).map((i) => free[i]);
    dom.removeRows.value = formatIndexList(state.remove);
    clearField(dom.removeRows, dom.removeError);
    selectionChanged();
    say({ status: `Picked ${k} training rows to delete (seed ${seed}).` });
  }

  function onRelabelInput() {
    const parsed = parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct');
    if (parsed.error) return; // reported on change / Unlearn, not while typing
    state.relabel = parsed.value;
    clearField(dom.relabelRows, dom.relabelError);
    renderRelabel();
  }

  // ---------- wiring ----------
  /** Tells listeners (the certified panel's preview) that the selection changed in code. */
  const selectionChanged = () => dom.form.dispatchEvent(new Event('selection'));

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
    clearField(dom.seed, dom.seedError);
  }));
  dom.relabelRows.addEventListener('input', guard(onRelabelInput));
  dom.relabelRows.addEventListener('change', guard(() => readRelabel()));
  dom.removeRows.addEventListener('change', guard(() => readRemove()));
  dom.featureValue.addEventListener('change', guard(() => readFeatureValue()));
  dom.seed.addEventListener('change', guard(() => readSeed()));
  dom.flipK.addEventListener('change', guard(() => readFlipK()));
  dom.steps.addEventListener('change', guard(() => readSteps()));
  dom.poison.addEventListener('change', guard(() => {
    state.poison = dom.poison.checked;
    renderRelabel();
  }));
  dom.l2.addEventListener('change', guard(onSettingChange));
  dom.tau.addEventListener('change', guard(onSettingChange));
  dom.clearFeatures.addEventListener('click', guard(() => {
    for (const box of dom.featureGroups.querySelectorAll('input[type="checkbox"]')) box.checked = false;
    state.features = [];
    selectionChanged();
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

  mountCertified({
    state,
    queue,
    /** The current selection of steps 1–3, for the certified model; {error} if invalid. */
    readSelection: () => {
      const features = readFeatures();
      const relabel = readRelabel();
      const remove = readRemove();
      if (relabel === undefined || remove === undefined) return { error: errorOf(dom.relabelRows, dom.removeRows) };
      return { value: { features, flip: relabel, remove } };
    },
    /** The same, silently (for the preview): null if invalid. */
    peekSelection: () => {
      const relabel = parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct');
      const remove = parseIndexList(dom.removeRows.value, nTrain(), 'Rows to delete');
      if (relabel.error || remove.error) return null;
      return { features: readFeatures(), flip: relabel.value, remove: remove.value };
    },
    readTau: () => readTau(),
    controlsForm: dom.form,
  });

  document.body.dataset.comparisons = String(state.comparisons);
  return { renderAll, say };
}

function errorText(err) {
  const text = err && typeof err.message === 'string' ? err.message : String(err);
  return text.replace(/^Error:\s*/, '');
}
