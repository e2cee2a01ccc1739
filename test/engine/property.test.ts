// Property tests: random small clusters, policies and connections.
//  (a) the engine's verdict equals an independent naive evaluator (test/engine/naive-evaluator.ts);
//  (b) the all-pairs matrix (equivalence classes) equals evaluateConnection for every pair;
//  (c) traces are consistent with the verdict (the deciding tier of a denying side denies, etc.).
// Reproducible by default: NETPOL_PROPERTY_SEED=<int> (or `random`), NETPOL_PROPERTY_RUNS=<n> override.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { evaluateConnection } from '../../src/engine/evaluate.js';
import { computeMatrix, type PortSpec } from '../../src/engine/matrix.js';
import type { ClusterState, PodInfo } from '../../src/engine/model.js';
import type { ConnectionQuery, DirectionTrace, Endpoint, Verdict } from '../../src/engine/trace.js';
import { naiveVerdict } from './naive-evaluator.js';
import { build, params, scenarioArb, type Scenario } from './scenarios.js';

// ------------------------------------------------------------------ counterexample printing

function describeEndpoint(e: Endpoint): string {
  if (e.kind === 'ip') return `ip ${e.ip}${e.node ? ` (node ${e.node.name})` : ''}`;
  const p = e.pod;
  const flags = [p.hostNetwork ? 'hostNetwork' : '', p.template ? 'template' : ''].filter(Boolean).join(',');
  return `pod ${p.namespace}/${p.name}${flags ? ` [${flags}]` : ''}`;
}

function describeQuery(q: ConnectionQuery): string {
  return `${describeEndpoint(q.from)} -> ${describeEndpoint(q.to)} ${q.protocol}/${q.port}`;
}

function describeDirection(d: DirectionTrace): string {
  return `${d.direction}: allowed=${d.allowed} decidedBy=${d.decidedBy} reason=${d.reason} tiers=[${d.tiers.map((t) => `${t.tier}:${t.decision}`).join(' ')}]`;
}

/** Compact JSON of the cluster: drops empty collections so the printout stays readable. */
function dumpState(state: ClusterState): string {
  const compact = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(compact);
    if (o && typeof o === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (v === undefined || (Array.isArray(v) && v.length === 0 && k !== 'ingress' && k !== 'egress' && k !== 'ips')) continue;
        out[k] = compact(v);
      }
      return out;
    }
    return o;
  };
  const { namespaces, pods, nodes, networkPolicies, adminPolicies } = state;
  return JSON.stringify(compact({ namespaces, nodes, pods, networkPolicies, adminPolicies }), null, 1);
}

function mismatch(title: string, state: ClusterState, q: ConnectionQuery, lines: readonly string[]): Error {
  return new Error([title, `query: ${describeQuery(q)}`, ...lines, `cluster: ${dumpState(state)}`].join('\n'));
}

// ------------------------------------------------------------------ trace consistency

function checkTraceConsistency(v: Verdict): string | undefined {
  const dirs = [v.egress, v.ingress];
  for (const d of dirs) {
    if (d.decidedBy === 'NotApplicable') {
      if (!d.allowed) return `${d.direction}: NotApplicable but not allowed`;
      continue;
    }
    const last = d.tiers[d.tiers.length - 1];
    if (!last || last.tier !== d.decidedBy) return `${d.direction}: deciding tier ${d.decidedBy} is not the last tier walked`;
    if (last.decision !== (d.allowed ? 'allow' : 'deny')) return `${d.direction}: deciding tier ${last.tier} says ${last.decision} but direction allowed=${d.allowed}`;
    if (last.reason !== d.reason) return `${d.direction}: reason ${d.reason} differs from deciding tier's ${last.reason}`;
    for (const t of d.tiers.slice(0, -1)) if (t.decision !== 'pass' && t.decision !== 'none') return `${d.direction}: earlier tier ${t.tier} decided ${t.decision}`;
    if (!d.allowed) {
      if (last.tier === 'Admin' || last.tier === 'Baseline') {
        const ref = last.deciding;
        const pol = last.policies.find((p) => ref && p.policy.name === ref.policy.name);
        const rule = pol?.rules.find((r) => r.index === ref?.ruleIndex);
        if (!rule || !rule.matched || rule.action !== 'Deny') return `${d.direction}: ${last.tier} deny without a matched Deny rule`;
      } else if (last.tier === 'NetworkPolicy') {
        if (!last.policies.some((p) => p.applies)) return `${d.direction}: NetworkPolicy deny without an applying policy`;
        if (last.policies.some((p) => p.rules.some((r) => r.matched))) return `${d.direction}: NetworkPolicy deny although a rule matched`;
      } else {
        return `${d.direction}: ${last.tier} cannot deny`;
      }
    }
  }
  if (v.allowed !== (v.egress.allowed && v.ingress.allowed)) return 'allowed is not egress AND ingress';
  if (!v.allowed) {
    const denying = dirs.find((d) => !d.allowed);
    if (!denying) return 'denied but no direction denies';
    if (v.reason !== denying.reason) return `verdict reason ${v.reason} is not the denying side's ${denying.reason}`;
  }
  return undefined;
}

// ------------------------------------------------------------------ the properties

describe('engine properties (random clusters)', () => {
  it('(a) evaluateConnection agrees with the naive evaluator', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state, queries } = build(s);
        const idx = new ClusterIndex(state);
        for (const q of queries) {
          const engine = evaluateConnection(q, idx);
          const naive = naiveVerdict(state, q);
          if (engine.allowed !== naive.allowed) {
            throw mismatch(`engine allowed=${engine.allowed}, naive allowed=${naive.allowed}`, state, q, [
              `engine: reason=${engine.reason}`,
              `  ${describeDirection(engine.egress)}`,
              `  ${describeDirection(engine.ingress)}`,
              `naive: ${naive.why.join('; ')}`,
            ]);
          }
        }
      }),
      params(4000),
    );
  });

  it('(b) computeMatrix equals evaluateConnection for every pair and port', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state, ports } = build(s);
        const idx = new ClusterIndex(state);
        const m = computeMatrix(state.pods, ports, idx);
        ports.forEach((spec, pi) => {
          state.pods.forEach((a, i) => {
            state.pods.forEach((b, j) => {
              const q: ConnectionQuery = { from: { kind: 'pod', pod: a }, to: { kind: 'pod', pod: b }, ...spec };
              const direct = evaluateConnection(q, idx);
              if (m.allowed(pi, i, j) !== direct.allowed) {
                throw mismatch(`matrix allowed=${m.allowed(pi, i, j)}, evaluateConnection allowed=${direct.allowed} (${m.classCount} classes for ${state.pods.length} pods)`, state, q, [
                  `  ${describeDirection(direct.egress)}`,
                  `  ${describeDirection(direct.ingress)}`,
                ]);
              }
            });
          });
        });
      }),
      params(2000),
    );
  });

  it('(c) traces are consistent with the verdict', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state, queries } = build(s);
        const idx = new ClusterIndex(state);
        for (const q of queries) {
          const v = evaluateConnection(q, idx);
          const problem = checkTraceConsistency(v);
          if (problem) throw mismatch(`inconsistent trace: ${problem}`, state, q, [`  ${describeDirection(v.egress)}`, `  ${describeDirection(v.ingress)}`]);
        }
      }),
      params(1000),
    );
  });

  it('the generators reach the interesting cases', () => {
    // Guards against a generator change silently removing coverage: count features over a sample.
    const seen = { denied: 0, allowed: 0, adminDecided: 0, adminPass: 0, baselineDecided: 0, netpolAllow: 0, netpolDeny: 0, hostNetwork: 0, namedPort: 0, ipPeer: 0, nodePeer: 0, sharedClass: 0 };
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { state, queries, ports } = build(s);
        const idx = new ClusterIndex(state);
        if (state.pods.some((p) => p.hostNetwork)) seen.hostNetwork++;
        if (computeMatrix(state.pods, ports, idx).classCount < state.pods.length) seen.sharedClass++;
        for (const q of queries) {
          const v = evaluateConnection(q, idx);
          seen[v.allowed ? 'allowed' : 'denied']++;
          for (const d of [v.egress, v.ingress]) {
            if (d.decidedBy === 'Admin') seen.adminDecided++;
            if (d.decidedBy === 'Baseline') seen.baselineDecided++;
            if (d.decidedBy === 'NetworkPolicy') seen[d.allowed ? 'netpolAllow' : 'netpolDeny']++;
            if (d.tiers.some((t) => t.tier === 'Admin' && t.decision === 'pass')) seen.adminPass++;
            const matchedRules = d.tiers.flatMap((t) => t.policies.flatMap((p) => p.rules.filter((r) => r.matched)));
            if (matchedRules.some((r) => r.ports.some((pt) => pt.matched && pt.resolvedPort !== undefined))) seen.namedPort++;
            if (matchedRules.some((r) => r.peers.some((pe) => pe.matched && (pe.kind === 'ipBlock' || pe.kind === 'networks')))) seen.ipPeer++;
            if (matchedRules.some((r) => r.peers.some((pe) => pe.matched && pe.kind === 'nodes'))) seen.nodePeer++;
          }
        }
      }),
      { ...params(200), numRuns: 200 },
    );
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
  });
});
