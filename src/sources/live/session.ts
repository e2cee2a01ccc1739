// One load's read machinery: memoised requests, paginated lists converted as their pages arrive,
// limitations and refused (403) reads, and the reads every plan shares (a namespace and its
// policies, nodes, workloads, admin-tier policies, CNI evidence).

import type { Limitation } from '../../engine/model.js';
import { ADMIN_GROUP } from '../../convert/admin-kinds.js';
import type { ApiClient } from './client.js';
import { CniEvidence } from './cni-evidence.js';
import { Collector, type Undo } from './collector.js';
import { describeAccess } from './errors.js';
import { ApiStatusError, type ApiRequest } from './request.js';
import { ADMIN_VERSIONS, DISCOVERY, RESOURCES, resourceRequest, WORKLOAD_RESOURCES, type ResourceSpec } from './resources.js';

export interface LoadStats {
  /** Objects converted. */
  objects: number;
  /** Pages per list call, e.g. `pods in all namespaces` -> 3. */
  readonly lists: { readonly what: string; readonly pages: number; readonly items: number; readonly restarts?: number }[];
  /** Facts for -v / NETPOL_DEBUG that are not limitations (e.g. admin API not served). */
  readonly notes: string[];
}

export const isStatus = (e: unknown, status: number): e is ApiStatusError => e instanceof ApiStatusError && e.status === status;

/** Beyond this many hostNetwork pods' nodes, one list is cheaper than many GETs. */
const MAX_NODE_GETS = 5;

type DiscoveryGroup = { name?: string; versions?: { version?: string }[] };

export class ReadSession {
  readonly collected = new Collector();
  /** Raw evidence for CNI detection (src/cni/detect.ts). */
  readonly cni = new CniEvidence();
  readonly stats: LoadStats = { objects: 0, lists: [], notes: [] };
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Namespaces that exist but could not be read (403): synthetic in the state. */
  readonly unreadableNamespaces = new Map<string, ApiRequest>();
  readonly limitations = new Map<string, Limitation>();
  readonly forbiddenAdmin: ApiRequest[] = [];
  readonly forbiddenWorkloads: ApiRequest[] = [];

  constructor(readonly client: ApiClient) {}

  /** Runs `fn` once per key; later calls share its promise. */
  once<T>(k: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(k) as Promise<T> | undefined;
    if (!p) this.memo.set(k, (p = fn()));
    return p;
  }

  limit(id: string, message: string): void {
    if (!this.limitations.has(id)) this.limitations.set(id, { id, message });
  }

  /** GET one object and convert it; undefined when it does not exist. */
  async getObject(r: ResourceSpec, namespace: string | undefined, name: string): Promise<unknown> {
    try {
      const obj = await this.client.get(resourceRequest(r, 'get', namespace, name));
      this.collected.add(r.kind, obj);
      return obj;
    } catch (e) {
      if (isStatus(e, 404)) return undefined;
      throw e;
    }
  }

  /**
   * A paginated list, converted page by page (or only handed to `onItem` when `convert` is false).
   * `onItem` may return how to take the item back: when the list starts over (its continue token
   * expired), everything the failed attempt delivered is taken back first, so the result is one
   * consistent listing and never a mix of two.
   */
  async listAll(r: ResourceSpec, namespace?: string, query?: Record<string, string | undefined>, onItem?: (o: unknown) => Undo | undefined, convert = true): Promise<number> {
    const req = resourceRequest(r, 'list', namespace, undefined, query);
    let undo: Undo[] = [];
    const res = await this.client.list(
      req,
      (items) => {
        for (const item of items) {
          if (convert) undo.push(this.collected.add(r.kind, item));
          const u = onItem?.(item);
          if (u) undo.push(u);
        }
      },
      {
        onRestart: () => {
          for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
          undo = [];
        },
      },
    );
    this.stats.lists.push({
      what: `${describeAccess(req)}${query ? ` (${Object.entries(query).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`,
      pages: res.pages,
      items: res.items,
      ...(res.restarts > 0 ? { restarts: res.restarts } : {}),
    });
    return res.items;
  }

  /** GET /apis once: the served API groups (admin-tier versions, CNI evidence). */
  discovery(): Promise<DiscoveryGroup[] | undefined> {
    return this.once('discovery', async () => {
      try {
        const list = (await this.client.get(DISCOVERY)) as { groups?: DiscoveryGroup[] };
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

  // -------------------------------------------------------------- namespaces and policies

  /** The namespace object and its NetworkPolicies (once per namespace). */
  namespaceBasics(ns: string): Promise<unknown> {
    return this.once(`ns:${ns}`, () => Promise.all([this.readNamespace(ns), this.listAll(RESOURCES.networkpolicies, ns)]));
  }

  async readNamespace(ns: string): Promise<void> {
    try {
      await this.getObject(RESOURCES.namespaces, undefined, ns);
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      this.unreadableNamespaces.set(ns, e.req);
    }
  }

  // -------------------------------------------------------------- nodes

  async node(name: string): Promise<void> {
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

  async allNodes(onItem?: (o: unknown) => Undo | undefined): Promise<void> {
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

  async nodesForHostNetworkPods(): Promise<void> {
    const names = new Set<string>();
    for (const { pod } of this.collected.pods.values()) if (pod.hostNetwork && pod.nodeName && !this.collected.nodes.has(pod.nodeName)) names.add(pod.nodeName);
    if (names.size === 0) return;
    if (names.size > MAX_NODE_GETS) await this.allNodes();
    else await Promise.all([...names].map((n) => this.once(`node:${n}`, () => this.node(n))));
  }

  // -------------------------------------------------------------- workloads

  async workloadsIn(ns: string | undefined): Promise<void> {
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
  async adminPolicies(): Promise<void> {
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
  async cniReads(): Promise<void> {
    await Promise.all([
      this.listAll(RESOURCES.daemonsets, undefined, undefined, (o) => this.cni.addDaemonSet(o), false).then(
        () => this.cni.settle('daemonSets', true),
        (e: unknown) => this.cniFailed(e, 'daemonSets'),
      ),
      this.client.get({ ...resourceRequest(RESOURCES.nodes, 'list'), query: { limit: 1 } }).then(
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

  async cniConfigMaps(): Promise<void> {
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
}
