// Lookup tables over a ClusterState (by namespace, pod name, node and IP) for the engine's queries.
import type { AdminPolicy, AdminTier, ClusterState, Labels, NamespaceInfo, NetworkPolicy, NodeInfo, PodInfo } from './model.js';
import { cachedIP, DOTTED } from './cidr.js';
import { inactiveReason } from './pod-address.js';

/**
 * Lookup tables over a ClusterState so one verdict touches only the two namespaces involved.
 * Built once per state; immutable afterwards. The tables by IP are built on their first lookup
 * (a cold explain of two named pods never needs them, and keying every pod's IP is its costliest part).
 */
export class ClusterIndex {
  readonly state: ClusterState;
  private readonly namespaces = new Map<string, NamespaceInfo>();
  private readonly policiesByNs = new Map<string, NetworkPolicy[]>();
  private readonly podsByNs = new Map<string, PodInfo[]>();
  private readonly nodesByName = new Map<string, NodeInfo>();
  private byIP: { readonly nodes: Map<string, NodeInfo>; readonly pods: Map<string, PodInfo[]> } | undefined;
  private readonly adminByTier = new Map<AdminTier, AdminPolicy[]>();

  constructor(state: ClusterState) {
    this.state = state;
    for (const ns of state.namespaces) this.namespaces.set(ns.name, ns);
    for (const p of state.networkPolicies) push(this.policiesByNs, p.namespace, p);
    // Name order, as the API server lists them, so traces read the same from files and from a cluster.
    for (const list of this.policiesByNs.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const p of state.pods) push(this.podsByNs, p.namespace, p);
    for (const n of state.nodes) this.nodesByName.set(n.name, n);
    for (const tier of ['Admin', 'Baseline'] as const) {
      const list = state.adminPolicies.filter((p) => p.tier === tier);
      // Lower priority number first; name breaks ties so output is deterministic (the API calls ties ambiguous).
      list.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
      this.adminByTier.set(tier, list);
    }
  }

  namespace(name: string): NamespaceInfo | undefined {
    return this.namespaces.get(name);
  }

  /** Labels of a namespace; a namespace we were not given still has its metadata.name label. */
  namespaceLabels(name: string): Labels {
    return this.namespaces.get(name)?.labels ?? { 'kubernetes.io/metadata.name': name };
  }

  policiesIn(namespace: string): readonly NetworkPolicy[] {
    return this.policiesByNs.get(namespace) ?? [];
  }

  podsIn(namespace: string): readonly PodInfo[] {
    return this.podsByNs.get(namespace) ?? [];
  }

  pod(namespace: string, name: string): PodInfo | undefined {
    return this.podsIn(namespace).find((p) => p.name === name);
  }

  adminPolicies(tier: AdminTier): readonly AdminPolicy[] {
    return this.adminByTier.get(tier) ?? [];
  }

  node(name: string | undefined): NodeInfo | undefined {
    return name === undefined ? undefined : this.nodesByName.get(name);
  }

  nodeByIP(ip: string): NodeInfo | undefined {
    return this.ipTables().nodes.get(canonicalIP(ip));
  }

  /** The (non-hostNetwork, not finished) pod owning an IP, if any; the first one when several claim it. */
  podByIP(ip: string): PodInfo | undefined {
    return this.ipTables().pods.get(canonicalIP(ip))?.[0];
  }

  /** Every (non-hostNetwork, not finished) pod that reports an IP: more than one means the data is inconsistent. */
  podsWithIP(ip: string): readonly PodInfo[] {
    return this.ipTables().pods.get(canonicalIP(ip)) ?? [];
  }

  private ipTables(): { readonly nodes: Map<string, NodeInfo>; readonly pods: Map<string, PodInfo[]> } {
    if (this.byIP) return this.byIP;
    const nodes = new Map<string, NodeInfo>();
    const pods = new Map<string, PodInfo[]>();
    // A finished pod's status still shows the IP it had: the address is free (or another pod's) now.
    for (const p of this.state.pods) if (!p.hostNetwork && inactiveReason(p) !== 'finished') for (const ip of p.ips) push(pods, canonicalIP(ip), p);
    for (const n of this.state.nodes) for (const a of n.addresses) nodes.set(canonicalIP(a), n);
    return (this.byIP = { nodes, pods });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One spelling per address so `fd00::1` and `fd00:0::1` look up the same entry. */
export function canonicalIP(ip: string): string {
  // Canonical dotted quads (the common case) without the parser's bigint: the same key.
  const q = DOTTED.exec(ip);
  if (q) {
    const n = [q[1], q[2], q[3], q[4]].map(Number);
    if (n.every((x) => x <= 255)) return `4:${(((n[0]! * 256 + n[1]!) * 256 + n[2]!) * 256 + n[3]!).toString(16)}`;
  }
  const parsed = cachedIP(ip);
  return parsed ? `${parsed.family}:${parsed.value.toString(16)}` : ip;
}
