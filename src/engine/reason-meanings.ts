// One line of meaning per reason id and note id: the table docs/reasons.md is generated from
// (`npm run docs:reasons`; test/engine/reasons-doc.test.ts keeps the file in sync). A new id in
// reasons.ts does not compile until it has its line here.
import type { NoteIdValue, ReasonId } from './reasons.js';

/** Where an id appears in a trace: groups the reference for readers. */
export type ReasonGroup = 'connection' | 'direction' | 'policy' | 'rule' | 'peer' | 'port';

export const REASON_GROUPS: Record<ReasonGroup, string> = {
  connection: 'Connection (the verdict `reason` when policies do not apply at all)',
  direction: 'Direction outcome (`egress.reason`, `ingress.reason`, tier `reason`, and the verdict `reason`)',
  policy: 'Policy selection (`tiers[].policies[].reason`)',
  rule: 'Rules (`rules[].reason`, `closest.failed`)',
  peer: 'Peers (`rules[].peers[].reason`)',
  port: 'Ports (`rules[].ports[].reason`)',
};

export const REASON_MEANINGS: Record<ReasonId, { readonly group: ReasonGroup; readonly meaning: string }> = {
  samePod: { group: 'connection', meaning: 'source and destination are the same pod: traffic within a pod is never policed' },
  loopback: { group: 'connection', meaning: 'an endpoint is a loopback address (127.0.0.0/8, ::1): it never leaves the host, so no policy applies' },
  residentNode: { group: 'direction', meaning: "ingress from the node the destination pod runs on (its kubelet, host-network pods there) is always allowed" },
  hostNetworkSource: { group: 'direction', meaning: 'the source uses hostNetwork: NetworkPolicy does not select it, so nothing is enforced on its egress' },
  hostNetworkDestination: { group: 'direction', meaning: 'the destination uses hostNetwork: NetworkPolicy does not select it, so nothing is enforced on its ingress' },
  externalSource: { group: 'direction', meaning: 'the source is an address outside the pod network: there is no egress side to police' },
  externalDestination: { group: 'direction', meaning: 'the destination is an address outside the pod network: there is no ingress side to police' },
  notIsolated: { group: 'direction', meaning: 'no NetworkPolicy selects the pod for this direction, so it is not isolated and the default allows it' },
  ingressRuleMatched: { group: 'direction', meaning: 'an ingress rule of a NetworkPolicy that selects the destination allows the connection' },
  egressRuleMatched: { group: 'direction', meaning: 'an egress rule of a NetworkPolicy that selects the source allows the connection' },
  isolatedNoRuleMatched: { group: 'direction', meaning: 'NetworkPolicies isolate the pod for this direction and none of their rules allows the connection' },
  adminAllowed: { group: 'direction', meaning: 'an AdminNetworkPolicy Allow (ClusterNetworkPolicy Admin-tier Accept) rule decides it: allowed, whatever NetworkPolicies say' },
  adminDenied: { group: 'direction', meaning: 'an AdminNetworkPolicy (or Admin-tier ClusterNetworkPolicy) Deny rule decides it: denied, whatever NetworkPolicies say' },
  adminPassed: { group: 'direction', meaning: 'an admin-tier Pass rule hands the decision on to NetworkPolicy (and then the baseline)' },
  baselineAllowed: { group: 'direction', meaning: 'no NetworkPolicy isolates the pod and a BaselineAdminNetworkPolicy (Baseline-tier ClusterNetworkPolicy) rule allows it' },
  baselineDenied: { group: 'direction', meaning: 'no NetworkPolicy isolates the pod and a baseline-tier rule denies it' },
  baselinePassed: { group: 'direction', meaning: 'a Baseline-tier ClusterNetworkPolicy Pass rule: the baseline does not decide, the default applies' },
  adminNoMatch: { group: 'direction', meaning: 'no admin-tier rule matches this connection: the admin tier does not decide' },
  baselineNoMatch: { group: 'direction', meaning: 'no baseline-tier rule matches this connection: the baseline does not decide' },
  defaultAllow: { group: 'direction', meaning: 'no tier decides the connection, so it is allowed (Kubernetes allows by default)' },
  policySelectsPod: { group: 'policy', meaning: "the NetworkPolicy's podSelector selects the pod and its policyTypes include this direction" },
  policyDoesNotSelectPod: { group: 'policy', meaning: "the policy's podSelector (or namespace) does not select the pod" },
  policyTypeNotApplicable: { group: 'policy', meaning: "the policy selects the pod but its policyTypes (written or inferred) leave out this direction" },
  noRulesDenyAll: { group: 'policy', meaning: 'the policy selects the pod for this direction but has no rules: it isolates the pod and allows nothing itself' },
  adminSubjectMatched: { group: 'policy', meaning: "the admin policy's subject (namespaces, or pods in namespaces) includes the pod" },
  adminSubjectNotMatched: { group: 'policy', meaning: "the admin policy's subject does not include the pod" },
  ruleMatched: { group: 'rule', meaning: 'a peer and a port of the rule both match: the rule applies to the connection' },
  rulePeerNotMatched: { group: 'rule', meaning: 'no peer of the rule matches the other endpoint' },
  rulePortNotMatched: { group: 'rule', meaning: 'a peer matches, but none of the rule\'s ports matches the connection\'s port and protocol' },
  peerMatched: { group: 'peer', meaning: 'the peer term matches the other endpoint' },
  podSelectorMismatch: { group: 'peer', meaning: "the peer's podSelector does not match the other pod's labels" },
  namespaceSelectorMismatch: { group: 'peer', meaning: "the peer's namespaceSelector does not match the other pod's namespace labels" },
  policyNamespaceMismatch: { group: 'peer', meaning: "a podSelector-only peer covers the policy's own namespace only, and the other pod is in another one" },
  ipBlockOutsideCidr: { group: 'peer', meaning: "the other endpoint's address is outside the ipBlock CIDR (or the networks peer)" },
  ipBlockExcepted: { group: 'peer', meaning: "the address is inside the ipBlock CIDR but also inside one of its except entries" },
  ipBlockNoPodIP: { group: 'peer', meaning: 'the other pod has no IP (a pod template, or not yet running), so an ipBlock cannot match it' },
  peerIsNotPod: { group: 'peer', meaning: 'the peer selects pods, and the other endpoint is an address outside the pod network' },
  peerIsHostNetwork: { group: 'peer', meaning: 'the peer selects pods, and the other pod uses hostNetwork: its traffic comes from its node, which selectors cannot match' },
  nodeSelectorMismatch: { group: 'peer', meaning: "an admin-tier nodes peer: the node's labels do not match its selector" },
  peerIsNotNode: { group: 'peer', meaning: 'an admin-tier nodes peer, and the other endpoint is not a known node' },
  domainNamesUnsupported: { group: 'peer', meaning: 'an admin-tier domainNames peer: names cannot be decided from addresses, so it never matches here' },
  noPeers: { group: 'rule', meaning: 'an admin-tier rule with no peers matches nothing' },
  portMatched: { group: 'port', meaning: "the port term matches the connection's port and protocol" },
  protocolMismatch: { group: 'port', meaning: "the port term is for another protocol" },
  portMismatch: { group: 'port', meaning: 'the port term is another number' },
  portOutOfRange: { group: 'port', meaning: 'the port is outside the term\'s port..endPort range' },
  namedPortUnresolved: { group: 'port', meaning: 'the named port is not declared by the destination pod with this protocol, so the term matches no port' },
  namedPortMismatch: { group: 'port', meaning: 'the named port resolves on the destination pod to another number' },
};

export const NOTE_MEANINGS: Record<NoteIdValue, string> = {
  namespaceLabelsUnknown: "a namespace was not in the input: only its kubernetes.io/metadata.name label is known, so namespaceSelector verdicts about it may be wrong",
  hostNetworkPod: "a pod uses hostNetwork: policies do not select it, and other pods see its traffic as its node's",
  templatePod: 'a workload with no running pods was analysed through its pod template, which has no IP',
  adminPriorityTie: 'same-priority admin policies disagree: the API leaves their order undefined, so the verdict is ambiguous (check fails such a flow with this reason)',
  ipBlockMatchesPodIP: 'an ipBlock matched a pod IP: conformance expects it, but some CNI plugins apply ipBlock only to traffic leaving the cluster',
  possibleOneDashMistake: 'a namespaceSelector and a podSelector are two peers (OR) where one peer (AND) was probably meant',
};
