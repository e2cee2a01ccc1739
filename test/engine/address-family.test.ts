// A connection uses one address family: when the user names a dual-stack pod by one of its addresses,
// ipBlock rules see only that address (an IPv6-only ipBlock must not admit the pod's IPv4 traffic).
import { describe, expect, it } from 'vitest';
import { ClusterIndex, explain, Reason } from '../../src/engine/index.js';
import { netpol, rule, sel, withPolicies } from './builders.js';
import { WORLD } from './world.js';

const v6Only = withPolicies(WORLD, netpol('backend/db-v6', { podSelector: sel({ app: 'db' }), ingress: [rule([{ cidr: 'fd00:2::/64' }])] }));
const run = (from: string) => explain({ from, to: 'backend/db', port: 5432, namespace: 'backend' }, new ClusterIndex(v6Only));

describe('address family of a connection', () => {
  it('named by its IPv4 address, a dual-stack pod does not match an IPv6 ipBlock', () => {
    const v = run('10.0.2.30').pairs[0]!.verdict!;
    expect(v.allowed).toBe(false);
    expect(v.reason).toBe(Reason.isolatedNoRuleMatched);
  });

  it('named by its IPv6 address, it does', () => {
    expect(run('fd00:2::30').pairs[0]!.verdict!.allowed).toBe(true);
  });

  it('named as a pod (no address given), any of its addresses may carry the connection', () => {
    expect(run('backend/dual').pairs[0]!.verdict!.allowed).toBe(true);
  });
});
