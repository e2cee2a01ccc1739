// What explain, check and matrix SAY: fix hints that add rather than relabel, honest all-ports headers,
// tier lines that do not contradict each other, ambiguous verdicts, multi-pod summaries, check details.
import { describe, expect, it } from 'vitest';
import { ex, runCli } from './run-cli.js';

const F = 'test/cli/fixtures/review/cluster.yaml';
const explain = (...args: string[]) => runCli(['explain', '-f', F, ...args]);
const fixLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('fix '));

describe('fix lines come from verified suggestions: they add a peer, a port or a rule, never a label', () => {
  it('same namespace: a podSelector peer added to the rule whose ports already match', async () => {
    const run = await explain('shop/web', 'shop/db', '--port', '5432');
    expect(fixLines(run.stdout)).toEqual([
      'fix ingress: NetworkPolicy shop/db-ingress: add the from-peer podSelector app=web to ingress[0] (its ports already match)',
      'fix verified: with this change the engine allows shop/web -> shop/db TCP/5432; it opens no other connection (explain --suggest prints the YAML)',
    ]);
  });

  it('when the rule ports fail too, a new rule with the peer and the port (the existing peers do not gain the port)', async () => {
    const [hint] = fixLines((await explain('shop/web', 'shop/db', '--port', '6379')).stdout);
    expect(hint).toBe('fix ingress: NetworkPolicy shop/db-ingress: add ingress rule [1]: from podSelector app=web, port TCP/6379');
  });

  it('another namespace: namespaceSelector AND podSelector in one peer', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432']);
    const [egress, ingress] = fixLines(run.stdout);
    expect(egress).toContain('add egress rule [1]: to namespaceSelector kubernetes.io/metadata.name=backend AND podSelector app=db, port TCP/5432');
    expect(ingress).toContain('add the from-peer namespaceSelector kubernetes.io/metadata.name=frontend AND podSelector app=storefront to ingress[0]');
    expect(run.stdout).not.toMatch(/label the (pod|namespace)|lacks label/);
  });

  it('hostNetwork pods and nodes: selectors cannot match node traffic, so an ipBlock /32 (and the other traffic of that node is named)', async () => {
    for (const from of ['ops/agent', 'node/node-2']) {
      const [hint, verified] = fixLines((await explain(from, 'shop/db', '--port', '5432')).stdout);
      expect(hint).toContain('add the from-peer ipBlock 172.18.0.3/32');
      expect(hint).toContain('selectors cannot match it');
      if (from === 'node/node-2') expect(verified).toContain('also opens 1 other pod pair: ops/agent -> shop/db TCP/5432');
    }
  });

  it('a podSelector-only peer in another namespace: the AND peer the one-dash slip missed', async () => {
    const [hint] = fixLines((await explain('ops/tool', 'shop/db', '--port', '5432')).stdout);
    expect(hint).toContain('add the from-peer namespaceSelector kubernetes.io/metadata.name=ops AND podSelector app.kubernetes.io/name=tool');
  });

  it('admin deny: an Allow rule placed before the denying rule of the same policy', async () => {
    const run = await runCli(['explain', '-f', ex('admin-tiers'), 'ci/runner', 'tenant-a/payments-db', '--port', '5432']);
    expect(run.stdout).toContain('fix ingress: AdminNetworkPolicy deny-sensitive: add an Allow rule at ingress[0], before the rule that denies');
    expect(run.stdout).not.toContain('higher-priority');
  });
});

describe('explain without --port', () => {
  it('says "only" when some ports are open, and prints no fix hints for the sample trace', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/api']);
    expect(run.stdout.split('\n')[0]).toBe('ALLOWED  frontend/app -> backend/api  only TCP/8080');
    expect(run.stdout).not.toContain('all ports');
  });

  it('DENIED on every port, without "add TCP/1" hints', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['DENIED  frontend/app -> backend/db  every port', '  no port or protocol is allowed']);
    expect(run.stdout).toContain('trace for TCP/all, shown for port 1 (give --port for another):');
    expect(fixLines(run.stdout)).toEqual([]);
  });

  it('respects --protocol in the wording', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--protocol', 'udp']);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['DENIED  frontend/app -> backend/db  every UDP port', '  no UDP port is allowed']);
  });
});

describe('tier lines', () => {
  it('the NetworkPolicy tier does not claim "allowed" when a later tier denies', async () => {
    const run = await runCli(['explain', '-f', ex('admin-tiers'), 'tenant-b/client', 'tenant-a/web', '--port', '8080']);
    expect(run.stdout).not.toContain('so everything is allowed');
    expect(run.stdout).toContain('[NetworkPolicy] no decision — no NetworkPolicy isolates the pod in this direction; the next tier decides');
  });

  it('the [default] line does not repeat the NetworkPolicy sentence', async () => {
    const run = await runCli(['explain', '-f', ex('bookstore'), 'ops/toolbox', 'bookstore/api', '--port', '8080']);
    expect(run.stdout).toContain('  [default] allow: no tier decided, so the default allows it');
    expect(run.stdout.match(/isolates the pod in this direction/g)).toHaveLength(1);
  });
});

describe('ambiguous verdicts (same-priority admin policies that disagree)', () => {
  it('explain says so in the header and names both policies', async () => {
    const run = await explain('ops/tool', 'shop/web', '--port', '8080');
    const [head, next] = run.stdout.split('\n');
    expect(head).toBe('ALLOWED (AMBIGUOUS)  ops/tool -> shop/web  TCP/8080');
    expect(next).toContain('ambiguous: AdminNetworkPolicy allow-ops-to-web (priority 10) and AdminNetworkPolicy deny-ops (priority 10) have the same priority');
  });

  it('-o json marks the path and the result', async () => {
    const data = JSON.parse((await explain('ops/tool', 'shop/web', '--port', '8080', '-o', 'json')).stdout);
    expect(data.ambiguous).toBe(true);
    expect(data.paths[0]).toMatchObject({ allowed: true, ambiguous: true });
  });

  it('check fails such a flow with reason adminPriorityTie in text, json and junit', async () => {
    const flows = 'flows:\n  - {from: ops/tool, to: shop/web, port: 8080, expect: allowed}\n';
    const text = await runCli(['check', '-f', F, '-'], { stdin: flows });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL  #1 ops/tool -> shop/web TCP/8080  expected allowed, got allowed but ambiguous (adminPriorityTie)');
    const json = await runCli(['check', '-f', F, '-', '-o', 'json'], { stdin: flows });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).items[0]).toMatchObject({ allowed: true, ambiguous: true, pass: false, reason: 'adminPriorityTie' });
    const junit = await runCli(['check', '-f', F, '-', '-o', 'junit'], { stdin: flows });
    expect(junit.stdout).toContain('failures="1"');
    expect(junit.stdout).toContain('reason: adminPriorityTie');
  });
});

describe('explain of a reference with several pods', () => {
  it('starts with the overall verdict and a count, then the resolution notes', async () => {
    const run = await explain('shop/web', 'shop/svc/backends');
    const lines = run.stdout.split('\n');
    expect(run.code).toBe(1);
    expect(lines[0]).toBe('DENIED  shop/web -> shop/svc/backends  2 paths: 1 allowed, 1 denied');
    expect(lines[1]).toMatch(/^ {2}note: service port 5432\/TCP -> targetPort 5432/);
    expect(lines[2]).toMatch(/^ {2}note: no EndpointSlices for shop\/backends/);
    expect(run.stdout).toContain('\nDENIED  shop/web -> shop/db  TCP/5432  (via svc/backends:5432)\n');
    expect(run.stdout).toContain('\nALLOWED  shop/web -> shop/cache  TCP/5432  (via svc/backends:5432)\n');
  });

  it('a single path puts its notes under the verdict line', async () => {
    const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/svc/api']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^ALLOWED {2}frontend\/app -> backend\/api {2}TCP\/8080/);
    expect(lines[1]).toMatch(/^ {2}note: service port 80\/TCP/);
  });
});

describe('check output', () => {
  const flows = 'flows:\n  - {name: storefront reaches db, from: frontend/app, to: backend/db, port: 5432, expect: allowed}\n  - {from: backend/api, to: backend/db, port: postgres, expect: denied}\n';

  it('a failure names the deciding side and rule, the verified fix, and the explain command to run', async () => {
    const run = await runCli(['check', '-f', ex('shop'), '-'], { stdin: flows });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('FAIL  #1 "storefront reaches db" frontend/app -> backend/db TCP/5432  expected allowed, got denied (isolatedNoRuleMatched)');
    expect(lines[1]).toBe('      denied by the egress side of frontend/app: NetworkPolicy frontend/storefront isolates the pod and no rule allows this (closest rule: egress[0])');
    expect(lines[2]).toBe('      fix egress: NetworkPolicy frontend/storefront: add egress rule [1]: to namespaceSelector kubernetes.io/metadata.name=backend AND podSelector app=db, port TCP/5432');
    expect(lines[4]).toMatch(/^ {6}fix verified: with both changes/);
    expect(lines[5]).toBe('      run: kubectl netpol explain frontend/app backend/db --port 5432 --protocol TCP -f examples/shop/manifests');
    expect(lines[7]).toBe('      allowed: egress by NetworkPolicy backend/api-egress egress[0]; ingress by NetworkPolicy backend/db-allow-api ingress[0]');
    expect(lines[8]).toBe('      run: kubectl netpol explain backend/api backend/db --port postgres --protocol TCP -f examples/shop/manifests');
  });

  it('-o json carries the flow name', async () => {
    const run = await runCli(['check', '-f', ex('shop'), '-', '-o', 'json'], { stdin: flows });
    expect(JSON.parse(run.stdout).items[0]).toMatchObject({ name: 'storefront reaches db', pass: false });
  });
});

describe('matrix legend', () => {
  it('says in plain words how pods were grouped', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-A', '--port', '5432']);
    expect(run.stdout).not.toContain('equivalence classes');
    expect(run.stdout).toMatch(/pods that no policy can tell apart were evaluated together: \d+ groups?\)/);
  });
});
