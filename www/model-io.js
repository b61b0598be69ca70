// Export and import of the model as JSON. Export: `session.model().toJSON()` (or the same for an
// unlearned or retrained θ of the last comparison) with the model's predictions on the test
// split and the report of the last comparison. Import: a file read on this device, loaded with
// `Model.fromJSON` in the worker, and its predictions on the current test split compared with the
// ones saved in the file and with the current model's. The file's feature and class names are
// compared with the current data's: a model over other columns (or the same columns in another
// order) still predicts, but under a warning that says which names differ. A report file (or the
// report inside a model file) is shown as a read-only table.
import * as engine from './engine.js';
import { factor, percent, sig } from './render/format.js';
import { el } from './render/table.js';
import { buildReport, REPORT_FORMAT } from './report.js';
import { SPLIT_SEED, TEST_FRACTION } from './state.js';
import { downloadJson, errorText } from './dom.js';

export const EXPORT_FORMAT = 'unlearn model export, version 1';

const byId = (id) => document.getElementById(id);
const WHICH = { lazy: 'trained θ*', second_order: 'second-order update', retrain: 'retrained from scratch' };

const finite = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v, fallback = '') => (typeof v === 'string' ? v : fallback);

/**
 * A report read from a file, as a read-only table (text only: nothing in the file becomes markup).
 * Returns null when `report` does not look like one of ours.
 */
export function reportView(report) {
  if (!report || typeof report !== 'object' || !Array.isArray(report.methods) || report.methods.length === 0) return null;
  const columns = [
    ['distanceToRetrain', 'distance to retrained', sig],
    ['residual', 'gradient residual', sig],
    ['testAccuracy', 'test accuracy', percent],
    ['agreementWithRetrained', 'agreement with retrained', percent],
    ['speedup', 'speed-up vs retraining', factor],
  ];
  const head = el('tr', {}, [el('th', { scope: 'col', text: 'Method' }), ...columns.map(([, label]) => el('th', { scope: 'col', text: label }))]);
  const rows = report.methods.slice(0, 50).map((m) => {
    const method = text(m?.method, '?');
    const cells = m?.error
      ? [el('td', { className: 'failed', colspan: String(columns.length), text: `failed: ${text(m.error, 'error')}` })]
      : columns.map(([key, , format]) => {
          const v = finite(m?.[key]);
          return el('td', { 'data-key': key, 'data-value': v === null ? undefined : String(v), text: format(v) });
        });
    return el('tr', { 'data-method': method }, [el('th', { scope: 'row', text: text(m?.label, method) }), ...cells]);
  });
  const d = report.dataset ?? {};
  const facts = [
    text(d.name, 'unknown data'),
    finite(report.affectedRows) !== null ? `${report.affectedRows} training rows affected` : null,
    finite(report.model?.l2) !== null ? `λ = ${report.model.l2}` : null,
    text(report.created) ? `made ${text(report.created).slice(0, 10)}` : null,
  ].filter(Boolean);
  return el('div', {}, [
    el('h4', { text: 'The comparison in the file' }),
    el('p', { className: 'text', text: facts.join(' · ') }),
    el('div', { className: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Imported comparison' }, [
      el('table', { className: 'results-table', id: 'import-report-table' }, [el('thead', {}, [head]), el('tbody', {}, rows)]),
    ]),
  ]);
}

/** How a value read from a file is named in a message. */
function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return { string: 'a string', number: 'a number', boolean: 'a boolean' }[typeof value] ?? 'an object';
}

const quote = (name) => `“${name.length > 40 ? `${name.slice(0, 40)}…` : name}”`;

/**
 * How the names a file saved (`saved`) differ from the current data's: `{text, reordered}` (a
 * sentence, and whether they are the same names in another order), or null when they are the
 * same or the file has none. `one` and `many` name the entries; `position(i)` names entry i.
 */
export function nameMismatch(saved, current, one, many, position) {
  if (!Array.isArray(saved) || !Array.isArray(current)) return null;
  // Names from a file may be anything JSON holds: compare their JSON text, never call their methods.
  const name = (v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  const a = saved.map(name);
  const b = current.map(name);
  if (a.length === b.length && a.every((name, i) => name === b[i])) return null;
  if (a.length !== b.length) return { text: `the file names ${a.length} ${many}, the current data has ${b.length}.`, reordered: false };
  const differ = a.flatMap((name, i) => (name === b[i] ? [] : [i]));
  const where = differ
    .slice(0, 3)
    .map((i) => `${position(i)} is ${quote(a[i])} in the file but ${quote(b[i])} here`)
    .join('; ');
  const more = differ.length > 3 ? `; and ${differ.length - 3} more` : '';
  const sorted = (names) => [...names].sort().join('\u0000');
  const reordered = sorted(a) === sorted(b);
  const text = reordered
    ? `the ${many} are the same, but in another order (${differ.length} of ${a.length} moved): ${where}${more}.`
    : `${differ.length} of ${a.length} ${one} names differ: ${where}${more}.`;
  return { text, reordered };
}

/**
 * @param {object} deps
 * @param {object} deps.state the page state
 * @param {object} deps.queue the page's action queue
 * @param {(m: {status?: string, error?: string}) => void} deps.say the results' message line
 */
export function mountModelIo({ state, queue, say }) {
  const dom = {
    which: byId('export-which'),
    exportButton: byId('export-model'),
    file: byId('import-model'),
    result: byId('import-result'),
    warning: byId('import-warning'),
    report: byId('import-report'),
  };

  function renderWhich() {
    const comparison = state.result?.comparison;
    for (const option of dom.which.options) {
      if (option.value === 'lazy') continue;
      const found = comparison?.methods.find((m) => m.method === option.value && !m.error);
      option.disabled = !found;
    }
    if (dom.which.selectedOptions[0]?.disabled) dom.which.value = 'lazy';
  }

  function onExport() {
    const which = dom.which.value;
    queue.push(async () => {
      const theta = which === 'lazy' ? null : state.result?.comparison.methods.find((m) => m.method === which && !m.error)?.theta;
      if (which !== 'lazy' && !theta) {
        say({ error: `There is no ${WHICH[which]} to export yet: press Unlearn first.` });
        return;
      }
      try {
        const out = await engine.exportModel({ theta });
        const document_ = {
          format: EXPORT_FORMAT,
          created: new Date().toISOString(),
          which,
          description: `${WHICH[which]} (${state.data.name}, λ = ${state.model.l2})`,
          dataset: {
            id: state.data.id,
            name: state.data.name,
            featureNames: state.data.featureNames,
            classes: state.data.classNames,
          },
          split: { seed: SPLIT_SEED, testFraction: TEST_FRACTION, nTest: out.nTest },
          model: out.model,
          testPredictions: Array.from(out.predictions),
          testAccuracy: out.accuracy,
          report: state.result ? buildReport(state) : null,
        };
        const name = `unlearn-model-${which}-${state.data.id}.json`;
        downloadJson(name, document_);
        say({ status: `Saved the ${WHICH[which]} as ${name} (made on this device): test accuracy ${percent(out.accuracy)}.` });
      } catch (err) {
        say(err?.cancelled ? { status: 'Cancelled: nothing was exported.' } : { error: `The model could not be exported: ${errorText(err)}` });
      }
    });
  }

  function onImport(file) {
    if (!file) return;
    queue.push(async () => {
      showReport(null);
      showWarning([]);
      let parsed;
      let text = '';
      try {
        text = await file.text();
        parsed = JSON.parse(text);
      } catch (err) {
        dom.result.textContent = '';
        const why =
          text.trim() === ''
            ? 'the file is empty'
            : /\b(NaN|-?Infinity)\b/.test(text)
              ? 'it contains NaN or Infinity, which JSON cannot hold (a model needs finite numbers)'
              : errorText(err);
        say({ error: `${file.name} is not a JSON file: ${why}.` });
        return;
      }
      if (parsed && typeof parsed === 'object' && parsed.format === REPORT_FORMAT) {
        const view = reportView(parsed);
        if (!view) {
          dom.result.textContent = '';
          say({ error: `${file.name} is a comparison report without any methods: nothing to show.` });
          return;
        }
        dom.result.textContent = `${file.name} is a comparison report (read on this device; it holds no model to load).`;
        showReport(view);
        say({ status: `Imported the report ${file.name}.` });
        return;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        dom.result.textContent = '';
        say({ error: `${file.name} holds ${kindOf(parsed)}, not a model: choose a file saved with “Export model (JSON)” or “Download report (JSON)”.` });
        return;
      }
      const wrapped = parsed.model && typeof parsed.model === 'object' && !Array.isArray(parsed.model);
      if (parsed.format === EXPORT_FORMAT && !wrapped) {
        dom.result.textContent = '';
        say({ error: `${file.name} is a model export, but its key “model” holds ${parsed.model === undefined ? 'nothing' : kindOf(parsed.model)} instead of the model: export the model again.` });
        return;
      }
      const json = wrapped ? parsed.model : parsed;
      try {
        const out = await engine.predictWith(json);
        const saved = Array.isArray(parsed.testPredictions) ? parsed.testPredictions : null;
        const same = saved && saved.length === out.predictions.length ? out.predictions.filter((p, i) => p === saved[i]).length : null;
        const names = parsed.dataset && typeof parsed.dataset === 'object' ? parsed.dataset : {};
        const problems = [
          nameMismatch(names.featureNames, state.data.featureNames, 'column', 'columns', (i) => `column ${i + 1}`),
          nameMismatch(names.classes, state.data.classNames, 'class', 'classes', (i) => `label ${i}`),
        ];
        showWarning(problems);
        const mismatch = problems.some(Boolean);
        const unnamed = !Array.isArray(names.featureNames);
        const parts = [
          `${file.name}: ${out.nClasses > 2 ? `${out.nClasses}-class` : 'binary'} model, d = ${out.nFeatures}. `,
          problems[0] ? 'Applied by position to the current columns (see the warning above), on ' : mismatch ? 'See the warning above. On ' : 'On ',
          `the current test split (${out.nTest} rows): accuracy `,
          el('strong', { 'data-key': 'accuracy', 'data-value': String(out.accuracy), text: percent(out.accuracy) }),
          ', agreement with the current model ',
          el('strong', { 'data-key': 'agreement', 'data-value': String(out.agreement), text: percent(out.agreement) }),
        ];
        if (same !== null) {
          parts.push(
            '; predictions identical to the ones saved in the file: ',
            el('strong', { 'data-key': 'identical', 'data-value': String(same), text: `${same} of ${saved.length}` }),
          );
        } else if (saved) {
          parts.push('; the file’s saved predictions are for another test split');
        }
        parts.push('.');
        if (unnamed) parts.push(' The file does not name its features, so they could not be checked against the current data’s.');
        dom.result.replaceChildren(...parts);
        showReport(reportView(parsed?.report));
        dom.result.dataset.total = String(out.nTest);
        dom.result.dataset.predictions = out.predictions.join(',');
        dom.result.dataset.mismatch = String(mismatch);
        say({
          status: mismatch
            ? `Imported ${file.name} (read on this device), but ${problems[0] ? 'it was trained on other features than the current data’s' : 'its classes are named differently'}: see the warning.`
            : `Imported ${file.name} (read on this device).`,
        });
      } catch (err) {
        dom.result.textContent = '';
        showWarning([]);
        say(err?.cancelled ? { status: 'Cancelled: the model was not imported.' } : { error: `${file.name} could not be imported: ${errorText(err)}` });
      }
    });
  }

  /** The warning above the import result, from `nameMismatch` of the features and the classes. */
  function showWarning([features, classes] = []) {
    if (!features && !classes) {
      dom.warning.replaceChildren();
      dom.warning.hidden = true;
      return;
    }
    const lines = [];
    if (features) lines.push(el('p', { 'data-problem': 'features', text: `Features: ${features.text}` }));
    if (classes) lines.push(el('p', { 'data-problem': 'classes', text: `Classes: ${classes.text}` }));
    if (features) {
      lines.push(
        el('p', {
          text: 'Its weights are applied to the current columns by position, so they meet other features than the ones they were trained on: the numbers below do not describe the saved model. Load the data it was trained on, with the same columns in the same order, to check it.',
        }),
      );
    }
    if (classes?.reordered) {
      lines.push(el('p', { text: 'Its class numbers mean other classes here, so its predictions name the wrong classes: the numbers below do not describe the saved model.' }));
    } else if (classes) {
      lines.push(el('p', { text: 'If these are the same classes under other names, in the same order, its predictions still mean the right classes; otherwise the numbers below do not describe the saved model.' }));
    }
    dom.warning.replaceChildren(
      el('h4', { text: features ? 'This model was trained on other features than the current data’s' : 'This model’s classes are not named like the current data’s' }),
      ...lines,
    );
    dom.warning.hidden = false;
  }

  function showReport(view) {
    dom.report.replaceChildren(...(view ? [view] : []));
    dom.report.hidden = !view;
  }

  dom.exportButton.addEventListener('click', onExport);
  dom.file.addEventListener('change', () => {
    const [file] = dom.file.files;
    onImport(file);
    dom.file.value = '';
  });
  document.addEventListener('results', renderWhich);
  document.addEventListener('datasetchange', () => {
    dom.result.textContent = '';
    showWarning([]);
    showReport(null);
  });
  renderWhich();
}
