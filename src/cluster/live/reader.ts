// Reads what a question needs from the API server and converts objects into the engine model as
// they arrive (each list page is converted and dropped; only the model is kept).
//
// Plans:
// - endpoints (explain): per reference only what the answer depends on — the namespaces of the two
//   ends (GET) and their NetworkPolicies, the pods (GET one pod; for a workload GET it and list its
//   pods by its selector; for svc/NAME the Service, its EndpointSlices and backend pods; for an IP a
//   pod lookup by status.podIP plus the nodes), the admin-tier policies, and nodes only for IPs,
//   node/ references and hostNetwork pods;
// - namespace (matrix -n): one namespace's pods, policies and workloads;
// - all (matrix -A, check): everything cluster-wide, paginated, all resources in parallel.
// Permissions: where a narrower read can still answer, a 403 falls back and records a Limitation;
// otherwise it is an error naming the verb, resource and namespace.

import type {
  AdminPolicy,
  ClusterState,
  EndpointSliceInfo,
  Limitation,
  NamespaceInfo,
  NetworkPolicy,
  NodeInfo,
  PodInfo,
  ServiceInfo,
  WorkloadRef,
} from '../../engine/model.js';
import { controllerOf, NAMESPACE_NAME_LABEL, SERVICE_NAME_LABEL, type PodRead } from '../convert-core.js';
import { SUPPORTED_KINDS } from '../kinds.js';
import type { ObjectContext, Problem } from '../problems.js';
import { WorkloadIndex, type WorkloadInfo } from '../workloads.js';
import { ApiStatusError, type ApiClient, type ApiRequest } from './client.js';
import { CniEvidence } from './cni-evidence.js';
import { describeAccess, describeAccessMany } from './errors.js';
import { parseRef, selectorQuery, type RefPlan } from './refs.js';

interface ResourceSpec {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const spec = (group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceSpec => ({ group, version, resource, kind, namespaced });

export const RESOURCES = {
  namespaces: spec('', 'v1', 'namespaces', 'Namespace', false),
  pods: spec('', 'v1', 'pods', 'Pod', true),
  nodes: spec('', 'v1', 'nodes', 'Node', false),
  services: spec('', 'v1', 'services', 'Service', true),
  endpointslices: spec('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true),
  networkpolicies: spec('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true),
  deployments: spec('apps', 'v1', 'deployments', 'Deployment', true),
  statefulsets: spec('apps', 'v1', 'statefulsets', 'StatefulSet', true),
  daemonsets: spec('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  replicasets: spec('apps', 'v1', 'replicasets', 'ReplicaSet', true),
  jobs: spec('batch', 'v1', 'jobs', 'Job', true),
  cronjobs: spec('batch', 'v1', 'cronjobs', 'CronJob', true),
  replicationcontrollers: spec('', 'v1', 'replicationcontrollers', 'ReplicationController', true),
  adminnetworkpolicies: spec('policy.networking.k8s.io', 'v1alpha1', 'adminnetworkpolicies', 'AdminNetworkPolicy', false),
  baselineadminnetworkpolicies: spec('policy.networking.k8s.io', 'v1alpha1', 'baselineadminnetworkpolicies', 'BaselineAdminNetworkPolicy', false),
  clusternetworkpolicies: spec('policy.networking.k8s.io', 'v1alpha2', 'clusternetworkpolicies', 'ClusterNetworkPolicy', false),
  /** Read raw, for CNI detection only. */
  configmaps: spec('', 'v1', 'configmaps', 'ConfigMap', true),
} as const;

/** GET /apis: the API groups and versions served. */
const DISCOVERY: ApiRequest = { verb: 'get', group: '', version: '', resource: '' };

const WORKLOAD_RESOURCES: Readonly<Record<WorkloadRef['kind'], ResourceSpec>> = {
  Deployment: RESOURCES.deployments,
  StatefulSet: RESOURCES.statefulsets,
  DaemonSet: RESOURCES.daemonsets,
  ReplicaSet: RESOURCES.replicasets,
  Job: RESOURCES.jobs,
  CronJob: RESOURCES.cronjobs,
  ReplicationController: RESOURCES.replicationcontrollers,
};

export const ADMIN_GROUP = 'policy.networking.k8s.io';
/** Versions of policy.networking.k8s.io this build reads, with their resources. */
const ADMIN_VERSIONS: Readonly<Record<string, readonly ResourceSpec[]>> = {
  v1alpha1: [RESOURCES.adminnetworkpolicies, RESOURCES.baselineadminnetworkpolicies],
  v1alpha2: [RESOURCES.clusternetworkpolicies],
};

export type LoadPlan =
  | { readonly mode: 'endpoints'; readonly refs: readonly string[] }
  | { readonly mode: 'namespace'; readonly namespace: string }
  /** `namespaces`: the references' namespaces, to read one by one if cluster-wide lists are forbidden. */
  | { readonly mode: 'all'; readonly services: boolean; readonly namespaces?: readonly string[] };

/** Limits of the targeted reads: beyond them, one list is cheaper than many GETs. */
const MAX_POD_GETS = 20;
const MAX_NODE_GETS = 5;
const MAX_IP_LOOKUPS = 10;

const isStatus = (e: unknown, status: number): e is ApiStatusError => e instanceof ApiStatusError && e.status === status;
const key = (...parts: string[]): string => parts.join('\0');
const LIVE_SOURCE = { origin: 'live' } as const;

// ---------------------------------------------------------------- conversion

/** Converted objects, keyed so a pod fetched twice (GET and a list) is kept once. */
class Collector {
  readonly namespaces = new Map<string, NamespaceInfo>();
  readonly pods = new Map<string, PodRead>();
  readonly nodes = new Map<string, NodeInfo>();
  readonly services = new Map<string, ServiceInfo>();
  readonly slices = new Map<string, EndpointSliceInfo>();
  readonly netpols = new Map<string, NetworkPolicy>();
  readonly admins = new Map<string, AdminPolicy>();
  readonly workloads = new Map<string, WorkloadInfo>();
  readonly problems: Problem[] = [];
  objects = 0;

  add(kind: string, obj: unknown): void {
    const s = SUPPORTED_KINDS[kind];
    if (!s) return;
    this.objects++;
    const ns = (obj as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
    const ctx: ObjectContext = { defaultNamespace: typeof ns === 'string' && ns ? ns : 'default', source: LIVE_SOURCE };
    const c = s.convert;
    switch (c.to) {
      case 'namespace':
        return this.keep(c.fn(obj, ctx), (v) => this.namespaces.set(v.name, v));
      case 'pod':
        return this.keep(c.fn(obj, ctx), (v) => this.pods.set(key(v.pod.namespace, v.pod.name), v));
      case 'node':
        return this.keep(c.fn(obj, ctx), (v) => this.nodes.set(v.name, v));
      case 'service':
        return this.keep(c.fn(obj, ctx), (v) => this.services.set(key(v.namespace, v.name), v));
      case 'slice':
        return this.keep(c.fn(obj, ctx), (v) => this.slices.set(key(v.namespace, v.name), v));
      case 'netpol':
        return this.keep(c.fn(obj, ctx), (v) => this.netpols.set(key(v.namespace, v.name), v));
      case 'admin':
        return this.keep(c.fn(obj, ctx), (v) => this.admins.set(key(v.kind, v.name), v));
      case 'workload':
        return this.keep(c.fn(obj, ctx), (v) => this.workloads.set(key(v.ref.kind, v.namespace, v.ref.name), v));
    }
  }

  private keep<T>(res: { ok: boolean; value?: T; problems: readonly Problem[] }, put: (v: T) => void): void {
    if (res.problems.length > 0) this.problems.push(...res.problems);
    if (res.ok) put(res.value as T);
  }
}

// ---------------------------------------------------------------- reading

export interface LoadStats {
  /** Objects converted. */
  objects: number;
  /** Pages per list call, e.g. `pods in all namespaces` -> 3. */
  readonly lists: { readonly what: string; readonly pages: number; readonly items: number }[];
  /** Facts for -v / NETPOL_DEBUG that are not limitations (e.g. admin API not served). */
  readonly notes: string[];
}

export class LiveReader {
  readonly collected = new Collector();
  /** Raw evidence for CNI detection (src/cluster/cni.ts). */
  readonly cni = new CniEvidence();
  readonly stats: LoadStats = { objects: 0, lists: [], notes: [] };
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Namespaces that exist but could not be read (403): synthetic in the state. */
  private readonly unreadableNamespaces = new Map<string, ApiRequest>();
  private readonly limitations = new Map<string, Limitation>();
  private readonly forbiddenAdmin: ApiRequest[] = [];
  private readonly forbiddenWorkloads: ApiRequest[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly defaultNamespace: string,
  ) {}

  private once<T>(k: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(k) as Promise<T> | undefined;
    if (!p) this.memo.set(k, (p = fn()));
    return p;
  }

  private limit(id: string, message: string): void {
    if (!this.limitations.has(id)) this.limitations.set(id, { id, message });
  }

  private req(r: ResourceSpec, verb: 'get' | 'list', namespace?: string, name?: string, query?: Record<string, string | undefined>): ApiRequest {
    return {
      verb,
      group: r.group,
      version: r.version,
      resource: r.resource,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(query ? { query } : {}),
    };
  }

  /** GET one object and convert it; undefined when it does not exist. */
  private async getObject(r: ResourceSpec, namespace: string | undefined, name: string): Promise<unknown> {
    try {
      const obj = await this.client.get(this.req(r, 'get', namespace, name));
      this.collected.add(r.kind, obj);
      return obj;
    } catch (e) {
      if (isStatus(e, 404)) return undefined;
      throw e;
    }
  }

  /** A paginated list, converted page by page (or only handed to `onItem` when `convert` is false). */
  private async listAll(r: ResourceSpec, namespace?: string, query?: Record<string, string | undefined>, onItem?: (o: unknown) => void, convert = true): Promise<number> {
    const req = this.req(r, 'list', namespace, undefined, query);
    const res = await this.client.list(req, (items) => {
      for (const item of items) {
        if (convert) this.collected.add(r.kind, item);
        onItem?.(item);
      }
    });
    this.stats.lists.push({ what: `${describeAccess(req)}${query ? ` (${Object.entries(query).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`, pages: res.pages, items: res.items });
    return res.items;
  }

  /** GET /apis once: the served API groups (admin-tier versions, CNI evidence). */
  private discovery(): Promise<{ name?: string; versions?: { version?: string }[] }[] | undefined> {
    return this.once('discovery', async () => {
      try {
        const list = (await this.client.get(DISCOVERY)) as { groups?: { name?: string; versions?: { version?: string }[] }[] };
        const groups = list?.groups ?? [];
        this.cni.apiGroups = groups.map((g) => g.name ?? '').filter(Boolean);
        return groups;
      } catch (e) {
        if (!isStatus(e, 403) && !isStatus(e, 404)) throw e;
        this.stats.notes.push(`API discovery (/apis) failed: ${e.status}`);
        return undefined;
      }
    });
  }

  async load(plan: LoadPlan): Promise<void> {
    switch (plan.mode) {
      case 'endpoints':
        await Promise.all([this.adminPolicies(), this.cniReads(), ...plan.refs.map((r) => this.reference(parseRef(r, this.defaultNamespace)))]);
        await this.nodesForHostNetworkPods();
        return;
      case 'namespace':
        await Promise.all([
          this.adminPolicies(),
          this.cniReads(),
          this.namespaceBasics(plan.namespace),
          this.listAll(RESOURCES.pods, plan.namespace),
          this.workloadsIn(plan.namespace),
        ]);
        await this.nodesForHostNetworkPods();
        return;
      case 'all':
        await this.everything(plan.services, plan.namespaces ?? []);
        return;
    }
  }

  // -------------------------------------------------------------- namespaces and policies

  /** The namespace object and its NetworkPolicies (once per namespace). */
  private namespaceBasics(ns: string): Promise<unknown> {
    return this.once(`ns:${ns}`, () => Promise.all([this.readNamespace(ns), this.listAll(RESOURCES.networkpolicies, ns)]));
  }

  private async readNamespace(ns: string): Promise<void> {
    try {
      await this.getObject(RESOURCES.namespaces, undefined, ns);
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      this.unreadableNamespaces.set(ns, e.req);
    }
  }

  // -------------------------------------------------------------- references (explain)

  private async reference(ref: RefPlan): Promise<void> {
    switch (ref.kind) {
      case 'pod':
        await Promise.all([this.namespaceBasics(ref.namespace), this.pod(ref.namespace, ref.name)]);
        return;
      case 'workload':
        await Promise.all([this.namespaceBasics(ref.namespace), this.workload(ref.namespace, ref.workload, ref.name)]);
        return;
      case 'service':
        await Promise.all([this.namespaceBasics(ref.namespace), this.service(ref.namespace, ref.name)]);
        return;
      case 'node':
        await this.once(`node:${ref.name}`, () => this.node(ref.name));
        // Not found: list the nodes so the error can name them.
        if (!this.collected.nodes.has(ref.name)) await this.allNodes();
        return;
      case 'ip':
        await this.ip(ref.ip);
        return;
      case 'unknown':
        return;
    }
  }

  private async pod(ns: string, name: string): Promise<void> {
    const found = await this.once(`pod:${ns}/${name}`, () => this.getObject(RESOURCES.pods, ns, name));
    // Not found: list the namespace's pods so the error can name the pods that do exist.
    if (found === undefined) await this.once(`pods:${ns}`, () => this.listAll(RESOURCES.pods, ns));
  }

  private async workload(ns: string, kind: WorkloadRef['kind'], name: string): Promise<void> {
    const r = WORKLOAD_RESOURCES[kind];
    const obj = await this.once(`wl:${kind}:${ns}/${name}`, () => this.getObject(r, ns, name));
    if (obj === undefined) {
      // Not found: list that kind in the namespace so the error can name the ones that exist.
      await this.once(`wls:${kind}:${ns}`, () => this.listAll(r, ns));
      return;
    }
    const info = this.collected.workloads.get(key(kind, ns, name));
    if (!info) return; // could not be converted: reported as a problem
    const sel = selectorQuery(info.selector);
    // An empty selector would select the whole namespace: list it (the engine filters by owner).
    await this.once(`pods:${ns}:${sel}`, () => this.listAll(RESOURCES.pods, ns, sel ? { labelSelector: sel } : undefined));
  }

  private async service(ns: string, name: string): Promise<void> {
    const [obj] = await Promise.all([
      this.once(`svc:${ns}/${name}`, () => this.getObject(RESOURCES.services, ns, name)),
      this.once(`slices:${ns}/${name}`, () => this.slicesOf(ns, name)),
    ]);
    if (obj === undefined) {
      // Not found: list the namespace's services so the error can name the ones that exist.
      await this.once(`svcs:${ns}`, () => this.listAll(RESOURCES.services, ns));
      return;
    }
    const svc = this.collected.services.get(key(ns, name));
    const tasks: Promise<unknown>[] = [];
    if (svc?.selector) {
      const sel = selectorQuery({ matchLabels: svc.selector });
      tasks.push(this.once(`pods:${ns}:${sel}`, () => this.listAll(RESOURCES.pods, ns, { labelSelector: sel })));
    }
    await Promise.all(tasks);
    // Backends named by EndpointSlices that the selector did not bring (selector-less services).
    const slices = [...this.collected.slices.values()].filter((s) => s.namespace === ns && s.serviceName === name);
    const missing = new Map<string, { namespace: string; name: string }>();
    const addresses: string[] = [];
    for (const s of slices)
      for (const ep of s.endpoints) {
        if (!ep.ready) continue;
        if (ep.targetPod) {
          if (!this.collected.pods.has(key(ep.targetPod.namespace, ep.targetPod.name))) missing.set(key(ep.targetPod.namespace, ep.targetPod.name), ep.targetPod);
        } else addresses.push(...ep.addresses);
      }
    const more: Promise<unknown>[] = [];
    if (missing.size > MAX_POD_GETS) more.push(this.once(`pods:${ns}`, () => this.listAll(RESOURCES.pods, ns)));
    else for (const p of missing.values()) more.push(this.namespaceBasics(p.namespace), this.once(`pod:${p.namespace}/${p.name}`, () => this.getObject(RESOURCES.pods, p.namespace, p.name)));
    for (const a of addresses.slice(0, MAX_IP_LOOKUPS)) more.push(this.podByIP(a));
    await Promise.all(more);
  }

  private async slicesOf(ns: string, name: string): Promise<void> {
    try {
      await this.listAll(RESOURCES.endpointslices, ns, { labelSelector: `${SERVICE_NAME_LABEL}=${name}` });
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      this.limit(
        `endpointslices-unreadable:${ns}`,
        `EndpointSlices in namespace ${ns} could not be read (403 on ${describeAccess(e.req)}): Service backends are chosen by the Service's selector, readiness is not known`,
      );
    }
  }

  private async node(name: string): Promise<void> {
    try {
      await this.getObject(RESOURCES.nodes, undefined, name);
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      this.nodesForbidden(e.req);
    }
  }

  private nodesForbidden(req: ApiRequest): void {
    this.limit('nodes-unreadable', `nodes could not be read (403 on ${describeAccess(req)}): node IPs are not recognised and admin policy "nodes" peers cannot match`);
  }

  private async allNodes(onItem?: (o: unknown) => void): Promise<void> {
    await this.once('nodes', async () => {
      try {
        await this.listAll(RESOURCES.nodes, undefined, undefined, onItem);
        if (onItem) this.cni.settle('nodes', true);
      } catch (e) {
        if (!isStatus(e, 403)) throw e;
        this.nodesForbidden(e.req);
      }
    });
  }

  /** The pod that owns an IP (fieldSelector status.podIP), with its namespace and policies. */
  private async podByIP(ip: string): Promise<void> {
    await this.once(`ip:${ip}`, async () => {
      const owners: { namespace: string; hostNetwork: boolean }[] = [];
      try {
        await this.listAll(RESOURCES.pods, undefined, { fieldSelector: `status.podIP=${ip}` }, (o) => {
          const p = o as { metadata?: { namespace?: string }; spec?: { hostNetwork?: boolean } };
          owners.push({ namespace: p.metadata?.namespace ?? 'default', hostNetwork: p.spec?.hostNetwork === true });
        });
      } catch (e) {
        if (!isStatus(e, 403)) throw e;
        this.limit(`ip-lookup:${ip}`, `could not look up which pod has IP ${ip} (403 on ${describeAccess(e.req)}): it is treated as an address outside the pod network`);
        return;
      }
      // hostNetwork pods share their node's IP: the address is the node's, not theirs.
      await Promise.all(owners.filter((o) => !o.hostNetwork).map((o) => this.namespaceBasics(o.namespace)));
    });
  }

  private async ip(ip: string): Promise<void> {
    await Promise.all([this.podByIP(ip), this.allNodes()]);
    const isPod = [...this.collected.pods.values()].some((p) => !p.pod.hostNetwork && p.pod.ips.includes(ip));
    const isNode = [...this.collected.nodes.values()].some((n) => n.addresses.includes(ip));
    if (isPod || isNode) return;
    // Maybe a Service ClusterIP: the engine then says to use svc/NAME (policies never see ClusterIPs).
    await this.once('services', async () => {
      try {
        await this.listAll(RESOURCES.services);
      } catch (e) {
        if (!isStatus(e, 403)) throw e;
        this.stats.notes.push(`services could not be listed (403), so ${ip} was not checked against Service ClusterIPs`);
      }
    });
  }

  private async nodesForHostNetworkPods(): Promise<void> {
    const names = new Set<string>();
    for (const { pod } of this.collected.pods.values()) if (pod.hostNetwork && pod.nodeName && !this.collected.nodes.has(pod.nodeName)) names.add(pod.nodeName);
    if (names.size === 0) return;
    if (names.size > MAX_NODE_GETS) await this.allNodes();
    else await Promise.all([...names].map((n) => this.once(`node:${n}`, () => this.node(n))));
  }

  // -------------------------------------------------------------- workloads

  private async workloadsIn(ns: string | undefined): Promise<void> {
    await Promise.all(
      Object.values(WORKLOAD_RESOURCES).map(async (r) => {
        try {
          await this.listAll(r, ns);
        } catch (e) {
          if (!isStatus(e, 403)) throw e;
          this.forbiddenWorkloads.push(e.req);
        }
      }),
    );
  }

  // -------------------------------------------------------------- admin tiers

  /** The discovery document (one request) says which policy.networking.k8s.io versions are served; list those. */
  private async adminPolicies(): Promise<void> {
    const groups = await this.discovery();
    if (groups === undefined) {
      this.forbiddenAdmin.push(DISCOVERY);
      return;
    }
    const group = groups.find((g) => g.name === ADMIN_GROUP);
    if (!group) {
      this.stats.notes.push(`${ADMIN_GROUP} is not served: no AdminNetworkPolicy / ClusterNetworkPolicy CRDs are installed`);
      return;
    }
    const served = (group.versions ?? []).map((v) => v.version ?? '').filter(Boolean);
    const known = served.filter((v) => ADMIN_VERSIONS[v]);
    const unknown = served.filter((v) => !ADMIN_VERSIONS[v]);
    if (known.length === 0 && unknown.length > 0)
      this.limit(
        'admin-policies-version',
        `${ADMIN_GROUP} is served only at ${unknown.join(', ')}, which this version of kubectl-netpol does not read: verdicts ignore admin-tier policies`,
      );
    else if (unknown.length > 0) this.stats.notes.push(`${ADMIN_GROUP} also serves ${unknown.join(', ')} (not read)`);
    await Promise.all(
      known.flatMap((v) =>
        ADMIN_VERSIONS[v]!.map(async (r) => {
          try {
            await this.listAll(r);
          } catch (e) {
            if (isStatus(e, 404)) return; // that CRD is not installed
            if (!isStatus(e, 403)) throw e;
            this.forbiddenAdmin.push(e.req);
          }
        }),
      ),
    );
  }

  // -------------------------------------------------------------- CNI evidence

  /**
   * For explain and matrix -n: DaemonSets cluster-wide (few, and where every CNI agent is), one
   * Node, then ConfigMaps of kube-system and of the CNI namespaces with DaemonSets. Nothing here
   * can fail the command: a 403 only means less evidence.
   */
  private async cniReads(): Promise<void> {
    await Promise.all([
      this.listAll(RESOURCES.daemonsets, undefined, undefined, (o) => this.cni.addDaemonSet(o), false).then(
        () => this.cni.settle('daemonSets', true),
        (e: unknown) => this.cniFailed(e, 'daemonSets'),
      ),
      this.client.get({ ...this.req(RESOURCES.nodes, 'list'), query: { limit: 1 } }).then(
        (list) => {
          for (const n of (list as { items?: unknown[] })?.items ?? []) this.cni.addNode(n);
          this.cni.settle('nodes', true);
        },
        (e: unknown) => this.cniFailed(e, 'nodes'),
      ),
      this.discovery(),
    ]);
    await this.cniConfigMaps();
  }

  private cniFailed(e: unknown, field: 'daemonSets' | 'deployments' | 'pods' | 'configMaps' | 'nodes'): void {
    if (!isStatus(e, 403) && !isStatus(e, 404)) throw e;
    this.cni.settle(field, false);
  }

  private async cniConfigMaps(): Promise<void> {
    const results = await Promise.all(
      this.cni.configMapNamespaces().map((ns) =>
        this.listAll(RESOURCES.configmaps, ns, undefined, (o) => this.cni.addConfigMap(o), false).then(
          () => true,
          (e: unknown) => {
            if (!isStatus(e, 403) && !isStatus(e, 404)) throw e;
            return false;
          },
        ),
      ),
    );
    this.cni.settle('configMaps', results.some(Boolean));
  }

  // -------------------------------------------------------------- everything (matrix -A, check)

  private async everything(services: boolean, refNamespaces: readonly string[]): Promise<void> {
    // Namespaces: the cluster-wide list, or (403) one GET per namespace seen in other objects.
    let namespaceListOk = true;
    const namespaces = this.listAll(RESOURCES.namespaces).catch((e: unknown) => {
      if (!isStatus(e, 403)) throw e;
      namespaceListOk = false;
      this.stats.notes.push(`namespaces could not be listed (403): reading them one by one`);
      return 0;
    });
    let podsDone: Promise<unknown> = Promise.resolve();
    /** Namespaces to read one by one when a cluster-wide list is forbidden. */
    const knownNamespaces = async (r: ResourceSpec): Promise<string[] | undefined> => {
      await namespaces;
      if (namespaceListOk) return [...this.collected.namespaces.keys()];
      // Without the namespace list: the namespaces the question names (and those of pods seen).
      if (r === RESOURCES.pods) return refNamespaces.length > 0 ? [...refNamespaces] : undefined;
      await podsDone.catch(() => undefined);
      return [...new Set([...refNamespaces, ...[...this.collected.pods.values()].map((p) => p.pod.namespace)])];
    };
    /**
     * A cluster-wide list; on 403, one list per namespace (each 403 then goes to `perNamespace403`).
     * Resolves to true when the cluster-wide list worked (the listing is complete).
     */
    const wide = async (r: ResourceSpec, perNamespace403: (e: ApiStatusError) => void, onItem?: (o: unknown) => void): Promise<boolean> => {
      try {
        await this.listAll(r, undefined, undefined, onItem);
        return true;
      } catch (e) {
        if (!isStatus(e, 403)) throw e;
        const nss = await knownNamespaces(r);
        if (nss === undefined) throw e;
        this.stats.notes.push(`${describeAccess(e.req)} is forbidden: listing ${r.resource} namespace by namespace`);
        await Promise.all(
          nss.map(async (ns) => {
            try {
              await this.listAll(r, ns, undefined, onItem);
            } catch (e2) {
              if (!isStatus(e2, 403)) throw e2;
              perNamespace403(e2);
            }
          }),
        );
        return false;
      }
    };
    // Missing NetworkPolicies or Services would silently change verdicts: no fallback past per-namespace lists.
    const hard = (e: ApiStatusError): never => {
      throw e;
    };
    const podsForbidden: string[] = [];
    const cni = this.cni;
    podsDone = wide(RESOURCES.pods, (e) => podsForbidden.push(e.req.namespace ?? ''), (o) => cni.addPod(o)).then((ok) => cni.settle('pods', ok));
    const workloads = Object.values(WORKLOAD_RESOURCES).map((r) => {
      const forbidden = (e: ApiStatusError) => this.forbiddenWorkloads.push(e.req);
      // DaemonSets and the CNI namespaces' Deployments are CNI evidence too.
      if (r === RESOURCES.daemonsets)
        return wide(r, forbidden, (o) => cni.addDaemonSet(o)).then(async (ok) => {
          cni.settle('daemonSets', ok);
          await this.cniConfigMaps();
        });
      if (r === RESOURCES.deployments) return wide(r, forbidden, (o) => cni.addDeployment(o)).then((ok) => cni.settle('deployments', ok));
      return wide(r, forbidden);
    });
    const tasks: Promise<unknown>[] = [
      namespaces,
      podsDone,
      this.adminPolicies(),
      this.discovery(),
      wide(RESOURCES.networkpolicies, hard),
      this.allNodes((o) => cni.addNode(o)),
      ...workloads,
    ];
    if (services) {
      tasks.push(
        wide(RESOURCES.services, hard),
        wide(RESOURCES.endpointslices, (e) =>
          this.limit(
            `endpointslices-unreadable:${e.req.namespace}`,
            `EndpointSlices in namespace ${e.req.namespace} could not be read (403): Service backends are chosen by the Service's selector`,
          ),
        ),
      );
    }
    await Promise.all(tasks);
    if (podsForbidden.length > 0)
      this.limit('pods-unreadable', `pods of namespace${podsForbidden.length > 1 ? 's' : ''} ${podsForbidden.join(', ')} could not be read (403): they are missing from the answer`);
    if (!namespaceListOk) {
      const seen = new Set<string>();
      for (const { pod } of this.collected.pods.values()) seen.add(pod.namespace);
      for (const p of this.collected.netpols.values()) seen.add(p.namespace);
      for (const w of this.collected.workloads.values()) seen.add(w.namespace);
      await Promise.all([...seen].map((ns) => this.once(`nsget:${ns}`, () => this.readNamespace(ns))));
    }
  }

  // -------------------------------------------------------------- the model

  /** The ClusterState: workloads resolved like the file loader does, limitations attached. */
  state(): ClusterState {
    const c = this.collected;
    const wl = new WorkloadIndex([...c.workloads.values()]);
    const livePods: PodInfo[] = [];
    for (const { pod, owners } of c.pods.values()) {
      const owner = controllerOf(owners);
      const ref = owner ? wl.resolve(pod.namespace, owner) : undefined;
      livePods.push(ref ? { ...pod, workload: ref } : pod);
    }
    const pods = [...livePods, ...wl.templates(livePods)].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || Number(a.template ?? false) - Number(b.template ?? false));
    const namespaces = [...c.namespaces.values()];
    const synthetic = [...this.unreadableNamespaces.entries()].filter(([ns]) => !c.namespaces.has(ns));
    for (const [ns] of synthetic) namespaces.push({ name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns }, synthetic: true, source: { origin: 'synthetic' } });
    namespaces.sort((a, b) => cmp(a.name, b.name));

    const limitations: Limitation[] = [];
    if (synthetic.length > 0) {
      const names = synthetic.map(([ns]) => ns);
      limitations.push({
        id: 'namespaces-unreadable',
        message: `namespace${names.length > 1 ? 's' : ''} ${names.join(', ')} could not be read (403 on ${describeAccess(synthetic[0]![1])}${names.length > 1 ? ', ...' : ''}): only the ${NAMESPACE_NAME_LABEL} label is known, so namespaceSelector matches on other labels may be wrong`,
      });
    }
    if (this.forbiddenAdmin.length > 0)
      limitations.push({ id: 'admin-policies-unreadable', message: `admin-tier policies could not be read (403 on ${describeAccessMany(this.forbiddenAdmin)}): verdicts ignore them` });
    if (this.forbiddenWorkloads.length > 0)
      limitations.push({
        id: 'workloads-unreadable',
        message: `workloads could not be read (403 on ${describeAccessMany(this.forbiddenWorkloads)}): pods are attributed to their direct owners, and workloads without pods are not shown`,
      });
    limitations.push(...this.limitations.values());
    const errors = c.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0)
      limitations.push({
        id: 'unreadable-objects',
        message: `${errors.length} object${errors.length > 1 ? 's' : ''} could not be understood and ${errors.length > 1 ? 'are' : 'is'} ignored: ${errors.slice(0, 3).map((p) => p.message).join('; ')}${errors.length > 3 ? '; ...' : ''}`,
      });
    this.stats.objects = c.objects;
    return {
      namespaces,
      pods,
      nodes: [...c.nodes.values()].sort((a, b) => cmp(a.name, b.name)),
      services: [...c.services.values()],
      endpointSlices: [...c.slices.values()],
      networkPolicies: [...c.netpols.values()],
      adminPolicies: [...c.admins.values()],
      limitations,
    };
  }

  /** Warnings from conversion (shown with NETPOL_DEBUG). */
  warnings(): Problem[] {
    return this.collected.problems.filter((p) => p.severity === 'warning');
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
