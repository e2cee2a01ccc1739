// The -f source: load manifests, report every diagnostic on stderr, refuse to answer on errors
// (a skipped invalid policy could turn a denied path into an allowed one).
import type { ClusterState } from '../engine/model.js';
import { CliError, ExitCode } from '../errors.js';
import { loadManifests, type Diagnostic } from './files.js';

export interface FilesIO {
  readonly stderr: { write(s: string): unknown };
  readStdin(): Promise<string>;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.documentIndex >= 0 ? `${d.file} (document ${d.documentIndex + 1}${d.line !== undefined ? `, line ${d.line}` : ''})` : d.file;
  return `${where}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

export async function loadFromFiles(paths: readonly string[], defaultNamespace: string, io: FilesIO): Promise<ClusterState> {
  const { state, diagnostics } = await loadManifests(paths, { defaultNamespace, stdin: () => io.readStdin() });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) if (d.severity === 'warning') io.stderr.write(`warning: ${formatDiagnostic(d)}\n`);
  if (errors.length > 0) {
    throw new CliError(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the input manifests; no verdict was computed`,
      'fix the objects named above (each invalid object would otherwise be ignored and could change the verdict)',
      ExitCode.input,
      errors.map(formatDiagnostic),
    );
  }
  return state;
}
