// Values -> plain data for -o json / -o yaml. Same information as the text, no prose.
import type { PortRangeVerdict } from '../engine/allowed-ports.js';
import { pairAmbiguous, type ExplainResult } from '../engine/explain.js';
import { podLabel } from '../engine/resolve.js';
import type { Endpoint, Verdict } from '../engine/trace.js';

export function endpointLabel(ep: Endpoint): string {
  return ep.kind === 'pod' ? podLabel(ep.pod) : ep.node ? `node/${ep.node.name}(${ep.ip})` : ep.ip;
}

export function verdictData(v: Verdict): Record<string, unknown> {
  return {
    from: endpointLabel(v.query.from),
    to: endpointLabel(v.query.to),
    port: v.query.port,
    protocol: v.query.protocol,
    allowed: v.allowed,
    ...(v.ambiguous ? { ambiguous: true } : {}),
    reason: v.reason,
    egress: v.egress,
    ingress: v.ingress,
    notes: v.notes,
  };
}

function rangeData(r: PortRangeVerdict): Record<string, unknown> {
  return { protocol: r.protocol, start: r.start, end: r.end, allowed: r.allowed, ...(r.verdict.ambiguous ? { ambiguous: true } : {}), reason: r.verdict.reason, egress: r.verdict.egress, ingress: r.verdict.ingress };
}

export function explainData(result: ExplainResult): Record<string, unknown> {
  return {
    allowed: result.allowed,
    // The verdict of some path depends on the undefined order of same-priority admin policies.
    ...(result.ambiguous ? { ambiguous: true } : {}),
    from: result.from.ref,
    to: result.to.ref,
    ...(result.port !== undefined ? { port: result.port } : {}),
    protocol: result.protocol,
    notes: [...result.from.notes, ...result.to.notes],
    paths: result.pairs.map((p) => ({
      from: p.from,
      to: p.to,
      ...(p.via ? { via: p.via } : {}),
      ...(p.verdict ? { allowed: p.verdict.allowed, ...verdictData(p.verdict), from: p.from, to: p.to } : {}),
      ...(p.ranges ? { allowed: p.ranges.some((r) => r.allowed), ...(pairAmbiguous(p) ? { ambiguous: true } : {}), ranges: p.ranges.map(rangeData) } : {}),
    })),
  };
}
