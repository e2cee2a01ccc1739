// Pure view-model of the TUI: what the namespace, pod and policy views show, computed from the
// engine's ClusterIndex (no IO, no rendering). The same selector and peer functions as explain.
import { adminSubject } from '../engine/admin-tier.js';
import type { ClusterIndex } from '../engine/cluster-index.js';
import { formatSelector, isEmptySelector, selectorMatches } from '../engine/labels.js';
import type { AdminPolicy, NetworkPolicy, NetworkPolicyRule, PodInfo, PolicyType } from '../engine/model.js';
import { matchAdminPeer, matchNetpolPeer } from '../engine/peers.js';
import { matchAdminPort, matchNetpolPort } from '../engine/ports.js';
import { podLabel } from '../engine/resolve.js';
import { peerWhat } from '../render/describe.js';

/**
 * How a namespace is isolated in one direction:
 * - `default-deny`: a policy selects every pod (`podSelector: {}`) for the direction and allows
 *   nothing itself, so only what other rules allow gets through (new pods included);
 * - `isolated`: every pod is selected by some policy for the direction (a future pod may not be);
 * - `partial`: some pods are; `open`: none (every connection allowed unless an admin tier decides);
 * - `empty`: no pods that policies can select (hostNetwork pods never are).
 */
export type Isolation = { readonly kind: 'default-deny' | 'isolated' | 'open' | 'empty' } | { readonly kind: 'partial'; readonly isolated: number; readonly total: number };

export interface NamespaceSummary {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly pods: number;
  readonly policies: number;
  /** Admin-tier policies whose subject covers the namespace (or some of its pods). */
  readonly adminPolicies: readonly AdminPolicy[];
  readonly ingress: Isolation;
  readonly egress: Isolation;
}

const DIRECTIONS: readonly PolicyType[] = ['Ingress', 'Egress'];

/** Policies of the pod's namespace that select it for `dir`; hostNetwork pods are never selected. */
export function policiesSelecting(idx: ClusterIndex, pod: PodInfo, dir: PolicyType): NetworkPolicy[] {
  if (pod.hostNetwork) return [];
  return idx.policiesIn(pod.namespace).filter((p) => p.policyTypes.includes(dir) && selectorMatches(p.podSelector, pod.labels));
}

/** Admin-tier policies whose subject selects the pod, in evaluation order (Admin tier first). */
export function adminSelecting(idx: ClusterIndex, pod: PodInfo): AdminPolicy[] {
  return [...idx.adminPolicies('Admin'), ...idx.adminPolicies('Baseline')].filter((p) => adminSubject(p, pod, idx).matched);
}

const rulesOf = (p: NetworkPolicy, dir: PolicyType): readonly NetworkPolicyRule[] => (dir === 'Ingress' ? p.ingress : p.egress);

export function isolation(idx: ClusterIndex, namespace: string, dir: PolicyType): Isolation {
  const pods = idx.podsIn(namespace).filter((p) => !p.hostNetwork);
  if (pods.length === 0) return { kind: 'empty' };
  const policies = idx.policiesIn(namespace).filter((p) => p.policyTypes.includes(dir));
  if (policies.some((p) => isEmptySelector(p.podSelector) && rulesOf(p, dir).length === 0)) return { kind: 'default-deny' };
  const isolated = pods.filter((pod) => policies.some((p) => selectorMatches(p.podSelector, pod.labels))).length;
  if (isolated === 0) return { kind: 'open' };
  return isolated === pods.length ? { kind: 'isolated' } : { kind: 'partial', isolated, total: pods.length };
}

export function isolationText(i: Isolation): string {
  return i.kind === 'partial' ? `partial ${i.isolated}/${i.total}` : i.kind === 'empty' ? '-' : i.kind;
}

/** Admin policies reaching a namespace: the subject's namespaceSelector matches its labels. */
export function adminReaching(idx: ClusterIndex, namespace: string): AdminPolicy[] {
  const labels = idx.namespaceLabels(namespace);
  return [...idx.adminPolicies('Admin'), ...idx.adminPolicies('Baseline')].filter((p) => selectorMatches(p.subject.namespaceSelector, labels));
}

export function namespaceSummaries(idx: ClusterIndex): NamespaceSummary[] {
  const names = new Set<string>(idx.state.namespaces.map((n) => n.name));
  for (const p of idx.state.pods) names.add(p.namespace);
  for (const p of idx.state.networkPolicies) names.add(p.namespace);
  return [...names].sort().map((name) => ({
    name,
    labels: idx.namespaceLabels(name),
    pods: idx.podsIn(name).length,
    policies: idx.policiesIn(name).length,
    adminPolicies: adminReaching(idx, name),
    ingress: isolation(idx, name, 'Ingress'),
    egress: isolation(idx, name, 'Egress'),
  }));
}

export interface PodDetail {
  readonly pod: PodInfo;
  readonly label: string;
  readonly ingress: readonly NetworkPolicy[];
  readonly egress: readonly NetworkPolicy[];
  readonly admin: readonly AdminPolicy[];
}

export function podDetail(idx: ClusterIndex, pod: PodInfo): PodDetail {
  return { pod, label: podLabel(pod), ingress: policiesSelecting(idx, pod, 'Ingress'), egress: policiesSelecting(idx, pod, 'Egress'), admin: adminSelecting(idx, pod) };
}

export interface PeerDetail {
  readonly text: string;
  /** Pods (any namespace) the peer covers; ipBlock peers match by address. */
  readonly pods: readonly string[];
}

export interface RuleDetail {
  readonly title: string;
  /** undefined = every peer (no from/to). */
  readonly peers?: readonly PeerDetail[];
  readonly ports: string;
}

export interface PolicyDetail {
  readonly policy: NetworkPolicy;
  readonly podSelector: string;
  readonly types: string;
  readonly selected: readonly string[];
  readonly rules: readonly RuleDetail[];
}

/** An endpoint to describe a peer with: peer texts do not depend on which pod is tested. */
const DESCRIBE_POD: PodInfo = { namespace: '\u0000', name: '\u0000', labels: {}, ips: ['0.0.0.0'], ports: [], hostNetwork: false };

function portsText(rule: NetworkPolicyRule): string {
  if (!rule.ports || rule.ports.length === 0) return 'all ports';
  return rule.ports.map((t, i) => matchNetpolPort(t, i, { port: 0, protocol: 'TCP', destinationPod: undefined }).spec).join(', ');
}

export function policyDetail(idx: ClusterIndex, policy: NetworkPolicy): PolicyDetail {
  const selected = idx.podsIn(policy.namespace).filter((p) => !p.hostNetwork && selectorMatches(policy.podSelector, p.labels)).map(podLabel);
  const rules: RuleDetail[] = [];
  for (const dir of DIRECTIONS) {
    rulesOf(policy, dir).forEach((rule, ri) => {
      const title = `${dir.toLowerCase()}[${ri}]`;
      const ports = portsText(rule);
      if (!rule.peers || rule.peers.length === 0) {
        rules.push({ title, ports });
        return;
      }
      const peers = rule.peers.map((peer, i) => {
        const text = peerWhat(matchNetpolPeer(peer, i, policy.namespace, { kind: 'pod', pod: DESCRIBE_POD }, idx));
        const pods = idx.state.pods.filter((p) => matchNetpolPeer(peer, i, policy.namespace, { kind: 'pod', pod: p }, idx).matched).map(podLabel);
        return { text: `${dir === 'Ingress' ? 'from' : 'to'}[${i}] ${text}`, pods };
      });
      rules.push({ title, peers, ports });
    });
  }
  const types = `${policy.policyTypes.join(',')}${policy.policyTypesInferred ? ' (inferred)' : ''}`;
  return { policy, podSelector: formatSelector(policy.podSelector), types, selected, rules };
}

/** One line per admin policy: kind, name, tier and priority. */
export function adminText(p: AdminPolicy): string {
  return `${p.kind} ${p.name} (${p.tier}${p.kind === 'BaselineAdminNetworkPolicy' ? '' : `, priority ${p.priority}`})`;
}

export interface AdminDetail {
  readonly policy: AdminPolicy;
  readonly subject: string;
  /** Pods of the namespace the subject selects (hostNetwork pods never are). */
  readonly selectedHere: readonly string[];
  readonly rules: readonly (RuleDetail & { readonly action: string })[];
}

/** An admin-tier policy seen from one namespace: its subject, the pods it selects there, each rule's peers. */
export function adminDetail(idx: ClusterIndex, p: AdminPolicy, namespace: string): AdminDetail {
  const subj = p.subject;
  const subject = subj.kind === 'namespaces' ? `namespaces ${formatSelector(subj.namespaceSelector)}` : `pods ${formatSelector(subj.podSelector)} in namespaces ${formatSelector(subj.namespaceSelector)}`;
  const selectedHere = idx.podsIn(namespace).filter((pod) => adminSubject(p, pod, idx).matched).map(podLabel);
  const rules: (RuleDetail & { action: string })[] = [];
  for (const dir of DIRECTIONS) {
    (dir === 'Ingress' ? p.ingress : p.egress).forEach((rule, ri) => {
      const ports = rule.ports === undefined ? 'all ports' : rule.ports.map((t, i) => matchAdminPort(t, i, { port: 0, protocol: 'TCP', destinationPod: undefined }).spec).join(', ');
      const peers = rule.peers.map((peer, i) => ({
        text: `${dir === 'Ingress' ? 'from' : 'to'}[${i}] ${peerWhat(matchAdminPeer(peer, i, { kind: 'pod', pod: DESCRIBE_POD }, idx))}`,
        pods: idx.state.pods.filter((pod) => matchAdminPeer(peer, i, { kind: 'pod', pod }, idx).matched).map(podLabel),
      }));
      rules.push({ title: `${dir.toLowerCase()}[${ri}]${rule.name ? ` "${rule.name}"` : ''}`, action: rule.actionName, peers, ports });
    });
  }
  return { policy: p, subject, selectedHere, rules };
}
