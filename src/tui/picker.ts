// The fuzzy pickers' candidates (pods, workloads, Services, namespaces) and matching (fuzzysort).
import fuzzysort from 'fuzzysort';

import type { ClusterIndex } from '../engine/cluster-index.js';
import { KIND_SHORT, podLabel } from '../engine/resolve.js';


/** Pods, their workloads, Services. */
const endpoints = new WeakMap<ClusterIndex, string[]>();
const namespaces = new WeakMap<ClusterIndex, string[]>();

/** Everything explain accepts as FROM/TO that the data names (memoised per snapshot, so its fuzzy index is too). */
export function endpointCandidates(idx: ClusterIndex): string[] {
  let list = endpoints.get(idx);
  if (!list) endpoints.set(idx, (list = collectEndpoints(idx)));
  return list;
}

function collectEndpoints(idx: ClusterIndex): string[] {
  const out = new Set<string>();
  for (const p of idx.state.pods) {
    out.add(podLabel(p));
    if (p.workload) out.add(`${p.namespace}/${KIND_SHORT[p.workload.kind]}/${p.workload.name}`);
  }
  for (const s of idx.state.services) out.add(`${s.namespace}/svc/${s.name}`);
  return [...out].sort();
}

export function namespaceCandidates(idx: ClusterIndex): string[] {
  let list = namespaces.get(idx);
  if (!list) namespaces.set(idx, (list = [...new Set([...idx.state.namespaces.map((n) => n.name), ...idx.state.pods.map((p) => p.namespace)])].sort()));
  return list;
}

type Prepared = ReturnType<typeof fuzzysort.prepare>;
const prepared = new WeakMap<readonly string[], Prepared[]>();

/** Items matching `query` best first (all items, in order, for an empty query). */
export function pickerMatches(items: readonly string[], query: string): readonly string[] {
  if (query.trim() === '') return items;
  let targets = prepared.get(items);
  if (!targets) prepared.set(items, (targets = items.map((i) => fuzzysort.prepare(i))));
  return fuzzysort.go(query.trim(), targets, { limit: 500, threshold: 0 }).map((r) => r.target);
}
