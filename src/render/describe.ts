// Human phrases for trace values. Stable ids stay in JSON; these sentences may change freely.
import type { SelectorFailure } from '../engine/labels.js';
import { Reason } from '../engine/reasons.js';
import type { PeerTrace, PolicyRef, PortTrace, SelectorCheck } from '../engine/trace.js';

export function policyName(p: PolicyRef): string {
  if (p.kind === 'NetworkPolicy') return `NetworkPolicy ${p.namespace}/${p.name}`;
  return `${p.kind} ${p.name}${p.priority !== undefined && p.kind !== 'BaselineAdminNetworkPolicy' ? ` (priority ${p.priority})` : ''}`;
}

export function selectorFailureText(f: SelectorFailure): string {
  const actual = f.actual === undefined ? 'is missing' : `is "${f.actual}"`;
  switch (f.operator) {
    case 'Equals':
      return `label ${f.key} ${actual}, needs "${f.values[0]}"`;
    case 'In':
      return `label ${f.key} ${actual}, needs one of (${f.values.join(', ')})`;
    case 'NotIn':
      return `label ${f.key} is "${f.actual}", which the selector excludes (notin ${f.values.join(', ')})`;
    case 'Exists':
      return `label ${f.key} is missing (selector requires it to exist)`;
    case 'DoesNotExist':
      return `label ${f.key} is present ("${f.actual}"), selector requires it absent`;
  }
}

export function selectorText(c: SelectorCheck): string {
  return c.selector === '{}' ? '{} (all)' : c.selector;
}

/** One line describing a peer term and why it did or did not match `other`. */
export function peerText(peer: PeerTrace, other: string): string {
  const what = peerWhat(peer);
  if (peer.matched) return `${what} matches ${other}${ipSuffix(peer, other)}`;
  return `${what}: ${peerWhy(peer, other)}`;
}

/** What a peer term is, without whether it matched (the TUI lists rules with it). */
export function peerWhat(peer: PeerTrace): string {
  switch (peer.kind) {
    case 'ipBlock':
      return `ipBlock ${peer.cidr}${peer.except && peer.except.length ? ` except ${peer.except.join(', ')}` : ''}`;
    case 'networks':
      return `networks ${peer.cidr}`;
    case 'nodes':
      return `nodes ${peer.nodeSelector ? selectorText(peer.nodeSelector) : ''}`.trim();
    case 'domainNames':
      return 'domainNames';
    default: {
      const parts: string[] = [];
      if (peer.namespaceSelector) parts.push(`namespaceSelector ${selectorText(peer.namespaceSelector)}`);
      if (peer.podSelector) parts.push(`podSelector ${selectorText(peer.podSelector)}`);
      if (!peer.namespaceSelector && peer.policyNamespace) return `${parts.join(' AND ') || 'all pods'} (namespace ${peer.policyNamespace} only)`;
      if (parts.length === 0) return peer.kind === 'selectors' ? 'pod peer' : `${peer.kind} peer`;
      return parts.join(' AND ');
    }
  }
}

/** ` (10.0.0.7)` after a pod name; nothing when the endpoint already is that address. */
function ipSuffix(peer: PeerTrace, other: string): string {
  return peer.ip && peer.ip !== other ? ` (${peer.ip})` : '';
}

function peerWhy(peer: PeerTrace, other: string): string {
  switch (peer.reason) {
    case Reason.podSelectorMismatch:
      return `${other}: ${peer.podSelector?.failure ? selectorFailureText(peer.podSelector.failure) : 'pod labels do not match'}`;
    case Reason.namespaceSelectorMismatch:
      return `namespace of ${other}: ${peer.namespaceSelector?.failure ? selectorFailureText(peer.namespaceSelector.failure) : 'labels do not match'}`;
    case Reason.policyNamespaceMismatch:
      return `${other} is in another namespace; without a namespaceSelector a peer only covers the policy's own namespace`;
    case Reason.ipBlockOutsideCidr:
      return `${other}${ipSuffix(peer, other)} is outside the CIDR`;
    case Reason.ipBlockExcepted:
      return `${other}${ipSuffix(peer, other)} falls in except ${peer.exceptHit}`;
    case Reason.ipBlockNoPodIP:
      return `${other} has no IP (pod template or pod not yet scheduled), so the CIDR cannot match`;
    case Reason.peerIsNotPod:
      return `${other} is not a pod, selectors only match pods`;
    case Reason.peerIsHostNetwork:
      return `${other} uses hostNetwork; its traffic carries the node IP and selectors do not match it`;
    case Reason.nodeSelectorMismatch:
      return `node of ${other}: ${peer.nodeSelector?.failure ? selectorFailureText(peer.nodeSelector.failure) : 'labels do not match'}`;
    case Reason.peerIsNotNode:
      return `${other} is not a node`;
    case Reason.domainNamesUnsupported:
      return 'FQDN peers cannot be decided from addresses; treated as not matching';
    default:
      return peer.reason;
  }
}

export function portText(port: PortTrace, destination: string, queryPort: number, protocol: string): string {
  const spec = `port ${port.spec}`;
  switch (port.reason) {
    case Reason.portMatched:
      return `${spec}${port.resolvedPort !== undefined ? ` (= ${port.resolvedPort} on ${destination})` : ''} matches ${protocol}/${queryPort}`;
    case Reason.protocolMismatch:
      return `${spec}: protocol differs from ${protocol}`;
    case Reason.portMismatch:
      return `${spec}: not ${queryPort}`;
    case Reason.portOutOfRange:
      return `${spec}: ${queryPort} is outside the range`;
    case Reason.namedPortUnresolved:
      return `${spec}: ${destination} declares no container port with that name and protocol, so it matches nothing`;
    case Reason.namedPortMismatch:
      return `${spec}: the name means port ${port.resolvedPort} on ${destination}, not ${queryPort}`;
    default:
      return `${spec}: ${port.reason}`;
  }
}

export const directionOutcome: Record<string, string> = {
  [Reason.samePod]: 'traffic inside one pod is not subject to network policy',
  [Reason.loopback]: 'loopback traffic (127.0.0.0/8, ::1) never leaves the pod and is not subject to network policy',
  [Reason.residentNode]: 'traffic from the node the pod runs on (kubelet probes, hostNetwork pods there) is always allowed',
  [Reason.externalSource]: 'the source is outside the pod network: no egress policy applies',
  [Reason.externalDestination]: 'the destination is outside the pod network: no ingress policy applies',
  [Reason.hostNetworkSource]: 'the source uses hostNetwork: NetworkPolicy does not select it',
  [Reason.hostNetworkDestination]: 'the destination uses hostNetwork: NetworkPolicy does not select it',
  [Reason.notIsolated]: 'no NetworkPolicy isolates the pod in this direction; the next tier decides',
  [Reason.ingressRuleMatched]: 'an ingress rule of a policy selecting the pod allows it',
  [Reason.egressRuleMatched]: 'an egress rule of a policy selecting the pod allows it',
  [Reason.isolatedNoRuleMatched]: 'policies isolate the pod and none of their rules allows this',
  [Reason.adminAllowed]: 'an admin-tier rule allows it (NetworkPolicy is not consulted)',
  [Reason.adminDenied]: 'an admin-tier rule denies it (NetworkPolicy cannot override)',
  [Reason.adminPassed]: 'an admin-tier rule passes it on to NetworkPolicy',
  [Reason.baselineAllowed]: 'a baseline rule allows it (no NetworkPolicy isolates the pod)',
  [Reason.baselineDenied]: 'a baseline rule denies it (no NetworkPolicy isolates the pod)',
  [Reason.baselinePassed]: 'a baseline rule passes, skipping the rest of the baseline tier',
  [Reason.defaultAllow]: 'no tier decided, so the default allows it',
};
