// The check command's work, loaded only when the command runs (keeps --help fast).
import { readFile } from 'node:fs/promises';
import { parseFlows } from '../../src/check/flows.js';
import { checkFlows } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { checkData, renderCheckJUnit, renderCheckText, shellQuote } from '../../src/render/check-output.js';
import { serialise } from '../../src/render/format.js';
import { suggestForExplain } from '../../src/suggest/explain.js';
import type { SuggestResult } from '../../src/suggest/suggest.js';
import type { Verdict } from '../../src/engine/trace.js';
import type { CommandIO } from '../io.js';
import { indexForSuggestions, loadForCommand, styleFor, writeLimitations } from './shared.js';
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
  // `check -f examples/shop examples/shop/flows.yaml`: the flows file is not read as a manifest.
  const loaded = await loadForCommand(args, io, { endpoints, ...(args.flows !== '-' ? { skipFiles: [args.flows] } : {}) });
  const results = checkFlows(flows, loaded.namespace, loaded.index);
  // Limitations qualify the answer in every format; on stderr they leave the data on stdout intact.
  writeLimitations(loaded.state, io, styleFor(args, io));
  // A failing flow names the explain command to run next, with the same sources as this one.
  // Flows expected allowed but denied get a verified fix (the same code as explain's fix lines).
  const suggestions = new Map<Verdict, SuggestResult>();
  const failing = results.filter((r) => !r.pass && r.allowed === false && r.result);
  if (failing.length > 0) {
    const idx = await indexForSuggestions(args, io, loaded, { endpoints });
    if (idx) for (const r of failing) for (const [v, s] of suggestForExplain(r.result!, idx)) suggestions.set(v, s);
  }
  const opts = { explainArgs: sourceArgs(args), suggestions };
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(checkData(results, suggestions), args.output));
  else if (args.output === 'junit') io.stdout.write(renderCheckJUnit(results, undefined, opts));
  else io.stdout.write(renderCheckText(results, styleFor(args, io), opts));
  return results.every((r) => r.pass) ? ExitCode.ok : ExitCode.denied;
}

/** The flags that chose the cluster and namespace, as the user gave them (shell-quoted). */
function sourceArgs(args: CheckArgs): string[] {
  const out: string[] = [];
  for (const f of args.filename ?? []) out.push('-f', shellQuote(f));
  if (args.namespace) out.push('-n', shellQuote(args.namespace));
  for (const flag of ['kubeconfig', 'context', 'cluster', 'user'] as const) {
    const v = args[flag];
    if (v) out.push(`--${flag}`, shellQuote(v));
  }
  return out;
}
