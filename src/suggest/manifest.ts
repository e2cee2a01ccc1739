// Engine model -> Kubernetes manifests ready for `kubectl apply`, and back through the converters,
// so the object a suggestion prints is exactly the object that was verified.
import { convertAdminNetworkPolicy, convertBaselineAdminNetworkPolicy, convertClusterNetworkPolicy, convertNetworkPolicy } from '../convert/cluster-state.js';
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule, LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule } from '../engine/model.js';
import type { AnyPolicy } from '../diff/apply.js';

export type Manifest = Record<string, unknown>;

function selector(s: LabelSelector): Manifest {
  const out: Manifest = {};
  if (s.matchLabels && Object.keys(s.matchLabels).length > 0) out['matchLabels'] = { ...s.matchLabels };
  if (s.matchExpressions && s.matchExpressions.length > 0) out['matchExpressions'] = s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values ? { values: [...e.values] } : {}) }));
  return out;
}

function netpolPeer(p: NetworkPolicyPeer): Manifest {
  const out: Manifest = {};
  if (p.namespaceSelector) out['namespaceSelector'] = selector(p.namespaceSelector);
  if (p.podSelector) out['podSelector'] = selector(p.podSelector);
  if (p.ipBlock) out['ipBlock'] = { cidr: p.ipBlock.cidr, ...(p.ipBlock.except?.length ? { except: [...p.ipBlock.except] } : {}) };
  return out;
}

function netpolPort(p: NetworkPolicyPort): Manifest {
  return { protocol: p.protocol ?? 'TCP', ...(p.port !== undefined ? { port: p.port } : {}), ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) };
}

function netpolRule(r: NetworkPolicyRule, peersKey: 'from' | 'to'): Manifest {
  const out: Manifest = {};
  if (r.peers && r.peers.length > 0) out[peersKey] = r.peers.map(netpolPeer);
  if (r.ports && r.ports.length > 0) out['ports'] = r.ports.map(netpolPort);
  return out;
}

const ownAnnotations = (a: Readonly<Record<string, string>> | undefined) => (a && Object.keys(a).length > 0 ? { annotations: { ...a } } : {});

export function networkPolicyManifest(p: NetworkPolicy): Manifest {
  const spec: Manifest = { podSelector: selector(p.podSelector) };
  // An inferred policyTypes stays inferred, so the object means what it meant before the edit.
  if (!p.policyTypesInferred) spec['policyTypes'] = [...p.policyTypes];
  if (p.ingress.length > 0) spec['ingress'] = p.ingress.map((r) => netpolRule(r, 'from'));
  if (p.egress.length > 0) spec['egress'] = p.egress.map((r) => netpolRule(r, 'to'));
  else if (p.emptyEgressList) spec['egress'] = [];
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace, ...ownAnnotations(p.annotations) }, spec };
}

function adminPeer(p: AdminPeer): Manifest {
  switch (p.kind) {
    case 'namespaces':
      return { namespaces: selector(p.namespaceSelector) };
    case 'pods':
      return { pods: { namespaceSelector: selector(p.namespaceSelector), podSelector: selector(p.podSelector) } };
    case 'nodes':
      return { nodes: selector(p.nodeSelector) };
    case 'networks':
      return { networks: [...p.cidrs] };
    case 'domainNames':
      return { domainNames: [...p.domains] };
  }
}

function adminPort(p: AdminPort, v2: boolean): Manifest {
  if (p.kind === 'named') return v2 ? { destinationNamedPort: p.name } : { namedPort: p.name };
  if (!v2) return p.kind === 'number' ? { portNumber: { protocol: p.protocol, port: p.port } } : { portRange: { protocol: p.protocol, start: p.start, end: p.end } };
  const dp = p.kind === 'number' ? { number: p.port } : { range: { start: p.start, end: p.end } };
  return { [p.protocol.toLowerCase()]: { destinationPort: dp } };
}

function adminRule(r: AdminRule, peersKey: 'from' | 'to', v2: boolean): Manifest {
  const out: Manifest = {};
  if (r.name) out['name'] = r.name;
  out['action'] = r.actionName;
  out[peersKey] = r.peers.map(adminPeer);
  if (r.ports) out[v2 ? 'protocols' : 'ports'] = r.ports.map((p) => adminPort(p, v2));
  return out;
}

export function adminPolicyManifest(p: AdminPolicy): Manifest {
  const v2 = p.kind === 'ClusterNetworkPolicy';
  const subject = p.subject.kind === 'namespaces' ? { namespaces: selector(p.subject.namespaceSelector) } : { pods: { namespaceSelector: selector(p.subject.namespaceSelector), podSelector: selector(p.subject.podSelector) } };
  const spec: Manifest = {};
  if (v2) spec['tier'] = p.tier;
  if (p.kind !== 'BaselineAdminNetworkPolicy') spec['priority'] = p.priority;
  spec['subject'] = subject;
  if (p.ingress.length > 0) spec['ingress'] = p.ingress.map((r) => adminRule(r, 'from', v2));
  if (p.egress.length > 0) spec['egress'] = p.egress.map((r) => adminRule(r, 'to', v2));
  return { apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.name, ...ownAnnotations(p.annotations) }, spec };
}

export const manifestOf = (p: AnyPolicy): Manifest => (p.type === 'netpol' ? networkPolicyManifest(p.policy) : adminPolicyManifest(p.policy));

/** The manifest read back by the same converters the -f loader uses; undefined if they reject it. */
export function readBack(m: Manifest): AnyPolicy | undefined {
  const ctx = { source: { origin: 'synthetic' as const } };
  switch (m['kind']) {
    case 'NetworkPolicy': {
      const r = convertNetworkPolicy(m, ctx);
      return r.ok && !r.problems.some((p) => p.severity === 'error') ? { type: 'netpol', policy: r.value } : undefined;
    }
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy': {
      const fn = m['kind'] === 'AdminNetworkPolicy' ? convertAdminNetworkPolicy : m['kind'] === 'BaselineAdminNetworkPolicy' ? convertBaselineAdminNetworkPolicy : convertClusterNetworkPolicy;
      const r = fn(m, ctx);
      return r.ok ? { type: 'admin', policy: r.value } : undefined;
    }
    default:
      return undefined;
  }
}
