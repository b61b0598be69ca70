import { defineConfig } from 'vite';

// The demo lives in www/; `vite build` writes a static site to dist/ that works offline.
export default defineConfig({
  root: 'www',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  server: { port: 5173 },
  preview: { port: 4173 },
});
