// The check command's work, loaded only when the command runs (keeps --help fast).
import { readFile } from 'node:fs/promises';
import { parseFlows } from '../../src/cluster/flows.js';
import { checkFlows } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { checkData, renderCheckJUnit, renderCheckText } from '../../src/render/check-output.js';
import { serialise } from '../../src/render/format.js';
import type { CommandIO } from '../io.js';
import { loadForCommand, styleFor, writeLimitations } from './shared.js';
import type { CheckArgs } from './check.js';

export async function runCheck(args: CheckArgs, io: CommandIO): Promise<number> {
  if (args.flows === '-' && (args.filename ?? []).includes('-')) throw new CliError('stdin can feed either the flows file or -f, not both', undefined, ExitCode.usage);
  let text: string;
  try {
    text = args.flows === '-' ? await io.readStdin() : await readFile(args.flows, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read flows file ${args.flows}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'pass the path of a YAML or JSON file', ExitCode.input);
  }
  const flows = parseFlows(text, args.flows);
  const endpoints = flows.flatMap((f) => [f.from, f.to]);
  const loaded = await loadForCommand(args, io, { endpoints });
  const results = checkFlows(flows, loaded.namespace, loaded.index);
  // Limitations qualify the answer in every format; on stderr they leave the data on stdout intact.
  writeLimitations(loaded.state, io, styleFor(args, io));
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(checkData(results), args.output));
  else if (args.output === 'junit') io.stdout.write(renderCheckJUnit(results));
  else io.stdout.write(renderCheckText(results, styleFor(args, io)));
  return results.every((r) => r.pass) ? ExitCode.ok : ExitCode.denied;
}
