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
