// Admin and Baseline tiers (ANP/BANP v1alpha1, ClusterNetworkPolicy v1alpha2) for one direction.
import type { ClusterIndex } from './cluster-index.js';
import type { AdminPolicy, AdminRule, AdminTier, PodInfo, PolicyType } from './model.js';
import { checkSelector, matchAdminPeer } from './peers.js';
import { matchAdminPort, type PortContext } from './ports.js';
import { Reason, type ReasonId } from './reasons.js';
import type { Endpoint, PolicyRef, PolicyTrace, RuleTrace, SelectorCheck, TierTrace } from './trace.js';

export function adminRef(p: AdminPolicy): PolicyRef {
  return { kind: p.kind, name: p.name, priority: p.priority };
}

/** Does the policy's subject select the pod? Host-network pods are never subjects. */
export function adminSubject(policy: AdminPolicy, pod: PodInfo, idx: ClusterIndex): { matched: boolean; ns: SelectorCheck; pod?: SelectorCheck } {
  const ns = checkSelector(policy.subject.namespaceSelector, idx.namespaceLabels(pod.namespace));
  if (policy.subject.kind === 'namespaces' || !ns.matched) return { matched: ns.matched && !pod.hostNetwork, ns };
  const podCheck = checkSelector(policy.subject.podSelector, pod.labels);
  return { matched: podCheck.matched && !pod.hostNetwork, ns, pod: podCheck };
}

export function evaluateAdminRule(rule: AdminRule, ruleIndex: number, other: Endpoint, ports: PortContext, idx: ClusterIndex): RuleTrace {
  const peers = rule.peers.map((p, i) => matchAdminPeer(p, i, other, idx));
  const allPorts = rule.ports === undefined;
  const portTraces = allPorts ? [] : rule.ports!.map((p, i) => matchAdminPort(p, i, ports));
  const peerOk = peers.some((p) => p.matched);
  const portOk = allPorts || portTraces.some((p) => p.matched);
  const reason: ReasonId = peers.length === 0 ? Reason.noPeers : !peerOk ? Reason.rulePeerNotMatched : !portOk ? Reason.rulePortNotMatched : Reason.ruleMatched;
  return {
    index: ruleIndex,
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    matched: peerOk && portOk,
    reason,
    allPeers: false,
    peers,
    allPorts,
    ports: portTraces,
    action: rule.action,
    actionName: rule.actionName,
  };
}

const decisionReason: Record<AdminTier, Record<'Allow' | 'Deny' | 'Pass', ReasonId>> = {
  Admin: { Allow: Reason.adminAllowed, Deny: Reason.adminDenied, Pass: Reason.adminPassed },
  // v1alpha2 Pass in the Baseline tier skips the rest of that tier and goes on to the default (allow).
  Baseline: { Allow: Reason.baselineAllowed, Deny: Reason.baselineDenied, Pass: Reason.baselinePassed },
};

/**
 * Walks a tier's policies in priority order (rules in order); the first matching rule decides.
 * Policies after the deciding one are not evaluated, as in a real dataplane.
 */
export function evaluateAdminTier(tier: AdminTier, pod: PodInfo, direction: PolicyType, other: Endpoint, ports: PortContext, idx: ClusterIndex): TierTrace {
  const policies: PolicyTrace[] = [];
  for (const policy of idx.adminPolicies(tier)) {
    const subject = adminSubject(policy, pod, idx);
    const ref = adminRef(policy);
    const selectorFields = subject.pod ? { selector: subject.pod, namespaceSelector: subject.ns } : { selector: subject.ns };
    if (!subject.matched) {
      policies.push({ policy: ref, reason: Reason.adminSubjectNotMatched, applies: false, ...selectorFields, rules: [] });
      continue;
    }
    const rules: RuleTrace[] = [];
    const list = direction === 'Ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < list.length; i++) {
      const r = evaluateAdminRule(list[i]!, i, other, ports, idx);
      rules.push(r);
      // The first matching rule ends the tier, Pass included ("skips all further rules in the current tier").
      if (r.matched) {
        policies.push({ policy: ref, reason: Reason.adminSubjectMatched, applies: true, ...selectorFields, rules });
        const action = r.action!;
        const ambiguous = samePriorityRivals(policy, action, pod, direction, other, ports, idx);
        return {
          tier,
          decision: action === 'Allow' ? 'allow' : action === 'Deny' ? 'deny' : 'pass',
          reason: decisionReason[tier][action],
          policies,
          deciding: { policy: ref, ruleIndex: i, ...(r.name !== undefined ? { ruleName: r.name } : {}) },
          ...(ambiguous.length > 0 ? { ambiguousWith: ambiguous } : {}),
        };
      }
    }
    policies.push({ policy: ref, reason: Reason.adminSubjectMatched, applies: true, ...selectorFields, rules });
  }
  return { tier, decision: 'none', reason: tier === 'Admin' ? Reason.adminNoMatch : Reason.baselineNoMatch, policies };
}

/**
 * Policies with the same priority as the deciding one that also select the pod and have a matching
 * rule with a different action. The API leaves the order of equal priorities undefined, so a real
 * dataplane may apply either: the verdict is ambiguous.
 */
function samePriorityRivals(decider: AdminPolicy, action: string, pod: PodInfo, direction: PolicyType, other: Endpoint, ports: PortContext, idx: ClusterIndex): PolicyRef[] {
  const rivals: PolicyRef[] = [];
  for (const p of idx.adminPolicies(decider.tier)) {
    if (p === decider || p.priority !== decider.priority || !adminSubject(p, pod, idx).matched) continue;
    const list = direction === 'Ingress' ? p.ingress : p.egress;
    const first = list.map((r, i) => evaluateAdminRule(r, i, other, ports, idx)).find((r) => r.matched);
    if (first && first.action !== action) rivals.push(adminRef(p));
  }
  return rivals;
}
