// Shell completion, decided purely from the words typed so far: commands, flags and flag choices
// directly, and what must be looked up (namespaces, pods, policies, contexts) as a request.

/**
 * Cobra's ShellCompDirective bits: kubectl reads them from the last line (`:N`) a
 * `kubectl_complete-<plugin>` executable prints, and our own bash/zsh/fish scripts do the same.
 */
export const Directive = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

/** What a positional argument or flag value is, for completion. `file` lets the shell complete paths. */
export type ValueKind = 'namespace' | 'pod-ref' | 'policy' | 'context' | 'file' | 'shell' | 'none';

export interface FlagSpec {
  /** Long name first, then aliases (`namespace`, `n`). */
  readonly names: readonly string[];
  readonly takesValue: boolean;
  readonly choices?: readonly string[];
  readonly describe?: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly describe: string;
  readonly flags: readonly FlagSpec[];
  /** Positional argument kinds in order (`explain <from> <to>`: two pod references). */
  readonly positionals: readonly ValueKind[];
}

export interface CompletionSpec {
  readonly commands: readonly CommandSpec[];
  /** Flags valid before a command (--help, --version). */
  readonly globalFlags: readonly FlagSpec[];
}

export interface Candidate {
  readonly value: string;
  readonly describe?: string;
}

/** Names to fetch from the cluster; the caller prefixes and filters them with `complete`'s help. */
export interface Lookup {
  readonly kind: 'namespaces' | 'pods' | 'policies' | 'contexts';
  /** For pods and policies: the namespace to list (undefined: the context's). */
  readonly namespace?: string;
  /** Prepended to each name (`backend/` when completing `backend/a`). */
  readonly prefix: string;
  /** Namespaces are offered too, as `ns/` (a reference in another namespace). */
  readonly withNamespaces?: boolean;
}

export interface Completion {
  readonly candidates: readonly Candidate[];
  readonly directive: number;
  readonly lookup?: Lookup;
  /** The word being completed: every candidate offered starts with it. */
  readonly current: string;
  /** Flags that choose the cluster, as typed: --context, --kubeconfig, -n, ... */
  readonly kubeFlags: Readonly<Record<string, string>>;
}

/** Flag names whose values come from the cluster or kubeconfig. */
const FLAG_VALUE_KINDS: Record<string, ValueKind> = { namespace: 'namespace', context: 'context', policy: 'policy', filename: 'file', kubeconfig: 'file' };
const KUBE_FLAGS = new Set(['namespace', 'context', 'kubeconfig', 'cluster', 'user']);

const flagByName = (flags: readonly FlagSpec[], name: string): FlagSpec | undefined => flags.find((f) => f.names.includes(name));
const dash = (n: string) => (n.length === 1 ? `-${n}` : `--${n}`);

/** `words` are the arguments after `kubectl netpol`; the last is the (possibly empty) word being completed. */
export function complete(spec: CompletionSpec, words: readonly string[]): Completion {
  const current = words.length > 0 ? words[words.length - 1]! : '';
  const done = words.slice(0, -1);
  const kubeFlags: Record<string, string> = {};
  let command: CommandSpec | undefined;
  let positional = 0;
  let pending: FlagSpec | undefined;
  let afterDashes = false;
  for (const w of done) {
    const flags = command ? command.flags : spec.globalFlags;
    if (pending) {
      if (KUBE_FLAGS.has(pending.names[0]!)) kubeFlags[pending.names[0]!] = w;
      pending = undefined;
      continue;
    }
    if (w === '--') afterDashes = true;
    else if (!afterDashes && w.startsWith('-') && w !== '-') {
      const [name, value] = splitFlag(w);
      const f = flagByName(flags, name);
      if (f?.takesValue && value === undefined) pending = f;
      else if (f && value !== undefined && KUBE_FLAGS.has(f.names[0]!)) kubeFlags[f.names[0]!] = value;
    } else if (!command) command = spec.commands.find((c) => c.name === w);
    else positional++;
  }
  const result = (candidates: Candidate[], directive: number, lookup?: Lookup): Completion => ({
    candidates: candidates.filter((c) => c.value.startsWith(current)),
    directive,
    current,
    kubeFlags,
    ...(lookup ? { lookup } : {}),
  });
  const flags = command ? command.flags : spec.globalFlags;

  if (pending) return valueCompletion(pending, '', current, kubeFlags, result);
  if (!afterDashes && current.startsWith('-')) {
    const eq = current.indexOf('=');
    if (eq > 0) {
      const f = flagByName(flags, splitFlag(current)[0]);
      if (f?.takesValue) return valueCompletion(f, current.slice(0, eq + 1), current, kubeFlags, result);
      return result([], Directive.noFileComp);
    }
    const longs = flags.map((f) => ({ value: dash(f.names.find((n) => n.length > 1) ?? f.names[0]!), ...(f.describe ? { describe: f.describe } : {}) }));
    const shorts = current === '-' ? [] : flags.flatMap((f) => f.names.filter((n) => n.length === 1).map((n) => ({ value: `-${n}`, ...(f.describe ? { describe: f.describe } : {}) })));
    return result([...longs, ...shorts], Directive.noFileComp);
  }
  if (!command) return result(spec.commands.map((c) => ({ value: c.name, describe: c.describe })), Directive.noFileComp);
  return kindCompletion(command.positionals[positional] ?? 'none', '', current, kubeFlags, result);
}

type Result = (candidates: Candidate[], directive: number, lookup?: Lookup) => Completion;

function valueCompletion(f: FlagSpec, prefix: string, current: string, kubeFlags: Record<string, string>, result: Result): Completion {
  if (f.choices) return result(f.choices.map((c) => ({ value: prefix + c })), Directive.noFileComp);
  return kindCompletion(FLAG_VALUE_KINDS[f.names[0]!] ?? 'none', prefix, current, kubeFlags, result);
}

function kindCompletion(kind: ValueKind, prefix: string, current: string, kubeFlags: Record<string, string>, result: Result): Completion {
  const typed = current.slice(prefix.length);
  switch (kind) {
    case 'file':
      return result([], Directive.default);
    case 'shell':
      return result(['bash', 'zsh', 'fish'].map((s) => ({ value: s })), Directive.noFileComp);
    case 'namespace':
      return result([], Directive.noFileComp, { kind: 'namespaces', prefix });
    case 'context':
      return result([], Directive.noFileComp, { kind: 'contexts', prefix });
    case 'policy':
      return result([], Directive.noFileComp, { kind: 'policies', prefix, ...(kubeFlags.namespace ? { namespace: kubeFlags.namespace } : {}) });
    case 'pod-ref': {
      // `ns/pod` once a slash is typed, else pods of the current namespace plus `ns/` to go further.
      const slash = typed.indexOf('/');
      if (slash >= 0) return result([], Directive.noFileComp, { kind: 'pods', namespace: typed.slice(0, slash), prefix: prefix + typed.slice(0, slash + 1) });
      return result([], Directive.noFileComp, { kind: 'pods', prefix, withNamespaces: true, ...(kubeFlags.namespace ? { namespace: kubeFlags.namespace } : {}) });
    }
    default:
      return result([], Directive.noFileComp);
  }
}

function splitFlag(w: string): [string, string | undefined] {
  const body = w.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq < 0 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

/** Adds looked-up names to a completion (filtered by what is typed) and prints it Cobra's way. */
export function withNames(c: Completion, names: readonly string[], namespaces: readonly string[] = []): Completion {
  const lookup = c.lookup;
  if (!lookup) return c;
  const items = names.map((n) => ({ value: lookup.prefix + n }));
  const nsItems = lookup.withNamespaces ? namespaces.map((n) => ({ value: `${lookup.prefix}${n}/`, describe: 'namespace' })) : [];
  const all = [...items, ...nsItems].filter((i) => i.value.startsWith(c.current));
  // Only `ns/` left: no space after it, the pod name follows.
  const directive = all.length > 0 && all.every((i) => i.value.endsWith('/')) ? c.directive | Directive.noSpace : c.directive;
  return { ...c, candidates: [...c.candidates, ...all], directive };
}

export function formatCompletion(c: Completion): string {
  const lines = c.candidates.map((i) => (i.describe ? `${i.value}\t${i.describe.replace(/\s+/g, ' ')}` : i.value));
  return [...lines, `:${c.directive}`].join('\n') + '\n';
}
