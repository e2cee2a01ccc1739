// Values -> plain data for -o json / -o yaml. Same information as the text, no prose except the fix lines.
// The shape is the same with and without --port: each path has `ranges`; with --port it is one
// range whose start and end are that port (a named port resolved on the destination pod).
import type { PortRangeVerdict } from '../engine/allowed-ports.js';
import { pairAmbiguous, type ExplainPair, type ExplainResult } from '../engine/explain.js';
import type { Limitation } from '../engine/model.js';
import type { Verdict } from '../engine/trace.js';
import { document, Kind } from './contract.js';
import type { SuggestResult } from '../suggest/suggest.js';
import { fixesData } from './fix-text.js';

/** One port range's verdict, with its trace; `fixes` only for a port that was asked for (a range's sample port would mislead). */
function rangeData(r: { protocol: string; start: number; end: number }, v: Verdict, fixes: readonly unknown[]): Record<string, unknown> {
  return {
    protocol: r.protocol,
    start: r.start,
    end: r.end,
    allowed: v.allowed,
    ...(v.ambiguous ? { ambiguous: true } : {}),
    reason: v.reason,
    egress: v.egress,
    ingress: v.ingress,
    notes: v.notes,
    fixes,
  };
}

function pathData(p: ExplainPair, suggestions?: ReadonlyMap<Verdict, SuggestResult>): Record<string, unknown> {
  const v = p.verdict;
  const ranges = v
    ? [rangeData({ protocol: v.query.protocol, start: v.query.port, end: v.query.port }, v, v.allowed ? [] : fixesData(suggestions?.get(v)))]
    : (p.ranges ?? []).map((r: PortRangeVerdict) => rangeData(r, r.verdict, []));
  return {
    from: p.from,
    to: p.to,
    ...(p.via ? { via: p.via } : {}),
    port: v ? v.query.port : null,
    allowed: v ? v.allowed : (p.ranges ?? []).some((r) => r.allowed),
    ...(pairAmbiguous(p) ? { ambiguous: true } : {}),
    ranges,
  };
}

/** `suggestions`: verified fixes (src/suggest); `fixes` are only ever taken from them. */
export function explainData(result: ExplainResult, limitations: readonly Limitation[] = [], suggestions?: ReadonlyMap<Verdict, SuggestResult>) {
  return document(Kind.Explanation, {
    allowed: result.allowed,
    // The verdict of some path depends on the undefined order of same-priority admin policies.
    ...(result.ambiguous ? { ambiguous: true } : {}),
    from: result.from.ref,
    to: result.to.ref,
    port: result.port ?? null,
    protocol: result.protocol,
    notes: [...result.from.notes, ...result.to.notes],
    paths: result.pairs.map((p) => pathData(p, suggestions)),
    limitations,
  });
}
