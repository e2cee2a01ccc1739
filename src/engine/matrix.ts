// All-pairs reachability through equivalence classes: pods that no policy term can tell apart
// share one evaluation per (class, class, port).
import { cachedCidr, cachedIP, cidrContains } from './cidr.js';
import type { ClusterIndex } from './cluster-index.js';
import { evaluateConnection } from './evaluate.js';
import type { PodInfo, Protocol } from './model.js';
import type { Verdict } from './trace.js';

export interface PortSpec {
  readonly port: number;
  readonly protocol: Protocol;
}

export interface Matrix {
  readonly pods: readonly PodInfo[];
  readonly ports: readonly PortSpec[];
  readonly classCount: number;
  readonly evaluations: number;
  /** allowed(portIndex, fromIndex, toIndex), indices into `pods` / `ports`. */
  allowed(portIndex: number, from: number, to: number): boolean;
  /** The verdict that stands for a cell (the representative pair's, or the same-pod verdict). */
  verdict(portIndex: number, from: number, to: number): Verdict;
}

/** Every CIDR any policy mentions: a pod's membership in each is part of its identity. */
function policyCidrs(idx: ClusterIndex): string[] {
  const set = new Set<string>();
  for (const p of idx.state.networkPolicies)
    for (const r of [...p.ingress, ...p.egress])
      for (const peer of r.peers ?? []) {
        if (peer.ipBlock) {
          set.add(peer.ipBlock.cidr);
          for (const e of peer.ipBlock.except ?? []) set.add(e);
        }
      }
  for (const p of idx.state.adminPolicies)
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.kind === 'networks') peer.cidrs.forEach((c) => set.add(c));
  return [...set].sort();
}

function sortedEntries(o: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The class key: everything evaluation looks at except the pod's name. */
export function podClassKey(pod: PodInfo, cidrs: readonly string[], idx: ClusterIndex): string {
  const ipSig = pod.ips
    .map((ip) => {
      const parsed = cachedIP(ip);
      return cidrs.map((c) => {
        const cidr = cachedCidr(c);
        return parsed && cidr && cidrContains(cidr, parsed) ? '1' : '0';
      }).join('');
    })
    .sort()
    .join('|');
  const named = pod.ports.filter((p) => p.name).map((p) => `${p.name}=${p.port}/${p.protocol}`).sort().join(',');
  const node = pod.hostNetwork ? `host:${pod.nodeName ?? ''}:${sortedEntries(idx.node(pod.nodeName)?.labels ?? {})}` : '';
  return `${pod.namespace}\u0000${sortedEntries(pod.labels)}\u0000${named}\u0000${ipSig}\u0000${pod.ips.length}\u0000${node}`;
}

export function computeMatrix(pods: readonly PodInfo[], ports: readonly PortSpec[], idx: ClusterIndex): Matrix {
  const cidrs = policyCidrs(idx);
  const classIds = new Map<string, number>();
  const classOf = new Int32Array(pods.length);
  const members: number[][] = [];
  pods.forEach((pod, i) => {
    const key = podClassKey(pod, cidrs, idx);
    let id = classIds.get(key);
    if (id === undefined) {
      id = members.length;
      classIds.set(key, id);
      members.push([]);
    }
    members[id]!.push(i);
    classOf[i] = id;
  });
  const c = members.length;
  // verdicts[port][fromClass * c + toClass]: for the same class, the verdict between two distinct members.
  const verdicts: Verdict[][] = ports.map(() => new Array<Verdict>(c * c));
  let evaluations = 0;
  ports.forEach((spec, pi) => {
    const table = verdicts[pi]!;
    for (let a = 0; a < c; a++) {
      const fromPod = pods[members[a]![0]!]!;
      for (let b = 0; b < c; b++) {
        if (a === b && members[a]!.length < 2) continue;
        const toPod = pods[members[b]![0]!]!;
        table[a * c + b] = evaluateConnection({ from: { kind: 'pod', pod: fromPod }, to: { kind: 'pod', pod: toPod }, ...spec }, idx, { distinctEndpoints: true });
        evaluations++;
      }
    }
  });
  const selfVerdict = (pi: number, i: number): Verdict => {
    const pod = pods[i]!;
    return evaluateConnection({ from: { kind: 'pod', pod }, to: { kind: 'pod', pod }, ...ports[pi]! }, idx);
  };
  return {
    pods,
    ports,
    classCount: c,
    evaluations,
    allowed(pi, from, to) {
      if (from === to) return true;
      return verdicts[pi]![classOf[from]! * c + classOf[to]!]!.allowed;
    },
    verdict(pi, from, to) {
      if (from === to) return selfVerdict(pi, from);
      return verdicts[pi]![classOf[from]! * c + classOf[to]!]!;
    },
  };
}
