// Observed vs expected, per semantics point: which results MATCH, and which explanation each gets.
import { describe, expect, it } from 'vitest';

import type { CniReport } from '../../src/cni/detect.js';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import type { PodInfo } from '../../src/engine/model.js';
import { classify, type ExplanationId } from '../../src/probe/classify.js';
import { planProbes } from '../../src/probe/plan.js';
import { UNREACHABLE } from '../../src/probe/program.js';
import type { PlannedProbe, ProbeClass, ProbeObservation } from '../../src/probe/types.js';
import { cluster, cport, denyAll, netpol, ns, pod, rule, sel } from '../engine/builders.js';

const running = (p: PodInfo, ip: string, extra: Partial<PodInfo> = {}): PodInfo => ({ ...p, ips: [ip], phase: 'Running', ready: true, ...extra });
const idx = new ClusterIndex(
  cluster({
    namespaces: [ns('a')],
    pods: [
      running(pod('a/client', { app: 'client' }), '10.0.0.1'),
      running(pod('a/web', { app: 'web' }, { ports: [cport(80, 'http')] }), '10.0.0.2'),
      running(pod('a/locked', { app: 'locked' }, { ports: [cport(80)] }), '10.0.0.3'),
      running(pod('a/hostnet', { app: 'hostnet' }, { hostNetwork: true }), '192.168.0.10'),
      running(pod('a/meshed', { app: 'meshed' }), '10.0.0.5', { containers: ['app', 'linkerd-proxy'] }),
    ],
    networkPolicies: [denyAll('a', 'Ingress'), netpol('a/web-in', { podSelector: sel({ app: 'web' }), ingress: [rule([{ pod: sel({ app: 'client' }) }])] })],
  }),
);
const plan1 = (from: string, to: string, port = 80, protocol: 'TCP' | 'UDP' = 'TCP'): PlannedProbe => planProbes([{ from, to, ports: [port], protocol }], idx, { namespace: 'a', maxConnections: 10, onError: 'throw' }).probes[0]!;

const allowedTcp = plan1('a/client', 'a/web');
const deniedTcp = plan1('a/client', 'a/locked');
const cni = (enforces: CniReport['enforces']): CniReport => ({ enforces, confidence: 'high', plugins: enforces === 'yes' ? [{ name: 'kube-router', enforcesPolicy: true, evidence: [] }] : [{ name: 'flannel', enforcesPolicy: false, evidence: [] }], summary: `summary-${enforces}` });
const ob = (observed: ProbeClass, extra: Partial<ProbeObservation> = {}): ProbeObservation => ({ observed, latencyMs: 3, ...extra });
const ctx = { timeoutMs: 2000, compare: true };

describe('classify', () => {
  it.each<[string, PlannedProbe, ProbeObservation, CniReport | undefined, boolean | undefined, ExplanationId]>([
    ['allowed + connected', allowedTcp, ob('connected'), undefined, true, 'allowedConnected'],
    ['allowed + refused = path open, nothing listening', allowedTcp, ob('refused'), undefined, true, 'pathOpenNothingListening'],
    ['denied + timeout = a dropping plugin', deniedTcp, ob('timeout'), undefined, true, 'deniedDropped'],
    ['denied + refused = a rejecting plugin', deniedTcp, ob('refused'), undefined, true, 'deniedRejected'],
    ['denied + connected, plugin does not enforce', deniedTcp, ob('connected', { retried: true }), cni('no'), false, 'cniNotEnforcing'],
    ['denied + connected, enforcement unknown', deniedTcp, ob('connected', { retried: true }), cni('unknown'), false, 'policyNotEnforced'],
    ['denied + connected, plugin enforces', deniedTcp, ob('connected', { retried: true }), cni('yes'), false, 'policyNotProgrammed'],
    ['denied, connected first, dropped on the retry', deniedTcp, ob('timeout', { retried: true, firstAttempt: 'connected' }), cni('yes'), true, 'programmedOnRetry'],
    ['allowed + timeout', allowedTcp, ob('timeout', { retried: true }), cni('yes'), false, 'unexpectedDrop'],
    ['allowed UDP + timeout = no answer', plan1('a/client', 'a/web', 80, 'UDP'), ob('timeout'), undefined, false, 'udpNoAnswer'],
    ['allowed outside + timeout = NAT/outside', plan1('a/client', '203.0.113.5', 443), ob('timeout'), undefined, false, 'outsideNat'],
    ['denied + connected from a hostNetwork source', plan1('a/hostnet', 'a/locked'), ob('connected'), cni('yes'), false, 'hostNetworkSource'],
    ['denied + connected to a meshed pod', plan1('a/client', 'a/meshed'), ob('connected'), cni('yes'), false, 'meshSidecar'],
    ['allowed outside + unreachable', plan1('a/client', '203.0.113.5', 443), ob('refused', { detail: UNREACHABLE }), undefined, false, 'unreachable'],
    ['denied + unreachable', deniedTcp, ob('refused', { detail: UNREACHABLE }), undefined, true, 'unreachable'],
    ['a probe error is neither', allowedTcp, ob('probe-error', { detail: 'ErrImagePull' }), undefined, undefined, 'probeError'],
    ['not run is neither', { ...allowedTcp, notRun: 'because' }, ob('not-run'), undefined, undefined, 'notRun'],
  ])('%s', (_name, probe, observation, report, match, id) => {
    const out = classify(probe, observation, { ...ctx, ...(report ? { cni: report } : {}) });
    expect(out.explanationId).toBe(id);
    expect(out.match).toBe(match);
  });

  it('names the deciding policy and rule in the explanation', () => {
    expect(classify(allowedTcp, ob('connected'), ctx).explanation).toMatch(/NetworkPolicy a\/web-in ingress\[0\]/);
    expect(classify(deniedTcp, ob('timeout'), ctx).explanation).toMatch(/denied by the ingress side of a\/locked: NetworkPolicy a\/deny-ingress isolates the pod/);
  });

  it('puts the CNI detection summary into a not-enforcing mismatch', () => {
    expect(classify(deniedTcp, ob('connected'), { ...ctx, cni: cni('no') }).explanation).toContain('summary-no');
  });

  it('--observed-only reports without comparing', () => {
    const out = classify(deniedTcp, ob('connected'), { ...ctx, compare: false });
    expect(out.match).toBeUndefined();
    expect(out.explanationId).toBe('observedOnly');
  });

  it('DNS names have no model answer; a failure to resolve is named as such', () => {
    const dns = planProbes([{ from: 'a/client', to: 'dns:nope.example', ports: [80] }], idx, { namespace: 'a', maxConnections: 10, onError: 'throw' }).probes[0]!;
    const out = classify(dns, ob('dns-failure'), ctx);
    expect(out.explanationId).toBe('dnsFailure');
    expect(out.match).toBeUndefined();
  });
});
