// Labels of every object are validated as the API server does (metav1 label key/value rules), so a
// manifest the API would reject is refused with file, object and field, not silently used.
import { describe, expect, it } from 'vitest';
import { loadManifestTexts } from '../../src/sources/files/load.js';
import { formatDiagnostic } from '../../src/sources/files/source.js';

const long = (n: number, c = 'a') => c.repeat(n);

/** One object of `kind` whose labels (metadata, or the pod template's for workloads) are `labels`. */
function manifest(kind: string, labels: Record<string, string>): string {
  const map = `{${Object.entries(labels).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  switch (kind) {
    case 'Namespace':
      return `apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: ${map}}\n`;
    case 'Pod':
      return `apiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: ns, labels: ${map}}\nspec: {containers: [{name: c, image: i}]}\n`;
    case 'Service':
      return `apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: ns, labels: ${map}}\nspec: {ports: [{port: 80}]}\n`;
    case 'NetworkPolicy':
      return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: ns, labels: ${map}}\nspec: {podSelector: {}}\n`;
    case 'Deployment':
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, namespace: ns}\nspec:\n  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: ${map.replace('{', '{app: x, ')}}\n    spec: {containers: [{name: c, image: i}]}\n`;
    default:
      throw new Error(kind);
  }
}

const field = (kind: string, key: string) => `${kind === 'Deployment' ? 'spec.template.metadata.labels' : 'metadata.labels'}.${key}`;
const objectName = (kind: string) => (kind === 'Namespace' ? 'Namespace x' : `${kind} ns/x`);
const KINDS = ['Namespace', 'Pod', 'Service', 'NetworkPolicy', 'Deployment'];

const INVALID: [string, string, string, RegExp][] = [
  ['key starting with a dash', '-lead', 'v', /invalid label key "-lead": label key name part must consist of alphanumerics/],
  ['key with two slashes', 'a/b/c', 'v', /invalid label key "a\/b\/c": label key name part must consist of/],
  ['key with an uppercase prefix', 'Example.com/team', 'v', /label key prefix "Example.com" must be a lowercase DNS subdomain/],
  ['key name over 63 characters', long(64), 'v', /label key name part must be at most 63 characters/],
  ['key prefix over 253 characters', `${long(254)}/x`, 'v', /label key prefix .* must be a lowercase DNS subdomain/],
  ['empty key name after the prefix', 'example.com/', 'v', /label key name part must not be empty/],
  ['value with spaces', 'team', 'has spaces !!', /invalid label value "has spaces !!": label value must be empty or consist of alphanumerics/],
  ['value over 63 characters', 'team', long(64), /label value must be at most 63 characters/],
  ['value ending with a dash', 'team', 'web-', /label value must be empty or consist of/],
];

describe.each(KINDS)('%s labels', (kind) => {
  it.each(INVALID)('%s is refused with file, object and field', (_name, key, value, message) => {
    const res = loadManifestTexts([{ file: 'objects.yaml', text: manifest(kind, { [key]: value }) }]);
    const errors = res.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    const d = errors[0]!;
    expect(d.field).toBe(field(kind, key));
    expect(d.message.startsWith(`${objectName(kind)}: ${field(kind, key)}: `), d.message).toBe(true);
    expect(d.message).toMatch(message);
    expect(formatDiagnostic(d)).toMatch(/^objects\.yaml \(document 1, line \d+\): .*\n {4}hint: label (keys|values) are/);
  });

  it('valid keys and values load: prefixed, dotted, 63 characters, an empty value', () => {
    const labels = { 'example.com/team': 'a.b_c-D9', [`${long(253, 'b')}/${long(63)}`]: long(63), 'app.kubernetes.io/part-of': '', x: 'Y' };
    const res = loadManifestTexts([{ file: 'objects.yaml', text: manifest(kind, labels) }]);
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
