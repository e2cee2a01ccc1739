import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listManifestFiles, loadManifests, loadManifestTexts, parseManifest, splitYamlDocuments, type Diagnostic } from '../../src/sources/files/load.js';

const NS = (name: string, labels = '{}') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${labels}\n`;
const NP = (name: string, ns = 'prod', extra = '') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  podSelector: {}\n${extra}`;
const POD = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  containers: [{name: c}]\n`;

const errorsOf = (d: readonly Diagnostic[]) => d.filter((x) => x.severity === 'error');
const warningsOf = (d: readonly Diagnostic[]) => d.filter((x) => x.severity === 'warning');

describe('parsing', () => {
  it('multi-document YAML, skipping empty documents but keeping their index', () => {
    const text = `---\n${NS('a')}---\n---\n# just a comment\n---\n${NS('b')}...\n`;
    const { state, diagnostics } = loadManifestTexts([{ file: 'm.yaml', text }]);
    expect(diagnostics).toEqual([]);
    expect(state.namespaces.map((n) => [n.name, n.source?.documentIndex])).toEqual([
      ['a', 0],
      ['b', 3],
    ]);
  });

  it('document start lines line up with js-yaml document indexes', () => {
    expect(splitYamlDocuments('a: 1\n---\nb: 2\n---\n').map((c) => c.line)).toEqual([1, 2, 4]);
    expect(splitYamlDocuments('# c\n---\na: 1\n').map((c) => c.line)).toEqual([2]);
    expect(splitYamlDocuments('').length).toBe(0);
    expect(parseManifest('a: 1\n---\nb: 2\n', 'f').documentLines).toEqual([1, 2]);
  });

  it('JSON documents, including a List and concatenated objects', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'j1' } }] });
    const stream = `${JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'j2' } })}\n${JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'j3' } })}\n`;
    const { state, diagnostics } = loadManifestTexts([
      { file: 'list.json', text: list },
      { file: 'stream.json', text: stream },
    ]);
    expect(diagnostics).toEqual([]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['j1', 'j2', 'j3']);
    expect(state.namespaces[2]?.source).toEqual({ file: 'stream.json', documentIndex: 1, origin: 'file' });
  });

  it('a bare JSON array of objects is accepted', () => {
    const { state } = loadManifestTexts([{ file: 'a.json', text: JSON.stringify([{ kind: 'Namespace', metadata: { name: 'x' } }]) }]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['x']);
  });

  it('YAML syntax error: names file, document and line; other documents still load', () => {
    const text = `${NS('a')}---\nkind: Namespace\nmetadata:\n  name: [broken\n---\n${NS('c')}`;
    const { state, diagnostics } = loadManifestTexts([{ file: 'bad.yaml', text }]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['a', 'c']);
    const [err] = errorsOf(diagnostics);
    expect(err).toMatchObject({ file: 'bad.yaml', documentIndex: 1 });
    expect(err?.line).toBeGreaterThanOrEqual(9);
    expect(err?.line).toBeLessThanOrEqual(10);
    expect(err?.message).toMatch(/^bad\.yaml: document 2: YAML syntax error at line \d+/);
  });

  it('duplicate YAML keys are errors with a line', () => {
    const { diagnostics } = loadManifestTexts([{ file: 'dup.yaml', text: 'kind: Namespace\nkind: Namespace\nmetadata: {name: a}\n' }]);
    expect(errorsOf(diagnostics)[0]).toMatchObject({ file: 'dup.yaml', documentIndex: 0, line: 2 });
  });

  it('JSON syntax error: names file, document and line; other documents still load', () => {
    const text = `{"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "ok"}}\n{"kind": "Namespace",\n "metadata": {"name": nope}}\n`;
    const { state, diagnostics } = loadManifestTexts([{ file: 'bad.json', text }]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['ok']);
    expect(errorsOf(diagnostics)[0]).toMatchObject({ file: 'bad.json', documentIndex: 1, line: 3 });
  });

  it('YAML merge keys are supported', () => {
    const text = `kind: Namespace\nmetadata:\n  name: m\n  labels:\n    <<: {team: a}\n    env: prod\n`;
    expect(loadManifestTexts([{ file: 'm.yaml', text }]).state.namespaces[0]?.labels).toEqual({
      team: 'a',
      env: 'prod',
      'kubernetes.io/metadata.name': 'm',
    });
  });
});

describe('lists', () => {
  it('kind: List from kubectl get -o yaml', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${NS('l1').replace(/\n/g, '\n  ')}\n- ${NP('np1', 'l1').replace(/\n/g, '\n  ')}\n`;
    const { state, diagnostics } = loadManifestTexts([{ file: 'l.yaml', text }]);
    expect(diagnostics).toEqual([]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['l1']);
    expect(state.networkPolicies.map((n) => `${n.namespace}/${n.name}`)).toEqual(['l1/np1']);
  });

  it('typed lists (PodList) whose items lack kind', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p1', namespace: 'x' }, spec: { containers: [] } }] });
    const { state, diagnostics } = loadManifestTexts([{ file: 'pods.json', text }]);
    expect(diagnostics).toEqual([]);
    expect(state.pods.map((p) => p.name)).toEqual(['p1']);
  });

  it('an invalid list item is reported with its item index; the others load', () => {
    const text = JSON.stringify({
      kind: 'List',
      items: [NP('x'), { kind: 'NetworkPolicy', metadata: { name: 'bad', namespace: 'prod' }, spec: { policyTypes: ['Sideways'] } }, { kind: 'Namespace', metadata: { name: 'n' } }].map((i) =>
        typeof i === 'string' ? { kind: 'Namespace', metadata: { name: 'first' } } : i,
      ),
    });
    const { state, diagnostics } = loadManifestTexts([{ file: 'l.json', text }]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['first', 'n']);
    expect(errorsOf(diagnostics)).toMatchObject([{ file: 'l.json', documentIndex: 0, itemIndex: 1, kind: 'NetworkPolicy', name: 'bad', field: 'spec.policyTypes[0]' }]);
  });
});

describe('objects', () => {
  it('an invalid object is an error diagnostic and skipped; valid neighbours load', () => {
    const text = [NP('good'), NP('bad', 'prod', '  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/40}\n'), NS('prod')].join('---\n');
    const { state, diagnostics } = loadManifestTexts([{ file: 'p.yaml', text }]);
    expect(state.networkPolicies.map((p) => p.name)).toEqual(['good']);
    expect(state.namespaces.map((n) => n.name)).toEqual(['prod']);
    const errs = errorsOf(diagnostics);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({
      severity: 'error',
      file: 'p.yaml',
      documentIndex: 1,
      line: 8,
      kind: 'NetworkPolicy',
      namespace: 'prod',
      name: 'bad',
      field: 'spec.ingress[0].from[0].ipBlock.cidr',
    });
    expect(errs[0]?.message).toContain('NetworkPolicy prod/bad');
    expect(errs[0]?.hint).toBeDefined();
  });

  it('objects without metadata.namespace get the default namespace option', () => {
    const { state } = loadManifestTexts([{ file: 'a.yaml', text: [NP('np', 'x').replace('  namespace: x\n', ''), POD('p')].join('---\n') }], {
      defaultNamespace: 'team-a',
    });
    expect(state.networkPolicies[0]?.namespace).toBe('team-a');
    expect(state.pods[0]?.namespace).toBe('team-a');
    expect(loadManifestTexts([{ file: 'a.yaml', text: POD('p') }]).state.pods[0]?.namespace).toBe('default');
  });

  it('namespaces referenced but not supplied become synthetic', () => {
    const { state } = loadManifestTexts([{ file: 'a.yaml', text: [NS('prod', '{team: a}'), NP('np', 'prod'), POD('p', 'staging')].join('---\n') }]);
    expect(state.namespaces).toEqual([
      { name: 'prod', labels: { team: 'a', 'kubernetes.io/metadata.name': 'prod' }, source: { file: 'a.yaml', documentIndex: 0, origin: 'file' } },
      { name: 'staging', labels: { 'kubernetes.io/metadata.name': 'staging' }, synthetic: true, source: { origin: 'synthetic' } },
    ]);
    expect(state.limitations?.map((l) => l.id)).toEqual(['synthetic-namespaces']);
    expect(state.limitations?.[0]?.message).toContain('staging');
  });

  it('duplicates are warnings naming both files; the later one is used (and no error stops the verdict)', () => {
    const { state, diagnostics } = loadManifestTexts([
      { file: 'a.yaml', text: NP('web') },
      { file: 'b.yaml', text: NP('web', 'prod', '  policyTypes: [Egress]\n') },
    ]);
    expect(state.networkPolicies).toHaveLength(1);
    expect(state.networkPolicies[0]?.policyTypes).toEqual(['Egress']);
    expect(errorsOf(diagnostics)).toEqual([]);
    const dup = diagnostics.find((d) => d.message.startsWith('duplicate'));
    expect(dup).toMatchObject({ severity: 'warning', file: 'b.yaml', kind: 'NetworkPolicy', namespace: 'prod', name: 'web', files: ['a.yaml', 'b.yaml'] });
    expect(dup?.message).toMatch(/duplicate NetworkPolicy prod\/web: defined in a\.yaml \(document 1\) and again in b\.yaml \(document 1\); using the later one/);
  });

  it('same name in different kinds or namespaces is not a duplicate', () => {
    const { diagnostics } = loadManifestTexts([{ file: 'a.yaml', text: [NP('x', 'a'), NP('x', 'b'), POD('x', 'a')].join('---\n') }]);
    expect(errorsOf(diagnostics)).toEqual([]);
  });

  it('unknown kinds: one warning per kind with count and files; irrelevant kinds: one summary each', () => {
    const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
    const widget = (n: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${n}}\n`;
    const { state, diagnostics } = loadManifestTexts([
      { file: 'a.yaml', text: [cm('a'), widget('w1'), cm('b')].join('---\n') },
      { file: 'b.yaml', text: [widget('w2'), cm('c'), NS('ok')].join('---\n') },
    ]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['ok']);
    expect(errorsOf(diagnostics)).toEqual([]);
    const w = warningsOf(diagnostics);
    expect(w).toHaveLength(2);
    expect(w.find((d) => d.kind === 'ConfigMap')).toMatchObject({
      message: 'ignored 3 ConfigMap objects (not relevant to network policy) in a.yaml, b.yaml',
      files: ['a.yaml', 'b.yaml'],
      file: 'a.yaml',
      documentIndex: 0,
    });
    expect(w.find((d) => d.kind === 'Widget')?.message).toBe('skipped 2 objects of unknown kind Widget (example.com/v1) in a.yaml, b.yaml');
  });

  it('CNI-specific policies are flagged as a limitation', () => {
    const text = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c, namespace: x}\nspec: {}\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: k, namespace: x}\nspec: {}\n';
    const { state, diagnostics } = loadManifestTexts([{ file: 'cni.yaml', text }]);
    expect(state.networkPolicies).toEqual([]);
    expect(warningsOf(diagnostics).map((d) => d.message)).toEqual([
      expect.stringMatching(/^skipped 1 CiliumNetworkPolicy \(cilium\.io\/v2\) object: this policy API is not evaluated/),
      expect.stringMatching(/^skipped 1 NetworkPolicy \(projectcalico\.org\/v3\) object/),
    ]);
    expect(state.limitations?.map((l) => l.id)).toEqual(['unsupported-policy:CiliumNetworkPolicy (cilium.io/v2)', 'unsupported-policy:NetworkPolicy (projectcalico.org/v3)']);
  });

  it('unsupported version of a known kind is an error', () => {
    const { diagnostics } = loadManifestTexts([{ file: 'v.yaml', text: 'apiVersion: policy.networking.k8s.io/v1alpha2\nkind: AdminNetworkPolicy\nmetadata: {name: a}\nspec: {}\n' }]);
    expect(errorsOf(diagnostics)[0]).toMatchObject({ kind: 'AdminNetworkPolicy', field: 'apiVersion' });
    expect(errorsOf(diagnostics)[0]?.hint).toContain('policy.networking.k8s.io/v1alpha1');
  });

  it('documents that are not objects or have no kind are errors', () => {
    const { diagnostics } = loadManifestTexts([{ file: 'x.yaml', text: 'just a string\n---\nmetadata: {name: a}\n' }]);
    expect(errorsOf(diagnostics).map((d) => [d.documentIndex, d.message])).toEqual([
      [0, expect.stringMatching(/not a Kubernetes object/)],
      [1, expect.stringMatching(/has no kind/)],
    ]);
  });

  it('admin policies load into adminPolicies', () => {
    const text = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a}
spec: {priority: 5, subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: a}
spec: {tier: Baseline, priority: 3, subject: {namespaces: {}}}
`;
    const { state, diagnostics } = loadManifestTexts([{ file: 'adm.yaml', text }]);
    expect(diagnostics).toEqual([]);
    expect(state.adminPolicies.map((p) => [p.kind, p.name, p.tier, p.priority])).toEqual([
      ['AdminNetworkPolicy', 'a', 'Admin', 5],
      ['BaselineAdminNetworkPolicy', 'default', 'Baseline', 0],
      ['ClusterNetworkPolicy', 'a', 'Baseline', 3],
    ]);
  });
});

describe('paths', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netpol-loader-'));
    await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
    await mkdir(join(dir, '.hidden'));
    await writeFile(join(dir, 'b.yaml'), NS('b'));
    await writeFile(join(dir, 'a.yml'), NS('a'));
    await writeFile(join(dir, 'sub', 'c.json'), JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'c' } }));
    await writeFile(join(dir, 'sub', 'deeper', 'd.YAML'), NS('d'));
    await writeFile(join(dir, 'sub', 'notes.txt'), 'not yaml: [');
    await writeFile(join(dir, '.hidden', 'e.yaml'), NS('e'));
    await writeFile(join(dir, 'explicit.txt'), NS('f'));
    await mkdir(join(dir, 'empty'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('directories are walked recursively, only .yaml/.yml/.json, sorted', async () => {
    const files = await listManifestFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a.yml', 'b.yaml', join('sub', 'c.json'), join('sub', 'deeper', 'd.YAML')]);
    const { state, diagnostics } = await loadManifests([dir]);
    expect(diagnostics).toEqual([]);
    expect(state.namespaces.map((n) => [n.name, n.source?.file])).toEqual([
      ['a', join(dir, 'a.yml')],
      ['b', join(dir, 'b.yaml')],
      ['c', join(dir, 'sub', 'c.json')],
      ['d', join(dir, 'sub', 'deeper', 'd.YAML')],
    ]);
  });

  it('a file named explicitly is read whatever its extension', async () => {
    const { state } = await loadManifests([join(dir, 'explicit.txt')]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['f']);
  });

  it('stdin via "-", as text or as a reader called once, mixed with files', async () => {
    const fromText = await loadManifests(['-', join(dir, 'a.yml')], { stdin: NS('in') });
    expect(fromText.state.namespaces.map((n) => [n.name, n.source?.file])).toEqual([
      ['in', '<stdin>'],
      ['a', join(dir, 'a.yml')],
    ]);
    let calls = 0;
    const fromReader = await loadManifests(['-', '-'], {
      stdin: async () => {
        calls++;
        return NP('np', 'x');
      },
    });
    expect(calls).toBe(1);
    expect(fromReader.state.networkPolicies).toHaveLength(1);
    const none = await loadManifests(['-']);
    expect(errorsOf(none.diagnostics)[0]).toMatchObject({ file: '<stdin>', documentIndex: -1 });
  });

  it('missing paths and empty directories are error diagnostics, not exceptions', async () => {
    const { state, diagnostics } = await loadManifests([join(dir, 'nope.yaml'), join(dir, 'empty'), join(dir, 'b.yaml')]);
    expect(state.namespaces.map((n) => n.name)).toEqual(['b']);
    expect(diagnostics.map((d) => [d.severity, d.documentIndex])).toEqual([
      ['error', -1],
      ['error', -1],
    ]);
    expect(diagnostics[0]?.message).toContain('no such file or directory');
    expect(diagnostics[1]?.message).toBe(`${join(dir, 'empty')}: the directory has no manifests (no .yaml, .yml or .json files, also in subdirectories)`);
  });
});

describe('performance', () => {
  it('a 25k-object JSON snapshot loads in well under the budget (linear conversion)', () => {
    const items: unknown[] = [];
    for (let ns = 0; ns < 50; ns++) {
      items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${ns}`, labels: { team: `t${ns % 5}` } } });
      for (let d = 0; d < 40; d++) {
        items.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: `app-${d}`, namespace: `ns-${ns}` },
          spec: {
            selector: { matchLabels: { app: `app-${d}` } },
            template: { metadata: { labels: { app: `app-${d}` } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] } },
          },
        });
        items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${d}`, namespace: `ns-${ns}` }, spec: { selector: { app: `app-${d}` }, ports: [{ port: 80, targetPort: 'http' }] } });
        for (let p = 0; p < 10; p++) {
          const i = ns * 400 + d * 10 + p;
          items.push({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: `app-${d}-7f9c8-${p}`,
              namespace: `ns-${ns}`,
              labels: { app: `app-${d}`, 'pod-template-hash': '7f9c8' },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `app-${d}-7f9c8`, controller: true, uid: String(i) }],
            },
            spec: { nodeName: `node-${i % 20}`, containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
            status: { phase: 'Running', podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, podIPs: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }] },
          });
        }
      }
      for (let n = 0; n < 10; n++)
        items.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: `np-${n}`, namespace: `ns-${ns}` },
          spec: { podSelector: { matchLabels: { app: `app-${n}` } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 't1' } } }], ports: [{ port: 8080 }] }] },
        });
    }
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    const t0 = performance.now();
    const { state, diagnostics } = loadManifestTexts([{ file: 'snap.json', text }]);
    const ms = performance.now() - t0;
    expect(diagnostics).toEqual([]);
    expect(state.pods).toHaveLength(20_000);
    expect(state.pods.every((p) => p.workload?.kind === 'Deployment' && !p.template)).toBe(true);
    // ~0.5 s on a quiet machine; generous bound so only a complexity regression trips it.
    expect(ms).toBeLessThan(5000);
  });
});
