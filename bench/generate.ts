// Synthetic clusters for benchmarks: N pods, N/50 namespaces, ~6 policies per namespace, as
// Kubernetes objects (so the loader is measured too) with realistic label and port variety.

export interface GeneratedCluster {
  readonly objects: Record<string, unknown>[];
  readonly podRefs: string[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const APPS = ['web', 'api', 'db', 'cache', 'worker', 'auth', 'search', 'queue', 'metrics', 'gateway'];

export function generateCluster(podCount: number, seed = 42): GeneratedCluster {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const nsCount = Math.max(2, Math.round(podCount / 50));
  const objects: Record<string, unknown>[] = [];
  const podRefs: string[] = [];
  for (let n = 0; n < nsCount; n++) {
    const ns = `team-${n}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, team: `t${n % 20}`, env: n % 3 === 0 ? 'prod' : 'dev' } } });
    // Policies: default deny both ways, intra-namespace by app, cross-namespace by team label,
    // ipBlock ingress, named-port ingress, DNS egress.
    const pol = (name: string, spec: Record<string, unknown>) => objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
    pol('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    pol('allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] });
    pol('web-from-gateway', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${(n + 1) % 20}` } }, podSelector: { matchLabels: { app: 'gateway' } } }, { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'auth'] }] } }], ports: [{ port: 'http' }] }] });
    pol('db-from-api', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }] });
    pol('api-egress', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: [`10.${n % 250}.0.0/16`] } }], ports: [{ port: 5432 }, { port: 8000, endPort: 8100 }] }] });
    pol('metrics-scrape', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 9090 }] }] });
    const perNs = Math.round(podCount / nsCount);
    for (let p = 0; p < perNs && podRefs.length < podCount; p++) {
      const app = pick(APPS);
      const name = `${app}-${p}`;
      const labels: Record<string, string> = { app, version: `v${Math.floor(rand() * 3)}` };
      if (rand() < 0.5) labels.tier = pick(['frontend', 'backend']);
      const ip = `10.${n % 250}.${Math.floor(p / 250)}.${(p % 250) + 1}`;
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels },
        spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090 }, ...(app === 'db' ? [{ name: 'postgres', containerPort: 5432 }] : [])] }] },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
      });
      podRefs.push(`${ns}/${name}`);
    }
  }
  return { objects, podRefs };
}
