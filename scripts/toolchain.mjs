// Installs what a fresh machine lacks and builds the wasm package. Node built-ins only, so it
// runs before `npm ci`. Each step checks first and is skipped when already satisfied.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WASM_TARGET = 'wasm32-unknown-unknown';

export function log(message) {
  console.log(`\x1b[36m[unlearn]\x1b[0m ${message}`);
}

/** Runs a command with inherited output; throws with the command line if it fails. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${why})`);
  }
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export function ensureWasmTarget() {
  if (output('rustup', ['target', 'list', '--installed']).split('\n').includes(WASM_TARGET)) return;
  log(`adding the ${WASM_TARGET} Rust target`);
  run('rustup', ['target', 'add', WASM_TARGET]);
}

/** The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly. */
export function wasmBindgenVersion() {
  const lock = readFileSync(join(ROOT, 'Cargo.lock'), 'utf8');
  const match = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!match) throw new Error('Cargo.lock does not pin wasm-bindgen; run `cargo generate-lockfile`');
  return match[1];
}

export function ensureWasmBindgen() {
  const version = wasmBindgenVersion();
  if (output('wasm-bindgen', ['--version']).trim() === `wasm-bindgen ${version}`) return;
  log(`installing wasm-bindgen-cli ${version} (takes a few minutes, once)`);
  // No --locked: the CLI's own lock file may name versions the registry mirror lacks.
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', `=${version}`]);
}

/** Debian's Chromium for the browser tests; test tools' own browser downloads fail offline. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  log('installing Chromium (apt-get)');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
  apt(['update', '-q']);
  apt(['install', '-y', '-q', 'chromium']);
}

/** Compiles the crate for wasm32 and writes the JS bindings to www/pkg (ES module, --target web). */
export function buildWasm() {
  log('building the wasm package (cargo build --release --target wasm32-unknown-unknown)');
  run('cargo', ['build', '--release', '--lib', '--target', WASM_TARGET]);
  run('wasm-bindgen', [
    '--target', 'web',
    '--out-dir', join('www', 'pkg'),
    join('target', WASM_TARGET, 'release', 'unlearn.wasm'),
  ]);
  dropUrlComments(join(ROOT, 'www', 'pkg', 'unlearn.js'));
  guardFreedObjects(join(ROOT, 'www', 'pkg', 'unlearn.js'));
}

/**
 * A method called on an object after free() reaches Rust with a null pointer, which wasm-bindgen
 * reports as "null pointer passed to rust". Each method of the generated glue first asks live(),
 * which names the class, the method and the fix instead.
 */
function guardFreedObjects(file) {
  const text = readFileSync(file, 'utf8');
  const guarded = text.replace(/wasm\.([a-z]+)_(\w+)\(this\.__wbg_ptr/g, (_, cls, method) => {
    const name = cls.charAt(0).toUpperCase() + cls.slice(1);
    return `wasm.${cls}_${method}(live(this, '${name}.${method}')`;
  });
  if (guarded === text) throw new Error(`${file}: no method calls found to guard; has the glue changed?`);
  const live = [
    '/** The object\'s pointer into wasm memory, or a clear error once free() has released it. */',
    'function live(object, what) {',
    '    if (object.__wbg_ptr === 0) {',
    '        throw new Error(`${what}: this object was freed (free() was called on it); create a new one`);',
    '    }',
    '    return object.__wbg_ptr;',
    '}',
    '',
  ].join('\n');
  // free() twice is harmless, as for the npm layer's models.
  const idempotent = guarded.replace(/const ptr = this\.__destroy_into_raw\(\);\n/g, (line) => `${line}        if (ptr === 0) return;\n`);
  const firstClass = idempotent.indexOf('export class ');
  writeFileSync(file, idempotent.slice(0, firstClass) + live + idempotent.slice(firstClass));
}

/**
 * Removes the comment lines of wasm-bindgen's generated glue that cite web pages (e.g. MDN): the
 * page names no host but its own, down to its comments (see tests/browser/privacy.test.mjs).
 */
function dropUrlComments(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const kept = lines.filter((line) => !/^\s*\/\/.*https?:\/\//.test(line));
  if (kept.length !== lines.length) writeFileSync(file, kept.join('\n'));
}

export function ensureAll({ browser = false } = {}) {
  ensureNodeModules();
  ensureWasmTarget();
  ensureWasmBindgen();
  if (browser) ensureChromium();
}
