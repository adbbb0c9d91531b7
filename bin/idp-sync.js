#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader, so `npx idp-sync` works right after
// `npm install` in a fresh clone, with no build step in between.
import process from 'node:process';

import { register } from 'tsx/esm/api';

// `idp-sync status | head`: once the reader has gone, further output is dropped instead of
// crashing with EPIPE; the command itself (a sync mid-apply, say) runs to its end.
process.stdout.on('error', error => {
  if (error.code !== 'EPIPE') {
    throw error;
  }
});

register();
const { applyHeapGrowth } = await import('../src/cli/heap-growth.ts');
applyHeapGrowth(process.env);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
