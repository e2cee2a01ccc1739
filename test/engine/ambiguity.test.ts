// Same-priority admin policies that disagree: the API leaves their order undefined, so the verdict
// must say it is ambiguous (and check must not pass it), but only when the ambiguity can flip it.
import { describe, expect, it } from 'vitest';
import { checkFlows, ClusterIndex } from '../../src/engine/index.js';
import { anp, arule, check, nsPeer, sel, subjectNs, withPolicies } from './builders.js';
import { WORLD } from './world.js';

const toBackend = subjectNs(sel({ team: 'data' }));
const fromFrontend = [nsPeer(sel({ team: 'web' }))];
const allowP5 = anp('p5-allow', 5, toBackend, { ingress: [arule('Allow', fromFrontend)] });
const denyP5 = anp('p5-deny', 5, toBackend, { ingress: [arule('Deny', fromFrontend)] });
const denyP6 = anp('p6-deny', 6, toBackend, { ingress: [arule('Deny', fromFrontend)] });

describe('same-priority admin policies', () => {
  it('disagreeing at the same priority: ambiguous, with the rival named', () => {
    const v = check(withPolicies(WORLD, allowP5, denyP5), 'frontend/web', 'backend/db', 5432);
    expect(v.ambiguous).toBe(true);
    const tier = v.ingress.tiers.find((t) => t.tier === 'Admin')!;
    expect(tier.ambiguousWith?.map((p) => p.name)).toEqual(['p5-deny']);
    expect(v.notes.map((n) => n.id)).toContain('adminPriorityTie');
  });

  it('different priorities: not ambiguous', () => {
    expect(check(withPolicies(WORLD, allowP5, denyP6), 'frontend/web', 'backend/db', 5432).ambiguous).toBeUndefined();
  });

  it('ambiguous side does not matter when the other side denies anyway', () => {
    const egressDeny = anp('web-out', 1, subjectNs(sel({ team: 'web' })), { egress: [arule('Deny', [nsPeer(sel({ team: 'data' }))])] });
    expect(check(withPolicies(WORLD, allowP5, denyP5, egressDeny), 'frontend/web', 'backend/db', 5432).ambiguous).toBeUndefined();
  });

  it('check never passes an ambiguous flow', () => {
    const idx = new ClusterIndex(withPolicies(WORLD, allowP5, denyP5));
    const [r] = checkFlows([{ from: 'frontend/web', to: 'backend/db', port: 5432, expect: 'allowed' }], 'frontend', idx);
    expect(r).toMatchObject({ pass: false, ambiguous: true, reason: 'adminPriorityTie' });
  });
});
