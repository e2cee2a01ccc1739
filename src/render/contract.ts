// The -o json|yaml contract: every document names its schema version and kind, kubectl style
// (`apiVersion: netpol.kubectl.io/v1alpha1`, `kind: Explanation`), and is described by a JSON
// Schema in docs/schema/ (test/cli/schema.test.ts validates outputs against them).

export const API_VERSION = 'netpol.kubectl.io/v1alpha1';

/** Kinds with a schema in docs/schema/ (file name: the kind in kebab case, e.g. check-result.schema.json). */
export const Kind = {
  Explanation: 'Explanation',
  Matrix: 'Matrix',
  CheckResult: 'CheckResult',
  LintResult: 'LintResult',
  Diff: 'Diff',
} as const;

/** `{apiVersion, kind, ...body}`: the top of every -o json|yaml document. */
export function document<K extends string, T extends object>(kind: K, body: T): { apiVersion: typeof API_VERSION; kind: K } & T {
  return { apiVersion: API_VERSION, kind, ...body };
}
