// Smoke test of the cluster harness: a real kube-apiserver + etcd (globalSetup.ts).
import { randomBytes } from 'node:crypto';

import {
  ApiException,
  ApisApi,
  CoreV1Api,
  KubernetesObjectApi,
  NetworkingV1Api,
  VersionApi,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';

import { applyObjects, loadKubeConfig, setPodStatus } from './harness.js';

const cluster = inject('netpolCluster');
const admin = loadKubeConfig(cluster.kubeconfigPath);
const suffix = randomBytes(3).toString('hex');

const ns = (name: string): KubernetesObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const pod = (namespace: string, name: string, labels: Record<string, string> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'main', image: 'registry.invalid/app:1', ports: [{ containerPort: 8080 }] }] },
});

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
}

describe('test cluster', () => {
  it('serves the API groups the plugin needs, including CRDs', async () => {
    const groups = await admin.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining(['networking.k8s.io', 'discovery.k8s.io', 'apps', 'apiextensions.k8s.io', 'rbac.authorization.k8s.io']),
    );
    // policy.networking.k8s.io (AdminNetworkPolicy & co.) only exists once a test installs its CRDs.
    const version = await admin.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+/);
  });

  it('creates a namespace and a pod, and sets the pod IP through pods/status', async () => {
    const name = `smoke-${suffix}`;
    await applyObjects(admin, [ns(name), pod(name, 'web', { app: 'web' })]);
    const core = admin.makeApiClient(CoreV1Api);
    const before = await core.readNamespacedPod({ name: 'web', namespace: name });
    expect(before.status?.phase).toBe('Pending'); // no scheduler, no kubelet
    expect(before.status?.podIP).toBeUndefined();

    const updated = await setPodStatus(admin, name, 'web', { podIP: '10.244.1.7' });
    expect(updated.status?.podIP).toBe('10.244.1.7');

    const after = await core.readNamespacedPod({ name: 'web', namespace: name });
    expect(after.status?.phase).toBe('Running');
    expect(after.status?.podIP).toBe('10.244.1.7');
    expect(after.status?.podIPs).toEqual([{ ip: '10.244.1.7' }]);

    // A Pod given with a status gets it written too; re-applying a changed spec recreates it.
    await applyObjects(admin, [
      { ...pod(name, 'web', { app: 'web', v: '2' }), status: { phase: 'Running', podIP: '10.244.1.8' } } as V1Pod,
    ]);
    const reapplied = await core.readNamespacedPod({ name: 'web', namespace: name });
    expect(reapplied.metadata?.labels).toEqual({ app: 'web', v: '2' });
    expect(reapplied.status?.podIP).toBe('10.244.1.8');
    expect(reapplied.status?.podIPs).toEqual([{ ip: '10.244.1.8' }]);
  });

  it('lists pods page by page with limit/continue', async () => {
    const name = `paging-${suffix}`;
    const names = Array.from({ length: 7 }, (_, i) => `p${i}`);
    await applyObjects(admin, [ns(name), ...names.map((n) => pod(name, n))]);
    const core = admin.makeApiClient(CoreV1Api);
    const seen: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await core.listNamespacedPod({ namespace: name, limit: 3, _continue: token });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((p) => p.metadata?.name ?? ''));
      token = page.metadata?._continue || undefined;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(names);
  });

  it('applies the other kinds the plugin reads, and re-applies them in place', async () => {
    const name = `kinds-${suffix}`;
    const objects = (v: string): KubernetesObject[] => [
      ns(name),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: name, labels: { v } },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }],
        },
      } as KubernetesObject,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: name, labels: { v } },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      } as KubernetesObject,
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-1', namespace: name, labels: { v, 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.7'] }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      } as KubernetesObject,
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: `node-${suffix}`, labels: { v } },
        status: { addresses: [{ type: 'InternalIP', address: '192.0.2.10' }] },
      } as KubernetesObject,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: name, labels: { v } },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'x' }] } },
        },
      } as KubernetesObject,
    ];
    await applyObjects(admin, objects('1'));
    const stored = await applyObjects(admin, objects('2'));
    const relabelled = stored.filter((o) => o.kind !== 'Namespace');
    expect(relabelled.map((o) => `${o.kind}:${o.metadata?.labels?.v}`)).toEqual(
      relabelled.map((o) => `${o.kind}:2`),
    );
    const api = KubernetesObjectApi.makeApiClient(admin);
    const node = (await api.read({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${suffix}` } })) as KubernetesObject & {
      status?: { addresses?: { address: string }[] };
    };
    expect(node.status?.addresses?.[0]?.address).toBe('192.0.2.10');
    // Wire-format `from` must survive client-node's model serialisation (it is `_from` there).
    const np = await admin.makeApiClient(NetworkingV1Api).readNamespacedNetworkPolicy({ name: 'deny', namespace: name });
    expect(np.spec?.ingress?.[0]?._from).toEqual([{ podSelector: { matchLabels: { app: 'client' } } }]);
    const svc = await admin.makeApiClient(CoreV1Api).readNamespacedService({ name: 'web', namespace: name });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\./);
  });

  it('serves custom resources from a CRD', async () => {
    const group = 'smoke.netpol.test';
    await applyObjects(admin, [
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: 'Cluster',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      } as KubernetesObject,
      { apiVersion: `${group}/v1alpha1`, kind: 'Widget', metadata: { name: `w-${suffix}` }, spec: { size: 3 } } as KubernetesObject,
    ]);
    const api = KubernetesObjectApi.makeApiClient(admin);
    const list = await api.list(`${group}/v1alpha1`, 'Widget');
    const w = list.items.find((i) => i.metadata?.name === `w-${suffix}`) as (KubernetesObject & { spec?: { size?: number } }) | undefined;
    expect(w?.spec?.size).toBe(3);
  });

  it.skipIf(cluster.limitedKubeconfigPath === null)(
    'denies the limited user until a Role is bound to it',
    async () => {
      const name = `rbac-${suffix}`;
      await applyObjects(admin, [ns(name), ns(`${name}-other`), pod(name, 'a')]);
      const limited = loadKubeConfig(cluster.limitedKubeconfigPath ?? '').makeApiClient(CoreV1Api);

      expect(await statusOf(limited.listNamespacedPod({ namespace: name }))).toBe(403);
      expect(await statusOf(limited.listPodForAllNamespaces())).toBe(403);

      await applyObjects(admin, [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'pod-reader', namespace: name },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
        } as KubernetesObject,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'limited-pod-reader', namespace: name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: cluster.limitedUser }],
        } as KubernetesObject,
      ]);

      // The RBAC authorizer reads through an informer: allow it a moment to see the binding.
      let pods: V1Pod[] | undefined;
      for (let i = 0; i < 100 && !pods; i++) {
        try {
          pods = (await limited.listNamespacedPod({ namespace: name })).items;
        } catch (err) {
          if (!(err instanceof ApiException) || err.code !== 403) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(pods?.map((p) => p.metadata?.name)).toEqual(['a']);
      // Only that namespace, only pods.
      expect(await statusOf(limited.listNamespacedPod({ namespace: `${name}-other` }))).toBe(403);
      expect(await statusOf(limited.listPodForAllNamespaces())).toBe(403);
      expect(await statusOf(limited.listNamespacedService({ namespace: name }))).toBe(403);
    },
  );
});

