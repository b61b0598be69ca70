// The one state object of the page. Controls write to it, the engine reads from it, renderers
// only ever receive (parts of) it. Nothing else keeps page state.

/**
 * The split seed and test share: the module's defaults, so the page, the npm package and the
 * native `compare` example see the same split. Set by `useModuleDefaults` at start.
 */
export let SPLIT_SEED;
export let TEST_FRACTION;

/** The controls' defaults: λ, τ and k of the stepwise variants come from the module. */
export const DEFAULTS = {
  featureValue: 0,
  flipK: 3,
  removeK: 3,
  moveK: 3,
  chartMode: 'values',
};

/** Takes the core's defaults (the module's `defaults()`) before the page's state is created. */
export function useModuleDefaults(d) {
  Object.assign(DEFAULTS, { l2: d.l2, tau: d.tau, steps: d.steps });
  Object.freeze(DEFAULTS);
  SPLIT_SEED = d.seed;
  TEST_FRACTION = d.testFraction;
}

/** The controls' defaults as a link writes them (a value equal to its default is left out). */
export function linkDefaults() {
  const s = String;
  return { l2: s(DEFAULTS.l2), tau: s(DEFAULTS.tau), fv: s(DEFAULTS.featureValue), k: s(DEFAULTS.flipK), rk: s(DEFAULTS.removeK), mk: s(DEFAULTS.moveK), steps: s(DEFAULTS.steps) };
}

export function createState() {
  return {
    // --- the request being edited in the controls ---
    l2: DEFAULTS.l2, // λ; changing it retrains the base model
    tau: DEFAULTS.tau, // τ, the first-order unlearning rate
    featureValue: DEFAULTS.featureValue, // replacement of numeric columns, in training standard deviations
    features: [], // feature groups (original columns) to forget, ascending
    relabel: [], // training-row indices whose labels are corrected, ascending
    relabelTo: new Map(), // training row → chosen other class (more than two classes)
    remove: [], // training-row indices to delete, ascending
    move: { group: null, target: null, rows: [] }, // rows moved to another category of a group
    poison: false, // train on wrong labels first, then unlearn them
    flipK: DEFAULTS.flipK,
    removeK: DEFAULTS.removeK,
    moveK: DEFAULTS.moveK,
    steps: DEFAULTS.steps, // k of the stepwise variants
    seed: 0, // seed of the random pickers; main.js sets a fresh one
    chartMode: DEFAULTS.chartMode, // 'values' | 'change'
    chartClass: 0, // the class whose weights the chart shows (more than two classes)
    imageMode: 'values', // 'values' | 'change': the weights drawn as images (image datasets)

    // --- loaded / computed ---
    data: null, // the table in use (data.js): names, groups, classes, x, y, …
    model: null, // { theta, report, nClasses, trainRows, trainLabels, trueLabels, l2, poison } from engine.js
    result: null, // the last successful comparison: {comparison, edit, request, assessment?}
    comparisons: 0, // how many comparisons succeeded
  };
}

/** A fixed pseudo-random number per row (for the default wrong class of a row). */
function rowHash(row) {
  let h = Math.imul(row + 1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * Another class than `truth`, for training row `row`: the other one of two classes; of more,
 * a fixed pseudo-random one (the same for the same row, so the pick is reproducible).
 */
export function otherClass(truth, nClasses, row) {
  if (nClasses <= 2) return 1 - truth;
  return (truth + 1 + (rowHash(row) % (nClasses - 1))) % nClasses;
}

/**
 * The labels the model was trained on and the labels the request sets, for relabelled rows:
 * without poison, the true label becomes another class; with poison, the model is trained with
 * the other class and the request restores the truth.
 */
export function relabelPlan(state) {
  const { model } = state;
  if (!model) return [];
  const K = model.nClasses ?? 2;
  return state.relabel.map((row) => {
    const truth = model.trueLabels[row];
    const csvRow = model.trainRows[row];
    const chosen = K > 2 ? state.relabelTo?.get(row) : undefined;
    const other = chosen !== undefined && chosen !== truth ? chosen : otherClass(truth, K, row);
    return state.poison ? { row, csvRow, truth, from: other, to: truth } : { row, csvRow, truth, from: truth, to: other };
  });
}

/** The poisoned labels a request trains on: [training row, wrong label] pairs. */
export function poisonPlan(state) {
  return state.poison ? relabelPlan(state).map(({ row, from }) => [row, from]) : [];
}

/** The encoded columns of feature groups `groups` (ascending). */
export function groupColumns(data, groups) {
  return groups.flatMap((g) => data.groups[g].columns).sort((a, b) => a - b);
}

/**
 * The category column each of `rows` (training rows) has in `group` now, from the raw table:
 * [{row, from, fromColumn}] with `from` the category index (−1 if none is set).
 */
export function currentCategories(state, group, rows) {
  const { data, model } = state;
  const { columns } = data.groups[group];
  return rows.map((row) => {
    const base = model.trainRows[row] * data.nFeatures;
    const at = columns.findIndex((j) => data.x[base + j] === 1);
    return { row, from: at, fromColumn: at >= 0 ? columns[at] : null };
  });
}

/** `cells` of the edit that moves the chosen rows to the target category. */
export function moveCells(state, move = state.move) {
  if (move.group === null || move.target === null || move.rows.length === 0) return [];
  const to = state.data.groups[move.group].columns[move.target];
  return currentCategories(state, move.group, move.rows).flatMap(({ row, fromColumn }) => [
    ...(fromColumn !== null ? [[row, fromColumn, 0]] : []),
    [row, to, 1],
  ]);
}

/** The edit for `Session.compare` that the current state describes. */
export function editFromState(state) {
  const edit = {
    features: groupColumns(state.data, state.features),
    featureValue: state.featureValue,
    relabel: relabelPlan(state).map(({ row, to }) => [row, to]),
    remove: [...state.remove],
  };
  const cells = moveCells(state);
  if (cells.length > 0) edit.cells = cells;
  return edit;
}
