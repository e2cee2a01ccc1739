// What a probe run will attempt, from the model: sources, destinations (Services: each backend and
// the ClusterIP), expectations, and every reason a path is not run.
import { describe, expect, it } from 'vitest';

import { ClusterIndex } from '../../src/engine/cluster-index.js';
import type { PodInfo } from '../../src/engine/model.js';
import { ResolveError } from '../../src/engine/resolve.js';
import { matrixRequests, PlanBoundError, planProbes, type PlanOptions } from '../../src/probe/plan.js';
import { MAX_PROBES_PER_CONTAINER } from '../../src/probe/program.js';
import { cluster, cport, denyAll, netpol, ns, node, pod, rule, sel, slice, sport, svc } from '../engine/builders.js';

const running = (p: PodInfo, ip: string, extra: Partial<PodInfo> = {}): PodInfo => ({ ...p, ips: [ip], phase: 'Running', ready: true, ...extra });
const web = (name: string, ip: string, ready = true) => running(pod(`shop/${name}`, { app: 'web' }, { ports: [cport(8080, 'http')], workload: { kind: 'Deployment', name: 'web' } }), ip, { ready });

const state = cluster({
  namespaces: [ns('shop'), ns('other')],
  nodes: [node('n1', {}, ['192.168.0.10'])],
  pods: [
    running(pod('shop/client', { app: 'client' }), '10.0.0.1', { serviceAccount: 'client-sa', containers: ['main', 'istio-proxy'] }),
    web('web-1', '10.0.0.2', false),
    web('web-2', '10.0.0.3'),
    running(pod('shop/db', { app: 'db' }, { ports: [cport(5432, 'postgres')] }), '10.0.0.4'),
    pod('shop/reports', { app: 'reports' }, { template: true, workload: { kind: 'Deployment', name: 'reports' } }),
    running(pod('other/x', { app: 'x' }), '10.0.1.1'),
  ],
  services: [svc('shop/web', [sport(80, 'http', 'http')], { selector: { app: 'web' }, clusterIPs: ['10.96.0.5'] })],
  endpointSlices: [slice('shop/web', [['10.0.0.2', true], ['10.0.0.3', true]])],
  networkPolicies: [denyAll('shop', 'Ingress'), netpol('shop/web-from-client', { podSelector: sel({ app: 'web' }), ingress: [rule([{ pod: sel({ app: 'client' }) }])] })],
});
const idx = new ClusterIndex(state);
const opts: PlanOptions = { namespace: 'shop', maxConnections: 100, onError: 'record' };

describe('planProbes', () => {
  it('probes a pod path with the model verdict and the source identity', () => {
    const { probes } = planProbes([{ from: 'shop/client', to: 'shop/db', ports: [5432] }], idx, opts);
    expect(probes).toHaveLength(1);
    const p = probes[0]!;
    expect(p).toMatchObject({ from: 'shop/client', to: 'shop/db', host: '10.0.0.4', port: 5432, protocol: 'TCP', allowed: false, kind: 'pod' });
    expect(p.source).toMatchObject({ namespace: 'shop', name: 'client', serviceAccount: 'client-sa', labels: { app: 'client' } });
    expect(p.dest.declaresPort).toBe(true);
    expect(p.dest.meshSidecars).toEqual(['istio-proxy']); // the source's sidecar intercepts its egress
    expect(p.notRun).toBeUndefined();
  });

  it('resolves a named port on the destination and keeps the name', () => {
    const { probes } = planProbes([{ from: 'shop/client', to: 'shop/db', ports: ['postgres'] }], idx, opts);
    expect(probes[0]).toMatchObject({ port: 5432, portName: 'postgres' });
  });

  it('probes a Service at each backend pod IP and at its ClusterIP', () => {
    const { probes } = planProbes([{ from: 'shop/client', to: 'svc/web', ports: [80] }], idx, opts);
    expect(probes.map((p) => [p.kind, p.host, p.port, p.allowed])).toEqual([
      ['pod', '10.0.0.2', 8080, true],
      ['pod', '10.0.0.3', 8080, true],
      ['clusterIP', '10.96.0.5', 80, true],
    ]);
    expect(probes[2]!.to).toBe('shop/svc/web:80 (ClusterIP 10.96.0.5)');
  });

  it('has no expectation for a ClusterIP whose backends disagree', () => {
    // web-2 is locked: the only allow rule skips it.
    const pods = state.pods.map((p) => (p.name === 'web-2' ? { ...p, labels: { app: 'web', tier: 'locked' } } : p));
    const m = cluster({ ...state, pods, networkPolicies: [denyAll('shop', 'Ingress'), netpol('shop/only-unlocked', { podSelector: sel({ app: 'web' }, { key: 'tier', operator: 'DoesNotExist' }), ingress: [rule([{ pod: sel({ app: 'client' }) }])] })] });
    const { probes } = planProbes([{ from: 'shop/client', to: 'svc/web', ports: [80] }], new ClusterIndex(m), opts);
    const vip = probes.find((p) => p.kind === 'clusterIP')!;
    expect(vip.allowed).toBeUndefined();
    expect(vip.dest.backendsAllowed).toEqual(['shop/web-1']);
    expect(vip.dest.backendsDenied).toEqual(['shop/web-2']);
  });

  it('probes from one ready pod of a workload, or from each with --all-pods', () => {
    const one = planProbes([{ from: 'deploy/web', to: 'shop/db', ports: [5432] }], idx, opts);
    expect(one.probes.map((p) => p.source?.name)).toEqual(['web-2']); // web-1 is not ready
    expect(one.notes.join('\n')).toMatch(/probing from shop\/web-2 \(ready\), one of 2 pods; --all-pods/);
    const all = planProbes([{ from: 'deploy/web', to: 'shop/db', ports: [5432] }], idx, { ...opts, allPods: true });
    expect(all.probes.map((p) => p.source?.name)).toEqual(['web-1', 'web-2']);
  });

  it('plans one probe per port', () => {
    const { probes } = planProbes([{ from: 'shop/client', to: 'shop/db', ports: [5432, 22, 'postgres'] }], idx, opts);
    expect(probes.map((p) => p.port)).toEqual([5432, 22, 5432]);
    expect(probes.map((p) => p.id)).toEqual([0, 1, 2]);
  });

  it.each([
    ['an outside source', { from: '203.0.113.9', to: 'shop/db', ports: [5432] }, /not a pod: a probe needs a pod's network identity/],
    ['a node source', { from: 'node/n1', to: 'shop/db', ports: [5432] }, /not a pod/],
    ['a template-only source', { from: 'deploy/reports', to: 'shop/db', ports: [5432] }, /no running pod \(only a pod template\)/],
    ['a template-only destination', { from: 'shop/client', to: 'deploy/reports', ports: [80] }, /not running with an IP \(a pod template\).*--serve/],
    ['a flow without a port', { from: 'shop/client', to: 'shop/db', ports: [] }, /no port given/],
    ['an unknown pod (flows file)', { from: 'shop/nope', to: 'shop/db', ports: [1] }, /pod shop\/nope not found/],
  ])('does not run %s, and says why', (_name, req, why) => {
    const { probes } = planProbes([req], idx, opts);
    expect(probes).toHaveLength(1);
    expect(probes[0]!.notRun).toMatch(why);
  });

  it('throws reference errors for a path given on the command line', () => {
    expect(() => planProbes([{ from: 'shop/nope', to: 'shop/db', ports: [1] }], idx, { ...opts, onError: 'throw' })).toThrow(ResolveError);
  });

  it('probes outside and node addresses as such', () => {
    const { probes } = planProbes(
      [
        { from: 'shop/client', to: '203.0.113.9', ports: [443] },
        { from: 'shop/client', to: 'node/n1', ports: [10250] },
      ],
      idx,
      opts,
    );
    expect(probes.map((p) => [p.kind, p.host])).toEqual([
      ['outside', '203.0.113.9'],
      ['node', '192.168.0.10'],
    ]);
  });

  it('probes a DNS name without a model expectation', () => {
    const { probes } = planProbes([{ from: 'shop/client', to: 'dns:web.shop.svc.cluster.local', ports: [80] }], idx, opts);
    expect(probes[0]).toMatchObject({ kind: 'dns', host: 'web.shop.svc.cluster.local', port: 80 });
    expect(probes[0]!.allowed).toBeUndefined();
    expect(() => planProbes([{ from: 'shop/client', to: 'dns:bad name', ports: [80] }], idx, opts)).toThrow(/not a DNS name/);
  });

  it('refuses a run above the connection bound, naming both numbers', () => {
    expect(() => planProbes([{ from: 'shop/client', to: 'svc/web', ports: [80] }], idx, { ...opts, maxConnections: 2 })).toThrow(new PlanBoundError(3, 2));
  });

  it('caps the connections of one source pod at what its termination message can hold', () => {
    const ports = Array.from({ length: MAX_PROBES_PER_CONTAINER + 2 }, (_, i) => i + 1);
    const { probes } = planProbes([{ from: 'shop/client', to: 'shop/db', ports }], idx, { ...opts, maxConnections: 1000 });
    expect(probes.filter((p) => p.notRun)).toHaveLength(2);
    expect(probes.at(-1)!.notRun).toMatch(/more than 150 connections from shop\/client/);
  });

  it('with --serve, stands a listener in for the destination, with its labels and the ports', () => {
    const plan = planProbes([{ from: 'shop/client', to: 'deploy/reports', ports: [8080, 9090] }], idx, { ...opts, serve: true });
    expect(plan.listeners).toEqual([{ key: 'shop/app=reports', namespace: 'shop', labels: { app: 'reports' }, standsFor: 'shop/deploy/reports', ports: [{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }] }]);
    expect(plan.probes.map((p) => [p.kind, p.host, p.notRun])).toEqual([
      ['listener', 'listener:shop/app=reports', undefined],
      ['listener', 'listener:shop/app=reports', undefined],
    ]);
  });
});

describe('matrixRequests', () => {
  it('pairs every running pod of one namespace with every running pod of the other, never itself', () => {
    const reqs = matrixRequests(idx, 'shop', 'shop', [80]);
    expect(reqs).toHaveLength(4 * 3);
    expect(reqs.some((r) => r.from === r.to)).toBe(false);
    expect(reqs.some((r) => r.from.includes('reports') || r.to.includes('reports'))).toBe(false);
    expect(matrixRequests(idx, 'shop', 'other', [80]).map((r) => r.to)).toEqual(['other/x', 'other/x', 'other/x', 'other/x']);
  });
});

describe('planProbes, self', () => {
  it('does not probe a pod to itself (never policed; a clone would not be the same pod)', () => {
    const { probes } = planProbes([{ from: 'shop/web-2', to: 'svc/web', ports: [80] }], idx, opts);
    expect(probes.map((p) => [p.to, p.notRun ?? 'run'])).toEqual([
      ['shop/web-1 (svc/web:80 backend)', 'run'],
      ['shop/web-2', expect.stringMatching(/to itself: traffic inside one pod is never policed/)],
      ['shop/svc/web:80 (ClusterIP 10.96.0.5)', 'run'],
    ]);
  });
});
