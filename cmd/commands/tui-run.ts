// The tui command's work, loaded only when it runs: pick the source (files or live), then ink.
import { CliError, ExitCode } from '../../src/errors.js';
import { colorEnabled } from '../../src/render/style.js';
import type { CommandIO } from '../io.js';
import type { TuiArgs } from './tui.js';

export async function runTui(args: TuiArgs, io: CommandIO): Promise<number> {
  if (!process.stdin.isTTY || io.stdout.isTTY !== true) {
    throw new CliError('kubectl netpol tui needs a terminal (stdin and stdout)', 'for scripts use explain, matrix or check, which print plain text or -o json', ExitCode.usage);
  }
  if (args.filename?.includes('-')) throw new CliError('kubectl netpol tui cannot read manifests from stdin: the terminal is its keyboard', 'give files or directories with -f', ExitCode.usage);
  const { filesSource } = await import('../../src/tui/source.js');
  const source =
    args.filename && args.filename.length > 0
      ? await filesSource(args.filename, args.namespace ?? 'default', io)
      : await (await import('../../src/tui/live-source.js')).liveSource(args, io);
  const { runApp } = await import('../../src/tui/run.js');
  try {
    await runApp(source, colorEnabled(args.color, true, io.env));
  } finally {
    source.close();
  }
  return ExitCode.ok;
}
