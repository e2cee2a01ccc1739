// Observed vs expected (pure): MATCH or MISMATCH for one probe, and why, with stable explanation ids
// that tests assert on. The model's verdict names the deciding policy and rule (check's wording).
import type { CniReport } from '../cni/detect.js';
import { decisionText } from '../render/check-output.js';
import { UNREACHABLE } from './program.js';
import type { PlannedProbe, ProbeObservation, ProbeOutcome } from './types.js';

/** Explanation ids (stable: tests and -o json consumers rely on them). */
export const EXPLANATIONS = [
  'notRun',
  'probeError',
  'allowedConnected',
  'pathOpenNothingListening',
  'clusterIPNoBackend',
  'deniedDropped',
  'deniedRejected',
  'programmedOnRetry',
  'clusterIPMixedBackends',
  'dnsName',
  'dnsFailure',
  'observedOnly',
  'adminTierNotEnforced',
  'hostNetworkSource',
  'hostNetworkDestination',
  'meshSidecar',
  'cniNotEnforcing',
  'policyNotEnforced',
  'policyNotProgrammed',
  'outsideNat',
  'unreachable',
  'nodeAddress',
  'udpNoAnswer',
  'unexpectedDrop',
] as const;
export type ExplanationId = (typeof EXPLANATIONS)[number];

export interface ClassifyContext {
  /** CNI detection of the live read (src/cni/detect.ts). */
  readonly cni?: CniReport;
  /** Per-connection timeout (for the wording). */
  readonly timeoutMs: number;
  /** Compare with the model at all (false: --observed-only). */
  readonly compare: boolean;
}

type Verdictish = { match?: boolean; id: ExplanationId; text: string };

const where = (p: PlannedProbe) => `${p.protocol}/${p.port} on ${p.host}`;
const ms = (o: ProbeObservation) => (o.latencyMs === undefined ? '' : o.latencyMs === 0 ? ' in under 10 ms' : ` in ${o.latencyMs} ms`);
const retried = (o: ProbeObservation) => (o.retried && !o.firstAttempt ? ', and again on a retry after a short delay' : '');
const sentence = (s: string) => s.replace(/[.\s]+$/, '');

/** The admin-tier policy that decided a side of the verdict, if one did (few network plugins implement these tiers yet). */
function adminDecider(p: PlannedProbe): string | undefined {
  const v = p.verdict;
  if (!v) return undefined;
  for (const d of [v.egress, v.ingress]) {
    if (d.decidedBy !== 'Admin' && d.decidedBy !== 'Baseline') continue;
    const t = d.tiers.find((x) => x.tier === d.decidedBy)?.deciding;
    return t ? `${t.policy.kind} ${t.policy.name}` : `the ${d.decidedBy === 'Admin' ? 'admin' : 'baseline'} tier`;
  }
  return undefined;
}

const ADMIN_HINT = 'the network plugin does not implement the policy.networking.k8s.io admin tiers (kube-router does not; support in other plugins is recent and partial), so it enforces only the NetworkPolicies';

export function classify(p: PlannedProbe, o: ProbeObservation, ctx: ClassifyContext): ProbeOutcome {
  const r = decide(p, o, ctx);
  return { probe: p, observation: o, ...(r.match !== undefined ? { match: r.match } : {}), explanationId: r.id, explanation: r.text };
}

function decide(p: PlannedProbe, o: ProbeObservation, ctx: ClassifyContext): Verdictish {
  if (o.observed === 'not-run') return { id: 'notRun', text: `not run: ${p.notRun ?? o.detail ?? 'no connection was attempted'}` };
  if (o.observed === 'probe-error') return { id: 'probeError', text: `the probe itself failed${o.detail ? `: ${o.detail}` : ''}` };
  if (!ctx.compare) return { id: 'observedOnly', text: `${o.observed}${ms(o)} (--observed-only: not compared with the model)` };
  if (p.kind === 'dns') {
    if (o.observed === 'dns-failure') return { id: 'dnsFailure', text: `${p.host} does not resolve from ${p.from} (DNS failure): check the name, the pod's DNS policy and the cluster DNS` };
    return { id: 'dnsName', text: `${o.observed}${ms(o)}; the model decides paths between addresses, not names: probe the Service (svc/NAME) or the pod to compare` };
  }
  const expected = p.allowed;
  if (expected === undefined) {
    const a = p.dest.backendsAllowed ?? [];
    const d = p.dest.backendsDenied ?? [];
    return { match: true, id: 'clusterIPMixedBackends', text: `${o.observed}${ms(o)}: the model allows ${a.length} backend${a.length === 1 ? '' : 's'} (${a.join(', ')}) and denies ${d.length} (${d.join(', ')}), so through the ClusterIP either outcome is right` };
  }
  const rule = p.verdict ? decisionText(p.verdict) : expected ? 'allowed by every backend' : 'denied for every backend';
  // A first attempt that contradicted the model, then a retry that agrees: the path was being programmed.
  const agrees = expected ? o.observed === 'connected' || o.observed === 'refused' : o.observed === 'timeout' || o.observed === 'refused';
  if (agrees && o.firstAttempt) return { match: true, id: 'programmedOnRetry', text: `${o.observed} on the retry, ${o.firstAttempt} at first: the policy or pod was too new to be programmed yet; ${rule}` };
  if (o.detail === UNREACHABLE) {
    if (expected) return { match: false, id: 'unreachable', text: `${p.host} is unreachable from ${p.from} (no route, or an ICMP host/network unreachable) although ${rule}: ${p.kind === 'outside' ? 'the cluster has no route to it, or an egress firewall or NAT gateway rejects it' : 'a router or host firewall rejects it'}` };
    return { match: true, id: 'unreachable', text: `unreachable (no route, or ICMP host/network unreachable): consistent with the denial, though the network's routing may be what stopped it; ${rule}` };
  }
  if (expected) {
    if (o.observed === 'connected') return { match: true, id: 'allowedConnected', text: `connected${ms(o)}; ${rule}` };
    if (o.observed === 'refused') {
      if (p.kind === 'clusterIP') return { match: true, id: 'clusterIPNoBackend', text: `refused at the ClusterIP: kube-proxy rejects connections to a Service port without ready endpoints, or the backend does not listen on the target port; ${rule}` };
      const udp = p.protocol === 'UDP' ? ' (ICMP port unreachable)' : ' (the destination answered with a reset)';
      const declared = p.dest.declaresPort ? ' although the pod declares the port' : '';
      return { match: true, id: 'pathOpenNothingListening', text: `path open, nothing listening on ${where(p)}${udp}${declared}; ${rule}. A network plugin that rejects denied traffic would look the same: --serve starts a listener to tell them apart` };
    }
    if (o.observed === 'dns-failure') return { match: false, id: 'probeError', text: `DNS failure for an address: ${o.detail ?? 'unexpected'}` };
    // timeout on an allowed path
    const admin = adminDecider(p);
    if (admin && o.observed === 'timeout') return { match: false, id: 'adminTierNotEnforced', text: `timed out although ${admin} allows it${retried(o)}: ${ADMIN_HINT}, which deny it` };
    if (p.dest.meshSidecars?.length) return { match: false, id: 'meshSidecar', text: `timed out although allowed: a service mesh sidecar (${p.dest.meshSidecars.join(', ')}) intercepts this traffic and its own policy (mTLS, authorization) decides${retried(o)}` };
    if (p.kind === 'outside') return { match: false, id: 'outsideNat', text: `timed out although allowed: ${p.host} is outside the cluster; traffic leaves through the node (SNAT or an egress gateway), so nothing may answer there, or a firewall outside the cluster drops it${retried(o)}` };
    if (p.kind === 'node') return { match: false, id: 'nodeAddress', text: `timed out although allowed: ${p.host} is a node address; host firewalls and the network plugin's host rules decide node traffic, and ipBlock/node peers for it differ between plugins${retried(o)}` };
    if (p.protocol === 'UDP') return { match: false, id: 'udpNoAnswer', text: `no UDP answer although allowed: UDP has no handshake, so a server that does not reply (agnhost netexec --udp-port does) looks the same as a drop${retried(o)}` };
    return { match: false, id: 'unexpectedDrop', text: `timed out after ${ctx.timeoutMs} ms although ${rule}${retried(o)}: something the model does not see drops it (a cloud or host firewall, an admin policy kind that is not installed), or the destination is not reachable` };
  }
  // expected denied
  if (o.observed === 'timeout') return { match: true, id: 'deniedDropped', text: `timed out after ${ctx.timeoutMs} ms: the network plugin drops denied traffic; ${rule}` };
  if (o.observed === 'refused') return { match: true, id: 'deniedRejected', text: `refused: the network plugin rejects denied traffic (ICMP/reset), which looks the same as nothing listening; ${rule}` };
  if (o.observed === 'dns-failure') return { match: false, id: 'probeError', text: `DNS failure for an address: ${o.detail ?? 'unexpected'}` };
  // connected although denied
  const model = `; the model: ${rule}`;
  const head = `connected although denied${retried(o)}`;
  if (p.source?.hostNetwork) return { match: false, id: 'hostNetworkSource', text: `${head}: the source uses the host network, so the traffic comes from the node's address and many plugins do not police host traffic${model}` };
  if (p.dest.hostNetwork) return { match: false, id: 'hostNetworkDestination', text: `${head}: the destination uses the host network; NetworkPolicy does not select hostNetwork pods${model}` };
  if (p.dest.meshSidecars?.length) return { match: false, id: 'meshSidecar', text: `${head}: a service mesh sidecar (${p.dest.meshSidecars.join(', ')}) may answer in place of the destination, or reroute the traffic${model}` };
  const admin = adminDecider(p);
  if (admin) return { match: false, id: 'adminTierNotEnforced', text: `${head}: ${admin} denies it, but ${ADMIN_HINT}${model}` };
  const cni = ctx.cni;
  if (cni?.enforces === 'no') return { match: false, id: 'cniNotEnforcing', text: `${head}: the network plugin does not enforce NetworkPolicy (${sentence(cni.summary)})${model}` };
  if (cni?.enforces === 'yes') {
    const names = cni.plugins.filter((x) => x.enforcesPolicy !== false).map((x) => x.name).join(', ');
    return { match: false, id: 'policyNotProgrammed', text: `${head}: ${names || 'the network plugin'} enforces NetworkPolicy, but not on this path yet: the policy or pod may be too new to be programmed, or the plugin's agent on the node is not healthy${model}` };
  }
  return { match: false, id: 'policyNotEnforced', text: `${head}: NetworkPolicy is not enforced on this path. ${cni ? `CNI detection: ${sentence(cni.summary)}. ` : ''}Either the network plugin does not enforce policy, or it has not programmed these policies${model}` };
}
