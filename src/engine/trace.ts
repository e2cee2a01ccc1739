// Verdict and trace types: the structured answer the renderers turn into text, JSON or a TUI view.
import type { SelectorFailure } from './labels.js';
import type { AdminAction, NodeInfo, PodInfo, PolicyType, Protocol } from './model.js';
import type { ReasonId } from './reasons.js';

/**
 * One side of a connection. `ip` endpoints are outside the pod network as far as selectors go:
 * an external address, or a Node address (then `node` is set and node peers can match it).
 */
export type Endpoint =
  /** `address`: the pod IP the user named, which fixes the connection's address family. */
  | { readonly kind: 'pod'; readonly pod: PodInfo; readonly address?: string }
  | { readonly kind: 'ip'; readonly ip: string; readonly node?: NodeInfo };

/** A connection attempt: policies are about connections, so replies need no rule. */
export interface ConnectionQuery {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface SelectorCheck {
  readonly matched: boolean;
  /** kubectl-style selector text. */
  readonly selector: string;
  readonly failure?: SelectorFailure;
}

export interface PeerTrace {
  readonly index: number;
  readonly matched: boolean;
  /** peerMatched, or the first term that failed. */
  readonly reason: ReasonId;
  readonly kind: 'selectors' | 'ipBlock' | 'namespaces' | 'pods' | 'nodes' | 'networks' | 'domainNames';
  readonly namespaceSelector?: SelectorCheck;
  readonly podSelector?: SelectorCheck;
  readonly nodeSelector?: SelectorCheck;
  /** For podSelector-only peers: the namespace the peer is confined to (the policy's). */
  readonly policyNamespace?: string;
  readonly cidr?: string;
  readonly except?: readonly string[];
  /** The address tested against an ipBlock / networks peer, and the except entry that excluded it. */
  readonly ip?: string;
  readonly exceptHit?: string;
}

export interface PortTrace {
  readonly index: number;
  readonly matched: boolean;
  readonly reason: ReasonId;
  /** The rule's port term as written: `TCP/5432`, `UDP/53-60`, `TCP/http`, `TCP/*`. */
  readonly spec: string;
  /** For named ports: the number the name resolved to on the destination pod. */
  readonly resolvedPort?: number;
}

export interface RuleTrace {
  readonly index: number;
  readonly name?: string;
  readonly matched: boolean;
  /** ruleMatched, rulePeerNotMatched or rulePortNotMatched. */
  readonly reason: ReasonId;
  readonly allPeers: boolean;
  readonly peers: readonly PeerTrace[];
  readonly allPorts: boolean;
  readonly ports: readonly PortTrace[];
  /** Admin tiers only. */
  readonly action?: AdminAction;
  readonly actionName?: string;
}

export interface PolicyRef {
  readonly kind: 'NetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  readonly name: string;
  readonly namespace?: string;
  readonly priority?: number;
}

export interface PolicyTrace {
  readonly policy: PolicyRef;
  /** policySelectsPod, policyDoesNotSelectPod, policyTypeNotApplicable, noRulesDenyAll (NetworkPolicy);
   * adminSubjectMatched / adminSubjectNotMatched (admin tiers). */
  readonly reason: ReasonId;
  readonly applies: boolean;
  readonly selector: SelectorCheck;
  /** Set when the subject is a namespace+pod selector pair (admin tiers). */
  readonly namespaceSelector?: SelectorCheck;
  readonly policyTypes?: readonly PolicyType[];
  readonly policyTypesInferred?: boolean;
  readonly rules: readonly RuleTrace[];
}

export type TierName = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'Default';

export interface TierTrace {
  readonly tier: TierName;
  /** allow/deny decide; pass (admin only) and none fall through to the next tier. */
  readonly decision: 'allow' | 'deny' | 'pass' | 'none';
  readonly reason: ReasonId;
  readonly policies: readonly PolicyTrace[];
  readonly deciding?: { readonly policy: PolicyRef; readonly ruleIndex: number; readonly ruleName?: string };
  /** Admin tiers: same-priority policies whose matching rule has another action (undefined order). */
  readonly ambiguousWith?: readonly PolicyRef[];
  /** For a NetworkPolicy deny: the rule that came closest (most terms satisfied). */
  readonly closest?: { readonly policy: PolicyRef; readonly ruleIndex: number; readonly failed: ReasonId };
}

export interface DirectionTrace {
  readonly direction: PolicyType;
  /** The pod whose policies decide this side (`from` for Egress, `to` for Ingress); absent if not a pod. */
  readonly pod?: { readonly namespace: string; readonly name: string };
  readonly allowed: boolean;
  readonly reason: ReasonId;
  readonly decidedBy: TierName | 'NotApplicable';
  readonly tiers: readonly TierTrace[];
}

export interface Note {
  readonly id: string;
  readonly message: string;
}

export interface Verdict {
  readonly allowed: boolean;
  /**
   * Set when the deciding admin rule has a same-priority rival with another action: the API leaves
   * their order undefined, so `allowed` is one possible outcome, not a guarantee.
   */
  readonly ambiguous?: boolean;
  /** samePod, or the reason of the side that denied, or the ingress reason when allowed. */
  readonly reason: ReasonId;
  readonly query: ConnectionQuery;
  readonly egress: DirectionTrace;
  readonly ingress: DirectionTrace;
  readonly notes: readonly Note[];
}
