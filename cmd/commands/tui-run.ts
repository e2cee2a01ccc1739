// The tui command's work, loaded only when it runs: pick the source (files or live), then ink.
import { CliError, ExitCode } from '../../src/errors.js';
import { colorEnabled } from '../../src/render/style.js';
import type { CommandIO } from '../io.js';
import type { TuiProber } from '../../src/tui/probe.js';
import type { TuiSource } from '../../src/tui/source.js';
import type { TuiArgs } from './tui.js';

export async function runTui(args: TuiArgs, io: CommandIO): Promise<number> {
  if (!process.stdin.isTTY || io.stdout.isTTY !== true) {
    throw new CliError('kubectl netpol tui needs a terminal (stdin and stdout)', 'for scripts use explain, matrix or check, which print plain text or -o json', ExitCode.usage);
  }
  if (args.filename?.includes('-')) throw new CliError('kubectl netpol tui cannot read manifests from stdin: the terminal is its keyboard', 'give files or directories with -f', ExitCode.usage);
  const { filesSource } = await import('../../src/tui/source.js');
  let prober: TuiProber | undefined;
  let source: TuiSource;
  if (args.filename && args.filename.length > 0) source = await filesSource(args.filename, args.namespace ?? 'default', io);
  else {
    // The probe flags (for P) are checked before anything connects, as probe itself does.
    (await import('./probe-run.js')).probeSettings({ ...args, concurrency: 1, 'max-connections': 16 });
    const live = await (await import('../../src/tui/live-source.js')).liveSource(args, io);
    prober = (await import('./tui-probe.js')).tuiProber(args, io, live);
    source = live;
  }
  const { runApp } = await import('../../src/tui/run.js');
  const { openingScreens } = await import('../../src/tui/state.js');
  try {
    // -n opens that namespace (Esc goes to the list); it must exist in the data.
    const ns = args.namespace;
    if (ns !== undefined && !source.snapshot().index.state.namespaces.some((n) => n.name === ns) && source.snapshot().index.podsIn(ns).length === 0)
      throw new CliError(`namespace ${ns} is not in the ${source.mode === 'live' ? 'cluster' : 'manifests'}`, 'drop -n to start on the list of namespaces', ExitCode.input);
    await runApp(source, colorEnabled(args.color, true, io.env), openingScreens(ns), prober);
  } finally {
    source.close();
  }
  return ExitCode.ok;
}
