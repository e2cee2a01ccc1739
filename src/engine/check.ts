// check: expected flows verified against the model, through the same explain path as `explain`.
import type { ClusterIndex } from './cluster-index.js';
import { explain, type ExplainResult } from './explain.js';
import type { Protocol } from './model.js';
import { ResolveError } from './resolve.js';

export interface Flow {
  /** Optional label from the flows file, shown in reports. */
  readonly name?: string;
  readonly from: string;
  readonly to: string;
  /** Number or a container port name of the destination; absent = "some port is allowed". */
  readonly port?: number | string;
  readonly protocol?: Protocol;
  readonly expect: 'allowed' | 'denied';
}

export interface FlowResult {
  readonly flow: Flow;
  readonly protocol: Protocol;
  /** Undefined when the flow could not be evaluated (see `error`). */
  readonly allowed?: boolean;
  readonly pass: boolean;
  /** The verdict depends on the order of same-priority admin policies (then `pass` is false). */
  readonly ambiguous?: boolean;
  readonly reason?: string;
  readonly error?: { readonly message: string; readonly hint?: string };
  /** Facts about the endpoints that qualify the answer (Resolved.cautions of both ends). */
  readonly notes?: readonly string[];
  readonly result?: ExplainResult;
}

export function checkFlows(flows: readonly Flow[], namespace: string, idx: ClusterIndex): FlowResult[] {
  return flows.map((flow) => {
    const protocol = flow.protocol ?? 'TCP';
    try {
      // With a port, the same request `explain --port` gets: an unset protocol lets a Service's port bring
      // its own. Without a port, the flow is about TCP unless it says otherwise.
      const asked = flow.protocol ?? (flow.port === undefined ? 'TCP' : undefined);
      const result = explain({ from: flow.from, to: flow.to, ...(flow.port !== undefined ? { port: flow.port } : {}), ...(asked ? { protocol: asked } : {}), namespace }, idx);
      const used = result.pairs.find((p) => p.verdict)?.verdict?.query.protocol ?? protocol;
      const denying = result.pairs.find((p) => p.verdict && !p.verdict.allowed)?.verdict;
      // A verdict that hinges on the undefined order of same-priority admin policies cannot pass a check.
      const ambiguous = result.ambiguous;
      const reason = ambiguous ? 'adminPriorityTie' : (denying ?? result.pairs[0]?.verdict)?.reason;
      const pass = !ambiguous && result.allowed === (flow.expect === 'allowed');
      const notes = [...result.from.cautions, ...result.to.cautions];
      return { flow, protocol: used, allowed: result.allowed, ...(ambiguous ? { ambiguous } : {}), pass, ...(reason ? { reason } : {}), ...(notes.length > 0 ? { notes } : {}), result };
    } catch (e) {
      if (!(e instanceof ResolveError)) throw e;
      return { flow, protocol, pass: false, error: { message: e.message, ...(e.hint ? { hint: e.hint } : {}) } };
    }
  });
}
