// `npm test`: every test, from a fresh clone. Installs what is missing first (npm packages,
// the wasm32 target, the matching wasm-bindgen CLI, Chromium), then runs, in order:
// formatting and lints, native Rust tests (reference fixtures, properties, errors, doc tests),
// the binding tests under wasm in Node, the production build, and the headless-browser tests.
import { join } from 'node:path';
import { ROOT, buildWasm, ensureAll, log, run } from './toolchain.mjs';

const WASM = ['--target', 'wasm32-unknown-unknown'];
const steps = [
  ['rustfmt', () => run('cargo', ['fmt', '--check'])],
  ['clippy (native)', () => run('cargo', ['clippy', '--all-targets', '--', '-D', 'warnings'])],
  ['clippy (wasm32)', () => run('cargo', ['clippy', ...WASM, '--lib', '--test', 'web', '--', '-D', 'warnings'])],
  ['Rust tests (native)', () => run('cargo', ['test'])],
  ['binding tests (wasm32 in Node)', () => run('cargo', ['test', ...WASM, '--test', 'web'])],
  ['build (wasm + demo)', () => {
    buildWasm();
    run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
  }],
  ['browser tests (headless Chromium)', () => run(process.execPath, ['--test', 'tests/browser/'])],
  ['npm package (Node and Vite examples)', () => run(process.execPath, ['--test', 'tests/npm/'])],
];

ensureAll({ browser: true });
const started = Date.now();
for (const [name, step] of steps) {
  log(`▶ ${name}`);
  const t = Date.now();
  step();
  log(`✔ ${name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}
log(`all tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
