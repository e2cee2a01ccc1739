// Diagnostics point at the line of the field that is wrong, not at the start of its document.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/sources/files/load.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-lines-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

const YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
# a policy
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: prod
  labels:
    app.kubernetes.io/name: "bad value!"
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector: {}
        - ipBlock:
            cidr: 10.0.0.0/33
      ports:
        - port: 70000
---
apiVersion: v1
kind: Pod
metadata: {namespace: prod, labels: {app: x}}
spec:
  containers: [{name: c, image: i}]
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: ok, namespace: prod}
  - apiVersion: v1
    kind: Service
    metadata: {name: s, namespace: prod}
    spec:
      ports:
        - port: 80
          protocol: tcp
`;

const JSON_LIST = `{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}},
  {"apiVersion": "v1", "kind": "Pod",
   "metadata": {"name": "b", "labels": {"-x": "y"}}}
]}
`;

describe('the line of the field', () => {
  const yamlFile = write('objects.yaml', YAML);
  const jsonFile = write('list.json', JSON_LIST);

  it.each([
    // [file, field, line]
    ['objects.yaml', 'metadata.labels.app.kubernetes.io/name', 13], // a dotted label key
    ['objects.yaml', 'spec.ingress[0].from[1].ipBlock.cidr', 20],
    ['objects.yaml', 'spec.ingress[0].ports[0].port', 22],
    ['objects.yaml', 'metadata.name', 26], // missing: the line of its parent (a flow mapping)
    ['objects.yaml', 'spec.ports[0].protocol', 42], // inside items[1] of a List
    ['list.json', 'metadata.labels.-x', 4], // JSON, items[1]
  ])('%s: %s is on line %i', async (file, field, line) => {
    const { diagnostics } = await loadManifests([yamlFile, jsonFile]);
    const d = diagnostics.find((x) => x.field === field && x.file.endsWith(file));
    expect(d, JSON.stringify(diagnostics.map((x) => [x.file, x.field, x.line]))).toBeDefined();
    expect(d!.line).toBe(line);
  });

  it('a document-level problem inside a List names the item\'s line', async () => {
    const f = write('nokind.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: a}\n  - metadata: {name: b}\n');
    const { diagnostics } = await loadManifests([f]);
    expect(diagnostics.map((d) => [d.message.replace(/^.*: /, ''), d.line])).toEqual([['object has no kind', 7]]);
  });
});
