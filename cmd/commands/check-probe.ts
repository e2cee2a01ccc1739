// check --probe FLOWS_FILE: the static check of every flow, then each flow's connection for real,
// compared with the model. Exit 0 only when every flow passes the check and every probe matches.
import { checkFlows, type Flow } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { renderCheckText } from '../../src/render/check-output.js';
import type { CommandIO } from '../io.js';
import type { CheckArgs } from './check.js';
import { probeExitCode, probeRequests, probeSession, probeSettings, writeResults } from './probe-run.js';
import { styleFor } from './shared.js';

export async function runCheckProbe(args: CheckArgs, io: CommandIO, flows: readonly Flow[]): Promise<number> {
  if (args.filename && args.filename.length > 0)
    throw new CliError('check --probe opens real connections and needs a live cluster; -f reads manifests only', 'drop -f (the live cluster is read for the static check too), or drop --probe', ExitCode.usage);
  probeSettings(args);
  const session = await probeSession(args, io, { endpoints: flows.flatMap((f) => [f.from, f.to]) });
  try {
    const results = checkFlows(flows, session.namespace, session.index);
    const requests = flows.map((f) => ({ from: f.from, to: f.to, ports: f.port !== undefined ? [f.port] : [], ...(f.protocol ? { protocol: f.protocol } : {}) }));
    const run = await probeRequests(session, requests, args, io, 'record');
    if (run === 'dry-run') return ExitCode.ok;
    const names = flows.map((f, i) => f.name ?? `#${i + 1}`);
    if (args.output === 'text' || args.output === undefined) {
      io.stdout.write(renderCheckText(results, styleFor(args, io)));
      io.stdout.write('\nprobe:\n');
    }
    writeResults(run.outcomes, run.runInfo, args, io, names);
    const probeCode = probeExitCode(run.outcomes, args['observed-only'] === true, run.signal);
    if (probeCode !== ExitCode.ok) return probeCode;
    return results.every((r) => r.pass) ? ExitCode.ok : ExitCode.denied;
  } catch (e) {
    throw await session.mapError(e);
  } finally {
    session.client.close();
  }
}
