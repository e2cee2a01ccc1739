import { describe, expect, it } from 'vitest';
import { convertEndpointSlice, convertNamespace, convertNode, convertPod, convertService } from '../../src/convert/cluster-state.js';
import { expectError, ok, warnings, y } from './helpers.js';

describe('Namespace', () => {
  it('adds kubernetes.io/metadata.name when absent', () => {
    const ns = ok(convertNamespace(y('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {team: a}\n')));
    expect(ns).toEqual({ name: 'prod', labels: { team: 'a', 'kubernetes.io/metadata.name': 'prod' } });
    expect(ns.synthetic).toBeUndefined();
  });

  it('keeps it when present and overrides a wrong value with a warning', () => {
    const res = convertNamespace(y('kind: Namespace\nmetadata:\n  name: prod\n  labels: {kubernetes.io/metadata.name: other}\n'));
    expect(ok(res).labels['kubernetes.io/metadata.name']).toBe('prod');
    expect(warnings(res)).toHaveLength(1);
  });

  it('requires a name and string label values', () => {
    expectError(convertNamespace(y('kind: Namespace\nmetadata: {}\n')), 'metadata.name', 'Namespace <unnamed>', /required/);
    const p = expectError(convertNamespace(y('kind: Namespace\nmetadata: {name: a, labels: {tier: 1}}\n')), 'metadata.labels.tier', 'Namespace a', /must be a string/);
    expect(p.hint).toBe('quote the value: tier: "1"');
  });
});

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9c-abcde
  namespace: prod
  labels: {app: web}
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9c, controller: true, uid: x}
spec:
  nodeName: node-1
  serviceAccountName: web-sa
  initContainers:
  - name: init
    ports: [{name: init-port, containerPort: 1111}]
  containers:
  - name: app
    ports:
    - {name: http, containerPort: 8080}
    - {name: dns, containerPort: 53, protocol: UDP}
  - name: sidecar
    ports: [{containerPort: 9090}]
status:
  phase: Running
  podIP: 10.0.0.5
  podIPs: [{ip: 10.0.0.5}, {ip: "fd00::5"}]
`;

describe('Pod', () => {
  it('maps labels, containers[] ports (not initContainers), node, service account, IPs, phase', () => {
    const pod = ok(convertPod(y(POD)));
    expect(pod).toMatchObject({
      namespace: 'prod',
      name: 'web-7d4b9c-abcde',
      labels: { app: 'web' },
      ips: ['10.0.0.5', 'fd00::5'],
      hostNetwork: false,
      nodeName: 'node-1',
      serviceAccount: 'web-sa',
      phase: 'Running',
    });
    expect(pod.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', container: 'app' },
      { name: 'dns', port: 53, protocol: 'UDP', container: 'app' },
      { port: 9090, protocol: 'TCP', container: 'sidecar' },
    ]);
    expect(pod.template).toBeUndefined();
  });

  it('without other objects, the workload is the direct controller owner', () => {
    expect(ok(convertPod(y(POD))).workload).toEqual({ kind: 'ReplicaSet', name: 'web-7d4b9c' });
  });

  it('podIP alone, hostNetwork, no status, default namespace', () => {
    const pod = ok(convertPod(y('kind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c}]\nstatus: {podIP: 192.168.1.10}\n')));
    expect(pod).toMatchObject({ namespace: 'default', ips: ['192.168.1.10'], hostNetwork: true, ports: [] });
    const bare = ok(convertPod(y('kind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c}]}\n')));
    expect(bare.ips).toEqual([]);
    expect(bare.workload).toBeUndefined();
    expect(bare.phase).toBeUndefined();
  });

  it('owner of an unknown kind gives no workload', () => {
    const pod = ok(convertPod(y('kind: Pod\nmetadata:\n  name: p\n  ownerReferences: [{kind: Node, name: n1, controller: true}]\n')));
    expect(pod.workload).toBeUndefined();
  });

  it('validates container ports and IPs', () => {
    const N = 'Pod prod/web-7d4b9c-abcde';
    const bad = (from: string, to: string) => convertPod(y(POD.replace(from, to)));
    expectError(bad('containerPort: 8080', 'containerPort: 70000'), 'spec.containers[0].ports[0].containerPort', N, 'port must be 1-65535; got 70000');
    expectError(bad('containerPort: 8080', 'containerPort: "8080"'), 'spec.containers[0].ports[0].containerPort', N, /integer/);
    expectError(bad('protocol: UDP', 'protocol: udp'), 'spec.containers[0].ports[1].protocol', N, /unsupported protocol/);
    expectError(bad('name: http,', 'name: HTTP_1,'), 'spec.containers[0].ports[0].name', N, /port name/);
    expectError(bad('podIP: 10.0.0.5', 'podIP: 10.0.0.500'), 'status.podIP', N, /not a valid IP/);
  });
});

describe('Node', () => {
  it('maps labels and InternalIP/ExternalIP addresses only', () => {
    const node = ok(
      convertNode(
        y(`kind: Node
metadata: {name: n1, labels: {role: infra}}
status:
  addresses:
  - {type: InternalIP, address: 10.1.0.1}
  - {type: ExternalIP, address: 203.0.113.7}
  - {type: Hostname, address: n1}
  - {type: InternalIP, address: "fd00::1"}
`),
      ),
    );
    expect(node).toEqual({ name: 'n1', labels: { role: 'infra' }, addresses: ['10.1.0.1', '203.0.113.7', 'fd00::1'] });
  });
});

describe('Service', () => {
  it('selector, ports with defaults (TCP, targetPort = port), cluster IPs', () => {
    const svc = ok(
      convertService(
        y(`kind: Service
metadata: {name: web, namespace: prod}
spec:
  type: ClusterIP
  selector: {app: web}
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10, "fd00:96::10"]
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: metrics, port: 9090}
  - {name: dns, port: 53, protocol: UDP, targetPort: 5353}
`),
      ),
    );
    expect(svc).toEqual({
      namespace: 'prod',
      name: 'web',
      type: 'ClusterIP',
      selector: { app: 'web' },
      clusterIPs: ['10.96.0.10', 'fd00:96::10'],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
      ],
    });
  });

  it('headless and selector-less services', () => {
    const svc = ok(convertService(y('kind: Service\nmetadata: {name: h}\nspec:\n  clusterIP: None\n  ports: [{port: 80}]\n')));
    expect(svc.clusterIPs).toEqual([]);
    expect(svc.selector).toBeUndefined();
    expect(svc.type).toBe('ClusterIP');
    expect(ok(convertService(y('kind: Service\nmetadata: {name: e}\nspec: {selector: {}}\n'))).selector).toBeUndefined();
  });

  it('validates ports', () => {
    expectError(convertService(y('kind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 0}]\n')), 'spec.ports[0].port', 'Service default/s', /1-65535/);
    expectError(convertService(y('kind: Service\nmetadata: {name: s}\nspec:\n  ports: [{}]\n')), 'spec.ports[0].port', 'Service default/s', /required/);
    expectError(
      convertService(y('kind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, targetPort: 99999}]\n')),
      'spec.ports[0].targetPort',
      'Service default/s',
      /IANA_SVC_NAME/,
    );
  });
});

const SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  namespace: prod
  labels: {kubernetes.io/service-name: web}
addressType: IPv4
endpoints:
- addresses: [10.0.0.5]
  targetRef: {kind: Pod, name: web-1, namespace: prod}
- addresses: [10.0.0.6]
  conditions: {ready: false}
  targetRef: {kind: Pod, name: web-2}
- addresses: [10.0.0.7]
  conditions: {ready: true, serving: true}
ports:
- {name: http, port: 8080}
- {name: dns, port: 53, protocol: UDP}
`;

describe('EndpointSlice', () => {
  it('service name label, endpoints (absent ready = ready), target pods, ports', () => {
    const s = ok(convertEndpointSlice(y(SLICE)));
    expect(s).toEqual({
      namespace: 'prod',
      name: 'web-abc',
      serviceName: 'web',
      endpoints: [
        { addresses: ['10.0.0.5'], ready: true, targetPod: { namespace: 'prod', name: 'web-1' } },
        { addresses: ['10.0.0.6'], ready: false, targetPod: { namespace: 'prod', name: 'web-2' } },
        { addresses: ['10.0.0.7'], ready: true },
      ],
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ],
    });
  });

  it('skips (with a warning naming the slice) FQDN slices and slices without a service', () => {
    const fqdn = convertEndpointSlice(y(SLICE.replace('addressType: IPv4', 'addressType: FQDN')));
    expect(fqdn.ok).toBe(false);
    expect(warnings(fqdn)[0]?.message).toMatch(/^EndpointSlice prod\/web-abc: addressType: FQDN/);
    const noSvc = convertEndpointSlice(y(SLICE.replace('labels: {kubernetes.io/service-name: web}', 'labels: {}')));
    expect(noSvc.ok).toBe(false);
    expect(warnings(noSvc)[0]?.message).toMatch(/belongs to no Service/);
  });

  it('validates addresses', () => {
    expectError(convertEndpointSlice(y(SLICE.replace('[10.0.0.6]', '[not-an-ip]'))), 'endpoints[1].addresses[0]', 'EndpointSlice prod/web-abc', /not a valid IP/);
  });
});

describe('@kubernetes/client-node objects', () => {
  it('typed class instances (undefined fields, `_from` for `from`) convert like plain JSON', async () => {
    const k8s = await import('@kubernetes/client-node');
    const meta = Object.assign(new k8s.V1ObjectMeta(), { name: 'web', namespace: 'prod', labels: undefined, creationTimestamp: new Date(0) });
    const peer = Object.assign(new k8s.V1NetworkPolicyPeer(), {
      podSelector: Object.assign(new k8s.V1LabelSelector(), { matchLabels: { app: 'fe' }, matchExpressions: undefined }),
      namespaceSelector: undefined,
      ipBlock: undefined,
    });
    const port = Object.assign(new k8s.V1NetworkPolicyPort(), { port: 'http', protocol: undefined, endPort: undefined });
    const rule = Object.assign(new k8s.V1NetworkPolicyIngressRule(), { _from: [peer], ports: [port] });
    const spec = Object.assign(new k8s.V1NetworkPolicySpec(), { podSelector: new k8s.V1LabelSelector(), ingress: [rule], egress: undefined, policyTypes: ['Ingress'] });
    const { convertNetworkPolicy } = await import('../../src/convert/cluster-state.js');
    const np = convertNetworkPolicy(Object.assign(new k8s.V1NetworkPolicy(), { metadata: meta, spec }));
    const value = ok(np);
    expect(value.ingress).toEqual([{ peers: [{ podSelector: { matchLabels: { app: 'fe' } } }], ports: [{ protocol: 'TCP', port: 'http' }] }]);

    const pod = Object.assign(new k8s.V1Pod(), {
      metadata: meta,
      spec: Object.assign(new k8s.V1PodSpec(), { containers: [], hostNetwork: undefined }),
      status: Object.assign(new k8s.V1PodStatus(), { podIPs: [Object.assign(new k8s.V1PodIP(), { ip: '10.1.2.3' })], startTime: new Date(0) }),
    });
    expect(ok(convertPod(pod, { source: { origin: 'live' } }))).toMatchObject({ ips: ['10.1.2.3'], hostNetwork: false, source: { origin: 'live' } });
  });
});
