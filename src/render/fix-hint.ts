// "What would fix it": one actionable sentence per denying side, derived from the closest rule.
import { Reason } from '../engine/reasons.js';
import type { DirectionTrace, PeerTrace, TierTrace, Verdict } from '../engine/trace.js';
import { policyName } from './describe.js';

/** One hint per denying side, prefixed with the side. */
export function suggestFix(v: Verdict, from: string, to: string): string[] {
  const hints: string[] = [];
  for (const side of [v.egress, v.ingress]) {
    if (side.allowed) continue;
    const self = side.direction === 'Egress' ? from : to;
    const other = side.direction === 'Egress' ? to : from;
    hints.push(`${side.direction.toLowerCase()}: ${sideHint(side, self, other, v)}`);
  }
  return hints;
}

function sideHint(side: DirectionTrace, self: string, other: string, v: Verdict): string {
  const dir = side.direction.toLowerCase();
  const tier = side.tiers.find((t) => t.tier === side.decidedBy);
  const port = `${v.query.protocol}/${v.query.port}`;
  if (!tier) return `allow ${dir} ${self} <-> ${other} on ${port}`;
  if (tier.tier === 'Admin' && tier.deciding) {
    return `${policyName(tier.deciding.policy)} ${dir}[${tier.deciding.ruleIndex}] denies this and overrides NetworkPolicy; only a cluster admin can change it (or add a higher-priority Allow/Pass rule)`;
  }
  if (tier.tier === 'Baseline' && tier.deciding) {
    return `${policyName(tier.deciding.policy)} denies this because no NetworkPolicy isolates ${self}; a NetworkPolicy selecting ${self} with a rule allowing ${other} on ${port} takes precedence over the baseline`;
  }
  return netpolHint(tier, side, self, other, port);
}

function netpolHint(tier: TierTrace, side: DirectionTrace, self: string, other: string, port: string): string {
  const dir = side.direction.toLowerCase();
  const key = side.direction === 'Ingress' ? 'from' : 'to';
  const closest = tier.closest;
  const generic = `add an ${dir} rule allowing ${other} on ${port} to a NetworkPolicy that selects ${self}`;
  if (!closest) return generic;
  const policy = tier.policies.find((p) => p.policy.name === closest.policy.name && p.policy.namespace === closest.policy.namespace);
  const rule = policy?.rules[closest.ruleIndex];
  const where = `${policyName(closest.policy)} ${dir}[${closest.ruleIndex}]`;
  if (!rule) return generic;
  if (closest.failed === Reason.rulePortNotMatched) return `add ${port} to the ports of ${where} (its peers already match ${other})`;
  const peer = bestPeer(rule.peers);
  if (!peer) return generic;
  const at = `${where}.${key}[${peer.index}]`;
  switch (peer.reason) {
    case Reason.policyNamespaceMismatch:
      return `${at} has a podSelector but no namespaceSelector, so it only covers namespace ${peer.policyNamespace}; add a namespaceSelector for ${other}'s namespace in the SAME peer item (no extra dash)`;
    case Reason.podSelectorMismatch:
      return peer.podSelector?.failure
        ? `${at}: ${other} lacks label ${peer.podSelector.failure.key}${peer.podSelector.failure.values[0] ? `=${peer.podSelector.failure.values[0]}` : ''}; label the pod or widen the podSelector`
        : generic;
    case Reason.namespaceSelectorMismatch:
      return peer.namespaceSelector?.failure
        ? `${at}: the namespace of ${other} lacks label ${peer.namespaceSelector.failure.key}${peer.namespaceSelector.failure.values[0] ? `=${peer.namespaceSelector.failure.values[0]}` : ''}; label the namespace or widen the namespaceSelector`
        : generic;
    case Reason.ipBlockOutsideCidr:
    case Reason.ipBlockExcepted:
      return `${at}: ${other}${peer.ip && peer.ip !== other ? ` (${peer.ip})` : ''} is not covered by the ipBlock; widen the CIDR or remove the except`;
    default:
      return generic;
  }
}

/** The peer that got furthest: selector peers that passed the namespace check beat the rest. */
function bestPeer(peers: readonly PeerTrace[]): PeerTrace | undefined {
  const rank = (p: PeerTrace) => (p.reason === Reason.podSelectorMismatch ? 3 : p.reason === Reason.policyNamespaceMismatch ? 2 : p.reason === Reason.namespaceSelectorMismatch ? 1 : 0);
  return [...peers].sort((a, b) => rank(b) - rank(a))[0];
}
