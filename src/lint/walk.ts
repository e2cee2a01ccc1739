// Helpers the lint rules share: field paths of NetworkPolicy rules and peers, and which pods a
// selector or peer reaches.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { formatSelector, selectorMatches } from '../engine/labels.js';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, PodInfo, PolicyType } from '../engine/model.js';
import type { Finding, LintObject, LintSeverity } from './types.js';

export const isEmptySelector = (s: LabelSelector): boolean => Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;

export interface RuleAt {
  readonly policy: NetworkPolicy;
  readonly direction: PolicyType;
  readonly rule: NetworkPolicyRule;
  readonly index: number;
  /** `spec.ingress[0]` */
  readonly path: string;
  /** `from` or `to` */
  readonly peersKey: 'from' | 'to';
}

/** Every rule of every NetworkPolicy, in a direction its policyTypes make effective. */
export function* policyRules(idx: ClusterIndex): Generator<RuleAt> {
  for (const policy of idx.state.networkPolicies)
    for (const direction of ['Ingress', 'Egress'] as const) {
      if (!policy.policyTypes.includes(direction)) continue;
      const list = direction === 'Ingress' ? policy.ingress : policy.egress;
      const key = direction === 'Ingress' ? 'ingress' : 'egress';
      for (const [index, rule] of list.entries()) yield { policy, direction, rule, index, path: `spec.${key}[${index}]`, peersKey: direction === 'Ingress' ? 'from' : 'to' };
    }
}

export const policyObject = (p: NetworkPolicy): LintObject => ({ kind: 'NetworkPolicy', namespace: p.namespace, name: p.name });

export function finding(rule: string, severity: LintSeverity, p: NetworkPolicy, field: string | undefined, message: string, suggestion: string): Finding {
  return { rule, severity, object: policyObject(p), ...(field !== undefined ? { field } : {}), message, suggestion, ...(p.source ? { source: p.source } : {}) };
}

/** Pods a policy selects (hostNetwork pods are never selected). */
export function selectedPods(p: NetworkPolicy, idx: ClusterIndex): PodInfo[] {
  return idx.podsIn(p.namespace).filter((pod) => !pod.hostNetwork && selectorMatches(p.podSelector, pod.labels));
}

/** Every namespace known to the input: given, or holding pods. */
export function namespaceNames(idx: ClusterIndex): string[] {
  return [...new Set([...idx.state.namespaces.map((n) => n.name), ...idx.state.pods.map((p) => p.namespace)])].sort();
}

/** Namespaces a selector peer reaches: the policy's own without a namespaceSelector. */
export function peerNamespaces(peer: NetworkPolicyPeer, policyNamespace: string, idx: ClusterIndex): string[] {
  if (!peer.namespaceSelector) return [policyNamespace];
  return namespaceNames(idx).filter((ns) => selectorMatches(peer.namespaceSelector!, idx.namespaceLabels(ns)));
}

/** Pods a selector peer matches (ipBlock peers: none; use them only with selector peers). */
export function peerPods(peer: NetworkPolicyPeer, policyNamespace: string, idx: ClusterIndex): PodInfo[] {
  return peerNamespaces(peer, policyNamespace, idx).flatMap((ns) => idx.podsIn(ns).filter((p) => !p.hostNetwork && (!peer.podSelector || selectorMatches(peer.podSelector, p.labels))));
}

export function peerLabel(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector ${formatSelector(peer.podSelector)}`);
  return parts.join(' AND ');
}
