// All-pairs reachability through equivalence classes (matrix-classes.ts) and per-class verdict sets
// (matrix-sets.ts). Columns are either every port (1-65535 of each protocol, split where some policy
// term or named container port can change a verdict) or the ports asked for; a class pair's answer is
// an interned mask of allowed columns.
import { Bitset } from './bitset.js';
import type { ClusterIndex } from './cluster-index.js';
import { evaluateConnection } from './evaluate.js';
import { MaskTable } from './masks.js';
import { partitionPods } from './matrix-classes.js';
import { ClassSets, type PortSpec } from './matrix-sets.js';
import { PROTOCOLS, type PodInfo, type Protocol } from './model.js';
import { adminPortBoundaries, netpolPortBoundaries, resolveNamedPort } from './ports.js';
import type { Endpoint, Verdict } from './trace.js';

export type { PortSpec } from './matrix-sets.js';

/** A port asked for: a number, or a container port name resolved per destination pod (as explain does). */
export interface PortQuery {
  readonly port: number | string;
  readonly protocol: Protocol;
}

/** What a mask bit stands for: a port range of one protocol, or an asked port (maybe named). */
export interface Column {
  readonly protocol: Protocol;
  readonly start: number;
  readonly end: number;
  /** A named --port: `start`/`end` are 0; the number differs per destination pod. */
  readonly name?: string;
}

export interface Reachability {
  readonly pods: readonly PodInfo[];
  readonly classOf: Int32Array;
  readonly classCount: number;
  /** true when the columns cover every port of the protocols asked for. */
  readonly allPorts: boolean;
  readonly columns: readonly Column[];
  readonly masks: MaskTable;
  /** Columns allowed from any pod of class `a` to another pod of class `b`. */
  pairMask(a: number, b: number): number;
  /** The classes class `a` may reach on some column, ascending, with their masks. */
  destinations(a: number): { readonly classes: Int32Array; readonly masks: Int32Array };
  /** The port a named column resolves to on a class (undefined: not declared). */
  resolvedPort(column: number, toClass: number): number | undefined;
}

/** Ranges of 1-65535 per protocol over which no policy term and no named container port changes. */
function portRanges(reps: readonly PodInfo[], idx: ClusterIndex, protocols: readonly Protocol[]): Column[] {
  const cuts = new Map<Protocol, Set<number>>(protocols.map((p) => [p, new Set([1, 65536])]));
  const add = (protocol: Protocol | undefined, ns: readonly number[]) => {
    for (const p of protocol ? [protocol] : protocols) for (const n of ns) if (n >= 1 && n <= 65536) cuts.get(p)?.add(n);
  };
  for (const p of idx.state.networkPolicies)
    for (const rule of [...p.ingress, ...p.egress]) for (const t of rule.ports ?? []) if (typeof t.port === 'number') add(t.protocol ?? 'TCP', netpolPortBoundaries(t, undefined));
  for (const p of idx.state.adminPolicies)
    for (const rule of [...p.ingress, ...p.egress]) for (const t of rule.ports ?? []) if (t.kind !== 'named') add(t.protocol, adminPortBoundaries(t, undefined));
  // Named ports resolve to container ports: every named container port is a range of its own.
  for (const rep of reps) for (const cp of rep.ports) if (cp.name) add(cp.protocol, [cp.port, cp.port + 1]);
  const out: Column[] = [];
  for (const protocol of protocols) {
    const sorted = [...cuts.get(protocol)!].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) out.push({ protocol, start: sorted[i]!, end: sorted[i + 1]! - 1 });
  }
  return out;
}

/**
 * Reachability of every pod pair. Without `ports`: every port of `protocols` (default all three);
 * with `ports`: those ports, named ones resolved against each destination pod's container ports.
 */
export function computeReachability(pods: readonly PodInfo[], idx: ClusterIndex, ports?: readonly PortQuery[], protocols: readonly Protocol[] = PROTOCOLS): Reachability {
  const classes = partitionPods(pods, idx);
  const { reps } = classes;
  const sets = new ClassSets(classes, idx);
  let columns: Column[];
  let specs: PortSpec[];
  // Per column, per destination class: the spec index it is evaluated at (-1: named port not declared).
  let specOf: (column: number, toClass: number) => number;
  if (!ports) {
    columns = portRanges(reps, idx, protocols);
    specs = columns.map((c) => ({ port: c.start, protocol: c.protocol }));
    specOf = (column) => column;
  } else {
    columns = ports.map((q) => (typeof q.port === 'number' ? { protocol: q.protocol, start: q.port, end: q.port } : { protocol: q.protocol, start: 0, end: 0, name: q.port }));
    const specIds = new Map<string, number>();
    specs = [];
    const specId = (port: number, protocol: Protocol) => {
      const k = `${protocol}/${port}`;
      let id = specIds.get(k);
      if (id === undefined) specIds.set(k, (id = specs.push({ port, protocol }) - 1));
      return id;
    };
    const table = columns.map((col) => (col.name === undefined ? specId(col.start, col.protocol) : reps.map((rep) => {
      const n = resolveNamedPort(rep, col.name!, col.protocol);
      return n === undefined ? -1 : specId(n, col.protocol);
    })));
    specOf = (column, toClass) => {
      const t = table[column]!;
      return typeof t === 'number' ? t : t[toClass]!;
    };
  }
  const specMasks = new MaskTable(specs.length);
  // All ports: a column is a spec, so spec masks are column masks.
  const masks = ports ? new MaskTable(columns.length) : specMasks;
  type Groups = { set: Bitset; mask: number }[];
  const egress: (Groups | undefined)[] = new Array(reps.length);
  const ingress: (Groups | undefined)[] = new Array(reps.length);
  const groupsOf = (cache: (Groups | undefined)[], c: number, dir: 'Egress' | 'Ingress'): Groups =>
    (cache[c] ??= sets.groups(c, dir, specs).map((g) => ({ set: g.set, mask: specMasks.of(g.specs) })));
  const union: (Bitset | undefined)[] = new Array(reps.length);
  const reachable = (a: number): Bitset => {
    let u = union[a];
    if (!u) {
      const gs = groupsOf(egress, a, 'Egress');
      u = gs.length === 1 ? gs[0]!.set : gs.reduce((acc, g) => acc.or(g.set), new Bitset(reps.length));
      union[a] = u;
    }
    return u;
  };
  const named = columns.some((c) => c.name !== undefined);
  const columnMemo = new Map<string, number>();
  const toColumns = (specMask: number, b: number): number => {
    if (!ports || specMask === 0) return specMask;
    const key = `${specMask}:${named ? b : ''}`;
    let m = columnMemo.get(key);
    if (m === undefined) {
      const cols: number[] = [];
      columns.forEach((_, j) => {
        const s = specOf(j, b);
        if (s >= 0 && specMasks.has(specMask, s)) cols.push(j);
      });
      columnMemo.set(key, (m = masks.of(cols)));
    }
    return m;
  };
  const pairMask = (a: number, b: number): number => {
    let e = 0;
    for (const g of groupsOf(egress, a, 'Egress')) if (g.set.has(b)) e = specMasks.or(e, g.mask);
    if (e === 0) return 0;
    let i = 0;
    for (const g of groupsOf(ingress, b, 'Ingress')) if (g.set.has(a)) i = specMasks.or(i, g.mask);
    return toColumns(specMasks.and(e, i), b);
  };
  const dests = new Map<number, { classes: Int32Array; masks: Int32Array }>();
  // admitted[a]: the classes whose ingress lets class a in on some port (the transpose of ingress).
  let admitted: Bitset[] | undefined;
  const admitting = (a: number): Bitset => {
    if (!admitted) {
      const t = Array.from({ length: reps.length }, () => new Bitset(reps.length));
      for (let b = 0; b < reps.length; b++) {
        const gs = groupsOf(ingress, b, 'Ingress');
        const u = gs.length === 1 ? gs[0]!.set : gs.reduce((acc, g) => acc.or(g.set), new Bitset(reps.length));
        forEachBit(u, (x) => t[x]!.set(b));
      }
      admitted = t;
    }
    return admitted[a]!;
  };
  return {
    pods,
    classOf: classes.classOf,
    classCount: reps.length,
    allPorts: !ports,
    columns,
    masks,
    pairMask,
    destinations(a) {
      let d = dests.get(a);
      if (!d) {
        const cs: number[] = [];
        const ms: number[] = [];
        // Candidates: reachable by a's egress AND admitting a on b's ingress (on some port each).
        const words = reachable(a).clone().and(admitting(a)).words;
        forEachBit({ words }, (b) => {
          const m = pairMask(a, b);
          if (m !== 0) (cs.push(b), ms.push(m));
        });
        dests.set(a, (d = { classes: Int32Array.from(cs), masks: Int32Array.from(ms) }));
      }
      return d;
    },
    resolvedPort(column, toClass) {
      const col = columns[column]!;
      if (col.name === undefined) return col.start;
      const s = specOf(column, toClass);
      return s < 0 ? undefined : specs[s]!.port;
    },
  };
}

/** The per-port view the property tests and check use: pod indices and port indices. */
export interface Matrix {
  readonly pods: readonly PodInfo[];
  readonly ports: readonly PortSpec[];
  readonly classCount: number;
  /** allowed(portIndex, fromIndex, toIndex), indices into `pods` / `ports`. */
  allowed(portIndex: number, from: number, to: number): boolean;
  /** The verdict that stands for a cell (the representative pair's, or the same-pod verdict). */
  verdict(portIndex: number, from: number, to: number): Verdict;
}

export function computeMatrix(pods: readonly PodInfo[], ports: readonly PortSpec[], idx: ClusterIndex): Matrix {
  const r = computeReachability(pods, idx, ports);
  const endpoint = (i: number): Endpoint => ({ kind: 'pod', pod: pods[i]! });
  return {
    pods,
    ports,
    classCount: r.classCount,
    allowed(pi, from, to) {
      if (from === to && !pods[from]!.template) return true; // a template stands for replicas: not one pod
      return r.masks.has(r.pairMask(r.classOf[from]!, r.classOf[to]!), pi);
    },
    verdict(pi, from, to) {
      return evaluateConnection({ from: endpoint(from), to: endpoint(to), ...ports[pi]! }, idx);
    },
  };
}

function forEachBit(set: { readonly words: Uint32Array }, fn: (i: number) => void): void {
  const words = set.words;
  for (let w = 0; w < words.length; w++) {
    let bits = words[w]!;
    while (bits !== 0) {
      const low = bits & -bits;
      fn(w * 32 + (31 - Math.clz32(low)));
      bits ^= low;
    }
  }
}
