// The data panel: pick a built-in dataset or read a CSV file on this device (file input or
// drag-and-drop, File API only: nothing is uploaded), check how it is read and encoded, choose
// what to do with missing and bad cells, and train on it. Loading and training run in the
// page's queue; a table replaces the one in use only once its model has trained, so after any
// failure the previous data and model stay as they were.
import { DATASETS, fetchText, finishSetup, startSetup, withPlan } from './data.js';
import * as engine from './engine.js';
import { renderMessages } from './render/info.js';
import { renderSetup } from './render/setup.js';
import { defaultPositive, defaultSetup } from './table/columns.js';
import { checkFileSize, decodeBytes } from './table/csv.js';
import { SPLIT_SEED, TEST_FRACTION } from './state.js';
import { errorText, nextFrame } from './dom.js';

const byId = (id) => document.getElementById(id);
const fmt = (n) => n.toLocaleString('en-US');

function queryDom() {
  return {
    panel: byId('data'),
    picker: byId('dataset-picker'),
    radios: document.querySelectorAll('input[name="dataset"]'),
    about: byId('dataset-about'),
    upload: byId('upload'),
    dropzone: byId('dropzone'),
    file: byId('csv-file'),
    setup: byId('setup'),
    status: byId('data-status'),
    alert: byId('data-alert'),
  };
}

/**
 * Fails, naming the class, when the seeded split leaves a class without training rows (a free
 * intercept has no finite optimum then, and the model refuses to train).
 */
function requireTrainingRows(data, trainRows) {
  const seen = new Array(data.nClasses).fill(0);
  for (const row of trainRows) seen[data.y[row]] += 1;
  const missing = seen.findIndex((count) => count === 0);
  if (missing < 0) return;
  const total = data.y.reduce((n, y) => n + (y === missing ? 1 : 0), 0);
  throw new Error(
    `class “${data.classNames[missing]}” has ${total === 1 ? 'one row' : `${fmt(total)} rows`}, and the seeded 80/20 split ` +
      `puts ${total === 1 ? 'it' : 'all of them'} in the test part: a model cannot learn a class without training rows. ` +
      'Drop or merge that class, or add rows of it.',
  );
}

/**
 * @param {object} deps
 * @param {object} deps.state the page state
 * @param {object} deps.queue the page's action queue
 * @param {object} deps.initial the setup of the table in use at the start (data.js)
 * @param {(data: object, model: object) => void} deps.onLoaded called (in a queued action) when a
 *   new table has trained
 */
export function mountDataPanel({ state, queue, initial, onLoaded }) {
  const dom = queryDom();
  /** The setup shown in the panel: the table in use, or one being prepared. */
  let pending = initial;
  /** The setup of the table in use (to show again after an abandoned upload). */
  let activeSetup = initial;
  /** The last file read, kept while other datasets are looked at. */
  let upload = null;

  const say = ({ status = '', error = '' }) => renderMessages({ statusNode: dom.status, alertNode: dom.alert }, { status, error });
  // A "Cancelled" note answers the cancel; once the page has computed again it is old news.
  document.addEventListener('results', () => {
    if (/^Cancelled/.test(dom.status.textContent)) say({});
  });

  function choice() {
    return [...dom.radios].find((r) => r.checked)?.value ?? state.data.id;
  }

  function setChoice(id) {
    const value = id === 'adult-full' ? 'adult' : id;
    for (const radio of dom.radios) radio.checked = radio.value === value;
  }

  function renderAbout() {
    const id = choice();
    const parts = [];
    if (id === 'adult') {
      const full = state.data.id === 'adult-full';
      parts.push(
        full
          ? 'All 32,561 rows of the UCI Adult training file (census income, 1994), 14 columns: 6 numeric and 8 categorical, with missing values in workclass, occupation and native-country (imputed as “(missing)”).'
          : 'A stratified sample of 2,000 of the 32,561 rows of the UCI Adult training file (census income, 1994; the share of >50K is kept). 14 columns: 6 numeric and 8 categorical, with missing values in workclass, occupation and native-country (imputed as “(missing)”).',
      );
    } else if (id === 'digits') {
      parts.push('1,797 handwritten digits as 8×8 images: 64 pixel columns (0–16) and the digit 0–9 — ten classes, so a multinomial model. Three pixels that are always 0 are left out.');
    } else if (id === 'breast-cancer') {
      parts.push('569 tumours, 30 numeric measurements of cell nuclei; label malignant (1) or benign (0).');
    } else {
      parts.push('Comma, semicolon, tab or | separated; a decimal point or comma; a header row or none. Up to 200 MB.');
    }
    const nodes = [document.createTextNode(parts.join(' '))];
    if (id === 'adult') {
      const full = state.data.id === 'adult-full';
      const button = document.createElement('button');
      button.type = 'button';
      button.id = full ? 'load-sample' : 'load-full';
      button.className = 'link-button';
      button.textContent = full
        ? 'Back to the 2,000-row sample'
        : 'Load all 32,561 rows instead (3.5 MB; training and retraining take a few seconds)';
      nodes.push(document.createTextNode(' '), button);
    }
    dom.about.replaceChildren(...nodes);
    dom.upload.hidden = id !== 'upload';
    dom.dropzone.classList.toggle('dropzone--compact', Boolean(upload));
  }

  function render() {
    renderAbout();
    renderSetup(dom.setup, pending, { active: pending === activeSetup });
    dom.panel.dataset.choice = choice();
  }

  // ---------- actions ----------
  /** Trains on `candidate` (ready) and makes it the table in use; false (with a message) if not. */
  async function train(candidate) {
    const previous = state.data.short;
    say({ status: `Training on ${candidate.source.fileName}…` });
    await nextFrame();
    try {
      const split = { seed: SPLIT_SEED, testFraction: TEST_FRACTION };
      const data = finishSetup(candidate, { trainRowsOf: (n) => engine.splitTrainRows(n, split) });
      requireTrainingRows(data, engine.splitTrainRows(data.nRows, split));
      const model = await engine.loadTable(data, { l2: state.l2, ...split });
      activeSetup = candidate;
      onLoaded(data, model);
      const r = model.report;
      say({
        status:
          `Now using ${data.short}: ${fmt(r.nTrain)} train / ${fmt(r.nTest)} test rows, d = ${fmt(r.nFeatures)}, ` +
          `${model.nClasses} classes, test accuracy ${(100 * r.testAccuracy).toFixed(1)} %` +
          `${data.effect ? ` (${data.effect})` : ''}.`,
      });
      return true;
    } catch (err) {
      if (err?.cancelled) say({ status: `Cancelled — the page still uses ${previous}.` });
      else say({ error: `The table was not used — the page still uses ${previous}: ${errorText(err)}` });
      return false;
    } finally {
      render();
    }
  }

  function onPick(id) {
    say({});
    if (id === 'upload') {
      pending = upload;
      render();
      say({ status: upload ? '' : 'Choose a CSV file or drop it on the box. It is read on this device; nothing is uploaded.' });
      return;
    }
    const source = { ...DATASETS[id], builtIn: true };
    return queue.push(async () => {
      if (state.data.id === id) {
        pending = activeSetup;
        render();
        return;
      }
      say({ status: `Loading ${source.short}…` });
      let candidate;
      try {
        candidate = startSetup(await fetchText(source.url), source);
      } catch (err) {
        setChoice(state.data.id);
        pending = activeSetup;
        render();
        say({ error: `${source.short} could not be loaded — the page still uses ${state.data.short}: ${errorText(err)}` });
        return;
      }
      pending = candidate;
      render();
      if (candidate.error || !candidate.plan.ready) {
        say({ error: candidate.error ?? candidate.plan.errors.join(' ') });
        return;
      }
      if (!(await train(candidate))) {
        setChoice(state.data.id);
        pending = activeSetup;
        render();
      }
    });
  }

  function onFile(file) {
    if (!file) return;
    setChoice('upload');
    const size = checkFileSize(file.size, file.name);
    if (size.error) {
      say({ error: `${size.error} The page still uses ${state.data.short}.` });
      render();
      return;
    }
    queue.push(async () => {
      say({ status: `Reading ${file.name} on this device…` });
      let candidate;
      try {
        const { text, encoding } = decodeBytes(new Uint8Array(await file.arrayBuffer()));
        candidate = startSetup(text, { id: 'upload', name: file.name, short: file.name, fileName: file.name, encoding, builtIn: false });
      } catch (err) {
        say({ error: `${file.name} could not be read — the page still uses ${state.data.short}: ${errorText(err)}` });
        return;
      }
      upload = candidate;
      pending = candidate;
      setChoice('upload');
      render();
      if (candidate.error) {
        say({ error: `${candidate.error} The page still uses ${state.data.short}.` });
      } else if (candidate.plan.ready) {
        say({ status: `Read ${file.name}: check the label and the columns, then press “Train on this table”.` });
      } else {
        say({ status: `Read ${file.name}: see what needs a decision below before it can train.` });
      }
    });
  }

  /** Applies a change of the setup controls to the pending setup. */
  function onSetupChange(target) {
    if (!pending || pending.error) return;
    const { parsed, setup } = pending;
    let next = null;
    if (target.id === 'setup-delimiter' || target.id === 'setup-decimal' || target.id === 'setup-header') {
      const parseOptions = {
        ...pending.parseOptions,
        delimiter: byId('setup-delimiter').value === 'tab' ? '\t' : byId('setup-delimiter').value,
        decimalComma: byId('setup-decimal').value === 'comma',
        header: byId('setup-header').checked,
      };
      if (target.id === 'setup-delimiter') {
        // A new delimiter: detect the rest again.
        delete parseOptions.decimalComma;
        delete parseOptions.header;
      }
      const label = parsed.names[setup.label];
      const source = { ...pending.source, preset: { ...pending.source.preset, label, policy: setup.policy ?? undefined } };
      next = startSetup(pending.text, source, parseOptions);
      if (!next.error) next.source = pending.source;
    } else if (target.id === 'setup-label') {
      const label = Number(target.value);
      const fresh = defaultSetup(parsed, pending.columns, { label: parsed.names[label] });
      const roles = setup.roles.map((role, j) => (j === label ? 'label' : role === 'label' ? fresh.roles[j] : role));
      next = withPlan({ ...pending, setup: { ...setup, label, roles, positive: defaultPositive(parsed, label) } });
    } else if (target.id === 'setup-positive') {
      next = withPlan({ ...pending, setup: { ...setup, positive: target.value } });
    } else if (target.name === 'setup-policy') {
      next = withPlan({ ...pending, setup: { ...setup, policy: target.value } });
    } else if (target.dataset.column !== undefined) {
      const roles = [...setup.roles];
      roles[Number(target.dataset.column)] = target.value;
      next = withPlan({ ...pending, setup: { ...setup, roles }, columnsOpen: true });
    }
    if (!next) return;
    if (pending === upload) upload = next;
    next.open = true; // a built-in table's folded setup stays open while it is edited
    pending = next;
    const focused = document.activeElement?.id;
    render();
    if (focused) byId(focused)?.focus();
    say({});
  }

  // ---------- wiring ----------
  const guard = (handler) => async (event) => {
    try {
      await handler(event);
    } catch (err) {
      say({ error: `Something went wrong: ${errorText(err)}` });
    }
  };

  for (const radio of dom.radios) {
    radio.addEventListener('change', guard(() => {
      if (radio.checked) onPick(radio.value);
    }));
  }
  dom.about.addEventListener('click', guard((event) => {
    if (event.target.closest('#load-full')) onPick('adult-full');
    else if (event.target.closest('#load-sample')) onPick('adult');
  }));
  dom.file.addEventListener('change', guard(() => {
    const [file] = dom.file.files;
    onFile(file);
    dom.file.value = ''; // the same file can be chosen again after it is fixed
  }));
  for (const type of ['dragenter', 'dragover']) {
    dom.dropzone.addEventListener(type, (event) => {
      event.preventDefault();
      dom.dropzone.classList.add('dropzone--over');
    });
  }
  for (const type of ['dragleave', 'dragend']) {
    dom.dropzone.addEventListener(type, () => dom.dropzone.classList.remove('dropzone--over'));
  }
  dom.dropzone.addEventListener('drop', guard((event) => {
    event.preventDefault();
    dom.dropzone.classList.remove('dropzone--over');
    const [file] = event.dataTransfer?.files ?? [];
    onFile(file);
  }));
  // A file dropped anywhere else must not make the browser navigate away from the page.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => {
    if (!event.target.closest?.('#dropzone')) event.preventDefault();
  });
  dom.setup.addEventListener('change', guard((event) => onSetupChange(event.target)));
  dom.setup.addEventListener('click', guard((event) => {
    if (!event.target.closest('#setup-train')) return;
    const candidate = pending;
    if (!candidate?.plan?.ready) return;
    queue.push(async () => {
      await train(candidate);
    });
  }));

  setChoice(state.data.id);
  render();

  return {
    /** Switches to built-in dataset `id` (queued); resolves to true once it is the one in use. */
    async pick(id) {
      if (!DATASETS[id]) return false;
      if (state.data.id === id) return true;
      setChoice(id);
      await onPick(id);
      return state.data.id === id;
    },
    /** Says something in the data panel's message line. */
    say,
  };
}
