// The one table of admin-tier API kinds (policy.networking.k8s.io, kubernetes-sigs/network-policy-api):
// which version of the group each kind is read at, its resource name, its action spellings and the
// CRD's list limits. The converter, the manifest kind table and the live reader all derive from it.

import type { AdminAction, AdminPolicy } from '../engine/model.js';

export const ADMIN_GROUP = 'policy.networking.k8s.io';

export type AdminKind = AdminPolicy['kind'];

/**
 * One admin-tier kind. Quirks worth knowing: v1alpha2 ClusterNetworkPolicy spells Allow as `Accept`
 * and lists ports under `protocols`; the v1alpha1 baseline has no Pass (it is the last tier) and is
 * a singleton named `default`.
 */
export interface AdminKindSpec {
  readonly kind: AdminKind;
  readonly version: 'v1alpha1' | 'v1alpha2';
  /** Plural resource name in the API. */
  readonly resource: string;
  /** Spelling in the API -> normalised action. */
  readonly actions: Readonly<Record<string, AdminAction>>;
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly egressPeers: readonly string[];
}

export const ADMIN_KINDS: Readonly<Record<AdminKind, AdminKindSpec>> = {
  AdminNetworkPolicy: {
    kind: 'AdminNetworkPolicy',
    version: 'v1alpha1',
    resource: 'adminnetworkpolicies',
    actions: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
    maxRules: 100,
    maxPeers: 100,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  },
  BaselineAdminNetworkPolicy: {
    kind: 'BaselineAdminNetworkPolicy',
    version: 'v1alpha1',
    resource: 'baselineadminnetworkpolicies',
    actions: { Allow: 'Allow', Deny: 'Deny' },
    maxRules: 100,
    maxPeers: 100,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
  },
  ClusterNetworkPolicy: {
    kind: 'ClusterNetworkPolicy',
    version: 'v1alpha2',
    resource: 'clusternetworkpolicies',
    actions: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
    maxRules: 25,
    maxPeers: 25,
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
  },
};

export const adminApiVersion = (kind: AdminKind): string => `${ADMIN_GROUP}/${ADMIN_KINDS[kind].version}`;
