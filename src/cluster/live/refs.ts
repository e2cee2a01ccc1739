// Endpoint references (`ns/pod`, `pod`, `[ns/]KIND/NAME`, `svc/NAME[:PORT]`, `node/NAME`, IPs) read
// the same way as src/engine/resolve.ts does, to know what to fetch. Anything unreadable is left to
// the engine, which reports it against the loaded state.

import { parseIP } from '../../engine/cidr.js';
import type { LabelSelector, WorkloadRef } from '../../engine/model.js';

export type RefPlan =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: WorkloadRef['kind']; readonly name: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'unknown' };

const KINDS: Record<string, WorkloadRef['kind'] | 'Service' | 'Pod' | 'Node'> = {
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

export function parseRef(raw: string, defaultNamespace: string): RefPlan {
  const ref = raw.trim();
  if (ref === '') return { kind: 'unknown' };
  if (parseIP(ref)) return { kind: 'ip', ip: ref };
  if (ref.includes('/') && parseIP(ref.split('/')[0]!)) return { kind: 'unknown' }; // a CIDR: the engine explains
  const parts = ref.split('/');
  let namespace = defaultNamespace;
  let kind: string | undefined;
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    if (KINDS[parts[0]!.toLowerCase()]) [kind, name] = [parts[0]!.toLowerCase(), parts[1]!];
    else [namespace, name] = [parts[0]!, parts[1]!];
  } else if (parts.length === 3) [namespace, kind, name] = [parts[0]!, parts[1]!.toLowerCase(), parts[2]!];
  else return { kind: 'unknown' };
  if (!name || !namespace) return { kind: 'unknown' };
  const k = kind === undefined ? 'Pod' : KINDS[kind];
  switch (k) {
    case undefined:
      return { kind: 'unknown' };
    case 'Pod':
      return { kind: 'pod', namespace, name };
    case 'Service':
      return { kind: 'service', namespace, name: name.split(':')[0]! };
    case 'Node':
      return { kind: 'node', name };
    default:
      return { kind: 'workload', namespace, workload: k, name };
  }
}

/** A label selector in the API's query syntax (labelSelector=...). */
export function selectorQuery(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
