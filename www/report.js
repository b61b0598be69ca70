// The "Download report" document: the current comparison — dataset and encoding, model, edit,
// every method's metrics and parameters — as one JSON object. Pure: state in, object out.
import { METHOD_LABELS } from './render/labels.js';
import { currentCategories, groupColumns, SPLIT_SEED, TEST_FRACTION } from './state.js';

/** The `format` of a report file (import recognises reports by it). */
export const REPORT_FORMAT = 'unlearn comparison report, version 1';

const list = (values) => Array.from(values ?? []);

/** The parameter layout in words, for readers of the file. */
function layout(data, nClasses) {
  const d = data.nFeatures;
  return nClasses > 2
    ? `θ has ${nClasses * (d + 1)} entries: the weights of class 0 (${d}), class 1, …, class ${nClasses - 1}, then ${nClasses} intercepts (centred)`
    : `θ has ${d + 1} entries: ${d} weights, then the intercept`;
}

/**
 * @param {object} state the page state with a result
 * @param {Date} [created]
 * @returns {object} the report
 */
export function buildReport(state, created = new Date()) {
  const { data, model, result } = state;
  if (!result) throw new Error('There is no comparison to report yet: press Unlearn first.');
  const { comparison, edit, request, selection } = result;
  const K = model.nClasses;
  const className = (y) => data.classNames[y] ?? String(y);
  const sel = selection ?? {};
  return {
    format: REPORT_FORMAT,
    created: created.toISOString(),
    dataset: {
      name: data.name,
      file: data.fileName,
      builtIn: data.builtIn,
      rows: data.nRows,
      label: data.labelName,
      classes: data.classNames,
      positiveClass: K === 2 ? data.classNames[1] : null,
      missingValues: data.policy ? { policy: data.policy, effect: data.effect } : null,
      imputedMeans: data.imputed?.length ? data.imputed : undefined,
      encodedFeatures: data.nFeatures,
      featureNames: data.featureNames,
      groups: data.groups.map((g) => ({
        name: g.name,
        kind: g.kind,
        columns: g.columns,
        ...(g.categories ? { categories: g.categories } : {}),
      })),
      unscaledColumns: data.unscaledColumns,
    },
    split: { seed: SPLIT_SEED, testFraction: TEST_FRACTION, nTrain: model.report.nTrain, nTest: model.report.nTest },
    model: {
      kind: K > 2 ? `multinomial logistic regression (${K} classes)` : 'binary logistic regression',
      l2: model.l2,
      nClasses: K,
      training: model.report,
      poisonedLabels: model.poison.map(([row, label]) => ({ trainingRow: row, trainedWith: className(label), truth: className(model.trueLabels[row]) })),
      parameterLayout: layout(data, K),
      theta: list(model.theta),
    },
    edit: {
      request: edit,
      forgottenColumns: (sel.features ?? []).map((g) => ({
        name: data.groups[g].name,
        kind: data.groups[g].kind,
        columns: groupColumns(data, [g]),
        replacedWith: data.groups[g].kind === 'categorical' ? 0 : edit.featureValue,
      })),
      relabelled: (edit.relabel ?? []).map(([row, to]) => ({ trainingRow: row, tableRow: model.trainRows[row], to: className(to) })),
      deleted: (edit.remove ?? []).map((row) => ({ trainingRow: row, tableRow: model.trainRows[row] })),
      moved:
        sel.move && sel.move.rows.length > 0
          ? {
              column: data.groups[sel.move.group].name,
              to: data.groups[sel.move.group].categories[sel.move.target],
              rows: currentCategories(state, sel.move.group, sel.move.rows).map(({ row, from }) => ({
                trainingRow: row,
                from: from >= 0 ? data.groups[sel.move.group].categories[from] : null,
              })),
            }
          : null,
    },
    settings: { tau: request.tau, methods: comparison.methods.map((m) => m.method), steps: request.steps },
    affectedRows: comparison.affected.length,
    rowsAfterEdit: comparison.nEdited,
    retrain: { iterations: comparison.retrainIterations, gradNorm: comparison.retrainGradNorm },
    warnings: comparison.warnings,
    methods: comparison.methods.map((m) => ({
      method: m.method,
      label: METHOD_LABELS[m.method] ?? m.method,
      error: m.error,
      distanceToRetrain: m.distanceToRetrain,
      residual: m.residual,
      testAccuracy: m.accuracy,
      testLogLoss: m.logLoss,
      agreementWithRetrained: m.agreement,
      iterations: m.iterations,
      seconds: m.seconds,
      speedup: m.speedup,
      theta: m.theta ? list(m.theta) : null,
    })),
  };
}
