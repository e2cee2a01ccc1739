// The process edges a command touches: output streams, stdin, environment. Injected so tests can run
// commands in-process.
export interface CommandIO {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown };
  readStdin(): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

export const processIO: CommandIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

// A reader that stops early (`| head -1`) closes the pipe. Node then reports EPIPE as an unhandled
// stream error (a stack trace, exit 1); instead the rest of the output is dropped quietly and the
// exit code stays the command's answer (0 allowed, 1 denied, ...), as if everything had been read.
// Deliberately not SIGPIPE's 141: under `set -o pipefail` that would hide a denied verdict.
const closedPipe = (e: NodeJS.ErrnoException): void => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
};

/** Installs the closed-pipe handling on stdout and stderr (once per process, before any output). */
export function guardPipes(): void {
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
}
