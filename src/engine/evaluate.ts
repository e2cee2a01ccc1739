// The verdict for one connection: egress side of the source, ingress side of the destination,
// each walked through the ordered tiers Admin -> NetworkPolicy -> Baseline -> default allow.
import { evaluateAdminTier } from './admin-tier.js';
import type { ClusterIndex } from './cluster-index.js';
import type { PodInfo, PolicyType } from './model.js';
import { evaluateNetpolTier } from './netpol-tier.js';
import type { PortContext } from './ports.js';
import { Reason, type ReasonId } from './reasons.js';
import type { ConnectionQuery, DirectionTrace, Endpoint, Note, TierTrace, Verdict } from './trace.js';

export interface EvaluateOptions {
  /**
   * Treat `from` and `to` as different pods even if they are the same object. The matrix uses this to
   * evaluate two distinct members of one equivalence class through a single representative.
   */
  readonly distinctEndpoints?: boolean;
}

function samePod(a: Endpoint, b: Endpoint): boolean {
  return a.kind === 'pod' && b.kind === 'pod' && a.pod.namespace === b.pod.namespace && a.pod.name === b.pod.name;
}

function podRef(p: PodInfo) {
  return { namespace: p.namespace, name: p.name };
}

function notApplicable(direction: PolicyType, reason: ReasonId, pod?: PodInfo): DirectionTrace {
  return { direction, ...(pod ? { pod: podRef(pod) } : {}), allowed: true, reason, decidedBy: 'NotApplicable', tiers: [] };
}

/** One side of the connection: `pod`'s policies in `direction`, against the `other` endpoint. */
export function evaluateDirection(pod: PodInfo, direction: PolicyType, other: Endpoint, ports: PortContext, idx: ClusterIndex): DirectionTrace {
  const tiers: TierTrace[] = [];
  const finish = (t: TierTrace, allowed: boolean): DirectionTrace => ({ direction, pod: podRef(pod), allowed, reason: t.reason, decidedBy: t.tier, tiers });

  const admin = evaluateAdminTier('Admin', pod, direction, other, ports, idx);
  if (admin.policies.length > 0) tiers.push(admin);
  if (admin.decision === 'allow' || admin.decision === 'deny') return finish(admin, admin.decision === 'allow');

  const netpol = evaluateNetpolTier(pod, direction, other, ports, idx);
  tiers.push(netpol);
  if (netpol.decision === 'allow' || netpol.decision === 'deny') return finish(netpol, netpol.decision === 'allow');

  const baseline = evaluateAdminTier('Baseline', pod, direction, other, ports, idx);
  if (baseline.policies.length > 0) tiers.push(baseline);
  if (baseline.decision === 'allow' || baseline.decision === 'deny') return finish(baseline, baseline.decision === 'allow');

  const def: TierTrace = { tier: 'Default', decision: 'allow', reason: netpol.reason === Reason.notIsolated && tiers.length === 1 ? Reason.notIsolated : Reason.defaultAllow, policies: [] };
  tiers.push(def);
  return finish(def, true);
}

/** Decides whether `query` is allowed, with the full trace. Pure: same inputs, same verdict. */
export function evaluateConnection(query: ConnectionQuery, idx: ClusterIndex, opts: EvaluateOptions = {}): Verdict {
  const { from, to } = query;
  const notes: Note[] = [];
  const ports: PortContext = { port: query.port, protocol: query.protocol, destinationPod: to.kind === 'pod' ? to.pod : undefined };

  if (!opts.distinctEndpoints && samePod(from, to)) {
    const pod = (from as { pod: PodInfo }).pod;
    const same = notApplicable('Egress', Reason.samePod, pod);
    return { allowed: true, reason: Reason.samePod, query, egress: same, ingress: { ...same, direction: 'Ingress' }, notes };
  }

  let egress: DirectionTrace;
  if (from.kind !== 'pod') egress = notApplicable('Egress', Reason.externalSource);
  else if (from.pod.hostNetwork) egress = notApplicable('Egress', Reason.hostNetworkSource, from.pod);
  else egress = evaluateDirection(from.pod, 'Egress', to, ports, idx);

  let ingress: DirectionTrace;
  if (to.kind !== 'pod') ingress = notApplicable('Ingress', Reason.externalDestination);
  else if (to.pod.hostNetwork) ingress = notApplicable('Ingress', Reason.hostNetworkDestination, to.pod);
  else ingress = evaluateDirection(to.pod, 'Ingress', from, ports, idx);

  collectNotes(query, egress, ingress, notes);
  const allowed = egress.allowed && ingress.allowed;
  const reason = !egress.allowed ? egress.reason : !ingress.allowed ? ingress.reason : ingress.decidedBy === 'NotApplicable' ? egress.reason : ingress.reason;
  return { allowed, reason, query, egress, ingress, notes };
}

function collectNotes(query: ConnectionQuery, egress: DirectionTrace, ingress: DirectionTrace, notes: Note[]): void {
  const add = (id: string, message: string) => {
    if (!notes.some((n) => n.id === id)) notes.push({ id, message });
  };
  for (const side of [query.from, query.to]) {
    if (side.kind === 'pod' && side.pod.hostNetwork) {
      add('hostNetworkPod', `${side.pod.namespace}/${side.pod.name} uses hostNetwork: NetworkPolicy does not select it, and other pods see its traffic as coming from its node's IP.`);
    }
    if (side.kind === 'pod' && side.pod.template) {
      add('templatePod', `${side.pod.namespace}/${side.pod.name} is a pod template of ${side.pod.workload?.kind ?? 'a workload'} with no running pods: it has no IP, so ipBlock rules cannot match it.`);
    }
  }
  const usedIpBlock = [egress, ingress].some((d) =>
    d.tiers.some((t) => t.deciding && t.policies.some((p) => p.rules.some((r) => r.matched && r.peers.some((peer) => peer.matched && peer.kind === 'ipBlock')))),
  );
  for (const d of [egress, ingress])
    for (const t of d.tiers)
      if (t.deciding && t.ambiguousWith && t.ambiguousWith.length > 0) {
        add('adminPriorityTie', `${t.deciding.policy.kind} ${t.deciding.policy.name} and ${t.ambiguousWith.map((p) => p.name).join(', ')} share priority ${t.deciding.policy.priority} and disagree on this ${d.direction.toLowerCase()} traffic; the API leaves their order undefined, so implementations may decide either way.`);
      }
  const podToPod = query.from.kind === 'pod' && query.to.kind === 'pod';
  if (usedIpBlock && podToPod) {
    add('ipBlockMatchesPodIP', 'An ipBlock matched a pod IP. Upstream conformance expects this, but some CNI plugins apply ipBlock only to traffic leaving the cluster.');
  }
}
