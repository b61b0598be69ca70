// The Node entry (the "node" condition of every export): instantiates the WebAssembly module
// synchronously from the file next to this one, so the API is ready as soon as it is imported.
// `init()` is exported too and returns at once, so code written for browsers runs unchanged.
import { readFileSync } from 'node:fs';
import { initSync } from './index.js';

initSync(readFileSync(new URL('./wasm/unlearn_bg.wasm', import.meta.url)));

export * from './index.js';
export { default } from './index.js';
