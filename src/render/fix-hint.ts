// "What would fix it": one actionable sentence per denying side, derived from the closest rule.
// Hints add what is missing to a policy (a peer, a port). They never suggest relabelling a pod or a
// namespace: labels decide which OTHER policies select it, so relabelling has effects a hint cannot see.
import { Reason } from '../engine/reasons.js';
import type { DirectionTrace, Endpoint, PeerTrace, PolicyRef, RuleTrace, TierTrace, Verdict } from '../engine/trace.js';
import { policyName } from './describe.js';

/**
 * One fix for one denying side, as data (`-o json` `fixes`) and as the text's `fix` line. `policy`
 * and `rule` name what to change (`rule` is a path inside that policy's spec rules, e.g.
 * `ingress[0].from[1]`); both are null when the fix is a new policy.
 */
export interface Fix {
  readonly side: 'egress' | 'ingress';
  readonly policy: PolicyRef | null;
  readonly rule: string | null;
  readonly text: string;
}

type Hint = Omit<Fix, 'side'>;

/** One fix per denying side. */
export function suggestFixes(v: Verdict, from: string, to: string): Fix[] {
  const fixes: Fix[] = [];
  for (const side of [v.egress, v.ingress]) {
    if (side.allowed) continue;
    const self = side.direction === 'Egress' ? from : to;
    const other = side.direction === 'Egress' ? to : from;
    fixes.push({ side: side.direction === 'Egress' ? 'egress' : 'ingress', ...sideHint(side, self, other, v) });
  }
  return fixes;
}

/** The fixes as the text prints them after `fix`: `egress: ...`. */
export function suggestFix(v: Verdict, from: string, to: string): string[] {
  return suggestFixes(v, from, to).map((f) => `${f.side}: ${f.text}`);
}

const hint = (policy: PolicyRef | null, rule: string | null, text: string): Hint => ({ policy, rule, text });

function sideHint(side: DirectionTrace, self: string, other: string, v: Verdict): Hint {
  const dir = side.direction.toLowerCase();
  const tier = side.tiers.find((t) => t.tier === side.decidedBy);
  const port = `${v.query.protocol}/${v.query.port}`;
  if (!tier) return hint(null, null, `allow ${dir} ${self} <-> ${other} on ${port}`);
  if (tier.tier === 'Admin' && tier.deciding) {
    const priority = tier.deciding.policy.priority;
    // ClusterNetworkPolicy (v1alpha2) spells Allow as Accept.
    const actions = tier.deciding.policy.kind === 'ClusterNetworkPolicy' ? 'Accept/Pass' : 'Allow/Pass';
    const earlier = priority !== undefined ? `an ${actions} rule with a lower priority number than ${priority}` : `an earlier ${actions} rule`;
    const rule = `${dir}[${tier.deciding.ruleIndex}]`;
    return hint(tier.deciding.policy, rule, `${policyName(tier.deciding.policy)} ${rule} denies this and overrides NetworkPolicy; only a cluster admin can change it (or add ${earlier})`);
  }
  const otherEndpoint = side.direction === 'Egress' ? v.query.to : v.query.from;
  if (tier.tier === 'Baseline' && tier.deciding) {
    const peer = peerFor(otherEndpoint, other, side.pod?.namespace);
    const key = side.direction === 'Ingress' ? 'from' : 'to';
    // The fix is a new NetworkPolicy: the baseline rule is named only as the reason.
    return hint(
      null,
      null,
      `${policyName(tier.deciding.policy)} denies this because no NetworkPolicy isolates ${self}; a NetworkPolicy selecting ${self} with a rule allowing ${other} on ${port} (${key}-peer: ${peer.spec}) takes precedence over the baseline${peer.note ? `; ${peer.note}` : ''}`,
    );
  }
  return netpolHint(tier, side, other, otherEndpoint, port);
}

function netpolHint(tier: TierTrace, side: DirectionTrace, other: string, otherEndpoint: Endpoint, port: string): Hint {
  const dir = side.direction.toLowerCase();
  const key = side.direction === 'Ingress' ? 'from' : 'to';
  const closest = tier.closest;
  const selfNamespace = side.pod?.namespace;
  if (!closest) {
    const peer = peerFor(otherEndpoint, other, selfNamespace);
    const self = side.pod ? `${side.pod.namespace}/${side.pod.name}` : 'the pod';
    return hint(null, null, `add an ${dir} rule to a NetworkPolicy that selects ${self}, with a ${key}-peer for ${other} (${peer.spec}) and the port ${port}${peer.note ? `; ${peer.note}` : ''}`);
  }
  const policy = tier.policies.find((p) => p.policy.name === closest.policy.name && p.policy.namespace === closest.policy.namespace);
  const rule = policy?.rules[closest.ruleIndex];
  const rulePath = `${dir}[${closest.ruleIndex}]`;
  const where = `${policyName(closest.policy)} ${rulePath}`;
  if (closest.failed === Reason.rulePortNotMatched) return hint(closest.policy, `${rulePath}.ports`, `add ${port} to the ports of ${where} (its peers already match ${other})`);
  const peer = rule ? bestPeer(rule.peers, otherEndpoint) : undefined;
  if (peer) {
    const peerPath = `${rulePath}.${key}[${peer.index}]`;
    const at = `${where}.${key}[${peer.index}]`;
    switch (peer.reason) {
      case Reason.policyNamespaceMismatch:
        return hint(closest.policy, peerPath, `${at} has a podSelector but no namespaceSelector, so it only covers namespace ${peer.policyNamespace}; add a namespaceSelector for ${other}'s namespace in the SAME peer item (no extra dash)`);
      case Reason.ipBlockOutsideCidr:
      case Reason.ipBlockExcepted:
        if (!isPlainPod(otherEndpoint)) return hint(closest.policy, peerPath, `${at}: ${other}${peer.ip && peer.ip !== other ? ` (${peer.ip})` : ''} is not covered by the ipBlock; widen the CIDR or remove the except`);
    }
  }
  return hint(closest.policy, rulePath, addPeerHint(where, key, dir, rule, other, otherEndpoint, closest.policy.namespace ?? selfNamespace, port));
}

/** The closest rule lacks a peer for `other` (and maybe the port): say what to add. */
function addPeerHint(where: string, key: string, dir: string, rule: RuleTrace | undefined, other: string, otherEndpoint: Endpoint, policyNamespace: string | undefined, port: string): string {
  const peer = peerFor(otherEndpoint, other, policyNamespace);
  const portsFail = rule !== undefined && !rule.allPorts && !rule.ports.some((p) => p.matched);
  const what = `add a ${key}-peer ${peer.spec.startsWith('ipBlock') ? peer.spec : `for ${other} (${peer.spec})`}${portsFail ? ` and ${port} to its ports, or put both in a new ${dir} rule so the existing peers do not gain the port` : ''}`;
  return `${where}: ${what}${peer.note ? `; ${peer.note}` : ''}`;
}

/** A pod that selectors can match (not hostNetwork). */
function isPlainPod(ep: Endpoint): boolean {
  return ep.kind === 'pod' && !ep.pod.hostNetwork;
}

/** Labels that identify a pod's role rather than one replica or revision. */
const ROLE_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'app.kubernetes.io/component', 'component', 'role', 'tier'];
const REPLICA_LABELS = /^(pod-template-hash|controller-revision-hash|pod-template-generation|statefulset\.kubernetes\.io\/pod-name|apps\.kubernetes\.io\/pod-index|controller-uid|job-name|batch\.kubernetes\.io\/.*)$/;

/**
 * A peer term that selects `ep`, as a policy in `policyNamespace` would write it: podSelector alone in
 * the same namespace, namespaceSelector AND podSelector in one item otherwise; an ipBlock for node
 * traffic and outside addresses (with `note` saying why selectors cannot do it).
 */
function peerFor(ep: Endpoint, label: string, policyNamespace: string | undefined): { spec: string; note?: string } {
  if (ep.kind === 'ip') {
    const block = `ipBlock ${hostCidr(ep.ip)}`;
    return ep.node ? { spec: block, note: 'pod and namespace selectors cannot match node traffic' } : { spec: block };
  }
  const pod = ep.pod;
  if (pod.hostNetwork) {
    const ip = pod.ips[0];
    return { spec: ip ? `ipBlock ${hostCidr(ip)}` : 'ipBlock <node IP>/32', note: `${label} uses hostNetwork, and pod and namespace selectors cannot match node traffic` };
  }
  const keys = Object.keys(pod.labels).filter((k) => !REPLICA_LABELS.test(k));
  const key = ROLE_LABELS.find((k) => pod.labels[k] !== undefined) ?? keys.sort()[0];
  const podSel = key !== undefined ? `podSelector ${key}=${pod.labels[key]}` : `podSelector matching ${label} (it has no labels yet, so it needs one)`;
  if (pod.namespace === policyNamespace) return { spec: podSel };
  return { spec: `namespaceSelector kubernetes.io/metadata.name=${pod.namespace} AND ${podSel}, in one item` };
}

const hostCidr = (ip: string) => `${ip}/${ip.includes(':') ? 128 : 32}`;

/** The peer that got furthest: selector peers that passed the namespace check beat the rest. */
function bestPeer(peers: readonly PeerTrace[], other: Endpoint): PeerTrace | undefined {
  const ipFirst = !isPlainPod(other);
  const rank = (p: PeerTrace) => {
    if (p.reason === Reason.ipBlockOutsideCidr || p.reason === Reason.ipBlockExcepted) return ipFirst ? 4 : 0;
    return p.reason === Reason.podSelectorMismatch ? 3 : p.reason === Reason.policyNamespaceMismatch ? 2 : p.reason === Reason.namespaceSelectorMismatch ? 1 : 0;
  };
  return [...peers].sort((a, b) => rank(b) - rank(a))[0];
}
