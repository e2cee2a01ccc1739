// NetworkPolicy v1 case tables: one group per point of DESIGN.md §4 (semantics checklist).
// Data only; netpol.test.ts runs them, reason-coverage.test.ts re-runs them to collect reason ids.
import { expect } from 'vitest';
import { Reason as R } from '../../src/engine/reasons.js';
import type { PeerTrace, PortTrace, Verdict } from '../../src/engine/trace.js';
import { NS_NAME_LABEL, denyAll, expr, netpol, np, rule, sel, withPolicies, type PeerSpec } from './builders.js';
import type { NetworkPolicyPort, NetworkPolicyRule, PolicyType } from '../../src/engine/model.js';
import { WORLD, type VerdictCase } from './world.js';

const W = WORLD;
const dbIngress = (name: string, ...ingress: NetworkPolicyRule[]) => netpol(`backend/${name}`, { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress'], ingress });
const webEgress = (name: string, ...egress: NetworkPolicyRule[]) => netpol(`frontend/${name}`, { podSelector: sel({ app: 'web' }), policyTypes: ['Egress'], egress });
/** db accepts ingress only from peers (any port). */
const dbFrom = (...peers: PeerSpec[]) => withPolicies(W, dbIngress('from', rule(peers)));
/** db accepts ingress only on ports (any source). */
const dbPorts = (...ports: NetworkPolicyPort[]) => withPolicies(W, dbIngress('ports', rule(undefined, ports)));
/** web may send egress only on ports (any destination). */
const webPorts = (...ports: NetworkPolicyPort[]) => withPolicies(W, webEgress('ports', rule(undefined, ports)));

// ---------------------------------------------------------------- trace accessors for `verify`

const side = (v: Verdict, d: PolicyType) => (d === 'Ingress' ? v.ingress : v.egress);
const npTier = (v: Verdict, d: PolicyType) => side(v, d).tiers.find((t) => t.tier === 'NetworkPolicy')!;
/** All peer traces of the NetworkPolicy tier in one direction. */
const peers = (v: Verdict, d: PolicyType): PeerTrace[] => npTier(v, d).policies.flatMap((p) => p.rules.flatMap((r) => r.peers));
const ports = (v: Verdict, d: PolicyType): PortTrace[] => npTier(v, d).policies.flatMap((p) => p.rules.flatMap((r) => r.ports));
const deciding = (v: Verdict, d: PolicyType) => npTier(v, d).deciding;
const noteIds = (v: Verdict) => v.notes.map((n) => n.id);

// ---------------------------------------------------------------- isolation and policyTypes

export const isolationCases: VerdictCase[] = [
  { name: 'no policy: neither side isolated', state: W, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.notIsolated, egress: R.notIsolated, ingress: R.notIsolated },
  {
    name: 'ingress deny-all (podSelector {}) isolates db for ingress',
    state: withPolicies(W, denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.notIsolated, ingress: R.isolatedNoRuleMatched, has: [R.noRulesDenyAll],
    verify: (v) => {
      expect(v.ingress.decidedBy).toBe('NetworkPolicy');
      expect(npTier(v, 'Ingress').closest).toBeUndefined();
    },
  },
  {
    name: 'ingress deny-all leaves egress of the same pods open',
    state: withPolicies(W, denyAll('backend', 'Ingress')),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: true, reason: R.notIsolated, egress: R.notIsolated, ingress: R.notIsolated, has: [R.policyTypeNotApplicable],
  },
  {
    name: 'egress deny-all isolates web for egress',
    state: withPolicies(W, denyAll('frontend', 'Egress')),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, ingress: R.notIsolated, has: [R.noRulesDenyAll],
  },
  {
    name: 'egress-only policy leaves ingress open',
    state: withPolicies(W, denyAll('frontend', 'Egress')),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: true, reason: R.notIsolated, ingress: R.notIsolated, has: [R.policyTypeNotApplicable],
  },
  {
    name: 'policy whose podSelector does not select the pod does not isolate it',
    state: withPolicies(W, netpol('backend/deny-api', { podSelector: sel({ app: 'api' }), policyTypes: ['Ingress'] })),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.notIsolated, ingress: R.notIsolated, has: [R.policyDoesNotSelectPod],
  },
  {
    name: '... but does isolate the pod it selects',
    state: withPolicies(W, netpol('backend/deny-api', { podSelector: sel({ app: 'api' }), policyTypes: ['Ingress'] })),
    from: 'frontend/web', to: 'backend/api', port: 9000,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.noRulesDenyAll],
  },
  {
    name: 'policy selector with matchExpressions (app NotIn db) does not select db',
    state: withPolicies(W, netpol('backend/not-db', { podSelector: sel({}, expr('app', 'NotIn', 'db')), policyTypes: ['Ingress'] })),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.notIsolated, has: [R.policyDoesNotSelectPod],
  },
  {
    name: 'a policy only selects pods of its own namespace',
    state: withPolicies(W, denyAll('frontend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.notIsolated, ingress: R.notIsolated,
    verify: (v) => expect(npTier(v, 'Ingress').policies).toEqual([]),
  },
  {
    name: 'policyTypes [Ingress, Egress] with only ingress rules denies all egress',
    state: withPolicies(W, netpol('backend/both', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress', 'Egress'], ingress: [rule()] })),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, has: [R.noRulesDenyAll],
  },
  {
    name: 'policyTypes [Ingress, Egress]: its ingress rule still allows',
    state: withPolicies(W, netpol('backend/both', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress', 'Egress'], ingress: [rule()] })),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.ingressRuleMatched, ingress: R.ingressRuleMatched, has: [R.ruleMatched, R.policySelectsPod],
  },
  {
    name: 'policyTypes [Ingress]: listed egress rules are ignored, egress not isolated',
    state: withPolicies(W, netpol('backend/ingress-only', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress'], egress: [rule([{ pod: sel({ app: 'nothing' }) }])] })),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: true, reason: R.notIsolated, egress: R.notIsolated, has: [R.policyTypeNotApplicable],
  },
  {
    name: 'policyTypes [Egress] only: ingress not isolated even with an ingress section',
    state: withPolicies(W, netpol('backend/egress-only', { podSelector: sel({ app: 'db' }), policyTypes: ['Egress'], ingress: [rule([{ pod: sel({ app: 'nothing' }) }])], egress: [rule()] })),
    from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.notIsolated, ingress: R.notIsolated, has: [R.policyTypeNotApplicable],
  },
  {
    name: 'inferred policyTypes without egress section = [Ingress]: egress stays open',
    state: withPolicies(W, netpol('backend/inferred', { podSelector: sel({ app: 'db' }), ingress: [rule([{ pod: sel({ app: 'api' }) }])] })),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: true, reason: R.notIsolated, egress: R.notIsolated,
    verify: (v) => {
      const p = v.egress.tiers[0]!.policies[0]!;
      expect(p.policyTypesInferred).toBe(true);
      expect(p.policyTypes).toEqual(['Ingress']);
    },
  },
  {
    name: 'inferred policyTypes with egress rules = [Ingress, Egress]: egress rule decides',
    state: withPolicies(W, netpol('backend/inferred-eg', { podSelector: sel({ app: 'db' }), egress: [rule([{ ns: sel({ team: 'web' }) }])] })),
    from: 'backend/db', to: 'frontend/web', port: 8080,
    allowed: true, reason: R.notIsolated, egress: R.egressRuleMatched, ingress: R.notIsolated,
  },
  {
    name: 'inferred policyTypes with egress rules: non-matching destination denied',
    state: withPolicies(W, netpol('backend/inferred-eg', { podSelector: sel({ app: 'db' }), egress: [rule([{ ns: sel({ team: 'web' }) }])] })),
    from: 'backend/db', to: 'dev/tester', port: 8080,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch],
  },
];

// ---------------------------------------------------------------- union, rules OR, peers OR, ports OR, peers AND ports

const unionState = withPolicies(
  W,
  dbIngress('allow-web', rule([{ ns: sel({ team: 'web' }), pod: sel({ app: 'web' }) }])),
  dbIngress('allow-dev', rule([{ ns: sel({ env: 'dev' }) }])),
);
const twoRules = withPolicies(W, dbIngress('two-rules', rule([{ ns: sel({ env: 'dev' }) }]), rule([{ ns: sel({ team: 'web' }) }])));
const portsAndPeers = withPolicies(W, dbIngress('web-5432', rule([{ ns: sel({ team: 'web' }) }], [np(5432)])));

export const compositionCases: VerdictCase[] = [
  {
    name: 'union: first policy allows web', state: unionState, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(deciding(v, 'Ingress')?.policy.name).toBe('allow-web'),
  },
  {
    name: 'union: second policy allows tester', state: unionState, from: 'dev/tester', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(deciding(v, 'Ingress')?.policy.name).toBe('allow-dev'),
  },
  { name: 'union: a source neither policy allows is denied', state: unionState, from: 'plain/box', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.rulePeerNotMatched] },
  {
    name: 'union: a deny-all policy does not subtract from an allow',
    state: withPolicies(W, denyAll('backend', 'Ingress'), dbIngress('allow-web', rule([{ ns: sel({ team: 'web' }) }]))),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, has: [R.noRulesDenyAll],
  },
  {
    name: 'rules OR: the second rule matches', state: twoRules, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, has: [R.rulePeerNotMatched, R.ruleMatched],
    verify: (v) => expect(deciding(v, 'Ingress')?.ruleIndex).toBe(1),
  },
  {
    name: 'rules OR: the first rule matches', state: twoRules, from: 'dev/tester', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(deciding(v, 'Ingress')?.ruleIndex).toBe(0),
  },
  { name: 'peers OR: first peer', state: dbFrom({ ns: sel({ env: 'dev' }) }, { ns: sel({ team: 'web' }) }), from: 'dev/tester', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'peers OR: second peer', state: dbFrom({ ns: sel({ env: 'dev' }) }, { ns: sel({ team: 'web' }) }), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, has: [R.namespaceSelectorMismatch, R.peerMatched] },
  { name: 'peers OR: no peer', state: dbFrom({ ns: sel({ env: 'dev' }) }, { ns: sel({ team: 'web' }) }), from: 'plain/box', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.rulePeerNotMatched] },
  { name: 'ports OR: second port', state: dbPorts(np(5432), np(9090)), from: 'frontend/web', to: 'backend/db', port: 9090, allowed: true, reason: R.ingressRuleMatched, has: [R.portMismatch, R.portMatched] },
  { name: 'ports OR: no port', state: dbPorts(np(5432), np(9090)), from: 'frontend/web', to: 'backend/db', port: 8080, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.rulePortNotMatched, R.portMismatch], lacks: [R.portMatched] },
  { name: 'peers AND ports: right peer, right port', state: portsAndPeers, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'peers AND ports: right peer, wrong port', state: portsAndPeers, from: 'frontend/web', to: 'backend/db', port: 9090, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.rulePortNotMatched, R.peerMatched] },
  { name: 'peers AND ports: wrong peer, right port', state: portsAndPeers, from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.rulePeerNotMatched] },
  {
    name: 'from omitted = every source, even outside the cluster', state: dbPorts(np(5432)), from: '203.0.113.5', to: 'backend/db', port: 5432,
    allowed: true, reason: R.ingressRuleMatched, egress: R.externalSource,
    verify: (v) => expect(npTier(v, 'Ingress').policies[0]!.rules[0]!.allPeers).toBe(true),
  },
  {
    name: 'from: [] = every source', state: withPolicies(W, dbIngress('empty-from', rule([], [np(5432)]))), from: 'plain/box', to: 'backend/db', port: 5432,
    allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(npTier(v, 'Ingress').policies[0]!.rules[0]!.allPeers).toBe(true),
  },
  {
    name: 'to omitted = every destination', state: webPorts(np(443)), from: 'frontend/web', to: '8.8.8.8', port: 443,
    allowed: true, reason: R.egressRuleMatched, ingress: R.externalDestination,
  },
  {
    name: 'ports omitted = every port and protocol', state: dbFrom({ ns: sel({ team: 'web' }) }), from: 'frontend/web', to: 'backend/db', port: 53, protocol: 'UDP',
    allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(npTier(v, 'Ingress').policies[0]!.rules[0]!.allPorts).toBe(true),
  },
  {
    name: 'ports: [] = every port', state: withPolicies(W, dbIngress('empty-ports', rule([{ ns: sel({ team: 'web' }) }], []))), from: 'frontend/web', to: 'backend/db', port: 9999, protocol: 'SCTP',
    allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(npTier(v, 'Ingress').policies[0]!.rules[0]!.allPorts).toBe(true),
  },
  { name: 'empty rule {} allows everything', state: withPolicies(W, dbIngress('allow-all', rule())), from: '8.8.8.8', to: 'backend/db', port: 1, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'empty rule list with the type set = deny all',
    state: withPolicies(W, dbIngress('deny')), from: 'backend/api', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.noRulesDenyAll], lacks: [R.ruleMatched],
  },
];

// ---------------------------------------------------------------- peers

const nsAndPod = dbFrom({ ns: sel({ team: 'web' }), pod: sel({ app: 'web' }) });
const nsOrPod = dbFrom({ ns: sel({ team: 'web' }) }, { pod: sel({ app: 'web' }) });

export const peerCases: VerdictCase[] = [
  { name: 'podSelector alone: pod of the policy namespace matches', state: dbFrom({ pod: sel({ app: 'web' }) }), from: 'backend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'podSelector alone: same labels in another namespace do not match', state: dbFrom({ pod: sel({ app: 'web' }) }), from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.policyNamespaceMismatch],
    verify: (v) => expect(peers(v, 'Ingress')[0]!.policyNamespace).toBe('backend'),
  },
  { name: 'podSelector {} alone: every pod of the policy namespace', state: dbFrom({ pod: sel() }), from: 'backend/api', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'podSelector {} alone: not pods of other namespaces', state: dbFrom({ pod: sel() }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.policyNamespaceMismatch] },
  { name: 'namespaceSelector alone: every pod of a matching namespace', state: dbFrom({ ns: sel({ team: 'web' }) }), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'namespaceSelector alone: other namespaces do not match', state: dbFrom({ ns: sel({ team: 'web' }) }), from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch] },
  { name: 'namespaceSelector alone: does not default to the policy namespace', state: dbFrom({ ns: sel({ team: 'web' }) }), from: 'backend/api', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch] },
  { name: 'namespaceSelector {}: every namespace', state: dbFrom({ ns: sel() }), from: 'plain/box', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'namespaceSelector {} + podSelector: those pods in any namespace (frontend)', state: dbFrom({ ns: sel(), pod: sel({ app: 'web' }) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'namespaceSelector {} + podSelector: those pods in any namespace (backend)', state: dbFrom({ ns: sel(), pod: sel({ app: 'web' }) }), from: 'backend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'namespaceSelector {} + podSelector: other pods do not match', state: dbFrom({ ns: sel(), pod: sel({ app: 'web' }) }), from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch] },
  // The classic one-dash bug: `- namespaceSelector: ... podSelector: ...` (AND) vs two dashes (OR).
  { name: 'ONE peer {ns, pod} = AND: both hold', state: nsAndPod, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'ONE peer {ns, pod} = AND: pod labels match, namespace does not', state: nsAndPod, from: 'backend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch] },
  { name: 'ONE peer {ns, pod} = AND: namespace matches, pod labels do not', state: nsAndPod, from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch] },
  { name: 'TWO peers {ns}, {pod} = OR: namespace alone suffices', state: nsOrPod, from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'TWO peers {ns}, {pod} = OR: pod in the policy namespace suffices', state: nsOrPod, from: 'backend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'TWO peers {ns}, {pod} = OR: neither', state: nsOrPod, from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch, R.policyNamespaceMismatch] },
  { name: 'kubernetes.io/metadata.name selects one namespace', state: dbFrom({ ns: sel({ [NS_NAME_LABEL]: 'dev' }) }), from: 'dev/tester', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'kubernetes.io/metadata.name: other namespaces do not match', state: dbFrom({ ns: sel({ [NS_NAME_LABEL]: 'dev' }) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch] },
  { name: 'kubernetes.io/metadata.name: a namespace missing from the input still has it', state: dbFrom({ ns: sel({ [NS_NAME_LABEL]: 'ghost' }) }), from: 'ghost/orphan', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
];

// ---------------------------------------------------------------- label selectors

const failureOf = (v: Verdict) => {
  const p = peers(v, 'Ingress')[0]!;
  return (p.podSelector?.failure ?? p.namespaceSelector?.failure)!;
};

export const selectorCases: VerdictCase[] = [
  { name: 'In: value listed', state: dbFrom({ ns: sel({}, expr('env', 'In', 'prod', 'staging')) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'In: value not listed', state: dbFrom({ ns: sel({}, expr('env', 'In', 'prod', 'staging')) }), from: 'dev/tester', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch],
    verify: (v) => expect(failureOf(v)).toMatchObject({ key: 'env', operator: 'In', actual: 'dev' }),
  },
  { name: 'In: key missing', state: dbFrom({ ns: sel({}, expr('env', 'In', 'prod')) }), from: 'plain/box', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch] },
  { name: 'NotIn: other value', state: dbFrom({ ns: sel({}, expr('env', 'NotIn', 'dev')) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'NotIn: listed value', state: dbFrom({ ns: sel({}, expr('env', 'NotIn', 'dev')) }), from: 'dev/tester', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namespaceSelectorMismatch],
    verify: (v) => expect(failureOf(v)).toMatchObject({ key: 'env', operator: 'NotIn', actual: 'dev' }),
  },
  { name: 'NotIn: matches a namespace without the key', state: dbFrom({ ns: sel({}, expr('env', 'NotIn', 'dev')) }), from: 'plain/box', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'Exists: key present', state: dbFrom({ ns: sel(), pod: sel({}, expr('tier', 'Exists')) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'Exists: key absent', state: dbFrom({ ns: sel(), pod: sel({}, expr('tier', 'Exists')) }), from: 'frontend/admin', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch],
    verify: (v) => expect(failureOf(v)).toMatchObject({ key: 'tier', operator: 'Exists', actual: undefined }),
  },
  { name: 'DoesNotExist: key absent', state: dbFrom({ ns: sel(), pod: sel({}, expr('tier', 'DoesNotExist')) }), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'DoesNotExist: key present', state: dbFrom({ ns: sel(), pod: sel({}, expr('tier', 'DoesNotExist')) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch] },
  { name: 'matchLabels AND matchExpressions: both hold', state: dbFrom({ ns: sel(), pod: sel({ app: 'web' }, expr('tier', 'In', 'frontend')) }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'matchLabels AND matchExpressions: expression fails', state: dbFrom({ ns: sel(), pod: sel({ app: 'api' }, expr('tier', 'In', 'frontend')) }), from: 'backend/api', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch],
    verify: (v) => expect(failureOf(v)).toMatchObject({ key: 'tier', operator: 'In', actual: 'backend' }),
  },
  {
    name: 'matchLabels AND matchExpressions: label fails', state: dbFrom({ ns: sel(), pod: sel({ app: 'web' }, expr('tier', 'Exists')) }), from: 'backend/api', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.podSelectorMismatch],
    verify: (v) => expect(failureOf(v)).toMatchObject({ key: 'app', operator: 'Equals', actual: 'api' }),
  },
];

// ---------------------------------------------------------------- ipBlock

const v4Block = dbFrom({ cidr: '10.0.0.0/16', except: ['10.0.2.0/24'] });
const v6Egress = withPolicies(W, webEgress('v6', rule([{ cidr: 'fd00:1::/48', except: ['fd00:1:0:5::/64'] }])));
const peerIp = (v: Verdict, d: PolicyType) => peers(v, d)[0]!;

export const ipBlockCases: VerdictCase[] = [
  {
    name: 'ipBlock matches a pod IP (and says that this is CNI-dependent)', state: v4Block, from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => {
      expect(peerIp(v, 'Ingress')).toMatchObject({ kind: 'ipBlock', ip: '10.0.1.10', cidr: '10.0.0.0/16' });
      expect(noteIds(v)).toContain('ipBlockMatchesPodIP');
    },
  },
  {
    name: 'ipBlock except removes a range', state: v4Block, from: 'backend/api', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockExcepted],
    verify: (v) => expect(peerIp(v, 'Ingress')).toMatchObject({ ip: '10.0.2.21', exceptHit: '10.0.2.0/24' }),
  },
  { name: 'ipBlock: address outside the CIDR', state: v4Block, from: '203.0.113.5', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockOutsideCidr] },
  { name: 'ipBlock: external address inside the CIDR', state: dbFrom({ cidr: '203.0.113.0/24' }), from: '203.0.113.5', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, egress: R.externalSource },
  { name: 'ipBlock: host bits in the CIDR are masked (IPv4)', state: dbFrom({ cidr: '10.0.1.77/24' }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'ipBlock: host bits in an except are masked (IPv4)', state: dbFrom({ cidr: '10.0.0.0/16', except: ['10.0.1.99/24'] }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockExcepted] },
  { name: 'ipBlock /32 of one pod', state: dbFrom({ cidr: '10.0.1.10/32' }), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'ipBlock /32 does not match a neighbour', state: dbFrom({ cidr: '10.0.1.10/32' }), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockOutsideCidr] },
  { name: 'ipBlock IPv6: inside', state: v6Egress, from: 'frontend/web', to: 'fd00:1::8', port: 443, allowed: true, reason: R.egressRuleMatched, egress: R.egressRuleMatched, ingress: R.externalDestination },
  { name: 'ipBlock IPv6: excepted', state: v6Egress, from: 'frontend/web', to: 'fd00:1:0:5::1', port: 443, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockExcepted] },
  { name: 'ipBlock IPv6: outside', state: v6Egress, from: 'frontend/web', to: '2001:db8::1', port: 443, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockOutsideCidr] },
  { name: 'ipBlock IPv6: host bits in the CIDR are masked', state: withPolicies(W, webEgress('v6h', rule([{ cidr: 'fd00:1::1234/48' }]))), from: 'frontend/web', to: 'fd00:1:0:9::1', port: 443, allowed: true, reason: R.egressRuleMatched },
  { name: 'ipBlock IPv4 0.0.0.0/0 does not match an IPv6 address', state: withPolicies(W, webEgress('v4all', rule([{ cidr: '0.0.0.0/0' }]))), from: 'frontend/web', to: '2001:db8::1', port: 443, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockOutsideCidr] },
  { name: 'ipBlock IPv6 ::/0 does not match an IPv4 address', state: withPolicies(W, webEgress('v6all', rule([{ cidr: '::/0' }]))), from: 'frontend/web', to: '8.8.8.8', port: 443, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockOutsideCidr] },
  { name: 'ipBlock IPv6 matches a dual-stack pod by its IPv6 address', state: dbFrom({ cidr: 'fd00:2::/64' }), from: 'backend/dual', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  {
    name: 'ipBlock cannot match a template pod (no IP)', state: v4Block, from: 'backend/batch', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.ipBlockNoPodIP],
    verify: (v) => expect(noteIds(v)).toContain('templatePod'),
  },
  { name: 'selectors still match a template pod', state: dbFrom({ pod: sel({ app: 'batch' }) }), from: 'backend/batch', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'ipBlock egress to a hostNetwork pod sees its node IP', state: withPolicies(W, webEgress('nodes', rule([{ cidr: '192.168.0.0/24' }]))), from: 'frontend/web', to: 'kube-system/agent', port: 10250, allowed: true, reason: R.egressRuleMatched, ingress: R.hostNetworkDestination },
];

// ---------------------------------------------------------------- ports

const resolved = (v: Verdict, d: PolicyType) => ports(v, d)[0]!.resolvedPort;

export const portCases: VerdictCase[] = [
  { name: 'named port (ingress) resolves on the target pod', state: dbPorts(np('postgres')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, verify: (v) => expect(resolved(v, 'Ingress')).toBe(5432) },
  {
    name: 'named port (ingress) resolving to another number', state: dbPorts(np('postgres')), from: 'frontend/web', to: 'backend/db', port: 9090,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortMismatch], verify: (v) => expect(resolved(v, 'Ingress')).toBe(5432),
  },
  { name: 'named port the pod does not declare matches nothing', state: dbPorts(np('mysql')), from: 'frontend/web', to: 'backend/db', port: 3306, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortUnresolved] },
  { name: 'named port: TCP (default) name declared only for UDP does not resolve', state: dbPorts(np('dns')), from: 'frontend/web', to: 'backend/db', port: 53, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortUnresolved] },
  { name: 'named port: UDP name declared for UDP resolves', state: dbPorts(np('dns', 'UDP')), from: 'frontend/web', to: 'backend/db', port: 53, protocol: 'UDP', allowed: true, reason: R.ingressRuleMatched },
  { name: 'named port: UDP rule, name declared only for TCP', state: dbPorts(np('postgres', 'UDP')), from: 'frontend/web', to: 'backend/db', port: 5432, protocol: 'UDP', allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortUnresolved] },
  {
    name: 'named port (egress) resolves on the peer, not the source', state: webPorts(np('http')), from: 'frontend/web', to: 'backend/api', port: 9000,
    allowed: true, reason: R.notIsolated, egress: R.egressRuleMatched, verify: (v) => expect(resolved(v, 'Egress')).toBe(9000),
  },
  {
    name: "named port (egress): the source's own number for the name does not count", state: webPorts(np('http')), from: 'frontend/web', to: 'backend/api', port: 8080,
    allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortMismatch], verify: (v) => expect(resolved(v, 'Egress')).toBe(9000),
  },
  { name: 'named port (egress): peer does not declare the name', state: webPorts(np('http')), from: 'frontend/web', to: 'backend/db', port: 8080, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortUnresolved] },
  { name: 'named port (egress) to an external address cannot resolve', state: webPorts(np('http')), from: 'frontend/web', to: '8.8.8.8', port: 8080, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.namedPortUnresolved] },
  { name: 'protocol defaults to TCP: UDP on the same number is not allowed', state: dbPorts(np(5432)), from: 'frontend/web', to: 'backend/db', port: 5432, protocol: 'UDP', allowed: false, reason: R.isolatedNoRuleMatched, has: [R.protocolMismatch] },
  { name: 'protocol defaults to TCP: TCP allowed', state: dbPorts(np(5432)), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
  { name: 'protocol without port = every port of that protocol', state: dbPorts(np(undefined, 'UDP')), from: 'frontend/web', to: 'backend/db', port: 5353, protocol: 'UDP', allowed: true, reason: R.ingressRuleMatched },
  { name: 'protocol without port: other protocols are not allowed', state: dbPorts(np(undefined, 'UDP')), from: 'frontend/web', to: 'backend/db', port: 5353, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.protocolMismatch] },
  { name: 'SCTP port', state: dbPorts(np(7777, 'SCTP')), from: 'frontend/web', to: 'backend/db', port: 7777, protocol: 'SCTP', allowed: true, reason: R.ingressRuleMatched },
  { name: 'endPort: start of range', state: dbPorts(np(32000, 'TCP', 32768)), from: 'frontend/web', to: 'backend/db', port: 32000, allowed: true, reason: R.ingressRuleMatched },
  { name: 'endPort: end of range (inclusive)', state: dbPorts(np(32000, 'TCP', 32768)), from: 'frontend/web', to: 'backend/db', port: 32768, allowed: true, reason: R.ingressRuleMatched },
  { name: 'endPort: below range', state: dbPorts(np(32000, 'TCP', 32768)), from: 'frontend/web', to: 'backend/db', port: 31999, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.portOutOfRange] },
  { name: 'endPort: above range', state: dbPorts(np(32000, 'TCP', 32768)), from: 'frontend/web', to: 'backend/db', port: 32769, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.portOutOfRange] },
  { name: 'endPort: protocol still applies', state: dbPorts(np(32000, 'TCP', 32768)), from: 'frontend/web', to: 'backend/db', port: 32100, protocol: 'UDP', allowed: false, reason: R.isolatedNoRuleMatched, has: [R.protocolMismatch] },
];

// ---------------------------------------------------------------- connection-level facts

const lockedDown = withPolicies(W, denyAll('backend', 'Ingress', 'Egress'), denyAll('frontend', 'Ingress', 'Egress'), denyAll('kube-system', 'Ingress', 'Egress'));

export const connectionCases: VerdictCase[] = [
  { name: 'same pod is never policed', state: lockedDown, from: 'backend/db', to: 'backend/db', port: 5432, allowed: true, reason: R.samePod, egress: R.samePod, ingress: R.samePod },
  {
    name: 'one-dash slip: a lone namespaceSelector peer next to a podSelector peer is flagged when it decides', state: dbFrom({ ns: sel({ team: 'web' }) }, { pod: sel({ app: 'web' }) }), from: 'frontend/admin', to: 'backend/db', port: 5432,
    allowed: true, reason: R.ingressRuleMatched, verify: (v) => expect(noteIds(v)).toContain('possibleOneDashMistake'),
  },
  {
    name: 'one item with both selectors is not flagged', state: dbFrom({ ns: sel({ team: 'web' }), pod: sel({ app: 'web' }) }), from: 'frontend/web', to: 'backend/db', port: 5432,
    allowed: true, reason: R.ingressRuleMatched, verify: (v) => expect(noteIds(v)).not.toContain('possibleOneDashMistake'),
  },
  {
    name: 'a namespace missing from the input is called out when a namespaceSelector judged it', state: dbFrom({ ns: sel({ team: 'web' }) }), from: 'ghost/orphan', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, verify: (v) => expect(noteIds(v)).toContain('namespaceLabelsUnknown'),
  },
  { name: 'a pod template to itself is two replicas, so it is policed', state: lockedDown, from: 'backend/batch', to: 'backend/batch', port: 8080, allowed: false, reason: R.isolatedNoRuleMatched, lacks: [R.samePod] },
  { name: 'loopback is the pod itself: never policed', state: lockedDown, from: 'frontend/web', to: '127.0.0.1', port: 80, allowed: true, reason: R.loopback, egress: R.loopback, ingress: R.loopback },
  { name: 'IPv6 loopback too', state: lockedDown, from: 'frontend/web', to: '::1', port: 80, allowed: true, reason: R.loopback },
  { name: "a host-network pod on the destination's node cannot be blocked", state: lockedDown, from: 'kube-system/agent', to: 'frontend/web', port: 8080, allowed: true, reason: R.residentNode, egress: R.hostNetworkSource, ingress: R.residentNode },
  { name: "the destination's own node IP cannot be blocked", state: lockedDown, from: '192.168.0.11', to: 'frontend/web', port: 8080, allowed: true, reason: R.residentNode, ingress: R.residentNode },
  { name: 'another node IP is policed like any source', state: lockedDown, from: '192.168.0.12', to: 'frontend/web', port: 8080, allowed: false, reason: R.isolatedNoRuleMatched, lacks: [R.residentNode] },
  {
    name: 'hostNetwork source: no egress policy applies, destination ingress still does', state: lockedDown, from: 'kube-system/agent', to: 'backend/db', port: 5432,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.hostNetworkSource, ingress: R.isolatedNoRuleMatched,
    verify: (v) => expect(noteIds(v)).toContain('hostNetworkPod'),
  },
  { name: 'hostNetwork source is seen as its node IP by ipBlock', state: dbFrom({ cidr: '192.168.0.0/24' }), from: 'kube-system/agent', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, egress: R.hostNetworkSource },
  { name: 'hostNetwork source is not matched by namespace/pod selectors', state: dbFrom({ ns: sel() }), from: 'kube-system/agent', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.peerIsHostNetwork] },
  {
    name: 'hostNetwork destination: its namespace deny-all does not apply', state: withPolicies(W, denyAll('kube-system', 'Ingress')), from: 'frontend/web', to: 'kube-system/agent', port: 10250,
    allowed: true, reason: R.notIsolated, egress: R.notIsolated, ingress: R.hostNetworkDestination,
  },
  {
    name: 'hostNetwork destination: the source egress side still applies', state: lockedDown, from: 'frontend/web', to: 'kube-system/agent', port: 10250,
    allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, ingress: R.hostNetworkDestination,
  },
  { name: 'hostNetwork destination is not matched by egress selectors', state: withPolicies(W, webEgress('all-pods', rule([{ ns: sel() }]))), from: 'frontend/web', to: 'kube-system/agent', port: 10250, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.peerIsHostNetwork] },
  { name: 'external source: selectors do not match it', state: dbFrom({ ns: sel() }), from: '203.0.113.5', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, egress: R.externalSource, has: [R.peerIsNotPod] },
  { name: 'external source, db not isolated', state: W, from: '203.0.113.5', to: 'backend/db', port: 5432, allowed: true, reason: R.notIsolated, egress: R.externalSource, ingress: R.notIsolated },
  { name: 'external destination: selectors do not match it', state: withPolicies(W, webEgress('all-pods', rule([{ ns: sel() }]))), from: 'frontend/web', to: '8.8.8.8', port: 53, protocol: 'UDP', allowed: false, reason: R.isolatedNoRuleMatched, ingress: R.externalDestination, has: [R.peerIsNotPod] },
  { name: 'external destination, web not isolated', state: W, from: 'frontend/web', to: '8.8.8.8', port: 53, protocol: 'UDP', allowed: true, reason: R.notIsolated, egress: R.notIsolated, ingress: R.externalDestination },
  { name: 'node IP destination is not a pod for selectors', state: withPolicies(W, webEgress('all-pods', rule([{ ns: sel() }]))), from: 'frontend/web', to: '192.168.0.12', port: 6443, allowed: false, reason: R.isolatedNoRuleMatched, ingress: R.externalDestination, has: [R.peerIsNotPod] },
];

// ---------------------------------------------------------------- both sides

const webToDb = webEgress('to-db', rule([{ ns: sel({ team: 'data' }), pod: sel({ app: 'db' }) }], [np(5432)]));
const dbFromWeb = dbIngress('from-web', rule([{ ns: sel({ team: 'web' }), pod: sel({ app: 'web' }) }], [np(5432)]));

export const bothSidesCases: VerdictCase[] = [
  { name: 'egress allowed, ingress denied => denied', state: withPolicies(W, webToDb, denyAll('backend', 'Ingress')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, egress: R.egressRuleMatched, ingress: R.isolatedNoRuleMatched, verify: (v) => expect(v.egress.allowed).toBe(true) },
  { name: 'ingress allowed, egress denied => denied', state: withPolicies(W, dbFromWeb, denyAll('frontend', 'Egress')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, ingress: R.ingressRuleMatched, verify: (v) => expect(v.ingress.allowed).toBe(true) },
  { name: 'both sides allow => allowed (reason from the ingress side)', state: withPolicies(W, webToDb, dbFromWeb), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, egress: R.egressRuleMatched, ingress: R.ingressRuleMatched },
  { name: 'replies need no rule: the reverse connection is a separate question', state: withPolicies(W, webToDb, dbFromWeb, denyAll('backend', 'Egress')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched },
];

// ---------------------------------------------------------------- closest rule on denial

const closestOf = (v: Verdict, d: PolicyType) => npTier(v, d).closest;
const twoPolicies = withPolicies(W, dbIngress('a-dev', rule([{ ns: sel({ env: 'dev' }) }])), dbIngress('b-web', rule([{ ns: sel({ team: 'web' }) }], [np(5432)])));

export const closestCases: VerdictCase[] = [
  {
    name: 'closest: the rule whose peers matched and ports failed',
    state: withPolicies(W, dbIngress('rules', rule([{ ns: sel({ env: 'dev' }) }]), rule([{ ns: sel({ team: 'web' }) }], [np(5432)]))),
    from: 'frontend/web', to: 'backend/db', port: 9090, allowed: false, reason: R.isolatedNoRuleMatched,
    verify: (v) => expect(closestOf(v, 'Ingress')).toEqual({ policy: { kind: 'NetworkPolicy', namespace: 'backend', name: 'rules' }, ruleIndex: 1, failed: R.rulePortNotMatched }),
  },
  {
    name: 'closest: across policies',
    state: twoPolicies, from: 'frontend/web', to: 'backend/db', port: 9090, allowed: false, reason: R.isolatedNoRuleMatched,
    verify: (v) => expect(closestOf(v, 'Ingress')).toMatchObject({ policy: { name: 'b-web' }, ruleIndex: 0, failed: R.rulePortNotMatched }),
  },
  {
    name: 'closest: only peer failures => first rule, rulePeerNotMatched',
    state: twoPolicies, from: 'plain/box', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched,
    verify: (v) => expect(closestOf(v, 'Ingress')).toMatchObject({ policy: { name: 'a-dev' }, ruleIndex: 0, failed: R.rulePeerNotMatched }),
  },
  {
    name: 'closest (egress side)',
    state: withPolicies(W, webEgress('to-db', rule([{ ns: sel({ team: 'data' }) }], [np(5432)]))), from: 'frontend/web', to: 'backend/api', port: 9000, allowed: false, reason: R.isolatedNoRuleMatched,
    verify: (v) => expect(closestOf(v, 'Egress')).toMatchObject({ policy: { name: 'to-db' }, ruleIndex: 0, failed: R.rulePortNotMatched }),
  },
  {
    name: 'no closest rule when the policy has no rules',
    state: withPolicies(W, denyAll('backend', 'Ingress')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched,
    verify: (v) => expect(closestOf(v, 'Ingress')).toBeUndefined(),
  },
];

export const netpolTables = {
  isolation: isolationCases,
  composition: compositionCases,
  peers: peerCases,
  selectors: selectorCases,
  ipBlock: ipBlockCases,
  ports: portCases,
  connection: connectionCases,
  bothSides: bothSidesCases,
  closest: closestCases,
} as const;
