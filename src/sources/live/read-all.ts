// The `all` plan (matrix -A, check with many references): everything cluster-wide, paginated, all
// resources in parallel; a forbidden cluster-wide list falls back to one list per namespace.

import { describeAccess } from './errors.js';
import type { ApiStatusError } from './request.js';
import { RESOURCES, WORKLOAD_RESOURCES, type ResourceSpec } from './resources.js';
import type { Undo } from './collector.js';
import { isStatus, type ReadSession } from './session.js';

/**
 * Reads everything; Services and EndpointSlices only with `services`. `refNamespaces` (the
 * references' namespaces) are read one by one when even the namespace list is forbidden.
 */
export async function readAll(s: ReadSession, services: boolean, refNamespaces: readonly string[]): Promise<void> {
  // Namespaces: the cluster-wide list, or (403) one GET per namespace seen in other objects.
  let namespaceListOk = true;
  const namespaces = s.listAll(RESOURCES.namespaces).catch((e: unknown) => {
    if (!isStatus(e, 403)) throw e;
    namespaceListOk = false;
    s.stats.notes.push(`namespaces could not be listed (403): reading them one by one`);
    return 0;
  });
  let podsDone: Promise<unknown> = Promise.resolve();
  /** Namespaces to read one by one when a cluster-wide list is forbidden. */
  const knownNamespaces = async (r: ResourceSpec): Promise<string[] | undefined> => {
    await namespaces;
    if (namespaceListOk) return [...s.collected.namespaces.keys()];
    // Without the namespace list: the namespaces the question names (and those of pods seen).
    if (r === RESOURCES.pods) return refNamespaces.length > 0 ? [...refNamespaces] : undefined;
    await podsDone.catch(() => undefined);
    return [...new Set([...refNamespaces, ...[...s.collected.pods.values()].map((p) => p.pod.namespace)])];
  };
  /**
   * A cluster-wide list; on 403, one list per namespace (each 403 then goes to `perNamespace403`).
   * Resolves to true when the cluster-wide list worked (the listing is complete).
   */
  const wide = async (r: ResourceSpec, perNamespace403: (e: ApiStatusError) => void, onItem?: (o: unknown) => Undo | undefined): Promise<boolean> => {
    try {
      await s.listAll(r, undefined, undefined, onItem);
      return true;
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      const nss = await knownNamespaces(r);
      if (nss === undefined) throw e;
      s.stats.notes.push(`${describeAccess(e.req)} is forbidden: listing ${r.resource} namespace by namespace`);
      await Promise.all(
        nss.map(async (ns) => {
          try {
            await s.listAll(r, ns, undefined, onItem);
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
  const cni = s.cni;
  podsDone = wide(RESOURCES.pods, (e) => podsForbidden.push(e.req.namespace ?? ''), (o) => cni.addPod(o)).then((ok) => cni.settle('pods', ok));
  const workloads = Object.values(WORKLOAD_RESOURCES).map((r) => {
    const forbidden = (e: ApiStatusError) => s.forbiddenWorkloads.push(e.req);
    // DaemonSets and the CNI namespaces' Deployments are CNI evidence too.
    if (r === RESOURCES.daemonsets)
      return wide(r, forbidden, (o) => cni.addDaemonSet(o)).then(async (ok) => {
        cni.settle('daemonSets', ok);
        await s.cniConfigMaps();
      });
    if (r === RESOURCES.deployments) return wide(r, forbidden, (o) => cni.addDeployment(o)).then((ok) => cni.settle('deployments', ok));
    return wide(r, forbidden);
  });
  const tasks: Promise<unknown>[] = [
    namespaces,
    podsDone,
    s.adminPolicies(),
    s.discovery(),
    wide(RESOURCES.networkpolicies, hard),
    s.allNodes((o) => cni.addNode(o)),
    ...workloads,
  ];
  if (services) {
    tasks.push(
      wide(RESOURCES.services, hard),
      wide(RESOURCES.endpointslices, (e) =>
        s.limit(
          `endpointslices-unreadable:${e.req.namespace}`,
          `EndpointSlices in namespace ${e.req.namespace} could not be read (403): Service backends are chosen by the Service's selector`,
        ),
      ),
    );
  }
  await Promise.all(tasks);
  if (podsForbidden.length > 0)
    s.limit('pods-unreadable', `pods of namespace${podsForbidden.length > 1 ? 's' : ''} ${podsForbidden.join(', ')} could not be read (403): they are missing from the answer`);
  if (!namespaceListOk) {
    const seen = new Set<string>();
    for (const { pod } of s.collected.pods.values()) seen.add(pod.namespace);
    for (const p of s.collected.netpols.values()) seen.add(p.namespace);
    for (const w of s.collected.workloads.values()) seen.add(w.namespace);
    await Promise.all([...seen].map((ns) => s.once(`nsget:${ns}`, () => s.readNamespace(ns))));
  }
}
