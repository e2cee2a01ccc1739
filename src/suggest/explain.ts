// Verified fixes for the denied paths of an explain result (the text's fix lines and --suggest).
import { workloadLabel } from '../diff/compute.js';
import type { ClusterIndex } from '../engine/cluster-index.js';
import type { ExplainResult } from '../engine/explain.js';
import type { Endpoint, Verdict } from '../engine/trace.js';
import { suggestFixes, type SuggestResult } from './suggest.js';

/** Distinct paths beyond this many get no fix: each suggestion re-runs the engine several times. */
export const MAX_SUGGESTED_PATHS = 20;

/**
 * What a suggestion depends on: the workload and labels of each end (or its address), the port.
 * Replicas of one workload pair share one suggestion: the same edit, the same effect by workload.
 */
function pathKey(v: Verdict): string {
  const end = (e: Endpoint) => (e.kind === 'pod' ? [workloadLabel(e.pod), e.pod.labels, e.pod.hostNetwork, e.pod.ips.length === 0] : [e.ip]);
  return JSON.stringify([end(v.query.from), end(v.query.to), v.query.port, v.query.protocol]);
}

/** One entry per denied single-port path (ranges without --port have no single port to open). */
export function suggestForExplain(result: ExplainResult, idx: ClusterIndex): Map<Verdict, SuggestResult> {
  const out = new Map<Verdict, SuggestResult>();
  const byKey = new Map<string, SuggestResult>();
  for (const pair of result.pairs) {
    const v = pair.verdict;
    if (!v || v.allowed) continue;
    const key = pathKey(v);
    let r = byKey.get(key);
    if (!r) {
      if (byKey.size >= MAX_SUGGESTED_PATHS) break;
      byKey.set(key, (r = suggestFixes(v, idx)));
    }
    out.set(v, r);
  }
  return out;
}
