// The API resources the live reader reads (group, version, plural, kind), grouped the way the read
// plans use them (workload kinds, admin-tier versions), and the requests built from them.

import { ADMIN_GROUP, ADMIN_KINDS, type AdminKind } from '../../convert/admin-kinds.js';
import type { WorkloadRef } from '../../engine/model.js';
import type { ApiRequest } from './request.js';

export interface ResourceSpec {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const spec = (group: string, version: string, resource: string, kind: string, namespaced: boolean): ResourceSpec => ({ group, version, resource, kind, namespaced });

const adminSpec = (k: AdminKind): ResourceSpec => spec(ADMIN_GROUP, ADMIN_KINDS[k].version, ADMIN_KINDS[k].resource, k, false);

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
  adminnetworkpolicies: adminSpec('AdminNetworkPolicy'),
  baselineadminnetworkpolicies: adminSpec('BaselineAdminNetworkPolicy'),
  clusternetworkpolicies: adminSpec('ClusterNetworkPolicy'),
  /** Read raw, for CNI detection only. */
  configmaps: spec('', 'v1', 'configmaps', 'ConfigMap', true),
} as const;

/** GET /apis: the API groups and versions served. */
export const DISCOVERY: ApiRequest = { verb: 'get', group: '', version: '', resource: '' };

export const WORKLOAD_RESOURCES: Readonly<Record<WorkloadRef['kind'], ResourceSpec>> = {
  Deployment: RESOURCES.deployments,
  StatefulSet: RESOURCES.statefulsets,
  DaemonSet: RESOURCES.daemonsets,
  ReplicaSet: RESOURCES.replicasets,
  Job: RESOURCES.jobs,
  CronJob: RESOURCES.cronjobs,
  ReplicationController: RESOURCES.replicationcontrollers,
};

/** Versions of policy.networking.k8s.io (ADMIN_GROUP) this build reads, with their resources. */
export const ADMIN_VERSIONS: Readonly<Record<string, readonly ResourceSpec[]>> = Object.values(ADMIN_KINDS).reduce<Record<string, ResourceSpec[]>>(
  (byVersion, k) => ((byVersion[k.version] ??= []).push(adminSpec(k.kind)), byVersion),
  {},
);

/** The request for a get or list of a resource (a namespace, a name and a query only when given). */
export function resourceRequest(r: ResourceSpec, verb: 'get' | 'list', namespace?: string, name?: string, query?: Record<string, string | undefined>): ApiRequest {
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
