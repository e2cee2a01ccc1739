// Without --port: which ports/protocols does a path allow? Split 1-65535 at every boundary a rule
// mentions, evaluate one port per piece, merge neighbours with the same outcome.
import type { ClusterIndex } from './cluster-index.js';
import { evaluateConnection } from './evaluate.js';
import { PROTOCOLS, type Protocol } from './model.js';
import { adminPortBoundaries, netpolPortBoundaries } from './ports.js';
import type { Endpoint, Verdict } from './trace.js';

export interface PortRangeVerdict {
  readonly protocol: Protocol;
  readonly start: number;
  readonly end: number;
  readonly allowed: boolean;
  /** The verdict for `start`, standing for the whole range. */
  readonly verdict: Verdict;
}

function boundaries(from: Endpoint, to: Endpoint, idx: ClusterIndex): number[] {
  const destinationPod = to.kind === 'pod' ? to.pod : undefined;
  const cuts = new Set<number>([1, 65536]);
  const add = (ns: number[]) => ns.forEach((n) => n >= 1 && n <= 65536 && cuts.add(n));
  const namespaces = new Set<string>();
  if (from.kind === 'pod') namespaces.add(from.pod.namespace);
  if (to.kind === 'pod') namespaces.add(to.pod.namespace);
  for (const ns of namespaces)
    for (const p of idx.policiesIn(ns))
      for (const rule of [...p.ingress, ...p.egress]) for (const port of rule.ports ?? []) add(netpolPortBoundaries(port, destinationPod));
  for (const tier of ['Admin', 'Baseline'] as const)
    for (const p of idx.adminPolicies(tier))
      for (const rule of [...p.ingress, ...p.egress]) for (const port of rule.ports ?? []) add(adminPortBoundaries(port, destinationPod));
  return [...cuts].sort((a, b) => a - b);
}

export function allowedPortRanges(from: Endpoint, to: Endpoint, idx: ClusterIndex, protocols: readonly Protocol[] = PROTOCOLS): PortRangeVerdict[] {
  const cuts = boundaries(from, to, idx);
  const out: PortRangeVerdict[] = [];
  for (const protocol of protocols) {
    for (let i = 0; i + 1 < cuts.length; i++) {
      const start = cuts[i]!;
      const end = cuts[i + 1]! - 1;
      const verdict = evaluateConnection({ from, to, port: start, protocol }, idx);
      const prev = out[out.length - 1];
      if (prev && prev.protocol === protocol && prev.allowed === verdict.allowed && sameDeciders(prev.verdict, verdict)) {
        out[out.length - 1] = { ...prev, end };
      } else out.push({ protocol, start, end, allowed: verdict.allowed, verdict });
    }
  }
  return out;
}

/** Two verdicts are "the same reason" when the same tier/policy/rule decided each side. */
function sameDeciders(a: Verdict, b: Verdict): boolean {
  return decider(a) === decider(b);
}

function decider(v: Verdict): string {
  const side = (d: Verdict['egress']) => {
    const t = d.tiers.find((x) => x.tier === d.decidedBy);
    return `${d.reason}:${t?.deciding ? `${t.deciding.policy.namespace ?? ''}/${t.deciding.policy.name}#${t.deciding.ruleIndex}` : ''}`;
  };
  return `${side(v.egress)}|${side(v.ingress)}`;
}
