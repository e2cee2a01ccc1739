// The lint rules: stable ids, default severities, and the check behind each.
import { adminPriorityOverlap, redundantRules } from './rules-overlap.js';
import { cniNotEnforcing, defaultDenyEgress, defaultDenyIngress, egressDenyBlocksDns } from './rules-namespace.js';
import { emptyEgressList, ipBlockHostBits, namedPorts, oneDashPeers, peerSelectsNothing, policyInEmptyNamespace, policySelectsNoPods } from './rules-policy.js';
import type { Finding, LintInput, RuleInfo } from './types.js';

const namedPortRule = (id: string) => (input: LintInput): Finding[] => namedPorts(input).filter((f) => f.rule === id);

export const RULES: readonly RuleInfo[] = [
  { id: 'namespace-default-deny-ingress', severity: 'warning', title: 'Namespace with pods but no default-deny ingress policy (podSelector: {}, policyTypes Ingress)', needsPods: true, check: defaultDenyIngress },
  { id: 'namespace-default-deny-egress', severity: 'info', title: 'Namespace with pods but no default-deny egress policy (podSelector: {}, policyTypes Egress)', needsPods: true, check: defaultDenyEgress },
  { id: 'policy-selects-no-pods', severity: 'warning', title: 'NetworkPolicy whose podSelector matches no pod of its namespace', needsPods: true, check: policySelectsNoPods },
  { id: 'policy-in-empty-namespace', severity: 'info', title: 'NetworkPolicy in a namespace without pods', needsPods: true, check: policyInEmptyNamespace },
  { id: 'peer-selects-nothing', severity: 'warning', title: 'from/to peer whose selectors match no pod', needsPods: true, check: peerSelectsNothing },
  { id: 'one-dash-or-peers', severity: 'warning', title: 'Separate namespaceSelector and podSelector peers in one rule (OR), likely meant as one AND peer', check: oneDashPeers },
  { id: 'named-port-not-declared', severity: 'error', title: 'Named port that no pod the rule applies to declares', needsPods: true, check: namedPortRule('named-port-not-declared') },
  { id: 'named-port-protocol-mismatch', severity: 'error', title: 'Named port declared with another protocol than the rule says', needsPods: true, check: namedPortRule('named-port-protocol-mismatch') },
  { id: 'egress-deny-blocks-dns', severity: 'warning', title: 'Pods isolated for egress without an allowance for DNS (UDP and TCP 53)', needsPods: true, check: egressDenyBlocksDns },
  { id: 'redundant-rule', severity: 'info', title: 'Rule made redundant by a broader rule for the same pods', check: redundantRules },
  { id: 'ipblock-host-bits', severity: 'warning', title: 'ipBlock CIDR with host bits set (means a wider network than written)', check: ipBlockHostBits },
  { id: 'empty-egress-does-not-isolate', severity: 'warning', title: '"egress: []" without Egress in policyTypes: isolates nothing', check: emptyEgressList },
  { id: 'cni-not-enforcing', severity: 'error', title: 'The network plugin does not (or may not) enforce NetworkPolicy (live only)', check: cniNotEnforcing },
  { id: 'admin-priority-overlap', severity: 'warning', title: 'Admin policies of one tier and priority that select the same pods (undefined order)', check: adminPriorityOverlap },
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
