// The rows each list view shows (filtered), memoised per snapshot, and selection by key (pure).
import type { ClusterIndex } from '../engine/cluster-index.js';
import type { PortSpec } from '../engine/matrix.js';
import type { AdminPolicy, NetworkPolicy, PodInfo } from '../engine/model.js';
import { podLabel } from '../engine/resolve.js';
import { filterMatches, parseFilter, type Filter } from './filter.js';
import { buildGroupedMatrix, matrixPorts, type GroupedMatrix } from './matrix-model.js';
import type { ListPos } from './state.js';
import { adminReaching, namespaceSummaries, type NamespaceSummary } from './summary.js';

const summaries = new WeakMap<ClusterIndex, NamespaceSummary[]>();
const filters = new Map<string, Filter>();

export function filterOf(text: string): Filter {
  let f = filters.get(text);
  if (!f) {
    if (filters.size > 200) filters.clear();
    filters.set(text, (f = parseFilter(text)));
  }
  return f;
}

export function nsRows(idx: ClusterIndex, filter: string): NamespaceSummary[] {
  let all = summaries.get(idx);
  if (!all) summaries.set(idx, (all = namespaceSummaries(idx)));
  const f = filterOf(filter);
  return f.words.length === 0 && !f.selector ? all : all.filter((n) => filterMatches(f, n.name, n.labels));
}

export function podRows(idx: ClusterIndex, ns: string, filter: string): readonly PodInfo[] {
  const f = filterOf(filter);
  const pods = idx.podsIn(ns);
  return f.words.length === 0 && !f.selector ? pods : pods.filter((p) => filterMatches(f, p.name, p.labels));
}

/** `-l` on policies matches the labels their podSelector requires (matchLabels). */
export function policyRows(idx: ClusterIndex, ns: string, filter: string): readonly NetworkPolicy[] {
  const f = filterOf(filter);
  const list = idx.policiesIn(ns);
  return f.words.length === 0 && !f.selector ? list : list.filter((p) => filterMatches(f, p.name, p.podSelector.matchLabels ?? {}));
}

/** Admin-tier policies whose subject covers the namespace, in evaluation order. */
export function adminRows(idx: ClusterIndex, ns: string, filter: string): readonly AdminPolicy[] {
  const f = filterOf(filter);
  const list = adminReaching(idx, ns);
  return f.words.length === 0 && !f.selector ? list : list.filter((p) => filterMatches(f, p.name, undefined));
}

export const adminKey = (p: AdminPolicy): string => `${p.kind}/${p.name}`;
export const podKey = (p: PodInfo): string => podLabel(p);
export const policyKey = (p: NetworkPolicy): string => `${p.namespace}/${p.name}`;

/** Index of the selected item: by key when it is still there, else the old index clamped. */
export function selectedIndex(pos: ListPos, keys: readonly string[]): number {
  if (keys.length === 0) return 0;
  if (pos.key !== undefined) {
    const i = keys.indexOf(pos.key);
    if (i >= 0) return i;
  }
  return Math.max(0, Math.min(pos.index, keys.length - 1));
}

const matrices = new WeakMap<ClusterIndex, Map<string, GroupedMatrix>>();

/** The grid for two namespaces and their ports (destination ports plus those added with :port). */
export function matrixFor(idx: ClusterIndex, ns: string, toNs: string, extra: readonly PortSpec[]): GroupedMatrix {
  let byKey = matrices.get(idx);
  if (!byKey) matrices.set(idx, (byKey = new Map()));
  const ports = [...matrixPorts(idx.podsIn(toNs))];
  for (const p of extra) if (!ports.some((q) => q.port === p.port && q.protocol === p.protocol)) ports.push(p);
  const key = `${ns}\0${toNs}\0${ports.map((p) => `${p.protocol}/${p.port}`).join(',')}`;
  let m = byKey.get(key);
  if (!m) byKey.set(key, (m = buildGroupedMatrix(idx, ns, toNs, ports)));
  return m;
}

/** A per-snapshot cache: computed once per ClusterIndex and key, dropped with the snapshot. */
export function memo<T>(cache: WeakMap<ClusterIndex, Map<string, T>>, idx: ClusterIndex, key: string, make: () => T): T {
  let byKey = cache.get(idx);
  if (!byKey) cache.set(idx, (byKey = new Map()));
  let v = byKey.get(key);
  if (v === undefined) {
    if (byKey.size > 500) byKey.clear();
    byKey.set(key, (v = make()));
  }
  return v;
}
