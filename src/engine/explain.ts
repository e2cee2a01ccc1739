// explain: resolve both references, then a verdict per (source, destination) pair.
import { allowedPortRanges, type PortRangeVerdict } from './allowed-ports.js';
import type { ClusterIndex } from './cluster-index.js';
import { evaluateConnection } from './evaluate.js';
import type { Protocol } from './model.js';
import { resolveNamedPort } from './ports.js';
import { resolveReference, ResolveError, type Resolved, type Target } from './resolve.js';
import type { Verdict } from './trace.js';

export interface ExplainRequest {
  readonly from: string;
  readonly to: string;
  /** A number, a container port name of the destination pod, or undefined for "which ports?". */
  readonly port?: number | string;
  readonly protocol?: Protocol;
  readonly namespace: string;
}

export interface ExplainPair {
  readonly from: string;
  readonly to: string;
  readonly via?: string;
  /** Present when a port was given (or implied by a service port). */
  readonly verdict?: Verdict;
  /** Present when no port was given: verdicts per port range and protocol. */
  readonly ranges?: readonly PortRangeVerdict[];
}

export interface ExplainResult {
  /** True only when every pair is allowed (for ranges: some port is allowed). */
  readonly allowed: boolean;
  /** Some pair's verdict depends on the undefined order of same-priority admin policies. */
  readonly ambiguous: boolean;
  readonly from: Resolved;
  readonly to: Resolved;
  readonly port?: number | string;
  readonly protocol: Protocol;
  readonly pairs: readonly ExplainPair[];
}

/** Port number for a target, resolving names against the destination pod with the protocol. */
export function targetPort(target: Target, port: number | string | undefined, protocol: Protocol): number | undefined {
  if (target.port !== undefined) return target.port;
  if (port === undefined || typeof port === 'number') return port;
  const ep = target.endpoint;
  const resolved = ep.kind === 'pod' ? resolveNamedPort(ep.pod, port, protocol) : undefined;
  if (resolved === undefined) {
    const declared = ep.kind === 'pod' ? ep.pod.ports.map((p) => `${p.name ?? '-'}=${p.port}/${p.protocol}`).join(', ') : '';
    throw new ResolveError(`port name "${port}" is not declared with protocol ${protocol} by ${target.label}`, declared ? `declared ports: ${declared}` : 'give a port number for endpoints that are not pods');
  }
  return resolved;
}

/** A pair is ambiguous when its verdict, or the verdict of any of its port ranges, is. */
export function pairAmbiguous(pair: ExplainPair): boolean {
  return pair.verdict ? pair.verdict.ambiguous === true : (pair.ranges ?? []).some((r) => r.verdict.ambiguous === true);
}

export function explain(req: ExplainRequest, idx: ClusterIndex): ExplainResult {
  const from = resolveReference(req.from, req.namespace, idx);
  const to = resolveReference(req.to, req.namespace, idx, { ...(req.port !== undefined ? { port: req.port } : {}), ...(req.protocol ? { protocol: req.protocol } : {}) });
  const protocol = req.protocol ?? 'TCP';
  const pairs: ExplainPair[] = [];
  for (const src of from.targets) {
    for (const dst of to.targets) {
      const proto = dst.protocol ?? protocol;
      const port = targetPort(dst, req.port, proto);
      const base = { from: src.label, to: dst.label, ...(dst.via ? { via: dst.via } : {}) };
      if (port === undefined) pairs.push({ ...base, ranges: allowedPortRanges(src.endpoint, dst.endpoint, idx, req.protocol ? [req.protocol] : undefined) });
      else pairs.push({ ...base, verdict: evaluateConnection({ from: src.endpoint, to: dst.endpoint, port, protocol: proto }, idx) });
    }
  }
  const allowed = pairs.every((p) => (p.verdict ? p.verdict.allowed : (p.ranges ?? []).some((r) => r.allowed)));
  return { allowed, ambiguous: pairs.some(pairAmbiguous), from, to, ...(req.port !== undefined ? { port: req.port } : {}), protocol, pairs };
}
