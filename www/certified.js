// The certified-unlearning panel: its own model (unit-norm rows, no intercept, noise bᵀθ),
// trained only when the user starts it, which takes the selection of steps 1–3 as one request
// after another and keeps every certificate. Actions go through the page's queue.
import * as engine from './engine.js';
import { parseNumber } from './parse.js';
import { afterPress } from './pointer.js';
import {
  CERTIFIED_METHODS,
  describeRequest,
  renderAssumptions,
  renderGauge,
  renderHistory,
  renderLog,
} from './render/certified.js';
import { percent, sig } from './render/format.js';
import { renderFieldError, renderMessages } from './render/info.js';
import { SPLIT_SEED, TEST_FRACTION } from './state.js';
import { downloadJson, errorText, nextFrame } from './dom.js';

const byId = (id) => document.getElementById(id);

function queryDom() {
  return {
    panel: byId('certified'),
    form: byId('certified-form'),
    l2: byId('cert-l2'),
    l2Error: byId('cert-l2-error'),
    epsilon: byId('cert-epsilon'),
    epsilonError: byId('cert-epsilon-error'),
    delta: byId('cert-delta'),
    deltaError: byId('cert-delta-error'),
    sigma: byId('cert-sigma'),
    sigmaError: byId('cert-sigma-error'),
    seed: byId('cert-seed'),
    seedError: byId('cert-seed-error'),
    method: byId('cert-method'),
    budget: byId('cert-budget'),
    pending: byId('cert-pending'),
    start: byId('cert-start'),
    apply: byId('cert-apply'),
    next: byId('cert-next'),
    status: byId('cert-status'),
    alert: byId('cert-alert'),
    facts: byId('cert-facts'),
    gauge: byId('cert-gauge'),
    gaugeFill: byId('cert-gauge').querySelector('.gauge__fill'),
    gaugeText: byId('cert-gauge-text'),
    history: byId('cert-history'),
    assumptions: byId('cert-assumptions'),
    noiseNote: byId('cert-noise-note'),
    log: byId('cert-log'),
    download: byId('cert-download'),
    binaryNote: byId('cert-binary'),
  };
}

/** A number that must be strictly inside (low, high). */
function parseOpen(text, what, { low = 0, high = Infinity } = {}) {
  const range = high < Infinity ? `between ${low} and ${high} (exclusive)` : `greater than ${low}`;
  const parsed = parseNumber(text, what);
  if (parsed.error) return { error: parsed.error.replace(/Enter a number\.$/, `Enter a number ${range}.`) };
  if (!(parsed.value > low && parsed.value < high)) {
    return { error: `${what}: ${String(text).trim()} is out of range. Enter a number ${range}.` };
  }
  return parsed;
}

/** How the run's noise was drawn, in words. */
function noiseFact(run) {
  return run.noise === 'secret'
    ? 'secret noise (drawn in this browser, never shown or saved)'
    : `reproducible noise from seed ${run.settings.seed}: not a privacy guarantee`;
}

/** The status line after a request. */
function requestStatus(entry, used) {
  const c = entry.certificate;
  const n = entry.n;
  if (c.retrained && c.certified) {
    return `Request ${n} would have exceeded the budget, so the model was retrained from scratch with fresh noise: certified again.${used}`;
  }
  if (c.certified) return `Request ${n} is certified (${CERTIFIED_METHODS[c.method]}, bound ${sig(c.bound)}).${used}`;
  if (c.boundHolds) {
    const retrained = c.retrained ? ' after a retrain from scratch (the budget ran out)' : '';
    return `Request ${n}: the bound holds${retrained}, but the noise is reproducible — not a privacy guarantee.${used}`;
  }
  return `Request ${n} was applied but is not certified: ${c.reason ?? 'see the log'}.`;
}

function joinRows(rows) {
  const named = rows.map((r) => `#${r}`);
  return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

function removedMessage(hits) {
  const rows = [...new Set(hits.map((h) => h.row))].sort((a, b) => a - b);
  const requests = [...new Set(hits.map((h) => h.request))].sort((a, b) => a - b);
  const fields = [...new Set(hits.map((h) => `“${h.where}”`))].join(' and ');
  const one = rows.length === 1;
  return (
    `${one ? 'Row' : 'Rows'} ${joinRows(rows)} ${one ? 'was' : 'were'} deleted from the certified model by ` +
    `request ${requests.join(', ')} and can’t be named again. Take ${one ? 'it' : 'them'} out of ${fields} first.`
  );
}

/** The downloadable record of a run: settings, privacy parameters and every certificate. */
function certificatesDocument(run, data) {
  const { c, budget } = engine.certifiedBudget(run.settings);
  return {
    format: 'unlearn certificates, version 1',
    created: new Date().toISOString(),
    dataset: data.name,
    split: { seed: SPLIT_SEED, testFraction: TEST_FRACTION, nTrain: run.nTrain },
    model: {
      l2: run.settings.l2,
      fitIntercept: false,
      rows: 'standardised on the training split, then scaled to unit norm',
      startTestAccuracy: run.startAccuracy,
    },
    privacy: {
      epsilon: run.settings.epsilon,
      delta: run.settings.delta,
      sigma: run.settings.sigma,
      c,
      budget,
      // Secret noise leaves no trace here; a seed the user typed is theirs to reproduce with
      // (and every certificate's reason says it is no privacy guarantee).
      ...(run.noise === 'secret' ? { noise: 'secret' } : { noise: 'reproducible', noiseSeed: run.settings.seed }),
    },
    certificates: run.entries.map((entry) => ({
      request: entry.n,
      forgotten: {
        features: entry.request.groups.map((g) => ({ name: data.groups[g].name, columns: data.groups[g].columns })),
        flippedLabels: entry.request.flip,
        deletedRows: entry.request.remove,
      },
      edit: entry.edit,
      rowsAfter: entry.nRows,
      testAccuracy: entry.accuracy,
      ...entry.certificate,
    })),
  };
}

/** Puts a rebuilt model's certificates (after a cancel) in place of the old ones. */
function takeRebuilt(run, event) {
  event.replies.forEach(({ report, snapshot }, i) => {
    const entry = run.entries[i];
    if (entry) Object.assign(entry, { certificate: report.certificate, nRows: snapshot.nRows, accuracy: snapshot.accuracy });
  });
  Object.assign(run, event.started, event.replies.at(-1)?.snapshot ?? {}, { startAccuracy: event.started.accuracy });
}

/**
 * @param {object} deps
 * @param {object} deps.state the page state (data, model)
 * @param {object} deps.queue the page's action queue
 * @param {() => ({value}|{error})} deps.readSelection the selection of steps 1–3, with messages
 * @param {() => (object|null)} deps.peekSelection the same without messages; null if invalid
 * @param {() => (number|undefined)} deps.readTau τ of step 4
 * @param {HTMLFormElement} deps.controlsForm the form of steps 1–5 (its edits update the preview)
 */
export function mountCertified({ state, queue, readSelection, peekSelection, readTau, controlsForm }) {
  const dom = queryDom();
  /** Names of the feature groups (original columns) of the table in use. */
  const groupNames = () => state.data.groups.map((g) => g.name);
  const binary = () => state.data.classNames.length <= 2;
  /** The running certified model's settings, state and log; null before the first start. */
  let run = null;

  const say = ({ status = '', error = '' }) =>
    renderMessages({ statusNode: dom.status, alertNode: dom.alert }, { status, error });

  /** Shows or clears an input's message — after the press in progress, if any (pointer.js). */
  const shown = new Map();
  function field(input, errorNode, parsed) {
    shown.set(input, parsed.error ?? '');
    afterPress(() => renderFieldError(input, errorNode, shown.get(input)));
  }

  /** The settings fields; {value} or {error}. With `show`, marks bad fields. */
  function readSettings({ show = true } = {}) {
    const parsed = {
      l2: parseOpen(dom.l2.value, 'λ'), // > 0: the bounds need a strongly convex objective
      epsilon: parseOpen(dom.epsilon.value, 'ε'),
      delta: parseOpen(dom.delta.value, 'δ', { low: 0, high: 1 }),
      sigma: parseOpen(dom.sigma.value, 'σ'),
      seed:
        dom.seed.value.trim() === ''
          ? { value: null }
          : parseNumber(dom.seed.value, 'Noise seed', { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }),
    };
    const nodes = {
      l2: [dom.l2, dom.l2Error],
      epsilon: [dom.epsilon, dom.epsilonError],
      delta: [dom.delta, dom.deltaError],
      sigma: [dom.sigma, dom.sigmaError],
      seed: [dom.seed, dom.seedError],
    };
    const value = {};
    const errors = [];
    for (const [key, result] of Object.entries(parsed)) {
      if (show) field(...nodes[key], result);
      if (result.error) errors.push(result.error);
      else value[key] = result.value;
    }
    return errors.length > 0 ? { error: errors.join(' '), first: nodes[Object.keys(parsed).find((k) => parsed[k].error)][0] } : { value };
  }

  // ---------- rendering ----------
  function renderBudget() {
    const read = readSettings({ show: false });
    if (read.error) {
      dom.budget.textContent = 'Budget: enter valid ε, δ and σ to see it.';
      return;
    }
    const { c, budget } = engine.certifiedBudget(read.value);
    dom.budget.replaceChildren(
      'Budget ',
      Object.assign(document.createElement('strong'), { textContent: `β_max = σε/c = ${sig(budget, 4)}` }),
      ` with c = √(2 ln(1.5/δ)) = ${sig(c, 4)}.`,
    );
    dom.budget.dataset.value = String(budget);
  }

  function renderPending() {
    let text = '';
    if (run) {
      const read = readSettings({ show: false });
      const now = read.error ? null : read.value;
      const differs = !now || ['l2', 'epsilon', 'delta', 'sigma', 'seed'].some((k) => now[k] !== run.settings[k]);
      if (differs) text = 'The model still uses the settings it was started with; restart it to apply the new ones.';
    }
    dom.pending.textContent = text;
    dom.pending.hidden = text === '';
  }

  /** Rows of `selection` deleted by earlier requests: [{row, request, where}]. */
  function namedRemoved(selection) {
    if (!run) return [];
    const removed = engine.certifiedRemoved();
    const hits = [];
    for (const [where, rows] of [['Labels to correct', selection.flip], ['Rows to delete', selection.remove]]) {
      for (const row of rows) if (removed.has(row)) hits.push({ row, request: removed.get(row), where });
    }
    return hits;
  }

  function renderPreview() {
    const selection = peekSelection();
    if (!selection) {
      dom.next.textContent = 'the rows in steps 2–3 are not valid yet';
      return;
    }
    const text = describeRequest(selection, groupNames());
    const hits = namedRemoved(selection);
    dom.next.textContent =
      (text || 'nothing selected in steps 1–3 yet') +
      (hits.length > 0 ? ` — but ${joinRows([...new Set(hits.map((h) => h.row))])} ${hits.length === 1 ? 'was' : 'were'} already deleted` : '');
  }

  function renderRun() {
    renderGauge({ gauge: dom.gauge, fill: dom.gaugeFill, text: dom.gaugeText }, run);
    renderHistory(dom.history, run ? run.entries : []);
    renderLog(dom.log, run ? run.entries : [], groupNames());
    renderAssumptions(dom.assumptions, run ? run.failedAssumptions : []);
    if (run) {
      const last = run.entries.at(-1);
      const draws = last ? last.certificate.noiseDraws : 1;
      dom.facts.textContent = [
        `${run.nRows} of ${run.nTrain} training rows`,
        `test accuracy ${percent(run.accuracy)}`,
        noiseFact(run),
        `${draws} noise draw${draws === 1 ? '' : 's'}`,
      ].join(' · ');
      dom.facts.dataset.noise = run.noise;
      dom.facts.dataset.accuracy = String(run.accuracy);
    } else {
      dom.facts.textContent = 'No certified model yet.';
      delete dom.facts.dataset.noise;
    }
    dom.noiseNote.hidden = run?.noise !== 'reproducible';
    dom.start.textContent = run ? 'Restart certified model' : 'Start certified model';
    const many = !binary();
    dom.start.disabled = many;
    dom.binaryNote.hidden = !many;
    dom.binaryNote.textContent = many
      ? `Certified unlearning here is for two classes only (the bounds of Guo et al. are for the binary logistic loss); ` +
        `${state.data.short} has ${state.data.classNames.length} classes. Choose a dataset with a binary label to use this panel.`
      : '';
    dom.panel.dataset.binary = String(!many);
    // Before the start, starting is the thing to do; afterwards, applying requests is.
    dom.start.classList.toggle('button--primary', !run);
    dom.apply.classList.toggle('button--primary', Boolean(run));
    dom.apply.disabled = !run;
    dom.download.disabled = !run || run.entries.length === 0;
    dom.panel.dataset.requests = String(run ? run.entries.length : 0);
    if (run) dom.panel.dataset.started = String(run.starts);
    renderPending();
    renderPreview();
  }

  // ---------- actions ----------
  function onStart() {
    const read = readSettings();
    if (read.error) {
      say({ error: read.error });
      read.first.focus();
      return;
    }
    const settings = read.value;
    queue.push(async () => {
      say({ status: 'Training the certified model…' });
      await nextFrame();
      try {
        const started = await engine.startCertified({
          l2: settings.l2,
          epsilon: settings.epsilon,
          delta: settings.delta,
          sigma: settings.sigma,
          noiseSeed: settings.seed,
          seed: SPLIT_SEED,
          testFraction: TEST_FRACTION,
        });
        run = {
          settings,
          starts: (run?.starts ?? 0) + 1,
          entries: [],
          nTrain: started.nTrain,
          startAccuracy: started.accuracy,
          ...started,
        };
        renderRun();
        say({
          status:
            `Certified model trained (λ = ${settings.l2}, σ = ${settings.sigma}, ${noiseFact(run)}): ` +
            `test accuracy ${percent(started.accuracy)}, budget β_max = ${sig(started.budget)}.`,
        });
      } catch (err) {
        if (err?.cancelled) {
          say({ status: 'Cancelled: the certified model stays as it was.' });
          return;
        }
        say({ error: `The certified model could not be trained: ${errorText(err)}` });
      }
    });
  }

  function onApply() {
    if (!run) {
      say({ error: 'Start the certified model first.' });
      return;
    }
    const read = readSelection();
    if (read.error) {
      say({ error: `Fix the selection above first: ${read.error}` });
      return;
    }
    const selection = read.value;
    if (selection.features.length + selection.flip.length + selection.remove.length === 0) {
      say({ error: 'Nothing to forget yet: check features, or enter rows to relabel or delete in steps 1–3.' });
      return;
    }
    const method = dom.method.value;
    const tau = method === 'first_order' ? readTau() : undefined;
    if (method === 'first_order' && tau === undefined) {
      say({ error: 'The first-order update needs a valid τ in step 4.' });
      return;
    }
    queue.push(async () => {
      // Checked when the request runs, after any request queued before it.
      const hits = namedRemoved(selection);
      if (hits.length > 0) {
        say({ error: removedMessage(hits) });
        return;
      }
      if (selection.remove.length >= run.nRows) {
        say({ error: `The certified model has ${run.nRows} rows left; a request cannot delete all of them.` });
        return;
      }
      say({ status: 'Applying the request…' });
      await nextFrame();
      try {
        const { report, edit, snapshot } = await engine.certifiedRequest(selection, { method, tau });
        const c = report.certificate;
        const entry = {
          n: run.entries.length + 1,
          request: selection,
          edit,
          certificate: c,
          iterations: report.iterations,
          nRows: snapshot.nRows,
          accuracy: snapshot.accuracy,
        };
        run.entries.push(entry);
        Object.assign(run, snapshot);
        renderRun();
        const used = c.betaAfter === null ? '' : ` β = ${sig(c.betaAfter)} of ${sig(c.budget)} (${percent(c.betaAfter / c.budget)}).`;
        say({ status: requestStatus(entry, used) });
      } catch (err) {
        say(err?.cancelled ? { status: 'Cancelled: the request was not applied.' } : { error: `Nothing was changed: ${errorText(err)}` });
      }
    });
  }

  function onDownload() {
    if (!run || run.entries.length === 0) return;
    const document_ = certificatesDocument(run, state.data);
    const name = 'unlearn-certificates.json';
    downloadJson(name, document_);
    say({ status: `Saved ${run.entries.length} certificate${run.entries.length === 1 ? '' : 's'} as ${name}.` });
  }

  // ---------- wiring ----------
  const guard = (handler) => (event) => {
    try {
      handler(event);
    } catch (err) {
      say({ error: `Something went wrong: ${errorText(err)}` });
    }
  };
  dom.form.addEventListener('submit', (event) => {
    event.preventDefault();
    guard(onStart)(event);
  });
  dom.apply.addEventListener('click', guard(onApply));
  dom.download.addEventListener('click', guard(onDownload));
  for (const input of [dom.l2, dom.epsilon, dom.delta, dom.sigma, dom.seed]) {
    input.addEventListener('input', guard(() => {
      renderBudget();
      renderPending();
    }));
    input.addEventListener('change', guard(() => readSettings()));
  }
  for (const type of ['input', 'change', 'selection']) controlsForm.addEventListener(type, guard(renderPreview));

  // After a cancel the worker rebuilds the model and replays its requests; with secret noise
  // that is a fresh b, so the log takes the new certificates.
  engine.onActivity((event) => {
    if (event.phase !== 'certified-rebuilt' || !run) return;
    takeRebuilt(run, event);
    renderRun();
    if (run.noise === 'secret') {
      say({
        status:
          'The certified model was rebuilt after the cancel with fresh secret noise (it cannot be replayed); ' +
          'its requests were applied again and the log shows their new certificates.',
      });
    }
  });

  renderBudget();
  renderRun();

  return {
    /** The table in use changed: the certified model (already stopped by the engine) starts over. */
    reset() {
      run = null;
      say({});
      renderRun();
    },
  };
}
