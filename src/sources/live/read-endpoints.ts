// The `endpoints` plan (explain): per reference only what the answer depends on — the namespace and
// its NetworkPolicies, then the pod (GET), the workload and its pods (by its selector), the Service
// with its EndpointSlices and backends, the node, or for an IP the pod that owns it and the nodes.
// Not found: one list, so the engine's error can name what does exist.

import type { WorkloadRef } from '../../engine/model.js';
import { inactiveReason } from '../../engine/pod-address.js';
import { SERVICE_NAME_LABEL } from '../../convert/core.js';
import { key } from './collector.js';
import { describeAccess } from './errors.js';
import { selectorQuery, type RefPlan } from './refs.js';
import { RESOURCES, WORKLOAD_RESOURCES } from './resources.js';
import { isStatus, type ReadSession } from './session.js';

/** Limits of the targeted reads: beyond them, one list is cheaper than many GETs. */
const MAX_POD_GETS = 20;
const MAX_IP_LOOKUPS = 10;

/** Reads what one reference needs. */
export async function readReference(s: ReadSession, ref: RefPlan): Promise<void> {
  switch (ref.kind) {
    case 'pod':
      await Promise.all([s.namespaceBasics(ref.namespace), pod(s, ref.namespace, ref.name)]);
      return;
    case 'workload':
      await Promise.all([s.namespaceBasics(ref.namespace), workload(s, ref.namespace, ref.workload, ref.name)]);
      return;
    case 'service':
      await Promise.all([s.namespaceBasics(ref.namespace), service(s, ref.namespace, ref.name)]);
      return;
    case 'node':
      await s.once(`node:${ref.name}`, () => s.node(ref.name));
      // Not found: list the nodes so the error can name them.
      if (!s.collected.nodes.has(ref.name)) await s.allNodes();
      return;
    case 'ip':
      await ipAddress(s, ref.ip);
      return;
    case 'unknown':
      return;
  }
}

async function pod(s: ReadSession, ns: string, name: string): Promise<void> {
  const found = await s.once(`pod:${ns}/${name}`, () => s.getObject(RESOURCES.pods, ns, name));
  // Not found: list the namespace's pods so the error can name the pods that do exist, and look the
  // name up in every namespace (one request) so it can suggest `OTHER-NS/NAME`.
  if (found === undefined) await Promise.all([s.once(`pods:${ns}`, () => s.listAll(RESOURCES.pods, ns)), s.once(`pods-named:${name}`, () => podsNamed(s, name))]);
}

async function podsNamed(s: ReadSession, name: string): Promise<void> {
  try {
    await s.listAll(RESOURCES.pods, undefined, { fieldSelector: `metadata.name=${name}` });
  } catch (e) {
    if (!isStatus(e, 403)) throw e; // only a hint is lost
  }
}

async function workload(s: ReadSession, ns: string, kind: WorkloadRef['kind'], name: string): Promise<void> {
  const r = WORKLOAD_RESOURCES[kind];
  const obj = await s.once(`wl:${kind}:${ns}/${name}`, () => s.getObject(r, ns, name));
  if (obj === undefined) {
    // Not found: list that kind in the namespace so the error can name the ones that exist.
    await s.once(`wls:${kind}:${ns}`, () => s.listAll(r, ns));
    return;
  }
  const info = s.collected.workloads.get(key(kind, ns, name));
  if (!info) return; // could not be converted: reported as a problem
  const sel = selectorQuery(info.selector);
  // An empty selector would select the whole namespace: list it (the engine filters by owner).
  await s.once(`pods:${ns}:${sel}`, () => s.listAll(RESOURCES.pods, ns, sel ? { labelSelector: sel } : undefined));
}

async function service(s: ReadSession, ns: string, name: string): Promise<void> {
  const [obj] = await Promise.all([
    s.once(`svc:${ns}/${name}`, () => s.getObject(RESOURCES.services, ns, name)),
    s.once(`slices:${ns}/${name}`, () => slicesOf(s, ns, name)),
  ]);
  if (obj === undefined) {
    // Not found: list the namespace's services so the error can name the ones that exist.
    await s.once(`svcs:${ns}`, () => s.listAll(RESOURCES.services, ns));
    return;
  }
  const svc = s.collected.services.get(key(ns, name));
  const tasks: Promise<unknown>[] = [];
  if (svc?.selector) {
    const sel = selectorQuery({ matchLabels: svc.selector });
    tasks.push(s.once(`pods:${ns}:${sel}`, () => s.listAll(RESOURCES.pods, ns, { labelSelector: sel })));
  }
  await Promise.all(tasks);
  // Backends named by EndpointSlices that the selector did not bring (selector-less services).
  const slices = [...s.collected.slices.values()].filter((sl) => sl.namespace === ns && sl.serviceName === name);
  const missing = new Map<string, { namespace: string; name: string }>();
  const addresses: string[] = [];
  for (const sl of slices)
    for (const ep of sl.endpoints) {
      if (!ep.ready) continue;
      if (ep.targetPod) {
        if (!s.collected.pods.has(key(ep.targetPod.namespace, ep.targetPod.name))) missing.set(key(ep.targetPod.namespace, ep.targetPod.name), ep.targetPod);
      } else addresses.push(...ep.addresses);
    }
  const more: Promise<unknown>[] = [];
  if (missing.size > MAX_POD_GETS) more.push(s.once(`pods:${ns}`, () => s.listAll(RESOURCES.pods, ns)));
  else for (const p of missing.values()) more.push(s.namespaceBasics(p.namespace), s.once(`pod:${p.namespace}/${p.name}`, () => s.getObject(RESOURCES.pods, p.namespace, p.name)));
  for (const a of addresses.slice(0, MAX_IP_LOOKUPS)) more.push(podByIP(s, a));
  await Promise.all(more);
}

async function slicesOf(s: ReadSession, ns: string, name: string): Promise<void> {
  try {
    await s.listAll(RESOURCES.endpointslices, ns, { labelSelector: `${SERVICE_NAME_LABEL}=${name}` });
  } catch (e) {
    if (!isStatus(e, 403)) throw e;
    s.limit(
      `endpointslices-unreadable:${ns}`,
      `EndpointSlices in namespace ${ns} could not be read (403 on ${describeAccess(e.req)}): Service backends are chosen by the Service's selector, readiness is not known`,
    );
  }
}

/** The pod that owns an IP (fieldSelector status.podIP), with its namespace and policies. */
async function podByIP(s: ReadSession, ip: string): Promise<void> {
  await s.once(`ip:${ip}`, async () => {
    const owners: { namespace: string; hostNetwork: boolean; finished: boolean }[] = [];
    try {
      // Finished pods (Succeeded/Failed) still report the IP they had: they are read (the engine says
      // so when one is named) but their namespace's policies are not needed for this address.
      await s.listAll(RESOURCES.pods, undefined, { fieldSelector: `status.podIP=${ip}` }, (o) => {
        const p = o as { metadata?: { namespace?: string }; spec?: { hostNetwork?: boolean }; status?: { phase?: string } };
        const phase = p.status?.phase;
        const owner = { namespace: p.metadata?.namespace ?? 'default', hostNetwork: p.spec?.hostNetwork === true, finished: phase === 'Succeeded' || phase === 'Failed' };
        owners.push(owner);
        // Taken back when the list restarts (an expired continue token).
        return () => void owners.splice(owners.indexOf(owner), 1);
      });
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      s.limit(`ip-lookup:${ip}`, `could not look up which pod has IP ${ip} (403 on ${describeAccess(e.req)}): it is treated as an address outside the pod network`);
      return;
    }
    // hostNetwork pods share their node's IP: the address is the node's, not theirs.
    await Promise.all(owners.filter((o) => !o.hostNetwork && !o.finished).map((o) => s.namespaceBasics(o.namespace)));
  });
}

/** An IP reference: a pod's, a node's, else perhaps a Service ClusterIP. */
async function ipAddress(s: ReadSession, ip: string): Promise<void> {
  await Promise.all([podByIP(s, ip), s.allNodes()]);
  const isPod = [...s.collected.pods.values()].some((p) => !p.pod.hostNetwork && inactiveReason(p.pod) !== 'finished' && p.pod.ips.includes(ip));
  const isNode = [...s.collected.nodes.values()].some((n) => n.addresses.includes(ip));
  if (isPod || isNode) return;
  // Maybe a Service ClusterIP: the engine then says to use svc/NAME (policies never see ClusterIPs).
  await s.once('services', async () => {
    try {
      await s.listAll(RESOURCES.services);
    } catch (e) {
      if (!isStatus(e, 403)) throw e;
      s.stats.notes.push(`services could not be listed (403), so ${ip} was not checked against Service ClusterIPs`);
    }
  });
}
