// A cluster for reference resolution (resolve.ts) and explain.ts: workloads, template pods, Services with
// EndpointSlices (ready and not ready), named targetPorts, a selector-only Service, nodes.
import { cluster, cport, netpol, np, node, ns, pod, rule, sel, slice, sport, svc, withPolicies } from './builders.js';

const api = (n: number, port: number, ready = true) =>
  [pod(`backend/api-${n}`, { app: 'api' }, { ips: [`10.0.2.3${n}`], ports: [cport(port, 'http')], workload: { kind: 'Deployment', name: 'api' } }), ready] as const;
const apis = [api(1, 8080), api(2, 8081), api(3, 8080, false)];

export const RESOLVE_WORLD = cluster({
  namespaces: [ns('frontend', { team: 'web' }), ns('backend', { team: 'data' }), ns('empty')],
  pods: [
    pod('frontend/web', { app: 'web' }, { ips: ['10.0.1.10'], ports: [cport(8080, 'http')] }),
    ...apis.map(([p]) => p),
    // Ready backend of svc/api that does not declare the named targetPort.
    pod('backend/api-odd', { app: 'api' }, { ips: ['10.0.2.39'], ports: [cport(8080, 'web')], workload: { kind: 'Deployment', name: 'api' } }),
    pod('backend/worker', { app: 'worker' }, { template: true, workload: { kind: 'Deployment', name: 'worker' }, ports: [cport(7000, 'jobs')] }),
    pod('backend/db-0', { app: 'db' }, { ips: ['10.0.2.20'], ports: [cport(5432, 'postgres'), cport(53, 'dns', 'UDP')], workload: { kind: 'StatefulSet', name: 'db' } }),
    pod('backend/legacy', { app: 'legacy' }, { ips: ['10.0.2.40'], ports: [cport(80, 'web')] }),
    pod('kube-system/agent', { app: 'agent' }, { ips: ['192.168.0.11'], hostNetwork: true, nodeName: 'n1' }),
  ],
  nodes: [node('n1', { role: 'worker' }, ['192.168.0.11', 'fd00:ff::11']), node('n2', {}, ['192.168.0.12'])],
  services: [
    svc('backend/api', [sport(80, 'http', 'web')], { selector: { app: 'api' }, clusterIPs: ['10.96.0.10'] }),
    svc('backend/legacy-svc', [sport(8000, 80)], { selector: { app: 'legacy' }, clusterIPs: ['10.96.0.11'] }),
    svc('backend/db', [sport(5432, 'postgres', 'pg'), sport(53, 'dns', 'dns', 'UDP')], { selector: { app: 'db' }, clusterIPs: ['10.96.0.12'] }),
    svc('backend/down', [sport(80)], { selector: { app: 'nothing' } }),
    svc('backend/manual', [sport(80, 8080)]),
  ],
  endpointSlices: [
    slice('backend/api', [...apis.map(([p, ready]) => [`${p.namespace}/${p.name}`, ready] as const), ['backend/api-odd', true]]),
    // An endpoint without targetRef, found by its address.
    slice('backend/db', [['10.0.2.20', true]]),
    slice('backend/down', [['backend/legacy', false]]),
  ],
});

/** db-0 accepts TCP 5432 from anywhere and nothing else. */
export const PG_ONLY = withPolicies(RESOLVE_WORLD, netpol('backend/pg-only', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress'], ingress: [rule(undefined, [np(5432)])] }));

/** db-0: TCP by name 'postgres' (5432) and UDP 53-60. */
export const NAMED_AND_RANGE = withPolicies(
  RESOLVE_WORLD,
  netpol('backend/mixed', { podSelector: sel({ app: 'db' }), policyTypes: ['Ingress'], ingress: [rule(undefined, [np('postgres'), np(53, 'UDP', 60)])] }),
);
