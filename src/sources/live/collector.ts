// Objects read from the API server, converted into the engine model as they arrive (the same
// per-kind converters as the file loader) and keyed so an object read twice is kept once.

import type { AdminPolicy, EndpointSliceInfo, NamespaceInfo, NetworkPolicy, NodeInfo, ServiceInfo } from '../../engine/model.js';
import type { PodRead } from '../../convert/core.js';
import { SUPPORTED_KINDS } from '../../convert/kinds.js';
import type { ObjectContext, Problem } from '../../convert/problems.js';
import type { WorkloadInfo } from '../../convert/workloads.js';

/** Map key of a namespaced (or kind-qualified) name. */
export const key = (...parts: string[]): string => parts.join('\0');
const LIVE_SOURCE = { origin: 'live' } as const;

/** Converted objects, keyed so a pod fetched twice (GET and a list) is kept once. */
export class Collector {
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
