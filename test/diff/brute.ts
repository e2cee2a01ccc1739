// Brute force for the what-if diff: every pod pair on every port that can matter, evaluated one by one
// with evaluateConnection before and after. The diff and suggestion tests compare against it.
import type { ConnectionGroup } from '../../src/diff/compute.js';
import { workloadLabel } from '../../src/diff/compute.js';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { evaluateConnection } from '../../src/engine/evaluate.js';
import { PROTOCOLS, type ClusterState, type Protocol } from '../../src/engine/model.js';

/** Ports where verdicts can change: every number the policies and pods mention, its neighbours, the ends. */
export function samplePorts(states: readonly ClusterState[]): { port: number; protocol: Protocol }[] {
  const nums = new Set<number>([1, 2, 53, 80, 65534, 65535]);
  const add = (n: number) => [n - 1, n, n + 1].filter((x) => x >= 1 && x <= 65535).forEach((x) => nums.add(x));
  for (const s of states) {
    for (const p of s.pods) for (const cp of p.ports) add(cp.port);
    for (const p of s.networkPolicies)
      for (const r of [...p.ingress, ...p.egress])
        for (const t of r.ports ?? []) {
          if (typeof t.port === 'number') add(t.port);
          if (t.endPort !== undefined) add(t.endPort);
        }
    for (const p of s.adminPolicies)
      for (const r of [...p.ingress, ...p.egress])
        for (const t of r.ports ?? []) {
          if (t.kind === 'number') add(t.port);
          if (t.kind === 'range') [t.start, t.end].forEach(add);
        }
  }
  return PROTOCOLS.flatMap((protocol) => [...nums].map((port) => ({ port, protocol })));
}

/** `fromWorkload|toWorkload|PROTO/port|now` -> pod pairs, for every pair whose verdict differs. */
export function bruteChanges(before: ClusterState, after: ClusterState, ports: readonly { port: number; protocol: Protocol }[], skip?: (from: string, to: string, protocol: Protocol, port: number) => boolean): Map<string, number> {
  const b = new ClusterIndex(before);
  const a = new ClusterIndex(after);
  const out = new Map<string, number>();
  for (const spec of ports)
    for (const from of before.pods)
      for (const to of before.pods) {
        if (from === to && !from.template) continue;
        if (skip?.(`${from.namespace}/${from.name}`, `${to.namespace}/${to.name}`, spec.protocol, spec.port)) continue;
        const q = { from: { kind: 'pod' as const, pod: from }, to: { kind: 'pod' as const, pod: to }, ...spec };
        const was = evaluateConnection(q, b, { distinctEndpoints: true }).allowed;
        const is = evaluateConnection(q, a, { distinctEndpoints: true }).allowed;
        if (was === is) continue;
        const key = `${workloadLabel(from)}|${workloadLabel(to)}|${spec.protocol}/${spec.port}|${is ? 'allowed' : 'blocked'}`;
        out.set(key, (out.get(key) ?? 0) + 1);
      }
  return out;
}

/** The same keys from diff groups, at the sampled ports. */
export function reportedChanges(groups: readonly ConnectionGroup[], ports: readonly { port: number; protocol: Protocol }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const g of groups)
    for (const p of g.ports)
      for (const s of ports) if (s.protocol === p.protocol && s.port >= p.start && s.port <= p.end) out.set(`${g.from}|${g.to}|${s.protocol}/${s.port}|${p.now}`, p.pairs);
  return out;
}
