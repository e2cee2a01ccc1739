// Snapshots for the side-by-side benchmark: a `kubectl get pods,ns,netpol -A` style cluster of N pods
// in apps of several replicas (ReplicaSet / StatefulSet owners), per-namespace default-deny,
// app-to-app allows, DNS egress, a monitoring scrape, cross-namespace gateway access and several
// ipBlock rules per namespace. Every ipBlock lies outside the pod network (10.0.0.0/12): netpolicy
// assumes ipBlocks never match pod IPs, so with these snapshots both tools answer the same question.

export interface Snapshot {
  /** Kubernetes objects (Namespaces, Pods, NetworkPolicies). */
  readonly objects: Record<string, unknown>[];
  readonly pods: { readonly ref: string; readonly workload: string }[];
  readonly workloads: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface App {
  readonly name: string;
  readonly kind: 'ReplicaSet' | 'StatefulSet';
  readonly ports: { name: string; containerPort: number; protocol?: string }[];
  readonly metrics: boolean;
}

const HTTP = { name: 'http', containerPort: 8080 };
const METRICS = { name: 'metrics', containerPort: 9090 };
const APPS: readonly App[] = [
  { name: 'web', kind: 'ReplicaSet', ports: [HTTP, METRICS], metrics: true },
  { name: 'api', kind: 'ReplicaSet', ports: [HTTP, METRICS, { name: 'grpc', containerPort: 9000 }], metrics: true },
  { name: 'auth', kind: 'ReplicaSet', ports: [HTTP], metrics: false },
  { name: 'worker', kind: 'ReplicaSet', ports: [METRICS], metrics: true },
  { name: 'cache', kind: 'StatefulSet', ports: [{ name: 'redis', containerPort: 6379 }], metrics: false },
  { name: 'db', kind: 'StatefulSet', ports: [{ name: 'postgres', containerPort: 5432 }, METRICS], metrics: true },
  { name: 'gateway', kind: 'ReplicaSet', ports: [HTTP, { name: 'https', containerPort: 8443 }], metrics: false },
];

const hash = (rand: () => number) => Math.floor(rand() * 36 ** 5).toString(36).padStart(5, '0');

/** `maxReplicas` 1 makes every pod its own workload (the shape netpolicy finds hardest). */
export function generateSnapshot(podCount: number, maxReplicas = 8, seed = 7): Snapshot {
  const rand = rng(seed);
  const objects: Record<string, unknown>[] = [];
  const pods: { ref: string; workload: string }[] = [];
  let workloads = 0;
  let ipSeq = 0;
  const nextIp = () => {
    const n = ipSeq++;
    return `10.${Math.floor(n / 65000) % 16}.${Math.floor((n % 65000) / 250)}.${(n % 250) + 1}`;
  };
  const namespace = (name: string, labels: Record<string, string>) =>
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
  const policy = (ns: string, name: string, spec: Record<string, unknown>) =>
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
  const workload = (ns: string, kind: App['kind'], name: string, replicas: number, labels: Record<string, string>, ports: App['ports']) => {
    workloads++;
    const owner = kind === 'ReplicaSet' ? `${name}-${hash(rand)}` : name;
    const all = kind === 'ReplicaSet' ? { ...labels, 'pod-template-hash': owner.slice(name.length + 1) } : labels;
    for (let r = 0; r < replicas && pods.length < podCount; r++) {
      const podName = kind === 'ReplicaSet' ? `${owner}-${hash(rand)}` : `${name}-${r}`;
      const ip = nextIp();
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: ns, labels: all, ownerReferences: [{ apiVersion: 'apps/v1', kind, name: owner, uid: `uid-${ns}-${owner}`, controller: true }] },
        spec: { nodeName: `node-${ipSeq % 20}`, containers: [{ name: 'main', image: 'registry.example/app:1', ports }] },
        status: { phase: 'Running', hostIP: `192.0.2.${ipSeq % 20}`, podIP: ip, podIPs: [{ ip }] },
      });
      pods.push({ ref: `${ns}/${podName}`, workload: `${ns}/${owner}` });
    }
  };

  namespace('kube-system', {});
  workload('kube-system', 'ReplicaSet', 'coredns', 2, { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]);
  namespace('monitoring', {});
  workload('monitoring', 'StatefulSet', 'prometheus', 2, { app: 'prometheus' }, [{ name: 'web', containerPort: 9090 }]);
  policy('monitoring', 'prometheus-egress', { podSelector: { matchLabels: { app: 'prometheus' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { metrics: 'enabled' } } }], ports: [{ port: 'metrics' }] }] });

  const nsCount = Math.max(2, Math.round(podCount / 60));
  for (let n = 0; pods.length < podCount; n++) {
    const ns = `team-${n}`;
    const team = `t${n % 20}`;
    namespace(ns, { team, env: n % 3 === 0 ? 'prod' : 'dev' });
    policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy(ns, 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] });
    policy(ns, 'allow-scrape', { podSelector: { matchLabels: { metrics: 'enabled' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }] });
    policy(ns, 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'gateway' } } }, { namespaceSelector: { matchLabels: { team: `t${(n + 1) % 20}` } }, podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ port: 'http' }] },
        { from: [{ ipBlock: { cidr: '172.16.0.0/12', except: [`172.16.${n % 250}.0/24`] } }], ports: [{ port: 8080 }] },
      ],
      egress: [{ to: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'auth'] }] } }], ports: [{ port: 8080 }] }],
    });
    policy(ns, 'api', {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ port: 8080 }, { port: 9000, endPort: 9010 }] }],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] },
        { to: [{ podSelector: { matchLabels: { app: 'cache' } } }], ports: [{ port: 6379 }] },
        { to: [{ podSelector: { matchLabels: { app: 'auth' } } }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443 }] },
      ],
    });
    policy(ns, 'data', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'cache'] }] },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, { podSelector: { matchLabels: { app: 'worker' } } }] }],
    });
    policy(ns, 'worker', {
      podSelector: { matchLabels: { app: 'worker' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'cache', 'api'] }] } }] },
        { to: [{ ipBlock: { cidr: `192.168.${n % 250}.0/24` } }], ports: [{ port: 5432 }, { protocol: 'UDP', port: 514 }] },
      ],
    });
    policy(ns, 'auth-and-gateway', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['auth', 'gateway'] }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 'http' }, { port: 'https' }] }],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 8080 }] }, { to: [{ namespaceSelector: { matchLabels: { team: `t${(n + 19) % 20}` } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
    });
    // ~60 pods per namespace: each app a workload of 1-maxReplicas replicas, some apps twice (v1, v2).
    const perNs = Math.round(podCount / nsCount);
    let inNs = 0;
    for (let a = 0; inNs < perNs && pods.length < podCount; a++) {
      const app = APPS[a % APPS.length]!;
      const variant = Math.floor(a / APPS.length);
      const replicas = Math.min(perNs - inNs, 1 + Math.floor(rand() * maxReplicas));
      const labels: Record<string, string> = { app: app.name, version: `v${variant + 1}` };
      if (app.metrics) labels['metrics'] = 'enabled';
      workload(ns, app.kind, variant === 0 ? app.name : `${app.name}-v${variant + 1}`, replicas, labels, app.ports);
      inNs += replicas;
    }
  }
  return { objects, pods, workloads };
}

/** A `kind: List` JSON document: netpolicy reads a file starting with `{` as one document. */
export function listDocument(objects: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}
