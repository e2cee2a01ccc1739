// The real node works as a Kubernetes node: scheduled pods run with bridge addresses, real TCP
// and UDP connections flow between them, NetworkPolicy is enforced by kube-router in both
// flavours (reject: refused; drop: timeout; off: not enforced), and Services work through
// kube-proxy with policy applied to the backend pod.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { loadKubeConfig } from '../cluster/harness.js';
import { applyToNode, waitPodsReady } from './apply.js';
import { connect, podNetns, setEnforcer, waitRulesSettled } from './control.js';

const node = inject('netpolNode');

describe.skipIf(node.skipped !== undefined)('real node', () => {
  if (node.skipped !== undefined) return;
  const ns = `smoke-${Date.now().toString(36)}`;
  const kc = loadKubeConfig(node.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const server = (name: string, labels: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'netexec', image: node.image, imagePullPolicy: 'IfNotPresent', args: ['netexec', '--http-port=8080', '--udp-port=8081'], ports: [{ name: 'http', containerPort: 8080 }, { name: 'udp', containerPort: 8081, protocol: 'UDP' }] }],
    },
  });
  let serverIP = '';
  let clientNetns = '';

  beforeAll(async () => {
    await applyToNode(node, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      server('server', { app: 'server' }),
      server('client', { app: 'client' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', namespace: ns }, spec: { selector: { app: 'server' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    ]);
    await waitPodsReady(node, [ns]);
    serverIP = (await core.readNamespacedPod({ namespace: ns, name: 'server' })).status!.podIP!;
    clientNetns = await podNetns(node, (await core.readNamespacedPod({ namespace: ns, name: 'client' })).metadata!.uid!);
  });
  afterAll(async () => {
    await setEnforcer(node, 'reject');
    await core.deleteNamespace({ name: ns });
  });

  it('runs scheduled pods on the node with addresses of the pod bridge', async () => {
    const pod = await core.readNamespacedPod({ namespace: ns, name: 'server' });
    expect(pod.spec?.nodeName).toBe('realnode');
    expect(pod.status?.podIP).toMatch(/^10\.244\.0\.\d+$/);
  });

  it('carries real TCP and UDP connections between pods when no policy applies', async () => {
    expect(await connect(node, clientNetns, serverIP, 8080, 'TCP')).toBe('connected');
    expect(await connect(node, clientNetns, serverIP, 8081, 'UDP')).toBe('connected');
    // Nothing listens on 9999: the kernel answers with a reset.
    expect(await connect(node, clientNetns, serverIP, 9999, 'TCP')).toBe('refused');
  });

  it('routes a Service ClusterIP to its backend through kube-proxy', async () => {
    const ip = (await core.readNamespacedService({ namespace: ns, name: 'server' })).spec!.clusterIP!;
    const deadline = Date.now() + 15_000;
    let outcome = await connect(node, clientNetns, ip, 80, 'TCP');
    while (outcome !== 'connected' && Date.now() < deadline) outcome = await connect(node, clientNetns, ip, 80, 'TCP');
    expect(outcome).toBe('connected');
  });

  it('enforces NetworkPolicy: rejected (refused), dropped (timeout), or not at all (off)', async () => {
    await applyToNode(node, [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-server', namespace: ns }, spec: { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'] } }]);
    await waitRulesSettled(node);
    expect(await connect(node, clientNetns, serverIP, 8080, 'TCP')).toBe('refused');
    expect(await connect(node, clientNetns, serverIP, 8081, 'UDP')).toBe('refused');
    await setEnforcer(node, 'drop');
    expect(await connect(node, clientNetns, serverIP, 8080, 'TCP')).toBe('timeout');
    expect(await connect(node, clientNetns, serverIP, 8081, 'UDP')).toBe('timeout');
    await setEnforcer(node, 'off');
    expect(await connect(node, clientNetns, serverIP, 8080, 'TCP')).toBe('connected');
    await setEnforcer(node, 'reject');
    expect(await connect(node, clientNetns, serverIP, 8080, 'TCP')).toBe('refused');
  });

  it('runs the controllers: a Deployment gets its pods', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await applyToNode(node, [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: node.image, imagePullPolicy: 'IfNotPresent', args: ['pause'] }] } } } }]);
    const deadline = Date.now() + 60_000;
    while ((await apps.readNamespacedDeployment({ namespace: ns, name: 'web' })).status?.readyReplicas !== 2) {
      if (Date.now() > deadline) throw new Error('deployment web did not get 2 ready replicas in 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
