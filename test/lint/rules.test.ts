// A case table per lint rule: manifests where the rule must fire (and at which field) and where it must not.
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/engine/index.js';
import { lint } from '../../src/lint/lint.js';
import { RULE_IDS } from '../../src/lint/rules.js';
import { loadManifestTexts } from '../../src/sources/files/load.js';

/** Two namespaces: shop (web, api with named ports, db) and other (client); kube-system has DNS. */
const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: grpc, containerPort: 9000}, {name: stats, containerPort: 8125, protocol: UDP}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.1.1}
`;

const np = (name: string, spec: string, ns = 'shop', meta = '') => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}${meta}}\nspec: ${spec}\n`;
const anp = (name: string, priority: number, subject: string) =>
  `---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: ${name}}\nspec: {priority: ${priority}, subject: ${subject}, ingress: [{action: Allow, from: [{namespaces: {}}]}]}\n`;
const DENY_ALL = np('deny', '{podSelector: {}, policyTypes: [Ingress, Egress]}') + np('deny', '{podSelector: {}, policyTypes: [Ingress, Egress]}', 'other');
const DNS = np('dns', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}') + np('dns', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}', 'other');

function findings(yaml: string, rule: string) {
  const { state, diagnostics } = loadManifestTexts([{ file: 'case.yaml', text: BASE + yaml }]);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return lint(new ClusterIndex(state)).findings.filter((f) => f.rule === rule);
}

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly yaml: string;
  /** `Kind ns/name field` of every finding expected; [] = must not fire. */
  readonly expect: readonly string[];
}

const cases: Case[] = [
  { rule: 'namespace-default-deny-ingress', name: 'no policy at all', yaml: '', expect: ['Namespace other', 'Namespace shop'] },
  { rule: 'namespace-default-deny-ingress', name: 'a podSelector: {} ingress policy in each namespace', yaml: DENY_ALL, expect: [] },
  { rule: 'namespace-default-deny-ingress', name: 'a policy for some pods only does not count', yaml: DENY_ALL.split('---').slice(0, 2).join('---') + np('web', '{podSelector: {matchLabels: {app: web}}}', 'other'), expect: ['Namespace other'] },
  { rule: 'namespace-default-deny-ingress', name: 'an egress-only default deny does not cover ingress', yaml: np('e', '{podSelector: {}, policyTypes: [Egress]}') + np('d', '{podSelector: {}}', 'other'), expect: ['Namespace shop'] },
  { rule: 'namespace-default-deny-egress', name: 'ingress-only default deny', yaml: np('d', '{podSelector: {}}') + np('d', '{podSelector: {}}', 'other'), expect: ['Namespace other', 'Namespace shop'] },
  { rule: 'namespace-default-deny-egress', name: 'both directions denied', yaml: DENY_ALL, expect: [] },
  { rule: 'policy-selects-no-pods', name: 'selector with a typo', yaml: np('typo', '{podSelector: {matchLabels: {app: wbe}}}'), expect: ['NetworkPolicy shop/typo spec.podSelector'] },
  { rule: 'policy-selects-no-pods', name: 'matches a pod', yaml: np('ok', '{podSelector: {matchLabels: {app: web}}}'), expect: [] },
  { rule: 'policy-selects-no-pods', name: 'empty namespace is another rule', yaml: np('p', '{podSelector: {}}', 'ghost'), expect: [] },
  { rule: 'policy-in-empty-namespace', name: 'namespace without pods', yaml: np('p', '{podSelector: {}}', 'ghost'), expect: ['NetworkPolicy ghost/p metadata.namespace'] },
  { rule: 'policy-in-empty-namespace', name: 'namespace with pods', yaml: np('p', '{podSelector: {}}'), expect: [] },
  { rule: 'peer-selects-nothing', name: 'podSelector matches no pod of the own namespace', yaml: np('p', '{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[0].from[0]'] },
  { rule: 'peer-selects-nothing', name: 'namespaceSelector matches no namespace', yaml: np('p', '{podSelector: {}, egress: [{to: [{namespaceSelector: {matchLabels: {team: zz}}}]}]}'), expect: ['NetworkPolicy shop/p spec.egress[0].to[0]'] },
  { rule: 'peer-selects-nothing', name: 'AND peer that matches', yaml: np('p', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}, podSelector: {matchLabels: {app: client}}}]}]}'), expect: [] },
  { rule: 'peer-selects-nothing', name: 'ipBlock peers are not selectors', yaml: np('p', '{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 192.168.0.0/16}}]}]}'), expect: [] },
  { rule: 'one-dash-or-peers', name: 'two items: namespaceSelector, podSelector', yaml: np('p', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}}, {podSelector: {matchLabels: {app: client}}}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[0].from'] },
  { rule: 'one-dash-or-peers', name: 'one AND item', yaml: np('p', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}, podSelector: {matchLabels: {app: client}}}]}]}'), expect: [] },
  { rule: 'one-dash-or-peers', name: 'two podSelector items', yaml: np('p', '{podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}, {podSelector: {matchLabels: {app: api}}}]}]}'), expect: [] },
  { rule: 'named-port-not-declared', name: 'ingress name the selected pod lacks', yaml: np('p', '{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: https}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[0].ports[0]'] },
  { rule: 'named-port-not-declared', name: 'egress name the peer pods lack', yaml: np('p', '{podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], egress: [{to: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: http}]}]}'), expect: ['NetworkPolicy shop/p spec.egress[0].ports[0]'] },
  { rule: 'named-port-not-declared', name: 'declared name', yaml: np('p', '{podSelector: {matchLabels: {app: api}}, ingress: [{ports: [{port: grpc}]}]}'), expect: [] },
  { rule: 'named-port-protocol-mismatch', name: 'UDP name used as TCP', yaml: np('p', '{podSelector: {matchLabels: {app: api}}, ingress: [{ports: [{port: stats}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[0].ports[0]'] },
  { rule: 'named-port-protocol-mismatch', name: 'UDP name used as UDP', yaml: np('p', '{podSelector: {matchLabels: {app: api}}, ingress: [{ports: [{port: stats, protocol: UDP}]}]}'), expect: [] },
  { rule: 'egress-deny-blocks-dns', name: 'default deny egress without DNS', yaml: DENY_ALL, expect: ['NetworkPolicy other/deny spec.policyTypes', 'NetworkPolicy shop/deny spec.policyTypes'] },
  { rule: 'egress-deny-blocks-dns', name: 'DNS allowed on UDP and TCP', yaml: DENY_ALL + DNS, expect: [] },
  { rule: 'egress-deny-blocks-dns', name: 'UDP only still loses TCP/53', yaml: np('deny', '{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{protocol: UDP, port: 53}]}]}'), expect: ['NetworkPolicy shop/deny spec.policyTypes'] },
  { rule: 'egress-deny-blocks-dns', name: 'no egress isolation', yaml: np('d', '{podSelector: {}}'), expect: [] },
  { rule: 'redundant-rule', name: 'same peers, port inside a broader range', yaml: np('p', '{podSelector: {}, ingress: [{from: [{podSelector: {}}], ports: [{port: 8000, endPort: 9000}]}, {from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[1]'] },
  { rule: 'redundant-rule', name: 'an allow-all rule in a policy for all pods covers a narrower policy', yaml: np('all', '{podSelector: {}, ingress: [{}]}') + np('web', '{podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 80}]}]}'), expect: ['NetworkPolicy shop/web spec.ingress[0]'] },
  { rule: 'redundant-rule', name: 'different ports', yaml: np('p', '{podSelector: {}, ingress: [{ports: [{port: 80}]}, {ports: [{port: 443}]}]}'), expect: [] },
  { rule: 'redundant-rule', name: 'own namespace does not cover another namespace', yaml: np('p', '{podSelector: {}, ingress: [{from: [{podSelector: {}}]}, {from: [{namespaceSelector: {matchLabels: {team: b}}}]}]}'), expect: [] },
  { rule: 'ipblock-host-bits', name: 'host bits set', yaml: np('p', '{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.1.2.3/16}}]}]}'), expect: ['NetworkPolicy shop/p spec.ingress[0].from[0].ipBlock.cidr'] },
  { rule: 'ipblock-host-bits', name: 'network address', yaml: np('p', '{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.1.0.0/16}}]}]}'), expect: [] },
  { rule: 'empty-egress-does-not-isolate', name: 'egress: [] with inferred policyTypes', yaml: np('p', '{podSelector: {}, egress: []}'), expect: ['NetworkPolicy shop/p spec.egress'] },
  { rule: 'empty-egress-does-not-isolate', name: 'egress: [] with policyTypes Egress', yaml: np('p', '{podSelector: {}, policyTypes: [Egress], egress: []}'), expect: [] },
  { rule: 'admin-priority-overlap', name: 'same priority, overlapping subjects', yaml: anp('a', 10, '{namespaces: {}}') + anp('b', 10, '{namespaces: {matchLabels: {team: a}}}'), expect: ['AdminNetworkPolicy b spec.priority'] },
  { rule: 'admin-priority-overlap', name: 'same priority, disjoint subjects', yaml: anp('a', 10, '{namespaces: {matchLabels: {team: b}}}') + anp('b', 10, '{namespaces: {matchLabels: {team: a}}}'), expect: [] },
  { rule: 'admin-priority-overlap', name: 'different priorities', yaml: anp('a', 10, '{namespaces: {}}') + anp('b', 20, '{namespaces: {}}'), expect: [] },
];

describe('lint rules', () => {
  it('every rule has a case that fires and one that must not', () => {
    const covered = (ids: (c: Case) => boolean) => new Set(cases.filter(ids).map((c) => c.rule));
    const fires = covered((c) => c.expect.length > 0);
    const quiet = covered((c) => c.expect.length === 0);
    // cni-not-enforcing needs a live read (its cases are below).
    for (const id of RULE_IDS.filter((r) => r !== 'cni-not-enforcing')) {
      expect(fires, id).toContain(id);
      expect(quiet, id).toContain(id);
    }
  });

  it.each(cases)('$rule: $name', ({ rule, yaml, expect: want }) => {
    const got = findings(yaml, rule).map((f) => `${f.object.kind} ${f.object.namespace !== undefined ? `${f.object.namespace}/` : ''}${f.object.name}${f.field ? ` ${f.field}` : ''}`);
    expect(got.sort()).toEqual([...want].sort());
  });

  it.each([
    ['cni-no', 'error'],
    ['cni-unknown', 'warning'],
  ] as const)('cni-not-enforcing: limitation %s from the live read is a finding (%s)', (id, severity) => {
    const { state } = loadManifestTexts([{ file: 'c.yaml', text: BASE }]);
    const report = lint(new ClusterIndex({ ...state, limitations: [{ id, message: 'NetworkPolicy is NOT enforced' }] }));
    expect(report.findings.filter((f) => f.rule === 'cni-not-enforcing').map((f) => f.severity)).toEqual([severity]);
    expect(lint(new ClusterIndex(state)).findings.some((f) => f.rule === 'cni-not-enforcing')).toBe(false);
  });
});
