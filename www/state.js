// The one state object of the page. Controls write to it, the engine reads from it, renderers
// only ever receive (parts of) it. Nothing else keeps page state.

/** The split seed: fixed, so the page and the native `compare` example see the same split. */
export const SPLIT_SEED = 42;
export const TEST_FRACTION = 0.2;

export const DEFAULTS = Object.freeze({
  l2: 1,
  tau: 1e-3,
  featureValue: 0,
  flipK: 3,
  removeK: 3,
  steps: 10,
  chartMode: 'values',
});

export function createState() {
  return {
    // --- the request being edited in the controls ---
    l2: DEFAULTS.l2, // λ; changing it retrains the base model
    tau: DEFAULTS.tau, // τ, the first-order unlearning rate
    featureValue: DEFAULTS.featureValue, // replacement, in training standard deviations
    features: [], // feature columns to forget, ascending
    relabel: [], // training-row indices whose labels are corrected, ascending
    remove: [], // training-row indices to delete, ascending
    poison: false, // train on flipped labels first, then unlearn the flip
    flipK: DEFAULTS.flipK,
    removeK: DEFAULTS.removeK,
    steps: DEFAULTS.steps, // k of the stepwise variants
    seed: 0, // seed of the random pickers; main.js sets a fresh one
    chartMode: DEFAULTS.chartMode, // 'values' | 'change'

    // --- loaded / computed ---
    data: null, // { featureNames, x, y, nRows, nFeatures } from data.js
    model: null, // { theta, report, trainRows, trainLabels, trueLabels, l2, poisoned } from engine.js
    result: null, // the last successful comparison: {comparison, edit, request, assessment?}
    comparisons: 0, // how many comparisons succeeded
  };
}

/** The labels the model was trained on and the labels the request sets, for relabelled rows. */
export function relabelPlan(state) {
  const { model } = state;
  if (!model) return [];
  return state.relabel.map((row) => {
    const truth = model.trueLabels[row];
    const csvRow = model.trainRows[row];
    return state.poison
      ? { row, csvRow, truth, from: 1 - truth, to: truth }
      : { row, csvRow, truth, from: truth, to: 1 - truth };
  });
}

/** The edit for `Session.compare` that the current state describes. */
export function editFromState(state) {
  return {
    features: [...state.features],
    featureValue: state.featureValue,
    relabel: relabelPlan(state).map(({ row, to }) => [row, to]),
    remove: [...state.remove],
  };
}
