// `kubectl netpol __complete WORDS...`: the completion spec comes from the yargs parser itself
// (commands, descriptions, flags, choices), so every command and flag is completed without a list
// to keep in sync; cluster names are looked up within a deadline.
import yargs, { type Argv } from 'yargs';
import { complete, formatCompletion, withNames, type CommandSpec, type CompletionSpec, type FlagSpec, type ValueKind } from '../../src/complete/complete.js';
import type { CommandIO } from '../io.js';

/** Positional names in the command usages (`explain <from> <to>`) and what they hold. */
const POSITIONAL_KINDS: Record<string, ValueKind> = { from: 'pod-ref', to: 'pod-ref', flows: 'file', shell: 'shell', file: 'file' };

interface Handler {
  original: string;
  description: string | false;
  builder: ((y: Argv) => unknown) | Record<string, unknown>;
  demanded: { cmd: string[] }[];
  optional: { cmd: string[] }[];
}
interface YargsInternals {
  getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, Handler> }; getUsageInstance(): { getDescriptions(): Record<string, string | undefined> } };
  getOptions(): { key: Record<string, boolean>; alias: Record<string, string[]>; boolean: string[]; count: string[]; choices: Record<string, string[]>; hiddenOptions: string[] };
}

function flagsOf(y: Argv): FlagSpec[] {
  const internals = y as unknown as YargsInternals;
  const o = internals.getOptions();
  const descriptions = internals.getInternalMethods().getUsageInstance().getDescriptions();
  const aliases = new Set(Object.values(o.alias).flat());
  const noValue = new Set([...o.boolean, ...o.count]);
  const hidden = new Set(o.hiddenOptions);
  // The command's own flags first, then --help/--version (yargs declares those first).
  const generic = (k: string) => (k === 'help' || k === 'version' ? 1 : 0);
  return Object.keys(o.key)
    .filter((k) => !aliases.has(k) && !hidden.has(k) && !k.startsWith('$'))
    .sort((a, b) => generic(a) - generic(b))
    .map((k) => {
      const d = descriptions[k]?.replace(/^__yargsString__:/, '');
      return { names: [k, ...(o.alias[k] ?? [])], takesValue: !noValue.has(k), ...(o.choices[k] ? { choices: o.choices[k] } : {}), ...(d ? { describe: d } : {}) };
    });
}

/** Reads the spec from the parser main() built. */
export function specFromParser(parser: Argv): CompletionSpec {
  const handlers = (parser as unknown as YargsInternals).getInternalMethods().getCommandInstance().getCommandHandlers();
  const commands: CommandSpec[] = [];
  for (const [name, h] of Object.entries(handlers)) {
    if (h.description === false) continue; // hidden (__complete)
    const sub = yargs().help(true).version(false);
    if (typeof h.builder === 'function') h.builder(sub);
    commands.push({ name, describe: h.description, flags: flagsOf(sub), positionals: [...h.demanded, ...h.optional].map((p) => POSITIONAL_KINDS[p.cmd[0]!] ?? 'file') });
  }
  return { commands, globalFlags: flagsOf(yargs().help(true).version('x')) };
}

export async function runComplete(words: string[], parser: Argv, io: CommandIO): Promise<number> {
  const c = complete(specFromParser(parser), words.length > 0 ? words : ['']);
  let out = c;
  if (c.lookup) {
    const { lookupNames } = await import('../../src/complete/lookup.js');
    const { names, namespaces } = await lookupNames(c.lookup, c.kubeFlags, io.env);
    out = withNames(c, names, namespaces);
  }
  io.stdout.write(formatCompletion(out));
  return 0;
}
