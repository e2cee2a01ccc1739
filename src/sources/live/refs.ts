// Endpoint references (`ns/pod`, `pod`, `[ns/]KIND/NAME`, `svc/NAME[:PORT]`, `node/NAME`, IPs) read
// the same way as src/engine/resolve.ts does, to know what to fetch. Anything unreadable is left to
// the engine, which reports it against the loaded state.

import { formatSelector, isEmptySelector } from '../../engine/labels.js';
import type { LabelSelector, WorkloadRef } from '../../engine/model.js';
import { parseReference, type ParsedReference } from '../../engine/resolve.js';

export type RefPlan =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: WorkloadRef['kind']; readonly name: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'unknown' };

/** What to fetch for a reference; syntax errors are left to the engine, which reports them. */
export function parseRef(raw: string, defaultNamespace: string): RefPlan {
  let parsed: ParsedReference;
  try {
    parsed = parseReference(raw, defaultNamespace);
  } catch {
    return { kind: 'unknown' };
  }
  switch (parsed.kind) {
    case 'ip':
      return { kind: 'ip', ip: parsed.ip };
    case 'Node':
      return { kind: 'node', name: parsed.name };
    case 'Pod':
      return { kind: 'pod', namespace: parsed.namespace, name: parsed.name };
    case 'Service':
      return { kind: 'service', namespace: parsed.namespace, name: parsed.name.split(':')[0]! };
    default:
      return { kind: 'workload', namespace: parsed.namespace, workload: parsed.kind, name: parsed.name };
  }
}

/** A label selector in the API's query syntax (labelSelector=...); empty selects everything. */
export function selectorQuery(sel: LabelSelector): string {
  return isEmptySelector(sel) ? '' : formatSelector(sel);
}
