// The what-if diff: which pod-to-pod connections a set of policy changes opens or closes, grouped
// by workload pair and port. Only the equivalence classes a changed policy selects are evaluated on
// their own side; the other side is evaluated only for the pairs whose verdict can have changed.
import { adminSubject } from '../engine/admin-tier.js';
import type { Bitset } from '../engine/bitset.js';
import { ClusterIndex } from '../engine/cluster-index.js';
import { selectorMatches } from '../engine/labels.js';
import { ClassSets, podClassKey, policyCidrs } from './classes.js';
import type { ClusterState, PodInfo, PolicyType, Protocol } from '../engine/model.js';
import { KIND_SHORT } from '../engine/resolve.js';
import type { AnyPolicy, PolicyChange } from './apply.js';
import { changedSegments, type PortSegment } from './ports.js';

/** One port range between one workload pair that changes. `pairs` counts pod pairs. */
export interface PortChange {
  readonly protocol: Protocol;
  readonly start: number;
  readonly end: number;
  readonly now: 'allowed' | 'blocked';
  readonly pairs: number;
}

/** A workload (or a bare pod) on each end: `ns/deploy/name`, `ns/pod-name`. */
export interface ConnectionGroup {
  readonly from: string;
  readonly to: string;
  readonly ports: readonly PortChange[];
}

export interface DiffResult {
  readonly changes: readonly PolicyChange[];
  readonly groups: readonly ConnectionGroup[];
  /** Connections changed (a policy change that alters no connection is still listed in `changes`). */
  readonly connectionsChanged: boolean;
  readonly stats: { readonly pods: number; readonly classes: number; readonly touchedClasses: number; readonly segments: number };
  /** What the diff cannot show (e.g. changes for addresses outside the cluster). */
  readonly notes: readonly string[];
}

export function workloadLabel(p: PodInfo): string {
  return p.workload ? `${p.namespace}/${KIND_SHORT[p.workload.kind]}/${p.workload.name}` : `${p.namespace}/${p.name}`;
}

type Classes = { reps: PodInfo[]; members: PodInfo[][] };
/** Classes per pod list and CIDR set: verifying several suggestions on one cluster computes them once. */
const classCache = new WeakMap<readonly PodInfo[], Map<string, Classes>>();

/** Classes of pods no policy of either state can tell apart (same key as the matrix's). */
function classesOf(before: ClusterIndex, after: ClusterIndex): Classes {
  const cidrs = [...new Set([...policyCidrs(before), ...policyCidrs(after)])].sort();
  const pods = before.state.pods;
  let byCidrs = classCache.get(pods);
  if (!byCidrs) classCache.set(pods, (byCidrs = new Map()));
  const cacheKey = JSON.stringify(cidrs);
  const cached = byCidrs.get(cacheKey);
  if (cached && before.state.nodes === after.state.nodes) return cached;
  const computed = computeClasses(pods, cidrs, before);
  byCidrs.set(cacheKey, computed);
  return computed;
}

function computeClasses(pods: readonly PodInfo[], cidrs: readonly string[], before: ClusterIndex): Classes {
  const nodeMatters = pods.some((p) => p.hostNetwork);
  const ids = new Map<string, number>();
  const reps: PodInfo[] = [];
  const members: PodInfo[][] = [];
  for (const pod of pods) {
    const key = podClassKey(pod, cidrs, before, nodeMatters);
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = reps.length));
      reps.push(pod);
      members.push([]);
    }
    members[id]!.push(pod);
  }
  return { reps, members };
}

/** Does this policy (one version) select the pod for `dir`? NetworkPolicy: only with that policy type. */
function selects(p: AnyPolicy, pod: PodInfo, dir: PolicyType, idx: ClusterIndex): boolean {
  if (p.type === 'netpol') return p.policy.namespace === pod.namespace && !pod.hostNetwork && p.policy.policyTypes.includes(dir) && selectorMatches(p.policy.podSelector, pod.labels);
  return (dir === 'Ingress' ? p.policy.ingress : p.policy.egress).length > 0 && adminSubject(p.policy, pod, idx).matched;
}

/**
 * The base state's index and class sets, kept while the state object lives: verifying several
 * suggestions against one cluster evaluates the unchanged policies once, not once per candidate.
 */
const baseCache = new WeakMap<ClusterState, { idx: ClusterIndex; sets?: { classes: Classes; sets: ClassSets } }>();
function baseIndex(state: ClusterState): ClusterIndex {
  let e = baseCache.get(state);
  if (!e) baseCache.set(state, (e = { idx: new ClusterIndex(state) }));
  return e.idx;
}
function baseSets(state: ClusterState, classes: Classes, idx: ClusterIndex): ClassSets {
  const e = baseCache.get(state)!;
  if (e.sets?.classes !== classes) e.sets = { classes, sets: new ClassSets(classes.reps, idx) };
  return e.sets.sets;
}

export function diffStates(before: ClusterState, after: ClusterState, changes: readonly PolicyChange[]): DiffResult {
  const bIdx = baseIndex(before);
  const aIdx = new ClusterIndex(after);
  const classes = classesOf(bIdx, aIdx);
  const { reps, members } = classes;
  const touched = (dir: PolicyType) =>
    reps.flatMap((rep, c) => (changes.some((ch) => [ch.before, ch.after].some((v) => v !== undefined && selects(v, rep, dir, bIdx))) ? [c] : []));
  const egressTouched = touched('Egress');
  const ingressTouched = touched('Ingress');
  const segments = egressTouched.length + ingressTouched.length === 0 ? [] : changedSegments(before, after, changes);
  const beforeSets = baseSets(before, classes, bIdx);
  const sets = { before: beforeSets, after: new ClassSets(reps, aIdx, beforeSets) };
  const touchedIn = { Egress: new Set(egressTouched), Ingress: new Set(ingressTouched) };
  const cells = new Map<string, { now: 'allowed' | 'blocked'; segment: PortSegment; from: number; to: number }[]>();

  for (const segment of segments) {
    const spec = { port: segment.start, protocol: segment.protocol };
    const cache = new Map<string, Bitset>();
    const dirSet = (which: 'before' | 'after', c: number, dir: PolicyType): Bitset => {
      // A class no changed policy selects in this direction has the same set in both states.
      if (which === 'after' && !touchedIn[dir].has(c)) which = 'before';
      const k = `${which}${dir}${c}`;
      let s = cache.get(k);
      if (!s) cache.set(k, (s = sets[which].direction(c, dir, spec)));
      return s;
    };
    const candidates = new Set<number>();
    const n = reps.length;
    const consider = (own: readonly number[], dir: PolicyType) => {
      for (const c of own) {
        const b = dirSet('before', c, dir);
        const a = dirSet('after', c, dir);
        for (let w = 0; w < b.words.length; w++) {
          let x = (b.words[w]! ^ a.words[w]!) >>> 0;
          while (x !== 0) {
            const bit = 31 - Math.clz32(x & -x);
            x &= x - 1;
            const other = w * 32 + bit;
            candidates.add(dir === 'Egress' ? c * n + other : other * n + c);
          }
        }
      }
    };
    consider(egressTouched, 'Egress');
    consider(ingressTouched, 'Ingress');
    for (const cell of candidates) {
      const from = Math.floor(cell / n);
      const to = cell % n;
      const was = dirSet('before', from, 'Egress').has(to) && dirSet('before', to, 'Ingress').has(from);
      const is = dirSet('after', from, 'Egress').has(to) && dirSet('after', to, 'Ingress').has(from);
      if (was === is) continue;
      for (const [fw, tw, pairs] of workloadPairs(members[from]!, members[to]!, from === to)) {
        const key = `${fw}\u0000${tw}`;
        const list = cells.get(key) ?? [];
        list.push({ now: is ? 'allowed' : 'blocked', segment, from: pairs, to: 0 });
        cells.set(key, list);
      }
    }
  }
  const groups: ConnectionGroup[] = [...cells.entries()]
    .map(([key, list]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from, to, ports: mergePorts(list.map((l) => ({ protocol: l.segment.protocol, start: l.segment.start, end: l.segment.end, now: l.now, pairs: l.from }))) };
    })
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const notes = changes.some((c) => [c.before, c.after].some((v) => v && mentionsAddresses(v)))
    ? ['A changed policy has ipBlock or networks peers: connections to and from addresses outside the pod network are not listed (only pod-to-pod connections are).']
    : [];
  return { changes, groups, connectionsChanged: groups.length > 0, stats: { pods: before.pods.length, classes: reps.length, touchedClasses: new Set([...egressTouched, ...ingressTouched]).size, segments: segments.length }, notes };
}

/** Pod pairs between two classes, per workload pair (a pod and itself is not a connection). */
function workloadPairs(from: readonly PodInfo[], to: readonly PodInfo[], sameClass: boolean): [string, string, number][] {
  const count = (pods: readonly PodInfo[]) => {
    const m = new Map<string, { all: number; pods: number }>();
    for (const p of pods) {
      const e = m.get(workloadLabel(p)) ?? { all: 0, pods: 0 };
      e.all++;
      if (!p.template) e.pods++;
      m.set(workloadLabel(p), e);
    }
    return m;
  };
  const out: [string, string, number][] = [];
  const f = count(from);
  const t = sameClass ? f : count(to);
  for (const [fw, fc] of f)
    for (const [tw, tc] of t) {
      const pairs = fc.all * tc.all - (sameClass && fw === tw ? fc.pods : 0);
      if (pairs > 0) out.push([fw, tw, pairs]);
    }
  return out;
}

const PROTO_ORDER: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

/** Adjacent segments with the same outcome become one range. */
function mergePorts(list: PortChange[]): PortChange[] {
  list.sort((a, b) => PROTO_ORDER[a.protocol] - PROTO_ORDER[b.protocol] || a.start - b.start);
  const out: PortChange[] = [];
  for (const p of list) {
    const last = out[out.length - 1];
    if (last && last.protocol === p.protocol && last.now === p.now && last.pairs === p.pairs && last.end + 1 === p.start) out[out.length - 1] = { ...last, end: p.end };
    else out.push(p);
  }
  return out;
}

function mentionsAddresses(p: AnyPolicy): boolean {
  if (p.type === 'netpol') return [...p.policy.ingress, ...p.policy.egress].some((r) => (r.peers ?? []).some((x) => x.ipBlock));
  return [...p.policy.ingress, ...p.policy.egress].some((r) => r.peers.some((x) => x.kind === 'networks' || x.kind === 'nodes'));
}
