// Shared by the package tests: pack the npm package, install the tarball into fresh folders the
// way a user would, serve a built app, and open it in headless Chromium.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';

export { ROOT };
export const TIMEOUT = 240_000;

/**
 * The environment for child processes: without the variables `npm test` sets for its own
 * package (npm would otherwise treat the repository as the project to install into).
 */
function childEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$)/.test(key) || key === 'INIT_CWD') {
      delete env[key];
    }
  }
  return env;
}

/** Runs a command; returns its stdout, or throws with everything it printed. */
export function run(cmd, args, { cwd = ROOT, timeout = TIMEOUT } = {}) {
  const result = spawnSync(cmd, args, { cwd, env: childEnv(), encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed (${why})\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Builds and packs the package with scripts/pack.mjs; returns the tarball's path. */
export function packPackage() {
  const out = run(process.execPath, [join(ROOT, 'scripts', 'pack.mjs')]);
  const tarball = out.trim().split('\n').at(-1);
  if (!tarball.endsWith('.tgz')) throw new Error(`scripts/pack.mjs printed no tarball path:\n${out}`);
  return tarball;
}

/**
 * Copies an example (or any folder with a package.json) to `dest`, points its `unlearn`
 * dependency at the tarball, adds `extra` dependencies, and runs `npm install` there.
 */
export function installApp(source, dest, tarball, extra = {}) {
  cpSync(source, dest, {
    recursive: true,
    filter: (path) => !/(^|[/\\])(node_modules|dist|package-lock\.json)$/.test(path),
  });
  const manifestPath = join(dest, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, unlearn: `file:${tarball}`, ...extra };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dest });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Serves the files under `root` on 127.0.0.1 and a free port. Returns {url, close}. */
export async function serveStatic(root) {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = resolve(base, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (relative(base, file).startsWith('..') || !file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) };
}

/** Deep check that `value` holds no BigInt anywhere. Returns the path of the first one, or null. */
export function findBigInt(value, path = '$') {
  if (typeof value === 'bigint') return path;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = findBigInt(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** Asserts two JSON-like values are equal, numbers to `tolerance` (relative, at least absolute). */
export function assertNearlyEqual(actual, expected, tolerance = 1e-12, path = '$') {
  if (typeof expected === 'number') {
    const ok = typeof actual === 'number' && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
    if (!ok) throw new Error(`${path}: got ${actual}, expected ${expected}`);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected) throw new Error(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    return;
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual) !== Array.isArray(expected)) {
    throw new Error(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) assertNearlyEqual(actual[key], expected[key], tolerance, `${path}.${key}`);
}
