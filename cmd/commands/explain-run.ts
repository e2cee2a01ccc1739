// The explain command's work, loaded only when the command runs (keeps --help fast).
import { explain } from '../../src/engine/index.js';
import { ExitCode } from '../../src/errors.js';
import { explainData } from '../../src/render/data.js';
import { renderExplainText } from '../../src/render/explain-text.js';
import { serialise } from '../../src/render/format.js';
import { suggestionsData } from '../../src/render/suggest-data.js';
import type { CommandIO } from '../io.js';
import { indexForSuggestions, loadForCommand, parsePortArg, styleFor, writeLimitations } from './shared.js';
import type { ExplainArgs } from './explain.js';

export async function runExplain(args: ExplainArgs, io: CommandIO): Promise<number> {
  const loaded = await loadForCommand(args, io, { endpoints: [args.from, args.to] });
  const port = parsePortArg(args.port, '--port');
  const result = explain({ from: args.from, to: args.to, ...(port !== undefined ? { port } : {}), ...(args.protocol ? { protocol: args.protocol } : {}), namespace: loaded.namespace }, loaded.index);
  // Limitations always go to stderr (as for matrix and check); -o json/yaml also carries them as data.
  writeLimitations(loaded.state, io, styleFor(args, io));
  // Fix lines and --suggest come from verified suggestions only (each re-runs the engine on the patched state).
  // Only denied paths have fixes; a live explain read just the two ends, so fixes need the whole cluster.
  const fixIndex = result.allowed ? undefined : await indexForSuggestions(args, io, loaded, { endpoints: [args.from, args.to] });
  // Loaded only for a denied path (the suggester and the diff engine it verifies with are a third of the command's code).
  const suggestions = fixIndex ? (await import('../../src/suggest/explain.js')).suggestForExplain(result, fixIndex) : new Map();
  if (args.output === 'json' || args.output === 'yaml') {
    io.stdout.write(serialise({ ...explainData(result, loaded.state.limitations ?? [], suggestions), ...(args.suggest ? { suggestions: suggestionsData(result, suggestions) } : {}) }, args.output));
  } else {
    io.stdout.write(renderExplainText(result, { style: styleFor(args, io), verbose: args.verbose ?? false, suggestions, showSuggestions: args.suggest ?? false }));
  }
  return result.allowed ? ExitCode.ok : ExitCode.denied;
}
