// Port segments for the what-if diff: the verdict of every pair is constant between two consecutive
// port boundaries of the policies in force, so one representative port stands for each segment.
import type { ClusterState, Protocol } from '../engine/model.js';
import { PROTOCOLS } from '../engine/model.js';
import type { PolicyChange } from './apply.js';

export interface PortSegment {
  readonly protocol: Protocol;
  readonly start: number;
  readonly end: number;
}

type Span = readonly [number, number];
const ALL: Span = [1, 65535];

/** Per pod list: container port name -> protocol -> numbers (built once; states of one diff share their pods). */
const namedPortTables = new WeakMap<readonly unknown[], Map<string, Map<Protocol, Set<number>>>>();

/** Numbers a named port resolves to on any pod, with the protocol. */
function namedNumbers(state: ClusterState, name: string, protocol: Protocol): number[] {
  let table = namedPortTables.get(state.pods);
  if (!table) {
    table = new Map();
    for (const pod of state.pods)
      for (const p of pod.ports) {
        if (!p.name) continue;
        let byProto = table.get(p.name);
        if (!byProto) table.set(p.name, (byProto = new Map()));
        let nums = byProto.get(p.protocol);
        if (!nums) byProto.set(p.protocol, (nums = new Set()));
        nums.add(p.port);
      }
    namedPortTables.set(state.pods, table);
  }
  return [...(table.get(name)?.get(protocol) ?? [])];
}

/** Every port span one policy's rules mention, per protocol; 'all' where a rule covers every port. */
function policySpans(change: PolicyChange['before'], state: ClusterState, add: (protocol: Protocol, span: Span | 'all') => void): void {
  if (!change) return;
  if (change.type === 'netpol') {
    for (const rule of [...change.policy.ingress, ...change.policy.egress]) {
      if (!rule.ports || rule.ports.length === 0) {
        for (const pr of PROTOCOLS) add(pr, 'all');
        continue;
      }
      for (const t of rule.ports) {
        const pr = t.protocol ?? 'TCP';
        if (t.port === undefined) add(pr, 'all');
        else if (typeof t.port === 'number') add(pr, [t.port, t.endPort ?? t.port]);
        else for (const n of namedNumbers(state, t.port, pr)) add(pr, [n, n]);
      }
    }
    return;
  }
  for (const rule of [...change.policy.ingress, ...change.policy.egress]) {
    if (rule.ports === undefined) {
      for (const pr of PROTOCOLS) add(pr, 'all');
      continue;
    }
    for (const t of rule.ports) {
      if (t.kind === 'number') add(t.protocol, [t.port, t.port]);
      else if (t.kind === 'range') add(t.protocol, [t.start, t.end]);
      else for (const pr of PROTOCOLS) for (const n of namedNumbers(state, t.name, pr)) add(pr, [n, n]);
    }
  }
}

/** Does a NetworkPolicy change alter which pods are isolated (then every port can change)? */
function changesIsolation(c: PolicyChange): boolean {
  if (c.before?.type !== 'netpol' && c.after?.type !== 'netpol') return false;
  if (!c.before || !c.after || c.before.type !== 'netpol' || c.after.type !== 'netpol') return true;
  const iso = (p: typeof c.before.policy) => JSON.stringify([p.podSelector, p.policyTypes]);
  return iso(c.before.policy) !== iso(c.after.policy);
}

/**
 * The segments whose verdicts the changes can alter: boundaries come from every policy of both
 * states (unchanged policies split ports too); a segment is kept only if a changed rule covers it.
 */
export function changedSegments(before: ClusterState, after: ClusterState, changes: readonly PolicyChange[]): PortSegment[] {
  const relevant = new Map<Protocol, Span[] | 'all'>();
  const addRelevant = (pr: Protocol, span: Span | 'all') => {
    const cur = relevant.get(pr);
    if (cur === 'all') return;
    if (span === 'all') relevant.set(pr, 'all');
    else relevant.set(pr, [...(cur ?? []), span]);
  };
  for (const c of changes) {
    if (changesIsolation(c)) for (const pr of PROTOCOLS) addRelevant(pr, 'all');
    policySpans(c.before, before, addRelevant);
    policySpans(c.after, after, addRelevant);
  }
  const cuts = new Map<Protocol, Set<number>>(PROTOCOLS.map((p) => [p, new Set([1])]));
  const addCut = (pr: Protocol, span: Span | 'all') => {
    if (span === 'all') return;
    cuts.get(pr)!.add(span[0]);
    if (span[1] < 65535) cuts.get(pr)!.add(span[1] + 1);
  };
  for (const state of [before, after]) {
    for (const p of state.networkPolicies) policySpans({ type: 'netpol', policy: p }, state, addCut);
    for (const p of state.adminPolicies) policySpans({ type: 'admin', policy: p }, state, addCut);
  }
  const out: PortSegment[] = [];
  for (const pr of PROTOCOLS) {
    const rel = relevant.get(pr);
    if (rel === undefined) continue;
    const starts = [...cuts.get(pr)!].sort((a, b) => a - b);
    starts.forEach((start, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]! - 1 : ALL[1];
      if (rel === 'all' || rel.some(([lo, hi]) => lo <= end && hi >= start)) out.push({ protocol: pr, start, end });
    });
  }
  return out;
}
