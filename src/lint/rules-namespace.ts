// Lint rules about namespaces and the cluster: default-deny coverage, DNS under egress deny, CNI.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { selectorMatches } from '../engine/labels.js';
import type { NetworkPolicy, NetworkPolicyRule, PodInfo, PolicyType, Protocol } from '../engine/model.js';
import type { Finding, LintInput, LintSeverity } from './types.js';
import { finding, isEmptySelector } from './walk.js';

function defaultDeny(direction: PolicyType, severity: LintSeverity) {
  const id = `namespace-default-deny-${direction.toLowerCase()}`;
  return ({ idx }: LintInput): Finding[] => {
    const namespaces = [...new Set(idx.state.pods.filter((p) => !p.hostNetwork).map((p) => p.namespace))].sort();
    return namespaces.flatMap((ns) => {
      if (idx.policiesIn(ns).some((p) => isEmptySelector(p.podSelector) && p.policyTypes.includes(direction))) return [];
      if (idx.podsIn(ns).every((pod) => pod.hostNetwork || adminDeniesAll(pod, direction, idx))) return [];
      const info = idx.namespace(ns);
      const yaml = `{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: default-deny-${direction.toLowerCase()}, namespace: ${ns}}, spec: {podSelector: {}, policyTypes: [${direction}]}}`;
      return [
        {
          rule: id,
          severity,
          object: { kind: 'Namespace', name: ns },
          message: `no default-deny ${direction.toLowerCase()} policy (podSelector: {}, policyTypes [${direction}]): a pod no policy selects ${direction === 'Ingress' ? 'accepts connections from anywhere' : 'may connect anywhere'}`,
          suggestion: `add a default-deny policy and allow what is needed on top of it: ${yaml}`,
          ...(info?.source && !info.synthetic ? { source: info.source } : {}),
        },
      ];
    });
  };
}

/** A Baseline (or Admin) Deny rule for every namespace on all ports also closes the namespace by default. */
function adminDeniesAll(pod: PodInfo, direction: PolicyType, idx: ClusterIndex): boolean {
  return idx.state.adminPolicies.some(
    (p) =>
      selectorMatches(p.subject.namespaceSelector, idx.namespaceLabels(pod.namespace)) &&
      (p.subject.kind === 'namespaces' || selectorMatches(p.subject.podSelector, pod.labels)) &&
      (direction === 'Ingress' ? p.ingress : p.egress).some((r) => r.action === 'Deny' && r.ports === undefined && r.peers.some((x) => x.kind === 'namespaces' && isEmptySelector(x.namespaceSelector))),
  );
}

export const defaultDenyIngress = defaultDeny('Ingress', 'warning');
export const defaultDenyEgress = defaultDeny('Egress', 'info');

/** Does the rule allow some destination on port 53 with the protocol? Named ports count where some pod names 53 so. */
function allowsDns(rule: NetworkPolicyRule, protocol: Protocol, idx: ClusterIndex): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((t) => {
    if ((t.protocol ?? 'TCP') !== protocol) return false;
    if (t.port === undefined) return true;
    if (typeof t.port === 'number') return t.port <= 53 && (t.endPort ?? t.port) >= 53;
    return idx.state.pods.some((p) => p.ports.some((cp) => cp.name === t.port && cp.protocol === protocol && cp.port === 53));
  });
}

/** Admin Allow rules for the pod's egress on port 53 also keep DNS working. */
function adminAllowsDns(pod: PodInfo, protocol: Protocol, idx: ClusterIndex): boolean {
  return idx.state.adminPolicies.some(
    (p) =>
      selectorMatches(p.subject.namespaceSelector, idx.namespaceLabels(pod.namespace)) &&
      (p.subject.kind === 'namespaces' || selectorMatches(p.subject.podSelector, pod.labels)) &&
      p.egress.some((r) => r.action === 'Allow' && (r.ports === undefined || r.ports.some((t) => (t.kind === 'number' && t.protocol === protocol && t.port === 53) || (t.kind === 'range' && t.protocol === protocol && t.start <= 53 && t.end >= 53)))),
  );
}

export function egressDenyBlocksDns({ idx }: LintInput): Finding[] {
  // Per isolating policy (the first by name that selects the pod for egress): the protocols lost.
  const lost = new Map<NetworkPolicy, { protocols: Set<Protocol>; pods: number }>();
  for (const pod of idx.state.pods) {
    if (pod.hostNetwork) continue;
    const applicable = idx.policiesIn(pod.namespace).filter((p) => p.policyTypes.includes('Egress') && selectorMatches(p.podSelector, pod.labels));
    if (applicable.length === 0) continue;
    const missing = (['UDP', 'TCP'] as const).filter((pr) => !applicable.some((p) => p.egress.some((r) => allowsDns(r, pr, idx))) && !adminAllowsDns(pod, pr, idx));
    if (missing.length === 0) continue;
    const owner = applicable[0]!;
    const entry = lost.get(owner) ?? { protocols: new Set<Protocol>(), pods: 0 };
    missing.forEach((m) => entry.protocols.add(m));
    entry.pods++;
    lost.set(owner, entry);
  }
  return [...lost.entries()].map(([p, e]) => {
    const protos = [...e.protocols].sort().reverse();
    return finding(
      'egress-deny-blocks-dns',
      'warning',
      p,
      'spec.policyTypes',
      `${e.pods} pod${e.pods === 1 ? '' : 's'} isolated for egress (this policy selects ${e.pods === 1 ? 'it' : 'them'}) may not reach DNS: no egress rule allows ${protos.map((x) => `${x}/53`).join(' or ')}, so name lookups fail`,
      `add an egress rule for the cluster DNS: {to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}`,
    );
  });
}

export function cniNotEnforcing({ idx }: LintInput): Finding[] {
  return (idx.state.limitations ?? []).flatMap((l) =>
    l.id === 'cni-no' || l.id === 'cni-unknown'
      ? [{ rule: 'cni-not-enforcing', severity: (l.id === 'cni-no' ? 'error' : 'warning') as LintSeverity, object: { kind: 'Cluster', name: 'cluster' }, message: l.message, suggestion: 'run a network plugin that enforces NetworkPolicy (Calico, Cilium, kube-router, Antrea, ...) or enable its policy mode; until then every policy here is inert' }]
      : [],
  );
}
