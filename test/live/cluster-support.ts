// Helpers for the live-cluster tests (test/cluster/live-*.test.ts) and bench/live-5k.ts: create and
// delete wire-format objects through the plugin's own API client (plain JSON, so NetworkPolicy
// `from` & co. arrive as written), in parallel, plus RBAC and CRD waits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadAll } from 'js-yaml';

import type { ApiClient } from '../../src/sources/live/client.js';
import { ApiStatusError, type ApiRequest } from '../../src/sources/live/request.js';
import { connect } from '../../src/sources/live/source.js';

export type Obj = Record<string, any>;

interface Kind {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

const k = (group: string, version: string, resource: string, namespaced: boolean): Kind => ({ group, version, resource, namespaced });

const KINDS: Record<string, Kind> = {
  Namespace: k('', 'v1', 'namespaces', false),
  Pod: k('', 'v1', 'pods', true),
  ConfigMap: k('', 'v1', 'configmaps', true),
  Node: k('', 'v1', 'nodes', false),
  Service: k('', 'v1', 'services', true),
  ServiceAccount: k('', 'v1', 'serviceaccounts', true),
  ReplicationController: k('', 'v1', 'replicationcontrollers', true),
  EndpointSlice: k('discovery.k8s.io', 'v1', 'endpointslices', true),
  NetworkPolicy: k('networking.k8s.io', 'v1', 'networkpolicies', true),
  Deployment: k('apps', 'v1', 'deployments', true),
  StatefulSet: k('apps', 'v1', 'statefulsets', true),
  DaemonSet: k('apps', 'v1', 'daemonsets', true),
  ReplicaSet: k('apps', 'v1', 'replicasets', true),
  Job: k('batch', 'v1', 'jobs', true),
  CronJob: k('batch', 'v1', 'cronjobs', true),
  Role: k('rbac.authorization.k8s.io', 'v1', 'roles', true),
  RoleBinding: k('rbac.authorization.k8s.io', 'v1', 'rolebindings', true),
  ClusterRole: k('rbac.authorization.k8s.io', 'v1', 'clusterroles', false),
  ClusterRoleBinding: k('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false),
  CustomResourceDefinition: k('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', false),
  AdminNetworkPolicy: k('policy.networking.k8s.io', 'v1alpha1', 'adminnetworkpolicies', false),
  BaselineAdminNetworkPolicy: k('policy.networking.k8s.io', 'v1alpha1', 'baselineadminnetworkpolicies', false),
  ClusterNetworkPolicy: k('policy.networking.k8s.io', 'v1alpha2', 'clusternetworkpolicies', false),
};

export const adminClient = (kubeconfig: string): Promise<ApiClient> => connect({ kubeconfig }, { stderr: process.stderr, env: {} });

function target(o: Obj, named: boolean, subresource?: string): ApiRequest {
  const kind = KINDS[o.kind];
  if (!kind) throw new Error(`no resource known for kind ${o.kind}`);
  const ns = kind.namespaced ? (o.metadata?.namespace ?? 'default') : undefined;
  return {
    verb: named ? 'get' : 'create',
    group: kind.group,
    version: kind.version,
    resource: kind.resource,
    ...(ns !== undefined ? { namespace: ns } : {}),
    ...(named ? { name: o.metadata.name } : {}),
    ...(subresource ? { subresource } : {}),
  };
}

/** Drops what a server sets itself, and Service ClusterIPs (the test server's range differs). */
export function sanitize(o: Obj): Obj {
  const c = structuredClone(o);
  if (c.metadata) {
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']) delete c.metadata[f];
    for (const r of c.metadata.ownerReferences ?? []) r.uid ??= '00000000-0000-0000-0000-000000000000';
  }
  if (c.kind === 'Pod' && c.status) delete c.status.qosClass; // computed by the server, immutable
  if (c.kind === 'Service' && c.spec) {
    delete c.spec.clusterIP;
    delete c.spec.clusterIPs;
  }
  return c;
}

const order = (o: Obj): number => (o.kind === 'CustomResourceDefinition' ? 0 : o.kind === 'Namespace' ? 1 : 2);

/** Create-or-replace, then write Pod status through pods/status. Namespaces and CRDs go first. */
export async function apply(client: ApiClient, objects: readonly Obj[], parallel = 16): Promise<void> {
  const sorted = objects.map(sanitize).sort((a, b) => order(a) - order(b));
  const first = sorted.filter((o) => order(o) < 2);
  const rest = sorted.filter((o) => order(o) === 2);
  for (const o of first) {
    await applyOne(client, o);
    if (o.kind === 'CustomResourceDefinition') await waitEstablished(client, o.metadata.name);
  }
  await pool(rest, parallel, (o) => applyOne(client, o));
}

async function applyOne(client: ApiClient, o: Obj): Promise<void> {
  const { status, ...body } = o;
  const withStatus = o.kind === 'Node' ? o : body; // Node status is kept on create
  try {
    await client.send(target(o, false), 'POST', withStatus);
  } catch (e) {
    if (!(e instanceof ApiStatusError) || e.status !== 409) throw e;
    const live = (await client.get(target(o, true))) as Obj;
    await client.send({ ...target(o, true), verb: 'update' }, 'PUT', { ...withStatus, metadata: { ...withStatus.metadata, resourceVersion: live.metadata.resourceVersion } });
  }
  if (o.kind === 'Pod' && status) await client.send({ ...target(o, true, 'status'), verb: 'patch' }, 'PATCH', { status }, 'application/merge-patch+json');
}

/** Deletes objects (pods with grace 0), ignoring ones already gone. */
export async function remove(client: ApiClient, objects: readonly Obj[], parallel = 16): Promise<void> {
  const sorted = objects.map(sanitize).sort((a, b) => order(b) - order(a));
  const later = sorted.filter((o) => order(o) < 2);
  await pool(
    sorted.filter((o) => order(o) === 2),
    parallel,
    (o) => removeOne(client, o),
  );
  for (const o of later) await removeOne(client, o);
}

async function removeOne(client: ApiClient, o: Obj): Promise<void> {
  if (o.kind === 'Namespace' && ['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(o.metadata.name)) return;
  try {
    await client.send({ ...target(o, true), verb: 'delete', query: { gracePeriodSeconds: 0 } }, 'DELETE');
  } catch (e) {
    if (!(e instanceof ApiStatusError) || e.status !== 404) throw e;
  }
}

export async function waitGone(client: ApiClient, o: Obj, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await client.get(target(o, true));
    } catch (e) {
      if (e instanceof ApiStatusError && e.status === 404) return;
      throw e;
    }
    await sleep(100);
  }
  throw new Error(`${o.kind} ${o.metadata.name} still exists after ${timeoutMs} ms`);
}

async function waitEstablished(client: ApiClient, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const crd = (await client.get({ verb: 'get', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', name })) as Obj;
    if (crd.status?.conditions?.some((c: Obj) => c.type === 'Established' && c.status === 'True')) return;
    await sleep(100);
  }
  throw new Error(`CRD ${name} not Established`);
}

/** Runs fn over items with at most `n` in flight. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** All documents of the YAML files in a directory (sorted by file name). */
export function readManifests(dir: string): Obj[] {
  const out: Obj[] = [];
  for (const f of readdirSync(dir).sort()) if (/\.(ya?ml|json)$/.test(f)) out.push(...(loadAll(readFileSync(join(dir, f), 'utf8')) as Obj[]).filter((d) => d && typeof d === 'object'));
  return out;
}

/** The policy.networking.k8s.io CRDs (experimental channel: every peer type). */
export function adminCrds(): Obj[] {
  const base = fileURLToPath(new URL('../fixtures/network-policy-api/crds', import.meta.url));
  return [...readManifests(join(base, 'v1alpha1/experimental')), ...readManifests(join(base, 'v1alpha2/experimental'))];
}

/** Polls `probe` until it stops throwing 403 (the RBAC authorizer sees new bindings after a moment). */
export async function untilAllowed(probe: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (e) {
      if (!(e instanceof ApiStatusError) || e.status !== 403 || Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

export const namespace = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

export function pod(ns: string, name: string, labels: Record<string, string>, ip: string | undefined, ports: Obj[] = [{ name: 'http', containerPort: 8080 }], extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'main', image: 'registry.invalid/app:1', ports }], ...extra },
    ...(ip ? { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } } : {}),
  };
}

/** A Role + RoleBinding (namespace set) or ClusterRole + ClusterRoleBinding granting `user` the rules. */
export function grant(user: string, name: string, rules: Obj[], ns?: string): Obj[] {
  const roleKind = ns ? 'Role' : 'ClusterRole';
  const meta = (n: string) => (ns ? { name: n, namespace: ns } : { name: n });
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: roleKind, metadata: meta(name), rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: `${roleKind}Binding`,
      metadata: meta(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ];
}
