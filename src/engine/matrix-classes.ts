// Equivalence classes for the matrix: pods that no policy term can tell apart. A class key holds only
// what evaluation looks at: namespace, the labels some selector mentions, named ports, CIDR membership.
import { cachedCidr, cachedIP } from './cidr.js';
import type { ClusterIndex } from './cluster-index.js';
import type { LabelSelector, PodInfo } from './model.js';

/** Every CIDR any policy mentions, interned: a pod's membership in each is part of its identity. */
export class CidrTable {
  readonly cidrs: string[] = [];
  private readonly ids = new Map<string, number>();
  /** prefix length -> (family:network -> cidr ids); CIDRs with the same network and prefix are one entry. */
  private readonly byPrefix = new Map<number, Map<string, number[]>>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id !== undefined) return id;
    id = this.cidrs.length;
    this.cidrs.push(text);
    this.ids.set(text, id);
    const c = cachedCidr(text);
    if (c) {
      const key = c.prefix + (c.family === 6 ? 1000 : 0);
      let m = this.byPrefix.get(key);
      if (!m) this.byPrefix.set(key, (m = new Map()));
      const k = `${c.family}:${c.network}`;
      const list = m.get(k);
      if (list) list.push(id);
      else m.set(k, [id]);
    }
    return id;
  }

  /** Ids of the CIDRs containing `ip` (one lookup per distinct prefix length), sorted. */
  containing(ip: string): number[] {
    const parsed = cachedIP(ip);
    if (!parsed) return [];
    const out: number[] = [];
    const bits = parsed.family === 4 ? 32 : 128;
    for (const [key, m] of this.byPrefix) {
      const family = key >= 1000 ? 6 : 4;
      if (family !== parsed.family) continue;
      const prefix = key % 1000;
      const shift = BigInt(bits - prefix);
      const network = prefix === 0 ? 0n : (parsed.value >> shift) << shift;
      const hit = m.get(`${family}:${network}`);
      if (hit) out.push(...hit);
    }
    return out.sort((a, b) => a - b);
  }
}

/** Label keys some pod selector mentions: other labels cannot change a verdict. */
export function selectorKeys(idx: ClusterIndex): Set<string> {
  const keys = new Set<string>();
  const add = (s: LabelSelector | undefined) => {
    if (!s) return;
    for (const k in s.matchLabels ?? {}) keys.add(k);
    for (const e of s.matchExpressions ?? []) keys.add(e.key);
  };
  for (const p of idx.state.networkPolicies) {
    add(p.podSelector);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers ?? []) add(peer.podSelector);
  }
  for (const p of idx.state.adminPolicies) {
    if (p.subject.kind === 'pods') add(p.subject.podSelector);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.kind === 'pods') add(peer.podSelector);
  }
  return keys;
}

export function policyCidrs(idx: ClusterIndex): CidrTable {
  const table = new CidrTable();
  for (const p of idx.state.networkPolicies)
    for (const r of [...p.ingress, ...p.egress])
      for (const peer of r.peers ?? [])
        if (peer.ipBlock) {
          table.id(peer.ipBlock.cidr);
          for (const e of peer.ipBlock.except ?? []) table.id(e);
        }
  for (const p of idx.state.adminPolicies)
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.kind === 'networks') peer.cidrs.forEach((c) => table.id(c));
  return table;
}

const sortedEntries = (o: Readonly<Record<string, string>>, keep?: ReadonlySet<string>): string =>
  JSON.stringify(Object.keys(o).filter((k) => !keep || keep.has(k)).sort().map((k) => [k, o[k]]));

export interface Classes {
  readonly reps: readonly PodInfo[];
  readonly classOf: Int32Array;
  /** Per class, per IP of its representative: ids of the policy CIDRs containing that IP. */
  readonly membership: readonly (readonly (readonly number[])[])[];
  readonly cidrs: CidrTable;
}

/** Partitions pods into classes; the first pod of each class stands for it. */
export function partitionPods(pods: readonly PodInfo[], idx: ClusterIndex): Classes {
  const cidrs = policyCidrs(idx);
  const keys = selectorKeys(idx);
  // Host-network pods are their node; other pods' node matters only when host-network pods exist
  // (traffic from a pod's own node is never blocked).
  const nodeMatters = pods.some((p) => p.hostNetwork);
  const classIds = new Map<string, number>();
  const classOf = new Int32Array(pods.length);
  const reps: PodInfo[] = [];
  const membership: number[][][] = [];
  pods.forEach((pod, i) => {
    const member = pod.ips.map((ip) => cidrs.containing(ip));
    const ipSig = member.map((m) => m.join(',')).sort().join('|');
    const named = pod.ports.filter((p) => p.name).map((p) => `${p.name}=${p.port}/${p.protocol}`).sort().join(',');
    const node = pod.hostNetwork ? `host:${pod.nodeName ?? ''}:${sortedEntries(idx.node(pod.nodeName)?.labels ?? {})}` : nodeMatters ? `on:${pod.nodeName ?? ''}` : '';
    const key = `${pod.namespace}\u0000${sortedEntries(pod.labels, keys)}\u0000${named}\u0000${ipSig}\u0000${pod.ips.length}\u0000${node}`;
    let id = classIds.get(key);
    if (id === undefined) {
      id = reps.length;
      classIds.set(key, id);
      reps.push(pod);
      membership.push(member);
    }
    classOf[i] = id;
  });
  return { reps, classOf, membership, cidrs };
}
