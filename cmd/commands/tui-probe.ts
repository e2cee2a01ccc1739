// The TUI's P key on a live cluster: `kubectl netpol probe`'s engine for one path, its progress lines
// and warnings routed to the probe screen instead of the terminal the TUI draws on.
import { CliError } from '../../src/errors.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import type { ProbeQuestion, TuiProber } from '../../src/tui/probe.js';
import type { LiveTuiSource } from '../../src/tui/live-source.js';
import type { CommandIO } from '../io.js';
import { probeRequests, type ProbeSession } from './probe-run.js';
import type { TuiArgs } from './tui.js';

/** A CommandIO whose stderr lines go to `onLine` (no progress UI: the TUI owns the terminal). */
const screenIO = (io: CommandIO, onLine: (line: string) => void): CommandIO => ({
  stdout: { write: () => true },
  stderr: { write: (s: string) => (s.split('\n').filter((l) => l.trim() !== '').forEach((l) => onLine(l)), true) },
  env: { ...io.env, NETPOL_NO_PROGRESS: '1' },
  readStdin: async () => '',
});

/** The run-shaping probe flags, fixed for one path from the screen: one source pod, compared with the model. */
const ONE_PATH = { concurrency: 1, 'max-connections': 16, 'observed-only': false, 'all-pods': false, 'dry-run': false } as const;

export function tuiProber(args: TuiArgs, io: CommandIO, source: LiveTuiSource): TuiProber {
  return {
    async run(q: ProbeQuestion, index, namespace, onLine, cancel): Promise<readonly ProbeOutcome[]> {
      const quiet = screenIO(io, onLine);
      const live = await import('../../src/sources/live/source.js');
      const { toCliError } = await import('../../src/sources/live/errors.js');
      // Its own connection: the probe's writes never wait behind the watches.
      const { client, errors } = await live.openClient(args, quiet);
      const session: ProbeSession = { client, index, namespace, cni: source.cni(), kubectlFlags: live.kubectlFlags(args), mapError: async (e) => toCliError(e, errors) };
      try {
        const run = await probeRequests(session, [{ from: q.from, to: q.to, ports: [q.port], protocol: q.protocol }], { ...args, ...ONE_PATH }, quiet, 'throw', cancel);
        if (run === 'dry-run') return [];
        return run.outcomes;
      } catch (e) {
        const err = toCliError(e, errors) as Error & { hint?: string };
        const lines = [err.message, ...(err.hint ? [err.hint] : []), ...(err instanceof CliError ? err.details : [])];
        throw new Error(lines.join('\n'));
      } finally {
        client.close();
      }
    },
  };
}
