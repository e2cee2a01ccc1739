// The kinds the adapters understand (with accepted apiVersions), the kinds knowingly ignored,
// and the groups of CNI-specific policy APIs that are reported as not evaluated.

import type { AdminPolicy, EndpointSliceInfo, NamespaceInfo, NetworkPolicy, NodeInfo, ServiceInfo } from '../engine/model.js';
import { ADMIN_GROUP, ADMIN_KINDS, type AdminKind } from './admin-kinds.js';
import { convertAdminNetworkPolicy, convertBaselineAdminNetworkPolicy, convertClusterNetworkPolicy } from './admin.js';
import { convertEndpointSlice, convertNamespace, convertNode, convertService, readPod, type PodRead } from './core.js';
import { convertNetworkPolicy } from './netpol.js';
import type { Converted, ObjectContext } from './problems.js';
import { convertWorkload, type WorkloadInfo, type WorkloadKind } from './workloads.js';

export type Converter =
  | { readonly to: 'namespace'; readonly fn: (o: unknown, c: ObjectContext) => Converted<NamespaceInfo> }
  | { readonly to: 'pod'; readonly fn: (o: unknown, c: ObjectContext) => Converted<PodRead> }
  | { readonly to: 'node'; readonly fn: (o: unknown, c: ObjectContext) => Converted<NodeInfo> }
  | { readonly to: 'service'; readonly fn: (o: unknown, c: ObjectContext) => Converted<ServiceInfo> }
  | { readonly to: 'slice'; readonly fn: (o: unknown, c: ObjectContext) => Converted<EndpointSliceInfo> }
  | { readonly to: 'netpol'; readonly fn: (o: unknown, c: ObjectContext) => Converted<NetworkPolicy> }
  | { readonly to: 'admin'; readonly fn: (o: unknown, c: ObjectContext) => Converted<AdminPolicy> }
  | { readonly to: 'workload'; readonly fn: (o: unknown, c: ObjectContext) => Converted<WorkloadInfo> };

export interface KindSpec {
  /** API group -> accepted versions (`*` = any). */
  readonly groups: Readonly<Record<string, readonly string[] | '*'>>;
  readonly convert: Converter;
}

const workload = (k: WorkloadKind): Converter => ({ to: 'workload', fn: (o, c) => convertWorkload(k, o, c) });
const admin = (k: AdminKind, fn: (o: unknown, c: ObjectContext) => Converted<AdminPolicy>): KindSpec => ({
  groups: { [ADMIN_GROUP]: [ADMIN_KINDS[k].version] },
  convert: { to: 'admin', fn },
});
const APPS = { apps: '*', extensions: ['v1beta1'] } as const;

/** Kinds converted into the model, and the apiVersions understood for each. */
export const SUPPORTED_KINDS: Readonly<Record<string, KindSpec>> = {
  Namespace: { groups: { '': ['v1'] }, convert: { to: 'namespace', fn: convertNamespace } },
  Pod: { groups: { '': ['v1'] }, convert: { to: 'pod', fn: readPod } },
  Node: { groups: { '': ['v1'] }, convert: { to: 'node', fn: convertNode } },
  Service: { groups: { '': ['v1'] }, convert: { to: 'service', fn: convertService } },
  EndpointSlice: { groups: { 'discovery.k8s.io': ['v1', 'v1beta1'] }, convert: { to: 'slice', fn: convertEndpointSlice } },
  NetworkPolicy: { groups: { 'networking.k8s.io': ['v1'], extensions: ['v1beta1'] }, convert: { to: 'netpol', fn: convertNetworkPolicy } },
  AdminNetworkPolicy: admin('AdminNetworkPolicy', convertAdminNetworkPolicy),
  BaselineAdminNetworkPolicy: admin('BaselineAdminNetworkPolicy', convertBaselineAdminNetworkPolicy),
  ClusterNetworkPolicy: admin('ClusterNetworkPolicy', convertClusterNetworkPolicy),
  Deployment: { groups: APPS, convert: workload('Deployment') },
  StatefulSet: { groups: { apps: '*' }, convert: workload('StatefulSet') },
  DaemonSet: { groups: APPS, convert: workload('DaemonSet') },
  ReplicaSet: { groups: APPS, convert: workload('ReplicaSet') },
  Job: { groups: { batch: '*' }, convert: workload('Job') },
  CronJob: { groups: { batch: '*' }, convert: workload('CronJob') },
  ReplicationController: { groups: { '': ['v1'] }, convert: workload('ReplicationController') },
};

/** Well-known kinds that do not affect network policy verdicts: summarised, then skipped. */
export const IRRELEVANT_KINDS: ReadonlySet<string> = new Set([
  'APIService', 'Binding', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'ConfigMap', 'ControllerRevision', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'CustomResourceDefinition',
  'Endpoints', 'Event', 'FlowSchema', 'Gateway', 'GatewayClass', 'GRPCRoute', 'HorizontalPodAutoscaler', 'HTTPRoute',
  'Ingress', 'IngressClass', 'IPAddress', 'Lease', 'LimitRange', 'MutatingWebhookConfiguration',
  'PersistentVolume', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'PodTemplate', 'PriorityClass',
  'PriorityLevelConfiguration', 'ResourceQuota', 'Role', 'RoleBinding', 'RuntimeClass', 'Secret', 'ServiceAccount',
  'ServiceCIDR', 'StorageClass', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'VerticalPodAutoscaler', 'VolumeAttachment', 'VolumeSnapshot', 'VolumeSnapshotClass',
  'VolumeSnapshotContent',
]);

/** Groups of CNI-specific policy APIs this tool does not evaluate. */
export const THIRD_PARTY_POLICY_GROUPS = new Set([
  'cilium.io', 'projectcalico.org', 'crd.projectcalico.org', 'crd.antrea.io', 'k8s.ovn.org', 'networking.gke.io',
  'security.istio.io', 'policy.linkerd.io',
]);

export function splitApiVersion(apiVersion: string | undefined): { group: string; version: string } | undefined {
  if (apiVersion === undefined || apiVersion === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const isListKind = (kind: string): boolean => kind === 'List' || (kind.endsWith('List') && kind.length > 4);

