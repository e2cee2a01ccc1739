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

  /**
   * Converts and keeps `obj`. Returns how to take it back (the map entry as it was before, and its
   * problems): a list whose continue token expired starts over, and must not leave behind objects
   * that the new attempt no longer returns.
   */
  add(kind: string, obj: unknown): Undo {
    const s = SUPPORTED_KINDS[kind];
    if (!s) return NOTHING;
    this.objects++;
    const ns = (obj as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
    const ctx: ObjectContext = { defaultNamespace: typeof ns === 'string' && ns ? ns : 'default', source: LIVE_SOURCE };
    const c = s.convert;
    switch (c.to) {
      case 'namespace':
        return this.keep(c.fn(obj, ctx), this.namespaces, (v) => v.name);
      case 'pod':
        return this.keep(c.fn(obj, ctx), this.pods, (v) => key(v.pod.namespace, v.pod.name));
      case 'node':
        return this.keep(c.fn(obj, ctx), this.nodes, (v) => v.name);
      case 'service':
        return this.keep(c.fn(obj, ctx), this.services, (v) => key(v.namespace, v.name));
      case 'slice':
        return this.keep(c.fn(obj, ctx), this.slices, (v) => key(v.namespace, v.name));
      case 'netpol':
        return this.keep(c.fn(obj, ctx), this.netpols, (v) => key(v.namespace, v.name));
      case 'admin':
        return this.keep(c.fn(obj, ctx), this.admins, (v) => key(v.kind, v.name));
      case 'workload':
        return this.keep(c.fn(obj, ctx), this.workloads, (v) => key(v.ref.kind, v.namespace, v.ref.name));
    }
  }

  private keep<T>(res: { ok: boolean; value?: T; problems: readonly Problem[] }, map: Map<string, T>, keyOf: (v: T) => string): Undo {
    const problems = res.problems;
    if (problems.length > 0) this.problems.push(...problems);
    let k: string | undefined;
    let before: T | undefined;
    let value: T | undefined;
    if (res.ok) {
      value = res.value as T;
      k = keyOf(value);
      before = map.get(k);
      map.set(k, value);
    }
    return () => {
      this.objects--;
      for (const p of problems) {
        const i = this.problems.indexOf(p);
        if (i >= 0) this.problems.splice(i, 1);
      }
      // Only if nothing replaced it since (a later GET of the same object stays).
      if (k !== undefined && map.get(k) === value) {
        if (before === undefined) map.delete(k);
        else map.set(k, before);
      }
    };
  }
}

/** Takes back one add (see Collector.add). */
export type Undo = () => void;
const NOTHING: Undo = () => {};
