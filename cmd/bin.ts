#!/usr/bin/env node
// Executable stub: turn on Node's on-disk compile cache before the CLI's code is loaded, so every
// start after the first skips compiling it (kubectl users feel start-up time on every call).
import module from 'node:module';

// A reader that stops early (`| head -1`) closes the pipe. Node then reports EPIPE as an unhandled
// stream error (a stack trace, exit 1); instead the rest of the output is dropped quietly and the
// exit code stays the command's answer (0 allowed, 1 denied, ...), as if everything had been read.
// Deliberately not SIGPIPE's 141: under `set -o pipefail` that would hide a denied verdict.
const closedPipe = (e: NodeJS.ErrnoException): void => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
};
process.stdout.on('error', closedPipe);
process.stderr.on('error', closedPipe);

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { main } = await import('./kubectl-netpol.js');
process.exitCode = await main(process.argv.slice(2));
