// Names users type for the admin policy kinds (as kubectl's short names).
export const ADMIN_KIND_ALIASES: Readonly<Record<string, 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy'>> = {
  anp: 'AdminNetworkPolicy',
  adminnetworkpolicy: 'AdminNetworkPolicy',
  banp: 'BaselineAdminNetworkPolicy',
  baselineadminnetworkpolicy: 'BaselineAdminNetworkPolicy',
  cnp: 'ClusterNetworkPolicy',
  clusternetworkpolicy: 'ClusterNetworkPolicy',
};
