// Turns user references (`ns/pod`, `ns/deploy/web`, `svc/api:http`, `10.0.0.7`, `node/n1`) into endpoints.
import { parseIP } from './cidr.js';
import { canonicalIP, type ClusterIndex } from './cluster-index.js';
import { selectorMatches } from './labels.js';
import type { PodInfo, Protocol, ServiceInfo, WorkloadRef } from './model.js';
import { inactiveNote, isActivePod } from './pod-address.js';
import type { Endpoint } from './trace.js';

/** A reference the user cannot have meant: the message names it, the hint says what exists. */
export class ResolveError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ResolveError';
  }
}

/** One concrete endpoint a reference stands for; services also fix the destination port. */
export interface Target {
  readonly endpoint: Endpoint;
  readonly label: string;
  /** Set for Service backends: the container port the service port translates to. */
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly via?: string;
}

export interface Resolved {
  readonly ref: string;
  readonly kind: 'pod' | 'workload' | 'service' | 'ip' | 'node';
  readonly targets: readonly Target[];
  /** Facts about the resolution a reader should see (e.g. "service port 80 -> targetPort http"). */
  readonly notes: readonly string[];
  /**
   * The notes (also in `notes`) that qualify the answer itself: an inactive pod named explicitly,
   * an IP claimed by several pods, pods of a workload or Service left out because they hold no
   * address. check reports these with the flow.
   */
  readonly cautions: readonly string[];
}

const resolved = (ref: string, kind: Resolved['kind'], targets: readonly Target[], notes: readonly string[] = [], cautions: readonly string[] = []): Resolved => ({
  ref,
  kind,
  targets,
  notes: [...notes, ...cautions],
  cautions,
});

const KIND_ALIASES: Record<string, WorkloadRef['kind'] | 'Service' | 'Pod' | 'Node'> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  rc: 'ReplicationController', replicationcontroller: 'ReplicationController',
  job: 'Job', jobs: 'Job', cj: 'CronJob', cronjob: 'CronJob', cronjobs: 'CronJob',
  svc: 'Service', service: 'Service', services: 'Service',
  no: 'Node', node: 'Node', nodes: 'Node',
};

export const REFERENCE_HELP =
  'use NAMESPACE/POD, POD (namespace from -n), [NAMESPACE/]KIND/NAME with KIND one of pod, deploy, sts, ds, rs, job, cronjob, svc (svc/NAME[:PORT]), node/NAME, or an IP address';

/** A reference as written, before looking anything up: also what a live reader plans its reads from. */
export type ParsedReference =
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'Pod' | 'Service' | WorkloadRef['kind']; readonly namespace: string; readonly name: string }
  | { readonly kind: 'Node'; readonly name: string };

/** Reads the syntax of a reference; throws ResolveError (with REFERENCE_HELP) when it cannot be read. */
export function parseReference(raw: string, defaultNamespace: string): ParsedReference {
  const ref = raw.trim();
  if (ref === '') throw new ResolveError('empty endpoint reference', REFERENCE_HELP);
  if (parseIP(ref)) return { kind: 'ip', ip: ref };
  if (ref.includes('/') && parseIP(ref.split('/')[0]!)) {
    throw new ResolveError(`"${ref}" is a CIDR; explain takes one address`, 'pick one address inside the range, e.g. its first host');
  }
  // Pod names never contain ':' or '[' and are never all digits and dots: such text is a mistyped IP.
  if (!ref.includes('/') && (/^[\d.]+$/.test(ref) || ref.includes(':') || ref.startsWith('['))) {
    throw new ResolveError(`"${ref}" is not a valid IP address`, 'write an IPv4 address like 10.0.0.7 or an IPv6 address like fd00::7 (no brackets, no port)');
  }
  const parts = ref.split('/');
  // kubectl also spells kinds with their API group: deployment.apps/web.
  const kindOf = (text: string) => text.toLowerCase().split('.')[0]!;
  let namespace = defaultNamespace;
  let kind: string | undefined;
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    if (KIND_ALIASES[kindOf(parts[0]!)]) [kind, name] = [kindOf(parts[0]!), parts[1]!];
    else [namespace, name] = [parts[0]!, parts[1]!];
  } else if (parts.length === 3) [namespace, kind, name] = [parts[0]!, kindOf(parts[1]!), parts[2]!];
  else throw new ResolveError(`cannot read endpoint "${ref}"`, REFERENCE_HELP);
  if (!name || !namespace) throw new ResolveError(`endpoint "${ref}" has no ${name ? 'namespace' : 'name'}`, REFERENCE_HELP);
  const resolvedKind = kind === undefined ? 'Pod' : KIND_ALIASES[kind];
  if (!resolvedKind) throw new ResolveError(`unknown kind "${kind}" in endpoint "${ref}"`, REFERENCE_HELP);
  return resolvedKind === 'Node' ? { kind: 'Node', name } : { kind: resolvedKind, namespace, name };
}

/**
 * For a Service destination, the port/protocol the user asked for (--port, a flow's port): it selects
 * the service port (by number or name) unless the reference names one itself (`svc/api:http`).
 */
export interface ServicePortRequest {
  readonly port?: number | string;
  readonly protocol?: Protocol;
}

export function resolveReference(raw: string, defaultNamespace: string, idx: ClusterIndex, request: ServicePortRequest = {}): Resolved {
  const ref = raw.trim();
  const parsed = parseReference(ref, defaultNamespace);
  switch (parsed.kind) {
    case 'ip':
      return resolveIP(ref, idx);
    case 'Pod':
      return resolvePod(ref, parsed.namespace, parsed.name, idx);
    case 'Service':
      return resolveService(ref, parsed.namespace, parsed.name, idx, request);
    case 'Node':
      return resolveNode(ref, parsed.name, idx);
    default:
      return resolveWorkload(ref, parsed.namespace, parsed.kind, parsed.name, idx);
  }
}

/** The short kind names references use (`deploy/NAME`, ...), as kubectl spells them. */
export const KIND_SHORT: Record<WorkloadRef['kind'], string> = { Deployment: 'deploy', StatefulSet: 'sts', DaemonSet: 'ds', ReplicaSet: 'rs', Job: 'job', CronJob: 'cronjob', ReplicationController: 'rc' };

/** How a pod is named in output: `ns/name`, or `ns/deploy/name` for a workload's pod template. */
export function podLabel(p: PodInfo): string {
  return p.template && p.workload ? `${p.namespace}/${KIND_SHORT[p.workload.kind]}/${p.workload.name}` : `${p.namespace}/${p.name}`;
}

function resolvePod(ref: string, namespace: string, name: string, idx: ClusterIndex): Resolved {
  const pod = idx.pod(namespace, name);
  if (pod) {
    const label = podLabel(pod);
    // A workload without running pods stands in under its own name: say that this is not a pod.
    const notes = pod.template && pod.workload ? [`no pod named ${name} in namespace ${namespace}: using the pod template of ${pod.workload.kind} ${namespace}/${pod.workload.name} (write ${label} to name it)`] : [];
    const inactive = inactiveNote(pod, label);
    return resolved(ref, 'pod', [{ endpoint: { kind: 'pod', pod }, label }], notes, inactive ? [inactive] : []);
  }
  throw new ResolveError(`pod ${namespace}/${name} not found`, podNotFoundHint(namespace, name, idx));
}

/** Where a pod that is not in `namespace` may be: the same name elsewhere, a workload of that name, or what the namespace holds. */
function podNotFoundHint(namespace: string, name: string, idx: ClusterIndex): string {
  const elsewhere = idx.state.pods.filter((p) => p.name === name && !p.template && p.namespace !== namespace).map((p) => `${p.namespace}/${p.name}`);
  if (elsewhere.length === 1) return `did you mean ${elsewhere[0]}? (give NAMESPACE/POD, or -n ${elsewhere[0]!.split('/')[0]})`;
  if (elsewhere.length > 1) return `pods named ${name} in other namespaces: ${elsewhere.slice(0, 10).join(', ')}${elsewhere.length > 10 ? ', ...' : ''}; give NAMESPACE/POD`;
  const workload = idx.podsIn(namespace).find((p) => p.workload?.name === name)?.workload;
  if (workload) return `${workload.kind} ${namespace}/${name} exists: write ${namespace}/${KIND_SHORT[workload.kind]}/${name} for its pods`;
  const inNs = idx.podsIn(namespace).map((p) => p.name);
  if (inNs.length > 0) return `pods in namespace ${namespace}: ${inNs.slice(0, 10).join(', ')}${inNs.length > 10 ? ', ...' : ''}`;
  return idx.namespace(namespace) ? `namespace ${namespace} has no pods` : `namespace ${namespace} is not in the input; set it with NAMESPACE/POD or -n`;
}

/** Members of a workload or Service that hold no address are left out; this says which. */
function skippedNote(what: string, skipped: readonly PodInfo[]): string[] {
  if (skipped.length === 0) return [];
  const names = skipped.slice(0, 5).map((p) => `${podLabel(p)} (${p.phase})`).join(', ');
  return [`${skipped.length} pod${skipped.length > 1 ? 's' : ''} of ${what} left out: ${names}${skipped.length > 5 ? ', ...' : ''}; finished pods and pods without an IP hold no address (name one as NAMESPACE/POD to analyse it anyway)`];
}

function resolveWorkload(ref: string, namespace: string, kind: WorkloadRef['kind'], name: string, idx: ClusterIndex): Resolved {
  // Pods of a Deployment's ReplicaSet are attributed to the Deployment; the ReplicaSet is named
  // <deployment>-<pod-template-hash>, which is how rs/NAME still finds them.
  const ofReplicaSet = (p: PodInfo) => kind === 'ReplicaSet' && p.workload?.kind === 'Deployment' && p.labels['pod-template-hash'] !== undefined && name === `${p.workload.name}-${p.labels['pod-template-hash']}`;
  const members = idx.podsIn(namespace).filter((p) => (p.workload?.kind === kind && p.workload.name === name) || ofReplicaSet(p));
  const pods = members.filter(isActivePod);
  const skipped = skippedNote(`${kind} ${namespace}/${name}`, members.filter((p) => !isActivePod(p)));
  if (pods.length === 0 && members.length > 0) throw new ResolveError(`${kind} ${namespace}/${name} has no running pods`, skipped[0]);
  if (pods.length === 0) {
    const known = idx.podsIn(namespace).filter((p) => p.workload?.kind === kind).map((p) => p.workload!.name);
    const hint = known.length > 0 ? `${kind}s in ${namespace}: ${[...new Set(known)].join(', ')}` : `no ${kind} in namespace ${namespace}`;
    throw new ResolveError(`${kind} ${namespace}/${name} not found (no pods or pod template)`, hint);
  }
  const notes = pods.some((p) => p.template) ? [`${kind} ${namespace}/${name} has no running pods; its pod template is analysed`] : [];
  return resolved(ref, 'workload', pods.map((pod) => ({ endpoint: { kind: 'pod', pod }, label: podLabel(pod) })), notes, skipped);
}

function resolveIP(ref: string, idx: ClusterIndex): Resolved {
  const holders = idx.podsWithIP(ref);
  // The address the user named fixes the connection's IP family (dual-stack pods have two).
  const target = (pod: PodInfo): Target => ({ endpoint: { kind: 'pod', pod, address: ref }, label: podLabel(pod) });
  if (holders.length === 1) return resolved(ref, 'pod', [target(holders[0]!)], [`${ref} is the IP of pod ${podLabel(holders[0]!)}`]);
  if (holders.length > 1) {
    const names = holders.map(podLabel).join(' and ');
    return resolved(ref, 'pod', holders.map(target), [], [`${ref} is ambiguous: it is the IP of ${holders.length} pods that are not finished, ${names} (one of them reports a stale IP); each is analysed`]);
  }
  // No pod holds it now; a finished pod may still report it (its IP was released).
  const wanted = canonicalIP(ref);
  const former = idx.state.pods.filter((p) => !p.hostNetwork && !isActivePod(p) && p.ips.some((ip) => canonicalIP(ip) === wanted)).map(podLabel);
  const formerNote = former.length > 0 ? [`${ref} was the IP of finished pod${former.length > 1 ? 's' : ''} ${former.join(', ')}, which hold${former.length > 1 ? '' : 's'} no address now`] : [];
  const node = idx.nodeByIP(ref);
  if (node) return resolved(ref, 'node', [{ endpoint: { kind: 'ip', ip: ref, node }, label: `node/${node.name} (${ref})` }], [`${ref} is an address of node ${node.name}`], formerNote);
  const svc = idx.state.services.find((s) => s.clusterIPs.includes(ref));
  if (svc) {
    throw new ResolveError(`${ref} is the ClusterIP of service ${svc.namespace}/${svc.name}; policies see backend pod IPs, not the ClusterIP`, `use ${svc.namespace}/svc/${svc.name}`);
  }
  return resolved(ref, 'ip', [{ endpoint: { kind: 'ip', ip: ref }, label: ref }], [], formerNote.length > 0 ? [`${formerNote[0]}: analysed as an address outside the pod network`] : []);
}

function resolveNode(ref: string, name: string, idx: ClusterIndex): Resolved {
  const node = idx.node(name);
  if (!node) throw new ResolveError(`node ${name} not found`, `nodes: ${idx.state.nodes.map((n) => n.name).join(', ') || '(none in the input)'}`);
  const ip = node.addresses[0];
  if (!ip) throw new ResolveError(`node ${name} has no addresses in status.addresses`);
  return resolved(ref, 'node', [{ endpoint: { kind: 'ip', ip, node }, label: `node/${name} (${ip})` }]);
}

/**
 * `svc/NAME[:PORT]`: ready backends from EndpointSlices (or the selector when there are none), with the
 * service port translated to each backend's targetPort. Policies see pod IPs and container ports.
 */
function resolveService(ref: string, namespace: string, nameAndPort: string, idx: ClusterIndex, request: ServicePortRequest): Resolved {
  const [name, portText] = nameAndPort.split(':') as [string, string | undefined];
  const svc = idx.state.services.find((s) => s.namespace === namespace && s.name === name);
  if (!svc) {
    const names = idx.state.services.filter((s) => s.namespace === namespace).map((s) => s.name);
    throw new ResolveError(`service ${namespace}/${name} not found`, names.length ? `services in ${namespace}: ${names.join(', ')}` : `no services in namespace ${namespace}`);
  }
  if (portText !== undefined && request.port !== undefined && String(request.port) !== portText) {
    throw new ResolveError(`${ref} names service port ${portText} but --port asks for ${request.port}`, 'give the service port once: in the reference (svc/NAME:PORT) or with --port');
  }
  const svcPort = pickServicePort(svc, portText ?? (request.port === undefined ? undefined : String(request.port)), request.protocol);
  const notes: string[] = [];
  const members = serviceBackends(svc, idx, notes);
  const backends = members.filter(isActivePod);
  const skipped = skippedNote(`service ${namespace}/${name}`, members.filter((p) => !isActivePod(p)));
  if (backends.length === 0) throw new ResolveError(`service ${namespace}/${name} has no ready backend pods`, skipped[0] ?? 'check its EndpointSlices / selector');
  const targets: Target[] = [];
  for (const pod of backends) {
    let port: number | undefined;
    if (svcPort) {
      if (typeof svcPort.targetPort === 'number') port = svcPort.targetPort;
      else port = pod.ports.find((p) => p.name === svcPort.targetPort && p.protocol === svcPort.protocol)?.port;
      if (port === undefined) {
        notes.push(`backend ${podLabel(pod)} declares no ${svcPort.protocol} port named "${svcPort.targetPort}": skipped (the service sends it no traffic on this port)`);
        continue;
      }
    }
    targets.push({ endpoint: { kind: 'pod', pod }, label: podLabel(pod), ...(port !== undefined ? { port } : {}), ...(svcPort ? { protocol: svcPort.protocol, via: `svc/${name}:${svcPort.port}` } : {}) });
  }
  if (svcPort) notes.unshift(`service port ${svcPort.port}/${svcPort.protocol} -> targetPort ${svcPort.targetPort}; policies are checked against backend pod IPs and container ports, not the ClusterIP`);
  return resolved(ref, 'service', targets, notes, skipped);
}

/** The service port meant by `portText` (number or name) and protocol; a wrong one is an error, never ignored. */
function pickServicePort(svc: ServiceInfo, portText: string | undefined, protocol: Protocol | undefined) {
  const list = `ports: ${svc.ports.map((sp) => `${sp.name ? `${sp.name}=` : ''}${sp.port}/${sp.protocol}`).join(', ')}`;
  const candidates = svc.ports.filter((sp) => protocol === undefined || sp.protocol === protocol);
  if (portText === undefined) {
    if (candidates.length === 1) return candidates[0];
    if (candidates.length === 0) throw new ResolveError(`service ${svc.namespace}/${svc.name} has no ${protocol} port`, list);
    return undefined;
  }
  const p = candidates.find((sp) => sp.name === portText || String(sp.port) === portText);
  if (!p) throw new ResolveError(`service ${svc.namespace}/${svc.name} has no port ${portText}${protocol ? `/${protocol}` : ''}`, `${list}; --port and svc/NAME:PORT name a SERVICE port, which is translated to the backends' targetPort`);
  return p;
}

function serviceBackends(svc: ServiceInfo, idx: ClusterIndex, notes: string[]): PodInfo[] {
  const slices = idx.state.endpointSlices.filter((s) => s.namespace === svc.namespace && s.serviceName === svc.name);
  if (slices.length > 0) {
    const pods: PodInfo[] = [];
    for (const slice of slices)
      for (const ep of slice.endpoints) {
        if (!ep.ready) continue;
        const pod = ep.targetPod ? idx.pod(ep.targetPod.namespace, ep.targetPod.name) : ep.addresses.map((a) => idx.podByIP(a)).find((p) => p);
        if (pod && !pods.includes(pod)) pods.push(pod);
      }
    return pods;
  }
  if (!svc.selector) return [];
  notes.push(`no EndpointSlices for ${svc.namespace}/${svc.name} in the input: backends chosen by the service selector`);
  return idx.podsIn(svc.namespace).filter((p) => selectorMatches({ matchLabels: svc.selector! }, p.labels));
}
