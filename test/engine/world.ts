// The small cluster most engine case tables run against, and the verdict-case shape they share.
//
//   namespace    labels                 pods (IP; container ports)
//   frontend     team=web, env=prod     web   app=web,tier=frontend  10.0.1.10   http=8080/TCP
//                                       admin app=admin              10.0.1.11
//   backend      team=data, env=prod    db    app=db                 10.0.2.20   postgres=5432/TCP metrics=9090/TCP dns=53/UDP
//                                       api   app=api,tier=backend   10.0.2.21   http=9000/TCP
//                                       web   app=web,tier=frontend  10.0.2.23   (same labels as frontend/web)
//                                       dual  app=dual               10.0.2.30, fd00:2::30
//                                       batch app=batch (template of Deployment batch, no IP)  http=8080/TCP
//   dev          env=dev                tester app=tester            10.0.3.30
//   plain        (none)                 box    app=box               10.0.4.40
//   kube-system  (none)                 agent  app=agent  hostNetwork on n1 (192.168.0.11)
//   ghost        NOT in the input       orphan app=orphan            10.0.9.9
//   nodes: n1 role=worker 192.168.0.11, n2 role=control-plane 192.168.0.12
//   outside: 203.0.113.5, 8.8.8.8, fd00:1::/48 addresses, 2001:db8::1
import { expect } from 'vitest';
import type { ClusterState, Protocol } from '../../src/engine/model.js';
import type { ReasonId } from '../../src/engine/reasons.js';
import type { Verdict } from '../../src/engine/trace.js';
import { check, cluster, cport, node, ns, pod, traceReasons } from './builders.js';

export const WORLD: ClusterState = cluster({
  namespaces: [ns('frontend', { team: 'web', env: 'prod' }), ns('backend', { team: 'data', env: 'prod' }), ns('dev', { env: 'dev' }), ns('plain'), ns('kube-system')],
  pods: [
    pod('frontend/web', { app: 'web', tier: 'frontend' }, { ips: ['10.0.1.10'], ports: [cport(8080, 'http')], nodeName: 'n1' }),
    pod('frontend/admin', { app: 'admin' }, { ips: ['10.0.1.11'], nodeName: 'n1' }),
    pod('backend/db', { app: 'db' }, { ips: ['10.0.2.20'], ports: [cport(5432, 'postgres'), cport(9090, 'metrics'), cport(53, 'dns', 'UDP')], nodeName: 'n2' }),
    pod('backend/api', { app: 'api', tier: 'backend' }, { ips: ['10.0.2.21'], ports: [cport(9000, 'http')], nodeName: 'n2' }),
    pod('backend/web', { app: 'web', tier: 'frontend' }, { ips: ['10.0.2.23'], nodeName: 'n2' }),
    pod('backend/dual', { app: 'dual' }, { ips: ['10.0.2.30', 'fd00:2::30'], nodeName: 'n2' }),
    pod('backend/batch', { app: 'batch' }, { ports: [cport(8080, 'http')], template: true, workload: { kind: 'Deployment', name: 'batch' } }),
    pod('dev/tester', { app: 'tester' }, { ips: ['10.0.3.30'], nodeName: 'n1' }),
    pod('plain/box', { app: 'box' }, { ips: ['10.0.4.40'], nodeName: 'n1' }),
    pod('kube-system/agent', { app: 'agent' }, { ips: ['192.168.0.11'], hostNetwork: true, nodeName: 'n1' }),
    pod('ghost/orphan', { app: 'orphan' }, { ips: ['10.0.9.9'], nodeName: 'n1' }),
  ],
  nodes: [node('n1', { role: 'worker' }, ['192.168.0.11']), node('n2', { role: 'control-plane' }, ['192.168.0.12'])],
});

/**
 * One row of a verdict table. `reason` is the verdict's reason; `egress`/`ingress` the direction reasons;
 * `has`/`lacks` are reason ids that must (not) appear anywhere in the trace; `verify` checks structure
 * (deciding rule, closest rule, resolved port, notes) where the reason ids alone do not say enough.
 */
export interface VerdictCase {
  readonly name: string;
  readonly state: ClusterState;
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol?: Protocol;
  readonly allowed: boolean;
  readonly reason: ReasonId;
  readonly egress?: ReasonId;
  readonly ingress?: ReasonId;
  readonly has?: readonly ReasonId[];
  readonly lacks?: readonly ReasonId[];
  readonly verify?: (v: Verdict) => void;
}

export function runCase(c: VerdictCase): Verdict {
  return check(c.state, c.from, c.to, c.port, c.protocol ?? 'TCP');
}

export function assertCase(c: VerdictCase): Verdict {
  const v = runCase(c);
  const seen = traceReasons(v);
  expect({ allowed: v.allowed, reason: v.reason }).toEqual({ allowed: c.allowed, reason: c.reason });
  if (c.egress !== undefined) expect(v.egress.reason, 'egress reason').toBe(c.egress);
  if (c.ingress !== undefined) expect(v.ingress.reason, 'ingress reason').toBe(c.ingress);
  for (const r of c.has ?? []) expect([...seen], `trace should contain ${r}`).toContain(r);
  for (const r of c.lacks ?? []) expect([...seen], `trace should not contain ${r}`).not.toContain(r);
  // The connection verdict is always the conjunction of the two sides.
  expect(v.allowed).toBe(v.egress.allowed && v.ingress.allowed);
  c.verify?.(v);
  return v;
}

/** `it.each` wants a title field; vitest formats `$name`. */
export const title = '$name';
