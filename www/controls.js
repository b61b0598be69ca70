// Events → queue → state → engine → render. Each user action reads the controls when it
// happens and is then queued, so actions run one after another, in order, and none is dropped
// while another is running. Every action is guarded: a failure becomes a message in the alert
// region and leaves the previous model, chart and results as they were.
import { mountCertified } from './certified.js';
import * as engine from './engine.js';
import { formatIndexList, parseIndexList, parseNumber } from './parse.js';
import { afterPress } from './pointer.js';
import { createQueue } from './queue.js';
import { assessMethods } from './render/assess.js';
import { createShiftChart, renderShiftChart, rowHeight, shiftView } from './render/chart.js';
import { imageView, renderImages } from './render/images.js';
import {
  renderAccuracy,
  renderAffected,
  renderChartNote,
  renderDatasetLine,
  renderFieldError,
  renderMessages,
  renderMoveList,
  renderPoisonState,
  renderRelabelList,
  renderWarnings,
} from './render/info.js';
import { methodLabel } from './render/labels.js';
import { renderResultsTable, renderThetaTable } from './render/table.js';
import { buildReport } from './report.js';
import { downloadJson, errorText, nextFrame } from './dom.js';
import {
  currentCategories,
  editFromState,
  groupColumns,
  poisonPlan,
  relabelPlan,
  SPLIT_SEED,
  TEST_FRACTION,
} from './state.js';

const GROUPS = [
  { key: 'mean', title: 'Mean', match: (name) => name.startsWith('mean ') },
  { key: 'error', title: 'Error', match: (name) => name.endsWith(' error') },
  { key: 'worst', title: 'Worst', match: (name) => name.startsWith('worst ') },
];

/** The groups of the sensitive-attributes story of the Adult data. */
export const SENSITIVE = ['sex', 'race', 'marital-status'];

const byId = (id) => document.getElementById(id);

/** The page's elements, looked up once. */
export function queryDom() {
  return {
    form: byId('controls'),
    datasetLine: byId('dataset-line'),
    featureGroups: byId('feature-groups'),
    clearFeatures: byId('clear-features'),
    featureValue: byId('feature-value'),
    featureValueHint: byId('feature-value-hint'),
    featureValueError: byId('feature-value-error'),
    featuresHint: byId('features-hint'),
    move: byId('move'),
    moveGroup: byId('move-group'),
    moveTarget: byId('move-target'),
    moveRows: byId('move-rows'),
    moveError: byId('move-error'),
    moveK: byId('move-k'),
    moveKError: byId('move-k-error'),
    moveRandom: byId('move-random'),
    moveList: byId('move-list'),
    stories: byId('stories'),
    storyButtons: byId('story-buttons'),
    storyNote: byId('story-note'),
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
    accuracy: byId('accuracy-line'),
    downloadReport: byId('download-report'),
    chartClass: byId('chart-class'),
    chartClassField: byId('chart-class-field'),
    chartHint: byId('chart-hint'),
    images: byId('images'),
    imageModes: document.querySelectorAll('input[name="images-mode"]'),
    imageGrid: byId('image-grid'),
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

function featureControl(name, g, { key, columns, title, groupName }) {
  const id = `feature-${g}`;
  const wrap = document.createElement('div');
  wrap.className = 'feature';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = id;
  box.value = String(g);
  box.dataset.feature = String(g);
  box.dataset.columns = columns.join(',');
  box.dataset.name = groupName ?? name;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.title = title ?? name;
  // The visible text drops the group word; the accessible name keeps the full feature name.
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  if (key === 'mean' || key === 'worst') {
    hidden.textContent = `${key} `;
    label.append(hidden, name.slice(key.length + 1));
  } else if (key === 'error') {
    hidden.textContent = ' error';
    label.append(name.slice(0, -' error'.length), hidden);
  } else {
    label.append(name);
  }
  wrap.append(box, label);
  return wrap;
}

function fieldset(title, children, className = '') {
  const node = document.createElement('fieldset');
  node.className = `feature-group ${className}`.trim();
  const legend = document.createElement('legend');
  legend.textContent = title;
  node.append(legend, ...children);
  return node;
}

/**
 * One checkbox per feature group (an original column: a numeric column, or every 0/1 column of
 * a categorical one), in fieldsets: mean / error / worst for the Breast Cancer features, a pixel
 * grid for images, numeric / categorical otherwise.
 */
function buildFeatureControls(container, data) {
  const { groups } = data;
  container.className = 'feature-groups';
  const plain = (g) => ({ key: 'other', columns: groups[g].columns });
  if (data.image) {
    const { rows, cols, pixels } = data.image;
    container.classList.add('feature-groups--image');
    const cells = pixels.map((p, i) => {
      const r = Math.floor(i / cols);
      const c = i % cols;
      if (!p) {
        const gap = document.createElement('span');
        gap.className = 'pixel pixel--unused';
        gap.title = `pixel (${r}, ${c}): not used (constant)`;
        return gap;
      }
      const wrap = featureControl(`${r},${c}`, p.group, { ...plain(p.group), title: groups[p.group].name, groupName: groups[p.group].name });
      wrap.className = 'feature pixel';
      wrap.querySelector('label').setAttribute('aria-label', `pixel row ${r}, column ${c} (${groups[p.group].name})`);
      return wrap;
    });
    const grid = fieldset(`Pixels (row, column) of the ${rows}×${cols} image`, cells, 'pixel-grid');
    grid.style.setProperty('--cols', String(cols));
    container.replaceChildren(grid);
    return;
  }
  const names = groups.map((g) => g.name);
  const numeric = groups.every((g) => g.kind === 'numeric');
  const members = new Map(GROUPS.map((group) => [group, []]));
  const unmatched = [];
  names.forEach((name, g) => {
    const group = GROUPS.find((c) => c.match(name));
    if (group) members.get(group).push(g);
    else unmatched.push(g);
  });
  if (numeric && unmatched.length === 0) {
    container.replaceChildren(
      ...GROUPS.filter((group) => members.get(group).length > 0).map((group) =>
        fieldset(group.title, members.get(group).map((g) => featureControl(names[g], g, { key: group.key, columns: groups[g].columns }))),
      ),
    );
    return;
  }
  const ofKind = (kind) => groups.map((g, i) => [g, i]).filter(([g]) => g.kind === kind);
  const numericGroups = ofKind('numeric');
  const categoricalGroups = ofKind('categorical');
  container.classList.add('feature-groups--two');
  container.replaceChildren(
    ...[
      numericGroups.length > 0
        ? fieldset('Numeric', numericGroups.map(([g, i]) => featureControl(g.name, i, plain(i))))
        : null,
      categoricalGroups.length > 0
        ? fieldset(
            'Categorical (one-hot)',
            categoricalGroups.map(([g, i]) => {
              const control = featureControl(g.name, i, { ...plain(i), title: `${g.name}: ${g.categories.join(', ')}` });
              const count = document.createElement('span');
              count.className = 'feature__count';
              count.textContent = ` (${g.categories.length})`;
              control.querySelector('label').append(count);
              return control;
            }),
          )
        : null,
    ].filter(Boolean),
  );
}

/** The categorical groups' picker of "move rows to another category". */
function buildMoveControls(dom, data, move) {
  const categorical = data.groups.map((g, i) => [g, i]).filter(([g]) => g.kind === 'categorical');
  dom.move.hidden = categorical.length === 0;
  dom.moveGroup.replaceChildren(
    ...categorical.map(([g, i]) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.textContent = g.name;
      option.selected = i === move.group;
      return option;
    }),
  );
  buildMoveTargets(dom, data, move);
}

function buildMoveTargets(dom, data, move) {
  const group = move.group === null ? null : data.groups[move.group];
  dom.moveTarget.replaceChildren(
    ...(group?.categories ?? []).map((name, k) => {
      const option = document.createElement('option');
      option.value = String(k);
      option.textContent = name;
      option.selected = k === move.target;
      return option;
    }),
  );
}

/** The chart's class picker (more than two classes). */
function buildClassPicker(dom, data, selected) {
  const many = data.classNames.length > 2;
  dom.chartClassField.hidden = !many;
  dom.chartClass.replaceChildren(
    ...(many ? data.classNames : []).map((name, k) => {
      const option = document.createElement('option');
      option.value = String(k);
      option.textContent = name;
      option.selected = k === selected;
      return option;
    }),
  );
}

/**
 * Builds the dynamic controls, wires every event and draws the first view.
 * Needs `state.data` and `state.model` (main.js trains before calling this). Returns the queue
 * every action runs in and `datasetChanged(data, model)`, which the data panel calls (inside a
 * queued action) once a new table has trained.
 */
export function mountControls(state, dom = queryDom()) {
  const nTrain = () => state.model.report.nTrain;
  const chart = createShiftChart(dom.chartCanvas);
  let certified = null;
  let loads = 1;

  function firstCategorical() {
    const g = state.data.groups.findIndex((group) => group.kind === 'categorical');
    return g < 0 ? { group: null, target: null, rows: [] } : { group: g, target: 0, rows: [] };
  }

  function buildDataControls() {
    buildFeatureControls(dom.featureGroups, state.data);
    buildMoveControls(dom, state.data, state.move);
    buildClassPicker(dom, state.data, state.chartClass);
    const categorical = state.data.groups.some((g) => g.kind === 'categorical');
    dom.featureValueHint.textContent = categorical
      ? 'standard deviations, numeric columns (0 = training mean); categorical ones are set to 0 in all their 0/1 columns'
      : 'standard deviations (0 = training mean)';
    dom.featuresHint.textContent = categorical
      ? 'Checked columns are replaced in every training and test row. A categorical column is forgotten as a group: all of its 0/1 columns.'
      : 'Checked columns are replaced in every training and test row.';
    document.body.dataset.dataset = state.data.id;
    document.body.dataset.classes = String(state.data.classNames.length);
  }

  state.move = firstCategorical();
  buildDataControls();
  dom.seed.value = String(state.seed);
  dom.l2.value = String(state.l2);
  dom.tau.value = String(state.tau);
  dom.flipK.value = String(state.flipK);
  dom.removeK.value = String(state.removeK);
  dom.moveK.value = String(state.moveK);
  dom.featureValue.value = String(state.featureValue);
  dom.steps.value = String(state.steps);

  // ---------- rendering ----------
  function say({ status = '', error = '' }) {
    renderMessages({ statusNode: dom.status, alertNode: dom.alert }, { status, error });
  }

  function renderModel() {
    renderDatasetLine(dom.datasetLine, { data: state.data, model: state.model });
  }

  function renderRelabel() {
    renderRelabelList(dom.relabelList, relabelPlan(state), { poison: state.poison, data: state.data });
    renderPoisonState(dom.poisonState, { model: state.model, planned: poisonPlan(state) });
  }

  function renderMove() {
    const { move } = state;
    if (move.group === null || move.rows.length === 0) {
      dom.moveList.replaceChildren();
      return;
    }
    const rows = move.rows.filter((row) => row < nTrain());
    renderMoveList(dom.moveList, currentCategories(state, move.group, rows), {
      categories: state.data.groups[move.group].categories,
      target: move.target,
    });
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
    renderAccuracy(dom.accuracy, comparison, state.model);
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
    dom.downloadReport.disabled = !comparison;
    renderChart();
    document.dispatchEvent(new Event('results'));
  }

  function excluded() {
    const { verdicts } = assessment();
    return new Set([...verdicts].filter(([, v]) => v.status !== 'ok').map(([m]) => m));
  }

  function renderChart() {
    const comparison = state.result?.comparison ?? null;
    const { verdicts } = assessment();
    const exclude = excluded();
    const steps = state.result?.request.steps;
    const K = state.model.nClasses;
    const classIndex = Math.min(state.chartClass, K - 1);
    const input = {
      featureNames: state.data.featureNames,
      forgotten: state.result?.edit.features ?? [],
      theta: state.model.theta,
      comparison,
      exclude,
      steps,
      nClasses: K,
      classIndex,
    };
    const view = { ...shiftView({ ...input, mode: state.chartMode }), className: state.data.classNames[classIndex] };
    const groups = view.labels.length;
    dom.chartBox.style.height = `${groups * rowHeight(view.datasets.length, groups) + 90}px`;
    renderShiftChart(chart, view);
    renderThetaTable(dom.thetaTable, view.mode === 'values' ? view : shiftView({ ...input, mode: 'values' }));
    dom.chartHint.textContent =
      K > 2
        ? `One group of bars per weight of class ${state.data.classNames[classIndex]} (pick the class above) and its intercept; the model has ${K} such sets. Forgotten features are marked ✕. Variants you add in step 5 get their own bars; warm retraining is left out (it lands on the retrained bars).`
        : 'One group of bars per weight (standardised features) and the intercept. Forgotten features are marked ✕. Variants you add in step 5 get their own bars; warm retraining is left out (it lands on the retrained bars).';
    const why = { failed: 'failed', nonfinite: 'numbers not finite', absurd: 'parameters far out of range' };
    renderChartNote(
      dom.chartNote,
      [...exclude]
        .filter((m) => m !== 'retrain_warm')
        .map((m) => ({ label: methodLabel(m, { steps }), why: why[verdicts.get(m).status] })),
    );
    renderImageMaps();
  }

  function renderImageMaps() {
    const { image } = state.data;
    dom.images.hidden = !image;
    if (!image) {
      dom.imageGrid.replaceChildren();
      delete dom.imageGrid.dataset.images;
      return;
    }
    const view = imageView({
      image,
      nFeatures: state.data.nFeatures,
      nClasses: state.model.nClasses,
      classNames: state.data.classNames,
      theta: state.model.theta,
      comparison: state.result?.comparison ?? null,
      forgotten: state.result?.edit.features ?? [],
      exclude: excluded(),
      mode: state.imageMode,
    });
    renderImages(dom.imageGrid, view);
  }

  function renderStories() {
    const id = state.data.id;
    const stories = [];
    if (id === 'adult' || id === 'adult-full') {
      stories.push({
        key: 'sensitive',
        label: 'Forget sensitive attributes',
        note: 'Forgets the columns sex, race and marital-status (each a group of 0/1 columns) in every row, then compares: the results show the test accuracy before and after. Every row changes, a large request: add “Exact (refined)” in step 5 to see the update refined to the retrained model.',
      });
    }
    if (id === 'digits') {
      stories.push({
        key: 'mislabeled',
        label: 'Forget mislabeled images',
        note: 'Gives 20 random training images a wrong digit and trains on them (poison), then unlearns the wrong labels: second-order repair against retraining, with the weights drawn as 8×8 images under the results.',
      });
    }
    dom.stories.hidden = stories.length === 0;
    dom.storyButtons.replaceChildren(
      ...stories.map((story) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button story-button';
        button.id = `story-${story.key}`;
        button.dataset.story = story.key;
        button.textContent = story.label;
        return button;
      }),
    );
    dom.storyNote.textContent = stories.map((s) => s.note).join(' ');
  }

  function renderAll() {
    renderModel();
    renderRelabel();
    renderMove();
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
  /** The checked feature groups (original columns), ascending. */
  const readFeatures = () =>
    [...dom.featureGroups.querySelectorAll('input[type="checkbox"]:checked')]
      .map((box) => Number(box.value))
      .sort((a, b) => a - b);
  const readMethods = () => [...dom.methodBoxes].filter((box) => box.checked).map((box) => box.value);

  /** The move picker's column and category (no rows). */
  function readMoveTarget() {
    if (dom.move.hidden || dom.moveGroup.value === '') return { group: null, target: null };
    return { group: Number(dom.moveGroup.value), target: Number(dom.moveTarget.value) };
  }

  /**
   * "Move rows to another category": {group, target, rows}; an inline message when a row is
   * already in the target category, is deleted too, or the column is forgotten as a whole.
   */
  function readMove({ features = readFeatures(), remove = null } = {}) {
    const { group, target } = readMoveTarget();
    if (group === null) {
      clearField(dom.moveRows, dom.moveError);
      return { group: null, target: null, rows: [] };
    }
    const parsed = parseIndexList(dom.moveRows.value, nTrain(), 'Rows to move');
    if (parsed.error) {
      field(dom.moveRows, dom.moveError, parsed);
      return undefined;
    }
    const rows = parsed.value;
    const g = state.data.groups[group];
    const problems = [];
    if (rows.length > 0) {
      const already = currentCategories(state, group, rows).filter(({ from }) => from === target).map(({ row }) => row);
      if (already.length > 0) {
        problems.push(
          `${already.length === 1 ? 'row' : 'rows'} ${already.join(', ')} ${already.length === 1 ? 'is' : 'are'} already “${g.categories[target]}”`,
        );
      }
      if (features.includes(group)) problems.push(`“${g.name}” is checked above, so it is forgotten as a whole; uncheck it to move rows instead`);
      const deleted = remove ? rows.filter((row) => remove.includes(row)) : [];
      if (deleted.length > 0) problems.push(`${deleted.length === 1 ? 'row' : 'rows'} ${deleted.join(', ')} ${deleted.length === 1 ? 'is' : 'are'} deleted in step 3`);
    }
    if (problems.length > 0) {
      return field(dom.moveRows, dom.moveError, { error: `Rows to move: ${problems.join('; ')}.` });
    }
    field(dom.moveRows, dom.moveError, { value: rows });
    return { group, target, rows };
  }

  const REQUEST_FIELDS = [dom.featureValue, dom.relabelRows, dom.removeRows, dom.moveRows, dom.l2, dom.tau, dom.steps];

  /**
   * Every input of a request, read now: {values}, or {error} (with inline messages shown and,
   * if `focus`, the first bad field focused) if any is invalid.
   */
  function readValues({ focus = true } = {}) {
    const features = readFeatures();
    const remove = readRemove();
    const values = {
      features,
      featureValue: readFeatureValue(),
      relabel: readRelabel(),
      remove,
      move: readMove({ features, remove: remove ?? [] }),
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
    const categorical = features.filter((g) => state.data.groups[g].kind === 'categorical');
    if (categorical.length > 0 && values.featureValue !== 0) {
      const names = categorical.map((g) => `“${state.data.groups[g].name}”`).join(', ');
      const message =
        `Replace with: categorical columns (${names}) are forgotten by setting all their 0/1 columns to 0, and ` +
        `one request has one replacement value. Set “Replace with” to 0 to forget them together with numeric columns.`;
      field(dom.featureValue, dom.featureValueError, { error: message });
      if (focus) dom.featureValue.focus();
      return { error: message };
    }
    return { values };
  }

  /** The engine request that `values` describe. */
  function requestOf(values) {
    const planState = { ...state, ...values };
    const edit = editFromState(planState);
    return {
      l2: values.l2,
      tau: values.tau,
      poison: poisonPlan(planState),
      edit,
      methods: values.methods,
      steps: values.steps,
    };
  }

  const keyOf = (request) => JSON.stringify(request);
  const isEmpty = (edit) =>
    edit.features.length === 0 && edit.relabel.length === 0 && edit.remove.length === 0 && !(edit.cells?.length > 0);

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

  const poisonText = (pairs) => (pairs.length > 0 ? ` on ${pairs.length} poisoned label${pairs.length === 1 ? '' : 's'}` : '');

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
  async function compute(request, job, { status, clearResult = false, selection = null }) {
    say({ status: 'Working…' });
    await nextFrame();
    try {
      const { model, comparison, retrained } = await engine.request({
        ...request,
        seed: SPLIT_SEED,
        testFraction: TEST_FRACTION,
      });
      state.model = model;
      state.l2 = request.l2;
      state.tau = request.tau;
      if (comparison) {
        state.result = { comparison, edit: request.edit, request, selection };
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
      if (err?.cancelled) {
        say({ status: `Cancelled — nothing was changed${back.length ? ` (${back.join(', ')})` : ''}: the previous model and results stay.` });
        return false;
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

  /** Copies the request part of `values` into the state. */
  function adopt(values) {
    Object.assign(state, {
      features: values.features,
      featureValue: values.featureValue,
      relabel: values.relabel,
      remove: values.remove,
      move: values.move,
      poison: values.poison,
    });
  }

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
      say({ error: 'Nothing to forget yet: check a feature, or enter rows to relabel, move or delete.' });
      return;
    }
    adopt(values);
    const selection = { features: values.features, move: values.move };
    queue.push(async (job) => {
      // An action already queued or running when this press happened computes the same
      // comparison (e.g. the λ change the press caused): it answers this press too.
      const key = keyOf(request);
      if (queue.jobsSince(since).some((j) => j !== job && j.comparedKey === key)) {
        job.comparedKey = key;
        return;
      }
      await compute(request, job, {
        selection,
        status: ({ comparison, retrained }) =>
          [retrained ? `Retrained with λ = ${request.l2}${poisonText(request.poison)}.` : '', 'Done.', verdictText(comparison)]
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
            `Model retrained with λ = ${l2}${poisonText(request.poison)}.` +
            (state.result ? '' : ' Choose what to forget and press Unlearn to compare.'),
        });
        return;
      }
      Object.assign(state, { poison: read.values.poison, relabel: read.values.relabel });
      await compute(request, job, {
        selection: { features: read.values.features, move: read.values.move },
        status: ({ comparison, retrained }) =>
          [
            retrained
              ? `Retrained with λ = ${l2}${poisonText(request.poison)} and compared the current selection (τ = ${tau}).`
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

  /** Picks k random training rows that are not in the target category yet (nor deleted). */
  function onMoveRandom() {
    const { group, target } = readMoveTarget();
    const seed = readSeed();
    const remove = readRemove();
    if (group === null || seed === undefined || remove === undefined) {
      say({ error: errorOf(dom.seed, dom.removeRows) || 'Choose a categorical column first.' });
      return;
    }
    const gone = new Set(remove);
    const all = [...Array(nTrain()).keys()].filter((row) => !gone.has(row));
    const free = currentCategories(state, group, all).filter(({ from }) => from !== target).map(({ row }) => row);
    const category = state.data.groups[group].categories[target];
    if (free.length === 0) {
      const message = `k (rows to move): every training row is already “${category}” (or deleted).`;
      field(dom.moveK, dom.moveKError, { error: message });
      say({ error: message });
      return;
    }
    const k = field(
      dom.moveK,
      dom.moveKError,
      parseNumber(dom.moveK.value, 'k (rows to move)', { min: 1, max: free.length, integer: true }),
    );
    if (k === undefined) {
      say({ error: errorOf(dom.moveK) });
      return;
    }
    state.moveK = k;
    state.seed = seed;
    const rows = engine.sampleRows(free.length, k, seed).map((i) => free[i]);
    state.move = { group, target, rows };
    dom.moveRows.value = formatIndexList(rows);
    clearField(dom.moveRows, dom.moveError);
    renderMove();
    selectionChanged();
    say({ status: `Picked ${k} training rows to move to “${category}” (seed ${seed}).` });
  }

  function onMoveInput() {
    const { group, target } = readMoveTarget();
    const parsed = parseIndexList(dom.moveRows.value, nTrain(), 'Rows to move');
    if (parsed.error) return; // reported on change / Unlearn, not while typing
    state.move = { group, target, rows: parsed.value };
    renderMove();
  }

  function onRelabelInput() {
    const parsed = parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct');
    if (parsed.error) return; // reported on change / Unlearn, not while typing
    state.relabel = parsed.value;
    clearField(dom.relabelRows, dom.relabelError);
    renderRelabel();
  }

  /** Unchecks every feature group. */
  function clearFeatureBoxes() {
    for (const box of dom.featureGroups.querySelectorAll('input[type="checkbox"]')) box.checked = false;
    state.features = [];
  }

  /** Empties steps 1–3 (features, relabel, move, delete, poison) in the controls and the state. */
  function clearSelection() {
    clearFeatureBoxes();
    for (const [input, node] of [
      [dom.relabelRows, dom.relabelError],
      [dom.removeRows, dom.removeError],
      [dom.moveRows, dom.moveError],
    ]) {
      input.value = '';
      clearField(input, node);
    }
    dom.poison.checked = false;
    Object.assign(state, { relabel: [], relabelTo: new Map(), remove: [], poison: false });
    state.move = { ...state.move, rows: [] };
  }

  function onStory(key) {
    clearSelection();
    if (key === 'sensitive') {
      const wanted = state.data.groups.map((g, i) => [g.name, i]).filter(([name]) => SENSITIVE.includes(name));
      for (const [, g] of wanted) dom.featureGroups.querySelector(`#feature-${g}`).checked = true;
      if (dom.featureValue.value.trim() !== '0') {
        dom.featureValue.value = '0';
        clearField(dom.featureValue, dom.featureValueError);
      }
      state.features = readFeatures();
    } else if (key === 'mislabeled') {
      dom.flipK.value = '20';
      onFlipRandom();
      dom.poison.checked = true;
      state.poison = true;
    }
    renderRelabel();
    renderMove();
    selectionChanged();
    onUnlearn();
  }

  function onDownloadReport() {
    if (!state.result) {
      say({ error: 'There is nothing to download yet: press Unlearn first.' });
      return;
    }
    const name = `unlearn-report-${state.comparisons}.json`;
    downloadJson(name, buildReport(state));
    say({ status: `Saved the report of comparison ${state.comparisons} as ${name} (made on this device).` });
  }

  /**
   * A new table has trained (called by the data panel inside a queued action): the selection,
   * the results and the certified model start over; λ, τ and the method choice stay.
   */
  function datasetChanged(data, model) {
    state.data = data;
    state.model = model;
    state.result = null;
    state.chartClass = 0;
    clearSelection();
    state.move = firstCategorical();
    dom.moveRows.value = '';
    buildDataControls();
    renderStories();
    renderAll();
    say({}); // the last status spoke of the previous data
    certified?.reset();
    selectionChanged();
    loads += 1;
    document.body.dataset.loads = String(loads);
    document.dispatchEvent(new Event('datasetchange'));
  }

  // ---------- links ----------
  const listText = (text) => String(text).split(/[\s,;]+/).filter(Boolean).join(',');

  /** What a link needs to show the controls as they are: raw field values and choices. */
  function shareState() {
    const relabel = parseIndexList(dom.relabelRows.value, nTrain(), '').value ?? [];
    return {
      l2: dom.l2.value.trim(),
      tau: dom.tau.value.trim(),
      fv: dom.featureValue.value.trim(),
      f: readFeatures(),
      rl: listText(dom.relabelRows.value),
      rt: relabel.filter((row) => state.relabelTo.has(row)).map((row) => [row, state.relabelTo.get(row)]),
      rm: listText(dom.removeRows.value),
      mv: dom.move.hidden || state.move.group === null ? null : { group: state.move.group, target: state.move.target, rows: listText(dom.moveRows.value) },
      poison: dom.poison.checked,
      k: dom.flipK.value.trim(),
      rk: dom.removeK.value.trim(),
      mk: dom.moveK.value.trim(),
      seed: dom.seed.value.trim(),
      steps: dom.steps.value.trim(),
      m: readMethods(),
      chart: state.chartMode,
      cls: state.chartClass,
      img: state.imageMode,
    };
  }

  /**
   * Sets the controls from a link's values (any subset of `shareState()`'s keys) and runs what
   * they describe: a comparison when something is selected, a retrain when only λ differs.
   * Returns true if something was queued.
   */
  /**
   * Applies a link's (or a lesson's) controls, each checked by the rule of its field; returns
   * {ran: whether it pressed Unlearn or retrained, ignored: what it could not apply, in words}.
   */
  function applyShared(p) {
    const ignored = [];
    const set = (input, value, what, limits) => {
      if (value === undefined || value === null || value === '') return false;
      // A number needs no more than 40 characters; longer text is quoted clipped.
      const text = String(value);
      const parsed = text.length > 40 ? { error: `${what}: “${text.slice(0, 24)}…” is not a number` } : parseNumber(text, what, limits);
      if (parsed.error) ignored.push(parsed.error);
      else input.value = String(value);
      return !parsed.error;
    };
    const rows = { min: 1, max: Math.max(1, nTrain()), integer: true };
    set(dom.l2, p.l2, 'λ (l2)', { min: 0 });
    set(dom.tau, p.tau, 'τ (tau)', { min: 0 });
    set(dom.featureValue, p.fv, 'Replace with (fv)', { min: -100, max: 100 });
    set(dom.flipK, p.k, 'k labels (k)', rows);
    set(dom.removeK, p.rk, 'k rows (rk)', rows);
    set(dom.moveK, p.mk, 'k rows to move (mk)', rows);
    if (set(dom.seed, p.seed, 'Seed (seed)', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true })) state.seed = Number(p.seed);
    set(dom.steps, p.steps, 'k steps (steps)', { min: 1, max: 1000, integer: true });
    if (p.f) {
      clearFeatureBoxes();
      const missing = [];
      for (const g of p.f) {
        const box = dom.featureGroups.querySelector(`#feature-${Number(g)}`);
        if (box) box.checked = true;
        else missing.push(g);
      }
      if (missing.length > 0) ignored.push(`f (features): ${missing.slice(0, 5).join(', ')} — the features are numbered 0 to ${state.data.groups.length - 1}`);
      state.features = readFeatures();
    }
    // Rows a link names that this data does not have are named in the note and left out.
    const rowList = (input, text, what) => {
      if (text === undefined) return;
      const parsed = parseIndexList(String(text), nTrain(), what);
      if (parsed.error) ignored.push(parsed.error);
      input.value = (parsed.value ?? parsed.valid).join(', ');
    };
    rowList(dom.relabelRows, p.rl, 'rl (labels to correct)');
    rowList(dom.removeRows, p.rm, 'rm (rows to delete)');
    if (p.poison !== undefined) dom.poison.checked = Boolean(p.poison);
    state.poison = dom.poison.checked;
    state.relabelTo = new Map((p.rt ?? []).filter(([row, k]) => Number.isInteger(row) && Number.isInteger(k)));
    if (p.mv) {
      const group = state.data.groups[p.mv.group];
      if (dom.move.hidden || group?.kind !== 'categorical') {
        ignored.push(`mv (move rows): column ${p.mv.group} is not a categorical column of this data`);
      } else if (!(p.mv.target < group.categories.length)) {
        ignored.push(`mv (move rows): “${group.name}” has no category ${p.mv.target} (it has ${group.categories.length})`);
      } else {
        state.move = { group: p.mv.group, target: p.mv.target, rows: [] };
        buildMoveControls(dom, state.data, state.move);
        dom.moveRows.value = String(p.mv.rows ?? '').split(',').filter(Boolean).join(', ');
      }
    }
    if (p.m) {
      const known = [...dom.methodBoxes].map((box) => box.value);
      const unknown = p.m.filter((m) => !known.includes(m));
      const clipped = unknown.slice(0, 5).map((m) => (m.length > 24 ? `${m.slice(0, 24)}…` : m));
      if (unknown.length > 0) ignored.push(`m (methods): ${clipped.join(', ')}${unknown.length > 5 ? ', …' : ''} — the variants are ${known.join(', ')}`);
      for (const box of dom.methodBoxes) box.checked = p.m.includes(box.value);
    }
    const choice = (value, what) => {
      if (value === undefined) return false;
      if (value === 'values' || value === 'change') return true;
      ignored.push(`${what}: “${String(value).slice(0, 24)}” is not values or change`);
      return false;
    };
    if (choice(p.chart, 'chart')) {
      state.chartMode = p.chart;
      for (const radio of dom.chartModes) radio.checked = radio.value === p.chart;
    }
    if (Number.isInteger(p.cls) && p.cls >= 0 && p.cls < state.model.nClasses) {
      state.chartClass = p.cls;
      dom.chartClass.value = String(p.cls);
    } else if (p.cls !== undefined) {
      ignored.push(`cls (class): ${p.cls} — the classes are numbered 0 to ${state.model.nClasses - 1}`);
    }
    if (choice(p.img, 'img')) {
      state.imageMode = p.img;
      for (const radio of dom.imageModes) radio.checked = radio.value === p.img;
    }
    const relabel = parseIndexList(dom.relabelRows.value, nTrain(), '');
    if (!relabel.error) state.relabel = relabel.value;
    const move = parseIndexList(dom.moveRows.value, nTrain(), '');
    if (!move.error) state.move = { ...state.move, rows: move.value };
    renderRelabel();
    renderMove();
    renderChart();
    selectionChanged();
    const something =
      readFeatures().length > 0 || [dom.relabelRows, dom.removeRows, dom.moveRows].some((input) => input.value.trim() !== '');
    if (something) {
      onUnlearn();
      return { ran: true, ignored };
    }
    const l2 = parseNumber(dom.l2.value, 'λ', { min: 0 }).value;
    if (l2 !== undefined && l2 !== state.model.l2) {
      onSettingChange();
      return { ran: true, ignored };
    }
    return { ran: false, ignored };
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
  dom.moveRandom.addEventListener('click', guard(onMoveRandom));
  dom.newSeed.addEventListener('click', guard(() => {
    state.seed = engine.randomSeed();
    dom.seed.value = String(state.seed);
    clearField(dom.seed, dom.seedError);
  }));
  dom.relabelRows.addEventListener('input', guard(onRelabelInput));
  dom.relabelRows.addEventListener('change', guard(() => readRelabel()));
  dom.relabelList.addEventListener('change', guard((event) => {
    const select = event.target.closest('select[data-row]');
    if (!select) return;
    state.relabelTo.set(Number(select.dataset.row), Number(select.value));
    renderRelabel();
    selectionChanged();
  }));
  dom.removeRows.addEventListener('change', guard(() => readRemove()));
  dom.moveRows.addEventListener('input', guard(onMoveInput));
  dom.moveRows.addEventListener('change', guard(() => readMove()));
  dom.moveGroup.addEventListener('change', guard(() => {
    state.move = { group: Number(dom.moveGroup.value), target: 0, rows: state.move.rows };
    buildMoveTargets(dom, state.data, state.move);
    if (dom.moveRows.value.trim() !== '') readMove();
    renderMove();
  }));
  dom.moveTarget.addEventListener('change', guard(() => {
    state.move = { ...state.move, target: Number(dom.moveTarget.value) };
    if (dom.moveRows.value.trim() !== '') readMove();
    renderMove();
  }));
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
    clearFeatureBoxes();
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
  for (const radio of dom.imageModes) {
    radio.addEventListener('change', guard(() => {
      if (!radio.checked) return;
      state.imageMode = radio.value;
      renderImageMaps();
    }));
  }
  dom.chartClass.addEventListener('change', guard(() => {
    state.chartClass = Number(dom.chartClass.value);
    renderChart();
  }));
  dom.downloadReport.addEventListener('click', guard(onDownloadReport));
  dom.storyButtons.addEventListener('click', guard((event) => {
    const button = event.target.closest('button[data-story]');
    if (button) onStory(button.dataset.story);
  }));

  renderStories();
  renderAll();
  dom.unlearn.disabled = false;

  certified = mountCertified({
    state,
    queue,
    /** The current selection of steps 1–3, for the certified model; {error} if invalid. */
    readSelection: () => {
      const groups = readFeatures();
      const relabel = readRelabel();
      const remove = readRemove();
      if (relabel === undefined || remove === undefined) return { error: errorOf(dom.relabelRows, dom.removeRows) };
      return { value: { groups, features: groupColumns(state.data, groups), flip: relabel, remove } };
    },
    /** The same, silently (for the preview): null if invalid. */
    peekSelection: () => {
      const relabel = parseIndexList(dom.relabelRows.value, nTrain(), 'Labels to correct');
      const remove = parseIndexList(dom.removeRows.value, nTrain(), 'Rows to delete');
      if (relabel.error || remove.error) return null;
      const groups = readFeatures();
      return { groups, features: groupColumns(state.data, groups), flip: relabel.value, remove: remove.value };
    },
    readTau: () => readTau(),
    controlsForm: dom.form,
  });

  document.body.dataset.comparisons = String(state.comparisons);
  document.body.dataset.loads = String(loads);
  return { renderAll, say, queue, datasetChanged, shareState, applyShared };
}
