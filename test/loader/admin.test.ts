import { describe, expect, it } from 'vitest';
import { convertAdminNetworkPolicy, convertBaselineAdminNetworkPolicy, convertClusterNetworkPolicy } from '../../src/convert/cluster-state.js';
import { expectError, ok, warnings, y } from './helpers.js';

const anp = (spec: string, name = 'sec') =>
  y(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`);
const banp = (spec: string, name = 'default') =>
  y(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`);
const cnp = (spec: string, name = 'c') =>
  y(`apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`);

describe('AdminNetworkPolicy (v1alpha1)', () => {
  it('maps subject, rules, peers and ports', () => {
    const p = ok(
      convertAdminNetworkPolicy(
        anp(`  priority: 10
  subject:
    pods:
      namespaceSelector: {matchLabels: {env: prod}}
      podSelector: {matchLabels: {app: db}}
  ingress:
  - name: allow-monitoring
    action: Allow
    from:
    - namespaces: {matchLabels: {team: mon}}
    - pods:
        namespaceSelector: {}
        podSelector: {matchLabels: {app: scraper}}
    ports:
    - portNumber: {port: 9090}
    - namedPort: metrics
    - portRange: {protocol: UDP, start: 5000, end: 6000}
  egress:
  - action: Pass
    to:
    - nodes: {matchLabels: {role: infra}}
    - networks: [10.0.0.0/8, "fd00::/8"]
    - domainNames: ["*.example.com"]
  - action: Deny
    to:
    - namespaces: {}
`),
        { source: { file: 'anp.yaml', documentIndex: 0, origin: 'file' } },
      ),
    );
    expect(p).toMatchObject({
      kind: 'AdminNetworkPolicy',
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      name: 'sec',
      tier: 'Admin',
      priority: 10,
      subject: { kind: 'pods', namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { app: 'db' } } },
      source: { file: 'anp.yaml' },
    });
    expect(p.ingress).toEqual([
      {
        name: 'allow-monitoring',
        action: 'Allow',
        actionName: 'Allow',
        peers: [
          { kind: 'namespaces', namespaceSelector: { matchLabels: { team: 'mon' } } },
          { kind: 'pods', namespaceSelector: {}, podSelector: { matchLabels: { app: 'scraper' } } },
        ],
        ports: [
          { kind: 'number', protocol: 'TCP', port: 9090 },
          { kind: 'named', name: 'metrics' },
          { kind: 'range', protocol: 'UDP', start: 5000, end: 6000 },
        ],
      },
    ]);
    expect(p.egress[0]).toEqual({
      action: 'Pass',
      actionName: 'Pass',
      peers: [
        { kind: 'nodes', nodeSelector: { matchLabels: { role: 'infra' } } },
        { kind: 'networks', cidrs: ['10.0.0.0/8', 'fd00::/8'] },
        { kind: 'domainNames', domains: ['*.example.com'] },
      ],
    });
    expect(p.egress[1]?.ports).toBeUndefined();
  });

  it('subject namespaces', () => {
    const p = ok(convertAdminNetworkPolicy(anp('  priority: 0\n  subject:\n    namespaces: {}\n')));
    expect(p.subject).toEqual({ kind: 'namespaces', namespaceSelector: {} });
    expect(p.ingress).toEqual([]);
  });

  it('priority must be 0-1000 and is required', () => {
    expectError(convertAdminNetworkPolicy(anp('  priority: 1001\n  subject: {namespaces: {}}\n')), 'spec.priority', 'AdminNetworkPolicy sec', /0-1000/);
    expectError(convertAdminNetworkPolicy(anp('  priority: -1\n  subject: {namespaces: {}}\n')), 'spec.priority', 'AdminNetworkPolicy sec', /0-1000/);
    expectError(convertAdminNetworkPolicy(anp('  subject: {namespaces: {}}\n')), 'spec.priority', 'AdminNetworkPolicy sec', /required/);
  });

  it('action enum, with spelling hints across versions', () => {
    const rule = (action: string) => anp(`  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: ${action}\n    from: [{namespaces: {}}]\n`);
    const p = expectError(convertAdminNetworkPolicy(rule('Accept')), 'spec.ingress[0].action', 'AdminNetworkPolicy sec', /unsupported action/);
    expect(p.hint).toMatch(/Allow/);
    expectError(convertAdminNetworkPolicy(rule('allow')), 'spec.ingress[0].action', 'AdminNetworkPolicy sec', /Allow, Deny, Pass/);
  });

  it('subject must set exactly one of namespaces/pods', () => {
    expectError(
      convertAdminNetworkPolicy(anp('  priority: 1\n  subject:\n    namespaces: {}\n    pods: {namespaceSelector: {}, podSelector: {}}\n')),
      'spec.subject',
      'AdminNetworkPolicy sec',
      /exactly one/,
    );
    expectError(convertAdminNetworkPolicy(anp('  priority: 1\n')), 'spec.subject', 'AdminNetworkPolicy sec', /required/);
    expectError(
      convertAdminNetworkPolicy(anp('  priority: 1\n  subject:\n    pods: {podSelector: {}}\n')),
      'spec.subject.pods.namespaceSelector',
      'AdminNetworkPolicy sec',
      /required/,
    );
  });

  it('peers: exactly one field, ingress only namespaces/pods, from must be non-empty', () => {
    const ing = (from: string) => anp(`  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: ${from}\n`);
    expectError(convertAdminNetworkPolicy(ing('[{nodes: {}}]')), 'spec.ingress[0].from[0].nodes', 'AdminNetworkPolicy sec', /unknown field/);
    expectError(convertAdminNetworkPolicy(ing('[{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}]')), 'spec.ingress[0].from[0]', 'AdminNetworkPolicy sec', /exactly one/);
    expectError(convertAdminNetworkPolicy(ing('[]')), 'spec.ingress[0].from', 'AdminNetworkPolicy sec', /at least one/);
  });

  it('networks must be CIDRs; named ports cannot go with networks/nodes peers', () => {
    const eg = (to: string, ports = '') =>
      anp(`  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to: ${to}\n${ports}`);
    expectError(convertAdminNetworkPolicy(eg('[{networks: [10.0.0.0/33]}]')), 'spec.egress[0].to[0].networks[0]', 'AdminNetworkPolicy sec', /not a valid CIDR/);
    expectError(
      convertAdminNetworkPolicy(eg('[{networks: [10.0.0.0/8]}]', '    ports: [{namedPort: http}]\n')),
      'spec.egress[0].ports',
      'AdminNetworkPolicy sec',
      /named ports cannot be used with networks/,
    );
    expectError(convertAdminNetworkPolicy(eg('[{domainNames: ["exa mple.com"]}]')), 'spec.egress[0].to[0].domainNames[0]', 'AdminNetworkPolicy sec', /domain name/);
  });

  it('ports: exactly one of portNumber/namedPort/portRange, valid numbers and ranges', () => {
    const pr = (port: string) => anp(`  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Allow\n    from: [{namespaces: {}}]\n    ports: [${port}]\n`);
    const f = 'spec.ingress[0].ports[0]';
    expectError(convertAdminNetworkPolicy(pr('{portNumber: {port: 80}, namedPort: http}')), f, 'AdminNetworkPolicy sec', /exactly one/);
    expectError(convertAdminNetworkPolicy(pr('{portNumber: {port: 0}}')), `${f}.portNumber.port`, 'AdminNetworkPolicy sec', /1-65535/);
    expectError(convertAdminNetworkPolicy(pr('{portNumber: {protocol: ICMP, port: 1}}')), `${f}.portNumber.protocol`, 'AdminNetworkPolicy sec', /unsupported protocol/);
    expectError(convertAdminNetworkPolicy(pr('{portRange: {start: 9000, end: 8000}}')), `${f}.portRange`, 'AdminNetworkPolicy sec', /less than end/);
    const eq = convertAdminNetworkPolicy(pr('{portRange: {start: 80, end: 80}}'));
    expect(ok(eq).ingress[0]?.ports).toEqual([{ kind: 'range', protocol: 'TCP', start: 80, end: 80 }]);
    expect(warnings(eq)[0]?.field).toBe(`${f}.portRange`);
  });

  it('v1alpha2 "protocols" in a v1alpha1 object is an unknown field with a hint', () => {
    const p = expectError(
      convertAdminNetworkPolicy(anp('  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Allow\n    from: [{namespaces: {}}]\n    protocols: []\n')),
      'spec.ingress[0].protocols',
      'AdminNetworkPolicy sec',
    );
    expect(p.hint).toMatch(/ports/);
  });
});

describe('BaselineAdminNetworkPolicy (v1alpha1)', () => {
  it('tier Baseline, priority 0, Allow/Deny', () => {
    const p = ok(
      convertBaselineAdminNetworkPolicy(banp('  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n')),
    );
    expect(p).toMatchObject({ kind: 'BaselineAdminNetworkPolicy', tier: 'Baseline', priority: 0, name: 'default' });
    expect(p.ingress[0]).toMatchObject({ action: 'Deny', actionName: 'Deny' });
  });

  it('name must be default', () => {
    const p = expectError(
      convertBaselineAdminNetworkPolicy(banp('  subject: {namespaces: {}}\n', 'other')),
      'metadata.name',
      'BaselineAdminNetworkPolicy other',
      /must be "default"/,
    );
    expect(p.hint).toMatch(/singleton/);
  });

  it('Pass is not a baseline action; priority is not a baseline field; no domainNames', () => {
    expectError(
      convertBaselineAdminNetworkPolicy(banp('  subject: {namespaces: {}}\n  egress:\n  - action: Pass\n    to: [{namespaces: {}}]\n')),
      'spec.egress[0].action',
      'BaselineAdminNetworkPolicy default',
      /Allow, Deny/,
    );
    expectError(convertBaselineAdminNetworkPolicy(banp('  priority: 3\n  subject: {namespaces: {}}\n')), 'spec.priority', 'BaselineAdminNetworkPolicy default', /unknown field/);
    expectError(
      convertBaselineAdminNetworkPolicy(banp('  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to: [{domainNames: [example.com]}]\n')),
      'spec.egress[0].to[0].domainNames',
      'BaselineAdminNetworkPolicy default',
      /unknown field/,
    );
  });
});

describe('ClusterNetworkPolicy (v1alpha2)', () => {
  it('maps tier, priority, Accept->Allow with actionName kept, and protocols', () => {
    const p = ok(
      convertClusterNetworkPolicy(
        cnp(`  tier: Baseline
  priority: 50
  subject:
    namespaces: {matchLabels: {env: dev}}
  ingress:
  - name: web
    action: Accept
    from: [{namespaces: {}}]
    protocols:
    - tcp: {destinationPort: {number: 443}}
    - udp: {destinationPort: {range: {start: 1000, end: 2000}}}
    - sctp: {destinationPort: {number: 9}}
    - destinationNamedPort: http
  egress:
  - action: Pass
    to: [{networks: [192.168.0.0/16]}]
  - action: Accept
    to: [{domainNames: [example.com]}]
`),
      ),
    );
    expect(p).toMatchObject({ kind: 'ClusterNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha2', tier: 'Baseline', priority: 50 });
    expect(p.subject).toEqual({ kind: 'namespaces', namespaceSelector: { matchLabels: { env: 'dev' } } });
    expect(p.ingress[0]).toEqual({
      name: 'web',
      action: 'Allow',
      actionName: 'Accept',
      peers: [{ kind: 'namespaces', namespaceSelector: {} }],
      ports: [
        { kind: 'number', protocol: 'TCP', port: 443 },
        { kind: 'range', protocol: 'UDP', start: 1000, end: 2000 },
        { kind: 'number', protocol: 'SCTP', port: 9 },
        { kind: 'named', name: 'http' },
      ],
    });
    expect(p.egress.map((r) => [r.action, r.actionName])).toEqual([
      ['Pass', 'Pass'],
      ['Allow', 'Accept'],
    ]);
    expect(p.egress[1]?.peers).toEqual([{ kind: 'domainNames', domains: ['example.com'] }]);
  });

  it('tier Admin', () => {
    expect(ok(convertClusterNetworkPolicy(cnp('  tier: Admin\n  priority: 0\n  subject: {namespaces: {}}\n'))).tier).toBe('Admin');
  });

  it('validation: tier, priority, Allow spelling, ports vs protocols, range start < end', () => {
    const N = 'ClusterNetworkPolicy c';
    expectError(convertClusterNetworkPolicy(cnp('  tier: admin\n  priority: 0\n  subject: {namespaces: {}}\n')), 'spec.tier', N, /unsupported tier/);
    expectError(convertClusterNetworkPolicy(cnp('  priority: 0\n  subject: {namespaces: {}}\n')), 'spec.tier', N, /required/);
    expectError(convertClusterNetworkPolicy(cnp('  tier: Admin\n  priority: 1001\n  subject: {namespaces: {}}\n')), 'spec.priority', N, /0-1000/);
    const rule = (r: string) => cnp(`  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - ${r}\n`);
    const allow = expectError(convertClusterNetworkPolicy(rule('{action: Allow, from: [{namespaces: {}}]}')), 'spec.ingress[0].action', N, /Accept, Deny, Pass/);
    expect(allow.hint).toMatch(/Accept/);
    const ports = expectError(
      convertClusterNetworkPolicy(rule('{action: Deny, from: [{namespaces: {}}], ports: [{portNumber: {port: 80}}]}')),
      'spec.ingress[0].ports',
      N,
      /unknown field/,
    );
    expect(ports.hint).toMatch(/protocols/);
    expectError(
      convertClusterNetworkPolicy(rule('{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 80, end: 80}}}}]}')),
      'spec.ingress[0].protocols[0].tcp.destinationPort.range',
      N,
      /less than end/,
    );
    expectError(
      convertClusterNetworkPolicy(rule('{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {}}]}')),
      'spec.ingress[0].protocols[0].tcp.destinationPort',
      N,
      /required/,
    );
    expectError(
      convertClusterNetworkPolicy(rule('{action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 80}}, udp: {destinationPort: {number: 80}}}]}')),
      'spec.ingress[0].protocols[0]',
      N,
      /exactly one/,
    );
    expectError(convertClusterNetworkPolicy(rule('{action: Deny, from: [{networks: [10.0.0.0/8]}]}')), 'spec.ingress[0].from[0].networks', N, /unknown field/);
  });

  it('warns on domainNames in a non-Accept rule', () => {
    const res = convertClusterNetworkPolicy(cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{domainNames: [example.com]}]\n'));
    expect(ok(res).egress).toHaveLength(1);
    expect(warnings(res)[0]?.message).toMatch(/only supported for Accept/);
  });
});
