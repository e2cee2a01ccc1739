// Runs the CLI in-process with captured streams, as a user would see it.
import { main } from '../../cmd/kubectl-netpol.js';
import type { CommandIO } from '../../cmd/io.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    env: opts.env ?? {},
    readStdin: async () => opts.stdin ?? '',
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export const ex = (name: string) => `examples/${name}/manifests`;
