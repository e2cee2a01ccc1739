import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { V1Container, V1DaemonSet, V1DaemonSetSpec, V1Node, V1ObjectMeta, V1PodSpec, V1PodTemplateSpec } from '@kubernetes/client-node';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CNI_NAMESPACES, detectCni, type CniInput, type CniReport } from '../../src/cni/detect.js';

/** A fixture as a live reader would pass it: every list present (possibly empty), API groups from an APIGroupList. */
function fixture(name: string): CniInput {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${name}.yaml`, import.meta.url)), 'utf8');
  const input: Required<CniInput> = { pods: [], daemonSets: [], deployments: [], configMaps: [], nodes: [], apiGroups: [] };
  for (const doc of loadAll(text) as Record<string, unknown>[]) {
    if (!doc) continue;
    const kind = doc['kind'];
    if (kind === 'Pod') input.pods.push(doc);
    else if (kind === 'DaemonSet') input.daemonSets.push(doc);
    else if (kind === 'Deployment') input.deployments.push(doc);
    else if (kind === 'ConfigMap') input.configMaps.push(doc);
    else if (kind === 'Node') input.nodes.push(doc);
    else if (kind === 'APIGroupList') input.apiGroups.push(...(doc['groups'] as { name: string }[]).map((g) => g.name));
    else throw new Error(`fixture ${name}: unexpected kind ${String(kind)}`);
  }
  return input;
}

const plugin = (r: CniReport, name: string) => {
  const p = r.plugins.find((x) => x.name === name);
  expect(p, `plugin ${name} in ${JSON.stringify(r.plugins.map((x) => x.name))}`).toBeDefined();
  return p!;
};

interface Case {
  fixture: string;
  enforces: CniReport['enforces'];
  confidence: CniReport['confidence'];
  /** name -> [enforcesPolicy, an object the evidence must name] */
  plugins: Record<string, [boolean | 'depends', string]>;
  /** exact set of plugin names, when it matters */
  only?: string[];
}

const CASES: Case[] = [
  { fixture: 'calico-manifest', enforces: 'yes', confidence: 'high', only: ['calico'], plugins: { calico: [true, 'DaemonSet kube-system/calico-node (image docker.io/calico/node:v3.28.0)'] } },
  { fixture: 'calico-operator', enforces: 'yes', confidence: 'high', plugins: { calico: [true, 'DaemonSet calico-system/calico-node'] } },
  { fixture: 'canal', enforces: 'yes', confidence: 'high', only: ['canal'], plugins: { canal: [true, 'DaemonSet kube-system/canal'] } },
  { fixture: 'rke2-canal', enforces: 'yes', confidence: 'high', only: ['canal'], plugins: { canal: [true, 'DaemonSet kube-system/rke2-canal'] } },
  { fixture: 'cilium', enforces: 'yes', confidence: 'high', only: ['cilium'], plugins: { cilium: [true, 'DaemonSet kube-system/cilium (image quay.io/cilium/cilium:v1.16.1@sha256:'] } },
  { fixture: 'cilium-policy-never', enforces: 'no', confidence: 'high', plugins: { cilium: [false, 'ConfigMap kube-system/cilium-config: enable-policy: never'] } },
  {
    fixture: 'cilium-chained-aws',
    enforces: 'yes',
    confidence: 'high',
    plugins: { cilium: [true, 'ConfigMap kube-system/cilium-config: cni-chaining-mode: aws-cni'], 'aws-vpc-cni': [false, 'DaemonSet kube-system/aws-node'] },
  },
  { fixture: 'gke-dataplane-v2', enforces: 'yes', confidence: 'high', only: ['gke-dataplane-v2'], plugins: { 'gke-dataplane-v2': [true, 'DaemonSet kube-system/anetd'] } },
  { fixture: 'gke-calico', enforces: 'yes', confidence: 'high', plugins: { calico: [true, 'DaemonSet kube-system/calico-node (image gke.gcr.io/calico/node:'] } },
  { fixture: 'gke-no-policy', enforces: 'no', confidence: 'medium', plugins: { 'gke-dataplane-v1': [false, 'Node gke-c3-default-pool-aa11bb22-cc33 has label cloud.google.com/gke-nodepool'] } },
  { fixture: 'antrea', enforces: 'yes', confidence: 'high', only: ['antrea'], plugins: { antrea: [true, 'DaemonSet kube-system/antrea-agent'] } },
  { fixture: 'weave', enforces: 'yes', confidence: 'high', plugins: { 'weave-net': [true, 'DaemonSet kube-system/weave-net'] } },
  { fixture: 'weave-no-npc', enforces: 'no', confidence: 'high', plugins: { 'weave-net': [false, 'DaemonSet kube-system/weave-net (image weaveworks/weave-kube:2.8.1): no weave-npc container'] } },
  { fixture: 'kube-router', enforces: 'yes', confidence: 'high', plugins: { 'kube-router': [true, 'DaemonSet kube-system/kube-router'] } },
  { fixture: 'kube-router-no-firewall', enforces: 'no', confidence: 'high', plugins: { 'kube-router': [false, '--run-firewall=false'] } },
  { fixture: 'ovn-kubernetes', enforces: 'yes', confidence: 'high', only: ['ovn-kubernetes'], plugins: { 'ovn-kubernetes': [true, 'DaemonSet ovn-kubernetes/ovnkube-node'] } },
  { fixture: 'kube-ovn', enforces: 'yes', confidence: 'high', plugins: { 'kube-ovn': [true, 'DaemonSet kube-system/kube-ovn-cni'] } },
  { fixture: 'kube-ovn-no-np', enforces: 'no', confidence: 'high', plugins: { 'kube-ovn': [false, 'Deployment kube-system/kube-ovn-controller'] } },
  { fixture: 'openshift-sdn', enforces: 'yes', confidence: 'high', plugins: { 'openshift-sdn': [true, 'DaemonSet openshift-sdn/sdn'] } },
  { fixture: 'flannel', enforces: 'no', confidence: 'high', only: ['flannel'], plugins: { flannel: [false, 'DaemonSet kube-flannel/kube-flannel-ds (image ghcr.io/flannel-io/flannel:v0.26.1)'] } },
  {
    fixture: 'flannel-netpol',
    enforces: 'yes',
    confidence: 'high',
    plugins: { flannel: [false, 'DaemonSet kube-flannel/kube-flannel-ds'], 'kube-network-policies': [true, 'DaemonSet kube-flannel/kube-flannel-ds (image registry.k8s.io/networking/kube-network-policies:v0.6.0)'] },
  },
  { fixture: 'kube-network-policies', enforces: 'yes', confidence: 'high', plugins: { 'kube-network-policies': [true, 'DaemonSet kube-system/kube-network-policies'] } },
  { fixture: 'aws-node-old', enforces: 'no', confidence: 'high', plugins: { 'aws-vpc-cni': [false, 'DaemonSet kube-system/aws-node'] } },
  { fixture: 'aws-node-agent-off', enforces: 'no', confidence: 'high', plugins: { 'aws-vpc-cni': [false, 'container aws-eks-nodeagent runs with --enable-network-policy=false'] } },
  { fixture: 'aws-node-agent-on', enforces: 'yes', confidence: 'high', only: ['aws-vpc-cni'], plugins: { 'aws-vpc-cni': [true, '--enable-network-policy=true'] } },
  { fixture: 'eks-auto-mode', enforces: 'unknown', confidence: 'low', plugins: { 'eks-auto-mode': ['depends', 'ConfigMap kube-system/amazon-vpc-cni: enable-network-policy-controller: "true"'] } },
  { fixture: 'eks-auto-mode-off', enforces: 'no', confidence: 'medium', plugins: { 'eks-auto-mode': [false, 'Node i-0aaaabbbbccccdddd has label eks.amazonaws.com/compute-type=auto'] } },
  { fixture: 'aks-azure-npm', enforces: 'yes', confidence: 'high', plugins: { 'azure-npm': [true, 'DaemonSet kube-system/azure-npm'], 'azure-cni': [false, 'DaemonSet kube-system/azure-cns'] } },
  { fixture: 'aks-cilium', enforces: 'yes', confidence: 'high', only: ['cilium'], plugins: { cilium: [true, 'Node aks-nodepool1-87654321-vmss000000 has label kubernetes.azure.com/ebpf-dataplane=cilium'] } },
  { fixture: 'aks-no-policy', enforces: 'no', confidence: 'high', only: ['azure-cni'], plugins: { 'azure-cni': [false, 'DaemonSet kube-system/azure-cns'] } },
  { fixture: 'kindnet-old', enforces: 'no', confidence: 'high', only: ['kindnet'], plugins: { kindnet: [false, 'DaemonSet kube-system/kindnet (image docker.io/kindest/kindnetd:v20240513-cd2ac642)'] } },
  { fixture: 'kindnet-new', enforces: 'yes', confidence: 'high', only: ['kindnet'], plugins: { kindnet: [true, 'DaemonSet kube-system/kindnet (image docker.io/kindest/kindnetd:v20240813-c6f155d6)'] } },
  { fixture: 'kindnet-standalone', enforces: 'no', confidence: 'high', plugins: { kindnet: [false, 'defaults to --network-policy=false'] } },
  { fixture: 'k3s', enforces: 'yes', confidence: 'high', only: ['k3s'], plugins: { k3s: [true, 'Node k3s-server-1 (and 1 more node) runs k3s (kubelet v1.30.4+k3s1)'] } },
  { fixture: 'k3s-disabled', enforces: 'no', confidence: 'high', only: ['k3s'], plugins: { k3s: [false, 'Node k3s-server-1: k3s.io/node-args has --disable-network-policy'] } },
  { fixture: 'microk8s', enforces: 'yes', confidence: 'high', plugins: { calico: [true, 'DaemonSet kube-system/calico-node'] } },
  { fixture: 'minikube-bridge', enforces: 'no', confidence: 'medium', only: ['bridge'], plugins: { bridge: [false, 'Node minikube has label minikube.k8s.io/name'] } },
  { fixture: 'multus-flannel', enforces: 'no', confidence: 'high', plugins: { multus: [false, 'DaemonSet kube-system/kube-multus-ds'], flannel: [false, 'DaemonSet kube-flannel/kube-flannel-ds'] } },
  { fixture: 'pods-only', enforces: 'yes', confidence: 'high', only: ['calico'], plugins: { calico: [true, 'Pod kube-system/calico-node-4xk2p (image docker.io/calico/node:v3.28.0)'] } },
];

describe('detectCni: one fixture per plugin/scenario', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${Object.keys(c.plugins).join(' + ')} => ${c.enforces} (${c.confidence})`, () => {
      const r = detectCni(fixture(c.fixture));
      expect({ enforces: r.enforces, confidence: r.confidence }, JSON.stringify(r, null, 2)).toEqual({ enforces: c.enforces, confidence: c.confidence });
      for (const [name, [enforcesPolicy, named]] of Object.entries(c.plugins)) {
        const p = plugin(r, name);
        expect(p.enforcesPolicy, `${name}.enforcesPolicy`).toBe(enforcesPolicy);
        expect(p.evidence.some((e) => e.includes(named)), `${name} evidence ${JSON.stringify(p.evidence)} names "${named}"`).toBe(true);
      }
      if (c.only) expect(r.plugins.map((p) => p.name).sort()).toEqual([...c.only].sort());
      if (r.enforces === 'yes') expect(r.warning).toBeUndefined();
      else expect(r.warning).toBeTruthy();
      expect(r.summary).toContain(`NetworkPolicy enforced: ${r.enforces}`);
    });
  }
});

describe('the one-line warning every live command prints', () => {
  const warned = CASES.filter((c) => c.enforces !== 'yes');
  it.each(warned.map((c) => [c.fixture, c.enforces] as const))('%s (%s): one short line, and the full warning kept', (name) => {
    const r = detectCni(fixture(name));
    expect(r.headline).toBeTruthy();
    expect(r.headline).not.toContain('\n');
    expect(r.headline!.length, r.headline).toBeLessThanOrEqual(150);
    expect(r.headline).toMatch(/^NetworkPolicy (is NOT enforced|may not be enforced|enforcement is unknown)/);
    expect(r.warning!.length).toBeGreaterThan(r.headline!.length);
  });
});

describe('warnings and summaries', () => {
  it('flannel alone: says policies are accepted but not enforced, and how to fix it', () => {
    const r = detectCni(fixture('flannel'));
    expect(r.warning).toMatch(/NOT enforced/);
    expect(r.warning).toMatch(/flannel/);
    expect(r.warning).toMatch(/Canal|kube-network-policies/);
    expect(plugin(r, 'flannel').evidence).toContain('Node node-1 (and 1 more node) has annotation flannel.alpha.coreos.com/public-ip');
    expect(plugin(r, 'flannel').evidence).toContain('ConfigMap kube-flannel/kube-flannel-cfg');
  });

  it('aws-node without the agent: points at enableNetworkPolicy and VPC CNI >= v1.14', () => {
    const r = detectCni(fixture('aws-node-old'));
    expect(plugin(r, 'aws-vpc-cni').evidence[0]).toMatch(/no aws-network-policy-agent container \(VPC CNI v1\.12\.6-eksbuild\.2 < v1\.14/);
    expect(r.warning).toMatch(/enableNetworkPolicy=true/);
    expect(r.summary).toMatch(/Platform: eks/);
  });

  it('aws-node with the agent enabled also records the controller ConfigMap and PolicyEndpoint API group', () => {
    const ev = plugin(detectCni(fixture('aws-node-agent-on')), 'aws-vpc-cni').evidence;
    expect(ev).toContain('ConfigMap kube-system/amazon-vpc-cni: enable-network-policy-controller: "true"');
    expect(ev).toContain('API group networking.k8s.aws is served (PolicyEndpoint CRD)');
  });

  it('agent enabled but the controller ConfigMap says false: cannot tell', () => {
    const input = fixture('aws-node-agent-on');
    input.configMaps = [{ metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' }, data: { 'enable-network-policy-controller': 'false' } }];
    const r = detectCni(input);
    expect(r.enforces).toBe('unknown');
    expect(plugin(r, 'aws-vpc-cni').enforcesPolicy).toBe('depends');
    expect(r.warning).toMatch(/enable-network-policy-controller/);
  });

  it('EKS Auto Mode: the warning explains the NodeClass part', () => {
    expect(detectCni(fixture('eks-auto-mode')).warning).toMatch(/NodeClass/);
    expect(detectCni(fixture('eks-auto-mode-off')).warning).toMatch(/amazon-vpc-cni/);
  });

  it('Canal folds Calico CRDs and flannel node annotations into one plugin', () => {
    const ev = plugin(detectCni(fixture('canal')), 'canal').evidence;
    expect(ev).toContain('API group crd.projectcalico.org is served (CRDs installed)');
    expect(ev.some((e) => e.startsWith('Node node-a has annotation flannel.alpha.coreos.com/'))).toBe(true);
  });

  it('k3s: flannel annotations belong to k3s; platforms are in the summary', () => {
    expect(detectCni(fixture('k3s')).summary).toMatch(/Platform: k3s/);
    expect(detectCni(fixture('rke2-canal')).summary).toMatch(/Platform: rke2/);
    expect(detectCni(fixture('microk8s')).summary).toMatch(/Platform: microk8s/);
  });

  it('kindnet old: the warning says to upgrade kind', () => {
    const r = detectCni(fixture('kindnet-old'));
    expect(plugin(r, 'kindnet').evidence[0]).toMatch(/predates network policy support/);
    expect(r.warning).toMatch(/kind >= v0\.24\.0/);
  });

  it('kindnet with an unversioned image: unknown', () => {
    const r = detectCni({ daemonSets: [ds('kube-system', 'kindnet', [{ name: 'kindnet-cni', image: 'ghcr.io/aojea/kindnetd:stable' }])] });
    expect(r.enforces).toBe('unknown');
    expect(plugin(r, 'kindnet').enforcesPolicy).toBe('depends');
    expect(r.warning).toMatch(/cannot tell the kindnet version/);
  });

  it('multus alone says nothing about enforcement', () => {
    const input = fixture('multus-flannel');
    input.daemonSets = input.daemonSets!.slice(0, 1);
    const r = detectCni(input);
    expect(r.enforces).toBe('unknown');
    expect(r.plugins.map((p) => p.name)).toEqual(['multus']);
  });
});

describe('no or weak evidence', () => {
  it('empty input: unknown, with a warning saying how to check', () => {
    for (const input of [{}, { pods: [], daemonSets: [], deployments: [], configMaps: [], nodes: [], apiGroups: [] }]) {
      const r = detectCni(input);
      expect(r).toMatchObject({ enforces: 'unknown', confidence: 'low', plugins: [] });
      expect(r.warning).toMatch(/Could not identify the cluster's network \(CNI\) plugin/);
      expect(r.warning).toContain('kubectl get ds -n kube-system');
      expect(r.summary).toMatch(/No network plugin identified/);
    }
  });

  it('unknown cluster on a known platform: the warning carries the platform hint', () => {
    const r = detectCni({ nodes: [{ metadata: { name: 'n1' }, spec: { providerID: 'aws:///us-east-1a/i-1' } }] });
    expect(r.enforces).toBe('unknown');
    expect(r.warning).toMatch(/aws-eks-nodeagent/);
  });

  it('API groups only (no workload listing allowed): yes, low confidence', () => {
    const r = detectCni({ apiGroups: ['crd.projectcalico.org/v1', 'apps/v1'] });
    expect(r).toMatchObject({ enforces: 'yes', confidence: 'low' });
    expect(plugin(r, 'calico').evidence).toEqual(['API group crd.projectcalico.org is served (CRDs installed)']);
  });

  it('CRDs but no agent in a full listing: leftovers, unknown', () => {
    const r = detectCni({ apiGroups: ['cilium.io'], daemonSets: [ds('kube-flannel', 'kube-flannel-ds', [{ name: 'kube-flannel', image: 'ghcr.io/flannel-io/flannel:v0.26.1' }])] });
    expect(r).toMatchObject({ enforces: 'unknown', confidence: 'low' });
    expect(r.warning).toMatch(/leftovers of cilium/);
    expect(r.warning).toMatch(/flannel does not enforce/);
  });

  it('node annotations only: medium confidence', () => {
    const r = detectCni({ nodes: [{ metadata: { name: 'n1', annotations: { 'projectcalico.org/IPv4Address': '10.0.0.1/24' } } }] });
    expect(r).toMatchObject({ enforces: 'yes', confidence: 'medium' });
  });

  it('garbage is ignored, not thrown on', () => {
    const r = detectCni({ daemonSets: [null, 3, 'x', { spec: { template: { spec: { containers: 'no' } } } }], nodes: [{}], configMaps: [[]], apiGroups: [] });
    expect(r.enforces).toBe('unknown');
  });
});

describe('@kubernetes/client-node objects', () => {
  it('reads typed objects (same field names)', () => {
    const c = Object.assign(new V1Container(), { name: 'calico-node', image: 'quay.io/calico/node:v3.29.1' });
    const d = Object.assign(new V1DaemonSet(), {
      metadata: Object.assign(new V1ObjectMeta(), { name: 'calico-node', namespace: 'calico-system' }),
      spec: Object.assign(new V1DaemonSetSpec(), { template: Object.assign(new V1PodTemplateSpec(), { spec: Object.assign(new V1PodSpec(), { containers: [c] }) }) }),
    });
    const n = Object.assign(new V1Node(), { metadata: Object.assign(new V1ObjectMeta(), { name: 'n1', labels: { 'microk8s.io/cluster': 'true' } }) });
    const r = detectCni({ daemonSets: [d], nodes: [n] });
    expect(r).toMatchObject({ enforces: 'yes', confidence: 'high' });
    expect(plugin(r, 'calico').evidence).toEqual(['DaemonSet calico-system/calico-node (image quay.io/calico/node:v3.29.1)']);
  });
});

describe('CNI_NAMESPACES', () => {
  it('covers the namespaces the fixtures use', () => {
    for (const ns of ['kube-system', 'kube-flannel', 'calico-system', 'tigera-operator', 'cilium', 'ovn-kubernetes', 'openshift-sdn']) expect(CNI_NAMESPACES).toContain(ns);
  });
});

function ds(namespace: string, name: string, containers: { name: string; image: string; args?: string[] }[]): unknown {
  return { kind: 'DaemonSet', metadata: { name, namespace }, spec: { template: { spec: { containers } } } };
}
