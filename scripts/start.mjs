// `npm start`: install what is missing, build the wasm, serve the demo on localhost.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, buildWasm, ensureAll, log } from './toolchain.mjs';

ensureAll();
buildWasm();
log('starting the demo server (Ctrl+C to stop)');
const vite = spawn(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), '--host', '127.0.0.1'], {
  cwd: ROOT,
  stdio: 'inherit',
});
vite.on('exit', (code) => process.exit(code ?? 0));
// Stop the server with this script, however it is stopped.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => vite.kill(signal));
}
