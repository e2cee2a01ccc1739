// Candidate edits that could let one denying side of a connection through: a port or a peer added to
// the closest rule, a new rule, a new policy, or an admin-tier Allow placed before the deciding
// rule. Candidates are only proposals: suggest.ts keeps those the engine verifies.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { formatSelector } from '../engine/labels.js';
import type { AdminPeer, AdminPolicy, AdminRule, LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, PolicyType, Protocol } from '../engine/model.js';
import { Reason } from '../engine/reasons.js';
import type { DirectionTrace, Endpoint } from '../engine/trace.js';
import type { AnyPolicy } from '../diff/apply.js';

/** One proposed edit: the policy after the edit, and what the edit is, in words. */
export interface Candidate {
  readonly policy: AnyPolicy;
  /** `add TCP/5432 to egress[0].ports`, `add egress rule [1]`, `new NetworkPolicy`, ... */
  readonly edit: string;
  /** Smaller is a smaller change to review: 1 = one field, 2 = a rule, 3 = a new policy, 4 = an admin policy. */
  readonly size: number;
  readonly isNew: boolean;
  /** The side of the connection the edit lets through. */
  readonly direction: PolicyType;
  /** Path of what changes inside the policy's spec rules (`egress[1]`, `ingress[0].from`); null for a new policy. */
  readonly rule: string | null;
}

const NAME_LABEL = 'kubernetes.io/metadata.name';
/** Labels that identify a pod's role rather than one replica or revision. */
const ROLE_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'app.kubernetes.io/component', 'component', 'role', 'tier'];
const REPLICA_LABELS = /^(pod-template-hash|controller-revision-hash|pod-template-generation|statefulset\.kubernetes\.io\/pod-name|apps\.kubernetes\.io\/pod-index|controller-uid|job-name|batch\.kubernetes\.io\/.*)$/;

/** Pod selectors for a pod, narrowest last: its role label, then all of its stable labels. */
export function podSelectorsFor(labels: Readonly<Record<string, string>>): LabelSelector[] {
  const stable = Object.keys(labels).filter((k) => !REPLICA_LABELS.test(k)).sort();
  if (stable.length === 0) return [];
  const role = ROLE_LABELS.find((k) => labels[k] !== undefined) ?? stable[0]!;
  const out: LabelSelector[] = [{ matchLabels: { [role]: labels[role]! } }];
  if (stable.length > 1) out.push({ matchLabels: Object.fromEntries(stable.map((k) => [k, labels[k]!])) });
  return out;
}

const hostCidr = (ip: string) => `${ip}/${ip.includes(':') ? 128 : 32}`;

/** The endpoint's IP when selectors cannot match it (outside address, node, hostNetwork pod). */
function addressOf(ep: Endpoint): string | undefined {
  if (ep.kind === 'ip') return ep.ip;
  return ep.pod.hostNetwork ? ep.pod.ips[0] : undefined;
}

/** NetworkPolicy peers that select `ep`, as a policy in `policyNamespace` writes them. */
export function netpolPeersFor(ep: Endpoint, policyNamespace: string): NetworkPolicyPeer[] {
  const ip = addressOf(ep);
  if (ip !== undefined) return [{ ipBlock: { cidr: hostCidr(ip) } }];
  if (ep.kind !== 'pod') return [];
  const pod = ep.pod;
  return podSelectorsFor(pod.labels).map((podSelector) => (pod.namespace === policyNamespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAME_LABEL]: pod.namespace } }, podSelector }));
}

function adminPeersFor(ep: Endpoint, dir: PolicyType): AdminPeer[] {
  const ip = addressOf(ep);
  if (ip !== undefined) return dir === 'Egress' ? [{ kind: 'networks', cidrs: [hostCidr(ip)] }] : [];
  if (ep.kind !== 'pod') return [];
  const nsSel = { matchLabels: { [NAME_LABEL]: ep.pod.namespace } };
  return podSelectorsFor(ep.pod.labels).map((podSelector) => ({ kind: 'pods', namespaceSelector: nsSel, podSelector }));
}

/** `namespaceSelector kubernetes.io/metadata.name=backend AND podSelector app=db`, `ipBlock 10.0.0.7/32`. */
export function peerText(p: NetworkPolicyPeer): string {
  if (p.ipBlock) return `ipBlock ${p.ipBlock.cidr}`;
  const parts = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${formatSelector(p.namespaceSelector)}`);
  if (p.podSelector) parts.push(`podSelector ${formatSelector(p.podSelector)}`);
  return parts.join(' AND ');
}

function adminPeerText(p: AdminPeer): string {
  if (p.kind === 'networks') return `networks ${p.cidrs.join(',')}`;
  if (p.kind === 'pods') return `pods namespaceSelector ${formatSelector(p.namespaceSelector)} AND podSelector ${formatSelector(p.podSelector)}`;
  return p.kind;
}

/** Said where an ipBlock stands for a node: why the fix is not a selector. */
export function nodeNote(ep: Endpoint): string {
  const node = ep.kind === 'ip' ? ep.node !== undefined : ep.pod.hostNetwork;
  return node ? ' (node traffic: pod and namespace selectors cannot match it)' : '';
}

const withRules = (p: NetworkPolicy, dir: PolicyType, rules: NetworkPolicyRule[]): NetworkPolicy => (dir === 'Ingress' ? { ...p, ingress: rules } : { ...p, egress: rules });

/** DNS-1123 name for a new object. */
function objectName(parts: string[]): string {
  const s = parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return s.slice(0, 63).replace(/-$/, '');
}

export interface SideContext {
  readonly side: DirectionTrace;
  readonly self: Endpoint & { kind: 'pod' };
  readonly other: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
  readonly idx: ClusterIndex;
}

export function candidatesFor(ctx: SideContext): Candidate[] {
  const { side } = ctx;
  if (side.decidedBy === 'NetworkPolicy') return netpolCandidates(ctx);
  if (side.decidedBy === 'Admin' || side.decidedBy === 'Baseline') {
    const tier = side.tiers.find((t) => t.tier === side.decidedBy);
    const deciding = tier?.deciding;
    const policy = deciding ? ctx.idx.state.adminPolicies.find((p) => p.kind === deciding.policy.kind && p.name === deciding.policy.name) : undefined;
    const out: Candidate[] = policy && deciding ? adminCandidates(ctx, policy, deciding.ruleIndex) : [];
    // A baseline deny also yields to any NetworkPolicy that selects the pod (it then isolates the pod).
    if (side.decidedBy === 'Baseline') out.push(...newPolicyCandidates(ctx));
    return out;
  }
  return [];
}

function portTerm(ctx: SideContext) {
  return { protocol: ctx.protocol, port: ctx.port };
}

function netpolCandidates(ctx: SideContext): Candidate[] {
  const { side, idx, self, other, port, protocol } = ctx;
  const dir = side.direction;
  const key = dir === 'Ingress' ? 'ingress' : 'egress';
  const tier = side.tiers.find((t) => t.tier === 'NetworkPolicy');
  const out: Candidate[] = [];
  const closest = tier?.closest;
  const policyByRef = (ns: string | undefined, name: string) => idx.policiesIn(ns ?? self.pod.namespace).find((p) => p.name === name);
  if (closest) {
    const policy = policyByRef(closest.policy.namespace, closest.policy.name);
    const rule = policy ? (dir === 'Ingress' ? policy.ingress : policy.egress)[closest.ruleIndex] : undefined;
    const ruleTrace = tier?.policies.find((p) => p.policy.name === closest.policy.name && p.policy.namespace === closest.policy.namespace)?.rules[closest.ruleIndex];
    if (policy && rule && ruleTrace) {
      const rules = [...(dir === 'Ingress' ? policy.ingress : policy.egress)];
      if (closest.failed === Reason.rulePortNotMatched && rule.ports) {
        rules[closest.ruleIndex] = { ...rule, ports: [...rule.ports, portTerm(ctx)] };
        out.push({ policy: { type: 'netpol', policy: withRules(policy, dir, [...rules]) }, edit: `add ${protocol}/${port} to the ports of ${key}[${closest.ruleIndex}] (its peers already match)`, size: 1, isNew: false, direction: dir, rule: `${key}[${closest.ruleIndex}].ports` });
      }
      const portsMatch = ruleTrace.allPorts || ruleTrace.ports.some((p) => p.matched);
      if (portsMatch && rule.peers && rule.peers.length > 0) {
        for (const peer of netpolPeersFor(other, policy.namespace)) {
          const r2 = [...(dir === 'Ingress' ? policy.ingress : policy.egress)];
          r2[closest.ruleIndex] = { ...rule, peers: [...rule.peers, peer] };
          out.push({ policy: { type: 'netpol', policy: withRules(policy, dir, r2) }, edit: `add the ${dir === 'Ingress' ? 'from' : 'to'}-peer ${peerText(peer)} to ${key}[${closest.ruleIndex}] (its ports already match)${nodeNote(other)}`, size: 1, isNew: false, direction: dir, rule: `${key}[${closest.ruleIndex}].${dir === 'Ingress' ? 'from' : 'to'}` });
        }
      }
    }
  }
  // A new rule in a policy that already selects the pod for this direction (closest first).
  const applicable = (tier?.policies ?? [])
    .filter((t) => t.applies)
    .map((t) => policyByRef(t.policy.namespace, t.policy.name))
    .filter((p): p is NetworkPolicy => p !== undefined)
    .sort((a, b) => (a.name === closest?.policy.name ? -1 : b.name === closest?.policy.name ? 1 : 0))
    .slice(0, 3);
  for (const policy of applicable) {
    const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
    for (const peer of netpolPeersFor(other, policy.namespace)) {
      const rule: NetworkPolicyRule = { peers: [peer], ports: [portTerm(ctx)] };
      out.push({ policy: { type: 'netpol', policy: withRules(policy, dir, [...rules, rule]) }, edit: `add ${key} rule [${rules.length}]: ${dir === 'Ingress' ? 'from' : 'to'} ${peerText(peer)}, port ${protocol}/${port}${nodeNote(other)}`, size: 2, isNew: false, direction: dir, rule: `${key}[${rules.length}]` });
    }
  }
  out.push(...newPolicyCandidates(ctx));
  return out;
}

/** A new NetworkPolicy that selects the pod and allows this one peer and port. */
function newPolicyCandidates(ctx: SideContext): Candidate[] {
  const { side, self, other, port, protocol } = ctx;
  const dir = side.direction;
  const otherName = other.kind === 'pod' ? (other.pod.workload?.name ?? other.pod.name) : other.ip.replace(/[.:]/g, '-');
  const out: Candidate[] = [];
  for (const podSelector of podSelectorsFor(self.pod.labels).slice(0, 1)) {
    for (const peer of netpolPeersFor(other, self.pod.namespace)) {
      const rule: NetworkPolicyRule = { peers: [peer], ports: [{ protocol, port }] };
      const policy: NetworkPolicy = {
        namespace: self.pod.namespace,
        name: objectName(['allow', dir === 'Ingress' ? 'from' : 'to', otherName, String(port)]),
        podSelector,
        policyTypes: [dir],
        policyTypesInferred: false,
        ingress: dir === 'Ingress' ? [rule] : [],
        egress: dir === 'Egress' ? [rule] : [],
      };
      out.push({ policy: { type: 'netpol', policy }, edit: `selects podSelector ${formatSelector(podSelector)} (policyTypes ${dir}), one rule: ${dir === 'Ingress' ? 'from' : 'to'} ${peerText(peer)}, port ${protocol}/${port}`, size: 3, isNew: true, direction: dir, rule: null });
    }
  }
  return out;
}

/** An Allow (Accept) rule placed right before the admin rule that denies. */
function adminCandidates(ctx: SideContext, policy: AdminPolicy, ruleIndex: number): Candidate[] {
  const dir = ctx.side.direction;
  const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
  const v2 = policy.kind === 'ClusterNetworkPolicy';
  const otherName = ctx.other.kind === 'pod' ? (ctx.other.pod.workload?.name ?? ctx.other.pod.name) : 'address';
  return adminPeersFor(ctx.other, dir).map((peer) => {
    const rule: AdminRule = {
      name: objectName(['allow', ctx.self.pod.workload?.name ?? ctx.self.pod.name, dir === 'Ingress' ? 'from' : 'to', otherName, String(ctx.port)]),
      action: 'Allow',
      actionName: v2 ? 'Accept' : 'Allow',
      peers: [peer],
      ports: [{ kind: 'number', protocol: ctx.protocol, port: ctx.port }],
    };
    const next = [...rules.slice(0, ruleIndex), rule, ...rules.slice(ruleIndex)];
    const patched: AdminPolicy = dir === 'Ingress' ? { ...policy, ingress: next } : { ...policy, egress: next };
    return { policy: { type: 'admin', policy: patched }, edit: `add ${v2 ? 'an Accept' : 'an Allow'} rule at ${dir.toLowerCase()}[${ruleIndex}], before the rule that denies: ${dir === 'Ingress' ? 'from' : 'to'} ${adminPeerText(peer)}, port ${ctx.protocol}/${ctx.port}`, size: 4, isNew: false, direction: dir, rule: `${dir.toLowerCase()}[${ruleIndex}]` };
  });
}
