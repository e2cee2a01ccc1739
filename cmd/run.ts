// The CLI as the executables start it: arguments from the process, exit code to the process.
import { main } from './kubectl-netpol.js';

// A reader that stops early (`| head -1`) closes the pipe. Node then reports EPIPE as an unhandled
// stream error (a stack trace, exit 1); instead the rest of the output is dropped quietly and the
// exit code stays the command's answer (0 allowed, 1 denied, ...), as if everything had been read.
// Deliberately not SIGPIPE's 141: under `set -o pipefail` that would hide a denied verdict.
const closedPipe = (e: NodeJS.ErrnoException): void => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
};

export async function run(): Promise<void> {
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
  process.exitCode = await main(process.argv.slice(2));
}
