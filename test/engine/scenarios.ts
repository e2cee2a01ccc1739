// Random small worlds for property tests: clusters, policies and connections (fast-check arbitraries),
// the builder that turns a scenario into a ClusterState, queries and matrix ports, and the seed / run
// count every property test uses. Shared by the engine, diff and suggestion property tests.
import fc from 'fast-check';
import type {
  AdminPeer,
  AdminPolicy,
  AdminPort,
  AdminRule,
  AdminTier,
  ClusterState,
  ContainerPort,
  LabelSelector,
  LabelSelectorRequirement,
  NamespaceInfo,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  NodeInfo,
  PodInfo,
  PolicyType,
  Protocol,
} from '../../src/engine/model.js';
import type { PortSpec } from '../../src/engine/matrix.js';
import type { ConnectionQuery, Endpoint } from '../../src/engine/trace.js';

const seedEnv = process.env.NETPOL_PROPERTY_SEED;
const SEED = seedEnv === 'random' ? undefined : Number(seedEnv ?? 20250611);
const RUNS = process.env.NETPOL_PROPERTY_RUNS ? Number(process.env.NETPOL_PROPERTY_RUNS) : undefined;
if ((SEED !== undefined && !Number.isInteger(SEED)) || (RUNS !== undefined && !(RUNS > 0))) {
  throw new Error('NETPOL_PROPERTY_SEED must be an integer or `random`; NETPOL_PROPERTY_RUNS a positive number');
}
export const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: RUNS ?? numRuns, ...(SEED !== undefined ? { seed: SEED } : {}) });

// ------------------------------------------------------------------ vocabularies

type Vocab = Readonly<Record<string, readonly string[]>>;
const POD_VOCAB: Vocab = { app: ['a', 'b', 'c'], tier: ['web', 'db'], env: ['x', 'y'] };
const NS_VOCAB: Vocab = { team: ['red', 'blue'], env: ['x', 'y'], 'kubernetes.io/metadata.name': ['ns0', 'ns1', 'ns2', 'ns3'] };
const NODE_VOCAB: Vocab = { role: ['worker', 'infra'], zone: ['z1', 'z2'] };
const PORT_NUMBERS = [53, 80, 443, 5432, 8080, 9000];
export const QUERY_PORTS = [...PORT_NUMBERS, 81, 1000, 8081, 9100, 9200, 65535];
const PORT_NAMES = ['http', 'dns', 'metrics'];
const protocolArb: fc.Arbitrary<Protocol> = fc.oneof({ weight: 4, arbitrary: fc.constant('TCP' as const) }, { weight: 2, arbitrary: fc.constant('UDP' as const) }, { weight: 1, arbitrary: fc.constant('SCTP' as const) });

/** Addresses CIDRs are built around: pod subnets, node addresses, outside hosts, NAT64. */
const V4_BASES = ['10.0.1.10', '10.0.1.13', '10.0.2.11', '192.168.0.12', '172.16.0.1', '172.16.0.2', '8.8.8.8'];
const V4_PREFIXES = [0, 8, 12, 16, 24, 28, 30, 31, 32];
const V6_BASES = ['fd00:1::a', 'fd00:2::c', 'fd00:ff::1', '2001:db8::5', '64:ff9b::a00:10c'];
const V6_PREFIXES = [0, 8, 16, 32, 64, 96, 120, 124, 127, 128];
/** Outside addresses for external endpoints, in several spellings (incl. IPv4-mapped and NAT64). */
const EXTERNAL_IPS = ['8.8.8.8', '10.0.1.99', '10.0.1.12', '192.168.0.200', '172.16.0.1', '2001:db8::5', 'fd00:1::63', 'FD00:2:0::C', '::ffff:10.0.1.12', '::ffff:a00:10c', '64:ff9b::10.0.1.12', '64:ff9b::a00:10c'];

// ------------------------------------------------------------------ arbitraries

const labelsArb = (vocab: Vocab): fc.Arbitrary<Record<string, string>> =>
  fc.tuple(...Object.entries(vocab).map(([k, vs]) => fc.option(fc.constantFrom(...vs), { nil: undefined, freq: 3 }).map((v) => [k, v] as const))).map((pairs) => {
    const out: Record<string, string> = {};
    for (const [k, v] of pairs) if (v !== undefined) out[k] = v;
    return out;
  });

/** One key=value pair: a selector that matches a fair share of objects. */
const oneLabelArb = (vocab: Vocab): fc.Arbitrary<Record<string, string>> =>
  fc.constantFrom(...Object.keys(vocab)).chain((k) => fc.constantFrom(...vocab[k]!).map((v) => ({ [k]: v })));

const requirementArb = (vocab: Vocab): fc.Arbitrary<LabelSelectorRequirement> =>
  fc.constantFrom(...Object.keys(vocab)).chain((key) =>
    fc.oneof(
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.subarray([...vocab[key]!], { minLength: 1 }) }),
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const) }),
    ),
  );

const selectorArb = (vocab: Vocab): fc.Arbitrary<LabelSelector> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: oneLabelArb(vocab).map((matchLabels) => ({ matchLabels })) },
    { weight: 1, arbitrary: labelsArb(vocab).map((matchLabels) => ({ matchLabels })) },
    { weight: 2, arbitrary: fc.array(requirementArb(vocab), { minLength: 1, maxLength: 2 }).map((matchExpressions) => ({ matchExpressions })) },
    { weight: 1, arbitrary: fc.record({ matchLabels: labelsArb(vocab), matchExpressions: fc.array(requirementArb(vocab), { maxLength: 2 }) }) },
  );

const cidrArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom(...V4_BASES), fc.constantFrom(...V4_PREFIXES)).map(([b, p]) => `${b}/${p}`),
  fc.tuple(fc.constantFrom(...V6_BASES), fc.constantFrom(...V6_PREFIXES)).map(([b, p]) => `${b}/${p}`),
);

const npPeerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb(POD_VOCAB).map((podSelector) => ({ podSelector })),
  selectorArb(NS_VOCAB).map((namespaceSelector) => ({ namespaceSelector })),
  fc.record({ namespaceSelector: selectorArb(NS_VOCAB), podSelector: selectorArb(POD_VOCAB) }),
  fc.record({ cidr: cidrArb, except: fc.option(fc.array(cidrArb, { minLength: 1, maxLength: 2 }), { nil: undefined }) }).map((b) => ({ ipBlock: b.except ? b : { cidr: b.cidr } })),
);

const optProtocol = fc.option(protocolArb, { nil: undefined, freq: 3 });
const npPortArb: fc.Arbitrary<NetworkPolicyPort> = fc.oneof(
  fc.record({ protocol: optProtocol }),
  fc.record({ protocol: optProtocol, port: fc.constantFrom(...PORT_NUMBERS) }),
  fc.record({ protocol: optProtocol, port: fc.constantFrom(...PORT_NUMBERS), delta: fc.constantFrom(0, 1, 100, 10000) }).map(({ protocol, port, delta }) => ({ protocol, port, endPort: port + delta })),
  { weight: 2, arbitrary: fc.record({ protocol: optProtocol, port: fc.constantFrom(...PORT_NAMES, 'nope') }) },
);

/** undefined and [] both mean "all"; mostly generate real lists. */
const listOrAll = <T,>(arb: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<T[] | undefined> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant([] as T[]) }, { weight: 5, arbitrary: fc.array(arb, { minLength: 1, maxLength }) });

const npRuleArb: fc.Arbitrary<NetworkPolicyRule> = fc.record({ peers: listOrAll(npPeerArb, 3), ports: listOrAll(npPortArb, 2) });

const npSpecArb = fc.record({
  ns: fc.nat(3),
  podSelector: selectorArb(POD_VOCAB),
  policyTypes: fc.constantFrom<PolicyType[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(npRuleArb, { maxLength: 2 }),
  egress: fc.array(npRuleArb, { maxLength: 2 }),
});

const adminPortArb: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.record({ kind: fc.constant('number' as const), protocol: protocolArb, port: fc.constantFrom(...PORT_NUMBERS) }),
  fc.record({ kind: fc.constant('range' as const), protocol: protocolArb, start: fc.constantFrom(...PORT_NUMBERS), len: fc.constantFrom(0, 1, 100, 10000) }).map(({ kind, protocol, start, len }) => ({ kind, protocol, start, end: start + len })),
  fc.record({ kind: fc.constant('named' as const), name: fc.constantFrom(...PORT_NAMES, 'nope') }),
);

const podLikePeerArb: fc.Arbitrary<AdminPeer> = fc.oneof(
  selectorArb(NS_VOCAB).map((namespaceSelector) => ({ kind: 'namespaces' as const, namespaceSelector })),
  fc.record({ kind: fc.constant('pods' as const), namespaceSelector: selectorArb(NS_VOCAB), podSelector: selectorArb(POD_VOCAB) }),
);
const egressOnlyPeerArb: fc.Arbitrary<AdminPeer> = fc.oneof(
  selectorArb(NODE_VOCAB).map((nodeSelector) => ({ kind: 'nodes' as const, nodeSelector })),
  fc.array(cidrArb, { minLength: 1, maxLength: 2 }).map((cidrs) => ({ kind: 'networks' as const, cidrs })),
);

const adminRuleArb = (tier: AdminTier, direction: PolicyType): fc.Arbitrary<AdminRule> =>
  fc.record({
    action: tier === 'Admin' ? fc.constantFrom('Allow' as const, 'Deny' as const, 'Pass' as const) : fc.constantFrom('Allow' as const, 'Deny' as const),
    peers: fc.array(direction === 'Ingress' ? podLikePeerArb : fc.oneof(podLikePeerArb, egressOnlyPeerArb), { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(adminPortArb, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
  }).map((r) => ({ action: r.action, actionName: r.action, peers: r.peers, ...(r.ports ? { ports: r.ports } : {}) }));

const adminSpecArb = fc.constantFrom<AdminTier>('Admin', 'Admin', 'Baseline').chain((tier) =>
  fc.record({
    tier: fc.constant(tier),
    priority: fc.nat(3),
    v2: fc.boolean(),
    subject: fc.oneof(
      selectorArb(NS_VOCAB).map((namespaceSelector) => ({ kind: 'namespaces' as const, namespaceSelector })),
      fc.record({ kind: fc.constant('pods' as const), namespaceSelector: selectorArb(NS_VOCAB), podSelector: selectorArb(POD_VOCAB) }),
    ),
    ingress: fc.array(adminRuleArb(tier, 'Ingress'), { maxLength: 3 }),
    egress: fc.array(adminRuleArb(tier, 'Egress'), { maxLength: 3 }),
  }),
);

/** Mostly the usual suspects (dns on UDP and TCP, http on two numbers), sometimes anything. */
const COMMON_PORTS: readonly { name?: string; port: number; protocol: Protocol }[] = [
  { name: 'http', port: 80, protocol: 'TCP' },
  { name: 'http', port: 8080, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns', port: 53, protocol: 'TCP' },
  { name: 'metrics', port: 9000, protocol: 'TCP' },
  { name: 'metrics', port: 9100, protocol: 'UDP' },
  { name: 'metrics', port: 9200, protocol: 'SCTP' },
  { port: 5432, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
];
const containerPortArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_PORTS) },
  { weight: 1, arbitrary: fc.record({ port: fc.constantFrom(...PORT_NUMBERS), protocol: protocolArb, name: fc.option(fc.constantFrom(...PORT_NAMES), { nil: undefined }) }) },
);

const podSpecArb = fc.record({
  ns: fc.nat(3),
  labels: labelsArb(POD_VOCAB),
  ports: fc.array(containerPortArb, { maxLength: 3 }),
  kind: fc.oneof({ weight: 8, arbitrary: fc.constant('normal' as const) }, { weight: 1, arbitrary: fc.constant('host' as const) }, { weight: 1, arbitrary: fc.constant('template' as const) }),
  ipMode: fc.oneof({ weight: 4, arbitrary: fc.constant('v4' as const) }, { weight: 2, arbitrary: fc.constant('v6' as const) }, { weight: 2, arbitrary: fc.constant('dual' as const) }, { weight: 1, arbitrary: fc.constant('none' as const) }),
  v4Subnet: fc.constantFrom('10.0.1', '10.0.2', '192.168.0'),
  v6Subnet: fc.constantFrom(1, 2),
  v6Style: fc.nat(2),
  node: fc.nat(1),
  /** Copy namespace, labels, kind, subnets (and usually ports) of an earlier pod, so equivalence classes get several members. */
  cloneOf: fc.option(fc.nat(7), { nil: undefined, freq: 2 }),
  /** What a clone does NOT copy: nothing (a replica), or its ports, or its kind (hostNetwork/template): near-twins test class keys. */
  cloneDiffers: fc.oneof({ weight: 4, arbitrary: fc.constant('nothing' as const) }, { weight: 1, arbitrary: fc.constant('ports' as const) }, { weight: 1, arbitrary: fc.constant('kind' as const) }),
});

const endpointSpecArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pod' as const), i: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ext' as const), ip: fc.constantFrom(...EXTERNAL_IPS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('node' as const), i: fc.nat(1), addr: fc.nat(1), withRef: fc.boolean() }) },
);
const querySpecArb = fc.record({
  from: endpointSpecArb,
  to: endpointSpecArb,
  port: fc.constantFrom(...QUERY_PORTS),
  protocol: protocolArb,
  /** Use the k-th declared container port of the destination pod instead, so named ports get hit. */
  declared: fc.option(fc.nat(2), { nil: undefined, freq: 3 }),
  /** With `declared`: keep the declared protocol (usually) or the random one (port right, protocol maybe wrong). */
  declaredProtocol: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

export const scenarioArb = fc.record({
  nsCount: fc.integer({ min: 2, max: 4 }),
  namespaces: fc.tuple(...[0, 1, 2, 3].map(() => fc.record({ labels: labelsArb({ team: NS_VOCAB.team!, env: NS_VOCAB.env! }) }))),
  dropNamespace: fc.option(fc.nat(3), { nil: undefined, freq: 6 }),
  nodes: fc.array(fc.record({ labels: labelsArb(NODE_VOCAB), v6: fc.boolean() }), { minLength: 1, maxLength: 2 }),
  pods: fc.array(podSpecArb, { minLength: 2, maxLength: 8 }),
  policies: fc.array(npSpecArb, { maxLength: 5 }),
  admin: fc.array(adminSpecArb, { maxLength: 4 }),
  queries: fc.array(querySpecArb, { minLength: 1, maxLength: 12 }),
  /** Matrix columns: a random port, or (declared = k) the k-th container port declared by any pod. */
  matrixPorts: fc.array(fc.record({ port: fc.constantFrom(...QUERY_PORTS), protocol: protocolArb, declared: fc.option(fc.nat(20), { nil: undefined, freq: 2 }) }), { minLength: 1, maxLength: 3 }),
});
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

// ------------------------------------------------------------------ building a ClusterState

function v6Address(subnet: number, host: number, style: number): string {
  const h = host.toString(16);
  if (style === 1) return `FD00:${subnet}:0:0::${h.toUpperCase()}`;
  if (style === 2) return `fd00:000${subnet}:0000:0000:0000:0000:0000:${h.padStart(4, '0')}`;
  return `fd00:${subnet}::${h}`;
}

export interface Built {
  readonly state: ClusterState;
  readonly queries: readonly ConnectionQuery[];
  readonly ports: readonly PortSpec[];
}

export function build(s: Scenario): Built {
  const nsNames = Array.from({ length: s.nsCount }, (_, i) => `ns${i}`);
  const namespaces: NamespaceInfo[] = nsNames
    .map((name, i) => ({ name, labels: { ...s.namespaces[i]!.labels, 'kubernetes.io/metadata.name': name } }))
    // Occasionally a namespace is referenced but not supplied: only its metadata.name label is known.
    .filter((_, i) => i !== s.dropNamespace);
  const nodes: NodeInfo[] = s.nodes.map((n, i) => ({ name: `node${i}`, labels: n.labels, addresses: n.v6 ? [`172.16.0.${i + 1}`, `fd00:ff::${i + 1}`] : [`172.16.0.${i + 1}`] }));

  const pods: PodInfo[] = s.pods.map((spec, i) => {
    const src = spec.cloneOf !== undefined && spec.cloneOf < i ? s.pods[spec.cloneOf]! : spec;
    const namespace = nsNames[src.ns % s.nsCount]!;
    // Names must be unique per pod; (name, protocol) unique so named ports are unambiguous.
    const seen = new Set<string>();
    const ports: ContainerPort[] = (spec.cloneDiffers === 'ports' ? spec : src).ports.map((p) => {
      const key = `${p.name}/${p.protocol}`;
      const keepName = p.name !== undefined && !seen.has(key);
      if (keepName) seen.add(key);
      return keepName ? { name: p.name, port: p.port, protocol: p.protocol } : { port: p.port, protocol: p.protocol };
    });
    const node = nodes[spec.node % nodes.length]!;
    const base = { namespace, name: `p${i}`, labels: src.labels, ports, nodeName: node.name };
    const kind = spec.cloneDiffers === 'kind' ? spec.kind : src.kind;
    if (kind === 'host') return { ...base, ips: node.addresses, hostNetwork: true };
    if (kind === 'template') return { ...base, name: `deploy-p${i}`, ips: [], hostNetwork: false, template: true, workload: { kind: 'Deployment' as const, name: `deploy-p${i}` } };
    // A clone is a replica: same subnets and address families, its own host part.
    const v4 = `${src.v4Subnet}.${10 + i}`;
    const v6 = v6Address(src.v6Subnet, 10 + i, spec.v6Style);
    const ips = src.ipMode === 'v4' ? [v4] : src.ipMode === 'v6' ? [v6] : src.ipMode === 'dual' ? [v4, v6] : [];
    return { ...base, ips, hostNetwork: false, phase: 'Running' };
  });

  const networkPolicies: NetworkPolicy[] = s.policies.map((p, i) => ({
    namespace: nsNames[p.ns % s.nsCount]!,
    name: `np${i}`,
    podSelector: p.podSelector,
    policyTypes: p.policyTypes,
    policyTypesInferred: false,
    ingress: p.ingress,
    egress: p.egress,
  }));

  const adminPolicies: AdminPolicy[] = s.admin.map((a, i) => ({
    kind: a.v2 ? 'ClusterNetworkPolicy' : a.tier === 'Admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy',
    apiVersion: a.v2 ? 'policy.networking.k8s.io/v1alpha2' : 'policy.networking.k8s.io/v1alpha1',
    name: `a${i}`,
    tier: a.tier,
    priority: a.priority,
    subject: a.subject,
    ingress: a.ingress,
    egress: a.egress,
  }));

  const endpoint = (e: Scenario['queries'][number]['from']): Endpoint => {
    if (e.kind === 'pod') return { kind: 'pod', pod: pods[e.i % pods.length]! };
    if (e.kind === 'ext') return { kind: 'ip', ip: e.ip };
    const node = nodes[e.i % nodes.length]!;
    const ip = node.addresses[e.addr % node.addresses.length]!;
    return e.withRef ? { kind: 'ip', ip, node } : { kind: 'ip', ip };
  };
  const queries = s.queries.map((q): ConnectionQuery => {
    const from = endpoint(q.from);
    const to = endpoint(q.to);
    const declared = to.kind === 'pod' && q.declared !== undefined ? to.pod.ports[q.declared % Math.max(1, to.pod.ports.length)] : undefined;
    return { from, to, port: declared?.port ?? q.port, protocol: declared && q.declaredProtocol ? declared.protocol : q.protocol };
  });
  const state: ClusterState = { namespaces, pods, nodes, services: [], endpointSlices: [], networkPolicies, adminPolicies, limitations: [] };
  const allDeclared = pods.flatMap((p) => p.ports);
  const ports = s.matrixPorts.map((m): PortSpec => {
    const d = m.declared !== undefined && allDeclared.length > 0 ? allDeclared[m.declared % allDeclared.length]! : undefined;
    return d ? { port: d.port, protocol: d.protocol } : { port: m.port, protocol: m.protocol };
  });
  return { state, queries, ports };
}
