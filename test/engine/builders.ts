// Tiny builders for engine ClusterState pieces, so case tables read like the YAML they stand for.
// Shared by the engine test files; pure data, no IO.
import { parseIP } from '../../src/engine/cidr.js';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { evaluateConnection } from '../../src/engine/evaluate.js';
import type {
  AdminPeer,
  AdminPolicy,
  AdminPort,
  AdminRule,
  AdminSubject,
  AdminTier,
  ClusterState,
  ContainerPort,
  EndpointSliceInfo,
  LabelSelector,
  LabelSelectorRequirement,
  Labels,
  NamespaceInfo,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  NodeInfo,
  PodInfo,
  PolicyType,
  Protocol,
  ServiceInfo,
  ServicePort,
  WorkloadRef,
} from '../../src/engine/model.js';
import type { ReasonId } from '../../src/engine/reasons.js';
import type { Endpoint, Verdict } from '../../src/engine/trace.js';

// ---------------------------------------------------------------- selectors

/** matchLabels selector; `sel()` is the empty selector (matches everything). */
export const sel = (matchLabels: Record<string, string> = {}, ...matchExpressions: LabelSelectorRequirement[]): LabelSelector => ({
  ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
  ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
});
export const expr = (key: string, operator: LabelSelectorRequirement['operator'], ...values: string[]): LabelSelectorRequirement => ({
  key,
  operator,
  ...(values.length > 0 ? { values } : {}),
});
/** The label Kubernetes puts on every namespace. */
export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

// ---------------------------------------------------------------- objects

/** A namespace; carries kubernetes.io/metadata.name like a real cluster (pass `false` to omit it). */
export function ns(name: string, labels: Labels = {}, withNameLabel = true): NamespaceInfo {
  return { name, labels: withNameLabel ? { [NS_NAME_LABEL]: name, ...labels } : { ...labels } };
}

/** Container port: `cport(5432, 'postgres')`, `cport(53, 'dns', 'UDP')`. */
export const cport = (port: number, name?: string, protocol: Protocol = 'TCP'): ContainerPort => ({ port, protocol, ...(name !== undefined ? { name } : {}) });

export interface PodOpts {
  readonly ips?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly hostNetwork?: boolean;
  readonly nodeName?: string;
  readonly workload?: WorkloadRef;
  readonly template?: boolean;
}

/** `pod('backend/db', {app: 'db'}, {ips: ['10.0.2.20'], ports: [cport(5432, 'postgres')]})`. */
export function pod(ref: string, labels: Labels = {}, opts: PodOpts = {}): PodInfo {
  const [namespace, name] = splitRef(ref);
  return {
    namespace,
    name,
    labels,
    ips: opts.ips ?? [],
    ports: opts.ports ?? [],
    hostNetwork: opts.hostNetwork ?? false,
    ...(opts.nodeName !== undefined ? { nodeName: opts.nodeName } : {}),
    ...(opts.workload !== undefined ? { workload: opts.workload } : {}),
    ...(opts.template ? { template: true } : {}),
  };
}

export function node(name: string, labels: Labels = {}, addresses: readonly string[] = []): NodeInfo {
  return { name, labels: { 'kubernetes.io/hostname': name, ...labels }, addresses };
}

export function svc(ref: string, ports: readonly ServicePort[], opts: { selector?: Labels; clusterIPs?: readonly string[] } = {}): ServiceInfo {
  const [namespace, name] = splitRef(ref);
  return { namespace, name, ports, clusterIPs: opts.clusterIPs ?? [], ...(opts.selector ? { selector: opts.selector } : {}) };
}
export const sport = (port: number, targetPort: number | string = port, name?: string, protocol: Protocol = 'TCP'): ServicePort => ({
  port,
  targetPort,
  protocol,
  ...(name !== undefined ? { name } : {}),
});

/** EndpointSlice for service `ns/svc`; endpoints as [podRef or IP, ready]. */
export function slice(ref: string, endpoints: readonly (readonly [string, boolean])[], name = `${splitRef(ref)[1]}-abc`): EndpointSliceInfo {
  const [namespace, serviceName] = splitRef(ref);
  return {
    namespace,
    name,
    serviceName,
    ports: [],
    endpoints: endpoints.map(([target, ready]) =>
      parseIP(target) ? { addresses: [target], ready } : { addresses: [], ready, targetPod: { namespace: splitRef(target)[0], name: splitRef(target)[1] } },
    ),
  };
}

// ---------------------------------------------------------------- NetworkPolicy

/** Peer shorthands: `{ pod: sel(...) }`, `{ ns: sel(...) }`, `{ ns, pod }` (one peer: AND), `{ cidr, except }`. */
export interface PeerSpec {
  readonly pod?: LabelSelector;
  readonly ns?: LabelSelector;
  readonly cidr?: string;
  readonly except?: readonly string[];
}
export function peer(p: PeerSpec): NetworkPolicyPeer {
  if (p.cidr !== undefined) return { ipBlock: { cidr: p.cidr, ...(p.except ? { except: p.except } : {}) } };
  return { ...(p.pod ? { podSelector: p.pod } : {}), ...(p.ns ? { namespaceSelector: p.ns } : {}) };
}

/** Port term: `np(5432)`, `np('postgres')`, `np(53, 'UDP')`, `np(undefined, 'UDP')`, `np(32000, 'TCP', 32768)`. */
export const np = (port?: number | string, protocol?: Protocol, endPort?: number): NetworkPolicyPort => ({
  ...(protocol !== undefined ? { protocol } : {}),
  ...(port !== undefined ? { port } : {}),
  ...(endPort !== undefined ? { endPort } : {}),
});

/** A rule: `peers` undefined = from/to omitted; `ports` undefined = ports omitted. */
export function rule(peers?: readonly PeerSpec[], ports?: readonly NetworkPolicyPort[]): NetworkPolicyRule {
  return { ...(peers ? { peers: peers.map(peer) } : {}), ...(ports ? { ports } : {}) };
}

export interface NetpolSpec {
  readonly podSelector?: LabelSelector;
  /** Effective policyTypes. Omitted: inferred like the API server (Ingress, plus Egress iff `egress` given). */
  readonly policyTypes?: readonly PolicyType[];
  readonly ingress?: readonly NetworkPolicyRule[];
  readonly egress?: readonly NetworkPolicyRule[];
}

/** `netpol('backend/allow-web', {podSelector: sel({app: 'db'}), ingress: [rule([{pod: sel({app: 'web'})}])]})`. */
export function netpol(ref: string, spec: NetpolSpec = {}): NetworkPolicy {
  const [namespace, name] = splitRef(ref);
  const inferred = spec.policyTypes === undefined;
  // API server defaulting: Egress iff len(spec.egress) != 0 (an empty `egress: []` does not add it).
  const policyTypes: readonly PolicyType[] = spec.policyTypes ?? (spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  return {
    namespace,
    name,
    podSelector: spec.podSelector ?? {},
    policyTypes,
    policyTypesInferred: inferred,
    ingress: spec.ingress ?? [],
    egress: spec.egress ?? [],
  };
}

/** Default-deny for the given directions on every pod of a namespace. */
export const denyAll = (namespace: string, ...types: PolicyType[]): NetworkPolicy =>
  netpol(`${namespace}/deny-${types.join('-').toLowerCase() || 'ingress'}`, { policyTypes: types.length > 0 ? types : ['Ingress'] });

// ---------------------------------------------------------------- admin tiers

export const nsPeer = (namespaceSelector: LabelSelector): AdminPeer => ({ kind: 'namespaces', namespaceSelector });
export const podsPeer = (namespaceSelector: LabelSelector, podSelector: LabelSelector): AdminPeer => ({ kind: 'pods', namespaceSelector, podSelector });
export const nodesPeer = (nodeSelector: LabelSelector): AdminPeer => ({ kind: 'nodes', nodeSelector });
export const networksPeer = (...cidrs: string[]): AdminPeer => ({ kind: 'networks', cidrs });
export const domainsPeer = (...domains: string[]): AdminPeer => ({ kind: 'domainNames', domains });

export const portNumber = (port: number, protocol: Protocol = 'TCP'): AdminPort => ({ kind: 'number', protocol, port });
export const portRange = (start: number, end: number, protocol: Protocol = 'TCP'): AdminPort => ({ kind: 'range', protocol, start, end });
export const namedPort = (name: string): AdminPort => ({ kind: 'named', name });

export const subjectNs = (namespaceSelector: LabelSelector): AdminSubject => ({ kind: 'namespaces', namespaceSelector });
export const subjectPods = (namespaceSelector: LabelSelector, podSelector: LabelSelector): AdminSubject => ({ kind: 'pods', namespaceSelector, podSelector });

/** Admin rule. `action` as written: Allow/Deny/Pass (v1alpha1) or Accept (v1alpha2, normalised to Allow). */
export function arule(action: 'Allow' | 'Accept' | 'Deny' | 'Pass', peers: readonly AdminPeer[], ports?: readonly AdminPort[], name?: string): AdminRule {
  return {
    action: action === 'Accept' ? 'Allow' : action,
    actionName: action,
    peers,
    ...(ports ? { ports } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

interface AdminBody {
  readonly ingress?: readonly AdminRule[];
  readonly egress?: readonly AdminRule[];
}

export function anp(name: string, priority: number, subject: AdminSubject, body: AdminBody): AdminPolicy {
  return { kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', name, tier: 'Admin', priority, subject, ingress: body.ingress ?? [], egress: body.egress ?? [] };
}

export function banp(subject: AdminSubject, body: AdminBody): AdminPolicy {
  return { kind: 'BaselineAdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', name: 'default', tier: 'Baseline', priority: 0, subject, ingress: body.ingress ?? [], egress: body.egress ?? [] };
}

export function cnp(name: string, tier: AdminTier, priority: number, subject: AdminSubject, body: AdminBody): AdminPolicy {
  return { kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', name, tier, priority, subject, ingress: body.ingress ?? [], egress: body.egress ?? [] };
}

// ---------------------------------------------------------------- state, endpoints, evaluation

export interface StateParts {
  readonly namespaces?: readonly NamespaceInfo[];
  readonly pods?: readonly PodInfo[];
  readonly nodes?: readonly NodeInfo[];
  readonly services?: readonly ServiceInfo[];
  readonly endpointSlices?: readonly EndpointSliceInfo[];
  readonly networkPolicies?: readonly NetworkPolicy[];
  readonly adminPolicies?: readonly AdminPolicy[];
}

export function cluster(parts: StateParts): ClusterState {
  return {
    namespaces: parts.namespaces ?? [],
    pods: parts.pods ?? [],
    nodes: parts.nodes ?? [],
    services: parts.services ?? [],
    endpointSlices: parts.endpointSlices ?? [],
    networkPolicies: parts.networkPolicies ?? [],
    adminPolicies: parts.adminPolicies ?? [],
    limitations: [],
  };
}

/** A state plus policies: policies may be NetworkPolicies or admin policies, in any order. */
export function withPolicies(base: ClusterState, ...policies: readonly (NetworkPolicy | AdminPolicy)[]): ClusterState {
  const isAdmin = (p: NetworkPolicy | AdminPolicy): p is AdminPolicy => 'tier' in p;
  return {
    ...base,
    networkPolicies: [...base.networkPolicies, ...policies.filter((p): p is NetworkPolicy => !isAdmin(p))],
    adminPolicies: [...base.adminPolicies, ...policies.filter(isAdmin)],
  };
}

/** `ns/pod` -> that pod; an IP -> an ip endpoint (with its node when the IP is a node address). */
export function endpoint(idx: ClusterIndex, ref: string): Endpoint {
  if (parseIP(ref)) {
    const n = idx.nodeByIP(ref);
    return n ? { kind: 'ip', ip: ref, node: n } : { kind: 'ip', ip: ref };
  }
  const [namespace, name] = splitRef(ref);
  const p = idx.pod(namespace, name);
  if (!p) throw new Error(`test setup: no pod ${ref}`);
  return { kind: 'pod', pod: p };
}

export function check(state: ClusterState, from: string, to: string, port: number, protocol: Protocol = 'TCP'): Verdict {
  const idx = new ClusterIndex(state);
  return evaluateConnection({ from: endpoint(idx, from), to: endpoint(idx, to), port, protocol }, idx);
}

// ---------------------------------------------------------------- trace walking

/** Every reason id anywhere in a verdict's trace. */
export function traceReasons(v: Verdict): Set<ReasonId> {
  const out = new Set<ReasonId>([v.reason]);
  for (const d of [v.egress, v.ingress]) {
    out.add(d.reason);
    for (const t of d.tiers) {
      out.add(t.reason);
      if (t.closest) out.add(t.closest.failed);
      for (const p of t.policies) {
        out.add(p.reason);
        for (const r of p.rules) {
          out.add(r.reason);
          for (const peerTrace of r.peers) out.add(peerTrace.reason);
          for (const portTrace of r.ports) out.add(portTrace.reason);
        }
      }
    }
  }
  return out;
}

function splitRef(ref: string): [string, string] {
  const i = ref.indexOf('/');
  if (i < 0) throw new Error(`test setup: expected NAMESPACE/NAME, got ${ref}`);
  return [ref.slice(0, i), ref.slice(i + 1)];
}
