// The `/` filter and the `:` command line of the TUI, parsed into plain values (pure).
import type { LabelSelector, LabelSelectorRequirement, Labels } from '../engine/model.js';
import { selectorMatches } from '../engine/labels.js';

/** A parsed `/` filter: words match names (case-insensitive substring), `-l` a label selector. */
export interface Filter {
  readonly text: string;
  readonly words: readonly string[];
  readonly selector?: LabelSelector;
  /** Set when the filter cannot be read; the view shows it instead of filtering. */
  readonly error?: string;
}

/**
 * `-l` takes kubectl's equality and set-less syntax: `k=v`, `k==v`, `k!=v`, `k` (exists), `!k`
 * (does not exist), comma-separated and ANDed. `-l=k=v` and `--selector k=v` work as in kubectl.
 */
export function parseSelector(text: string): LabelSelector | string {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    let m: RegExpMatchArray | null;
    // Label keys: [prefix/]name; values: alphanumerics, '-', '_', '.' (may be empty).
    if ((m = part.match(/^([\w./-]+)\s*!=\s*([\w.-]*)$/))) matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    else if ((m = part.match(/^([\w./-]+)\s*==?\s*([\w.-]*)$/))) matchLabels[m[1]!] = m[2]!;
    else if ((m = part.match(/^!([\w./-]+)$/))) matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    else if ((m = part.match(/^([\w./-]+)$/))) matchExpressions.push({ key: m[1]!, operator: 'Exists' });
    else return `cannot read "${part}" in -l: use key=value, key!=value, key or !key`;
  }
  return { matchLabels, matchExpressions };
}

export function parseFilter(text: string): Filter {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  const words: string[] = [];
  let selector: LabelSelector | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let sel: string | undefined;
    if (t === '-l' || t === '--selector') {
      sel = tokens[++i];
      if (sel === undefined) return { text, words, error: `${t} needs a selector, e.g. -l app=web` };
    } else if (t.startsWith('-l=') || t.startsWith('--selector=')) sel = t.slice(t.indexOf('=') + 1);
    else if (t.startsWith('-l') && t.length > 2) sel = t.slice(2);
    if (sel === undefined) {
      words.push(t.toLowerCase());
      continue;
    }
    const parsed = parseSelector(sel);
    if (typeof parsed === 'string') return { text, words, error: parsed };
    selector = selector
      ? { matchLabels: { ...selector.matchLabels, ...parsed.matchLabels }, matchExpressions: [...(selector.matchExpressions ?? []), ...(parsed.matchExpressions ?? [])] }
      : parsed;
  }
  return { text, words, ...(selector ? { selector } : {}) };
}

export const NO_FILTER: Filter = { text: '', words: [] };

/** Does an item (its name, and labels when it has them) pass the filter? */
export function filterMatches(f: Filter, name: string, labels: Labels | undefined): boolean {
  if (f.error) return true;
  const lower = name.toLowerCase();
  if (!f.words.every((w) => lower.includes(w))) return false;
  if (f.selector) return labels !== undefined && selectorMatches(f.selector, labels);
  return true;
}

/** A `:` command: where to jump. */
export type Command =
  | { readonly kind: 'ns'; readonly name?: string }
  | { readonly kind: 'np'; readonly name?: string }
  | { readonly kind: 'pod'; readonly name?: string }
  | { readonly kind: 'matrix'; readonly name?: string; readonly to?: string }
  | { readonly kind: 'explain'; readonly from?: string; readonly to?: string; readonly port?: string }
  | { readonly kind: 'port'; readonly port: number; readonly protocol?: 'TCP' | 'UDP' | 'SCTP' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'error'; readonly message: string };

/** Command names and their aliases (k9s spells them the same way). */
const ALIASES: Record<string, Command['kind']> = {
  ns: 'ns', namespace: 'ns', namespaces: 'ns',
  np: 'np', netpol: 'np', netpols: 'np', networkpolicy: 'np', networkpolicies: 'np', policy: 'np', policies: 'np',
  pod: 'pod', pods: 'pod', po: 'pod',
  matrix: 'matrix', mx: 'matrix',
  explain: 'explain', ex: 'explain',
  port: 'port',
  q: 'quit', quit: 'quit',
};

export const COMMAND_HELP = ':ns [NAME]  :np [NAME]  :pod [NAME]  :matrix [NS [TO-NS]]  :explain [FROM TO [PORT]]  :port N[/PROTO]  :q';

export function parseCommand(text: string): Command {
  const [head = '', ...args] = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
  const kind = ALIASES[head.toLowerCase()];
  if (!kind) return { kind: 'error', message: head ? `unknown command ":${head}"; try ${COMMAND_HELP}` : `commands: ${COMMAND_HELP}` };
  const name = args[0];
  switch (kind) {
    case 'quit':
      return { kind };
    case 'explain':
      return { kind, ...(args[0] ? { from: args[0] } : {}), ...(args[1] ? { to: args[1] } : {}), ...(args[2] ? { port: args[2] } : {}) };
    case 'matrix':
      return { kind, ...(name ? { name } : {}), ...(args[1] ? { to: args[1] } : {}) };
    case 'port': {
      const m = (name ?? '').match(/^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i);
      const port = m ? Number(m[1]) : NaN;
      if (!m || port < 1 || port > 65535) return { kind: 'error', message: `:port takes a number 1-65535, optionally /TCP, /UDP or /SCTP (e.g. :port 53/UDP)` };
      return { kind, port, ...(m[2] ? { protocol: m[2].toUpperCase() as 'TCP' | 'UDP' | 'SCTP' } : {}) };
    }
    default:
      return { kind, ...(name ? { name } : {}) } as Command;
  }
}
