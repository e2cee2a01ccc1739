// Lint rules that compare policies: rules made redundant by broader ones, and admin policies that
// share a priority and select the same pods (their order is undefined).
import type { ClusterIndex } from '../engine/cluster-index.js';
import { adminSubject } from '../engine/admin-tier.js';
import { cachedCidr, cidrContains } from '../engine/cidr.js';
import type { AdminPolicy, LabelSelector, NetworkPolicyPeer, NetworkPolicyPort } from '../engine/model.js';
import type { Finding, LintInput } from './types.js';
import { finding, isEmptySelector, policyRules, type RuleAt } from './walk.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Is selector `b` at least as broad as `a` (b's requirements are a subset of a's)? */
function selectorCovers(b: LabelSelector | undefined, a: LabelSelector | undefined): boolean {
  if (!b || isEmptySelector(b)) return true;
  if (!a) return false;
  if ((b.matchExpressions ?? []).length > 0) return same(b, a);
  return Object.entries(b.matchLabels ?? {}).every(([k, v]) => a.matchLabels?.[k] === v);
}

function peerCovers(b: NetworkPolicyPeer, a: NetworkPolicyPeer): boolean {
  if (b.ipBlock || a.ipBlock) {
    if (!b.ipBlock || !a.ipBlock || (b.ipBlock.except ?? []).length > 0) return false;
    const outer = cachedCidr(b.ipBlock.cidr);
    const inner = cachedCidr(a.ipBlock.cidr);
    return outer !== undefined && inner !== undefined && outer.family === inner.family && outer.prefix <= inner.prefix && cidrContains(outer, { family: inner.family, value: inner.network });
  }
  // Namespace scope: no namespaceSelector = the policy's own namespace only.
  if (b.namespaceSelector === undefined && a.namespaceSelector !== undefined) return false;
  if (b.namespaceSelector !== undefined && a.namespaceSelector !== undefined && !selectorCovers(b.namespaceSelector, a.namespaceSelector)) return false;
  if (b.namespaceSelector !== undefined && a.namespaceSelector === undefined && !isEmptySelector(b.namespaceSelector)) return false;
  return selectorCovers(b.podSelector, a.podSelector);
}

function portCovers(b: NetworkPolicyPort, a: NetworkPolicyPort): boolean {
  if ((b.protocol ?? 'TCP') !== (a.protocol ?? 'TCP')) return false;
  if (b.port === undefined) return true;
  if (typeof b.port === 'string' || typeof a.port === 'string') return b.port === a.port && a.endPort === undefined;
  if (a.port === undefined) return false;
  return b.port <= a.port && (b.endPort ?? b.port) >= (a.endPort ?? a.port);
}

function ruleCovers(b: RuleAt, a: RuleAt): boolean {
  const bPeers = b.rule.peers ?? [];
  const aPeers = a.rule.peers ?? [];
  const peersOk = bPeers.length === 0 || (aPeers.length > 0 && aPeers.every((ap) => bPeers.some((bp) => peerCovers(bp, ap))));
  const bPorts = b.rule.ports ?? [];
  const aPorts = a.rule.ports ?? [];
  const portsOk = bPorts.length === 0 || (aPorts.length > 0 && aPorts.every((ap) => bPorts.some((bp) => portCovers(bp, ap))));
  return peersOk && portsOk;
}

export function redundantRules({ idx }: LintInput): Finding[] {
  const all = [...policyRules(idx)];
  const out: Finding[] = [];
  const order = (r: RuleAt) => `${r.policy.namespace}/${r.policy.name}/${r.index}`;
  for (const a of all) {
    const broader = all.find(
      (b) =>
        b !== a &&
        b.direction === a.direction &&
        b.policy.namespace === a.policy.namespace &&
        // b applies to at least every pod a applies to.
        selectorCovers(b.policy.podSelector, a.policy.podSelector) &&
        ruleCovers(b, a) &&
        // Identical rules: report the later one only.
        !(ruleCovers(a, b) && selectorCovers(a.policy.podSelector, b.policy.podSelector) && order(a) < order(b)),
    );
    if (!broader) continue;
    const where = broader.policy === a.policy ? broader.path : `NetworkPolicy ${broader.policy.namespace}/${broader.policy.name} ${broader.path}`;
    out.push(finding('redundant-rule', 'info', a.policy, a.path, `everything this rule allows is already allowed by ${where}, which is at least as broad in pods, peers and ports`, `remove this rule, or narrow ${where} if it is broader than intended`));
  }
  return out;
}

function overlaps(a: AdminPolicy, b: AdminPolicy, idx: ClusterIndex): boolean {
  if (same(a.subject, b.subject)) return true;
  return idx.state.pods.some((p) => adminSubject(a, p, idx).matched && adminSubject(b, p, idx).matched);
}

export function adminPriorityOverlap({ idx }: LintInput): Finding[] {
  const out: Finding[] = [];
  for (const tier of ['Admin', 'Baseline'] as const) {
    const list = idx.adminPolicies(tier).filter((p) => p.kind !== 'BaselineAdminNetworkPolicy');
    list.forEach((p, i) => {
      const rivals = list.slice(0, i).filter((q) => q.priority === p.priority && overlaps(p, q, idx));
      if (rivals.length === 0) return;
      out.push({
        rule: 'admin-priority-overlap',
        severity: 'warning',
        object: { kind: p.kind, name: p.name },
        field: 'spec.priority',
        message: `priority ${p.priority} is shared with ${rivals.map((q) => `${q.kind} ${q.name}`).join(', ')}, and they select the same pods: where their rules match the same traffic with different actions, the API leaves the outcome undefined`,
        suggestion: `give each overlapping policy its own priority (lower is evaluated first)`,
        ...(p.source ? { source: p.source } : {}),
      });
    });
  }
  return out;
}
