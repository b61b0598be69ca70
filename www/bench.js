// The benchmark page: times the wasm Unlearner on the sizes, seeds and requests of
// scripts/bench/config.json (the native criterion benches and scripts/bench/sklearn.py use the
// same file), shows a table and exposes everything as JSON on `window.benchResults`.
//
// Query parameters (all optional): sizes=id,id  groups=fit,label,point,feature  methods=a,b
// minMs=100 (measured time per cell)  cellSeconds=20 (wall budget per cell)  autorun=1
// pkg=./path/unlearn.js (another wasm-bindgen build on this origin, e.g. one with SIMD)
// variant=name (a label stored with the results).
import config from '../scripts/bench/config.json';

const params = new URLSearchParams(location.search);
const list = (name) => (params.get(name) || '').split(',').map((s) => s.trim()).filter(Boolean);
const MIN_MS = Number(params.get('minMs') || 100);
const CELL_MS = Number(params.get('cellSeconds') || 20) * 1000;
const GROUPS = ['fit', 'label', 'point', 'feature'];
/** Share of the rows that point requests may remove before the model is fitted afresh. */
const REMOVAL_BUDGET = 0.1;
const TRAIN = { l2: config.l2, tol: config.tol };

const results = {
  status: 'loading',
  variant: params.get('variant') || 'default',
  pkg: params.get('pkg') || './pkg/unlearn.js (bundled)',
  userAgent: navigator.userAgent,
  hardwareConcurrency: navigator.hardwareConcurrency,
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  clockResolutionMs: null,
  minMs: MIN_MS,
  cellSeconds: CELL_MS / 1000,
  config: { seed: config.seed, rowsSeed: config.rowsSeed, requestRows: config.requestRows, steps: config.steps },
  warmUpSeconds: null,
  startedAt: null,
  finishedAt: null,
  results: [],
  errors: [],
};
window.benchResults = results;

const $ = (id) => document.getElementById(id);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const now = () => performance.now();
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

function status(text) {
  $('status').textContent = text;
}

/** The smallest step performance.now() takes (0.1 ms unless the page is cross-origin isolated). */
function clockResolution() {
  let best = Infinity;
  for (let k = 0; k < 20; k += 1) {
    const a = now();
    let b = now();
    while (b === a) b = now();
    best = Math.min(best, b - a);
  }
  return best;
}

async function loadWasm() {
  const override = params.get('pkg');
  let wasm;
  if (override) {
    const url = new URL(override, location.href);
    if (url.origin !== location.origin) {
      throw new Error(`pkg=${override}: only a package on this origin (${location.origin}) can be loaded`);
    }
    wasm = await import(/* @vite-ignore */ url.href);
  } else {
    wasm = await import('./pkg/unlearn.js');
  }
  await wasm.default();
  return wasm;
}

/** A small seeded generator (mulberry32) for the order of the point requests' rows. */
function shuffled(items, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function formatSeconds(s) {
  if (!Number.isFinite(s)) return '–';
  if (s < 0.9995e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 0.9995) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

function addRow(entry) {
  results.results.push(entry);
  const tr = document.createElement('tr');
  tr.dataset.group = entry.group;
  tr.dataset.method = entry.method;
  const cells = [
    entry.size,
    entry.group,
    entry.method,
    entry.error ? '–' : formatSeconds(entry.seconds),
    entry.error ? '–' : formatSeconds(entry.medianSeconds),
    entry.error ? '–' : String(entry.runs),
    entry.error || entry.note || '',
  ];
  cells.forEach((text, k) => {
    const td = document.createElement(k === 0 ? 'th' : 'td');
    if (k === 0) td.scope = 'row';
    td.textContent = text;
    if (k === 3 && !entry.error) td.dataset.value = String(entry.seconds);
    tr.append(td);
  });
  $('results').tBodies[0].append(tr);
}

function record(size, group, method, times, note = '') {
  const total = sum(times);
  addRow({
    size: size.id,
    n: size.n,
    d: size.d,
    group,
    method,
    seconds: total / times.length / 1000,
    medianSeconds: median(times) / 1000,
    runs: times.length,
    totalSeconds: total / 1000,
    note,
  });
}

function fail(size, group, method, error) {
  const message = error instanceof Error ? error.message : String(error);
  results.errors.push({ size: size.id, group, method, error: message });
  addRow({ size: size.id, n: size.n, d: size.d, group, method, error: message });
}

/** `second_order_refresh` is the second-order update with H̃ rebuilt; other keys are methods. */
function requestOptions(key) {
  const refresh = key === 'second_order_refresh';
  return {
    method: refresh ? 'second_order' : key,
    hessian: refresh ? 'refresh' : 'reuse',
    residual: false,
    steps: config.steps,
  };
}

/** Whether a cell has measured enough: MIN_MS in total, or its wall budget is spent. */
function enough(times, started, minRuns) {
  if (times.length < minRuns) return false;
  return sum(times) >= MIN_MS || now() - started >= CELL_MS;
}

class SizeRun {
  constructor(wasm, size) {
    this.wasm = wasm;
    this.size = size;
    const data = wasm.makeClassification(size.n, size.d, config.seed);
    this.x = data.x;
    this.y = data.y;
    this.rows = Array.from(wasm.sampleRows(size.n, config.requestRows, config.rowsSeed));
    const taken = new Set(this.rows);
    const budget = Math.max(config.requestRows, Math.floor(size.n * REMOVAL_BUDGET));
    // Rows for the point requests: disjoint from the label rows, in a seeded random order.
    const candidates = [];
    for (let i = 0; i < size.n; i += 1) if (!taken.has(i)) candidates.push(i);
    this.pointRows = shuffled(candidates, config.rowsSeed).slice(0, budget);
    this.unlearner = null;
    this.removed = 0;
    this.skip = new Set((config.skip || {})[size.id] || []);
  }

  fit() {
    this.unlearner?.free();
    this.unlearner = null;
    const t0 = now();
    const unlearner = this.wasm.Unlearner.fit(this.x, this.y, this.size.d, TRAIN);
    const t = now() - t0;
    this.unlearner = unlearner;
    this.removed = 0;
    return t;
  }

  /** Brings θ back to the optimum of the current rows and refreshes the factor (not timed). */
  resync() {
    this.unlearner.request({}, { method: 'retrain_warm', residual: false });
  }

  async measureFit() {
    const times = [];
    const started = now();
    while (!enough(times, started, 3) || times.length === 0) {
      times.push(this.fit());
      await tick();
      if (now() - started >= CELL_MS && times.length >= 1) break;
    }
    record(this.size, 'fit', 'unlearner', times, 'Unlearner.fit (copy in, train, factorise)');
  }

  async measureLabel(key) {
    const flip = { relabel: this.rows.map((i) => [i, 1 - this.y[i]]) };
    const back = { relabel: this.rows.map((i) => [i, this.y[i]]) };
    const options = requestOptions(key);
    const times = [];
    const started = now();
    while (!enough(times, started, 2)) {
      for (const edit of [flip, back]) {
        const t0 = now();
        this.unlearner.request(edit, options);
        times.push(now() - t0);
      }
      if (times.length % 64 === 0) await tick();
    }
    this.resync();
    record(this.size, 'label', key, times, 'flip 100 labels, then flip them back');
  }

  async measurePoint(key) {
    const m = config.requestRows;
    const options = requestOptions(key);
    const times = [];
    const started = now();
    let refits = 0;
    while (!enough(times, started, 2)) {
      if (this.removed + m > this.pointRows.length) {
        this.fit();
        refits += 1;
      }
      const edit = { remove: this.pointRows.slice(this.removed, this.removed + m) };
      const t0 = now();
      this.unlearner.request(edit, options);
      times.push(now() - t0);
      this.removed += m;
      if (times.length % 16 === 0) await tick();
    }
    this.resync();
    const note = `remove 100 rows per request${refits ? `, ${refits} fresh fits` : ''}`;
    record(this.size, 'point', key, times, note);
  }

  async measureFeature(key) {
    const options = requestOptions(key);
    const limit = Math.max(1, Math.floor(this.size.d / 2));
    const times = [];
    const started = now();
    let feature = 0;
    this.fit();
    while (!enough(times, started, 2)) {
      if (feature === limit) {
        this.fit();
        feature = 0;
      }
      const edit = { features: [feature], featureValue: 0 };
      const t0 = now();
      this.unlearner.request(edit, options);
      times.push(now() - t0);
      feature += 1;
      await tick();
    }
    record(this.size, 'feature', key, times, 'zero one feature (every row)');
  }

  async run(groups, methods) {
    const { size } = this;
    const guarded = async (group, method, f) => {
      status(`${size.id}: ${group} / ${method}…`);
      await tick();
      try {
        await f();
      } catch (error) {
        fail(size, group, method, error);
        this.fit(); // a known state for what follows
      }
    };
    if (groups.includes('fit')) await guarded('fit', 'unlearner', () => this.measureFit());
    if (!this.unlearner) this.fit();
    for (const group of ['label', 'point']) {
      if (!groups.includes(group)) continue;
      for (const key of methods) {
        if (this.skip.has(key)) {
          addRow({ size: size.id, n: size.n, d: size.d, group, method: key, error: 'skipped (config.json)' });
          continue;
        }
        const measure = group === 'label' ? () => this.measureLabel(key) : () => this.measurePoint(key);
        await guarded(group, key, measure);
      }
    }
    if (groups.includes('feature')) {
      for (const key of config.featureMethods) {
        await guarded('feature', key, () => this.measureFeature(key));
      }
    }
    this.unlearner?.free();
    this.unlearner = null;
  }
}

/**
 * Runs every operation on a small problem first, so that the browser has compiled the hot wasm
 * functions with its optimising tier before anything is measured (V8 starts with a baseline
 * compiler and tiers up functions as they run).
 */
async function warmUp(wasm, methods) {
  const started = now();
  const size = { id: 'warm-up', n: 2000, d: 20 };
  const run = new SizeRun(wasm, size);
  for (let k = 0; k < 3; k += 1) run.fit();
  for (let round = 0; round < 2; round += 1) {
    for (const key of methods) {
      const options = requestOptions(key);
      for (const edit of [
        { relabel: run.rows.map((i) => [i, 1 - run.y[i]]) },
        { relabel: run.rows.map((i) => [i, run.y[i]]) },
      ]) {
        run.unlearner.request(edit, options);
      }
      if (run.removed + config.requestRows > run.pointRows.length) run.fit();
      run.unlearner.request({ remove: run.pointRows.slice(run.removed, run.removed + config.requestRows) }, options);
      run.removed += config.requestRows;
      run.resync();
      await tick();
    }
    for (const key of config.featureMethods) {
      run.fit();
      run.unlearner.request({ features: [0] }, requestOptions(key));
      run.unlearner.request({ features: [1] }, requestOptions(key));
    }
  }
  run.unlearner.free();
  results.warmUpSeconds = (now() - started) / 1000;
}

function renderChoices(selectedSizes, selectedGroups) {
  const sizes = $('sizes');
  for (const size of config.sizes) {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = size.id;
    input.checked = selectedSizes.includes(size.id);
    label.append(input, ` ${size.n.toLocaleString('en')} × ${size.d}${size.label ? ` (${size.label})` : ''}`);
    sizes.append(label);
  }
  const groups = $('groups');
  for (const group of GROUPS) {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = group;
    input.checked = selectedGroups.includes(group);
    label.append(input, ` ${group}`);
    groups.append(label);
  }
}

const checked = (id) => [...$(id).querySelectorAll('input:checked')].map((i) => i.value);

async function runAll(wasm) {
  const sizes = config.sizes.filter((s) => checked('sizes').includes(s.id));
  const groups = checked('groups');
  const methods = list('methods').length ? list('methods') : config.methods;
  $('run').disabled = true;
  $('error').textContent = '';
  $('results').tBodies[0].replaceChildren();
  results.results = [];
  results.errors = [];
  results.status = 'running';
  results.startedAt = new Date().toISOString();
  try {
    status('Warming up (compiling the wasm functions with the optimising tier)…');
    await tick();
    await warmUp(wasm, methods);
    for (const size of sizes) {
      status(`${size.id}: generating ${size.n} × ${size.d}…`);
      await tick();
      await new SizeRun(wasm, size).run(groups, methods);
    }
    results.status = 'done';
    status(`Done: ${results.results.length} measurements${results.errors.length ? `, ${results.errors.length} errors` : ''}.`);
  } catch (error) {
    results.status = 'error';
    results.errors.push({ error: String(error?.message || error) });
    $('error').textContent = String(error?.message || error);
    status('Stopped by an error.');
  } finally {
    results.finishedAt = new Date().toISOString();
    $('run').disabled = false;
  }
}

async function main() {
  $('min-ms').textContent = String(MIN_MS);
  $('min-ms-2').textContent = String(MIN_MS);
  const sizes = list('sizes').length ? list('sizes') : config.quickSizes;
  const unknown = sizes.filter((id) => !config.sizes.some((s) => s.id === id));
  const groups = list('groups').length ? list('groups') : GROUPS;
  renderChoices(sizes, groups);
  results.clockResolutionMs = clockResolution();
  $('clock').textContent =
    `Clock: performance.now() steps by ${results.clockResolutionMs.toFixed(4)} ms` +
    (results.crossOriginIsolated ? ' (cross-origin isolated).' : ' (not cross-origin isolated: coarse).');
  let wasm;
  try {
    if (unknown.length) throw new Error(`unknown sizes: ${unknown.join(', ')}`);
    wasm = await loadWasm();
  } catch (error) {
    results.status = 'error';
    results.errors.push({ error: String(error?.message || error) });
    $('error').textContent = String(error?.message || error);
    status('Could not start.');
    return;
  }
  results.status = 'ready';
  status('Ready. Choose sizes and press Run.');
  $('run').addEventListener('click', () => runAll(wasm));
  if (params.get('autorun') === '1') runAll(wasm);
}

main();
