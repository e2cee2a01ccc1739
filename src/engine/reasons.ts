// Stable reason ids. Tests and `-o json` consumers key on these; prose lives in the renderers.

export const Reason = {
  // connection level
  samePod: 'samePod',
  loopback: 'loopback',
  residentNode: 'residentNode',
  hostNetworkSource: 'hostNetworkSource',
  hostNetworkDestination: 'hostNetworkDestination',
  externalSource: 'externalSource',
  externalDestination: 'externalDestination',
  // direction outcome (one per evaluated direction)
  notIsolated: 'notIsolated',
  ingressRuleMatched: 'ingressRuleMatched',
  egressRuleMatched: 'egressRuleMatched',
  isolatedNoRuleMatched: 'isolatedNoRuleMatched',
  adminAllowed: 'adminAllowed',
  adminDenied: 'adminDenied',
  adminPassed: 'adminPassed',
  baselineAllowed: 'baselineAllowed',
  baselineDenied: 'baselineDenied',
  baselinePassed: 'baselinePassed',
  adminNoMatch: 'adminNoMatch',
  baselineNoMatch: 'baselineNoMatch',
  defaultAllow: 'defaultAllow',
  // policy selection
  policySelectsPod: 'policySelectsPod',
  policyDoesNotSelectPod: 'policyDoesNotSelectPod',
  policyTypeNotApplicable: 'policyTypeNotApplicable',
  noRulesDenyAll: 'noRulesDenyAll',
  adminSubjectMatched: 'adminSubjectMatched',
  adminSubjectNotMatched: 'adminSubjectNotMatched',
  // rules
  ruleMatched: 'ruleMatched',
  rulePeerNotMatched: 'rulePeerNotMatched',
  rulePortNotMatched: 'rulePortNotMatched',
  // peers
  peerMatched: 'peerMatched',
  podSelectorMismatch: 'podSelectorMismatch',
  namespaceSelectorMismatch: 'namespaceSelectorMismatch',
  policyNamespaceMismatch: 'policyNamespaceMismatch',
  ipBlockOutsideCidr: 'ipBlockOutsideCidr',
  ipBlockExcepted: 'ipBlockExcepted',
  ipBlockNoPodIP: 'ipBlockNoPodIP',
  peerIsNotPod: 'peerIsNotPod',
  peerIsHostNetwork: 'peerIsHostNetwork',
  nodeSelectorMismatch: 'nodeSelectorMismatch',
  peerIsNotNode: 'peerIsNotNode',
  domainNamesUnsupported: 'domainNamesUnsupported',
  noPeers: 'noPeers',
  // ports
  portMatched: 'portMatched',
  protocolMismatch: 'protocolMismatch',
  portMismatch: 'portMismatch',
  portOutOfRange: 'portOutOfRange',
  namedPortUnresolved: 'namedPortUnresolved',
  namedPortMismatch: 'namedPortMismatch',
} as const;

export type ReasonId = (typeof Reason)[keyof typeof Reason];

/** Ids of verdict notes (`notes[].id` in -o json): facts that qualify a verdict without changing it. */
export const NoteId = {
  namespaceLabelsUnknown: 'namespaceLabelsUnknown',
  hostNetworkPod: 'hostNetworkPod',
  templatePod: 'templatePod',
  adminPriorityTie: 'adminPriorityTie',
  ipBlockMatchesPodIP: 'ipBlockMatchesPodIP',
  possibleOneDashMistake: 'possibleOneDashMistake',
} as const;

export type NoteIdValue = (typeof NoteId)[keyof typeof NoteId];
