// Port terms of NetworkPolicy and admin rules against a connection's destination port.
import type { AdminPort, NetworkPolicyPort, PodInfo, Protocol } from './model.js';
import { Reason } from './reasons.js';
import type { PortTrace } from './trace.js';

/**
 * A container port name (IANA_SVC_NAME as Kubernetes validates it): lowercase letters, digits and
 * inner dashes, at most 15 characters, at least one letter (all digits would be a number).
 */
export const isPortName = (v: string): boolean => /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(v) && /[a-z]/.test(v);

export interface PortContext {
  readonly port: number;
  readonly protocol: Protocol;
  /** The destination pod: named ports resolve against ITS container ports (ingress and egress alike). */
  readonly destinationPod: PodInfo | undefined;
}

/** Container port number for `name` with `protocol` on the pod; undefined if the pod does not declare it. */
export function resolveNamedPort(pod: PodInfo | undefined, name: string, protocol?: Protocol): number | undefined {
  if (!pod) return undefined;
  const found = pod.ports.find((p) => p.name === name && (protocol === undefined || p.protocol === protocol));
  return found?.port;
}

export function matchNetpolPort(term: NetworkPolicyPort, index: number, ctx: PortContext): PortTrace {
  const protocol = term.protocol ?? 'TCP';
  const spec = `${protocol}/${term.port === undefined ? '*' : term.port}${term.endPort !== undefined ? `-${term.endPort}` : ''}`;
  if (protocol !== ctx.protocol) return { index, matched: false, reason: Reason.protocolMismatch, spec };
  if (term.port === undefined) return { index, matched: true, reason: Reason.portMatched, spec };
  if (typeof term.port === 'string') {
    const resolved = resolveNamedPort(ctx.destinationPod, term.port, protocol);
    if (resolved === undefined) return { index, matched: false, reason: Reason.namedPortUnresolved, spec };
    const matched = resolved === ctx.port;
    return { index, matched, reason: matched ? Reason.portMatched : Reason.namedPortMismatch, spec, resolvedPort: resolved };
  }
  if (term.endPort !== undefined) {
    const matched = ctx.port >= term.port && ctx.port <= term.endPort;
    return { index, matched, reason: matched ? Reason.portMatched : Reason.portOutOfRange, spec };
  }
  const matched = term.port === ctx.port;
  return { index, matched, reason: matched ? Reason.portMatched : Reason.portMismatch, spec };
}

export function matchAdminPort(term: AdminPort, index: number, ctx: PortContext): PortTrace {
  switch (term.kind) {
    case 'number': {
      const spec = `${term.protocol}/${term.port}`;
      if (term.protocol !== ctx.protocol) return { index, matched: false, reason: Reason.protocolMismatch, spec };
      const matched = term.port === ctx.port;
      return { index, matched, reason: matched ? Reason.portMatched : Reason.portMismatch, spec };
    }
    case 'range': {
      const spec = `${term.protocol}/${term.start}-${term.end}`;
      if (term.protocol !== ctx.protocol) return { index, matched: false, reason: Reason.protocolMismatch, spec };
      const matched = ctx.port >= term.start && ctx.port <= term.end;
      return { index, matched, reason: matched ? Reason.portMatched : Reason.portOutOfRange, spec };
    }
    case 'named': {
      // namedPort carries no protocol: it is the protocol of the container port with that name.
      const spec = `*/${term.name}`;
      const declared = ctx.destinationPod?.ports.filter((p) => p.name === term.name) ?? [];
      if (declared.length === 0) return { index, matched: false, reason: Reason.namedPortUnresolved, spec };
      const hit = declared.find((p) => p.port === ctx.port && p.protocol === ctx.protocol);
      if (hit) return { index, matched: true, reason: Reason.portMatched, spec, resolvedPort: hit.port };
      const first = declared[0]!;
      const reason = declared.some((p) => p.port === ctx.port) ? Reason.protocolMismatch : Reason.namedPortMismatch;
      return { index, matched: false, reason, spec, resolvedPort: first.port };
    }
  }
}

/** Port numbers where a term's verdict can change: used to split 1-65535 into uniform ranges. */
export function netpolPortBoundaries(term: NetworkPolicyPort, destinationPod: PodInfo | undefined): number[] {
  if (term.port === undefined) return [];
  if (typeof term.port === 'string') {
    const r = resolveNamedPort(destinationPod, term.port, term.protocol ?? 'TCP');
    return r === undefined ? [] : [r, r + 1];
  }
  return [term.port, (term.endPort ?? term.port) + 1];
}

export function adminPortBoundaries(term: AdminPort, destinationPod: PodInfo | undefined): number[] {
  switch (term.kind) {
    case 'number':
      return [term.port, term.port + 1];
    case 'range':
      return [term.start, term.end + 1];
    case 'named':
      return (destinationPod?.ports ?? []).filter((p) => p.name === term.name).flatMap((p) => [p.port, p.port + 1]);
  }
}
