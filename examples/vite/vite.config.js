import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name) => fileURLToPath(new URL(name, import.meta.url));

// Nothing is needed for the package itself: `vite build` emits its .wasm as an asset and rewrites
// `new URL('./wasm/unlearn_bg.wasm', import.meta.url)`, and `vite dev` serves it from node_modules.
export default defineConfig({
  // Relative asset URLs: the built app works from any folder of any static server.
  base: './',
  build: {
    // Two pages: index.html calls `await init()`; auto.html imports 'unlearn/auto'.
    rolldownOptions: { input: { main: page('./index.html'), auto: page('./auto.html') } },
  },
});
