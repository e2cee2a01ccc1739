// Equivalence classes of pods and per-class verdict sets for the what-if diff: pods no policy term
// can tell apart share a class, and each rule's peer set is a bit set over the classes. (The
// matrix engine, src/engine/matrix-sets.ts, keys classes by the labels selectors mention; the diff
// needs a key that also changes when a policy of the change mentions another label, so it keeps
// whole-label classes.)
import { adminSubject } from '../engine/admin-tier.js';
import { Bitset } from '../engine/bitset.js';
import { cachedCidr, cachedIP, cidrContains } from '../engine/cidr.js';
import type { ClusterIndex } from '../engine/cluster-index.js';
import { selectorMatches } from '../engine/labels.js';
import { evaluateConnection } from '../engine/evaluate.js';
import type { AdminRule, LabelSelector, NetworkPolicyRule, PodInfo, PolicyType, Protocol } from '../engine/model.js';
import { matchAdminPeer, matchNetpolPeer } from '../engine/peers.js';
import { matchAdminPort, matchNetpolPort, type PortContext } from '../engine/ports.js';
import type { Endpoint, Verdict } from '../engine/trace.js';
import type { PortSpec } from '../engine/matrix.js';


/** Every CIDR any policy mentions: a pod's membership in each is part of its identity. */
export function policyCidrs(idx: ClusterIndex): string[] {
  const set = new Set<string>();
  for (const p of idx.state.networkPolicies)
    for (const r of [...p.ingress, ...p.egress])
      for (const peer of r.peers ?? []) {
        if (peer.ipBlock) {
          set.add(peer.ipBlock.cidr);
          for (const e of peer.ipBlock.except ?? []) set.add(e);
        }
      }
  for (const p of idx.state.adminPolicies)
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers) if (peer.kind === 'networks') peer.cidrs.forEach((c) => set.add(c));
  return [...set].sort();
}

function sortedEntries(o: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The class key: everything evaluation looks at except the pod's name. */
export function podClassKey(pod: PodInfo, cidrs: readonly string[], idx: ClusterIndex, nodeMatters = false): string {
  const ipSig = pod.ips
    .map((ip) => {
      const parsed = cachedIP(ip);
      return cidrs.map((c) => {
        const cidr = cachedCidr(c);
        return parsed && cidr && cidrContains(cidr, parsed) ? '1' : '0';
      }).join('');
    })
    .sort()
    .join('|');
  const named = pod.ports.filter((p) => p.name).map((p) => `${p.name}=${p.port}/${p.protocol}`).sort().join(',');
  // Host-network pods are their node; other pods' node matters only when host-network pods exist
  // (traffic from a pod's own node is never blocked).
  const node = pod.hostNetwork ? `host:${pod.nodeName ?? ''}:${sortedEntries(idx.node(pod.nodeName)?.labels ?? {})}` : nodeMatters ? `on:${pod.nodeName ?? ''}` : '';
  return `${pod.namespace}\u0000${sortedEntries(pod.labels)}\u0000${named}\u0000${ipSig}\u0000${pod.ips.length}\u0000${node}`;
}


/**
 * Per-rule class sets, cached by rule object: a rule's peers are matched against each class once.
 * Exported for the what-if diff (src/diff), which evaluates only the classes a change touches.
 */
export class ClassSets {
  private readonly peerSets: Map<object, Bitset>;
  private readonly portSets: Map<object, Map<string, Bitset>>;
  private readonly all: Bitset;

  /**
   * `shareWith`: another instance over the same classes, pods and namespaces (a what-if state that
   * differs only in policies). Its per-rule and per-selector sets are reused: they are keyed by the
   * rule and selector objects, which an unchanged policy shares between the two states.
   */
  constructor(
    private readonly reps: readonly PodInfo[],
    private readonly idx: ClusterIndex,
    shareWith?: ClassSets,
  ) {
    this.peerSets = shareWith?.peerSets ?? new Map();
    this.portSets = shareWith?.portSets ?? new Map();
    this.nsMatches = shareWith?.nsMatches ?? new Map();
    this.all = new Bitset(reps.length, true);
    reps.forEach((rep, c) => {
      if (rep.hostNetwork && rep.nodeName !== undefined) {
        let set = this.hostClassesByNode.get(rep.nodeName);
        if (!set) this.hostClassesByNode.set(rep.nodeName, (set = new Bitset(reps.length)));
        set.set(c);
      }
      const list = this.classesByNs.get(rep.namespace);
      if (list) list.push(c);
      else this.classesByNs.set(rep.namespace, [c]);
    });
  }

  private peerSet(rule: object, match: (ep: Endpoint) => boolean): Bitset {
    let set = this.peerSets.get(rule);
    if (!set) {
      set = new Bitset(this.reps.length);
      for (let c = 0; c < this.reps.length; c++) if (match({ kind: 'pod', pod: this.reps[c]! })) set.set(c);
      this.peerSets.set(rule, set);
    }
    return set;
  }

  /** Destination classes (egress) whose ports satisfy `match`; cached per rule and port spec. */
  private egressPortSet(rule: object, spec: PortSpec, match: (ctx: PortContext) => boolean): Bitset {
    let bySpec = this.portSets.get(rule);
    if (!bySpec) this.portSets.set(rule, (bySpec = new Map()));
    const key = `${spec.protocol}/${spec.port}`;
    let set = bySpec.get(key);
    if (!set) {
      set = new Bitset(this.reps.length);
      for (let c = 0; c < this.reps.length; c++) if (match({ ...spec, destinationPod: this.reps[c] })) set.set(c);
      bySpec.set(key, set);
    }
    return set;
  }

  private readonly classesByNs = new Map<string, number[]>();
  /** Host-network classes per node: their traffic to pods on that node is never blocked. */
  private readonly hostClassesByNode = new Map<string, Bitset>();
  private readonly nsMatches: Map<object, string[]>;

  /** Namespaces (that have pods in the matrix) whose labels satisfy `selector`; cached per selector. */
  private namespacesMatching(selector: LabelSelector): string[] {
    let list = this.nsMatches.get(selector);
    if (!list) {
      list = [...this.classesByNs.keys()].filter((ns) => selectorMatches(selector, this.idx.namespaceLabels(ns)));
      this.nsMatches.set(selector, list);
    }
    return list;
  }

  /**
   * Classes matched by selector peers, visiting only the namespaces the peer can reach (the policy's
   * own, or those its namespaceSelector matches): same result as matchNetpolPeer/matchAdminPeer.
   */
  private selectorPeerInto(set: Bitset, namespaces: readonly string[], podSelector: LabelSelector | undefined): void {
    for (const ns of namespaces)
      for (const c of this.classesByNs.get(ns) ?? []) {
        const rep = this.reps[c]!;
        if (!rep.hostNetwork && (!podSelector || selectorMatches(podSelector, rep.labels))) set.set(c);
      }
  }

  private netpolPeerSet(rule: NetworkPolicyRule, policyNamespace: string): Bitset {
    let set = this.peerSets.get(rule);
    if (set) return set;
    set = new Bitset(this.reps.length);
    for (const [i, peer] of rule.peers!.entries()) {
      if (peer.ipBlock) {
        for (let c = 0; c < this.reps.length; c++) if (matchNetpolPeer(peer, i, policyNamespace, { kind: 'pod', pod: this.reps[c]! }, this.idx).matched) set.set(c);
      } else {
        this.selectorPeerInto(set, peer.namespaceSelector ? this.namespacesMatching(peer.namespaceSelector) : [policyNamespace], peer.podSelector);
      }
    }
    this.peerSets.set(rule, set);
    return set;
  }

  private netpolRuleSet(rule: NetworkPolicyRule, policyNamespace: string, dir: PolicyType, subject: PodInfo, spec: PortSpec): Bitset {
    const peers = !rule.peers || rule.peers.length === 0 ? this.all : this.netpolPeerSet(rule, policyNamespace);
    if (!rule.ports || rule.ports.length === 0) return peers;
    const portOk = (ctx: PortContext) => rule.ports!.some((t, i) => matchNetpolPort(t, i, ctx).matched);
    if (dir === 'Ingress') return portOk({ ...spec, destinationPod: subject }) ? peers : new Bitset(this.reps.length);
    return peers.clone().and(this.egressPortSet(rule, spec, portOk));
  }

  private adminRuleSet(rule: AdminRule, dir: PolicyType, subject: PodInfo, spec: PortSpec): Bitset {
    const peers = this.peerSet(rule, (ep) => rule.peers.some((p, i) => matchAdminPeer(p, i, ep, this.idx).matched));
    if (rule.ports === undefined) return peers;
    const portOk = (ctx: PortContext) => rule.ports!.some((t, i) => matchAdminPort(t, i, ctx).matched);
    if (dir === 'Ingress') return portOk({ ...spec, destinationPod: subject }) ? peers : new Bitset(this.reps.length);
    return peers.clone().and(this.egressPortSet(rule, spec, portOk));
  }

  /** The classes on the other end that class `c`'s policies allow in `dir`: Admin -> NetworkPolicy -> Baseline -> default. */
  direction(c: number, dir: PolicyType, spec: PortSpec): Bitset {
    const subject = this.reps[c]!;
    if (subject.hostNetwork) return this.all; // not selected by any policy
    const resident = dir === 'Ingress' && subject.nodeName !== undefined ? this.hostClassesByNode.get(subject.nodeName) : undefined;
    const verdicts = this.tiers(subject, dir, spec);
    return resident ? verdicts.or(resident) : verdicts;
  }

  private tiers(subject: PodInfo, dir: PolicyType, spec: PortSpec): Bitset {
    const allow = new Bitset(this.reps.length);
    const remaining = this.all.clone();
    const pass = new Bitset(this.reps.length);
    for (const p of this.idx.adminPolicies('Admin')) {
      if (!adminSubject(p, subject, this.idx).matched) continue;
      for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
        const m = this.adminRuleSet(rule, dir, subject, spec).clone().and(remaining);
        if (rule.action === 'Allow') allow.or(m);
        else if (rule.action === 'Pass') pass.or(m);
        remaining.andNot(m);
      }
    }
    remaining.or(pass);
    const applicable = this.idx.policiesIn(subject.namespace).filter((p) => p.policyTypes.includes(dir) && selectorMatches(p.podSelector, subject.labels));
    if (applicable.length > 0) {
      const union = new Bitset(this.reps.length);
      for (const p of applicable) for (const rule of dir === 'Ingress' ? p.ingress : p.egress) union.or(this.netpolRuleSet(rule, p.namespace, dir, subject, spec));
      return allow.or(union.and(remaining));
    }
    for (const p of this.idx.adminPolicies('Baseline')) {
      if (!adminSubject(p, subject, this.idx).matched) continue;
      for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
        const m = this.adminRuleSet(rule, dir, subject, spec).clone().and(remaining);
        if (rule.action !== 'Deny') allow.or(m); // Allow, or Pass on to the default allow
        remaining.andNot(m);
      }
    }
    return allow.or(remaining);
  }
}
