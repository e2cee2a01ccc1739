// explain through the CLI: exit codes like `kubectl auth can-i`, data output, errors that say what to fix.
import { describe, expect, it } from 'vitest';
import { ex, runCli } from './run-cli.js';

describe('kubectl netpol explain', () => {
  it('exits 0 when allowed and 1 when denied', async () => {
    expect((await runCli(['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', '5432'])).code).toBe(0);
    expect((await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432'])).code).toBe(1);
  });

  it('-o json carries a top-level boolean allowed and the deciding reason ids', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432', '-o', 'json']);
    const data = JSON.parse(run.stdout);
    expect(data.allowed).toBe(false);
    expect(data.paths).toHaveLength(1);
    expect(data.paths[0]).toMatchObject({ from: 'frontend/app', to: 'backend/db', port: 5432, allowed: false });
    // With --port, the path's one range is that port (the same shape as without --port).
    expect(data.paths[0].ranges).toHaveLength(1);
    const path = data.paths[0].ranges[0];
    expect(path).toMatchObject({ protocol: 'TCP', start: 5432, end: 5432, allowed: false, reason: 'isolatedNoRuleMatched' });
    expect(path.egress.reason).toBe('isolatedNoRuleMatched');
    expect(path.ingress.reason).toBe('isolatedNoRuleMatched');
    const ingressTier = path.ingress.tiers.find((t: { tier: string }) => t.tier === 'NetworkPolicy');
    expect(ingressTier.closest).toMatchObject({ policy: { name: 'db-allow-api' }, ruleIndex: 0, failed: 'rulePeerNotMatched' });
    const peer = ingressTier.policies.find((p: { policy: { name: string } }) => p.policy.name === 'db-allow-api').rules[0].peers[0];
    expect(peer.reason).toBe('policyNamespaceMismatch');
  });

  it('-o json has the same shape with and without --port, and the fix lines as data', async () => {
    const args = ['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '-o', 'json'];
    const withPort = JSON.parse((await runCli([...args, '--port', '5432'])).stdout);
    const without = JSON.parse((await runCli(args)).stdout);
    const keys = (o: object) => Object.keys(o).sort();
    for (const d of [withPort, without]) expect(d).toMatchObject({ apiVersion: 'netpol.kubectl.io/v1alpha1', kind: 'Explanation' });
    expect(keys(withPort)).toEqual(keys(without));
    expect(withPort.port).toBe(5432);
    expect(without.port).toBeNull();
    expect(keys(withPort.paths[0])).toEqual(keys(without.paths[0]));
    expect(keys(withPort.paths[0].ranges[0])).toEqual(keys(without.paths[0].ranges[0]));
    // The text's per-side `fix` lines (verified suggestions), as structured data: side, policy, rule path, text.
    const text = (await runCli(args.slice(0, -2).concat(['--port', '5432']))).stdout;
    const fixLines = text.split('\n').filter((l) => l.startsWith('fix ') && !l.startsWith('fix verified:'));
    expect(withPort.paths[0].ranges[0].fixes).toEqual([
      { side: 'egress', policy: { kind: 'NetworkPolicy', namespace: 'frontend', name: 'storefront' }, rule: 'egress[1]', text: expect.stringContaining('add egress rule [1]: to namespaceSelector kubernetes.io/metadata.name=backend AND podSelector app=db') },
      { side: 'ingress', policy: { kind: 'NetworkPolicy', namespace: 'backend', name: 'db-allow-api' }, rule: 'ingress[0].from', text: expect.stringContaining('add the from-peer namespaceSelector kubernetes.io/metadata.name=frontend AND podSelector app=storefront') },
    ]);
    expect(withPort.paths[0].ranges[0].fixes.map((f: { side: string; text: string }) => `fix ${f.side}: ${f.text}`)).toEqual(fixLines);
    // Without --port, a range's trace is for a sample port: no fixes (the text prints none either).
    expect(without.paths[0].ranges.every((r: { fixes: unknown[] }) => r.fixes.length === 0)).toBe(true);
  });

  it('-o yaml gives the same data as json', async () => {
    const args = ['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', 'postgres'];
    const json = JSON.parse((await runCli([...args, '-o', 'json'])).stdout);
    const { load } = await import('js-yaml');
    expect(load((await runCli([...args, '-o', 'yaml'])).stdout)).toEqual(json);
  });

  it('resolves a named --port against the destination pod, and names the pod when it cannot', async () => {
    const ok = JSON.parse((await runCli(['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', 'postgres', '-o', 'json'])).stdout);
    expect(ok.paths[0].port).toBe(5432);
    const bad = await runCli(['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', 'https']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('port name "https" is not declared with protocol TCP by backend/db');
    expect(bad.stderr).toMatch(/hint: declared ports: .*postgres=5432\/TCP/);
  });

  it('without --port lists the allowed port ranges', async () => {
    const data = JSON.parse((await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/api', '-o', 'json'])).stdout);
    const allowed = data.paths[0].ranges.filter((r: { allowed: boolean }) => r.allowed);
    expect(allowed).toEqual([expect.objectContaining({ protocol: 'TCP', start: 8080, end: 8080 })]);
  });

  it('svc/NAME resolves to ready backends with the service port translated to the targetPort', async () => {
    const data = JSON.parse((await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/svc/api', '-o', 'json'])).stdout);
    expect(data.paths[0]).toMatchObject({ to: 'backend/api', via: 'svc/api:80', port: 8080, allowed: true });
    expect(data.notes.join(' ')).toContain('not the ClusterIP');
  });

  it('workload references analyse the pod template when no pods run', async () => {
    const data = JSON.parse((await runCli(['explain', '-f', ex('shop'), 'backend/deploy/reports', 'backend/db', '--port', '5432', '-o', 'json'])).stdout);
    expect(data.allowed).toBe(false);
    expect(data.notes.join(' ')).toContain('no running pods');
  });

  it('rs/NAME finds the pods of a Deployment-owned ReplicaSet (<deployment>-<pod-template-hash>)', async () => {
    const data = JSON.parse((await runCli(['explain', '-f', ex('team-deny-all'), 'team-a/rs/web-7d9f8', 'team-a/cache', '--port', '6379', '-o', 'json'])).stdout);
    expect(data.paths.map((p: { from: string }) => p.from)).toEqual(['team-a/web-1', 'team-a/web-2']);
  });

  it('-n sets the namespace of bare pod names', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), '-n', 'backend', 'api', 'db', '--port', '5432', '-o', 'json']);
    expect(JSON.parse(run.stdout).paths[0]).toMatchObject({ from: 'backend/api', to: 'backend/db' });
  });

  it('an unknown pod is an error (exit 2) that lists what exists', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/ap', 'backend/db', '--port', '5432']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error: pod frontend/ap not found');
    expect(run.stderr).toContain('hint: pods in namespace frontend: app');
  });

  it('rejects bad flags with a usage error', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port 70000 is out of range');
    const proto = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--protocol', 'ICMP']);
    expect(proto.code).toBe(2);
    expect(proto.stderr).toMatch(/Invalid values:[\s\S]*protocol/);
  });

  it('reads manifests from stdin with -f -', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = ex('bookstore');
    const text = readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8')).join('\n---\n');
    const run = await runCli(['explain', '-f', '-', 'bookstore/shipping', 'bookstore/api', '--port', '8080'], { stdin: text });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DENIED  bookstore/shipping -> bookstore/api  TCP/8080');
  });

  it('invalid manifests stop the command and name file, document and field', async () => {
    const bad = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: broken, namespace: frontend}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0/8}\n';
    const run = await runCli(['explain', '-f', ex('shop'), '-f', '-', 'frontend/app', 'backend/api', '--port', '8080'], { stdin: bad });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('<stdin> (document 1');
    expect(run.stderr).toContain('NetworkPolicy frontend/broken');
    expect(run.stderr).toContain('spec.ingress[0].from[0].ipBlock.cidr');
  });

  it('colour follows --color and NO_COLOR', async () => {
    const args = ['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', '5432'];
    expect((await runCli([...args, '--color', 'always'])).stdout).toContain('\u001b[');
    expect((await runCli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(args, { tty: true, env: {} })).stdout).toContain('\u001b[');
    expect((await runCli(args, { tty: false })).stdout).not.toContain('\u001b[');
  });

  it('--help speaks kubectl netpol', async () => {
    const run = await runCli(['explain', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kubectl netpol explain <from> <to>');
    expect(run.stdout).toContain('--namespace');
  });
});
