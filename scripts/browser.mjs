// Shared by the browser tests and the screenshot script: serve dist/ with Vite's preview server (or
// www/ with the development server that `npm start` runs)
// on a free localhost port, and launch the system Chromium with playwright-core.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createServer, preview } from 'vite';
import { CHROMIUM, ROOT } from './toolchain.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Fails with a useful message unless `npm run build` has produced dist/. */
export function requireBuild() {
  const index = join(ROOT, 'dist', 'index.html');
  if (!existsSync(index)) {
    throw new Error('dist/index.html is missing: run `npm run build` first.');
  }
}

/** Starts `vite preview` for dist/ on 127.0.0.1 and a free port. Returns {url, close}. */
export async function startPreview() {
  requireBuild();
  const server = await preview({
    root: join(ROOT, 'www'),
    configFile: join(ROOT, 'vite.config.js'),
    logLevel: 'silent',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not start listening');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

/** Starts the development server (`npm start`'s) on 127.0.0.1 and a free port. Returns {url, close}. */
export async function startDevServer() {
  const server = await createServer({
    root: join(ROOT, 'www'),
    configFile: join(ROOT, 'vite.config.js'),
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  await server.listen();
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the vite dev server did not start listening');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

export function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH to another binary)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
