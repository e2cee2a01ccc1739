// Lint rules about one NetworkPolicy at a time: what it selects, its peers, ports and CIDRs.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { formatSelector } from '../engine/labels.js';
import type { NetworkPolicyPeer, PodInfo } from '../engine/model.js';
import type { Finding, LintInput } from './types.js';
import { finding, peerLabel, peerNamespaces, peerPods, policyRules, selectedPods } from './walk.js';

export function policySelectsNoPods({ idx }: LintInput): Finding[] {
  return idx.state.networkPolicies.flatMap((p) => {
    if (idx.podsIn(p.namespace).length === 0 || selectedPods(p, idx).length > 0) return [];
    return [
      finding('policy-selects-no-pods', 'warning', p, 'spec.podSelector', `podSelector ${formatSelector(p.podSelector)} matches none of the ${idx.podsIn(p.namespace).length} pods in namespace ${p.namespace}, so the policy does nothing`, `fix spec.podSelector to the labels of the pods it is meant for (kubectl get pods -n ${p.namespace} --show-labels), or delete the policy`),
    ];
  });
}

export function policyInEmptyNamespace({ idx }: LintInput): Finding[] {
  return idx.state.networkPolicies.flatMap((p) =>
    idx.podsIn(p.namespace).length > 0 ? [] : [finding('policy-in-empty-namespace', 'info', p, 'metadata.namespace', `namespace ${p.namespace} has no pods (or workload templates), so the policy selects nothing`, `check metadata.namespace (a typo puts the policy in the wrong namespace), or delete the policy if the namespace is retired`)],
  );
}

export function peerSelectsNothing({ idx }: LintInput): Finding[] {
  const out: Finding[] = [];
  for (const r of policyRules(idx))
    (r.rule.peers ?? []).forEach((peer, j) => {
      if (peer.ipBlock || peerPods(peer, r.policy.namespace, idx).length > 0) return;
      const namespaces = peerNamespaces(peer, r.policy.namespace, idx);
      const why = namespaces.length === 0 ? `namespaceSelector ${formatSelector(peer.namespaceSelector!)} matches no namespace` : `no pod in ${namespaces.length === 1 ? `namespace ${namespaces[0]}` : `the ${namespaces.length} namespaces it selects`} has labels ${formatSelector(peer.podSelector ?? {})}`;
      out.push(finding('peer-selects-nothing', 'warning', r.policy, `${r.path}.${r.peersKey}[${j}]`, `${peerLabel(peer)} matches no pod: ${why}`, `correct the selector labels (namespaces carry kubernetes.io/metadata.name=NAME), or remove the peer`));
    });
  return out;
}

/** `- namespaceSelector: ...` and `- podSelector: ...` as two items: OR, where AND was likely meant. */
export function oneDashPeers({ idx }: LintInput): Finding[] {
  const out: Finding[] = [];
  for (const r of policyRules(idx)) {
    const peers = r.rule.peers ?? [];
    const ns = peers.findIndex((p) => p.namespaceSelector && !p.podSelector);
    const pod = peers.findIndex((p) => p.podSelector && !p.namespaceSelector);
    if (ns < 0 || pod < 0) continue;
    const nsPeer = peers[ns]!;
    const podPeer = peers[pod]!;
    out.push(
      finding(
        'one-dash-or-peers',
        'warning',
        r.policy,
        `${r.path}.${r.peersKey}`,
        `${r.peersKey}[${ns}] (namespaceSelector ${formatSelector(nsPeer.namespaceSelector!)}) and ${r.peersKey}[${pod}] (podSelector ${formatSelector(podPeer.podSelector!)}) are separate peers, so they are ORed: every pod of the selected namespaces is allowed, not only the selected pods`,
        `if you meant "these pods in those namespaces", make them one item: "- namespaceSelector: {...}" with "podSelector: {...}" on the next line without a dash`,
      ),
    );
  }
  return out;
}

/** Pods whose declared ports a rule's named ports resolve against: the policy's pods (ingress), the peers' pods (egress). */
function portPods(r: ReturnType<typeof policyRules> extends Generator<infer T> ? T : never, idx: ClusterIndex): PodInfo[] {
  if (r.direction === 'Ingress') return selectedPods(r.policy, idx);
  const peers: readonly NetworkPolicyPeer[] = r.rule.peers ?? [];
  if (peers.length === 0) return idx.state.pods.filter((p) => !p.hostNetwork);
  return peers.flatMap((p) => (p.ipBlock ? [] : peerPods(p, r.policy.namespace, idx)));
}

export function namedPorts({ idx }: LintInput): Finding[] {
  const out: Finding[] = [];
  for (const r of policyRules(idx))
    (r.rule.ports ?? []).forEach((t, k) => {
      if (typeof t.port !== 'string') return;
      const pods = portPods(r, idx);
      if (pods.length === 0) return;
      const protocol = t.protocol ?? 'TCP';
      const declared = pods.flatMap((p) => p.ports.filter((cp) => cp.name === t.port));
      if (declared.some((cp) => cp.protocol === protocol)) return;
      const whose = r.direction === 'Ingress' ? 'the pods this policy selects' : `the ${r.peersKey}-peers' pods`;
      const field = `${r.path}.ports[${k}]`;
      if (declared.length > 0) {
        const other = [...new Set(declared.map((d) => d.protocol))].join('/');
        out.push(finding('named-port-protocol-mismatch', 'error', r.policy, field, `named port "${t.port}" is declared by ${whose} with protocol ${other}, not ${protocol}, so it matches nothing`, `set protocol: ${other} on this port (named ports resolve with the same protocol)`));
      } else {
        const names = [...new Set(pods.flatMap((p) => p.ports.flatMap((cp) => (cp.name ? [`${cp.name}=${cp.port}/${cp.protocol}`] : []))))].slice(0, 6);
        out.push(finding('named-port-not-declared', 'error', r.policy, field, `named port "${t.port}" is not declared by any of ${whose} (${pods.length} pod${pods.length === 1 ? '' : 's'}), so it matches nothing`, names.length > 0 ? `use a declared name (${names.join(', ')}) or a port number` : `use a port number, or name the container port "${t.port}" in the pod template`));
      }
    });
  return out;
}

export function ipBlockHostBits({ idx }: LintInput): Finding[] {
  const out: Finding[] = [];
  for (const r of policyRules(idx))
    (r.rule.peers ?? []).forEach((peer, j) => {
      if (!peer.ipBlock?.given) return;
      out.push(finding('ipblock-host-bits', 'warning', r.policy, `${r.path}.${r.peersKey}[${j}].ipBlock.cidr`, `cidr ${peer.ipBlock.given} has host bits set; it means ${peer.ipBlock.cidr}, which is wider than the address it names`, `write cidr: ${peer.ipBlock.cidr} if the whole network is meant, or ${peer.ipBlock.given.split('/')[0]}/${peer.ipBlock.given.includes(':') ? 128 : 32} for one address`));
    });
  return out;
}

export function emptyEgressList({ idx }: LintInput): Finding[] {
  return idx.state.networkPolicies.flatMap((p) =>
    p.emptyEgressList && !p.policyTypes.includes('Egress')
      ? [finding('empty-egress-does-not-isolate', 'warning', p, 'spec.egress', `"egress: []" does not make the policy apply to egress (policyTypes ${p.policyTypesInferred ? 'is inferred as' : 'is'} [${p.policyTypes.join(', ')}]), so egress stays unrestricted`, `to deny all egress, set policyTypes: [${[...p.policyTypes, 'Egress'].join(', ')}]; otherwise remove "egress: []"`)]
      : [],
  );
}
