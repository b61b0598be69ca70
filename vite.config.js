import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name) => fileURLToPath(new URL(`./www/${name}`, import.meta.url));

// The demo lives in www/; `vite build` writes a static site to dist/ that works offline.
export default defineConfig({
  root: 'www',
  base: './',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset is a file of the page's own origin: the Content-Security-Policy allows fonts
    // (KaTeX's) and images from 'self' only, not as data: URLs.
    assetsInlineLimit: 0,
    // Two pages: the demo and the benchmark page (bench.html, see BENCHMARKS.md).
    rolldownOptions: { input: { main: page('index.html'), bench: page('bench.html') } },
  },
  // The computing worker (www/worker.js) is an ES module that imports the wasm package.
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173 },
});
