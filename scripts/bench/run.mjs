// The benchmark driver: writes the data, runs the native criterion benches, the scikit-learn /
// numpy comparison and the browser page (wasm, with and without SIMD) on the same sizes and
// seeds, prints one side-by-side table and writes it into BENCHMARKS.md.
//
//   node scripts/bench/run.mjs                  # everything (about 40 minutes on 2 cores)
//   node scripts/bench/run.mjs --quick          # the quick sizes (1k × 10 and Adult size)
//   node scripts/bench/run.mjs --sizes adult,n10k_d50 --skip scalar
//   node scripts/bench/run.mjs --only native    # one part: data, native, python, browser, scalar
//
// Options: --quick, --sizes id,id, --skip part,part, --only part,part, --filter REGEX (passed to
// criterion), --no-write (do not touch BENCHMARKS.md), --reuse (take the results of the parts
// not run now from target/bench-results/ of an earlier run, e.g. to rerun only the browser;
// without it the report holds only what this run measured).
// Parts: data, native, python, browser (the shipped wasm build, with 128-bit SIMD), scalar (the
// same crate built without SIMD, -C target-feature=-simd128, into target/wasm-scalar).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { build, preview } from 'vite';
import { launchChromium } from '../browser.mjs';
import { ROOT, buildWasm, ensureAll, log, run } from '../toolchain.mjs';

const CONFIG = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bench', 'config.json'), 'utf8'));
const DATA = join(ROOT, 'target', 'bench-data');
const OUT = join(ROOT, 'target', 'bench-results');
const SITE = join(ROOT, 'target', 'bench-site');
const SCALAR_TARGET = join(ROOT, 'target', 'wasm-scalar');
const WASM_TARGET = 'wasm32-unknown-unknown';
const PARTS = ['data', 'native', 'python', 'browser', 'scalar'];
const BROWSER_TIMEOUT_MS = 90 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const options = { quick: false, sizes: null, parts: new Set(PARTS), filter: null, write: true, reuse: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    const parts = (text) => {
      const names = text.split(',').filter(Boolean);
      const bad = names.filter((p) => !PARTS.includes(p));
      if (bad.length) throw new Error(`unknown part(s) ${bad.join(', ')}; parts: ${PARTS.join(', ')}`);
      return names;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--sizes') options.sizes = value().split(',').filter(Boolean);
    else if (arg === '--skip') for (const p of parts(value())) options.parts.delete(p);
    else if (arg === '--only') options.parts = new Set(parts(value()));
    else if (arg === '--filter') options.filter = value();
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--reuse') options.reuse = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}; see --help`);
  }
  const known = CONFIG.sizes.map((s) => s.id);
  options.sizes ??= options.quick ? CONFIG.quickSizes : known;
  const unknown = options.sizes.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`unknown size(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function capture(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function load() {
  return os.loadavg().map((l) => l.toFixed(2)).join(' / ');
}

/** Runs a command with its output teed to the console and to a log file. */
function runLogged(cmd, args, logFile, env = process.env) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(logFile, `${result.stdout || ''}\n--- stderr ---\n${result.stderr || ''}`);
  if (result.status !== 0) {
    process.stderr.write(result.stderr || '');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${result.error?.message || `exit code ${result.status}`}); log: ${relative(ROOT, logFile)}`);
  }
  return result;
}

/** The commands each part ran, by part: {date, invocation, lines}. */
const commands = {};
function command(part, ...lines) {
  commands[part] ??= {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: capture('git', ['rev-parse', '--short', 'HEAD']) || 'unknown',
    invocation: invocation(),
    lines: [],
  };
  commands[part].lines.push(...lines);
}
const invocation = () => `node scripts/bench/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
/** Load average (1 min) when each part started and ended: the machine may be shared. */
const loads = [];
async function timedPart(name, part, f) {
  const start = os.loadavg()[0];
  const t = Date.now();
  const out = await f();
  const text = `${((Date.now() - t) / 60000).toFixed(1)} min, load ${start.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`;
  loads.push(`${name} ${text}`);
  if (commands[part]) commands[part].load = text;
  return out;
}

// ---------------------------------------------------------------------------------------------
// (a) data

function writeData(options) {
  const args = ['run', '--release', '--example', 'bench_data', '--', relative(ROOT, DATA), ...options.sizes];
  command('data', `cargo ${args.join(' ')}`);
  run('cargo', args);
}

// ---------------------------------------------------------------------------------------------
// (b) native criterion benches

/** Every criterion result written at or after `since` (ms): {group, function, size, ns, …}. */
function readCriterion(since) {
  const root = join(ROOT, 'target', 'criterion');
  const found = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (!entry.isDirectory()) continue;
      if (entry.name === 'new') {
        const estimates = join(path, 'estimates.json');
        const benchmark = join(path, 'benchmark.json');
        if (existsSync(estimates) && existsSync(benchmark) && statSync(estimates).mtimeMs >= since) {
          const b = readJson(benchmark);
          const e = readJson(estimates);
          found.push({
            group: b.group_id,
            method: b.function_id,
            size: b.value_str,
            seconds: e.median.point_estimate / 1e9,
            low: e.median.confidence_interval.lower_bound / 1e9,
            high: e.median.confidence_interval.upper_bound / 1e9,
            mean: e.mean.point_estimate / 1e9,
          });
        }
      } else walk(path);
    }
  };
  walk(root);
  return found;
}

function runNative(options) {
  const env = { ...process.env, UNLEARN_BENCH_SIZES: options.sizes.join(',') };
  const args = ['bench', '--bench', 'unlearn'];
  if (options.filter) args.push('--', options.filter);
  command('native', `UNLEARN_BENCH_SIZES=${options.sizes.join(',')} cargo ${args.map((a) => (a.includes(' ') || a.includes('|') ? `'${a}'` : a)).join(' ')}`);
  const since = Date.now() - 1000;
  const started = Date.now();
  log(`native benches (criterion); log in target/bench-results/cargo-bench.log; load ${load()}`);
  const result = runLogged('cargo', args, join(OUT, 'cargo-bench.log'), env);
  const skipped = (result.stderr || '').split('\n').filter((l) => /skipped|FAILED/.test(l));
  const native = { results: readCriterion(since), seconds: (Date.now() - started) / 1000, notes: skipped };
  writeFileSync(join(OUT, 'native.json'), JSON.stringify(native, null, 1));
  log(`native: ${native.results.length} results in ${native.seconds.toFixed(0)} s`);
  return native;
}

// ---------------------------------------------------------------------------------------------
// (c) scikit-learn and numpy

function runPython(options) {
  const out = join(OUT, 'sklearn.json');
  const args = ['scripts/bench/sklearn.py', '--data', relative(ROOT, DATA), '--sizes', options.sizes.join(','), '--out', relative(ROOT, out)];
  command('python', `python3 ${args.join(' ')}`);
  log(`scikit-learn / numpy; load ${load()}`);
  runLogged('python3', args, join(OUT, 'sklearn.log'));
  return readJson(out);
}

// ---------------------------------------------------------------------------------------------
// (d) the browser page

function buildSite() {
  ensureAll({ browser: true });
  buildWasm();
  command('browser', 
    `node -e "import('./scripts/toolchain.mjs').then(t=>t.buildWasm())"   # www/pkg`,
    `vite build with build.outDir = target/bench-site   # programmatic, vite.config.js (index.html + bench.html)`,
  );
  return build({
    root: join(ROOT, 'www'),
    configFile: join(ROOT, 'vite.config.js'),
    logLevel: 'warn',
    build: { outDir: SITE, emptyOutDir: true },
  });
}

function buildScalar() {
  const rustflags = '-C target-feature=-simd128';
  const env = { ...process.env, RUSTFLAGS: rustflags, CARGO_TARGET_DIR: SCALAR_TARGET };
  log(`building the wasm package with ${rustflags} into ${relative(ROOT, SCALAR_TARGET)}`);
  run('cargo', ['build', '--release', '--lib', '--target', WASM_TARGET], { env });
  run('wasm-bindgen', ['--target', 'web', '--out-dir', join(SITE, 'pkg-scalar'), join(SCALAR_TARGET, WASM_TARGET, 'release', 'unlearn.wasm')]);
  command('browser', 
    `RUSTFLAGS='${rustflags}' CARGO_TARGET_DIR=target/wasm-scalar cargo build --release --lib --target ${WASM_TARGET}`,
    `wasm-bindgen --target web --out-dir target/bench-site/pkg-scalar target/wasm-scalar/${WASM_TARGET}/release/unlearn.wasm`,
  );
}

async function runPage(browser, url, variant, options) {
  const page = await browser.newPage();
  const origin = new URL(url).origin;
  const foreign = [];
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const query = new URLSearchParams({ autorun: '1', sizes: options.sizes.join(','), variant });
  if (variant === 'scalar') query.set('pkg', './pkg-scalar/unlearn.js');
  const address = `${url}bench.html?${query}`;
  log(`browser (${variant}): ${address}; load ${load()}`);
  const started = Date.now();
  await page.goto(address);
  let last = '';
  for (;;) {
    const state = await page.evaluate(() => ({
      status: window.benchResults?.status,
      count: window.benchResults?.results.length,
      text: document.getElementById('status')?.textContent,
    }));
    if (state.text !== last) {
      log(`  ${variant}: ${state.text} (${state.count} results)`);
      last = state.text;
    }
    if (state.status === 'done' || state.status === 'error') break;
    if (Date.now() - started > BROWSER_TIMEOUT_MS) throw new Error(`the bench page (${variant}) did not finish in ${BROWSER_TIMEOUT_MS / 60000} min`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const results = await page.evaluate(() => window.benchResults);
  results.foreignRequests = foreign;
  results.consoleErrors = consoleErrors;
  results.wallSeconds = (Date.now() - started) / 1000;
  await page.close();
  if (results.status !== 'done') throw new Error(`the bench page (${variant}) stopped: ${JSON.stringify(results.errors)}`);
  if (foreign.length) throw new Error(`the bench page requested other origins: ${foreign.join(', ')}`);
  return results;
}

async function runBrowser(options, variants) {
  await buildSite();
  if (variants.includes('scalar')) buildScalar();
  const server = await preview({
    root: join(ROOT, 'www'),
    configFile: join(ROOT, 'vite.config.js'),
    logLevel: 'silent',
    build: { outDir: SITE },
    // Cross-origin isolation gives performance.now() a 5 µs step instead of 100 µs.
    preview: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      open: false,
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
  });
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${address.port}/`;
  const browser = await launchChromium();
  for (const variant of variants) {
    const pkg = variant === 'scalar' ? '&pkg=./pkg-scalar/unlearn.js' : '';
    command('browser', `open <preview>/bench.html?autorun=1&sizes=SIZE&variant=${variant}${pkg}   # headless Chromium (playwright-core), COOP/COEP headers; one page per size, variants interleaved`);
  }
  const out = {};
  try {
    // One page per size and variant, the variants interleaved (and their order alternated) size
    // by size, so that a change in the machine's load hits both alike.
    for (const [k, size] of options.sizes.entries()) {
      const order = k % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const page = await runPage(browser, url, variant, { ...options, sizes: [size] });
        if (!out[variant]) {
          out[variant] = { ...page, results: [], errors: [], pages: [] };
          out[variant].browserVersion = browser.version();
        }
        out[variant].results.push(...page.results);
        out[variant].errors.push(...page.errors);
        out[variant].pages.push({ size, startedAt: page.startedAt, wallSeconds: page.wallSeconds, warmUpSeconds: page.warmUpSeconds });
        out[variant].finishedAt = page.finishedAt;
        writeFileSync(join(OUT, `browser-${variant}.json`), JSON.stringify(out[variant], null, 1));
      }
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (e) the table

const SIZE = Object.fromEntries(CONFIG.sizes.map((s) => [s.id, s]));

function fmt(seconds) {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds < 0.9995e-3) return `${(seconds * 1e6).toPrecision(3)} µs`;
  if (seconds < 0.9995) return `${(seconds * 1e3).toPrecision(3)} ms`;
  return `${seconds.toPrecision(3)} s`;
}

function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

function sizeTitle(id) {
  const s = SIZE[id];
  return `${s.n.toLocaleString('en')} × ${s.d}${s.label ? ` (${s.label})` : ''}`;
}

class Results {
  constructor({ native, python, browser }) {
    this.native = new Map((native?.results || []).map((r) => [`${r.group}/${r.method}/${r.size}`, r]));
    this.python = new Map((python?.sizes || []).map((s) => [s.id, s]));
    this.browser = {};
    for (const [variant, b] of Object.entries(browser || {})) {
      this.browser[variant] = new Map(b.results.filter((r) => !r.error).map((r) => [`${r.group}/${r.method}/${r.size}`, r]));
    }
  }

  nat(key) {
    return this.native.get(key)?.seconds;
  }

  wasm(key, variant = 'default') {
    return this.browser[variant]?.get(key)?.seconds;
  }

  fit(size, solver, tol, threads) {
    return this.python.get(size)?.threads[threads]?.fit.find((f) => f.solver === solver && f.tol === tol);
  }

  numpy(size, kind, threads) {
    return this.python.get(size)?.threads[threads]?.second_order[kind]?.seconds;
  }
}

function trainingTable(r, sizes) {
  const lines = [
    '| size | native train | native fit | wasm fit | wasm without SIMD fit | wasm/native | sklearn newton-cholesky 1e-10 (1 thread / 2) | sklearn/native | newton-cholesky 1e-4 (1 / 2) | lbfgs 1e-10 (1 / 2) | lbfgs 1e-4 (1 / 2) | ‖∇L‖₂ reached: native / n-c 1e-10 / lbfgs 1e-10 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const id of sizes) {
    const train = r.nat(`train/newton/${id}`);
    const fit = r.nat(`fit/unlearner/${id}`);
    const wasm = r.wasm(`fit/unlearner/${id}`);
    const scalar = r.wasm(`fit/unlearner/${id}`, 'scalar');
    const sk = (solver, tol) => {
      const one = r.fit(id, solver, tol, '1');
      const two = r.fit(id, solver, tol, 'default');
      return `${fmt(one?.seconds)} / ${fmt(two?.seconds)}`;
    };
    const nc = r.fit(id, 'newton-cholesky', 1e-10, '1')?.seconds;
    const e = (x) => (Number.isFinite(x) ? x.toExponential(1) : '–');
    const grads = `${e(r.python.get(id)?.nativeGradNorm)} / ${e(r.fit(id, 'newton-cholesky', 1e-10, '1')?.gradNorm)} / ${e(r.fit(id, 'lbfgs', 1e-10, '1')?.gradNorm)}`;
    lines.push(
      `| ${sizeTitle(id)} | ${fmt(train)} | ${fmt(fit)} | ${fmt(wasm)} | ${fmt(scalar)} | ${ratio(wasm, fit)} | ${sk('newton-cholesky', 1e-10)} | ${ratio(nc, train)} | ${sk('newton-cholesky', 1e-4)} | ${sk('lbfgs', 1e-10)} | ${sk('lbfgs', 1e-4)} | ${grads} |`,
    );
  }
  return lines.join('\n');
}

function requestTable(r, id) {
  const lines = [
    '| method | label: native | wasm | wasm without SIMD | wasm/native | point: native | wasm | wasm without SIMD | wasm/native |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const method of CONFIG.methods) {
    const cells = [];
    for (const kind of ['label', 'point']) {
      const key = `${kind}/${method}/${id}`;
      const n = r.nat(key);
      const w = r.wasm(key);
      cells.push(fmt(n), fmt(w), fmt(r.wasm(key, 'scalar')), ratio(w, n));
    }
    if (cells.every((c) => c === '–')) continue;
    lines.push(`| ${method} | ${cells.join(' | ')} |`);
  }
  const numpy = (kind, threads) => r.numpy(id, kind, threads);
  if (r.python.has(id)) {
    const row = (threads, label) => {
      const cells = [];
      for (const kind of ['label', 'point']) {
        const t = numpy(kind, threads);
        cells.push(fmt(t), '', '', `${ratio(t, r.nat(`${kind}/second_order_refresh/${id}`))} of refresh`);
      }
      return `| numpy second-order, H̃ rebuilt (${label}) | ${cells.join(' | ')} |`;
    };
    lines.push(row('1', '1 thread'), row('default', 'default threads'));
  }
  for (const method of CONFIG.featureMethods) {
    const key = `feature/${method}/${id}`;
    const n = r.nat(key);
    const w = r.wasm(key);
    if (n === undefined && w === undefined) continue;
    lines.push(`| feature (zero 1 column), ${method} | ${fmt(n)} | ${fmt(w)} | ${fmt(r.wasm(key, 'scalar'))} | ${ratio(w, n)} | | | | |`);
  }
  return lines.join('\n');
}

function partsTable(r, sizes) {
  const ops = ['margins', 'gradient', 'loss', 'hessian', 'cholesky', 'solve', 'rank_one_downdates', 'delta', 'materialise', 'clone_unlearner'];
  const have = sizes.filter((id) => ops.some((op) => r.nat(`parts/${op}/${id}`) !== undefined));
  if (!have.length) return '';
  const lines = [`| part | ${have.map(sizeTitle).join(' | ')} |`, `| --- | ${have.map(() => '---:').join(' | ')} |`];
  for (const op of ops) lines.push(`| ${op} | ${have.map((id) => fmt(r.nat(`parts/${op}/${id}`))).join(' | ')} |`);
  return lines.join('\n');
}

function targets(r, sizes) {
  const out = [];
  const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');
  if (sizes.includes('adult')) {
    for (const kind of ['label', 'point']) {
      const n = r.nat(`${kind}/second_order/adult`);
      const w = r.wasm(`${kind}/second_order/adult`);
      out.push(
        `- ${kind} request, m = 100, second-order update at Adult size: native ${fmt(n)} (target ≤ 1 ms: ${verdict(n === undefined ? undefined : n <= 1e-3)}), browser ${fmt(w)} (target ≤ 16 ms: ${verdict(w === undefined ? undefined : w <= 16e-3)}).`,
      );
    }
  }
  const faster = [];
  const slower = [];
  for (const id of sizes) {
    const t = r.nat(`train/newton/${id}`);
    const one = r.fit(id, 'newton-cholesky', 1e-10, '1')?.seconds;
    const two = r.fit(id, 'newton-cholesky', 1e-10, 'default')?.seconds;
    if (t === undefined || one === undefined) continue;
    const best = Math.min(one, two ?? Infinity);
    (t < best ? faster : slower).push(`${SIZE[id].n / 1000}k × ${SIZE[id].d}: ${fmt(t)} vs ${fmt(best)} (${ratio(best, t)})`);
  }
  if (faster.length || slower.length) {
    out.push(
      `- Native training faster than scikit-learn newton-cholesky (tol 1e-10, the faster of 1 and 2 threads): ${verdict(slower.length === 0)} — faster on ${faster.length} of ${faster.length + slower.length} sizes.` +
        (slower.length ? ` Slower: ${slower.join('; ')}.` : '') +
        (faster.length ? ` Faster: ${faster.join('; ')}.` : ''),
    );
  }
  for (const variant of Object.keys(r.browser)) {
    const ratios = [];
    for (const [key, w] of r.browser[variant]) {
      const n = r.nat(key);
      if (n !== undefined && n >= 1e-4) ratios.push({ key, x: w.seconds / n });
    }
    if (!ratios.length) continue;
    ratios.sort((a, b) => a.x - b.x);
    const within = ratios.filter((q) => q.x <= 1.5).length;
    const med = ratios[ratios.length >> 1].x;
    const worst = ratios.slice(-3).reverse().map((q) => `${q.key} ${q.x.toFixed(2)}×`);
    const fits = ratios.filter((q) => q.key.startsWith('fit/')).map((q) => `${q.key.split('/')[2]} ${q.x.toFixed(2)}×`);
    out.push(
      `- wasm (${variant}) within 1.5× of native: ${verdict(within === ratios.length)} — ${within} of ${ratios.length} operations that take ≥ 0.1 ms natively; median ratio ${med.toFixed(2)}×; worst ${worst.join(', ')}; fit: ${fits.join(', ')}.`,
    );
  }
  return out.join('\n');
}

function environment(info) {
  const lines = [
    `- Report written ${info.date} at commit ${info.commit}${info.dirty ? ' (with uncommitted changes in the work tree)' : ''}; each part's start time and commit are under Commands.`,
    `- Machine: ${info.cpu}, ${info.cores} cores, ${info.memory} GiB RAM, ${info.os}.` +
      (loads.length
        ? ` Load average (1/5/15 min) at the start ${info.loadStart}, at the end ${info.loadEnd}; per part (1 min): ${loads.join('; ')}.`
        : ' Load averages per part: under Commands.'),
    `- Rust: ${info.rustc}; ${info.cargo}; criterion 0.7, \`cargo bench\` profile = release (opt-level 3, LTO, codegen-units 1), no target-cpu flags.`,
    `- Node ${process.version}; ${info.browser || 'browser not run'}; wasm-bindgen ${info.wasmBindgen}.`,
  ];
  if (info.python) {
    const v = info.python.versions;
    const pools = info.python.threadpools.map((p) => `${p.internal_api} ${p.version || ''} (${p.num_threads} threads${p.architecture ? `, ${p.architecture} kernels` : ''})`).join(', ');
    lines.push(`- Python ${v.python}, numpy ${v.numpy}, scipy ${v.scipy}, scikit-learn ${v['scikit-learn']}, threadpoolctl ${v.threadpoolctl}; thread pools: ${pools}.`);
  }
  return lines.join('\n');
}

function report(r, options, info) {
  const sizes = options.sizes;
  const sections = [
    `Generated by \`${invocation()}\`${options.reuse ? ' (parts not run now: results of the earlier run named under Commands)' : ''}.`,
    '',
    environment(info),
    '',
    '### Targets',
    '',
    targets(r, sizes) || '(nothing measured)',
    '',
    '### Training (time to θ*, λ = 1)',
    '',
    'native train = `unlearn::train` (Newton, ‖∇L‖₂ ≤ 1e-10); native fit = `Unlearner::fit` (training plus the Cholesky factor kept for requests), which is what the browser runs (plus copying the data into wasm memory). scikit-learn: `LogisticRegression(C=1, tol, solver, max_iter=10000)`, same optimum; its tol is on the gradient of the *mean* loss (max-norm), so 1e-10 there is looser than ours by a factor ≈ n.',
    '',
    trainingTable(r, sizes),
  ];
  for (const id of sizes) {
    sections.push('', `### Requests at ${sizeTitle(id)}`, '', requestTable(r, id));
  }
  const p = partsTable(r, sizes);
  if (p) sections.push('', '### Parts (native)', '', p);
  sections.push('', '### Commands', '');
  for (const part of ['data', 'native', 'python', 'browser']) {
    const c = commands[part];
    if (!c) continue;
    sections.push(`${part} (started ${c.date} at commit ${c.commit || 'unknown'}${c.load ? `; ${c.load}` : ''}; by \`${c.invocation}\`):`, '', '```sh', ...c.lines, '```', '');
  }
  return sections.join('\n');
}

function writeBenchmarksMd(text) {
  const path = join(ROOT, 'BENCHMARKS.md');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n## Results\n\n${start}\n${end}\n`;
  if (!doc.includes(start) || !doc.includes(end)) doc += `\n## Results\n\n${start}\n${end}\n`;
  doc = `${doc.slice(0, doc.indexOf(start) + start.length)}\n${text}\n${doc.slice(doc.indexOf(end))}`;
  writeFileSync(path, doc);
  log(`wrote ${relative(ROOT, path)}`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const info = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: capture('git', ['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: capture('git', ['status', '--porcelain', '--untracked-files=no']) !== '',
    cpu: os.cpus()[0]?.model || 'unknown CPU',
    cores: os.cpus().length,
    memory: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    rustc: capture('rustc', ['--version']),
    cargo: capture('cargo', ['--version']),
    wasmBindgen: capture('wasm-bindgen', ['--version']).replace('wasm-bindgen ', ''),
    loadStart: load(),
  };
  const has = (part) => options.parts.has(part);
  log(`sizes: ${options.sizes.join(', ')}; parts: ${[...options.parts].join(', ')}`);

  if (has('data') || has('python')) {
    if (has('data') || !existsSync(join(DATA, 'manifest.json'))) writeData(options);
  }
  let native = null;
  // With --reuse, results of parts not run now come from target/bench-results/ (an earlier run).
  const earlier = (name) => (options.reuse && existsSync(join(OUT, name)) ? readJson(join(OUT, name)) : null);
  if (has('native')) native = await timedPart('native', 'native', () => runNative(options));
  else native = earlier('native.json');
  let python = null;
  if (has('python')) python = await timedPart('python', 'python', () => runPython(options));
  else python = earlier('sklearn.json');
  let browser = {};
  const variants = [has('browser') && 'default', has('scalar') && 'scalar'].filter(Boolean);
  if (variants.length) browser = await timedPart(`browser (${variants.join(', ')})`, 'browser', () => runBrowser(options, variants));
  for (const v of ['default', 'scalar']) {
    if (!browser[v] && !variants.includes(v)) browser[v] = earlier(`browser-${v}.json`) || undefined;
    if (!browser[v]) delete browser[v];
  }
  info.loadEnd = load();
  const saved = options.reuse && existsSync(join(OUT, 'commands.json')) ? readJson(join(OUT, 'commands.json')) : {};
  for (const [part, c] of Object.entries(saved)) commands[part] ??= c;
  writeFileSync(join(OUT, 'commands.json'), JSON.stringify(commands, null, 1));
  info.browser = Object.values(browser)[0]?.browserVersion ? `Chromium ${Object.values(browser)[0].browserVersion} (headless)` : '';
  info.python = python;

  const results = new Results({ native, python, browser });
  const text = report(results, options, info);
  console.log(`\n${text}\n`);
  writeFileSync(join(OUT, 'report.md'), text);
  if (options.write) writeBenchmarksMd(text);
}

main().catch((error) => {
  console.error(`\x1b[31m[unlearn]\x1b[0m ${error.message}`);
  process.exit(1);
});
