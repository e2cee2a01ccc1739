// The diff command's work, loaded only when the command runs: base state (files or live), the
// changes from -f and --delete, then the connection diff.
import { applyPolicyChanges, keyText, policiesOf, type PolicyKey } from '../../src/diff/apply.js';
import { diffStates } from '../../src/diff/compute.js';
import { ADMIN_KIND_ALIASES } from '../../src/diff/keys.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { diffData, renderDiffMarkdown, renderDiffText } from '../../src/render/diff-output.js';
import { serialise } from '../../src/render/format.js';
import { loadFromFiles } from '../../src/sources/files/source.js';
import type { CommandIO } from '../io.js';
import { loadForCommand, styleFor, writeLimitations } from './shared.js';
import type { DiffArgs } from './diff.js';

export async function runDiff(args: DiffArgs, io: CommandIO): Promise<number> {
  const changesFiles = args.filename ?? [];
  if (changesFiles.length === 0 && (args.delete ?? []).length === 0)
    throw new CliError('diff needs the changes: -f CHANGES (manifests to apply) and/or --delete NS/NAME', 'see kubectl netpol diff --help', ExitCode.usage);
  const namespace = args.namespace ?? 'default';
  const base = await loadForCommand({ ...args, filename: args.base ?? [] }, io, { namespaces: 'all' });
  const changes = changesFiles.length > 0 ? await loadFromFiles(changesFiles, namespace, io) : undefined;
  if (changes) {
    const others = changes.pods.length + changes.services.length + changes.namespaces.filter((n) => !n.synthetic).length;
    if (others > 0) io.stderr.write(`note: ${changesFiles.join(', ')} also has ${others} object${others === 1 ? '' : 's'} that are not policies (pods, workloads, namespaces, services); diff applies only the policies in it\n`);
  }
  const deletes = (args.delete ?? []).map(parseDeleteRef);
  const applied = applyPolicyChanges(base.state, changes ? policiesOf(changes) : [], deletes);
  if (applied.unknownDeletes.length > 0)
    throw new CliError(`--delete: ${applied.unknownDeletes.map(keyText).join(', ')} not found in the base state`, 'give NS/NAME of an existing NetworkPolicy, or anp/NAME, banp/NAME, cnp/NAME', ExitCode.input);
  const result = diffStates(base.state, applied.after, applied.changes);
  writeLimitations(base.state, io, styleFor(args, io));
  for (const n of result.notes) io.stderr.write(`note: ${n}\n`);
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(diffData(result), args.output));
  else if (args.output === 'markdown') io.stdout.write(renderDiffMarkdown(result));
  else io.stdout.write(renderDiffText(result, styleFor(args, io)));
  return result.connectionsChanged ? ExitCode.denied : ExitCode.ok;
}

/** NS/NAME is a NetworkPolicy; anp/NAME, banp/NAME, cnp/NAME (or the full kind) an admin policy. */
export function parseDeleteRef(ref: string): PolicyKey {
  const parts = ref.split('/');
  const admin = parts.length === 2 ? ADMIN_KIND_ALIASES[parts[0]!.toLowerCase()] : undefined;
  if (admin) return { kind: admin, name: parts[1]! };
  if (parts.length === 2 && parts[0] && parts[1]) return { kind: 'NetworkPolicy', namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && /^(netpol|networkpolicy|networkpolicies)$/i.test(parts[0]!)) return { kind: 'NetworkPolicy', namespace: parts[1]!, name: parts[2]! };
  throw new CliError(`--delete ${ref}: expected NS/NAME (NetworkPolicy), anp/NAME, banp/NAME or cnp/NAME`, 'see kubectl netpol diff --help', ExitCode.usage);
}
