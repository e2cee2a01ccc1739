// Permissions with the harness's `limited` user: a 403 that can be worked around falls back to a
// narrower read and records a Limitation (the verdict is still produced); one that cannot is an
// error naming the verb, resource and namespace, with the `kubectl auth can-i` command (exit 5).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, adminCrds, apply, grant, namespace, pod, remove, untilAllowed, waitGone, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const suffix = randomBytes(3).toString('hex');
const P = `rbac-p-${suffix}`;
const Q = `rbac-q-${suffix}`;
const env = { NO_COLOR: '1' };

const base: Obj[] = [
  namespace(P, { team: 'p' }),
  namespace(Q, { team: 'q' }),
  pod(P, 'client', { app: 'client' }, '10.251.1.1'),
  pod(P, 'other', { app: 'other' }, '10.251.1.2'),
  pod(Q, 'db', { app: 'db' }, '10.251.2.1', [{ name: 'postgres', containerPort: 5432 }]),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db-from-client', namespace: Q },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': P } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'postgres' }] }],
    },
  },
];

describe.skipIf(cluster.limitedKubeconfigPath === null || cluster.external)('permissions of a limited user', () => {
  const limited = cluster.limitedKubeconfigPath ?? '';
  const user = cluster.limitedUser ?? '';
  let admin: ApiClient;
  let asLimited: ApiClient;
  let crdsCreated: Obj[] = [];
  const grants: Obj[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'netpol-rbac-'));
  const flows = join(dir, 'flows.yaml');
  const live = ['--kubeconfig', limited];

  /** Grants rules in P and Q, and waits until the authorizer has seen them. */
  async function allow(name: string, rules: Obj[], probe: { resource: string; group: string }): Promise<void> {
    const objs = [...grant(user, name, rules, P), ...grant(user, name, rules, Q)];
    grants.push(...objs);
    await apply(admin, objs);
    for (const ns of [P, Q]) await untilAllowed(() => asLimited.get({ verb: 'list', group: probe.group, version: 'v1', resource: probe.resource, namespace: ns, query: { limit: 1 } }));
  }

  beforeAll(async () => {
    admin = await adminClient(cluster.kubeconfigPath);
    asLimited = await adminClient(limited);
    // Admin-tier CRDs served, so that not being allowed to read them matters.
    const existing = new Set<string>();
    for (const crd of adminCrds())
      await admin.get({ verb: 'get', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', name: crd.metadata.name }).then(
        () => existing.add(crd.metadata.name),
        () => undefined,
      );
    crdsCreated = adminCrds().filter((c) => !existing.has(c.metadata.name));
    await apply(admin, [...crdsCreated, ...base]);
    writeFileSync(
      flows,
      JSON.stringify({
        flows: [
          { from: `${P}/client`, to: `${Q}/db`, port: 5432, expect: 'allowed' },
          { from: `${P}/other`, to: `${Q}/db`, port: 5432, expect: 'denied' },
          { from: `${Q}/db`, to: `${P}/client`, port: 8080, expect: 'allowed' },
        ],
      }),
    );
  });

  afterAll(async () => {
    await remove(admin, [...grants, ...base]);
    await remove(admin, crdsCreated);
    for (const crd of crdsCreated) await waitGone(admin, crd);
    admin.close();
    asLimited.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with pods but not NetworkPolicies: an error naming verb, resource, namespace and the can-i command (exit 5)', async () => {
    await allow('netpol-pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }], { group: '', resource: 'pods' });
    const r = await runCli(['explain', `${P}/client`, `${Q}/db`, '--port', '5432', ...live], { env });
    expect(r.code).toBe(ExitCode.forbidden);
    expect(r.stdout).toBe('');
    const m = r.stderr.match(new RegExp(`error: forbidden: user "${user}" \\(context "[^"]+"\\) may not list networkpolicies\\.networking\\.k8s\\.io in namespace "(${P}|${Q})" \\(403\\)`));
    expect(m, r.stderr).not.toBeNull();
    expect(r.stderr).toContain(`hint: check with: kubectl auth can-i list networkpolicies.networking.k8s.io -n ${m![1]} --kubeconfig ${limited}`);
    expect(r.stderr).toContain('server said: networkpolicies.networking.k8s.io is forbidden');
  });

  it('matrix -A without any cluster-wide permission: the pods list is refused (exit 5)', async () => {
    const r = await runCli(['matrix', '-A', ...live], { env });
    expect(r.code).toBe(ExitCode.forbidden);
    expect(r.stderr).toContain('may not list pods in all namespaces (403)');
    expect(r.stderr).toContain(`kubectl auth can-i list pods --all-namespaces --kubeconfig ${limited}`);
  });

  describe('with pods and NetworkPolicies in the two namespaces only', () => {
    beforeAll(async () => {
      await allow('netpol-policies', [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list'] }], { group: 'networking.k8s.io', resource: 'networkpolicies' });
    });

    it('explain: namespaces and admin policies are unreadable, the verdict is still given (same as admin)', async () => {
      for (const [from, expected] of [
        [`${P}/client`, ExitCode.ok],
        [`${P}/other`, ExitCode.denied],
      ] as const) {
        const args = ['explain', from, `${Q}/db`, '--port', '5432'];
        const asAdmin = await runCli([...args, '--kubeconfig', cluster.kubeconfigPath, '-o', 'json'], { env });
        const r = await runCli([...args, ...live, '-o', 'json'], { env });
        expect(r.code, r.stderr).toBe(expected);
        expect(asAdmin.code).toBe(expected);
        const data = JSON.parse(r.stdout);
        expect(data.allowed).toBe(JSON.parse(asAdmin.stdout).allowed);
        const ids = data.limitations.map((l: { id: string }) => l.id);
        expect(ids).toEqual(['namespaces-unreadable', 'admin-policies-unreadable', 'cni-unknown']);
        const byId = Object.fromEntries(data.limitations.map((l: { id: string; message: string }) => [l.id, l.message]));
        expect(byId['namespaces-unreadable']).toMatch(new RegExp(`^namespaces (${P}, ${Q}|${Q}, ${P}) could not be read \\(403 on get namespaces "`));
        expect(byId['admin-policies-unreadable']).toBe(
          'admin-tier policies could not be read (403 on list adminnetworkpolicies.policy.networking.k8s.io, baselineadminnetworkpolicies.policy.networking.k8s.io, clusternetworkpolicies.policy.networking.k8s.io): verdicts ignore them',
        );
        // admin reads everything; only the CNI (none on the test server) stays unknown
        expect(JSON.parse(asAdmin.stdout).limitations.map((l: { id: string }) => l.id)).toEqual(['cni-unknown']);
      }
      // Text output: the limitations as warnings on stderr, the verdict on stdout.
      const t = await runCli(['explain', `${P}/client`, `${Q}/db`, '--port', '5432', ...live], { env });
      expect(t.stdout).toMatch(/^ALLOWED /);
      expect(t.stderr).toContain('warning: admin-tier policies could not be read');
      expect(t.stderr).toContain(`could not be read (403 on get namespaces`);
    });

    it('check: cluster-wide lists are refused, so it reads the flows\' namespaces one by one (same items as admin)', async () => {
      const asAdmin = await runCli(['check', flows, '--kubeconfig', cluster.kubeconfigPath, '-o', 'json'], { env });
      const r = await runCli(['check', flows, ...live, '-o', 'json', '--verbose'], { env });
      expect(r.code, r.stderr).toBe(ExitCode.ok);
      expect(JSON.parse(r.stdout).items).toEqual(JSON.parse(asAdmin.stdout).items);
      expect(r.stderr).toMatch(/^live: \d+ requests/m);
    });

    it('matrix -n: pods and policies of one namespace; workloads and the namespace itself unreadable', async () => {
      const r = await runCli(['matrix', '-n', P, '--port', '5432', ...live], { env });
      expect(r.code, r.stderr).toBe(ExitCode.ok);
      expect(r.stderr).toContain(`warning: namespace ${P} could not be read`);
      expect(r.stderr).toContain(
        `warning: workloads could not be read (403 on list cronjobs.batch, daemonsets.apps, deployments.apps, jobs.batch, replicasets.apps, replicationcontrollers, statefulsets.apps in namespace "${P}")`,
      );
      expect(r.stdout).toContain(`${P}/client`);
    });
  });
});
