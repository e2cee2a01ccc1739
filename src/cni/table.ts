// What each network plugin looks like to a read-only client, and whether it enforces
// NetworkPolicy. Pure data; the matching logic is in cni.ts and the version/flag rules in
// cni-rules.ts. Sources for every entry are listed in docs/cni-detection.md.

export type PluginId =
  | 'calico'
  | 'canal'
  | 'cilium'
  | 'gke-dataplane-v2'
  | 'antrea'
  | 'weave-net'
  | 'kube-router'
  | 'ovn-kubernetes'
  | 'openshift-sdn'
  | 'kube-ovn'
  | 'kube-network-policies'
  | 'azure-npm'
  | 'kindnet'
  | 'aws-vpc-cni'
  | 'k3s'
  | 'eks-auto-mode'
  | 'flannel'
  | 'azure-cni'
  | 'gke-dataplane-v1'
  | 'aks-default'
  | 'bridge'
  | 'multus';

export interface PluginInfo {
  /** Whether the plugin enforces NetworkPolicy when nothing more specific is known. */
  readonly enforces: boolean | 'depends';
  /** A meta plugin (e.g. Multus) says nothing about enforcement on its own. */
  readonly meta?: boolean;
  /** What to do about it, used in warnings when the plugin does not enforce. */
  readonly fix?: string;
  /** Why enforcement cannot be decided from what a reader sees (when no rule gave a reason). */
  readonly depends?: string;
}

export const PLUGINS: Readonly<Record<PluginId, PluginInfo>> = {
  calico: { enforces: true },
  canal: { enforces: true },
  cilium: { enforces: true },
  'gke-dataplane-v2': { enforces: true },
  antrea: { enforces: true },
  'weave-net': { enforces: true, fix: 'run the weave-npc container (do not set EXPECT_NPC=0)' },
  'kube-router': { enforces: true, fix: 'run kube-router with --run-firewall=true' },
  'ovn-kubernetes': { enforces: true },
  'openshift-sdn': { enforces: true },
  'kube-ovn': { enforces: true, fix: 'run kube-ovn-controller with --enable-np=true' },
  'kube-network-policies': { enforces: true },
  'azure-npm': { enforces: true },
  kindnet: {
    enforces: 'depends',
    fix: 'upgrade to kind >= v0.24.0 (kindnetd image built on or after 2024-07-15), or kindnet >= v1.5.0 / registry.k8s.io/networking/kindnet, or add kube-network-policies',
  },
  'aws-vpc-cni': {
    enforces: false,
    fix: 'use VPC CNI >= v1.14 and set enableNetworkPolicy=true in the vpc-cni add-on configuration (aws-eks-nodeagent runs with --enable-network-policy=true), or add Calico/Cilium',
  },
  k3s: { enforces: true, fix: 'start the k3s servers without --disable-network-policy, or install a policy-capable CNI' },
  'eks-auto-mode': {
    enforces: 'depends',
    fix: 'set enable-network-policy-controller: "true" in ConfigMap kube-system/amazon-vpc-cni and networkPolicy in the NodeClass',
    depends: 'EKS Auto Mode enforces NetworkPolicy only on nodes whose NodeClass sets networkPolicy (not visible here), once the controller is enabled',
  },
  flannel: { enforces: false, fix: 'add a policy engine alongside flannel: Canal (Calico policy), kube-network-policies (flannel chart netpol.enabled=true) or kube-router --run-firewall' },
  'azure-cni': { enforces: false, fix: 'create the AKS cluster with --network-policy azure, calico or cilium' },
  'gke-dataplane-v1': { enforces: false, fix: 'enable GKE network policy enforcement (Calico) or use GKE Dataplane V2' },
  'aks-default': { enforces: false, fix: 'create the AKS cluster with --network-policy azure, calico or cilium' },
  bridge: { enforces: false, fix: 'start minikube with --cni=calico or --cni=cilium (or kindnet on minikube >= v1.34)' },
  multus: { enforces: false, meta: true },
};

/**
 * Namespaces where network plugins run. A live reader should list DaemonSets, Deployments,
 * Pods and ConfigMaps in these (missing namespaces are fine: treat 404 as empty).
 */
export const CNI_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-flannel',
  'calico-system',
  'tigera-operator',
  'cilium',
  'cilium-system',
  'kube-router',
  'ovn-kubernetes',
  'openshift-ovn-kubernetes',
  'openshift-sdn',
  'kube-ovn',
];

/** The agent enforces policy on the node; control components only point at the plugin. */
export type Role = 'agent' | 'control';

export interface WorkloadSig {
  readonly plugin: PluginId;
  readonly role: Role;
  /** Workload names (DaemonSet/Deployment name, or a Pod's owner). */
  readonly names?: readonly string[];
  /** Container image repositories (registry and tag stripped before matching). */
  readonly images?: readonly RegExp[];
  /** Container names. */
  readonly containers?: readonly string[];
  /** Only match in these namespaces (names are too generic elsewhere). */
  readonly namespaces?: readonly string[];
  /** Other plugins' signatures that must not fire on the same workload (Canal contains Calico and flannel). */
  readonly suppresses?: readonly PluginId[];
}

/** `<anything>/<path>` or exactly `<path>`, registry and tag excluded. */
const repo = (path: string): RegExp => new RegExp(`(^|/)${path.replace(/[.]/g, '\\.')}$`);

// Order matters only for `suppresses`: a suppressing signature must come first.
export const WORKLOAD_SIGS: readonly WorkloadSig[] = [
  { plugin: 'canal', role: 'agent', names: ['canal', 'rke2-canal'], suppresses: ['calico', 'flannel'] },
  { plugin: 'gke-dataplane-v2', role: 'agent', names: ['anetd'], namespaces: ['kube-system'], suppresses: ['cilium'] },
  { plugin: 'calico', role: 'agent', names: ['calico-node', 'calico-node-windows'], images: [repo('calico/node'), repo('tigera/cnx-node'), repo('calico/node-windows'), repo('rancher/mirrored-calico-node'), repo('rancher/hardened-calico')] },
  { plugin: 'calico', role: 'control', names: ['calico-kube-controllers', 'calico-typha', 'tigera-operator'], images: [repo('calico/kube-controllers'), repo('calico/typha'), repo('tigera/operator')] },
  { plugin: 'cilium', role: 'agent', names: ['cilium'], containers: ['cilium-agent'], images: [repo('cilium/cilium')] },
  { plugin: 'cilium', role: 'control', names: ['cilium-operator'], images: [/(^|\/)cilium\/operator(-generic|-aws|-azure|-alibabacloud)?$/] },
  { plugin: 'antrea', role: 'agent', names: ['antrea-agent'], containers: ['antrea-agent'], images: [/(^|\/)antrea\/antrea-(agent-)?(ubuntu|photon|ubi)$/] },
  { plugin: 'antrea', role: 'control', names: ['antrea-controller'], images: [/(^|\/)antrea\/antrea-controller-(ubuntu|ubi)$/] },
  { plugin: 'weave-net', role: 'agent', names: ['weave-net'], images: [repo('weaveworks/weave-kube'), repo('weaveworks/weave-npc')] },
  { plugin: 'kube-router', role: 'agent', names: ['kube-router'], images: [repo('kube-router')] },
  { plugin: 'ovn-kubernetes', role: 'agent', names: ['ovnkube-node'], namespaces: ['ovn-kubernetes', 'openshift-ovn-kubernetes', 'kube-system'], images: [/(^|\/)ovn-kubernetes\/ovn-kube-[a-z]+$/] },
  { plugin: 'ovn-kubernetes', role: 'control', names: ['ovnkube-master', 'ovnkube-control-plane'], namespaces: ['ovn-kubernetes', 'openshift-ovn-kubernetes', 'kube-system'] },
  { plugin: 'openshift-sdn', role: 'agent', names: ['sdn'], namespaces: ['openshift-sdn'] },
  { plugin: 'kube-ovn', role: 'agent', names: ['kube-ovn-cni'], images: [repo('kubeovn/kube-ovn')] },
  { plugin: 'kube-ovn', role: 'control', names: ['kube-ovn-controller'] },
  { plugin: 'kube-network-policies', role: 'agent', names: ['kube-network-policies'], containers: ['kube-network-policies'], images: [repo('kube-network-policies')] },
  { plugin: 'azure-npm', role: 'agent', names: ['azure-npm', 'azure-npm-win'], images: [repo('containernetworking/azure-npm')] },
  { plugin: 'kindnet', role: 'agent', names: ['kindnet'], images: [repo('kindnetd'), repo('networking/kindnet')] },
  { plugin: 'aws-vpc-cni', role: 'agent', names: ['aws-node'], images: [repo('amazon-k8s-cni'), repo('amazon/aws-network-policy-agent')] },
  { plugin: 'flannel', role: 'agent', names: ['kube-flannel-ds', 'kube-flannel', 'rke2-flannel'], containers: ['kube-flannel'], images: [repo('flannel/flannel'), repo('coreos/flannel'), repo('flannel-io/flannel'), repo('rancher/hardened-flannel')] },
  { plugin: 'azure-cni', role: 'agent', names: ['azure-cns', 'azure-cns-win'], images: [repo('containernetworking/azure-cns')] },
  { plugin: 'multus', role: 'agent', names: ['kube-multus-ds', 'multus', 'rke2-multus'], images: [repo('multus-cni'), repo('multus-cni-thick')] },
];

export interface NameSig {
  readonly plugin: PluginId;
  readonly names?: readonly string[];
  readonly prefixes?: readonly string[];
}

/** ConfigMaps written by the plugins' installers. */
export const CONFIGMAP_SIGS: readonly NameSig[] = [
  { plugin: 'canal', names: ['canal-config'] },
  { plugin: 'calico', names: ['calico-config'] },
  { plugin: 'cilium', names: ['cilium-config'] },
  { plugin: 'antrea', names: ['antrea-config'], prefixes: ['antrea-config-'] },
  { plugin: 'flannel', names: ['kube-flannel-cfg'] },
  { plugin: 'kube-router', names: ['kube-router-cfg'] },
  { plugin: 'aws-vpc-cni', names: ['amazon-vpc-cni'] },
  { plugin: 'azure-npm', names: ['azure-npm-config'] },
  { plugin: 'ovn-kubernetes', names: ['ovnkube-config'] },
];

export interface NodeSig {
  readonly plugin: PluginId;
  readonly where: 'annotation' | 'label';
  readonly key: string;
  readonly value?: string;
}

/** Node annotations/labels written by the plugin agents (they stay after an uninstall). */
export const NODE_SIGS: readonly NodeSig[] = [
  { plugin: 'calico', where: 'annotation', key: 'projectcalico.org/IPv4Address' },
  { plugin: 'calico', where: 'annotation', key: 'projectcalico.org/IPv4VXLANTunnelAddr' },
  { plugin: 'calico', where: 'annotation', key: 'projectcalico.org/IPv4IPIPTunnelAddr' },
  { plugin: 'calico', where: 'label', key: 'projectcalico.org/ds-ready' },
  { plugin: 'cilium', where: 'annotation', key: 'io.cilium.network.ipv4-pod-cidr' },
  { plugin: 'cilium', where: 'annotation', key: 'network.cilium.io/ipv4-cilium-host' },
  { plugin: 'cilium', where: 'annotation', key: 'network.cilium.io/ipv4-pod-cidr' },
  { plugin: 'cilium', where: 'label', key: 'kubernetes.azure.com/ebpf-dataplane', value: 'cilium' },
  { plugin: 'flannel', where: 'annotation', key: 'flannel.alpha.coreos.com/public-ip' },
  { plugin: 'flannel', where: 'annotation', key: 'flannel.alpha.coreos.com/backend-type' },
  { plugin: 'ovn-kubernetes', where: 'annotation', key: 'k8s.ovn.org/node-subnets' },
  { plugin: 'kube-ovn', where: 'annotation', key: 'ovn.kubernetes.io/ip_address' },
];

/** API groups served by the plugins' CRDs (they also stay after an uninstall). */
export const API_GROUP_SIGS: readonly { plugin: PluginId; groups: readonly string[] }[] = [
  { plugin: 'calico', groups: ['crd.projectcalico.org', 'projectcalico.org', 'operator.tigera.io'] },
  { plugin: 'cilium', groups: ['cilium.io'] },
  { plugin: 'antrea', groups: ['crd.antrea.io', 'controlplane.antrea.io'] },
  { plugin: 'kube-ovn', groups: ['kubeovn.io'] },
  { plugin: 'ovn-kubernetes', groups: ['k8s.ovn.org'] },
  { plugin: 'multus', groups: ['k8s.cni.cncf.io'] },
];

export type Platform = 'k3s' | 'rke2' | 'k0s' | 'microk8s' | 'minikube' | 'eks' | 'gke' | 'aks' | 'openshift';

/** How to check by hand, by platform, for the "could not identify" warning. */
export const PLATFORM_HINTS: Readonly<Partial<Record<Platform, string>>> = {
  eks: 'on EKS check `kubectl get ds aws-node -n kube-system -o yaml` for the aws-eks-nodeagent container and --enable-network-policy=true',
  gke: 'on GKE check `gcloud container clusters describe` (networkPolicy / datapathProvider) or `kubectl get ds anetd calico-node -n kube-system`',
  aks: 'on AKS check `az aks show --query networkProfile.networkPolicy`',
  minikube: 'minikube without --cni uses bridge or kindnet; check `kubectl get ds -n kube-system`',
};
