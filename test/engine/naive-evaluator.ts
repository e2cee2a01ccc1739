// A deliberately naive second implementation of the connection verdict (boolean only), written
// straight from the Kubernetes API documentation (networking.k8s.io/v1 NetworkPolicy) and the
// network-policy-api (AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy).
// It shares NOTHING with src/engine except the model types: own label-selector matching, own IP
// parser and CIDR test (IPv4 with 32-bit integer arithmetic, IPv6 with BigInt), own tier walk.
// Property tests compare it with the engine; keep it simple and obviously right rather than fast.
import type {
  AdminPeer,
  AdminPolicy,
  AdminPort,
  AdminTier,
  ClusterState,
  LabelSelector,
  Labels,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NodeInfo,
  PodInfo,
  PolicyType,
  Protocol,
} from '../../src/engine/model.js';

/** Own endpoint/query shapes (structurally compatible with the engine's ConnectionQuery). */
export type NaiveEndpoint = { readonly kind: 'pod'; readonly pod: PodInfo } | { readonly kind: 'ip'; readonly ip: string; readonly node?: NodeInfo };
export interface NaiveQuery {
  readonly from: NaiveEndpoint;
  readonly to: NaiveEndpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface NaiveVerdict {
  readonly allowed: boolean;
  /** Human-readable steps, for counterexample printouts. */
  readonly why: readonly string[];
}

// ------------------------------------------------------------------ IP addresses

/** An address: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit BigInt. */
export type NaiveIP = { readonly v: 4; readonly n: number } | { readonly v: 6; readonly n: bigint };

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n;
}

function parseV6(text: string): bigint | undefined {
  let s = text;
  // An embedded dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two 16-bit groups.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const rest = halves.length === 2 && halves[1] !== '' ? halves[1]!.split(':') : [];
  let groups: string[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<string>(missing).fill('0'), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

/** Parses an address the way Go's net.ParseIP + To4 see it: ::ffff:a.b.c.d is IPv4. */
export function naiveParseIP(text: string): NaiveIP | undefined {
  const s = text.trim();
  if (s.includes(':')) {
    const n = parseV6(s);
    if (n === undefined) return undefined;
    if (n >> 32n === 0xffffn) return { v: 4, n: Number(n & 0xffffffffn) };
    return { v: 6, n };
  }
  const n = parseV4(s);
  return n === undefined ? undefined : { v: 4, n };
}

/** Is `ipText` inside `cidrText`? Host bits in the CIDR are ignored (masked), like Go's ParseCIDR. */
export function naiveCidrContains(cidrText: string, ipText: string): boolean {
  const slash = cidrText.indexOf('/');
  if (slash < 0) return false;
  const net = naiveParseIP(cidrText.slice(0, slash));
  const ip = naiveParseIP(ipText);
  const prefixText = cidrText.slice(slash + 1).trim();
  if (!net || !ip || !/^\d+$/.test(prefixText)) return false;
  const prefix = Number(prefixText);
  if (net.v !== ip.v) return false;
  if (net.v === 4) {
    if (prefix > 32) return false;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return ((net.n & mask) >>> 0) === (((ip.n as number) & mask) >>> 0);
  }
  if (prefix > 128) return false;
  const shift = BigInt(128 - prefix);
  return net.n >> shift === (ip.n as bigint) >> shift;
}

function sameIP(a: string, b: string): boolean {
  const x = naiveParseIP(a);
  const y = naiveParseIP(b);
  return x !== undefined && y !== undefined && x.v === y.v && x.n === y.n;
}

// ------------------------------------------------------------------ label selectors

/** metav1.LabelSelector: matchLabels AND every matchExpression; {} selects everything. */
export function naiveSelects(sel: LabelSelector, labels: Labels): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (!has(k) || labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const vals = e.values ?? [];
    const ok =
      e.operator === 'In' ? has(e.key) && vals.includes(labels[e.key]!)
      : e.operator === 'NotIn' ? !has(e.key) || !vals.includes(labels[e.key]!)
      : e.operator === 'Exists' ? has(e.key)
      : !has(e.key);
    if (!ok) return false;
  }
  return true;
}

function nsLabels(state: ClusterState, ns: string): Labels {
  return state.namespaces.find((n) => n.name === ns)?.labels ?? { 'kubernetes.io/metadata.name': ns };
}

/** A pod that selectors can see: not hostNetwork (that traffic looks like the node's). */
function selectablePod(ep: NaiveEndpoint): PodInfo | undefined {
  return ep.kind === 'pod' && !ep.pod.hostNetwork ? ep.pod : undefined;
}

function addresses(ep: NaiveEndpoint): readonly string[] {
  return ep.kind === 'pod' ? ep.pod.ips : [ep.ip];
}

function nodeOf(state: ClusterState, ep: NaiveEndpoint): NodeInfo | undefined {
  if (ep.kind === 'pod') return ep.pod.hostNetwork ? state.nodes.find((n) => n.name === ep.pod.nodeName) : undefined;
  return ep.node ?? state.nodes.find((n) => n.addresses.some((a) => sameIP(a, ep.ip)));
}

// ------------------------------------------------------------------ NetworkPolicy tier

function npPeerMatches(state: ClusterState, policyNs: string, peer: NetworkPolicyPeer, other: NaiveEndpoint): boolean {
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    return addresses(other).some((ip) => naiveCidrContains(cidr, ip) && !except.some((e) => naiveCidrContains(e, ip)));
  }
  const pod = selectablePod(other);
  if (!pod) return false;
  if (peer.namespaceSelector) {
    if (!naiveSelects(peer.namespaceSelector, nsLabels(state, pod.namespace))) return false;
  } else if (pod.namespace !== policyNs) {
    return false;
  }
  return peer.podSelector ? naiveSelects(peer.podSelector, pod.labels) : true;
}

function npPortMatches(term: NetworkPolicyPort, q: NaiveQuery): boolean {
  const proto = term.protocol ?? 'TCP';
  if (proto !== q.protocol) return false;
  if (term.port === undefined) return true;
  if (typeof term.port === 'string') {
    // Named port: a container port of the destination pod with that name AND this protocol.
    if (q.to.kind !== 'pod') return false;
    const name = term.port;
    return q.to.pod.ports.some((p) => p.name === name && p.protocol === proto && p.port === q.port);
  }
  const end = term.endPort ?? term.port;
  return q.port >= term.port && q.port <= end;
}

/** 'allow' | 'deny' when the pod is isolated for `dir`, 'open' when no policy isolates it. */
function netpolTier(state: ClusterState, pod: PodInfo, dir: PolicyType, other: NaiveEndpoint, q: NaiveQuery, why: string[]): 'allow' | 'deny' | 'open' {
  let isolated = false;
  for (const np of state.networkPolicies) {
    if (np.namespace !== pod.namespace || !naiveSelects(np.podSelector, pod.labels) || !np.policyTypes.includes(dir)) continue;
    isolated = true;
    const rules = dir === 'Ingress' ? np.ingress : np.egress;
    for (const [i, r] of rules.entries()) {
      const peerOk = !r.peers || r.peers.length === 0 || r.peers.some((p) => npPeerMatches(state, np.namespace, p, other));
      const portOk = !r.ports || r.ports.length === 0 || r.ports.some((p) => npPortMatches(p, q));
      if (peerOk && portOk) {
        why.push(`${dir}: NetworkPolicy ${np.namespace}/${np.name} rule ${i} allows`);
        return 'allow';
      }
    }
  }
  if (isolated) why.push(`${dir}: isolated by NetworkPolicy, no rule matched`);
  return isolated ? 'deny' : 'open';
}

// ------------------------------------------------------------------ admin tiers

function adminPeerMatches(state: ClusterState, peer: AdminPeer, other: NaiveEndpoint): boolean {
  switch (peer.kind) {
    case 'namespaces':
    case 'pods': {
      const pod = selectablePod(other);
      if (!pod || !naiveSelects(peer.namespaceSelector, nsLabels(state, pod.namespace))) return false;
      return peer.kind === 'namespaces' || naiveSelects(peer.podSelector, pod.labels);
    }
    case 'nodes': {
      const node = nodeOf(state, other);
      return node !== undefined && naiveSelects(peer.nodeSelector, node.labels);
    }
    case 'networks':
      return addresses(other).some((ip) => peer.cidrs.some((c) => naiveCidrContains(c, ip)));
    case 'domainNames':
      return false;
  }
}

function adminPortMatches(term: AdminPort, q: NaiveQuery): boolean {
  switch (term.kind) {
    case 'number':
      return term.protocol === q.protocol && term.port === q.port;
    case 'range':
      return term.protocol === q.protocol && q.port >= term.start && q.port <= term.end;
    case 'named':
      // namedPort has no protocol of its own: the named container port's protocol must match.
      return q.to.kind === 'pod' && q.to.pod.ports.some((p) => p.name === term.name && p.port === q.port && p.protocol === q.protocol);
  }
}

function adminSubjectSelects(state: ClusterState, p: AdminPolicy, pod: PodInfo): boolean {
  if (pod.hostNetwork) return false;
  if (!naiveSelects(p.subject.namespaceSelector, nsLabels(state, pod.namespace))) return false;
  return p.subject.kind === 'namespaces' || naiveSelects(p.subject.podSelector, pod.labels);
}

/** First matching rule of the tier (policies by ascending priority, then name): its action. */
function adminTier(state: ClusterState, tier: AdminTier, pod: PodInfo, dir: PolicyType, other: NaiveEndpoint, q: NaiveQuery, why: string[]): 'Allow' | 'Deny' | 'Pass' | undefined {
  const ordered = state.adminPolicies
    .filter((p) => p.tier === tier)
    .slice()
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const p of ordered) {
    if (!adminSubjectSelects(state, p, pod)) continue;
    const rules = dir === 'Ingress' ? p.ingress : p.egress;
    for (const [i, r] of rules.entries()) {
      // Pass is meaningless in the Baseline tier: treat it as not matching.
      if (tier === 'Baseline' && r.action === 'Pass') continue;
      const peerOk = r.peers.some((peer) => adminPeerMatches(state, peer, other));
      const portOk = r.ports === undefined || r.ports.some((t) => adminPortMatches(t, q));
      if (peerOk && portOk) {
        why.push(`${dir}: ${tier} ${p.name} (prio ${p.priority}) rule ${i} -> ${r.action}`);
        return r.action;
      }
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ the verdict

function sideAllowed(state: ClusterState, pod: PodInfo, dir: PolicyType, other: NaiveEndpoint, q: NaiveQuery, why: string[]): boolean {
  const admin = adminTier(state, 'Admin', pod, dir, other, q, why);
  if (admin === 'Allow') return true;
  if (admin === 'Deny') return false;
  const np = netpolTier(state, pod, dir, other, q, why);
  if (np !== 'open') return np === 'allow';
  const baseline = adminTier(state, 'Baseline', pod, dir, other, q, why);
  if (baseline === 'Deny') return false;
  if (baseline === undefined) why.push(`${dir}: default allow`);
  return true;
}

export function naiveVerdict(state: ClusterState, q: NaiveQuery): NaiveVerdict {
  const why: string[] = [];
  const { from, to } = q;
  // A template stands for all replicas: template -> itself is two different pods.
  if (from.kind === 'pod' && to.kind === 'pod' && from.pod.namespace === to.pod.namespace && from.pod.name === to.pod.name && !from.pod.template) {
    return { allowed: true, why: ['same pod'] };
  }
  const loop = (ep: NaiveQuery['from']) => {
    if (ep.kind === 'pod') return false;
    const ip = naiveParseIP(ep.ip);
    return ip !== undefined && (ip.v === 6 ? ip.n === 1n : Number(ip.n) >= 0x7f000000 && Number(ip.n) <= 0x7fffffff);
  };
  if (loop(from) || loop(to)) return { allowed: true, why: ['loopback'] };
  // Kubernetes docs: a pod cannot block traffic from the node it runs on.
  const residentNode = (): boolean => {
    if (to.kind !== 'pod' || to.pod.nodeName === undefined) return false;
    if (from.kind === 'pod') return from.pod.hostNetwork && from.pod.nodeName === to.pod.nodeName;
    const node = state.nodes.find((n) => n.name === to.pod.nodeName);
    const ip = naiveParseIP(from.ip);
    return node !== undefined && ip !== undefined && node.addresses.some((a) => {
      const b = naiveParseIP(a);
      return b !== undefined && b.v === ip.v && BigInt(b.n) === BigInt(ip.n);
    });
  };
  let egress = true;
  if (from.kind === 'pod' && !from.pod.hostNetwork) egress = sideAllowed(state, from.pod, 'Egress', to, q, why);
  else why.push('Egress: source is not a selectable pod');
  let ingress = true;
  if (to.kind === 'pod' && !to.pod.hostNetwork && !residentNode()) ingress = sideAllowed(state, to.pod, 'Ingress', from, q, why);
  else why.push('Ingress: destination is not a selectable pod, or the source is its own node');
  return { allowed: egress && ingress, why };
}

export function naiveAllowed(state: ClusterState, q: NaiveQuery): boolean {
  return naiveVerdict(state, q).allowed;
}
