// Admin-tier case tables: AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and
// ClusterNetworkPolicy (v1alpha2) against the NetworkPolicy tier and default allow (DESIGN.md §4).
// Data only; admin.test.ts runs them, reason-coverage.test.ts re-runs them.
import { expect } from 'vitest';
import type { AdminPolicy, PolicyType } from '../../src/engine/model.js';
import { Reason as R } from '../../src/engine/reasons.js';
import type { TierName, Verdict } from '../../src/engine/trace.js';
import {
  anp,
  arule,
  banp,
  cnp,
  denyAll,
  domainsPeer,
  namedPort,
  netpol,
  networksPeer,
  nodesPeer,
  nsPeer,
  podsPeer,
  portNumber,
  portRange,
  rule,
  sel,
  subjectNs,
  subjectPods,
  withPolicies,
} from './builders.js';
import { WORLD, type VerdictCase } from './world.js';

const W = WORLD;
const backendNs = subjectNs(sel({ team: 'data' }));
const frontendNs = subjectNs(sel({ team: 'web' }));
const fromWebNs = nsPeer(sel({ team: 'web' }));
const allNs = nsPeer(sel());
const state = (...p: AdminPolicy[]) => withPolicies(W, ...p);
const allowWebNp = netpol('backend/allow-web', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress'], ingress: [rule([{ ns: sel({ team: 'web' }) }])] });

const side = (v: Verdict, d: PolicyType) => (d === 'Ingress' ? v.ingress : v.egress);
const tiers = (v: Verdict, d: PolicyType): TierName[] => side(v, d).tiers.map((t) => t.tier);
const decidingOf = (v: Verdict, d: PolicyType) => side(v, d).tiers.find((t) => t.tier === side(v, d).decidedBy)?.deciding;
const adminRule = (v: Verdict, d: PolicyType, tier: TierName = 'Admin') => {
  const t = side(v, d).tiers.find((x) => x.tier === tier)!;
  const dec = t.deciding!;
  return t.policies.find((p) => p.policy.name === dec.policy.name)!.rules[dec.ruleIndex]!;
};

// ---------------------------------------------------------------- ordering and actions

export const orderCases: VerdictCase[] = [
  {
    name: 'ANP: lower priority number first (Deny@10 beats Allow@20)',
    state: state(anp('allow-web', 20, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), anp('deny-web', 10, backendNs, { ingress: [arule('Deny', [fromWebNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, ingress: R.adminDenied,
    verify: (v) => {
      expect(decidingOf(v, 'Ingress')).toMatchObject({ policy: { kind: 'AdminNetworkPolicy', name: 'deny-web', priority: 10 }, ruleIndex: 0 });
      expect(v.ingress.decidedBy).toBe('Admin');
    },
  },
  {
    name: 'ANP: lower priority number first (Allow@10 beats Deny@20)',
    state: state(anp('allow-web', 10, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), anp('deny-web', 20, backendNs, { ingress: [arule('Deny', [fromWebNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.adminAllowed,
    verify: (v) => expect(decidingOf(v, 'Ingress')?.policy.name).toBe('allow-web'),
  },
  {
    name: 'ANP: priority beats name order',
    state: state(anp('a-allow', 50, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), anp('z-deny', 5, backendNs, { ingress: [arule('Deny', [fromWebNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied,
  },
  {
    name: 'ANP: rules in written order (Deny first)',
    state: state(anp('order', 10, backendNs, { ingress: [arule('Deny', [fromWebNs], undefined, 'deny-web'), arule('Allow', [allNs], undefined, 'allow-all')] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied,
    verify: (v) => expect(decidingOf(v, 'Ingress')).toMatchObject({ ruleIndex: 0, ruleName: 'deny-web' }),
  },
  {
    name: 'ANP: rules in written order (Allow first)',
    state: state(anp('order', 10, backendNs, { ingress: [arule('Allow', [fromWebNs], undefined, 'allow-web'), arule('Deny', [allNs], undefined, 'deny-all')] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.adminAllowed,
    verify: (v) => expect(decidingOf(v, 'Ingress')).toMatchObject({ ruleIndex: 0, ruleName: 'allow-web' }),
  },
  {
    name: 'ANP: a later rule decides when earlier ones do not match',
    state: state(anp('order', 10, backendNs, { ingress: [arule('Allow', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, has: [R.rulePeerNotMatched],
    verify: (v) => expect(decidingOf(v, 'Ingress')?.ruleIndex).toBe(1),
  },
  {
    name: 'ANP Allow overrides a NetworkPolicy deny-all (NetworkPolicy not consulted)',
    state: withPolicies(W, anp('allow', 10, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.adminAllowed,
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['Admin']),
  },
  {
    name: 'ANP Deny overrides a NetworkPolicy allow',
    state: withPolicies(W, anp('deny', 10, backendNs, { ingress: [arule('Deny', [fromWebNs])] }), allowWebNp),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied,
  },
  {
    name: 'ANP Pass: NetworkPolicy decides (deny)',
    state: withPolicies(W, anp('pass', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.adminPassed],
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['Admin', 'NetworkPolicy']),
  },
  {
    name: 'ANP Pass: NetworkPolicy decides (allow) even though BANP denies',
    state: withPolicies(W, anp('pass', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), allowWebNp, banp(backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, has: [R.adminPassed],
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['Admin', 'NetworkPolicy']),
  },
  {
    name: 'ANP Pass skips the rest of the Admin tier (a later Deny does not apply)',
    state: state(anp('pass', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), anp('deny', 20, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminPassed], lacks: [R.adminDenied],
    verify: (v) => expect(v.ingress.tiers[0]!.policies.map((p) => p.policy.name)).toEqual(['pass']),
  },
  {
    name: 'ANP Pass skips later rules of the same policy',
    state: state(anp('pass', 10, backendNs, { ingress: [arule('Pass', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminPassed],
  },
  {
    name: 'ANP Pass, pod not isolated: BANP decides',
    state: state(anp('pass', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), banp(backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied, ingress: R.baselineDenied, has: [R.adminPassed, R.notIsolated],
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['Admin', 'NetworkPolicy', 'Baseline']),
  },
  {
    name: 'BANP Allow, pod not isolated',
    state: state(banp(backendNs, { ingress: [arule('Allow', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.baselineAllowed, ingress: R.baselineAllowed,
  },
  {
    name: 'BANP Deny, pod not isolated',
    state: state(banp(backendNs, { ingress: [arule('Allow', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied, ingress: R.baselineDenied,
    verify: (v) => expect(decidingOf(v, 'Ingress')).toMatchObject({ policy: { kind: 'BaselineAdminNetworkPolicy', name: 'default' }, ruleIndex: 1 }),
  },
  {
    name: 'NetworkPolicy allow overrides BANP Deny',
    state: withPolicies(W, banp(backendNs, { ingress: [arule('Deny', [allNs])] }), allowWebNp),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched,
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['NetworkPolicy']),
  },
  {
    name: 'NetworkPolicy isolation overrides BANP Allow',
    state: withPolicies(W, banp(backendNs, { ingress: [arule('Allow', [allNs])] }), denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched,
  },
  {
    name: 'BANP without a matching rule: default allow',
    state: state(banp(backendNs, { ingress: [arule('Deny', [nsPeer(sel({ env: 'dev' }))])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, ingress: R.defaultAllow, has: [R.baselineNoMatch, R.notIsolated],
    verify: (v) => expect(tiers(v, 'Ingress')).toEqual(['NetworkPolicy', 'Baseline', 'Default']),
  },
  {
    name: 'ANP without a matching rule: NetworkPolicy, then default allow',
    state: state(anp('deny-dev', 10, backendNs, { ingress: [arule('Deny', [nsPeer(sel({ env: 'dev' }))])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminNoMatch, R.adminSubjectMatched],
  },
  {
    name: 'ANP whose subject does not select the pod: default allow',
    state: state(anp('frontend-only', 10, frontendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminSubjectNotMatched, R.adminNoMatch],
  },
  {
    name: 'ANP with only egress rules does not affect ingress',
    state: state(anp('egress-only', 10, backendNs, { egress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminNoMatch],
  },
];

// ---------------------------------------------------------------- ClusterNetworkPolicy (v1alpha2)

export const cnpCases: VerdictCase[] = [
  {
    name: 'CNP Admin Accept = Allow (actionName kept)',
    state: withPolicies(W, cnp('accept-web', 'Admin', 10, backendNs, { ingress: [arule('Accept', [fromWebNs])] }), denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.adminAllowed,
    verify: (v) => {
      expect(adminRule(v, 'Ingress')).toMatchObject({ action: 'Allow', actionName: 'Accept' });
      expect(decidingOf(v, 'Ingress')?.policy).toMatchObject({ kind: 'ClusterNetworkPolicy', name: 'accept-web' });
    },
  },
  {
    name: 'CNP Admin Deny',
    state: withPolicies(W, cnp('deny-web', 'Admin', 10, backendNs, { ingress: [arule('Deny', [fromWebNs])] }), allowWebNp),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied,
  },
  {
    name: 'CNP Admin Pass: NetworkPolicy decides',
    state: withPolicies(W, cnp('pass', 'Admin', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), allowWebNp),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.ingressRuleMatched, has: [R.adminPassed],
  },
  {
    name: 'CNP Admin and ANP share one priority order',
    state: state(anp('allow', 10, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), cnp('deny', 'Admin', 5, backendNs, { ingress: [arule('Deny', [fromWebNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied,
    verify: (v) => expect(decidingOf(v, 'Ingress')?.policy.kind).toBe('ClusterNetworkPolicy'),
  },
  {
    name: 'CNP Baseline Deny, pod not isolated',
    state: state(cnp('base-deny', 'Baseline', 10, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied,
  },
  {
    name: 'CNP Baseline Accept, pod not isolated',
    state: state(cnp('base-accept', 'Baseline', 10, backendNs, { ingress: [arule('Accept', [fromWebNs])] }), cnp('base-deny', 'Baseline', 20, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.baselineAllowed,
  },
  {
    name: 'CNP Baseline priorities: lower number first',
    state: state(cnp('base-accept', 'Baseline', 30, backendNs, { ingress: [arule('Accept', [fromWebNs])] }), cnp('base-deny', 'Baseline', 20, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied,
  },
  // v1alpha2: "Pass: Skips all further ClusterNetworkPolicy rules in the current tier ... and passes
  // evaluation to the next tier" — after Baseline that is the default (allow).
  {
    name: 'CNP Baseline Pass skips later Baseline rules of the same policy: default allow',
    state: state(cnp('base', 'Baseline', 10, backendNs, { ingress: [arule('Pass', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, lacks: [R.baselineDenied],
  },
  {
    name: 'CNP Baseline Pass skips later Baseline policies: default allow',
    state: state(cnp('base-pass', 'Baseline', 10, backendNs, { ingress: [arule('Pass', [fromWebNs])] }), cnp('base-deny', 'Baseline', 20, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, lacks: [R.baselineDenied],
  },
  {
    name: 'CNP Baseline Pass only for matching traffic: other sources still denied',
    state: state(cnp('base', 'Baseline', 10, backendNs, { ingress: [arule('Pass', [fromWebNs]), arule('Deny', [allNs])] })),
    from: 'dev/tester', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied,
  },
];

// ---------------------------------------------------------------- subjects

export const subjectCases: VerdictCase[] = [
  {
    name: 'subject pods: selected pod', state: state(anp('db-only', 10, subjectPods(sel({ team: 'data' }), sel({ app: 'db' })), { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, has: [R.adminSubjectMatched],
    verify: (v) => {
      const p = v.ingress.tiers[0]!.policies[0]!;
      expect(p.namespaceSelector?.matched).toBe(true);
      expect(p.selector.matched).toBe(true);
    },
  },
  {
    name: 'subject pods: other pod in the same namespace', state: state(anp('db-only', 10, subjectPods(sel({ team: 'data' }), sel({ app: 'db' })), { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/api', port: 9000, allowed: true, reason: R.defaultAllow, has: [R.adminSubjectNotMatched],
    verify: (v) => expect(v.ingress.tiers[0]!.policies[0]!.selector.matched).toBe(false),
  },
  {
    name: 'subject pods: pod labels match but namespace does not', state: state(anp('db-elsewhere', 10, subjectPods(sel({ team: 'web' }), sel({ app: 'db' })), { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.adminSubjectNotMatched],
  },
  {
    name: 'subject namespaces: every pod of the namespace', state: state(anp('backend', 10, backendNs, { ingress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/api', port: 9000, allowed: false, reason: R.adminDenied,
  },
  {
    name: 'subject namespaces {}: hostNetwork pods are never subjects',
    state: state(anp('everyone', 10, subjectNs(sel()), { egress: [arule('Deny', [allNs])] })),
    from: 'kube-system/agent', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, egress: R.hostNetworkSource,
  },
  {
    name: 'subject namespaces {}: ordinary pods are',
    state: state(anp('everyone', 10, subjectNs(sel()), { egress: [arule('Deny', [allNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, egress: R.adminDenied,
  },
];

// ---------------------------------------------------------------- peers

const egressDeny = (...peers: Parameters<typeof arule>[1]) => state(anp('egress', 10, frontendNs, { egress: [arule('Deny', peers)] }));
const ingressDeny = (...peers: Parameters<typeof arule>[1]) => state(anp('ingress', 10, backendNs, { ingress: [arule('Deny', peers)] }));

export const adminPeerCases: VerdictCase[] = [
  { name: 'peer namespaces: matching namespace', state: ingressDeny(fromWebNs), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied },
  { name: 'peer namespaces: other namespace', state: ingressDeny(fromWebNs), from: 'dev/tester', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.namespaceSelectorMismatch] },
  { name: 'peer namespaces: metadata.name of a namespace missing from the input', state: ingressDeny(nsPeer(sel({ 'kubernetes.io/metadata.name': 'ghost' }))), from: 'ghost/orphan', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied },
  { name: 'peer pods: pod in any namespace (namespaceSelector {})', state: ingressDeny(podsPeer(sel(), sel({ app: 'web' }))), from: 'backend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied },
  { name: 'peer pods: other pod', state: ingressDeny(podsPeer(sel(), sel({ app: 'web' }))), from: 'frontend/admin', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.podSelectorMismatch] },
  { name: 'peer pods: pod matches, namespace does not', state: ingressDeny(podsPeer(sel({ team: 'web' }), sel({ app: 'web' }))), from: 'backend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.namespaceSelectorMismatch] },
  { name: 'peer namespaces does not match a hostNetwork pod', state: ingressDeny(allNs), from: 'kube-system/agent', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.peerIsHostNetwork] },
  { name: 'peer pods does not match an external address', state: ingressDeny(podsPeer(sel(), sel())), from: '203.0.113.5', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.peerIsNotPod] },
  { name: 'peer nodes: node IP of a selected node', state: egressDeny(nodesPeer(sel({ role: 'worker' }))), from: 'frontend/web', to: '192.168.0.11', port: 10250, allowed: false, reason: R.adminDenied, ingress: R.externalDestination },
  { name: 'peer nodes: node IP of another node', state: egressDeny(nodesPeer(sel({ role: 'worker' }))), from: 'frontend/web', to: '192.168.0.12', port: 6443, allowed: true, reason: R.defaultAllow, has: [R.nodeSelectorMismatch] },
  { name: 'peer nodes: a hostNetwork pod is its node', state: egressDeny(nodesPeer(sel({ role: 'worker' }))), from: 'frontend/web', to: 'kube-system/agent', port: 10250, allowed: false, reason: R.adminDenied, ingress: R.hostNetworkDestination },
  { name: 'peer nodes: an ordinary pod is not a node', state: egressDeny(nodesPeer(sel())), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.peerIsNotNode] },
  { name: 'peer nodes: an external address is not a node', state: egressDeny(nodesPeer(sel())), from: 'frontend/web', to: '8.8.8.8', port: 53, allowed: true, reason: R.defaultAllow, has: [R.peerIsNotNode] },
  { name: 'peer networks: external address inside', state: egressDeny(networksPeer('203.0.113.0/24')), from: 'frontend/web', to: '203.0.113.5', port: 443, allowed: false, reason: R.adminDenied },
  { name: 'peer networks: external address outside', state: egressDeny(networksPeer('203.0.113.0/24')), from: 'frontend/web', to: '8.8.8.8', port: 443, allowed: true, reason: R.defaultAllow, has: [R.ipBlockOutsideCidr] },
  { name: 'peer networks: any of several CIDRs', state: egressDeny(networksPeer('203.0.113.0/24', '8.8.8.0/24')), from: 'frontend/web', to: '8.8.8.8', port: 443, allowed: false, reason: R.adminDenied },
  { name: 'peer networks: IPv6', state: egressDeny(networksPeer('fd00:1::/48')), from: 'frontend/web', to: 'fd00:1::8', port: 443, allowed: false, reason: R.adminDenied },
  { name: 'peer networks: matches pod IPs too', state: egressDeny(networksPeer('10.0.2.0/24')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied },
  { name: 'peer networks: a template pod has no IP', state: egressDeny(networksPeer('0.0.0.0/0')), from: 'frontend/web', to: 'backend/batch', port: 8080, allowed: true, reason: R.defaultAllow, has: [R.ipBlockNoPodIP] },
  {
    name: 'peer domainNames: cannot be decided from IPs (reported, never matches)',
    state: withPolicies(W, cnp('fqdn', 'Admin', 10, frontendNs, { egress: [arule('Accept', [domainsPeer('example.com')])] }), denyAll('frontend', 'Egress')),
    from: 'frontend/web', to: '93.184.215.14', port: 443, allowed: false, reason: R.isolatedNoRuleMatched, has: [R.domainNamesUnsupported, R.adminNoMatch],
  },
  { name: 'rule without peers matches nothing', state: ingressDeny(), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.noPeers] },
];

// ---------------------------------------------------------------- ports

const dbPortsDeny = (...ports: Parameters<typeof arule>[2] & object) => state(anp('ports', 10, backendNs, { ingress: [arule('Deny', [fromWebNs], ports)] }));

export const adminPortCases: VerdictCase[] = [
  { name: 'portNumber: match', state: dbPortsDeny(portNumber(5432)), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, has: [R.portMatched] },
  { name: 'portNumber: other number', state: dbPortsDeny(portNumber(5432)), from: 'frontend/web', to: 'backend/db', port: 5433, allowed: true, reason: R.defaultAllow, has: [R.portMismatch, R.rulePortNotMatched] },
  { name: 'portNumber: other protocol', state: dbPortsDeny(portNumber(5432)), from: 'frontend/web', to: 'backend/db', port: 5432, protocol: 'UDP', allowed: true, reason: R.defaultAllow, has: [R.protocolMismatch] },
  { name: 'portRange: inside (inclusive end)', state: dbPortsDeny(portRange(9000, 9100)), from: 'frontend/web', to: 'backend/db', port: 9100, allowed: false, reason: R.adminDenied },
  { name: 'portRange: outside', state: dbPortsDeny(portRange(9000, 9100)), from: 'frontend/web', to: 'backend/db', port: 9101, allowed: true, reason: R.defaultAllow, has: [R.portOutOfRange] },
  { name: 'portRange: other protocol', state: dbPortsDeny(portRange(9000, 9100, 'UDP')), from: 'frontend/web', to: 'backend/db', port: 9050, allowed: true, reason: R.defaultAllow, has: [R.protocolMismatch] },
  { name: 'ports OR', state: dbPortsDeny(portNumber(1), portRange(9000, 9100)), from: 'frontend/web', to: 'backend/db', port: 9050, allowed: false, reason: R.adminDenied },
  { name: 'namedPort (ingress): resolves on the subject pod with its own protocol (UDP dns)', state: dbPortsDeny(namedPort('dns')), from: 'frontend/web', to: 'backend/db', port: 53, protocol: 'UDP', allowed: false, reason: R.adminDenied, has: [R.portMatched] },
  { name: 'namedPort: same number, other protocol than the container port', state: dbPortsDeny(namedPort('dns')), from: 'frontend/web', to: 'backend/db', port: 53, allowed: true, reason: R.defaultAllow, has: [R.protocolMismatch] },
  { name: 'namedPort: resolves to another number', state: dbPortsDeny(namedPort('postgres')), from: 'frontend/web', to: 'backend/db', port: 9090, allowed: true, reason: R.defaultAllow, has: [R.namedPortMismatch] },
  { name: 'namedPort: not declared', state: dbPortsDeny(namedPort('nope')), from: 'frontend/web', to: 'backend/db', port: 5432, allowed: true, reason: R.defaultAllow, has: [R.namedPortUnresolved] },
  {
    name: 'namedPort (egress): resolves on the destination pod, not the subject',
    state: state(anp('eg', 10, frontendNs, { egress: [arule('Deny', [podsPeer(sel(), sel())], [namedPort('http')])] })),
    from: 'frontend/web', to: 'backend/api', port: 9000, allowed: false, reason: R.adminDenied, egress: R.adminDenied,
  },
  {
    name: "namedPort (egress): the subject's own number for the name does not count",
    state: state(anp('eg', 10, frontendNs, { egress: [arule('Deny', [podsPeer(sel(), sel())], [namedPort('http')])] })),
    from: 'frontend/web', to: 'backend/api', port: 8080, allowed: true, reason: R.defaultAllow, has: [R.namedPortMismatch],
  },
];

// ---------------------------------------------------------------- the two sides stay independent

export const adminSidesCases: VerdictCase[] = [
  {
    name: 'ANP Allow on egress at the source does not override NetworkPolicy ingress deny at the destination',
    state: withPolicies(W, anp('web-out', 10, frontendNs, { egress: [arule('Allow', [allNs])] }), denyAll('backend', 'Ingress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, egress: R.adminAllowed, ingress: R.isolatedNoRuleMatched,
  },
  {
    name: 'ANP Deny on ingress at the destination wins over NetworkPolicy egress allow at the source',
    state: withPolicies(W, anp('db-in', 10, backendNs, { ingress: [arule('Deny', [fromWebNs])] }), netpol('frontend/out', { podSelector: sel(), policyTypes: ['Egress'], egress: [rule()] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.adminDenied, egress: R.egressRuleMatched, ingress: R.adminDenied,
  },
  {
    name: 'ANP Allow on ingress does not lift the source egress deny-all',
    state: withPolicies(W, anp('db-in', 10, backendNs, { ingress: [arule('Allow', [fromWebNs])] }), denyAll('frontend', 'Egress')),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.isolatedNoRuleMatched, egress: R.isolatedNoRuleMatched, ingress: R.adminAllowed,
  },
  {
    name: 'BANP egress deny at the source, ANP ingress allow at the destination',
    state: state(banp(frontendNs, { egress: [arule('Deny', [allNs])] }), anp('db-in', 10, backendNs, { ingress: [arule('Allow', [fromWebNs])] })),
    from: 'frontend/web', to: 'backend/db', port: 5432, allowed: false, reason: R.baselineDenied, egress: R.baselineDenied, ingress: R.adminAllowed,
  },
];

export const adminTables = {
  order: orderCases,
  clusterNetworkPolicy: cnpCases,
  subjects: subjectCases,
  peers: adminPeerCases,
  ports: adminPortCases,
  sides: adminSidesCases,
} as const;
