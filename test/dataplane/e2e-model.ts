// The upstream e2e NetworkPolicy model on the real node, and the comparison of what the real
// dataplane does with what the engine says from a live read of the same cluster.
//
// Model (test/fixtures/upstream-e2e/README.md): namespaces x, y, z; pods a, b, c in each, labelled
// pod=<name>, serving TCP and UDP on 80 and 81 with agnhost netexec (ports serve-80-tcp, ...).
// SCTP is left out: this kernel has no SCTP sockets. Upstream builds ipBlocks from live pod IPs;
// the fixtures write them with model addresses 10.0.<ns>.<pod>, rewritten here to the real ones.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoreV1Api, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';

import { ClusterIndex, explain } from '../../src/engine/index.js';
import { loadLive } from '../../src/sources/live/source.js';
import { applyObjects, loadKubeConfig } from '../cluster/harness.js';
import { applyToNode, deleteNamespaces, waitPodsReady } from '../node/apply.js';
import { connect, podNetns, waitRulesSettled, type Outcome } from '../node/control.js';
import type { RealNodeInfo } from '../node/harness.js';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
export const MODEL_PODS = NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));

type Matrix = Record<string, Record<string, boolean>>;
export interface Expect {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  allowed: Matrix;
}
export interface Step {
  policies: Record<string, unknown>[];
  namespaceLabels?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
  expect: Expect[];
}
export interface Case {
  id: string;
  name: string;
  steps: Step[];
}

const here = fileURLToPath(new URL('.', import.meta.url));
export const CASES: Case[] = JSON.parse(readFileSync(join(here, '../fixtures/upstream-e2e/cases.json'), 'utf8')).cases;

/** The model's pods as real pods: one agnhost netexec per port, each serving TCP and UDP. */
export function modelObjects(image: string): Record<string, unknown>[] & { kind: string; apiVersion: string; metadata: { name: string } }[] {
  const out: { kind: string; apiVersion: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown }[] = [];
  for (const ns of NAMESPACES) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const ns of NAMESPACES) {
    for (const pod of PODS) {
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: ns, labels: { pod } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [80, 81].map((port) => ({
            name: `cont-${port}`,
            image,
            imagePullPolicy: 'IfNotPresent',
            args: ['netexec', `--http-port=${port}`, `--udp-port=${port}`],
            ports: [
              { name: `serve-${port}-tcp`, containerPort: port, protocol: 'TCP' },
              { name: `serve-${port}-udp`, containerPort: port, protocol: 'UDP' },
            ],
            resources: { requests: { cpu: '5m', memory: '16Mi' } },
          })),
        },
      });
    }
  }
  return out as never;
}

/** model IP 10.0.<n>.<m> -> the real IP of that pod; CIDRs keep their prefix (network-masked). */
export function rewriteCidrs(policy: Record<string, unknown>, realIP: (model: string) => string | undefined): Record<string, unknown> {
  const toNetwork = (ip: string, prefix: number): string => {
    const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const masked = prefix === 0 ? 0 : Math.floor(n / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    return [24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.');
  };
  const text = JSON.stringify(policy).replace(/"(10\.0\.\d+\.\d+)\/(\d+)"/g, (m, ip: string, prefix: string) => {
    const real = realIP(ip);
    if (!real) throw new Error(`ipBlock ${ip}/${prefix}: no model pod has ${ip}`);
    return `"${toNetwork(real, Number(prefix))}/${prefix}"`;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

export interface ModelWorld {
  kc: KubeConfig;
  ips: Map<string, string>;
  netns: Map<string, string>;
  modelIP: (model: string) => string | undefined;
}

/** Creates the model (fresh namespaces x, y, z) and learns each pod's IP and network namespace. */
export async function startModel(node: RealNodeInfo): Promise<ModelWorld> {
  const kc = loadKubeConfig(node.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  await applyToNode(node, modelObjects(node.image) as never);
  await waitPodsReady(node, [...NAMESPACES]);
  const ips = new Map<string, string>();
  const netns = new Map<string, string>();
  for (const ns of NAMESPACES) {
    for (const p of (await core.listNamespacedPod({ namespace: ns })).items) {
      const key = `${ns}/${p.metadata!.name}`;
      ips.set(key, p.status!.podIP!);
      netns.set(key, await podNetns(node, p.metadata!.uid!));
    }
  }
  const modelIP = (model: string): string | undefined => {
    const [, n, m] = model.match(/^10\.0\.(\d)\.(\d)$/) ?? [];
    return n && m ? ips.get(`${NAMESPACES[Number(n) - 1]}/${PODS[Number(m) - 1]}`) : undefined;
  };
  return { kc, ips, netns, modelIP };
}

/** Deletes the model's namespaces and waits until they are gone. */
export async function stopModel(node: RealNodeInfo): Promise<void> {
  await deleteNamespaces(node, NAMESPACES);
}

function kubectl(node: RealNodeInfo, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(node.kubectl, ['--kubeconfig', node.kubeconfigPath, ...args], (err, _o, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve())),
  );
}

/** Sets labels to exactly `want` (adds, overwrites, removes), keeping the namespace name label. */
async function setLabels(node: RealNodeInfo, resource: string, namespace: string | undefined, have: Record<string, string>, want: Record<string, string>): Promise<void> {
  const changes = [...Object.entries(want).filter(([k, v]) => have[k] !== v).map(([k, v]) => `${k}=${v}`), ...Object.keys(have).filter((k) => !(k in want) && k !== 'kubernetes.io/metadata.name').map((k) => `${k}-`)];
  if (changes.length) await kubectl(node, ['label', '--overwrite', resource, ...(namespace ? ['-n', namespace] : []), ...changes]);
}

/** Puts the cluster into a step's state: labels, then exactly the step's policies; waits for the enforcer. */
export async function applyStep(node: RealNodeInfo, world: ModelWorld, step: Step): Promise<void> {
  const core = world.kc.makeApiClient(CoreV1Api);
  const net = world.kc.makeApiClient(NetworkingV1Api);
  for (const ns of NAMESPACES) {
    const live = await core.readNamespace({ name: ns });
    await setLabels(node, `namespace/${ns}`, undefined, live.metadata?.labels ?? {}, step.namespaceLabels?.[ns] ?? { 'kubernetes.io/metadata.name': ns });
    for (const pod of PODS) {
      const p = await core.readNamespacedPod({ namespace: ns, name: pod });
      await setLabels(node, `pod/${pod}`, ns, p.metadata?.labels ?? {}, step.podLabels?.[`${ns}/${pod}`] ?? { pod });
    }
  }
  const wanted = step.policies.map((p) => rewriteCidrs(p, world.modelIP));
  const wantedNames = new Set(wanted.map((p) => `${(p.metadata as { namespace: string }).namespace}/${(p.metadata as { name: string }).name}`));
  for (const ns of NAMESPACES) {
    for (const p of (await net.listNamespacedNetworkPolicy({ namespace: ns })).items) {
      if (!wantedNames.has(`${ns}/${p.metadata!.name}`)) await net.deleteNamespacedNetworkPolicy({ namespace: ns, name: p.metadata!.name! });
    }
  }
  await applyObjects(world.kc, wanted as never);
  await waitRulesSettled(node);
}

export interface CellResult {
  from: string;
  to: string;
  engine: boolean;
  observed: Outcome;
  /** The upstream truth table's cell (graded upstream except on the diagonal). */
  upstream: boolean;
}

/** Bounded-concurrency map. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/**
 * One 9x9 matrix for real: the engine's verdict per pair from a live read, and a real connection
 * per pair from inside the source pod's network namespace. With a rejecting enforcer a denied
 * connection is `refused`; every model pod listens on the port, so `connected` means allowed.
 * Cells where dataplane and engine disagree are probed once more after a second (as upstream
 * retries), in case the enforcer had not finished programming.
 */
export async function probeMatrix(node: RealNodeInfo, world: ModelWorld, e: Expect): Promise<CellResult[]> {
  const live = await loadLive({ kubeconfig: node.kubeconfigPath }, { namespaces: 'all' }, { stderr: { write: () => true }, env: {} });
  const idx = new ClusterIndex(live.state);
  const pairs = MODEL_PODS.flatMap((from) => MODEL_PODS.map((to) => ({ from, to })));
  const protocol = e.protocol as 'TCP' | 'UDP';
  const engineOf = (from: string, to: string): boolean => explain({ from, to, port: e.port, protocol, namespace: 'default' }, idx).allowed;
  const probe = (from: string, to: string): Promise<Outcome> => connect(node, world.netns.get(from)!, world.ips.get(to)!, e.port, protocol);
  const cells = await pool(pairs, 12, async ({ from, to }) => ({ from, to, engine: engineOf(from, to), observed: await probe(from, to), upstream: e.allowed[from]![to]! }));
  const disagree = cells.filter((c) => (c.observed === 'connected') !== c.engine);
  if (disagree.length) {
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of disagree) c.observed = await probe(c.from, c.to);
  }
  return cells;
}
