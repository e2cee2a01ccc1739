// What a probe run will do (pure): the user's questions -> the model's verdicts (engine explain) ->
// one planned connection per (source pod, destination address, port), with the reasons for any that
// cannot run. Services give one probe per backend pod IP and one to the ClusterIP, so kube-proxy and
// policy can be told apart. The runner groups the result by source pod.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { explain, type ExplainResult } from '../engine/explain.js';
import type { PodInfo, Protocol } from '../engine/model.js';
import { parseReference, podLabel, resolveReference, ResolveError } from '../engine/resolve.js';
import type { Endpoint } from '../engine/trace.js';
import { MAX_PROBES_PER_CONTAINER } from './program.js';
import type { DestinationFacts, PlannedProbe, SourcePod } from './types.js';

/** One question: FROM -> TO on each port (a flow of a flows file is one request with one port). */
export interface ProbeRequest {
  readonly from: string;
  readonly to: string;
  /** Empty: the request cannot be probed (a flow without a port asks about "some port"). */
  readonly ports: readonly (number | string)[];
  readonly protocol?: Protocol;
}

export interface PlanOptions {
  /** Namespace for references without one. */
  readonly namespace: string;
  /** Probe from every pod of a workload source (default: one ready pod). */
  readonly allPods?: boolean;
  /** Most connections one run may attempt; more is an error that says how to narrow the question. */
  readonly maxConnections: number;
  /** --serve: destinations are stand-in listeners with the destination's labels. */
  readonly serve?: boolean;
  /** Reference errors: 'throw' (one path on the command line) or 'record' (a flows file: a not-run item). */
  readonly onError: 'throw' | 'record';
}

/** A --serve listener to create: the labels and namespace of the destination it stands for. */
export interface ListenerSpec {
  readonly key: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly standsFor: string;
  readonly ports: readonly { port: number; protocol: Protocol; name?: string }[];
}

export interface Plan {
  readonly probes: readonly PlannedProbe[];
  /** --serve only: listeners keyed by ListenerSpec.key (PlannedProbe.host holds `listener:KEY` until the runner knows the IP). */
  readonly listeners: readonly ListenerSpec[];
  /** Resolution facts (service port translation, pod chosen for a workload). */
  readonly notes: readonly string[];
}

export class PlanBoundError extends Error {
  constructor(readonly planned: number, readonly bound: number) {
    super(`${planned} connections planned, more than the bound of ${bound} (--max-connections)`);
    this.name = 'PlanBoundError';
  }
}

/** A destination given as `dns:NAME` is probed by name: the model cannot decide a path to a name. */
export const DNS_PREFIX = 'dns:';

/** Sidecar proxies of the common meshes: they intercept traffic, so what a probe sees is the proxy's doing. */
export const MESH_SIDECARS = ['istio-proxy', 'linkerd-proxy', 'kuma-sidecar', 'consul-dataplane', 'envoy-sidecar'];

const meshOf = (p: PodInfo | undefined): string[] => (p?.containers ?? []).filter((c) => MESH_SIDECARS.includes(c));

export const listenerHost = (key: string): string => `listener:${key}`;

function sourceOf(p: PodInfo): SourcePod {
  return { namespace: p.namespace, name: p.name, labels: p.labels, hostNetwork: p.hostNetwork, ...(p.serviceAccount ? { serviceAccount: p.serviceAccount } : {}), ...(p.nodeName ? { nodeName: p.nodeName } : {}) };
}

const running = (p: PodInfo): boolean => !p.template && p.ips.length > 0 && (p.phase === undefined || p.phase === 'Running');

/** The source pods a reference stands for: every running pod, or for a workload one (ready first) unless --all-pods. */
function chooseSources(res: ExplainResult, allPods: boolean, notes: string[]): { pods: PodInfo[]; why?: string } {
  if (res.from.kind === 'ip' || res.from.kind === 'node') return { pods: [], why: `the source ${res.from.ref} is not a pod: a probe needs a pod's network identity (an ephemeral container in it, or a clone of it)` };
  const pods = res.from.targets.flatMap((t) => (t.endpoint.kind === 'pod' ? [t.endpoint.pod] : []));
  const live = pods.filter(running);
  if (live.length === 0) return { pods: [], why: `${res.from.ref} has no running pod${pods.some((p) => p.template) ? ' (only a pod template)' : ''}: nothing to probe from` };
  if (res.from.kind !== 'workload' || allPods || live.length === 1) return { pods: live };
  const chosen = live.find((p) => p.ready) ?? live[0]!;
  notes.push(`${res.from.ref}: probing from ${podLabel(chosen)} (${chosen.ready ? 'ready' : 'running, none ready'}), one of ${live.length} pods; --all-pods probes from each`);
  return { pods: [chosen] };
}

function destination(ep: Endpoint): { host?: string; kind: PlannedProbe['kind']; facts: DestinationFacts; why?: string } {
  if (ep.kind === 'pod') {
    const p = ep.pod;
    const facts: DestinationFacts = { pod: podLabel(p), ...(p.hostNetwork ? { hostNetwork: true } : {}), ...(meshOf(p).length ? { meshSidecars: meshOf(p) } : {}) };
    const host = ep.address ?? p.ips[0];
    if (!running(p) || !host) return { kind: 'pod', facts, why: `${podLabel(p)} is not running with an IP${p.template ? ' (a pod template)' : ''}: nothing to connect to (--serve starts a stand-in listener)` };
    return { host, kind: 'pod', facts };
  }
  return { host: ep.ip, kind: ep.node ? 'node' : 'outside', facts: {} };
}

interface Draft extends Omit<PlannedProbe, 'id'> {}

export function planProbes(requests: readonly ProbeRequest[], idx: ClusterIndex, opts: PlanOptions): Plan {
  const drafts: Draft[] = [];
  const notes: string[] = [];
  const listeners = new Map<string, ListenerSpec>();
  const notRun = (request: number, from: string, to: string, port: number | string | undefined, protocol: Protocol, why: string): Draft => ({
    request, from, to, host: '', port: typeof port === 'number' ? port : 0, ...(typeof port === 'string' ? { portName: port } : {}), protocol, kind: 'pod', dest: {}, notRun: why,
  });

  requests.forEach((req, ri) => {
    const protocol = req.protocol ?? 'TCP';
    if (req.ports.length === 0) {
      drafts.push(notRun(ri, req.from, req.to, undefined, protocol, 'no port given: a probe connects to one port (the static check answers "is some port allowed?")'));
      return;
    }
    if (req.to.startsWith(DNS_PREFIX)) {
      planDns(req, ri, protocol, idx, opts, drafts, notes, notRun);
      return;
    }
    for (const port of req.ports) {
      let res: ExplainResult;
      try {
        res = explain({ from: req.from, to: req.to, port, ...(req.protocol ? { protocol: req.protocol } : {}), namespace: opts.namespace }, idx);
      } catch (e) {
        if (!(e instanceof ResolveError) || opts.onError === 'throw') throw e;
        drafts.push(notRun(ri, req.from, req.to, port, protocol, `${e.message}${e.hint ? ` (${e.hint})` : ''}`));
        continue;
      }
      for (const n of [...res.from.notes, ...res.to.notes]) if (!notes.includes(n)) notes.push(n);
      const src = chooseSources(res, opts.allPods === true, notes);
      if (src.pods.length === 0) {
        drafts.push(notRun(ri, req.from, req.to, port, protocol, src.why!));
        continue;
      }
      const labels = new Set(src.pods.map(podLabel));
      const pairs = res.pairs.filter((p) => labels.has(p.from) && p.verdict);
      for (const pod of src.pods) {
        const mine = pairs.filter((p) => p.from === podLabel(pod));
        for (const pair of mine) {
          const v = pair.verdict!;
          const q = v.query;
          if (q.to.kind === 'pod' && q.to.pod === pod) {
            drafts.push({ request: ri, from: pair.from, to: pair.to, host: '', port: q.port, protocol: q.protocol, kind: 'pod', dest: {}, notRun: `${pair.from} to itself: traffic inside one pod is never policed, and a clone would not be the same pod` });
            continue;
          }
          const base = { request: ri, from: pair.from, port: q.port, protocol: q.protocol, ...(typeof port === 'string' ? { portName: port } : {}), source: sourceOf(pod), verdict: v, allowed: v.allowed };
          const srcMesh = meshOf(pod);
          if (opts.serve) {
            if (q.to.kind !== 'pod') {
              drafts.push({ ...base, to: pair.to, host: '', kind: 'listener', dest: {}, notRun: '--serve stands in for a pod destination; this destination is an address' });
              continue;
            }
            const d = q.to.pod;
            const key = `${d.namespace}/${Object.entries(d.labels).sort().map(([k, val]) => `${k}=${val}`).join(',')}`;
            const spec = listeners.get(key) ?? { key, namespace: d.namespace, labels: d.labels, standsFor: podLabel(d), ports: [] };
            const declared = d.ports.find((p) => p.port === q.port && p.protocol === q.protocol);
            if (!spec.ports.some((p) => p.port === q.port && p.protocol === q.protocol)) listeners.set(key, { ...spec, ports: [...spec.ports, { port: q.port, protocol: q.protocol, ...(declared?.name ? { name: declared.name } : {}) }] });
            else listeners.set(key, spec);
            drafts.push({ ...base, to: `${pair.to} (stand-in listener)`, host: listenerHost(key), kind: 'listener', dest: { pod: podLabel(d), declaresPort: true, ...(srcMesh.length ? { meshSidecars: srcMesh } : {}) } });
            continue;
          }
          const dst = destination(q.to);
          const mesh = [...srcMesh, ...(dst.facts.meshSidecars ?? [])];
          const declaresPort = q.to.kind === 'pod' ? q.to.pod.ports.some((p) => p.port === q.port && p.protocol === q.protocol) : undefined;
          const facts: DestinationFacts = { ...dst.facts, ...(mesh.length ? { meshSidecars: [...new Set(mesh)] } : {}), ...(declaresPort !== undefined ? { declaresPort } : {}) };
          const to = pair.via ? `${pair.to} (${pair.via} backend)` : pair.to;
          if (!dst.host) drafts.push({ ...base, to, host: '', kind: dst.kind, dest: facts, notRun: dst.why! });
          else drafts.push({ ...base, to, host: dst.host, kind: dst.kind, dest: facts });
        }
        if (res.to.kind === 'service' && !opts.serve) drafts.push(...clusterIPProbes(res, req, ri, port, pod, mine.map((p) => ({ to: p.to, allowed: p.verdict!.allowed })), idx, opts.namespace));
      }
    }
  });

  // One container per source pod holds every connection from it: its termination message bounds how many.
  const perSource = new Map<string, number>();
  const probes: PlannedProbe[] = drafts.map((d, id) => {
    if (d.notRun || !d.source) return { ...d, id };
    const k = `${d.source.namespace}/${d.source.name}`;
    const n = (perSource.get(k) ?? 0) + 1;
    perSource.set(k, n);
    if (n > MAX_PROBES_PER_CONTAINER) return { ...d, id, notRun: `more than ${MAX_PROBES_PER_CONTAINER} connections from ${k} in one run (one probe container's results must fit its termination message): split the question` };
    return { ...d, id };
  });
  const planned = probes.filter((p) => !p.notRun).length;
  if (planned > opts.maxConnections) throw new PlanBoundError(planned, opts.maxConnections);
  return { probes, listeners: [...listeners.values()], notes };
}

/** The ClusterIP probe of a Service destination: expected allowed when every backend is, denied when none is. */
function clusterIPProbes(res: ExplainResult, req: ProbeRequest, ri: number, port: number | string, pod: PodInfo, backends: { to: string; allowed: boolean }[], idx: ClusterIndex, namespace: string): Draft[] {
  const parsed = parseReference(req.to, namespace);
  if (parsed.kind !== 'Service') return [];
  const [name] = parsed.name.split(':') as [string];
  const svc = idx.state.services.find((s) => s.namespace === parsed.namespace && s.name === name);
  const via = res.pairs.find((p) => p.via)?.via;
  const svcPort = via ? Number(via.slice(via.lastIndexOf(':') + 1)) : typeof port === 'number' ? port : undefined;
  const sp = svc?.ports.find((p) => p.port === svcPort);
  const ip = svc?.clusterIPs.find((c) => c !== 'None' && c !== '');
  if (!svc || !sp || !ip || backends.length === 0) return [];
  const allowedTo = backends.filter((b) => b.allowed).map((b) => b.to);
  const deniedTo = backends.filter((b) => !b.allowed).map((b) => b.to);
  const allowed = deniedTo.length === 0 ? true : allowedTo.length === 0 ? false : undefined;
  return [
    {
      request: ri,
      from: podLabel(pod),
      to: `${svc.namespace}/svc/${svc.name}:${sp.port} (ClusterIP ${ip})`,
      host: ip,
      port: sp.port,
      protocol: sp.protocol,
      source: sourceOf(pod),
      ...(allowed !== undefined ? { allowed } : {}),
      kind: 'clusterIP',
      dest: { backendsAllowed: allowedTo, backendsDenied: deniedTo },
    },
  ];
}

function planDns(req: ProbeRequest, ri: number, protocol: Protocol, idx: ClusterIndex, opts: PlanOptions, drafts: Draft[], notes: string[], notRun: (ri: number, f: string, t: string, p: number | string | undefined, pr: Protocol, why: string) => Draft): void {
  const name = req.to.slice(DNS_PREFIX.length);
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?$/.test(name)) throw new ResolveError(`"${req.to}" is not a DNS name`, 'write dns:NAME, e.g. dns:api.backend.svc.cluster.local');
  let from;
  try {
    from = resolveReference(req.from, opts.namespace, idx);
  } catch (e) {
    if (!(e instanceof ResolveError) || opts.onError === 'throw') throw e;
    drafts.push(notRun(ri, req.from, req.to, req.ports[0], protocol, e.message));
    return;
  }
  const src = chooseSources({ from, to: from, allowed: true, ambiguous: false, protocol, pairs: [] }, opts.allPods === true, notes);
  for (const port of req.ports) {
    if (typeof port === 'string') {
      drafts.push(notRun(ri, req.from, req.to, port, protocol, `port name "${port}" cannot be resolved on a DNS name: give a number`));
      continue;
    }
    if (src.pods.length === 0) drafts.push(notRun(ri, req.from, req.to, port, protocol, src.why!));
    for (const pod of src.pods) drafts.push({ request: ri, from: podLabel(pod), to: name, host: name, port, protocol, source: sourceOf(pod), kind: 'dns', dest: {} });
  }
}

/** `probe -n NS [--to-namespace NS2]`: every running pod of NS to every running pod of NS2 (itself excluded) on each port. */
export function matrixRequests(idx: ClusterIndex, fromNs: string, toNs: string, ports: readonly (number | string)[], protocol?: Protocol): ProbeRequest[] {
  const froms = idx.podsIn(fromNs).filter(running);
  const tos = idx.podsIn(toNs).filter(running);
  const out: ProbeRequest[] = [];
  for (const f of froms) for (const t of tos) if (f !== t) out.push({ from: `${f.namespace}/${f.name}`, to: `${t.namespace}/${t.name}`, ports, ...(protocol ? { protocol } : {}) });
  return out;
}
