// Reads what a question needs from the API server and converts objects into the engine model as
// they arrive (each list page is converted and dropped; only the model is kept).
//
// Plans:
// - endpoints (explain, read-endpoints.ts): per reference only what the answer depends on — the
//   namespaces of the two ends (GET) and their NetworkPolicies, the pods (GET one pod; for a
//   workload GET it and list its pods by its selector; for svc/NAME the Service, its EndpointSlices
//   and backend pods; for an IP a pod lookup by status.podIP plus the nodes), the admin-tier
//   policies, and nodes only for IPs, node/ references and hostNetwork pods;
// - namespace (matrix -n, below): one namespace's pods, policies and workloads;
// - all (matrix -A, check, read-all.ts): everything cluster-wide, paginated, all resources in parallel.
// Permissions: where a narrower read can still answer, a 403 falls back and records a Limitation;
// otherwise it is an error naming the verb, resource and namespace.

import type { ClusterState, Limitation } from '../../engine/model.js';
import { NAMESPACE_NAME_LABEL } from '../../convert/core.js';
import type { Problem } from '../../convert/problems.js';
import { attributePods } from '../../convert/workloads.js';
import type { ApiClient } from './client.js';
import type { CniEvidence } from './cni-evidence.js';
import type { Collector } from './collector.js';
import { describeAccess, describeAccessMany } from './errors.js';
import { readAll } from './read-all.js';
import { readReference } from './read-endpoints.js';
import { parseRef } from './refs.js';
import { RESOURCES } from './resources.js';
import { ReadSession, type LoadStats } from './session.js';

export type { LoadStats } from './session.js';

export type LoadPlan =
  | { readonly mode: 'endpoints'; readonly refs: readonly string[] }
  | { readonly mode: 'namespace'; readonly namespace: string }
  /** `namespaces`: the references' namespaces, to read one by one if cluster-wide lists are forbidden. */
  | { readonly mode: 'all'; readonly services: boolean; readonly namespaces?: readonly string[] };

export class LiveReader {
  private readonly session: ReadSession;
  readonly collected: Collector;
  /** Raw evidence for CNI detection (src/cni/detect.ts). */
  readonly cni: CniEvidence;
  readonly stats: LoadStats;

  constructor(
    client: ApiClient,
    private readonly defaultNamespace: string,
  ) {
    this.session = new ReadSession(client);
    this.collected = this.session.collected;
    this.cni = this.session.cni;
    this.stats = this.session.stats;
  }

  async load(plan: LoadPlan): Promise<void> {
    const s = this.session;
    switch (plan.mode) {
      case 'endpoints':
        await Promise.all([s.adminPolicies(), s.cniReads(), ...plan.refs.map((r) => readReference(s, parseRef(r, this.defaultNamespace)))]);
        await s.nodesForHostNetworkPods();
        return;
      case 'namespace':
        await Promise.all([
          s.adminPolicies(),
          s.cniReads(),
          s.namespaceBasics(plan.namespace),
          s.listAll(RESOURCES.pods, plan.namespace),
          s.workloadsIn(plan.namespace),
        ]);
        await s.nodesForHostNetworkPods();
        return;
      case 'all':
        await readAll(s, plan.services, plan.namespaces ?? []);
        return;
    }
  }

  /** The ClusterState: workloads resolved like the file loader does, limitations attached. */
  state(): ClusterState {
    const c = this.collected;
    const s = this.session;
    const pods = attributePods([...c.workloads.values()], c.pods.values()).sort(
      (a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || Number(a.template ?? false) - Number(b.template ?? false),
    );
    const namespaces = [...c.namespaces.values()];
    const synthetic = [...s.unreadableNamespaces.entries()].filter(([ns]) => !c.namespaces.has(ns));
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
    if (s.forbiddenAdmin.length > 0)
      limitations.push({ id: 'admin-policies-unreadable', message: `admin-tier policies could not be read (403 on ${describeAccessMany(s.forbiddenAdmin)}): verdicts ignore them` });
    if (s.forbiddenWorkloads.length > 0)
      limitations.push({
        id: 'workloads-unreadable',
        message: `workloads could not be read (403 on ${describeAccessMany(s.forbiddenWorkloads)}): pods are attributed to their direct owners, and workloads without pods are not shown`,
      });
    limitations.push(...s.limitations.values());
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
