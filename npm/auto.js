// The entry that initialises itself: top-level await loads the WebAssembly module from next to
// this file (bundlers rewrite the URL to the emitted asset), then the API is re-exported, ready.
import { init } from './index.js';

await init();

export * from './index.js';
export { default } from './index.js';
