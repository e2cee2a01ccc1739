// The NetworkPolicy tier for one direction of one pod: isolation, then the union of matching rules.
import type { ClusterIndex } from './cluster-index.js';
import type { NetworkPolicy, NetworkPolicyRule, PodInfo, PolicyType } from './model.js';
import { checkSelector, matchNetpolPeer } from './peers.js';
import { matchNetpolPort, type PortContext } from './ports.js';
import { Reason, type ReasonId } from './reasons.js';
import type { Endpoint, PolicyRef, PolicyTrace, RuleTrace, TierTrace } from './trace.js';

export function netpolRef(p: NetworkPolicy): PolicyRef {
  return { kind: 'NetworkPolicy', namespace: p.namespace, name: p.name };
}

/** Evaluates one rule; peers OR, ports OR, peers AND ports; omitted/empty lists mean "all". */
export function evaluateNetpolRule(rule: NetworkPolicyRule, ruleIndex: number, policyNamespace: string, other: Endpoint, ports: PortContext, idx: ClusterIndex): RuleTrace {
  const allPeers = !rule.peers || rule.peers.length === 0;
  const allPorts = !rule.ports || rule.ports.length === 0;
  const peers = allPeers ? [] : rule.peers!.map((p, i) => matchNetpolPeer(p, i, policyNamespace, other, idx));
  const portTraces = allPorts ? [] : rule.ports!.map((p, i) => matchNetpolPort(p, i, ports));
  const peerOk = allPeers || peers.some((p) => p.matched);
  const portOk = allPorts || portTraces.some((p) => p.matched);
  const reason: ReasonId = !peerOk ? Reason.rulePeerNotMatched : !portOk ? Reason.rulePortNotMatched : Reason.ruleMatched;
  return { index: ruleIndex, matched: peerOk && portOk, reason, allPeers, peers, allPorts, ports: portTraces };
}

/**
 * NetworkPolicy verdict for `pod` in `direction` against `other`. Allows if not isolated (decision
 * 'none': later tiers decide) or if any rule of any applicable policy matches; otherwise denies.
 */
export function evaluateNetpolTier(pod: PodInfo, direction: PolicyType, other: Endpoint, ports: PortContext, idx: ClusterIndex): TierTrace {
  const policies: PolicyTrace[] = [];
  let isolated = false;
  let deciding: TierTrace['deciding'];
  let closest: { policy: PolicyRef; ruleIndex: number; failed: ReasonId; score: number } | undefined;

  for (const policy of idx.policiesIn(pod.namespace)) {
    const selector = checkSelector(policy.podSelector, pod.labels);
    const ref = netpolRef(policy);
    const common = { policy: ref, selector, policyTypes: policy.policyTypes, policyTypesInferred: policy.policyTypesInferred };
    if (!selector.matched) {
      policies.push({ ...common, reason: Reason.policyDoesNotSelectPod, applies: false, rules: [] });
      continue;
    }
    if (!policy.policyTypes.includes(direction)) {
      policies.push({ ...common, reason: Reason.policyTypeNotApplicable, applies: false, rules: [] });
      continue;
    }
    isolated = true;
    const ruleList = direction === 'Ingress' ? policy.ingress : policy.egress;
    const rules = ruleList.map((r, i) => evaluateNetpolRule(r, i, policy.namespace, other, ports, idx));
    policies.push({ ...common, reason: rules.length === 0 ? Reason.noRulesDenyAll : Reason.policySelectsPod, applies: true, rules });
    for (const r of rules) {
      if (r.matched) {
        deciding ??= { policy: ref, ruleIndex: r.index };
        continue;
      }
      // Closeness: a rule whose peers matched but ports failed is one port away from allowing.
      const score = r.reason === Reason.rulePortNotMatched ? 2 : 1;
      if (!closest || score > closest.score) closest = { policy: ref, ruleIndex: r.index, failed: r.reason, score };
    }
  }

  if (!isolated) return { tier: 'NetworkPolicy', decision: 'none', reason: Reason.notIsolated, policies };
  if (deciding) {
    return { tier: 'NetworkPolicy', decision: 'allow', reason: direction === 'Ingress' ? Reason.ingressRuleMatched : Reason.egressRuleMatched, policies, deciding };
  }
  const trace: TierTrace = { tier: 'NetworkPolicy', decision: 'deny', reason: Reason.isolatedNoRuleMatched, policies };
  return closest ? { ...trace, closest: { policy: closest.policy, ruleIndex: closest.ruleIndex, failed: closest.failed } } : trace;
}
