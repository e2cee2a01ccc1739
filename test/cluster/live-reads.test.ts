// What the live source reads: pagination past one page, the few requests explain makes, Service
// references resolved through EndpointSlices to named target ports, IP references, and the CNI
// evidence it gathers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { loadLive, type LiveNeeds } from '../../src/sources/live/source.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, apply, namespace, pod, pool, remove, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const suffix = randomBytes(3).toString('hex');
const env = { NO_COLOR: '1' };
const quiet = { stderr: { write: () => true }, env: {} };
const load = (needs: LiveNeeds, extra: Record<string, string> = {}) => loadLive({ kubeconfig: cluster.kubeconfigPath, ...extra }, needs, quiet);

// Pods with made-up IPs and statuses: only against the local test server, never a real cluster.
let client: ApiClient;
beforeAll(async () => {
  if (!cluster.external) client = await adminClient(cluster.kubeconfigPath);
});
afterAll(() => client?.close());

describe.skipIf(cluster.external)('pagination', () => {
  const ns = `paging-${suffix}`;
  const COUNT = 1200;
  // Running with an IP: a pod whose status has no IP yet holds no address and is no matrix row.
  const pods = Array.from({ length: COUNT }, (_, i) => pod(ns, `p-${String(i).padStart(4, '0')}`, { app: i % 2 ? 'odd' : 'even' }, `10.250.${i >> 8}.${i & 255}`));

  beforeAll(async () => {
    await apply(client, [namespace(ns)]);
    await apply(client, pods, 32);
  }, 300_000);
  afterAll(async () => {
    await remove(client, [...pods, namespace(ns)], 32);
  }, 300_000);

  it(`matrix -n: ${COUNT} pods in one namespace come in 3 pages of 500`, async () => {
    const res = await load({ namespaces: [ns] });
    expect(res.state.pods.filter((p) => p.namespace === ns)).toHaveLength(COUNT);
    expect(res.stats.lists).toContainEqual({ what: `list pods in namespace "${ns}"`, pages: 3, items: COUNT });
    expect(res.stats.byResource.get('pods')).toBe(3);
    // one namespace: its object, its policies, its pods and workloads, the admin tier, CNI evidence
    expect(res.stats.byResource.get('namespaces')).toBe(1);
    expect(res.stats.byResource.get('networkpolicies.networking.k8s.io')).toBe(1);
  });

  it('matrix -A: the cluster-wide list pages through every pod', async () => {
    const res = await load({ namespaces: 'all' });
    expect(res.state.pods.filter((p) => p.namespace === ns)).toHaveLength(COUNT);
    const list = res.stats.lists.find((l) => l.what === 'list pods in all namespaces')!;
    expect(list.items).toBeGreaterThanOrEqual(COUNT);
    expect(list.pages).toBe(Math.ceil(list.items / 500));
    expect(res.stats.byResource.get('pods')).toBe(list.pages);
  });

  it('the CLI reports requests and time with --verbose', async () => {
    const r = await runCli(['matrix', '-n', ns, '--kubeconfig', cluster.kubeconfigPath, '--verbose', '-o', 'json'], { env });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toMatch(/^live: \d+ requests \([\d.]+ [kM]?B\) in \d+\.\d\d s; 1200 pods, 0 NetworkPolicies/m);
    const d = await runCli(['matrix', '-n', ns, '--kubeconfig', cluster.kubeconfigPath, '-o', 'json'], { env: { ...env, NETPOL_DEBUG: '1' } });
    expect(d.stderr).toContain(`live: list pods in namespace "${ns}": 1200 items in 3 pages`);
    expect(d.stderr).toMatch(new RegExp(`^live: GET /api/v1/namespaces/${ns}/pods\\?limit=500&continue=\\S+ 200 `, 'm'));
  });
});

describe.skipIf(cluster.external)('Services, IPs and what explain reads', () => {
  const ns = `svc-${suffix}`;
  const objects: Obj[] = [
    namespace(ns, { team: 'svc' }),
    pod(ns, 'client', { app: 'client' }, '10.252.0.10'),
    pod(ns, 'api-1', { app: 'api' }, '10.252.0.11', [{ name: 'http', containerPort: 8080 }]),
    pod(ns, 'api-2', { app: 'api' }, '10.252.0.12', [{ name: 'http', containerPort: 9090 }]),
    pod(ns, 'api-3', { app: 'api' }, '10.252.0.13', [{ name: 'http', containerPort: 8080 }]),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: ns }, spec: { selector: { app: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'api-x1', namespace: ns, labels: { 'kubernetes.io/service-name': 'api' } },
      addressType: 'IPv4',
      ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.252.0.11'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'api-1', namespace: ns } },
        { addresses: ['10.252.0.12'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'api-2', namespace: ns } },
        { addresses: ['10.252.0.13'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'api-3', namespace: ns } },
      ],
    },
    // Selector-less Service with a hand-made slice that only has an address.
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: ns }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'legacy-1', namespace: ns, labels: { 'kubernetes.io/service-name': 'legacy' } },
      addressType: 'IPv4',
      ports: [{ port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.252.0.11'] }],
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-from-client', namespace: ns },
      spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }] },
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'netpol-svc-'));
  const manifest = join(dir, 'objects.json');

  beforeAll(async () => {
    await apply(client, objects);
    writeFileSync(manifest, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  });
  afterAll(async () => {
    await remove(client, objects);
    rmSync(dir, { recursive: true, force: true });
  });

  const explainJson = async (args: string[]) => {
    const r = await runCli([...args, '-o', 'json'], { env });
    return { code: r.code, data: JSON.parse(r.stdout || 'null'), stderr: r.stderr };
  };

  it('svc/NAME:PORT: ready backends from the EndpointSlice, service port -> named targetPort per pod; same as from files', async () => {
    const args = ['explain', `${ns}/client`, `${ns}/svc/api:web`];
    const live = await explainJson([...args, '--kubeconfig', cluster.kubeconfigPath]);
    const files = await explainJson([...args, '-f', manifest]);
    expect(live.data.paths.map((p: Obj) => [p.to, p.via, p.allowed])).toEqual([
      [`${ns}/api-1`, 'svc/api:80', true], // http = 8080: the policy allows it
      [`${ns}/api-2`, 'svc/api:80', false], // http = 9090 on this pod: not allowed
    ]);
    expect(live.data.allowed).toBe(false);
    const { limitations: _a, ...l } = live.data;
    const { limitations: _b, ...f } = files.data;
    expect(l).toEqual(JSON.parse(JSON.stringify(f).replaceAll('"policyTypesInferred":true', '"policyTypesInferred":false')));
  });

  it('explain reads only what the answer needs', async () => {
    const res = await load({ endpoints: [`${ns}/client`, `${ns}/svc/api:web`] });
    const by = Object.fromEntries(res.stats.byResource);
    expect(by).toEqual({
      discovery: 1, // GET /apis: admin-tier versions and CNI evidence
      namespaces: 1,
      'networkpolicies.networking.k8s.io': 1,
      pods: 2, // GET client, list by the Service's selector
      services: 1,
      'endpointslices.discovery.k8s.io': 1,
      'daemonsets.apps': 1, // CNI evidence
      nodes: 1, // CNI evidence (limit=1)
      configmaps: 1, // CNI evidence (kube-system)
      ...(by['adminnetworkpolicies.policy.networking.k8s.io'] !== undefined
        ? { 'adminnetworkpolicies.policy.networking.k8s.io': 1, 'baselineadminnetworkpolicies.policy.networking.k8s.io': 1, 'clusternetworkpolicies.policy.networking.k8s.io': 1 }
        : {}),
    });
    expect(res.state.pods.map((p) => p.name)).toEqual(['api-1', 'api-2', 'api-3', 'client']);
  });

  it('a selector-less Service: the slice address is looked up by pod IP', async () => {
    const live = await explainJson(['explain', `${ns}/client`, `${ns}/svc/legacy`, '--kubeconfig', cluster.kubeconfigPath]);
    expect(live.code).toBe(ExitCode.ok);
    expect(live.data.paths.map((p: Obj) => p.to)).toEqual([`${ns}/api-1`]);
  });

  it('an IP reference finds its pod (fieldSelector status.podIP) and gives the same answer as the pod name', async () => {
    const byIp = await explainJson(['explain', `${ns}/client`, '10.252.0.11', '--port', '8080', '--kubeconfig', cluster.kubeconfigPath]);
    const byName = await explainJson(['explain', `${ns}/client`, `${ns}/api-1`, '--port', '8080', '--kubeconfig', cluster.kubeconfigPath]);
    expect(byIp.data.paths[0].to).toBe(`${ns}/api-1`);
    expect(byIp.data.allowed).toBe(true);
    expect(byIp.data.paths).toEqual(byName.data.paths);
    const res = await load({ endpoints: [`${ns}/client`, '10.252.0.11'] });
    expect(res.stats.lists.map((l) => l.what)).toContain('list pods in all namespaces (fieldSelector=status.podIP=10.252.0.11)');
  });

  it('a Service ClusterIP is refused with a pointer to svc/NAME; an unknown IP is outside the cluster', async () => {
    const svc = (await client.get({ verb: 'get', group: '', version: 'v1', resource: 'services', namespace: ns, name: 'api' })) as Obj;
    const r = await runCli(['explain', `${ns}/client`, svc.spec.clusterIP, '--kubeconfig', cluster.kubeconfigPath], { env });
    expect(r.code).toBe(ExitCode.input);
    expect(r.stderr).toContain(`is the ClusterIP of service ${ns}/api`);
    const out = await explainJson(['explain', `${ns}/client`, '192.0.2.77', '--port', '443', '--kubeconfig', cluster.kubeconfigPath]);
    expect(out.data.paths[0].to).toBe('192.0.2.77');
  });
});

describe.skipIf(cluster.external)('finished pods and shared IPs (status.phase read live)', () => {
  const ns = `phase-${suffix}`;
  const objects: Obj[] = [
    namespace(ns),
    pod(ns, 'api', { app: 'api' }, '10.252.1.10'),
    pod(ns, 'db', { app: 'db' }, '10.252.1.34', [{ name: 'postgres', containerPort: 5432 }]),
    // A finished Job pod keeps the IP the db has now.
    { ...pod(ns, 'old-job', { app: 'migrate' }, undefined), status: { phase: 'Succeeded', podIP: '10.252.1.34', podIPs: [{ ip: '10.252.1.34' }] } },
    pod(ns, 'twin-a', { app: 'twin' }, '10.252.1.50'),
    pod(ns, 'twin-b', { app: 'twin' }, '10.252.1.50'),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-allow-api', namespace: ns },
      spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }] },
    },
  ];
  beforeAll(() => apply(client, objects));
  afterAll(() => remove(client, objects));
  const kc = () => ['--kubeconfig', cluster.kubeconfigPath];

  it('an IP held by a running pod and a finished one resolves to the running pod', async () => {
    const r = await runCli(['explain', `${ns}/api`, '10.252.1.34', '--port', '5432', '-o', 'json', ...kc()], { env });
    const data = JSON.parse(r.stdout);
    expect(data.paths.map((p: Obj) => [p.to, p.allowed])).toEqual([[`${ns}/db`, true]]);
    expect(r.code).toBe(ExitCode.ok);
  });

  it('the finished pod is no matrix row; named explicitly it is analysed with a note', async () => {
    const m = await runCli(['matrix', '-n', ns, '--port', '5432', '-o', 'json', ...kc()], { env });
    expect([...new Set(JSON.parse(m.stdout).items.map((i: Obj) => i.from))].sort()).toEqual([`${ns}/api`, `${ns}/db`, `${ns}/twin-a`, `${ns}/twin-b`]);
    const e = await runCli(['explain', `${ns}/old-job`, `${ns}/db`, '--port', '5432', ...kc()], { env });
    expect(e.stdout).toContain(`note: pod ${ns}/old-job is Succeeded: a finished pod holds no address`);
  });

  it('a pod name looked up in the wrong namespace suggests the namespace that has it', async () => {
    const r = await runCli(['explain', 'twin-a', `${ns}/api`, ...kc()], { env });
    expect(r.code).toBe(ExitCode.input);
    expect(r.stderr).toContain(`error: pod default/twin-a not found\nhint: did you mean ${ns}/twin-a? (give NAMESPACE/POD, or -n ${ns})`);
  });

  it('an IP two running pods claim is ambiguous and names both', async () => {
    const r = await runCli(['explain', `${ns}/api`, '10.252.1.50', '--port', '5432', ...kc()], { env });
    expect(r.stdout).toContain(`note: 10.252.1.50 is ambiguous: it is the IP of 2 pods that are not finished, ${ns}/twin-a and ${ns}/twin-b`);
  });
});

describe.skipIf(cluster.external)('CNI evidence', () => {
  const ds = (name: string, image: string): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { 'k8s-app': name } },
      template: { metadata: { labels: { 'k8s-app': name } }, spec: { containers: [{ name, image }] } },
    },
  });
  const ns = `cni-${suffix}`;
  const base = [namespace(ns), pod(ns, 'a', { app: 'a' }, '10.253.0.1'), pod(ns, 'b', { app: 'b' }, '10.253.0.2')];
  beforeAll(() => apply(client, base));
  afterAll(() => remove(client, base));

  it('no network plugin found: a limitation says enforcement is unknown', async () => {
    const res = await load({ endpoints: [`${ns}/a`, `${ns}/b`] });
    expect(res.cni.enforces).toBe('unknown');
    expect(res.state.limitations?.map((l) => l.id)).toContain('cni-unknown');
  });

  it('the CLI says so in one line on stderr; NETPOL_NO_CNI_WARNING=1 hides it, -o json keeps it as data', async () => {
    const args = ['explain', `${ns}/a`, `${ns}/b`, '--port', '80', '--kubeconfig', cluster.kubeconfigPath];
    const r = await runCli(args, { env });
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual(['warning: NetworkPolicy enforcement is unknown: the network (CNI) plugin was not identified (--verbose says why)']);
    const quietRun = await runCli(args, { env: { ...env, NETPOL_NO_CNI_WARNING: '1' } });
    expect(quietRun.stderr).toBe('');
    expect(quietRun.stdout).toBe(r.stdout);
    const json = await runCli([...args, '-o', 'json'], { env: { ...env, NETPOL_NO_CNI_WARNING: '1' } });
    expect(JSON.parse(json.stdout).limitations.map((l: Obj) => l.id)).toEqual(['cni-unknown']);
    const verbose = await runCli([...args, '--verbose'], { env });
    expect(verbose.stderr).toContain('live: CNI: Could not identify the cluster\'s network (CNI) plugin');
  });

  it('a calico-node DaemonSet: enforced, no limitation; flannel alone: not enforced', async () => {
    const calico = ds('calico-node', 'docker.io/calico/node:v3.28.0');
    await apply(client, [calico]);
    try {
      const res = await load({ endpoints: [`${ns}/a`, `${ns}/b`] });
      expect(res.cni).toMatchObject({ enforces: 'yes', plugins: [expect.objectContaining({ name: 'calico' })] });
      expect(res.state.limitations?.map((l) => l.id)).toEqual([]);
      const all = await load({ namespaces: 'all' });
      expect(all.cni.enforces).toBe('yes');
    } finally {
      await remove(client, [calico]);
    }
    const flannel = { ...ds('kube-flannel-ds', 'docker.io/flannel/flannel:v0.25.1') };
    await apply(client, [flannel]);
    try {
      const r = await runCli(['explain', `${ns}/a`, `${ns}/b`, '--kubeconfig', cluster.kubeconfigPath], { env });
      expect(r.stderr).toContain('warning: NetworkPolicy is NOT enforced');
    } finally {
      await remove(client, [flannel]);
    }
  });
});
