// Completion names from the real API server: namespaces for -n, pods of the current (or typed)
// namespace plus `ns/` for another, policies; and nothing, quickly, when the user may not list them.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiClient } from '../../src/sources/live/client.js';
import { lookupNames } from '../../src/complete/lookup.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, apply, namespace, pod, remove, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const suffix = randomBytes(3).toString('hex');
const ns = `cmpl-${suffix}`;
const objects: Obj[] = [
  namespace(ns),
  pod(ns, 'api-0', { app: 'api' }, undefined),
  pod(ns, 'api-1', { app: 'api' }, undefined),
  pod(ns, 'db-0', { app: 'db' }, undefined),
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: ns }, spec: { podSelector: {} } },
];
let client: ApiClient;
const complete = (words: string[], kubeconfig = cluster.kubeconfigPath) => runCli(['__complete', ...words], { env: { KUBECONFIG: kubeconfig } });

beforeAll(async () => {
  client = await adminClient(cluster.kubeconfigPath);
  await apply(client, objects);
});
afterAll(async () => {
  await remove(client, objects);
  client.close();
});

describe('__complete against the API server', () => {
  it('-n completes namespaces', async () => {
    const r = await complete(['matrix', '-n', 'cmpl-']);
    expect(r.stdout).toBe(`${ns}\n:4\n`);
  });

  it('a pod reference completes pods of the -n namespace, and ns/ for other namespaces', async () => {
    expect((await complete(['explain', '-n', ns, 'api'])).stdout).toBe('api-0\napi-1\n:4\n');
    const r = await complete(['explain', '-n', ns, '']);
    expect(r.stdout).toContain('db-0\n');
    expect(r.stdout).toContain(`${ns}/\tnamespace\n`);
  });

  it('ns/ completes that namespace\'s pods as ns/pod', async () => {
    expect((await complete(['explain', 'frontend/app', `${ns}/d`])).stdout).toBe(`${ns}/db-0\n:4\n`);
  });

  it('policy names of a namespace (for flags that take a policy: --policy)', async () => {
    const r = await lookupNames({ kind: 'policies', namespace: ns, prefix: '' }, { kubeconfig: cluster.kubeconfigPath }, {});
    expect(r).toEqual({ names: ['default-deny'], namespaces: [] });
  });

  it.skipIf(!cluster.limitedKubeconfigPath)('a user who may not list pods gets commands and flags still, and no names', async () => {
    const t0 = performance.now();
    const r = await complete(['explain', '-n', ns, ''], cluster.limitedKubeconfigPath!);
    expect(r.stdout).toBe(':4\n');
    expect(r.stderr).toBe('');
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect((await complete(['ex'], cluster.limitedKubeconfigPath!)).stdout).toMatch(/^explain\t/);
  });
});
