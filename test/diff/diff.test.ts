// The what-if diff: cases for added, removed and modified NetworkPolicies and admin tiers, and a
// property test against brute force (every pod pair, every port that can matter, before and after).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPolicyChanges, policiesOf, type AnyPolicy, type PolicyKey } from '../../src/diff/apply.js';
import { diffStates, type DiffResult } from '../../src/diff/compute.js';
import type { AdminPolicy, ClusterState, NetworkPolicy } from '../../src/engine/model.js';
import { loadManifestTexts } from '../../src/sources/files/load.js';
import { loadManifests } from '../../src/sources/files/load.js';
import { build, params, scenarioArb } from '../engine/scenarios.js';
import { bruteChanges, reportedChanges, samplePorts } from './brute.js';

const load = async (example: string) => (await loadManifests([`examples/${example}/manifests`])).state;
const np = (state: ClusterState, ns: string, name: string) => state.networkPolicies.find((p) => p.namespace === ns && p.name === name)!;
const admin = (state: ClusterState, name: string) => state.adminPolicies.find((p) => p.name === name)!;
const rows = (r: DiffResult) => r.groups.flatMap((g) => g.ports.map((p) => `${g.from} -> ${g.to} ${p.protocol}/${p.start}${p.end !== p.start ? `-${p.end}` : ''} ${p.now} x${p.pairs}`));

function diff(base: ClusterState, upserts: AnyPolicy[], deletes: PolicyKey[] = []): DiffResult {
  const applied = applyPolicyChanges(base, upserts, deletes);
  return diffStates(base, applied.after, applied.changes);
}

describe('diff cases', () => {
  it('add: a NetworkPolicy that lets frontend/app reach backend/db on 5432 opens exactly that (egress side fixed too)', async () => {
    const shop = await load('shop');
    const sf = np(shop, 'frontend', 'storefront');
    const db = np(shop, 'backend', 'db-allow-api');
    const egress: NetworkPolicy = { ...sf, egress: [...sf.egress, { peers: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } }, podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] };
    const added: NetworkPolicy = { ...db, name: 'db-from-frontend', ingress: [{ peers: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }] };
    const r = diff(shop, [{ type: 'netpol', policy: egress }, { type: 'netpol', policy: added }]);
    expect(r.changes.map((c) => `${c.change} ${c.key.namespace}/${c.key.name}`)).toEqual(['added backend/db-from-frontend', 'changed frontend/storefront']);
    expect(rows(r)).toEqual(['frontend/app -> backend/db TCP/5432 allowed x1']);
  });

  it('remove: deleting the db ingress policy blocks backend/api -> backend/db (the namespace default-deny remains)', async () => {
    const shop = await load('shop');
    const r = diff(shop, [], [{ kind: 'NetworkPolicy', namespace: 'backend', name: 'db-allow-api' }]);
    expect(rows(r)).toEqual(['backend/api -> backend/db TCP/5432 blocked x1']);
    expect(r.connectionsChanged).toBe(true);
  });

  it('modify: moving a port blocks the old one and opens the new one', async () => {
    const shop = await load('shop');
    const db = np(shop, 'backend', 'db-allow-api');
    const r = diff(shop, [{ type: 'netpol', policy: { ...db, ingress: [{ ...db.ingress[0]!, ports: [{ protocol: 'TCP', port: 5433 }] }] } }]);
    // backend/api's egress allows every port in backend, so only the ingress side decides.
    expect(rows(r)).toEqual(['backend/api -> backend/db TCP/5432 blocked x1', 'backend/api -> backend/db TCP/5433 allowed x1']);
  });

  it('an identical manifest is no change, and changes nothing', async () => {
    const shop = await load('shop');
    const r = diff(shop, policiesOf(shop));
    expect(r.changes).toEqual([]);
    expect(r.connectionsChanged).toBe(false);
  });

  it('admin tier: deleting the priority-30 Deny changes nothing where NetworkPolicy also isolates the db', async () => {
    const tiers = await load('admin-tiers');
    const r = diff(tiers, [], [{ kind: 'AdminNetworkPolicy', name: 'deny-sensitive' }]);
    expect(r.changes.map((c) => `${c.change} ${c.key.kind} ${c.key.name}`)).toEqual(['deleted AdminNetworkPolicy deny-sensitive']);
    expect(rows(r)).toEqual([]);
  });

  it('admin tier: turning that Deny into an Allow overrides NetworkPolicy and opens the db to ci/runner', async () => {
    const tiers = await load('admin-tiers');
    const anp = admin(tiers, 'deny-sensitive');
    const r = diff(tiers, [{ type: 'admin', policy: { ...anp, ingress: anp.ingress.map((x) => ({ ...x, action: 'Allow' as const, actionName: 'Allow' })) } }]);
    expect(rows(r).filter((x) => x.startsWith('ci/runner -> tenant-a/payments-db ')).length).toBeGreaterThan(0);
    expect(rows(r).every((x) => x.includes('allowed'))).toBe(true);
  });

  it('admin tier: a baseline Allow placed first opens tenant-b -> tenant-a/web', async () => {
    const tiers = await load('admin-tiers');
    const banp = admin(tiers, 'default');
    const allow: AdminPolicy = { ...banp, ingress: [{ action: 'Allow', actionName: 'Allow', peers: [{ kind: 'namespaces', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-b' } } }], ports: [{ kind: 'number', protocol: 'TCP', port: 8080 }] }, ...banp.ingress] };
    const r = diff(tiers, [{ type: 'admin', policy: allow }]);
    expect(r.changes.map((c) => c.change)).toEqual(['changed']);
    expect(rows(r)).toContain('tenant-b/client -> tenant-a/web TCP/8080 allowed x1');
    expect(rows(r).every((x) => x.includes('TCP/8080 allowed'))).toBe(true);
  });

  it('a policy change that alters no connection is listed but exits as unchanged', async () => {
    const { state } = loadManifestTexts([{ file: 'x.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: n, labels: {app: a}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.0.0.1}\n' }]);
    const p: NetworkPolicy = { namespace: 'n', name: 'none', podSelector: { matchLabels: { app: 'zzz' } }, policyTypes: ['Ingress'], policyTypesInferred: false, ingress: [], egress: [] };
    const r = diff(state, [{ type: 'netpol', policy: p }]);
    expect(r.changes).toHaveLength(1);
    expect(r.connectionsChanged).toBe(false);
  });
});

describe('diff property: equals brute force over every pod pair and port', () => {
  // Random worlds (the engine property generators); the change deletes some policies and edits others.
  const changeArb = fc.record({ drop: fc.array(fc.boolean(), { maxLength: 9 }), edit: fc.array(fc.nat(3), { maxLength: 9 }) });
  it('every connection that changes is reported, with the right pod-pair count, and nothing else', () => {
    fc.assert(
      fc.property(scenarioArb, changeArb, (s, ch) => {
        const { state } = build(s);
        const all = policiesOf(state);
        const deletes: PolicyKey[] = [];
        const upserts: AnyPolicy[] = [];
        all.forEach((p, i) => {
          if (ch.drop[i]) deletes.push(p.type === 'netpol' ? { kind: 'NetworkPolicy', namespace: p.policy.namespace, name: p.policy.name } : { kind: p.policy.kind, name: p.policy.name });
          else if (ch.edit[i] !== undefined) upserts.push(edit(p, ch.edit[i]!));
        });
        const applied = applyPolicyChanges(state, upserts, deletes);
        const r = diffStates(state, applied.after, applied.changes);
        const ports = samplePorts([state, applied.after]);
        expect(reportedChanges(r.groups, ports)).toEqual(bruteChanges(state, applied.after, ports));
      }),
      params(60),
    );
  });
});

/** A small edit: drop the last rule, add an allow-all rule, flip the first admin action, or switch policyTypes. */
function edit(p: AnyPolicy, how: number): AnyPolicy {
  if (p.type === 'netpol') {
    const q = p.policy;
    if (how === 0) return { type: 'netpol', policy: { ...q, ingress: q.ingress.slice(0, -1) } };
    if (how === 1) return { type: 'netpol', policy: { ...q, ingress: [...q.ingress, {}] } };
    if (how === 2) return { type: 'netpol', policy: { ...q, egress: [...q.egress, { ports: [{ protocol: 'TCP', port: 80 }] }], policyTypes: ['Ingress', 'Egress'] } };
    return { type: 'netpol', policy: { ...q, policyTypes: q.policyTypes.includes('Egress') ? ['Ingress'] : ['Ingress', 'Egress'] } };
  }
  const q = p.policy;
  const flip = (rules: typeof q.ingress) => rules.map((r, i) => (i === 0 ? { ...r, action: r.action === 'Deny' ? ('Allow' as const) : ('Deny' as const), actionName: r.action === 'Deny' ? 'Allow' : 'Deny' } : r));
  if (how % 2 === 0) return { type: 'admin', policy: { ...q, ingress: flip(q.ingress), egress: flip(q.egress) } };
  return { type: 'admin', policy: { ...q, ingress: q.ingress.slice(1) } };
}
