// Turns a bundled example (a snapshot of a live cluster, examples/NAME/manifests) into objects a
// real node can run: every pod becomes a real pod with the same name, labels and declared ports,
// its containers replaced by agnhost netexec listening on exactly those ports (TCP and UDP), so a
// real connection succeeds wherever the network lets it through.
//
// What a snapshot holds that a fresh cluster must not replay: status and identity fields, node
// names of other clusters, ownerReferences to controllers (the garbage collector would delete
// the pods), EndpointSlices (the endpointslice controller makes real ones), ReplicaSets owned
// by a listed Deployment, and workloads that would start pods of their own: Deployments,
// ReplicaSets and StatefulSets are kept at replicas 0, Jobs and CronJobs suspended, DaemonSets
// pinned to no node. Their templates still answer `deploy/NAME` questions (the engine uses the
// template when no pod runs), but there is no pod to connect from: such flows are not probed.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadAll } from 'js-yaml';

import { NODE_IMAGE } from './harness.js';

type Obj = Record<string, unknown> & { kind: string; apiVersion: string; metadata: Record<string, unknown> & { name: string; namespace?: string } };
type Container = { name: string; ports?: { containerPort: number; protocol?: string; name?: string }[] };
type PodSpec = Record<string, unknown> & { containers: readonly unknown[] };

const NOT_REPLAYED = new Set(['EndpointSlice', 'Endpoints', 'Node', 'Event', 'Lease']);
const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

/** A container that serves every declared port: one netexec per port number (TCP and/or UDP). */
function servingContainer(c: Container): Record<string, unknown> {
  const byPort = new Map<number, Set<string>>();
  for (const p of c.ports ?? []) {
    const set = byPort.get(p.containerPort) ?? new Set<string>();
    set.add(p.protocol ?? 'TCP');
    byPort.set(p.containerPort, set);
  }
  const servers = [...byPort].map(([port, protos]) => `/agnhost netexec --http-port=${port} --udp-port=${protos.has('UDP') ? port : -1} &`);
  const script = servers.length ? `${servers.join(' ')} wait` : 'exec /agnhost pause';
  return {
    name: c.name,
    image: NODE_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', script],
    ...(c.ports ? { ports: c.ports } : {}),
    resources: { requests: { cpu: '5m', memory: '16Mi' } },
  };
}

function realPodSpec(spec: PodSpec): PodSpec {
  const out: PodSpec = { containers: (spec.containers as Container[]).map(servingContainer), terminationGracePeriodSeconds: 0, enableServiceLinks: false };
  for (const keep of ['hostNetwork', 'tolerations', 'serviceAccountName']) if (spec[keep] !== undefined) out[keep] = spec[keep];
  return out;
}

function cleanMeta(meta: Obj['metadata']): Obj['metadata'] {
  const { name, namespace, labels, annotations } = meta;
  return { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
}

function realObject(o: Obj, listedDeployments: Set<string>): Obj | undefined {
  if (NOT_REPLAYED.has(o.kind)) return undefined;
  const meta = cleanMeta(o.metadata);
  const spec = { ...((o.spec ?? {}) as Record<string, unknown>) };
  switch (o.kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: realPodSpec(o.spec as PodSpec) };
    case 'Service':
      // Every Service becomes a plain ClusterIP one (no node ports, no load balancer here).
      for (const k of ['clusterIP', 'clusterIPs', 'healthCheckNodePort', 'externalTrafficPolicy', 'loadBalancerIP', 'loadBalancerSourceRanges', 'loadBalancerClass', 'allocateLoadBalancerNodePorts', 'externalIPs']) delete spec[k];
      spec.type = 'ClusterIP';
      spec.ports = ((spec.ports as Record<string, unknown>[] | undefined) ?? []).map(({ nodePort: _drop, ...p }) => p);
      return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec };
    default:
      break;
  }
  if (!WORKLOAD_KINDS.has(o.kind)) return { ...o, metadata: meta, ...(o.spec ? { spec } : {}) } as Obj;
  const owner = ((o.metadata.ownerReferences as { kind: string; name: string }[] | undefined) ?? []).find((r) => r.kind === 'Deployment');
  if (o.kind === 'ReplicaSet' && owner && listedDeployments.has(`${o.metadata.namespace}/${owner.name}`)) return undefined;
  const template = (o.kind === 'CronJob' ? ((spec.jobTemplate as Record<string, unknown>).spec as Record<string, unknown>).template : spec.template) as { metadata?: Record<string, unknown>; spec: PodSpec };
  const realTemplate = { metadata: template.metadata ?? {}, spec: { ...realPodSpec(template.spec), restartPolicy: o.kind === 'Job' || o.kind === 'CronJob' ? 'Never' : 'Always' } };
  if (o.kind === 'CronJob') {
    spec.suspend = true;
    spec.jobTemplate = { ...(spec.jobTemplate as object), spec: { ...((spec.jobTemplate as Record<string, unknown>).spec as object), template: realTemplate } };
  } else {
    spec.template = realTemplate;
    if (o.kind === 'Job') spec.suspend = true;
    else if (o.kind === 'DaemonSet') (realTemplate.spec as Record<string, unknown>).nodeSelector = { 'netpol.kubectl.io/no-such-node': 'true' };
    else spec.replicas = 0;
  }
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: meta, spec } as Obj;
}

/** The namespaces an example's objects live in (to delete afterwards). */
export function exampleNamespaces(objects: readonly Obj[]): string[] {
  return [...new Set(objects.map((o) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace)).filter((n): n is string => !!n))];
}

/** The example's objects, ready for applyObjects (Namespaces first). */
export function realExampleObjects(exampleDir: string): Obj[] {
  const dir = join(exampleDir, 'manifests');
  const docs: Obj[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(f)) continue;
    for (const d of loadAll(readFileSync(join(dir, f), 'utf8'))) {
      const o = d as Obj | null;
      if (!o?.kind) continue;
      if (o.kind === 'List') docs.push(...((o as unknown as { items: Obj[] }).items ?? []));
      else docs.push(o);
    }
  }
  const deployments = new Set(docs.filter((o) => o.kind === 'Deployment').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const out = docs.map((o) => realObject(o, deployments)).filter((o): o is Obj => o !== undefined);
  const rank = (k: string): number => (k === 'Namespace' ? 0 : k === 'NetworkPolicy' || k.endsWith('NetworkPolicy') ? 2 : 1);
  return out.sort((a, b) => rank(a.kind) - rank(b.kind));
}
