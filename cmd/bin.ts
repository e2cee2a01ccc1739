#!/usr/bin/env node
// Executable stub: turn on Node's on-disk compile cache before the CLI's code is loaded, so every
// start after the first skips compiling it (kubectl users feel start-up time on every call).
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import('./kubectl-netpol.js');
process.exitCode = await main(process.argv.slice(2));
