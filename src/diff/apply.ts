// What-if: apply policy manifests (and deletions) to a cluster state, and name each change. Pure.
import type { AdminPolicy, ClusterState, NetworkPolicy } from '../engine/model.js';

/** A policy of either tier, tagged so code can tell NetworkPolicy from the admin kinds. */
export type AnyPolicy = { readonly type: 'netpol'; readonly policy: NetworkPolicy } | { readonly type: 'admin'; readonly policy: AdminPolicy };

/** Identity of a policy as the API server keys it: kind, namespace (NetworkPolicy only), name. */
export interface PolicyKey {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface PolicyChange {
  readonly change: 'added' | 'changed' | 'deleted';
  readonly key: PolicyKey;
  readonly before?: AnyPolicy;
  readonly after?: AnyPolicy;
}

export const keyOf = (p: AnyPolicy): PolicyKey =>
  p.type === 'netpol' ? { kind: 'NetworkPolicy', namespace: p.policy.namespace, name: p.policy.name } : { kind: p.policy.kind, name: p.policy.name };

export const keyText = (k: PolicyKey): string => `${k.kind} ${k.namespace !== undefined ? `${k.namespace}/` : ''}${k.name}`;

const keyString = (k: PolicyKey) => `${k.kind}\u0000${k.namespace ?? ''}\u0000${k.name}`;

export function policiesOf(state: ClusterState): AnyPolicy[] {
  return [...state.networkPolicies.map((policy) => ({ type: 'netpol' as const, policy })), ...state.adminPolicies.map((policy) => ({ type: 'admin' as const, policy }))];
}

/** Semantic equality: where an object came from, and annotations, do not change connections. */
export function samePolicy(a: AnyPolicy, b: AnyPolicy): boolean {
  const strip = (p: AnyPolicy) => JSON.stringify(p.policy, (k, v) => (k === 'source' || k === 'annotations' ? undefined : v));
  return a.type === b.type && strip(a) === strip(b);
}

export interface AppliedChanges {
  readonly after: ClusterState;
  /** Only real changes: a manifest identical to the live object is not a change. */
  readonly changes: readonly PolicyChange[];
  /** --delete keys that matched no policy in the base. */
  readonly unknownDeletes: readonly PolicyKey[];
}

/**
 * `kubectl apply` of `upserts`, then deletion of `deletes`: an upsert replaces the policy with the
 * same kind, namespace and name, or adds it. The rest of the state (pods, namespaces) is kept.
 */
export function applyPolicyChanges(base: ClusterState, upserts: readonly AnyPolicy[], deletes: readonly PolicyKey[] = []): AppliedChanges {
  const current = new Map<string, AnyPolicy>();
  for (const p of policiesOf(base)) current.set(keyString(keyOf(p)), p);
  const changes = new Map<string, PolicyChange>();
  for (const p of upserts) {
    const k = keyString(keyOf(p));
    const before = current.get(k);
    const original = changes.get(k)?.before ?? before;
    current.set(k, p);
    if (original && samePolicy(original, p)) changes.delete(k);
    else changes.set(k, { change: original ? 'changed' : 'added', key: keyOf(p), ...(original ? { before: original } : {}), after: p });
  }
  const unknownDeletes: PolicyKey[] = [];
  for (const d of deletes) {
    const k = keyString(d);
    const had = current.get(k);
    if (!had) {
      unknownDeletes.push(d);
      continue;
    }
    current.delete(k);
    const original = changes.get(k)?.before ?? had;
    if (changes.get(k)?.change === 'added') changes.delete(k);
    else changes.set(k, { change: 'deleted', key: keyOf(had), before: original });
  }
  const all = [...current.values()];
  const after: ClusterState = {
    ...base,
    networkPolicies: all.flatMap((p) => (p.type === 'netpol' ? [p.policy] : [])),
    adminPolicies: all.flatMap((p) => (p.type === 'admin' ? [p.policy] : [])),
  };
  const sorted = [...changes.values()].sort((a, b) => (keyString(a.key) < keyString(b.key) ? -1 : 1));
  return { after, changes: sorted, unknownDeletes };
}
