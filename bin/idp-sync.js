#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx's loader, so `npx idp-sync` works right after
// `npm install` in a fresh clone, with no build step in between.
import process from 'node:process';

import { register } from 'tsx/esm/api';

register();
const { applyHeapGrowth } = await import('../src/cli/heap-growth.ts');
applyHeapGrowth(process.env);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
