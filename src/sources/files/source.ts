// The -f source: load manifests, report every diagnostic on stderr, refuse to answer on errors
// (a skipped invalid policy could turn a denied path into an allowed one).
import type { ClusterState } from '../../engine/model.js';
import { CliError, ExitCode } from '../../errors.js';
import { loadManifests, type Diagnostic } from './load.js';

export interface FilesIO {
  readonly stderr: { write(s: string): unknown };
  readStdin(): Promise<string>;
}

export function formatDiagnostic(d: Diagnostic): string {
  // Parse and path messages already start with the file (and document); do not say it twice.
  const named = d.message.startsWith(`${d.file}:`) || d.message.startsWith('-:');
  // Document-level messages start with `FILE (document N[, items[i]]): `: say where once, with the line.
  const docPrefix = `${d.file} (document ${d.documentIndex + 1}`;
  let message = d.message;
  let item = '';
  if (!named && d.documentIndex >= 0 && message.startsWith(docPrefix)) {
    const close = message.indexOf('): ', docPrefix.length);
    if (close >= 0) {
      item = message.slice(docPrefix.length, close);
      message = message.slice(close + 3);
    }
  }
  const where = named ? '' : d.documentIndex >= 0 ? `${docPrefix}${item}${d.line !== undefined ? `, line ${d.line}` : ''}): ` : `${d.file}: `;
  return `${where}${message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

/** `skipFiles`: files inside `-f` directories that are not manifests (check's flows file). */
export async function loadFromFiles(paths: readonly string[], defaultNamespace: string, io: FilesIO, skipFiles: readonly string[] = []): Promise<ClusterState> {
  const { state, diagnostics } = await loadManifests(paths, { defaultNamespace, stdin: () => io.readStdin(), skipFiles });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) if (d.severity === 'warning') io.stderr.write(`warning: ${formatDiagnostic(d)}\n`);
  if (errors.length > 0) {
    // Each item carries its own hint; path problems (documentIndex -1) need no "fix the objects".
    const aboutContent = errors.some((d) => d.documentIndex >= 0);
    throw new CliError(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the input manifests; no verdict was computed (every invalid document or object would otherwise be ignored, which could change the verdict)`,
      aboutContent ? 'fix the documents and objects named above' : undefined,
      ExitCode.input,
      errors.map(formatDiagnostic),
    );
  }
  const objects = state.pods.length + state.namespaces.length + state.nodes.length + state.services.length + state.endpointSlices.length + state.networkPolicies.length + state.adminPolicies.length;
  if (objects === 0) {
    const ignored = diagnostics.some((d) => d.severity === 'warning' && d.files !== undefined);
    throw new CliError(
      `the input manifests (${paths.join(', ')}) hold no ${ignored ? 'objects that matter to network policy (see the warnings above)' : 'Kubernetes objects'}`,
      'pass the manifests of the cluster: pods or workloads, namespaces and policies (e.g. kubectl get pods,deploy,netpol,ns -A -o yaml)',
      ExitCode.input,
    );
  }
  return state;
}
