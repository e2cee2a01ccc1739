// Verified suggestions as plain data for explain --suggest -o json|yaml.
import type { ExplainResult } from '../engine/explain.js';
import type { Verdict } from '../engine/trace.js';
import type { SuggestResult } from '../suggest/suggest.js';

/**
 * One entry per denied path: `suggestions` best first, each with `manifests` (complete objects for
 * kubectl apply; one naming an existing kind/namespace/name replaces it) and `opens` (every other
 * connection it allows, by workload pair and port); `unfixable` names sides nothing was verified for.
 */
export function suggestionsData(result: ExplainResult, byVerdict: ReadonlyMap<Verdict, SuggestResult>): Record<string, unknown>[] {
  return result.pairs.flatMap((p) => {
    const r = p.verdict ? byVerdict.get(p.verdict) : undefined;
    if (!p.verdict || !r) return [];
    return [
      {
        from: p.from,
        to: p.to,
        port: p.verdict.query.port,
        protocol: p.verdict.query.protocol,
        suggestions: r.suggestions.map((s) => ({
          verified: true,
          changes: s.fixes.map((f) => ({ direction: f.direction, ...f.policy, change: f.isNew ? 'added' : 'changed', edit: f.edit })),
          manifests: s.manifests,
          opens: s.opens,
          closes: s.closes,
        })),
        ...(r.unfixable.length > 0 ? { unfixable: r.unfixable } : {}),
      },
    ];
  });
}
