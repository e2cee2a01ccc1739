// Endpoint references (resolve.ts) and explain.ts: every reference form users type, the errors they get
// (with hints), named --port resolution, and per-port-range answers when no port is given.
import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { explain, type ExplainRequest } from '../../src/engine/explain.js';
import { checkFlows } from '../../src/engine/check.js';
import { Reason } from '../../src/engine/reasons.js';
import { resolveReference, ResolveError, type Resolved } from '../../src/engine/resolve.js';
import type { Protocol } from '../../src/engine/model.js';
import { netpol, np, rule, sel, withPolicies } from './builders.js';
import { NAMED_AND_RANGE, PG_ONLY, RESOLVE_WORLD } from './resolve-explain-cases.js';

const idx = new ClusterIndex(RESOLVE_WORLD);

/** A compact view of a resolution: what the user would read back. */
function view(r: Resolved) {
  return {
    kind: r.kind,
    targets: r.targets.map((t) => ({
      label: t.label,
      endpoint: t.endpoint.kind === 'pod' ? `pod:${t.endpoint.pod.namespace}/${t.endpoint.pod.name}` : `ip:${t.endpoint.ip}${t.endpoint.node ? `@${t.endpoint.node.name}` : ''}`,
      ...(t.port !== undefined ? { port: t.port } : {}),
      ...(t.protocol !== undefined ? { protocol: t.protocol } : {}),
      ...(t.via !== undefined ? { via: t.via } : {}),
    })),
  };
}

const podT = (ref: string) => ({ label: ref, endpoint: `pod:${ref}` });
const svcT = (ref: string, port: number, via: string, protocol: Protocol = 'TCP') => ({ ...podT(ref), port, protocol, via });

interface ResolveCase {
  readonly name: string;
  readonly ref: string;
  readonly ns: string;
  readonly want: ReturnType<typeof view>;
  readonly note?: RegExp;
}

const resolveCases: ResolveCase[] = [
  { name: 'NAMESPACE/POD', ref: 'frontend/web', ns: 'backend', want: { kind: 'pod', targets: [podT('frontend/web')] } },
  { name: 'POD in the default namespace', ref: 'web', ns: 'frontend', want: { kind: 'pod', targets: [podT('frontend/web')] } },
  { name: 'pod/NAME in the default namespace', ref: 'pod/web', ns: 'frontend', want: { kind: 'pod', targets: [podT('frontend/web')] } },
  { name: 'NAMESPACE/po/NAME', ref: 'frontend/po/web', ns: 'backend', want: { kind: 'pod', targets: [podT('frontend/web')] } },
  { name: 'surrounding whitespace is ignored', ref: '  frontend/web ', ns: 'backend', want: { kind: 'pod', targets: [podT('frontend/web')] } },
  {
    name: 'NAMESPACE/deploy/NAME: every pod of the workload',
    ref: 'backend/deploy/api', ns: 'frontend',
    want: { kind: 'workload', targets: [podT('backend/api-1'), podT('backend/api-2'), podT('backend/api-3'), podT('backend/api-odd')] },
  },
  { name: 'deployment/NAME in the default namespace', ref: 'deployment/api', ns: 'backend', want: { kind: 'workload', targets: [podT('backend/api-1'), podT('backend/api-2'), podT('backend/api-3'), podT('backend/api-odd')] } },
  { name: 'deploy with only a pod template', ref: 'deploy/worker', ns: 'backend', want: { kind: 'workload', targets: [{ label: 'backend/deploy/worker', endpoint: 'pod:backend/worker' }] }, note: /no running pods/ },
  { name: 'sts/NAME', ref: 'backend/sts/db', ns: 'frontend', want: { kind: 'workload', targets: [podT('backend/db-0')] } },
  {
    name: 'svc/NAME:PORTNAME: ready backends, named targetPort per pod',
    ref: 'backend/svc/api:web', ns: 'frontend',
    want: { kind: 'service', targets: [svcT('backend/api-1', 8080, 'svc/api:80'), svcT('backend/api-2', 8081, 'svc/api:80')] },
    note: /service port 80\/TCP -> targetPort http/,
  },
  { name: 'svc/NAME:PORTNUMBER', ref: 'backend/svc/api:80', ns: 'frontend', want: { kind: 'service', targets: [svcT('backend/api-1', 8080, 'svc/api:80'), svcT('backend/api-2', 8081, 'svc/api:80')] } },
  { name: 'svc/NAME with a single port implies it', ref: 'svc/api', ns: 'backend', want: { kind: 'service', targets: [svcT('backend/api-1', 8080, 'svc/api:80'), svcT('backend/api-2', 8081, 'svc/api:80')] } },
  {
    name: 'svc: a ready backend without the named targetPort is skipped (and said so)',
    ref: 'backend/svc/api:web', ns: 'frontend',
    want: { kind: 'service', targets: [svcT('backend/api-1', 8080, 'svc/api:80'), svcT('backend/api-2', 8081, 'svc/api:80')] },
    note: /backend\/api-odd declares no TCP port named "http": skipped/,
  },
  { name: 'svc: UDP service port, endpoint found by address', ref: 'backend/svc/db:dns', ns: 'frontend', want: { kind: 'service', targets: [svcT('backend/db-0', 53, 'svc/db:53', 'UDP')] } },
  { name: 'svc with several ports and no :PORT: backends without a port', ref: 'backend/svc/db', ns: 'frontend', want: { kind: 'service', targets: [podT('backend/db-0')] } },
  {
    name: 'svc without EndpointSlices: backends by selector, numeric targetPort',
    ref: 'backend/svc/legacy-svc', ns: 'frontend',
    want: { kind: 'service', targets: [svcT('backend/legacy', 80, 'svc/legacy-svc:8000')] },
    note: /no EndpointSlices for backend\/legacy-svc/,
  },
  { name: 'IP of a pod', ref: '10.0.2.31', ns: 'frontend', want: { kind: 'pod', targets: [podT('backend/api-1')] }, note: /10\.0\.2\.31 is the IP of pod backend\/api-1/ },
  { name: 'IP of a node (also a hostNetwork pod IP): the node', ref: '192.168.0.11', ns: 'frontend', want: { kind: 'node', targets: [{ label: 'node/n1 (192.168.0.11)', endpoint: 'ip:192.168.0.11@n1' }] }, note: /address of node n1/ },
  { name: 'IPv6 node address in another spelling', ref: 'fd00:ff:0:0::11', ns: 'frontend', want: { kind: 'node', targets: [{ label: 'node/n1 (fd00:ff:0:0::11)', endpoint: 'ip:fd00:ff:0:0::11@n1' }] } },
  { name: 'external IP', ref: '203.0.113.5', ns: 'frontend', want: { kind: 'ip', targets: [{ label: '203.0.113.5', endpoint: 'ip:203.0.113.5' }] } },
  { name: 'node/NAME: its first address', ref: 'node/n1', ns: 'frontend', want: { kind: 'node', targets: [{ label: 'node/n1 (192.168.0.11)', endpoint: 'ip:192.168.0.11@n1' }] } },
];

interface ErrorCase {
  readonly name: string;
  readonly ref: string;
  readonly ns: string;
  readonly message: RegExp;
  readonly hint?: RegExp;
}

const errorCases: ErrorCase[] = [
  { name: 'ClusterIP: policies see backends, not the ClusterIP', ref: '10.96.0.10', ns: 'frontend', message: /ClusterIP of service backend\/api/, hint: /^use backend\/svc\/api$/ },
  { name: 'IPv4 CIDR', ref: '10.0.0.0/24', ns: 'frontend', message: /is a CIDR/, hint: /one address/ },
  { name: 'IPv6 CIDR', ref: 'fd00::/64', ns: 'frontend', message: /is a CIDR/ },
  { name: 'unknown pod: hint lists the pods of the namespace', ref: 'backend/nope', ns: 'frontend', message: /pod backend\/nope not found/, hint: /pods in namespace backend: api-1, api-2, api-3, api-odd, worker, db-0, legacy/ },
  { name: 'unknown pod in the default namespace', ref: 'nope', ns: 'frontend', message: /pod frontend\/nope not found/, hint: /pods in namespace frontend: web/ },
  { name: 'unknown pod in a namespace without pods', ref: 'empty/x', ns: 'frontend', message: /not found/, hint: /namespace empty has no pods/ },
  { name: 'unknown pod in an unknown namespace', ref: 'ghost/x', ns: 'frontend', message: /not found/, hint: /namespace ghost is not in the input/ },
  { name: 'unknown deployment: hint lists deployments', ref: 'backend/deploy/nope', ns: 'frontend', message: /Deployment backend\/nope not found/, hint: /Deployments in backend: api, worker/ },
  { name: 'unknown service: hint lists services', ref: 'backend/svc/nope', ns: 'frontend', message: /service backend\/nope not found/, hint: /services in backend: api, legacy-svc, db, down, manual/ },
  { name: 'unknown service port: hint lists ports', ref: 'backend/svc/db:https', ns: 'frontend', message: /has no port https/, hint: /pg=5432\/TCP, dns=53\/UDP/ },
  { name: 'service whose EndpointSlices have no ready endpoint', ref: 'backend/svc/down', ns: 'frontend', message: /no ready backend pods/ },
  { name: 'service without selector or EndpointSlices', ref: 'backend/svc/manual', ns: 'frontend', message: /no ready backend pods/ },
  { name: 'unknown node: hint lists nodes', ref: 'node/n9', ns: 'frontend', message: /node n9 not found/, hint: /nodes: n1, n2/ },
  { name: 'unknown kind', ref: 'backend/widget/x', ns: 'frontend', message: /unknown kind "widget"/ },
  { name: 'empty reference', ref: ' ', ns: 'frontend', message: /empty/ },
  { name: 'too many parts', ref: 'a/b/c/d', ns: 'frontend', message: /cannot read/ },
];

describe('resolveReference', () => {
  it.each(resolveCases)('$name ($ref)', ({ ref, ns, want, note }) => {
    const r = resolveReference(ref, ns, idx);
    expect(view(r)).toEqual(want);
    if (note) expect(r.notes.join('\n')).toMatch(note);
  });

  it.each(errorCases)('error: $name ($ref)', ({ ref, ns, message, hint }) => {
    let err: unknown;
    try {
      resolveReference(ref, ns, idx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResolveError);
    expect((err as ResolveError).message).toMatch(message);
    if (hint) expect((err as ResolveError).hint).toMatch(hint);
  });

  it('a template pod resolves with no IP (ipBlock rules cannot match it)', () => {
    const t = resolveReference('backend/deploy/worker', 'x', idx).targets[0]!;
    expect(t.endpoint.kind === 'pod' && t.endpoint.pod.template && t.endpoint.pod.ips).toEqual([]);
  });
});

// ---------------------------------------------------------------- explain

const run = (req: Partial<ExplainRequest> & Pick<ExplainRequest, 'from' | 'to'>, state = RESOLVE_WORLD) => explain({ namespace: 'frontend', ...req }, new ClusterIndex(state));
const ranges = (r: ReturnType<typeof run>) => r.pairs[0]!.ranges!.map((x) => `${x.protocol} ${x.start}-${x.end} ${x.allowed ? 'allow' : 'deny'}`);

describe('explain: --port', () => {
  it.each([
    { name: 'named port resolves on the destination pod', to: 'backend/legacy', port: 'web', protocol: undefined, want: 80 },
    { name: 'named UDP port with --protocol UDP', to: 'backend/db-0', port: 'dns', protocol: 'UDP' as const, want: 53 },
    { name: 'named TCP port', to: 'backend/db-0', port: 'postgres', protocol: undefined, want: 5432 },
    { name: 'numeric port passes through', to: 'backend/db-0', port: 6000, protocol: undefined, want: 6000 },
  ])('$name', ({ to, port, protocol, want }) => {
    const r = run({ from: 'web', to, port, ...(protocol ? { protocol } : {}) });
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]!.verdict!.query).toMatchObject({ port: want, protocol: protocol ?? 'TCP' });
    expect(r.port).toBe(port);
  });

  it.each([
    { name: 'name declared for another protocol', to: 'backend/db-0', port: 'dns', protocol: undefined, message: /port name "dns" is not declared with protocol TCP by backend\/db-0/, hint: /declared ports: postgres=5432\/TCP, dns=53\/UDP/ },
    { name: 'name not declared', to: 'backend/legacy', port: 'http', protocol: undefined, message: /port name "http" is not declared/, hint: /declared ports: web=80\/TCP/ },
    { name: 'named port towards an IP', to: '203.0.113.5', port: 'http', protocol: undefined, message: /not declared/, hint: /give a port number/ },
  ])('error: $name', ({ to, port, protocol, message, hint }) => {
    let err: unknown;
    try {
      run({ from: 'web', to, port, ...(protocol ? { protocol } : {}) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResolveError);
    expect((err as ResolveError).message).toMatch(message);
    expect((err as ResolveError).hint).toMatch(hint);
  });

  it('service destination: one pair per ready backend, at its own targetPort, via the service port', () => {
    const r = run({ from: 'web', to: 'backend/svc/api:web' });
    expect(r.pairs.map((p) => [p.to, p.via, p.verdict?.query.port])).toEqual([
      ['backend/api-1', 'svc/api:80', 8080],
      ['backend/api-2', 'svc/api:80', 8081],
    ]);
    expect(r.allowed).toBe(true);
  });

  it('service destination with --port: the port selects the SERVICE port, translated per backend', () => {
    const r = run({ from: 'web', to: 'backend/svc/api', port: 80 });
    expect(r.pairs.map((p) => [p.to, p.via, p.verdict?.query.port])).toEqual([
      ['backend/api-1', 'svc/api:80', 8080],
      ['backend/api-2', 'svc/api:80', 8081],
    ]);
  });

  it.each([
    [{ port: 9999 }, /service backend\/api has no port 9999/],
    [{ port: 80, protocol: 'UDP' as const }, /service backend\/api has no port 80\/UDP|has no UDP port/],
    [{ protocol: 'UDP' as const }, /service backend\/api has no UDP port/],
  ])('service destination: a port or protocol the service does not expose is an error, never ignored (%o)', (req, message) => {
    expect(() => run({ from: 'web', to: 'backend/svc/api', ...req })).toThrow(message);
  });

  it.each(['10.0.0.256', '[fd00::1]', 'fd00::zz'])('%s is reported as an invalid IP address, not a missing pod', (ref) => {
    expect(() => run({ from: ref, to: 'backend/db-0', port: 5432 })).toThrow(/is not a valid IP address/);
  });

  it('KIND.GROUP/NAME as kubectl prints it (deployment.apps/api)', () => {
    expect(run({ from: 'backend/deployment.apps/api', to: 'backend/db-0', port: 5432 }).pairs.map((p) => p.from)).toContain('backend/api-1');
  });

  it('check asks exactly what explain asks: a UDP service port is checked over UDP without protocol: in the flow', () => {
    const idx = new ClusterIndex(RESOLVE_WORLD);
    const viaExplain = run({ from: 'web', to: 'backend/svc/db', port: 'dns' });
    const [viaCheck] = checkFlows([{ from: 'web', to: 'backend/svc/db', port: 'dns', expect: 'allowed' }], 'frontend', idx);
    expect(viaExplain.pairs[0]!.verdict!.query.protocol).toBe('UDP');
    expect(viaCheck).toMatchObject({ protocol: 'UDP', allowed: viaExplain.allowed });
  });

  it('service port given twice and differently is an error', () => {
    expect(() => run({ from: 'web', to: 'backend/svc/api:80', port: 81 })).toThrow(/names service port 80 but --port asks for 81/);
  });

  it('workload source: one pair per pod; allowed only when every pair is', () => {
    const state = withPolicies(PG_ONLY, netpol('backend/api-1-out', { podSelector: sel({ app: 'api' }), policyTypes: ['Egress'] }));
    const r = run({ from: 'backend/deploy/api', to: 'backend/db-0', port: 5432 }, state);
    expect(r.pairs.map((p) => [p.from, p.verdict!.allowed, p.verdict!.reason])).toEqual([
      ['backend/api-1', false, Reason.isolatedNoRuleMatched],
      ['backend/api-2', false, Reason.isolatedNoRuleMatched],
      ['backend/api-3', false, Reason.isolatedNoRuleMatched],
      ['backend/api-odd', false, Reason.isolatedNoRuleMatched],
    ]);
    expect(r.allowed).toBe(false);
  });
});

describe('explain: no --port => allowed port ranges', () => {
  it('policy allowing TCP 5432 only', () => {
    const r = run({ from: 'web', to: 'backend/db-0' }, PG_ONLY);
    expect(ranges(r)).toEqual(['TCP 1-5431 deny', 'TCP 5432-5432 allow', 'TCP 5433-65535 deny', 'UDP 1-65535 deny', 'SCTP 1-65535 deny']);
    expect(r.allowed).toBe(true);
    const denied = r.pairs[0]!.ranges!.filter((x) => !x.allowed);
    for (const d of denied) expect(d.verdict.reason).toBe(Reason.isolatedNoRuleMatched);
    expect(r.pairs[0]!.ranges![1]!.verdict.reason).toBe(Reason.ingressRuleMatched);
  });

  it('--protocol limits the protocols', () => {
    expect(ranges(run({ from: 'web', to: 'backend/db-0', protocol: 'UDP' }, PG_ONLY))).toEqual(['UDP 1-65535 deny']);
  });

  it('named port and endPort range', () => {
    expect(ranges(run({ from: 'web', to: 'backend/db-0' }, NAMED_AND_RANGE))).toEqual([
      'TCP 1-5431 deny',
      'TCP 5432-5432 allow',
      'TCP 5433-65535 deny',
      'UDP 1-52 deny',
      'UDP 53-60 allow',
      'UDP 61-65535 deny',
      'SCTP 1-65535 deny',
    ]);
  });

  it('no policies: everything allowed, one range per protocol', () => {
    const r = run({ from: 'web', to: 'backend/db-0' });
    expect(ranges(r)).toEqual(['TCP 1-65535 allow', 'UDP 1-65535 allow', 'SCTP 1-65535 allow']);
  });

  it('egress policy of the source shapes the ranges too', () => {
    const state = withPolicies(RESOLVE_WORLD, netpol('frontend/out', { podSelector: sel({ app: 'web' }), policyTypes: ['Egress'], egress: [rule(undefined, [np(443), np(8000, 'TCP', 8999)])] }));
    expect(ranges(run({ from: 'web', to: '203.0.113.5', protocol: 'TCP' }, state))).toEqual(['TCP 1-442 deny', 'TCP 443-443 allow', 'TCP 444-7999 deny', 'TCP 8000-8999 allow', 'TCP 9000-65535 deny']);
  });

  it('everything denied => not allowed', () => {
    const state = withPolicies(RESOLVE_WORLD, netpol('backend/deny', { podSelector: sel(), policyTypes: ['Ingress'] }));
    const r = run({ from: 'web', to: 'backend/db-0' }, state);
    expect(ranges(r)).toEqual(['TCP 1-65535 deny', 'UDP 1-65535 deny', 'SCTP 1-65535 deny']);
    expect(r.allowed).toBe(false);
  });
});
