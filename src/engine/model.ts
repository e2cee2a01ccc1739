// The engine's view of a cluster: only the fields that network policy semantics depend on.
// Adapters (src/sources, via src/convert) build these from files or a live API server; the engine never does IO.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values?: readonly string[];
}

/**
 * metav1.LabelSelector. matchLabels AND matchExpressions; an empty selector ({}) matches
 * everything, while an absent selector (undefined) means "not specified" and its meaning depends
 * on where it appears (e.g. a NetworkPolicy peer without namespaceSelector = the policy's namespace).
 */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** Where an object came from, so errors and explanations can point at it. */
export interface SourceRef {
  readonly file?: string;
  readonly documentIndex?: number;
  /** 'live' when read from an API server. */
  readonly origin?: 'file' | 'live' | 'synthetic';
}

/**
 * A namespace. Kubernetes (>= 1.21) sets `kubernetes.io/metadata.name` on every namespace; adapters
 * add it when absent so selectors that rely on it behave as on a real cluster.
 * `synthetic` marks namespaces referenced by objects but not supplied (labels then only hold the
 * metadata.name label, so namespaceSelector verdicts on them may be incomplete).
 */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly synthetic?: boolean;
  /** Annotations under `netpol.kubectl.io/` (e.g. lint-ignore); other annotations are not kept. */
  readonly annotations?: Labels;
  readonly source?: SourceRef;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly container?: string;
}

/** The workload a pod belongs to (via ownerReferences or, for templates, the workload itself). */
export interface WorkloadRef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'ReplicationController';
  readonly name: string;
}

/**
 * A pod, or a pod template of a workload that has no live pods (`template: true`).
 * Quirks recorded here:
 * - hostNetwork pods share the node's IP and are NOT selected by NetworkPolicy (no isolation applies);
 *   as peers they are seen as node traffic.
 * - Template pods have no IP: ipBlock rules cannot match them.
 * - Named ports resolve against `ports` with the same protocol.
 */
export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** status.podIPs (or podIP); empty when unknown. */
  readonly ips: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
  readonly phase?: string;
  readonly serviceAccount?: string;
  readonly workload?: WorkloadRef;
  readonly template?: boolean;
  readonly source?: SourceRef;
}

export interface NodeInfo {
  readonly name: string;
  readonly labels: Labels;
  /** status.addresses (InternalIP, ExternalIP); hostNetwork pods on this node use these too. */
  readonly addresses: readonly string[];
  readonly source?: SourceRef;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** Number or a container port name; defaults to `port`. */
  readonly targetPort: number | string;
}

export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  /** Absent for selector-less services (endpoints managed by hand). */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly string[];
  readonly type?: string;
  readonly source?: SourceRef;
}

export interface EndpointSliceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly serviceName: string;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: Protocol }[];
  readonly endpoints: readonly {
    readonly addresses: readonly string[];
    readonly ready: boolean;
    readonly targetPod?: { readonly namespace: string; readonly name: string };
  }[];
  readonly source?: SourceRef;
}

// ---------------------------------------------------------------- NetworkPolicy (networking.k8s.io/v1)

export type PolicyType = 'Ingress' | 'Egress';

export interface IPBlock {
  /** Canonical: host bits beyond the prefix are masked (the API server's netutils parsing does the same). */
  readonly cidr: string;
  readonly except?: readonly string[];
  /** The CIDR as written, when it had host bits set (`10.0.0.5/24`, kept as 10.0.0.0/24 in `cidr`). */
  readonly given?: string;
}

/**
 * One `- ...` item of from/to. Fields in ONE peer are ANDed (namespaceSelector + podSelector);
 * separate peers are ORed. podSelector alone = pods of the policy's own namespace.
 */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

/** protocol defaults to TCP; port absent = all ports of the protocol; endPort only with a numeric port. */
export interface NetworkPolicyPort {
  readonly protocol?: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** `peers` undefined or empty = all peers; `ports` undefined or empty = all ports. */
export interface NetworkPolicyRule {
  readonly peers?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/**
 * A NetworkPolicy. `policyTypes` holds the EFFECTIVE types: when the manifest omits policyTypes,
 * Ingress always applies and Egress applies iff the spec has an `egress` section
 * (`policyTypesInferred` records that the inference happened, for explanations).
 */
export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly PolicyType[];
  readonly policyTypesInferred: boolean;
  readonly ingress: readonly NetworkPolicyRule[];
  readonly egress: readonly NetworkPolicyRule[];
  /**
   * The manifest has `egress: []` (present, empty). It does not count for policyTypes inference,
   * so without an explicit Egress policy type it isolates nothing (a common default-deny slip).
   */
  readonly emptyEgressList?: boolean;
  /** Annotations under `netpol.kubectl.io/` (e.g. lint-ignore); other annotations are not kept. */
  readonly annotations?: Labels;
  readonly source?: SourceRef;
}

// ---------------------------------------------------------------- admin tiers (policy.networking.k8s.io)

export type AdminTier = 'Admin' | 'Baseline';
/** Normalised action: v1alpha2 `Accept` is `Allow`; the original spelling is kept in `actionName`. */
export type AdminAction = 'Allow' | 'Deny' | 'Pass';

export type AdminSubject =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector };

export type AdminPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | { readonly kind: 'pods'; readonly namespaceSelector: LabelSelector; readonly podSelector: LabelSelector }
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector }
  | { readonly kind: 'networks'; readonly cidrs: readonly string[] }
  /** v1alpha2 egress domainNames: cannot be decided from IPs; reported as unsupported. */
  | { readonly kind: 'domainNames'; readonly domains: readonly string[] };

export type AdminPort =
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number }
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly start: number; readonly end: number };

/** `ports` undefined = all ports. Peers are ORed; an empty peer list matches nothing. */
export interface AdminRule {
  readonly name?: string;
  readonly action: AdminAction;
  readonly actionName: string;
  readonly peers: readonly AdminPeer[];
  readonly ports?: readonly AdminPort[];
}

/**
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) or ClusterNetworkPolicy (v1alpha2),
 * in one shape. Admin tier: lower priority number is evaluated first, rules in order; the first
 * matching rule decides (Pass skips to NetworkPolicy). Baseline tier: BANP is a singleton named
 * `default`; CNP baseline policies are ordered by priority too.
 */
export interface AdminPolicy {
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  readonly apiVersion: string;
  readonly name: string;
  readonly tier: AdminTier;
  readonly priority: number;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  /** Annotations under `netpol.kubectl.io/` (e.g. lint-ignore); other annotations are not kept. */
  readonly annotations?: Labels;
  readonly source?: SourceRef;
}

/** Everything the engine evaluates over. Adapters fill it; `warnings` carries loader diagnostics. */
export interface ClusterState {
  readonly namespaces: readonly NamespaceInfo[];
  readonly pods: readonly PodInfo[];
  readonly nodes: readonly NodeInfo[];
  readonly services: readonly ServiceInfo[];
  readonly endpointSlices: readonly EndpointSliceInfo[];
  readonly networkPolicies: readonly NetworkPolicy[];
  readonly adminPolicies: readonly AdminPolicy[];
  /** Facts about completeness that limit verdicts (e.g. admin policies not readable). */
  readonly limitations?: readonly Limitation[];
}

export interface Limitation {
  readonly id: string;
  readonly message: string;
}
