// The verdict for one connection: egress side of the source, ingress side of the destination,
// each walked through the ordered tiers Admin -> NetworkPolicy -> Baseline -> default allow.
import { evaluateAdminTier } from './admin-tier.js';
import type { ClusterIndex } from './cluster-index.js';
import type { PodInfo, PolicyType } from './model.js';
import { evaluateNetpolTier } from './netpol-tier.js';
import type { PortContext } from './ports.js';
import { Reason, type NoteIdValue, type ReasonId } from './reasons.js';
import { cachedIP } from './cidr.js';
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
  const family = connectionFamily(query);
  const from = narrowToFamily(query.from, family);
  const to = narrowToFamily(query.to, family);
  const notes: Note[] = [];
  const ports: PortContext = { port: query.port, protocol: query.protocol, destinationPod: to.kind === 'pod' ? to.pod : undefined };
  const unpoliced = (reason: ReasonId, pod?: PodInfo): Verdict => {
    const side = notApplicable('Egress', reason, pod);
    return { allowed: true, reason, query, egress: side, ingress: { ...side, direction: 'Ingress' }, notes };
  };

  // A pod template stands for every replica, so template -> itself is replica -> another replica.
  if (!opts.distinctEndpoints && samePod(from, to) && !(from as { pod: PodInfo }).pod.template) return unpoliced(Reason.samePod, (from as { pod: PodInfo }).pod);
  if (isLoopback(from) || isLoopback(to)) return unpoliced(Reason.loopback);

  let egress: DirectionTrace;
  if (from.kind !== 'pod') egress = notApplicable('Egress', Reason.externalSource);
  else if (from.pod.hostNetwork) egress = notApplicable('Egress', Reason.hostNetworkSource, from.pod);
  else egress = evaluateDirection(from.pod, 'Egress', to, ports, idx);

  let ingress: DirectionTrace;
  if (to.kind !== 'pod') ingress = notApplicable('Ingress', Reason.externalDestination);
  else if (to.pod.hostNetwork) ingress = notApplicable('Ingress', Reason.hostNetworkDestination, to.pod);
  else if (fromResidentNode(from, to.pod, idx)) ingress = notApplicable('Ingress', Reason.residentNode, to.pod);
  else ingress = evaluateDirection(to.pod, 'Ingress', from, ports, idx);

  collectNotes({ ...query, from, to }, egress, ingress, notes, idx);
  const allowed = egress.allowed && ingress.allowed;
  const ingressSilent = ingress.reason === Reason.externalDestination || ingress.reason === Reason.hostNetworkDestination;
  const reason = !egress.allowed ? egress.reason : !ingress.allowed ? ingress.reason : ingressSilent ? egress.reason : ingress.reason;
  // Ambiguity matters only where it can flip the answer: the other side must allow.
  const ambiguous = (isAmbiguous(egress) && ingress.allowed) || (isAmbiguous(ingress) && egress.allowed);
  return { allowed, ...(ambiguous ? { ambiguous } : {}), reason, query, egress, ingress, notes };
}

const isAmbiguous = (d: DirectionTrace) => d.tiers.some((t) => t.deciding && (t.ambiguousWith?.length ?? 0) > 0);

/** The address family a connection uses when the user named an address; undefined = any. */
function connectionFamily(q: ConnectionQuery): 4 | 6 | undefined {
  const named = (ep: Endpoint) => (ep.kind === 'ip' ? ep.ip : ep.address);
  const address = named(q.from) ?? named(q.to);
  return address === undefined ? undefined : cachedIP(address)?.family;
}

/** A dual-stack pod reaches a peer over one family: only its address of that family can meet an ipBlock. */
function narrowToFamily(ep: Endpoint, family: 4 | 6 | undefined): Endpoint {
  if (family === undefined || ep.kind !== 'pod' || ep.pod.ips.length < 2) return ep;
  const ips = ep.address !== undefined ? [ep.address] : ep.pod.ips.filter((ip) => cachedIP(ip)?.family === family);
  return { ...ep, pod: { ...ep.pod, ips } };
}

/** 127.0.0.0/8 and ::1 are the pod itself: never policed. */
function isLoopback(ep: Endpoint): boolean {
  if (ep.kind !== 'ip') return false;
  const ip = cachedIP(ep.ip);
  return ip !== undefined && (ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n);
}

/** Traffic from the node a pod runs on (its kubelet, host-network pods) cannot be blocked by the pod's policies. */
function fromResidentNode(from: Endpoint, to: PodInfo, idx: ClusterIndex): boolean {
  if (to.nodeName === undefined) return false;
  if (from.kind === 'pod') return from.pod.hostNetwork && from.pod.nodeName === to.nodeName;
  return (from.node ?? idx.nodeByIP(from.ip))?.name === to.nodeName;
}

function collectNotes(query: ConnectionQuery, egress: DirectionTrace, ingress: DirectionTrace, notes: Note[], idx: ClusterIndex): void {
  const add = (id: NoteIdValue, message: string) => {
    if (!notes.some((n) => n.id === id)) notes.push({ id, message });
  };
  const usesNamespaceSelector = (d: DirectionTrace) => d.tiers.some((t) => t.policies.some((p) => p.rules.some((r) => r.peers.some((peer) => peer.namespaceSelector))));
  for (const side of [query.from, query.to]) {
    const ns = side.kind === 'pod' ? idx.namespace(side.pod.namespace) : undefined;
    const judgedBy = side === query.from ? ingress : egress;
    if (side.kind === 'pod' && (ns === undefined || ns.synthetic) && usesNamespaceSelector(judgedBy)) {
      add('namespaceLabelsUnknown', `namespace ${side.pod.namespace} was not in the input: only its kubernetes.io/metadata.name label is known, so namespaceSelector verdicts about it may be wrong.`);
    }
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
  const podToPod = query.from.kind === 'pod' && query.to.kind === 'pod' && !query.from.pod.hostNetwork && !query.to.pod.hostNetwork;
  if (usedIpBlock && podToPod) {
    add('ipBlockMatchesPodIP', 'An ipBlock matched a pod IP. Upstream conformance expects this, but some CNI plugins apply ipBlock only to traffic leaving the cluster.');
  }
  for (const d of [egress, ingress]) {
    const t = d.tiers.find((x) => x.tier === 'NetworkPolicy' && x.deciding);
    const rule = t?.policies.find((p) => p.policy.name === t.deciding!.policy.name && p.policy.namespace === t.deciding!.policy.namespace)?.rules[t.deciding!.ruleIndex];
    if (!rule || rule.peers.length < 2) continue;
    // The classic YAML slip: `- namespaceSelector` and `- podSelector` as two items (OR) instead of one (AND).
    const nsOnly = rule.peers.find((p) => p.matched && p.namespaceSelector && !p.podSelector);
    const podOnly = rule.peers.find((p) => p.kind === 'selectors' && p.podSelector && !p.namespaceSelector);
    if (nsOnly && podOnly) {
      const key = d.direction === 'Ingress' ? 'from' : 'to';
      add('possibleOneDashMistake', `${t!.deciding!.policy.namespace}/${t!.deciding!.policy.name} ${d.direction.toLowerCase()}[${rule.index}] allowed this through ${key}[${nsOnly.index}], a namespaceSelector on its own: ${key}[${nsOnly.index}] and ${key}[${podOnly.index}] are separate peers (OR). If you meant "these pods in those namespaces", put both selectors in one item.`);
    }
  }
}
