// Per-class verdict sets for the matrix. Peers, port lists and CIDRs are interned by value, so each
// distinct one is matched against the classes once; a class's verdict set for a direction depends only
// on its profile (the policies that select it) and on which of their port terms a port satisfies, so
// equal (profile, port outcome) pairs share one set. Mirrors evaluateDirection exactly.
import { adminSubject } from './admin-tier.js';
import { Bitset } from './bitset.js';
import type { ClusterIndex } from './cluster-index.js';
import { selectorMatches } from './labels.js';
import type { Classes } from './matrix-classes.js';
import type { AdminPolicy, AdminRule, LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, PodInfo, PolicyType, Protocol } from './model.js';
import { matchAdminPeer } from './peers.js';
import { matchAdminPort, matchNetpolPort, type PortContext } from './ports.js';

/** One port to evaluate at (a number and a protocol); it stands for a range of ports that behave alike. */
export interface PortSpec {
  readonly port: number;
  readonly protocol: Protocol;
}

interface Profile {
  readonly key: string;
  readonly admin: readonly AdminPolicy[];
  readonly netpol: readonly NetworkPolicy[];
  readonly baseline: readonly AdminPolicy[];
  readonly resident: Bitset | undefined;
}

const hasNamedNetpolPort = (rule: NetworkPolicyRule) => (rule.ports ?? []).some((p) => typeof p.port === 'string');

export class ClassSets {
  private readonly reps: readonly PodInfo[];
  private readonly all: Bitset;
  private readonly none: Bitset;
  private readonly peerSets = new Map<string, Bitset>();
  private readonly portSets = new Map<string, Bitset>();
  private readonly results = new Map<string, Bitset>();
  private readonly keys = new WeakMap<object, string>();
  private readonly policyIds = new Map<object, number>();
  private readonly classesByNs = new Map<string, number[]>();
  /** Host-network classes per node: their traffic to pods on that node is never blocked. */
  private readonly hostClassesByNode = new Map<string, Bitset>();
  private readonly nsMatches = new Map<string, string[]>();
  /** CIDR id -> classes with an IP inside it. */
  private readonly classesInCidr = new Map<number, number[]>();
  private readonly profiles = new Map<string, Profile>();

  constructor(
    private readonly classes: Classes,
    private readonly idx: ClusterIndex,
  ) {
    const reps = (this.reps = classes.reps);
    this.all = new Bitset(reps.length, true);
    this.none = new Bitset(reps.length);
    reps.forEach((rep, c) => {
      if (rep.hostNetwork && rep.nodeName !== undefined) {
        let set = this.hostClassesByNode.get(rep.nodeName);
        if (!set) this.hostClassesByNode.set(rep.nodeName, (set = new Bitset(reps.length)));
        set.set(c);
      }
      push(this.classesByNs, rep.namespace, c);
      for (const cp of rep.ports) if (cp.name) this.namedPorts.add(`${cp.protocol}/${cp.port}`);
      const seen = new Set<number>();
      for (const ids of classes.membership[c]!) for (const id of ids) if (!seen.has(id)) (seen.add(id), push(this.classesInCidr, id, c));
    });
    [...idx.state.networkPolicies, ...idx.state.adminPolicies].forEach((p, i) => this.policyIds.set(p, i));
  }

  get size(): number {
    return this.reps.length;
  }

  private keyOf(o: object, make: () => string): string {
    let k = this.keys.get(o);
    if (k === undefined) this.keys.set(o, (k = make()));
    return k;
  }

  /** Namespaces (that have pods in the matrix) whose labels satisfy `selector`. */
  private namespacesMatching(selector: LabelSelector): string[] {
    const key = JSON.stringify(selector);
    let list = this.nsMatches.get(key);
    if (!list) {
      list = [...this.classesByNs.keys()].filter((ns) => selectorMatches(selector, this.idx.namespaceLabels(ns)));
      this.nsMatches.set(key, list);
    }
    return list;
  }

  /** CIDR minus excepts, from class CIDR membership (the same test as peers.ts testCidr). */
  private cidrInto(set: Bitset, cidr: string, except: readonly string[]): void {
    const id = this.classes.cidrs.id(cidr);
    const exceptIds = except.map((e) => this.classes.cidrs.id(e));
    for (const c of this.classesInCidr.get(id) ?? []) {
      const hit = this.classes.membership[c]!.some((ids) => ids.includes(id) && !exceptIds.some((e) => ids.includes(e)));
      if (hit) set.set(c);
    }
  }

  private netpolPeerKey(peer: NetworkPolicyPeer, ns: string): string {
    if (peer.ipBlock) return `ip:${JSON.stringify(peer.ipBlock)}`;
    return JSON.stringify([peer.namespaceSelector ?? null, peer.namespaceSelector ? '' : ns, peer.podSelector ?? null]);
  }

  private netpolPeerSet(rule: NetworkPolicyRule, ns: string): Bitset {
    if (!rule.peers || rule.peers.length === 0) return this.all;
    const keys = rule.peers.map((p) => this.netpolPeerKey(p, ns));
    const key = this.keyOf(rule, () => keys.join('+'));
    let set = this.peerSets.get(key);
    if (set) return set;
    // Each distinct peer is matched once; a rule's set is the union of its peers' sets.
    set = new Bitset(this.size);
    rule.peers.forEach((peer, i) => {
      let one = this.peerSets.get(keys[i]!);
      if (!one) {
        one = new Bitset(this.size);
        if (peer.ipBlock) this.cidrInto(one, peer.ipBlock.cidr, peer.ipBlock.except ?? []);
        else this.selectorPeerInto(one, peer.namespaceSelector ? this.namespacesMatching(peer.namespaceSelector) : [ns], peer.podSelector);
        this.peerSets.set(keys[i]!, one);
      }
      set!.or(one);
    });
    this.peerSets.set(key, set);
    return set;
  }

  private selectorPeerInto(set: Bitset, namespaces: readonly string[], podSelector: LabelSelector | undefined): void {
    for (const ns of namespaces)
      for (const c of this.classesByNs.get(ns) ?? []) {
        const rep = this.reps[c]!;
        if (!rep.hostNetwork && (!podSelector || selectorMatches(podSelector, rep.labels))) set.set(c);
      }
  }

  private adminPeerSet(rule: AdminRule): Bitset {
    const key = this.keyOf(rule, () => `a:${JSON.stringify(rule.peers)}`);
    let set = this.peerSets.get(key);
    if (set) return set;
    set = new Bitset(this.size);
    for (const [i, peer] of rule.peers.entries()) {
      if (peer.kind === 'networks') for (const cidr of peer.cidrs) this.cidrInto(set, cidr, []);
      else for (let c = 0; c < this.size; c++) if (!set.has(c) && matchAdminPeer(peer, i, { kind: 'pod', pod: this.reps[c]! }, this.idx).matched) set.set(c);
    }
    this.peerSets.set(key, set);
    return set;
  }

  /** Destination classes whose (named) ports satisfy the terms at `spec`; interned by terms and spec. */
  private egressPortSet(portsKey: string, spec: PortSpec, match: (ctx: PortContext) => boolean): Bitset {
    const key = `${portsKey}|${spec.protocol}/${spec.port}`;
    let set = this.portSets.get(key);
    if (!set) {
      set = new Bitset(this.size);
      for (let c = 0; c < this.size; c++) if (match({ ...spec, destinationPod: this.reps[c] })) set.set(c);
      this.portSets.set(key, set);
    }
    return set;
  }

  private netpolPortOk(rule: NetworkPolicyRule, ctx: PortContext): boolean {
    return rule.ports!.some((t, i) => matchNetpolPort(t, i, ctx).matched);
  }

  private adminPortOk(rule: AdminRule, ctx: PortContext): boolean {
    return rule.ports!.some((t, i) => matchAdminPort(t, i, ctx).matched);
  }

  /** The port part of a rule at `spec`: true/false, or the destination classes (egress, named ports). */
  private portOutcome(rule: NetworkPolicyRule | AdminRule, admin: boolean, dir: PolicyType, subject: PodInfo, spec: PortSpec, k: number): boolean | Bitset {
    const ports = rule.ports;
    if (!ports || (!admin && ports.length === 0)) return true;
    const ok = admin ? (ctx: PortContext) => this.adminPortOk(rule as AdminRule, ctx) : (ctx: PortContext) => this.netpolPortOk(rule as NetworkPolicyRule, ctx);
    const named = admin ? (rule as AdminRule).ports!.some((p) => p.kind === 'named') : hasNamedNetpolPort(rule as NetworkPolicyRule);
    if (!named) {
      // Numbers and ranges: the same answer for every pod, so once per term list and port.
      let byK = this.numericOutcomes.get(ports);
      if (!byK) this.numericOutcomes.set(ports, (byK = []));
      return (byK[k] ??= ok({ ...spec, destinationPod: undefined }));
    }
    if (dir === 'Ingress') return ok({ ...spec, destinationPod: subject });
    // No pod declares a named port with this number: only the rule's numeric terms can match.
    if (!this.namedPorts.has(`${spec.protocol}/${spec.port}`)) return ok({ ...spec, destinationPod: undefined });
    return this.egressPortSet(this.keyOf(ports, () => JSON.stringify(ports)), spec, ok);
  }

  private readonly numericOutcomes = new WeakMap<object, boolean[]>();
  /** protocol/port of every named container port of the classes. */
  private readonly namedPorts = new Set<string>();

  private ruleSet(peers: Bitset, port: boolean | Bitset): Bitset {
    if (port === true) return peers;
    if (port === false) return this.none;
    return peers.clone().and(port);
  }

  private profile(c: number, dir: PolicyType): Profile {
    const subject = this.reps[c]!;
    const admin = this.idx.adminPolicies('Admin').filter((p) => adminSubject(p, subject, this.idx).matched);
    const netpol = this.idx.policiesIn(subject.namespace).filter((p) => p.policyTypes.includes(dir) && selectorMatches(p.podSelector, subject.labels));
    const baseline = netpol.length > 0 ? [] : this.idx.adminPolicies('Baseline').filter((p) => adminSubject(p, subject, this.idx).matched);
    const node = dir === 'Ingress' && subject.nodeName !== undefined && this.hostClassesByNode.has(subject.nodeName) ? subject.nodeName : undefined;
    const ids = (ps: readonly object[]) => ps.map((p) => this.policyIds.get(p)).join(',');
    const key = `${dir}|${ids(admin)}|${ids(netpol)}|${ids(baseline)}|${node ?? ''}`;
    let p = this.profiles.get(key);
    if (!p) this.profiles.set(key, (p = { key, admin, netpol, baseline, resident: node === undefined ? undefined : this.hostClassesByNode.get(node) }));
    return p;
  }

  /**
   * For class `c` and direction `dir`: the classes on the other end allowed at each of `specs`,
   * as groups of spec indices sharing one set. Admin -> NetworkPolicy -> Baseline -> default.
   */
  groups(c: number, dir: PolicyType, specs: readonly PortSpec[]): { set: Bitset; specs: number[] }[] {
    const subject = this.reps[c]!;
    if (subject.hostNetwork) return [{ set: this.all, specs: specs.map((_, i) => i) }]; // not selected by any policy
    const profile = this.profile(c, dir);
    // Egress outcomes never depend on the subject; ingress ones only through its named ports.
    const key = dir === 'Ingress' ? `${profile.key}#${subject.ports.map((p) => `${p.name ?? ''}=${p.port}/${p.protocol}`).join(',')}` : profile.key;
    let cached = this.groupCache.get(key);
    if (cached) return cached;
    const rules = [...profile.admin, ...profile.baseline].flatMap((p) => (dir === 'Ingress' ? p.ingress : p.egress).map((rule) => ({ rule, admin: true })) as { rule: NetworkPolicyRule | AdminRule; admin: boolean }[]);
    for (const p of profile.netpol) for (const rule of dir === 'Ingress' ? p.ingress : p.egress) rules.push({ rule, admin: false });
    const out = new Map<Bitset, number[]>();
    specs.forEach((spec, k) => {
      const outcomes: (boolean | Bitset)[] = [];
      let sig = profile.key;
      for (const { rule, admin } of rules) {
        const o = this.portOutcome(rule, admin, dir, subject, spec, k);
        outcomes.push(o);
        sig += o === true ? '1' : o === false ? '0' : `[${this.portSetId(o)}]`;
      }
      let set = this.results.get(sig);
      if (!set) this.results.set(sig, (set = this.tiers(profile, dir, outcomes)));
      const list = out.get(set);
      if (list) list.push(k);
      else out.set(set, [k]);
    });
    cached = [...out].map(([set, ks]) => ({ set, specs: ks }));
    this.groupCache.set(key, cached);
    return cached;
  }

  private readonly groupCache = new Map<string, { set: Bitset; specs: number[] }[]>();
  private readonly setIds = new Map<Bitset, number>();
  private portSetId(b: Bitset): number {
    let id = this.setIds.get(b);
    if (id === undefined) this.setIds.set(b, (id = this.setIds.size));
    return id;
  }

  /** `outcomes`: the port outcome of each rule, admin and baseline rules first, then NetworkPolicy rules. */
  private tiers(profile: Profile, dir: PolicyType, outcomes: readonly (boolean | Bitset)[]): Bitset {
    let o = 0;
    const allow = new Bitset(this.size);
    const remaining = this.all.clone();
    const pass = new Bitset(this.size);
    const adminRules = (p: AdminPolicy) => (dir === 'Ingress' ? p.ingress : p.egress);
    for (const p of profile.admin)
      for (const rule of adminRules(p)) {
        const m = this.ruleSet(this.adminPeerSet(rule), outcomes[o++]!).clone().and(remaining);
        if (rule.action === 'Allow') allow.or(m);
        else if (rule.action === 'Pass') pass.or(m);
        remaining.andNot(m);
      }
    remaining.or(pass);
    const baselineOutcomes = outcomes.slice(o);
    o = profile.baseline.reduce((n, p) => n + adminRules(p).length, o);
    let result: Bitset;
    if (profile.netpol.length > 0) {
      const union = new Bitset(this.size);
      for (const p of profile.netpol) for (const rule of dir === 'Ingress' ? p.ingress : p.egress) union.or(this.ruleSet(this.netpolPeerSet(rule, p.namespace), outcomes[o++]!));
      result = allow.or(union.and(remaining));
    } else {
      let b = 0;
      for (const p of profile.baseline)
        for (const rule of adminRules(p)) {
          const m = this.ruleSet(this.adminPeerSet(rule), baselineOutcomes[b++]!).clone().and(remaining);
          if (rule.action !== 'Deny') allow.or(m); // Allow, or Pass on to the default allow
          remaining.andNot(m);
        }
      result = allow.or(remaining);
    }
    return profile.resident ? result.or(profile.resident) : result;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
