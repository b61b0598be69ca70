// `npm run build`: the wasm package and the static demo site in dist/.
import { join } from 'node:path';
import { ROOT, buildWasm, ensureAll, run } from './toolchain.mjs';

ensureAll();
buildWasm();
run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn']);
