// Verified fixes for a blocked connection: candidate edits per denying side, each applied to a copy
// of the cluster state and kept only if the engine then allows the path; the collateral effect
// (every other connection opened or closed) comes from the what-if diff. Pure.
import { applyPolicyChanges, keyOf, type PolicyChange, type PolicyKey } from '../diff/apply.js';
import { diffStates, workloadLabel, type ConnectionGroup } from '../diff/compute.js';
import { ClusterIndex } from '../engine/cluster-index.js';
import { evaluateConnection } from '../engine/evaluate.js';
import type { PolicyType } from '../engine/model.js';
import type { Endpoint, Verdict } from '../engine/trace.js';
import { candidatesFor, type Candidate } from './candidates.js';
import { manifestOf, readBack, type Manifest } from './manifest.js';

/** The change to one policy that lets one side through. */
export interface SideFix {
  readonly direction: PolicyType;
  readonly policy: PolicyKey;
  /** What changes, in words (`add egress rule [1]`, `new NetworkPolicy`, ...). */
  readonly edit: string;
  readonly isNew: boolean;
  /** Path inside the policy's spec rules; null for a new policy. */
  readonly rule: string | null;
  /** Admin policies: the priority, to name it as traces do. */
  readonly priority?: number;
}

export interface Suggestion {
  /** One per denying side, egress first. */
  readonly fixes: readonly SideFix[];
  /** Complete objects for `kubectl apply`; one with an existing kind/namespace/name replaces it. */
  readonly manifests: readonly Manifest[];
  /** Every other connection the change allows (the requested one excluded), by workload pair. */
  readonly opens: readonly ConnectionGroup[];
  /** Connections the change blocks (a new policy isolates the pods it selects). */
  readonly closes: readonly ConnectionGroup[];
  /** Other pod pairs opened or closed, per port range, summed. */
  readonly opensCount: number;
  readonly closesCount: number;
}

export interface SuggestResult {
  /** Best first: fewest connections closed, then opened, then the smallest edit. Every one is verified. */
  readonly suggestions: readonly Suggestion[];
  /** Denying sides for which no candidate was verified, with why. */
  readonly unfixable: readonly { readonly direction: PolicyType; readonly reason: string }[];
}

interface Verified {
  readonly candidates: readonly Candidate[];
  readonly changes: readonly PolicyChange[];
  readonly opens: ConnectionGroup[];
  readonly closes: ConnectionGroup[];
  readonly opensCount: number;
  readonly closesCount: number;
  readonly size: number;
}

const PER_SIDE = 2;

export function suggestFixes(verdict: Verdict, idx: ClusterIndex, max = 3): SuggestResult {
  if (verdict.allowed) return { suggestions: [], unfixable: [] };
  const q = verdict.query;
  const sides = [verdict.egress, verdict.ingress].filter((s) => !s.allowed);
  const perSide: Verified[][] = [];
  const unfixable: { direction: PolicyType; reason: string }[] = [];
  for (const side of sides) {
    const self = side.direction === 'Egress' ? q.from : q.to;
    const other = side.direction === 'Egress' ? q.to : q.from;
    if (self.kind !== 'pod') continue;
    const verified = candidatesFor({ side, self, other, port: q.port, protocol: q.protocol, idx })
      .map((c) => verify([c], verdict, idx, side.direction))
      .filter((v): v is Verified => v !== undefined)
      .sort(rank);
    if (verified.length === 0) unfixable.push({ direction: side.direction, reason: whyUnfixable(side.decidedBy, other) });
    perSide.push(verified.slice(0, PER_SIDE));
  }
  if (unfixable.length > 0) return { suggestions: [], unfixable };
  // Both sides deny: every pairing of the best edits per side, verified together.
  let combos: Candidate[][] = [[]];
  for (const options of perSide) combos = combos.flatMap((c) => options.map((o) => [...c, ...o.candidates]));
  const results = combos
    .map((cands) => (perSide.length === 1 ? perSide[0]!.find((v) => v.candidates[0] === cands[0]) : verify(cands, verdict, idx)))
    .filter((v): v is Verified => v !== undefined)
    .sort(rank)
    .filter(distinct())
    .slice(0, max);
  return { suggestions: results.map(toSuggestion), unfixable };
}

/** Drops a suggestion that edits the same places with the same effect as a better-ranked one. */
function distinct(): (v: Verified) => boolean {
  const seen = new Set<string>();
  return (v) => {
    const key = JSON.stringify([v.candidates.map((c) => [keyOf(c.policy), c.edit]), v.opensCount, v.closesCount]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

function rank(a: Verified, b: Verified): number {
  return a.closesCount - b.closesCount || a.opensCount - b.opensCount || a.size - b.size;
}

function whyUnfixable(tier: string, other: Endpoint): string {
  if (tier === 'Admin' && other.kind === 'ip') return 'an admin-tier rule denies it, and admin ingress rules cannot name addresses (only namespaces and pods)';
  return `no edit of a ${tier === 'NetworkPolicy' ? 'NetworkPolicy' : 'policy'} was found that the engine verifies as allowing this path`;
}

/**
 * Applies the candidates to a copy of the state, re-evaluates the connection, and diffs the two
 * states. `direction` given: only that side must now allow (one side of a two-sided denial).
 */
function verify(cands: readonly Candidate[], verdict: Verdict, idx: ClusterIndex, direction?: PolicyType): Verified | undefined {
  const policies = [];
  for (const c of cands) {
    const back = readBack(manifestOf(c.policy));
    if (!back) return undefined;
    policies.push(back);
  }
  const applied = applyPolicyChanges(idx.state, policies);
  const after = new ClusterIndex(applied.after);
  const v = evaluateConnection(verdict.query, after);
  const ok = direction ? (direction === 'Egress' ? v.egress : v.ingress).allowed : v.allowed;
  if (!ok || v.ambiguous) return undefined;
  const diff = diffStates(idx.state, applied.after, applied.changes);
  const opens = withoutTarget(diff.groups, verdict, 'allowed');
  const closes = diff.groups.flatMap((g) => {
    const ports = g.ports.filter((p) => p.now === 'blocked');
    return ports.length > 0 ? [{ ...g, ports }] : [];
  });
  const count = (gs: readonly ConnectionGroup[]) => gs.reduce((n, g) => n + g.ports.reduce((m, p) => m + p.pairs, 0), 0);
  return { candidates: cands, changes: applied.changes, opens, closes, opensCount: count(opens), closesCount: count(closes), size: cands.reduce((n, c) => n + c.size, 0) };
}

/** The newly allowed groups, minus the one pod pair and port that was asked for (its range split around it). */
function withoutTarget(groups: readonly ConnectionGroup[], verdict: Verdict, now: 'allowed'): ConnectionGroup[] {
  const { from, to, port, protocol } = verdict.query;
  const target = from.kind === 'pod' && to.kind === 'pod' ? { from: workloadLabel(from.pod), to: workloadLabel(to.pod) } : undefined;
  return groups.flatMap((g) => {
    const ports = g.ports
      .filter((p) => p.now === now)
      .flatMap((p) => {
        const isTarget = target && g.from === target.from && g.to === target.to && p.protocol === protocol && p.start <= port && p.end >= port;
        if (!isTarget) return [p];
        const around = [
          ...(p.start < port ? [{ ...p, end: port - 1 }] : []),
          ...(p.pairs > 1 ? [{ ...p, start: port, end: port, pairs: p.pairs - 1 }] : []),
          ...(p.end > port ? [{ ...p, start: port + 1 }] : []),
        ];
        return around;
      });
    return ports.length > 0 ? [{ ...g, ports }] : [];
  });
}

function toSuggestion(v: Verified): Suggestion {
  return {
    fixes: v.candidates.map((c) => ({ direction: c.direction, policy: keyOf(c.policy), edit: c.edit, isNew: c.isNew, rule: c.rule, ...(c.policy.type === 'admin' && c.policy.policy.kind !== 'BaselineAdminNetworkPolicy' ? { priority: c.policy.policy.priority } : {}) })),
    manifests: v.candidates.map((c) => manifestOf(c.policy)),
    opens: v.opens,
    closes: v.closes,
    opensCount: v.opensCount,
    closesCount: v.closesCount,
  };
}

