#!/usr/bin/env node
// Runs a command (e.g. `vitest run`) with NODE_EXTRA_CA_CERTS pointing at the test CA.
//
// Why a wrapper: the HTTPS simulators (src/sim/entra) are reached by MSAL and graph-client, which
// trust only Node's store, and Node reads NODE_EXTRA_CA_CERTS once at process start. So the CA
// must exist and the variable must be set before the test runner (and its workers) start.
//
// Usage: node scripts/with-test-ca.js vitest run [args...]
// The CA lives in .test-ca/ (ca.pem, ca-key.pem) and is created on first use; set TEST_CA_DIR to
// move it. Simulators find it again through NODE_EXTRA_CA_CERTS.
/* global process, console -- Node globals; eslint's JS config here has no Node environment */
import { spawn } from 'node:child_process';
import { delimiter, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-test-ca.js <command> [args...]');
  process.exit(2);
}

const dir = resolve(process.env.TEST_CA_DIR ?? '.test-ca');
const { ensureTestCa } = await tsImport('../src/sim/tls/test-ca.ts', import.meta.url);
const { caPath } = ensureTestCa(dir);

// Like npm scripts, find local binaries (vitest) first, also when run by hand.
const bin = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin');
const child = spawn(command, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_EXTRA_CA_CERTS: caPath,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
  },
  // npm puts node_modules/.bin on PATH; Windows needs a shell to run its .cmd shims.
  shell: process.platform === 'win32',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', error => {
  console.error(`could not start ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
