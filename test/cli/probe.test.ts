// probe on the command line without a cluster: usage errors, --print-rbac, and the ProbeResult shapes.
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { probeData, renderProbeJUnit, renderProbeText } from '../../src/render/probe-output.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { runCli } from './run-cli.js';

describe('probe usage', () => {
  it.each([
    [['probe', '-f', 'examples/shop/manifests', 'frontend/app', 'backend/api', '--port', '8080'], /needs a live cluster; -f reads manifests only/],
    [['check', '--probe', '-f', 'examples/shop/manifests', 'examples/shop/flows.yaml'], /check --probe opens real connections and needs a live cluster/],
    [['probe', 'frontend/app', 'backend/api'], /probe needs --port/],
    [['probe', 'frontend/app'], /needs a destination too/],
    [['probe'], /needs FROM and TO, or -n NAMESPACE/],
    [['probe', '-n', 'shop'], /namespace matrix needs --port/],
    [['probe', 'a', 'b', '--port', '80', '--timeout', 'soon'], /--timeout "soon" is not a duration/],
    [['probe', 'a', 'b', '--port', '80', '--timeout', '10ms'], /--timeout 10ms is too short/],
    [['probe', 'a', 'b', '--port', '80', '--concurrency', '0'], /--concurrency 0 must be a whole number/],
    [['probe', 'a', 'b', '--port', '99999'], /--port 99999 is out of range/],
    [['probe', 'a', 'b', '--port', '80', '--protocol', 'icmp'], /--protocol ICMP is not TCP, UDP or SCTP/],
    [['probe', 'a', 'b', '--port', '80', '--mode', 'exec'], /Invalid values/],
    [['probe', '--cleanup', 'a'], /--cleanup takes no FROM\/TO/],
    [['probe', 'a', 'b', '--port', '80', '--to-namespace', 'x'], /--to-namespace is for the namespace matrix/],
  ])('%j exits 2 with a message', async (args, message) => {
    const r = await runCli(args, { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--print-rbac prints a ready Role for -n with the permissions of both modes, without a cluster', async () => {
    const r = await runCli(['probe', '--print-rbac', 'role', '-n', 'shop'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(0);
    const role = load(r.stdout.replace(/^---\n/, '')) as Record<string, any>;
    expect(role.kind).toBe('Role');
    expect(role.metadata).toMatchObject({ name: 'kubectl-netpol-probe', namespace: 'shop' });
    const rules = role.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    const can = (verb: string, resource: string) => rules.some((x) => x.resources.includes(resource) && x.verbs.includes(verb));
    expect(can('patch', 'pods/ephemeralcontainers')).toBe(true);
    expect(can('create', 'pods') && can('delete', 'pods') && can('create', 'configmaps') && can('delete', 'configmaps')).toBe(true);
    expect(can('list', 'networkpolicies') && can('get', 'pods')).toBe(true);
    expect(rules.some((x) => x.resources.includes('nodes'))).toBe(false); // cluster-scoped: not in a Role
    expect(rules.flatMap((x) => x.verbs).some((v) => ['*', 'update', 'escalate', 'bind'].includes(v))).toBe(false);
  });

  it('--print-rbac clusterrole includes the cluster-scoped reads', async () => {
    const r = await runCli(['probe', '--print-rbac', 'clusterrole'], {});
    const role = load(r.stdout.replace(/^---\n/, '')) as { kind: string; rules: { resources: string[] }[] };
    expect(role.kind).toBe('ClusterRole');
    expect(role.rules.some((x) => x.resources.includes('nodes') && x.resources.includes('namespaces'))).toBe(true);
  });

  it('probe --help documents the modes and the image override', async () => {
    const r = await runCli(['probe', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--mode', '--image', '--image-pull-secret', '--serve', '--cleanup', '--dry-run', '--print-rbac', '--observed-only', '--concurrency', '--timeout', '--max-connections', '--all-pods', '--to-namespace']) expect(r.stdout).toContain(flag);
  });
});

const base = { from: 'a/client', to: 'a/web', host: '10.0.0.2', port: 80, protocol: 'TCP' as const, kind: 'pod' as const, dest: {} };
const outcomes: ProbeOutcome[] = [
  { probe: { ...base, id: 0, request: 0, allowed: true }, observation: { observed: 'connected', latencyMs: 3, mode: 'ephemeral' }, match: true, explanationId: 'allowedConnected', explanation: 'connected in 3 ms; allowed', reproduce: 'kubectl debug -n a client ...' },
  { probe: { ...base, id: 1, request: 1, port: 81, allowed: true }, observation: { observed: 'timeout', latencyMs: 2003, mode: 'clone', retried: true }, match: false, explanationId: 'unexpectedDrop', explanation: 'timed out <after> 2000 ms & more' },
  { probe: { ...base, id: 2, request: 2, notRun: 'no port' }, observation: { observed: 'not-run' }, explanationId: 'notRun', explanation: 'not run: no port' },
];

describe('probe output', () => {
  it('-o json: a ProbeResult whose items keep from,to,port,protocol,allowed and add observed,latencyMs,match,explanation', () => {
    const data = probeData(outcomes, { run: 'r1', modes: { a: 'ephemeral' } }, ['first', 'second']) as { apiVersion: string; kind: string; items: Record<string, unknown>[]; summary: unknown };
    expect(data.apiVersion).toBe('netpol.kubectl.io/v1alpha1');
    expect(data.kind).toBe('ProbeResult');
    expect(data.summary).toEqual({ total: 3, match: 1, mismatch: 1, notRun: 1, errors: 0, unchecked: 0 });
    expect(data.items[0]).toMatchObject({ name: 'first', from: 'a/client', to: 'a/web', port: 80, protocol: 'TCP', allowed: true, observed: 'connected', latencyMs: 3, match: true, explanation: 'connected in 3 ms; allowed', mode: 'ephemeral', reproduce: 'kubectl debug -n a client ...' });
    expect(data.items[1]).toMatchObject({ name: 'second', match: false, retried: true, mode: 'clone' });
    expect(data.items[2]).toMatchObject({ allowed: null, observed: 'not-run', latencyMs: null, match: null });
  });

  it('text: one line per result with its explanation and reproduce command, then the totals', () => {
    const text = renderProbeText(outcomes);
    expect(text).toMatch(/^MATCH {5}a\/client -> a\/web TCP\/80  connected 3 ms  \(model: allowed, ephemeral\)$/m);
    expect(text).toMatch(/^MISMATCH  a\/client -> a\/web TCP\/81  timeout 2003 ms/m);
    expect(text).toMatch(/^NOT RUN {3}a\/client -> a\/web/m);
    expect(text).toContain('reproduce: kubectl debug -n a client ...');
    expect(text).toMatch(/3 probes: 1 match, 1 mismatch, 1 not run\n$/);
  });

  it('junit: a failure per mismatch, skipped for not run, escaped', () => {
    const x = renderProbeJUnit(outcomes);
    expect(x).toContain('<testsuites tests="3" failures="1" errors="0" skipped="1">');
    expect(x).toContain('timed out &lt;after&gt; 2000 ms &amp; more');
    expect(x).toContain('<skipped message="not run: no port"/>');
  });
});
