// Peer terms: does the other end of a connection fall inside a NetworkPolicy or admin-rule peer?
import { cachedCidr, cachedIP, cidrContains } from './cidr.js';
import type { ClusterIndex } from './cluster-index.js';
import { formatSelector, selectorFailure } from './labels.js';
import type { AdminPeer, LabelSelector, Labels, NetworkPolicyPeer, NodeInfo } from './model.js';
import { Reason } from './reasons.js';
import type { Endpoint, PeerTrace, SelectorCheck } from './trace.js';

export function checkSelector(selector: LabelSelector, labels: Labels): SelectorCheck {
  const failure = selectorFailure(selector, labels);
  return failure ? { matched: false, selector: formatSelector(selector), failure } : { matched: true, selector: formatSelector(selector) };
}

/** Addresses an endpoint is seen with: pod IPs (node IPs for hostNetwork pods) or the raw IP. */
export function endpointIPs(ep: Endpoint): readonly string[] {
  return ep.kind === 'pod' ? ep.pod.ips : [ep.ip];
}

/** The node an endpoint stands for, if any: a Node address, or a hostNetwork pod's node. */
export function endpointNode(ep: Endpoint, index: ClusterIndex): NodeInfo | undefined {
  if (ep.kind === 'ip') return ep.node ?? index.nodeByIP(ep.ip);
  return ep.pod.hostNetwork ? index.node(ep.pod.nodeName) : undefined;
}

interface CidrTest {
  readonly matched: boolean;
  readonly reason: typeof Reason.peerMatched | typeof Reason.ipBlockOutsideCidr | typeof Reason.ipBlockExcepted | typeof Reason.ipBlockNoPodIP;
  readonly ip?: string;
  readonly exceptHit?: string;
}

/** CIDR minus excepts, against every address of the endpoint (any address may carry the connection). */
export function testCidr(cidrText: string, except: readonly string[], ips: readonly string[]): CidrTest {
  if (ips.length === 0) return { matched: false, reason: Reason.ipBlockNoPodIP };
  const cidr = cachedCidr(cidrText);
  let firstExcepted: CidrTest | undefined;
  for (const ipText of ips) {
    const ip = cachedIP(ipText);
    if (!cidr || !ip || !cidrContains(cidr, ip)) continue;
    const hit = except.find((e) => {
      const c = cachedCidr(e);
      return c !== undefined && cidrContains(c, ip);
    });
    if (hit === undefined) return { matched: true, reason: Reason.peerMatched, ip: ipText };
    firstExcepted ??= { matched: false, reason: Reason.ipBlockExcepted, ip: ipText, exceptHit: hit };
  }
  return firstExcepted ?? { matched: false, reason: Reason.ipBlockOutsideCidr, ip: ips[0] };
}

/** A NetworkPolicy peer, relative to the policy's namespace. */
export function matchNetpolPeer(peer: NetworkPolicyPeer, index: number, policyNamespace: string, other: Endpoint, idx: ClusterIndex): PeerTrace {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except ?? [];
    const t = testCidr(peer.ipBlock.cidr, except, endpointIPs(other));
    return { index, kind: 'ipBlock', matched: t.matched, reason: t.reason, cidr: peer.ipBlock.cidr, except, ...(t.ip !== undefined ? { ip: t.ip } : {}), ...(t.exceptHit !== undefined ? { exceptHit: t.exceptHit } : {}) };
  }
  const base = { index, kind: 'selectors' as const };
  if (other.kind !== 'pod') return { ...base, matched: false, reason: Reason.peerIsNotPod };
  if (other.pod.hostNetwork) return { ...base, matched: false, reason: Reason.peerIsHostNetwork };
  const pod = other.pod;
  // Both terms are always checked so the trace can show every failing one; the reason names the first.
  const podCheck = peer.podSelector ? checkSelector(peer.podSelector, pod.labels) : undefined;
  const withPod = podCheck ? { podSelector: podCheck } : {};
  if (peer.namespaceSelector) {
    const nsCheck = checkSelector(peer.namespaceSelector, idx.namespaceLabels(pod.namespace));
    const fields = { ...base, ...withPod, namespaceSelector: nsCheck };
    if (!nsCheck.matched) return { ...fields, matched: false, reason: Reason.namespaceSelectorMismatch };
    if (podCheck && !podCheck.matched) return { ...fields, matched: false, reason: Reason.podSelectorMismatch };
    return { ...fields, matched: true, reason: Reason.peerMatched };
  }
  const fields = { ...base, ...withPod, policyNamespace };
  if (pod.namespace !== policyNamespace) return { ...fields, matched: false, reason: Reason.policyNamespaceMismatch };
  if (podCheck && !podCheck.matched) return { ...fields, matched: false, reason: Reason.podSelectorMismatch };
  return { ...fields, matched: true, reason: Reason.peerMatched };
}

/** An admin-tier peer (ANP/BANP/CNP). Namespaces/pods peers never match host-network or external traffic. */
export function matchAdminPeer(peer: AdminPeer, index: number, other: Endpoint, idx: ClusterIndex): PeerTrace {
  switch (peer.kind) {
    case 'namespaces':
    case 'pods': {
      const base = { index, kind: peer.kind };
      if (other.kind !== 'pod') return { ...base, matched: false, reason: Reason.peerIsNotPod };
      if (other.pod.hostNetwork) return { ...base, matched: false, reason: Reason.peerIsHostNetwork };
      const nsCheck = checkSelector(peer.namespaceSelector, idx.namespaceLabels(other.pod.namespace));
      if (!nsCheck.matched) return { ...base, matched: false, reason: Reason.namespaceSelectorMismatch, namespaceSelector: nsCheck };
      if (peer.kind === 'namespaces') return { ...base, matched: true, reason: Reason.peerMatched, namespaceSelector: nsCheck };
      const podCheck = checkSelector(peer.podSelector, other.pod.labels);
      return { ...base, matched: podCheck.matched, reason: podCheck.matched ? Reason.peerMatched : Reason.podSelectorMismatch, namespaceSelector: nsCheck, podSelector: podCheck };
    }
    case 'nodes': {
      const node = endpointNode(other, idx);
      if (!node) return { index, kind: 'nodes', matched: false, reason: Reason.peerIsNotNode };
      const check = checkSelector(peer.nodeSelector, node.labels);
      return { index, kind: 'nodes', matched: check.matched, reason: check.matched ? Reason.peerMatched : Reason.nodeSelectorMismatch, nodeSelector: check };
    }
    case 'networks': {
      const ips = endpointIPs(other);
      let last: CidrTest = { matched: false, reason: ips.length === 0 ? Reason.ipBlockNoPodIP : Reason.ipBlockOutsideCidr, ...(ips[0] !== undefined ? { ip: ips[0] } : {}) };
      for (const cidr of peer.cidrs) {
        const t = testCidr(cidr, [], ips);
        if (t.matched) return { index, kind: 'networks', matched: true, reason: Reason.peerMatched, cidr, ...(t.ip !== undefined ? { ip: t.ip } : {}) };
        last = t;
      }
      return { index, kind: 'networks', matched: false, reason: last.reason, cidr: peer.cidrs.join(','), ...(last.ip !== undefined ? { ip: last.ip } : {}) };
    }
    case 'domainNames':
      return { index, kind: 'domainNames', matched: false, reason: Reason.domainNamesUnsupported };
  }
}
