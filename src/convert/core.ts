// Core objects: Namespace, Pod, Node, Service, EndpointSlice, plus the shared metadata and
// pod-spec readers used by the workload adapters.

import type {
  EndpointSliceInfo,
  Labels,
  NamespaceInfo,
  NodeInfo,
  PodInfo,
  ServiceInfo,
  ServicePort,
  SourceRef,
  WorkloadRef,
} from '../engine/model.js';
import {
  boolAt,
  intOrNamedPortAt,
  isObj,
  labelsAt,
  listAt,
  objAt,
  portNumberAt,
  protocolAt,
  strAt,
  type Obj,
} from './fields.js';
import { containerNames, readContainerPorts } from './container-ports.js';
import { canonicalIp, ipAt } from './net.js';
import { describe, index, join, Reporter, type Converted, type ObjectContext } from './problems.js';

export { readContainerPorts } from './container-ports.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly apiVersion?: string;
  readonly controller: boolean;
}

export interface Meta {
  readonly name: string;
  /** Set for namespaced kinds (metadata.namespace, else the default namespace). */
  readonly namespace?: string;
  readonly labels: Labels;
  readonly ownerReferences: readonly OwnerRef[];
  /** Only `netpol.kubectl.io/` annotations. */
  readonly annotations?: Labels;
}

export const DEFAULT_NAMESPACE = 'default';

/**
 * Reads metadata (name, namespace, labels, ownerReferences) and names the reporter's object.
 * Returns undefined when the object cannot be identified (no usable name).
 */
export function readMeta(o: Obj, r: Reporter, namespaced: boolean): Meta | undefined {
  const md = objAt(o['metadata'], 'metadata', r);
  if (namespaced) {
    const ns = md ? strAt(md['namespace'], 'metadata.namespace', r) : undefined;
    r.namespace = ns !== undefined && ns !== '' ? ns : (r.ctx.defaultNamespace ?? DEFAULT_NAMESPACE);
  }
  const name = md ? strAt(md['name'], 'metadata.name', r) : undefined;
  if (name !== undefined && name !== '') r.name = name;
  if (!md || name === undefined || name === '') {
    const gen = md && typeof md['generateName'] === 'string' ? md['generateName'] : undefined;
    if (md === undefined && o['metadata'] !== undefined && o['metadata'] !== null) return undefined; // already reported
    r.error(
      'metadata.name',
      'is required',
      gen !== undefined ? `generateName (${gen}) is not supported here: give the object a fixed name` : 'add metadata.name',
    );
    return undefined;
  }
  const labels = (md ? labelsAt(md['labels'], 'metadata.labels', r) : undefined) ?? {};
  const owners: OwnerRef[] = [];
  const refsPath = 'metadata.ownerReferences';
  (listAt(md['ownerReferences'], refsPath, r) ?? []).forEach((ref, i) => {
    const p = index(refsPath, i);
    if (!isObj(ref)) {
      r.warn(p, `owner reference must be an object; got ${describe(ref)}; ignored`);
      return;
    }
    const kind = ref['kind'];
    const refName = ref['name'];
    if (typeof kind !== 'string' || typeof refName !== 'string') {
      r.warn(p, 'owner reference without kind and name; ignored');
      return;
    }
    const apiVersion = typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : undefined;
    owners.push({ kind, name: refName, controller: ref['controller'] === true, ...(apiVersion ? { apiVersion } : {}) });
  });
  const meta: { name: string; namespace?: string; labels: Labels; ownerReferences: OwnerRef[]; annotations?: Labels } = {
    name,
    labels,
    ownerReferences: owners,
  };
  const own = ownAnnotations(md['annotations']);
  if (own) meta.annotations = own;
  if (namespaced && r.namespace !== undefined) meta.namespace = r.namespace;
  return meta;
}

/** Prefix of the annotations this tool reads (e.g. `netpol.kubectl.io/lint-ignore`). */
export const OWN_ANNOTATION_PREFIX = 'netpol.kubectl.io/';

/** Only this tool's annotations are kept: others (last-applied-configuration) can be large. */
function ownAnnotations(v: unknown): Labels | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (k.startsWith(OWN_ANNOTATION_PREFIX) && typeof val === 'string') out[k] = val;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The controller owner reference (controller: true), else the first one. */
export function controllerOf(owners: readonly OwnerRef[]): OwnerRef | undefined {
  return owners.find((o) => o.controller) ?? owners[0];
}

const withSource = <T extends object>(v: T, source: SourceRef | undefined): T => (source ? { ...v, source } : v);

function begin(kind: string, obj: unknown, ctx: ObjectContext): { r: Reporter; o: Obj | undefined } {
  const r = new Reporter(kind, ctx);
  if (!isObj(obj)) {
    r.error('', `is not an object; got ${describe(obj)}`);
    return { r, o: undefined };
  }
  return { r, o: obj };
}

// ---------------------------------------------------------------- Namespace

/** Namespace: labels plus `kubernetes.io/metadata.name` (set by the API server since 1.21). */
export function convertNamespace(obj: unknown, ctx: ObjectContext = {}): Converted<NamespaceInfo> {
  const { r, o } = begin('Namespace', obj, ctx);
  if (!o) return r.result<NamespaceInfo>(undefined);
  const meta = readMeta(o, r, false);
  if (!meta) return r.result<NamespaceInfo>(undefined);
  const given = meta.labels[NAMESPACE_NAME_LABEL];
  if (given !== undefined && given !== meta.name)
    r.warn(
      `metadata.labels.${NAMESPACE_NAME_LABEL}`,
      `is "${given}" but the API server always sets it to the namespace name; using "${meta.name}"`,
    );
  return r.result(withSource({ name: meta.name, labels: { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name }, ...(meta.annotations ? { annotations: meta.annotations } : {}) }, ctx.source));
}

// ---------------------------------------------------------------- Pod

export interface PodRead {
  readonly pod: PodInfo;
  readonly owners: readonly OwnerRef[];
}

/** Maps an owner reference to the workload a pod belongs to (see convert.ts for the chain rules). */
export type OwnerResolver = (namespace: string, owner: OwnerRef) => WorkloadRef | undefined;

const WORKLOAD_KINDS = new Set<string>(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController']);
export const isWorkloadKind = (k: string): k is WorkloadRef['kind'] => WORKLOAD_KINDS.has(k);

/** Without knowledge of other objects: the controller owner, when it is a workload kind. */
export const directOwner: OwnerResolver = (_ns, owner) => (isWorkloadKind(owner.kind) ? { kind: owner.kind, name: owner.name } : undefined);

/** Pod without its workload (needs the other objects); `owners` are its ownerReferences. */
export function readPod(obj: unknown, ctx: ObjectContext = {}): Converted<PodRead> {
  const { r, o } = begin('Pod', obj, ctx);
  if (!o) return r.result<PodRead>(undefined);
  const meta = readMeta(o, r, true);
  if (!meta) return r.result<PodRead>(undefined);
  const spec = objAt(o['spec'], 'spec', r) ?? {};
  const status = objAt(o['status'], 'status', r) ?? {};
  const ports = readContainerPorts(spec, 'spec', r);
  const hostNetwork = boolAt(spec['hostNetwork'], 'spec.hostNetwork', r) ?? false;
  const nodeName = strAt(spec['nodeName'], 'spec.nodeName', r);
  const sa = strAt(spec['serviceAccountName'], 'spec.serviceAccountName', r) ?? strAt(spec['serviceAccount'], 'spec.serviceAccount', r);
  const phase = strAt(status['phase'], 'status.phase', r);
  const ips: string[] = [];
  (listAt(status['podIPs'], 'status.podIPs', r) ?? []).forEach((e, i) => {
    const p = index('status.podIPs', i);
    const eo = objAt(e, p, r);
    if (!eo) return;
    const ip = ipAt(eo['ip'], join(p, 'ip'), r);
    if (ip !== undefined && !ips.includes(ip)) ips.push(ip);
  });
  const podIP = strAt(status['podIP'], 'status.podIP', r);
  if (podIP !== undefined && podIP !== '') {
    const ip = ipAt(podIP, 'status.podIP', r);
    if (ip !== undefined && !ips.includes(ip)) ips.unshift(ip);
  }
  const pod: {
    -readonly [K in keyof PodInfo]: PodInfo[K];
  } = { namespace: meta.namespace ?? DEFAULT_NAMESPACE, name: meta.name, labels: meta.labels, ips, ports, hostNetwork };
  if (nodeName) pod.nodeName = nodeName;
  if (phase) pod.phase = phase;
  if (sa) pod.serviceAccount = sa;
  const ready = (listAt(status['conditions'], 'status.conditions', r) ?? []).some((c) => isObj(c) && c['type'] === 'Ready' && c['status'] === 'True');
  if (ready) pod.ready = true;
  const containers = containerNames(spec);
  if (containers.length > 0) pod.containers = containers;
  if (ctx.source) pod.source = ctx.source;
  return r.result({ pod, owners: meta.ownerReferences });
}

/** A Pod; `resolve` maps its controller owner to a workload (default: the owner itself). */
export function convertPod(obj: unknown, ctx: ObjectContext = {}, resolve: OwnerResolver = directOwner): Converted<PodInfo> {
  const res = readPod(obj, ctx);
  if (!res.ok) return res;
  const owner = controllerOf(res.value.owners);
  const workload = owner ? resolve(res.value.pod.namespace, owner) : undefined;
  return { ok: true, value: workload ? { ...res.value.pod, workload } : res.value.pod, problems: res.problems };
}

// ---------------------------------------------------------------- Node

/** Node: labels and status.addresses of type InternalIP / ExternalIP. */
export function convertNode(obj: unknown, ctx: ObjectContext = {}): Converted<NodeInfo> {
  const { r, o } = begin('Node', obj, ctx);
  if (!o) return r.result<NodeInfo>(undefined);
  const meta = readMeta(o, r, false);
  if (!meta) return r.result<NodeInfo>(undefined);
  const status = objAt(o['status'], 'status', r) ?? {};
  const addresses: string[] = [];
  (listAt(status['addresses'], 'status.addresses', r) ?? []).forEach((a, i) => {
    const p = index('status.addresses', i);
    const ao = objAt(a, p, r);
    if (!ao) return;
    const type = ao['type'];
    if (type !== 'InternalIP' && type !== 'ExternalIP') return; // Hostname, InternalDNS, ...
    const s = strAt(ao['address'], join(p, 'address'), r);
    if (s === undefined) return;
    const ip = canonicalIp(s);
    if (ip === undefined) r.warn(join(p, 'address'), `${describe(s)} is not a valid IP address; ignored`);
    else if (!addresses.includes(ip)) addresses.push(ip);
  });
  return r.result(withSource({ name: meta.name, labels: meta.labels, addresses }, ctx.source));
}

// ---------------------------------------------------------------- Service

/** Service: selector, ports (protocol TCP, targetPort = port by default), cluster IPs. */
export function convertService(obj: unknown, ctx: ObjectContext = {}): Converted<ServiceInfo> {
  const { r, o } = begin('Service', obj, ctx);
  if (!o) return r.result<ServiceInfo>(undefined);
  const meta = readMeta(o, r, true);
  if (!meta) return r.result<ServiceInfo>(undefined);
  const spec = objAt(o['spec'], 'spec', r) ?? {};
  const selector = labelsAt(spec['selector'], 'spec.selector', r);
  const ports: ServicePort[] = [];
  (listAt(spec['ports'], 'spec.ports', r) ?? []).forEach((p, i) => {
    const pp = index('spec.ports', i);
    const po = objAt(p, pp, r);
    if (!po) return;
    const port = portNumberAt(po['port'], join(pp, 'port'), r);
    const protocol = protocolAt(po['protocol'], join(pp, 'protocol'), r);
    const name = strAt(po['name'], join(pp, 'name'), r);
    let targetPort: number | string | undefined = port;
    if (po['targetPort'] !== undefined && po['targetPort'] !== null && po['targetPort'] !== 0) {
      targetPort = intOrNamedPortAt(po['targetPort'], join(pp, 'targetPort'), r);
    }
    if (port === undefined || protocol === undefined || targetPort === undefined) return;
    ports.push(name ? { name, port, protocol, targetPort } : { port, protocol, targetPort });
  });
  const clusterIPs: string[] = [];
  const addIp = (v: unknown, p: string): void => {
    if (v === 'None' || v === '' || v === undefined || v === null) return;
    const ip = ipAt(v, p, r);
    if (ip !== undefined && !clusterIPs.includes(ip)) clusterIPs.push(ip);
  };
  const ipsList = listAt(spec['clusterIPs'], 'spec.clusterIPs', r);
  if (ipsList && ipsList.length > 0) ipsList.forEach((v, i) => addIp(v, index('spec.clusterIPs', i)));
  else addIp(spec['clusterIP'], 'spec.clusterIP');
  const type = strAt(spec['type'], 'spec.type', r) ?? 'ClusterIP';
  const svc: { -readonly [K in keyof ServiceInfo]: ServiceInfo[K] } = {
    namespace: meta.namespace ?? DEFAULT_NAMESPACE,
    name: meta.name,
    ports,
    clusterIPs,
    type,
  };
  // An empty selector means "no selector" for Services (endpoints are managed elsewhere).
  if (selector && Object.keys(selector).length > 0) svc.selector = selector;
  if (ctx.source) svc.source = ctx.source;
  return r.result(svc);
}

// ---------------------------------------------------------------- EndpointSlice

type Endpoint = EndpointSliceInfo['endpoints'][number];
type EndpointPort = EndpointSliceInfo['ports'][number];

/**
 * EndpointSlice (discovery.k8s.io/v1): service from the `kubernetes.io/service-name` label,
 * endpoints with `conditions.ready` (absent = ready, per the API docs) and Pod targetRefs.
 * Slices that cannot be related to pods by IP (FQDN address type, no service label) are
 * skipped with a warning.
 */
export function convertEndpointSlice(obj: unknown, ctx: ObjectContext = {}): Converted<EndpointSliceInfo> {
  const { r, o } = begin('EndpointSlice', obj, ctx);
  if (!o) return r.result<EndpointSliceInfo>(undefined);
  const meta = readMeta(o, r, true);
  if (!meta) return r.result<EndpointSliceInfo>(undefined);
  const namespace = meta.namespace ?? DEFAULT_NAMESPACE;
  const serviceName = meta.labels[SERVICE_NAME_LABEL];
  const addressType = strAt(o['addressType'], 'addressType', r);
  if (addressType === 'FQDN') {
    r.warn('addressType', 'FQDN endpoints cannot be matched to pods or IP rules; slice skipped');
    return r.result<EndpointSliceInfo>(undefined);
  }
  if (addressType !== undefined && addressType !== 'IPv4' && addressType !== 'IPv6')
    r.error('addressType', `unsupported address type ${describe(addressType)}`, 'use IPv4, IPv6 or FQDN');
  const endpoints: Endpoint[] = [];
  (listAt(o['endpoints'], 'endpoints', r) ?? []).forEach((e, i) => {
    const p = index('endpoints', i);
    const eo = objAt(e, p, r);
    if (!eo) return;
    const addresses: string[] = [];
    const aList = listAt(eo['addresses'], join(p, 'addresses'), r) ?? [];
    if (aList.length === 0) r.error(join(p, 'addresses'), 'must contain at least one address');
    aList.forEach((a, ai) => {
      const ip = ipAt(a, index(join(p, 'addresses'), ai), r);
      if (ip !== undefined) addresses.push(ip);
    });
    const cond = objAt(eo['conditions'], join(p, 'conditions'), r) ?? {};
    const ready = boolAt(cond['ready'], join(p, 'conditions.ready'), r) ?? true;
    const ep: { -readonly [K in keyof Endpoint]: Endpoint[K] } = { addresses, ready };
    const tr = objAt(eo['targetRef'], join(p, 'targetRef'), r);
    if (tr && tr['kind'] === 'Pod' && typeof tr['name'] === 'string')
      ep.targetPod = { namespace: typeof tr['namespace'] === 'string' && tr['namespace'] ? tr['namespace'] : namespace, name: tr['name'] };
    endpoints.push(ep);
  });
  const ports: EndpointPort[] = [];
  (listAt(o['ports'], 'ports', r) ?? []).forEach((p, i) => {
    const pp = index('ports', i);
    const po = objAt(p, pp, r);
    if (!po) return;
    const name = strAt(po['name'], join(pp, 'name'), r);
    const protocol = protocolAt(po['protocol'], join(pp, 'protocol'), r);
    if (po['port'] === undefined || po['port'] === null) {
      r.warn(join(pp, 'port'), 'port is not set (all ports); this entry is ignored');
      return;
    }
    const port = portNumberAt(po['port'], join(pp, 'port'), r);
    if (port === undefined || protocol === undefined) return;
    ports.push(name ? { name, port, protocol } : { port, protocol });
  });
  if (serviceName === undefined || serviceName === '') {
    r.warn(`metadata.labels`, `has no ${SERVICE_NAME_LABEL} label, so it belongs to no Service; slice skipped`);
    return r.result<EndpointSliceInfo>(undefined);
  }
  return r.result(withSource({ namespace, name: meta.name, serviceName, ports, endpoints }, ctx.source));
}
