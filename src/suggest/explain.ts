// Verified fixes for the denied paths of an explain result (the text's fix lines and --suggest).
import type { ClusterIndex } from '../engine/cluster-index.js';
import type { ExplainResult } from '../engine/explain.js';
import type { Verdict } from '../engine/trace.js';
import { suggestFixes, type SuggestResult } from './suggest.js';

/** Paths beyond this many get no fix: each suggestion re-runs the engine several times. */
export const MAX_SUGGESTED_PATHS = 20;

/** One entry per denied single-port path (ranges without --port have no single port to open). */
export function suggestForExplain(result: ExplainResult, idx: ClusterIndex): Map<Verdict, SuggestResult> {
  const out = new Map<Verdict, SuggestResult>();
  for (const pair of result.pairs) {
    if (out.size >= MAX_SUGGESTED_PATHS) break;
    if (pair.verdict && !pair.verdict.allowed) out.set(pair.verdict, suggestFixes(pair.verdict, idx));
  }
  return out;
}
