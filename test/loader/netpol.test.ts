import { describe, expect, it } from 'vitest';
import { convertNetworkPolicy, inferPolicyTypes } from '../../src/convert/cluster-state.js';
import { expectError, ok, warnings, y } from './helpers.js';

const np = (spec: string, meta = 'name: web\n  namespace: prod') =>
  y(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  ${meta}\nspec:\n${spec}`);

const NAME = 'NetworkPolicy prod/web';

describe('NetworkPolicy policyTypes inference (SetDefaults_NetworkPolicy)', () => {
  it('omitted policyTypes and no egress: Ingress only, inferred', () => {
    const p = ok(convertNetworkPolicy(np('  podSelector: {}\n  ingress:\n  - {}\n')));
    expect(p.policyTypes).toEqual(['Ingress']);
    expect(p.policyTypesInferred).toBe(true);
  });

  it('omitted policyTypes with egress rules: Ingress and Egress', () => {
    const p = ok(convertNetworkPolicy(np('  podSelector: {}\n  egress:\n  - to:\n    - podSelector: {}\n')));
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.policyTypesInferred).toBe(true);
  });

  it('`egress: []` (present but empty) does NOT add Egress, and warns', () => {
    const res = convertNetworkPolicy(np('  podSelector: {}\n  egress: []\n'));
    const p = ok(res);
    expect(p.policyTypes).toEqual(['Ingress']);
    const w = warnings(res).find((x) => x.field === 'spec.egress');
    expect(w?.message).toContain(NAME);
    expect(w?.hint).toContain('policyTypes');
  });

  it('`policyTypes: []` is inferred like an omitted field', () => {
    const p = ok(convertNetworkPolicy(np('  podSelector: {}\n  policyTypes: []\n  egress:\n  - {}\n')));
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.policyTypesInferred).toBe(true);
  });

  it('explicit policyTypes are kept as given, not inferred', () => {
    const p = ok(convertNetworkPolicy(np('  podSelector: {}\n  policyTypes: [Egress]\n')));
    expect(p.policyTypes).toEqual(['Egress']);
    expect(p.policyTypesInferred).toBe(false);
    expect(p.ingress).toEqual([]);
    expect(p.egress).toEqual([]);
  });

  it('warns when rules are ignored because policyTypes leaves their direction out', () => {
    const res = convertNetworkPolicy(np('  podSelector: {}\n  policyTypes: [Ingress]\n  egress:\n  - {}\n'));
    expect(warnings(res).map((w) => w.field)).toContain('spec.egress');
  });

  it('inferPolicyTypes counts rules', () => {
    expect(inferPolicyTypes(0)).toEqual(['Ingress']);
    expect(inferPolicyTypes(2)).toEqual(['Ingress', 'Egress']);
  });

  it('rejects unknown and too many policy types', () => {
    expectError(convertNetworkPolicy(np('  podSelector: {}\n  policyTypes: [ingress]\n')), 'spec.policyTypes[0]', NAME, /unsupported policy type/);
    expectError(convertNetworkPolicy(np('  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n')), 'spec.policyTypes', NAME, /more than two/);
  });
});

describe('NetworkPolicy conversion', () => {
  it('maps selectors, peers and ports with TCP default', () => {
    const p = ok(
      convertNetworkPolicy(
        np(`  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: a}
      podSelector:
        matchExpressions:
        - {key: role, operator: In, values: [fe, be]}
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - port: 8080
    - port: http
      protocol: UDP
    - port: 9000
      endPort: 9100
  egress:
  - to:
    - ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}
`),
      ),
    );
    expect(p.namespace).toBe('prod');
    expect(p.name).toBe('web');
    expect(p.podSelector).toEqual({ matchLabels: { app: 'web' } });
    expect(p.ingress).toEqual([
      {
        peers: [
          {
            namespaceSelector: { matchLabels: { team: 'a' } },
            podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['fe', 'be'] }] },
          },
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
        ],
        ports: [
          { protocol: 'TCP', port: 8080 },
          { protocol: 'UDP', port: 'http' },
          { protocol: 'TCP', port: 9000, endPort: 9100 },
        ],
      },
    ]);
    expect(p.egress[0]?.peers?.[0]?.ipBlock).toEqual({ cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] });
    expect(p.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  it('absent podSelector and spec default to all pods; absent from/ports stay undefined (= all)', () => {
    const p = ok(convertNetworkPolicy(np('  ingress:\n  - {}\n')));
    expect(p.podSelector).toEqual({});
    expect(p.ingress).toEqual([{}]);
    const q = ok(convertNetworkPolicy(y('kind: NetworkPolicy\nmetadata: {name: deny}\n')));
    expect(q.namespace).toBe('default');
    expect(q.podSelector).toEqual({});
    expect(q.policyTypes).toEqual(['Ingress']);
  });

  it('uses the context default namespace for objects without one', () => {
    const p = ok(convertNetworkPolicy(y('kind: NetworkPolicy\nmetadata: {name: x}\n'), { defaultNamespace: 'team-a' }));
    expect(p.namespace).toBe('team-a');
  });

  it('records the source', () => {
    const p = ok(convertNetworkPolicy(np('  podSelector: {}\n'), { source: { file: 'a.yaml', documentIndex: 2, origin: 'file' } }));
    expect(p.source).toEqual({ file: 'a.yaml', documentIndex: 2, origin: 'file' });
  });

  it('normalises a CIDR with host bits set, with a warning', () => {
    const res = convertNetworkPolicy(np('  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.1/8}\n'));
    expect(ok(res).ingress[0]?.peers?.[0]?.ipBlock?.cidr).toBe('10.0.0.0/8');
    expect(warnings(res)[0]?.field).toBe('spec.ingress[0].from[0].ipBlock.cidr');
  });
});

describe('NetworkPolicy validation', () => {
  const rule = (peer: string) => np(`  ingress:\n  - from:\n    - podSelector: {}\n    - ${peer}\n`);

  it('invalid ipBlock cidr (IPv4 and IPv6)', () => {
    const p = expectError(convertNetworkPolicy(rule('ipBlock: {cidr: 10.0.0/8}')), 'spec.ingress[0].from[1].ipBlock.cidr', NAME, /not a valid CIDR/);
    expect(p.hint).toMatch(/10\.0\.0\.0\/8/);
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: "2001:db8::/129"}')), 'spec.ingress[0].from[1].ipBlock.cidr', NAME, /not a valid CIDR/);
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: 10.0.0.1}')), 'spec.ingress[0].from[1].ipBlock.cidr', NAME, /prefix/);
    expectError(convertNetworkPolicy(rule('ipBlock: {except: [10.0.0.0/8]}')), 'spec.ingress[0].from[1].ipBlock.cidr', NAME, /required/);
  });

  it('except must be a strict subset of cidr', () => {
    const field = 'spec.ingress[0].from[1].ipBlock.except[0]';
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}')), field, NAME, /strict subset/);
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/16]}')), field, NAME, /strict subset/);
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: 10.0.0.0/16, except: ["2001:db8::/64"]}')), field, NAME, /strict subset/);
    expectError(convertNetworkPolicy(rule('ipBlock: {cidr: "2001:db8::/32", except: ["2001:db9::/48"]}')), field, NAME, /strict subset/);
  });

  it('a peer with ipBlock and a selector is invalid; an empty peer is invalid', () => {
    const p = expectError(
      convertNetworkPolicy(rule('{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: {}}')),
      'spec.ingress[0].from[1]',
      NAME,
      /both ipBlock and another peer/,
    );
    expect(p.hint).toMatch(/two list items/);
    expectError(convertNetworkPolicy(rule('{}')), 'spec.ingress[0].from[1]', NAME, /must specify a peer/);
  });

  it('port range and protocol rules', () => {
    const port = (p: string) => np(`  egress:\n  - ports:\n    - ${p}\n`);
    const f = 'spec.egress[0].ports[0]';
    expectError(convertNetworkPolicy(port('{port: 70000}')), `${f}.port`, NAME, 'port must be 1-65535 or an IANA_SVC_NAME; got 70000');
    expectError(convertNetworkPolicy(port('{port: 0}')), `${f}.port`, NAME, /1-65535/);
    expectError(convertNetworkPolicy(port('{port: Http_Port}')), `${f}.port`, NAME, /IANA_SVC_NAME/);
    const quoted = expectError(convertNetworkPolicy(port('{port: "80"}')), `${f}.port`, NAME, /IANA_SVC_NAME/);
    expect(quoted.hint).toMatch(/without quotes/);
    expectError(convertNetworkPolicy(port('{port: 90, endPort: 80}')), `${f}.endPort`, NAME, /greater than or equal to port/);
    expectError(convertNetworkPolicy(port('{port: http, endPort: 80}')), `${f}.endPort`, NAME, /named port/);
    expectError(convertNetworkPolicy(port('{endPort: 80}')), `${f}.endPort`, NAME, /port is not specified/);
    expectError(convertNetworkPolicy(port('{port: 80, endPort: 70000}')), `${f}.endPort`, NAME, /1-65535/);
    const tcp = expectError(convertNetworkPolicy(port('{protocol: tcp, port: 80}')), `${f}.protocol`, NAME, /unsupported protocol/);
    expect(tcp.hint).toMatch(/use TCP/);
    expectError(convertNetworkPolicy(port('{protocol: ICMP}')), `${f}.protocol`, NAME, /unsupported protocol/);
  });

  it('selector operators and values', () => {
    const sel = (expr: string) => np(`  podSelector:\n    matchExpressions:\n    - ${expr}\n`);
    const f = 'spec.podSelector.matchExpressions[0]';
    expectError(convertNetworkPolicy(sel('{key: a, operator: In}')), `${f}.values`, NAME, /non-empty when operator is In/);
    expectError(convertNetworkPolicy(sel('{key: a, operator: NotIn, values: []}')), `${f}.values`, NAME, /non-empty/);
    expectError(convertNetworkPolicy(sel('{key: a, operator: Exists, values: [x]}')), `${f}.values`, NAME, /must be empty when operator is Exists/);
    expectError(convertNetworkPolicy(sel('{key: a, operator: DoesNotExist, values: [x]}')), `${f}.values`, NAME, /must be empty/);
    const ci = expectError(convertNetworkPolicy(sel('{key: a, operator: exists}')), `${f}.operator`, NAME, /unsupported operator/);
    expect(ci.hint).toMatch(/use Exists/);
    expectError(convertNetworkPolicy(sel('{key: a, operator: Equals, values: [x]}')), `${f}.operator`, NAME, /unsupported operator/);
    expectError(convertNetworkPolicy(sel('{operator: Exists}')), `${f}.key`, NAME, /required/);
    const ok2 = ok(convertNetworkPolicy(sel('{key: a, operator: Exists, values: []}')));
    expect(ok2.podSelector).toEqual({ matchExpressions: [{ key: 'a', operator: 'Exists' }] });
  });

  it('catches labels written directly under a selector (would otherwise select everything)', () => {
    const p = expectError(convertNetworkPolicy(np('  podSelector:\n    app: web\n')), 'spec.podSelector.app', NAME, /unknown field/);
    expect(p.hint).toMatch(/matchLabels/);
  });

  it('catches misplaced and misspelled fields', () => {
    expectError(convertNetworkPolicy(np('  ingress:\n  - to:\n    - podSelector: {}\n')), 'spec.ingress[0].to', NAME, /unknown field/);
    const p = expectError(convertNetworkPolicy(np('  ingress:\n  - from:\n    - ipblock: {cidr: 10.0.0.0/8}\n')), 'spec.ingress[0].from[0].ipblock', NAME);
    expect(p.hint).toMatch(/ipBlock/);
  });

  it('label values must be strings (quote numbers)', () => {
    const p = expectError(convertNetworkPolicy(np('  podSelector:\n    matchLabels: {version: 2}\n')), 'spec.podSelector.matchLabels.version', NAME, /must be a string/);
    expect(p.hint).toMatch(/"2"/);
  });

  it('invalid label keys and values in selectors', () => {
    expectError(convertNetworkPolicy(np('  podSelector:\n    matchLabels: {"a b": x}\n')), 'spec.podSelector.matchLabels.a b', NAME, /invalid label key/);
    expectError(convertNetworkPolicy(np('  podSelector:\n    matchLabels: {a: "-x"}\n')), 'spec.podSelector.matchLabels.a', NAME, /invalid label value/);
  });

  it('requires metadata.name', () => {
    const res = convertNetworkPolicy(y('kind: NetworkPolicy\nmetadata: {namespace: prod}\n'));
    expectError(res, 'metadata.name', 'NetworkPolicy prod/<unnamed>', /required/);
  });

  it('reports every problem of an object, not just the first', () => {
    const res = convertNetworkPolicy(rule('ipBlock: {cidr: bad}') as object);
    const res2 = convertNetworkPolicy(np('  ingress:\n  - from:\n    - ipBlock: {cidr: bad}\n    ports:\n    - port: 0\n'));
    expect(res.ok).toBe(false);
    expect(res2.problems.filter((p) => p.severity === 'error').map((p) => p.field)).toEqual([
      'spec.ingress[0].from[0].ipBlock.cidr',
      'spec.ingress[0].ports[0].port',
    ]);
  });
});
