// Applies objects to a real node and waits until they are real: namespaces created, pods
// Running and Ready, and the NetworkPolicy enforcer's rules settled.

import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';

import { applyObjects, loadKubeConfig } from '../cluster/harness.js';
import { waitRulesSettled } from './control.js';
import { exampleNamespaces, realExampleObjects } from './examples.js';
import type { RealNodeInfo } from './harness.js';

type Node = Pick<RealNodeInfo, 'kubeconfigPath' | 'runDir' | 'binDir'>;

/** Creates the namespaces the objects use but do not define, then applies them in order. */
export async function applyToNode(node: Node, objects: readonly (KubernetesObject & Record<string, unknown>)[]): Promise<void> {
  const kc = loadKubeConfig(node.kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  const defined = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  const existing = new Set((await core.listNamespace()).items.map((n) => n.metadata?.name));
  const needed = [...new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n))].filter((n) => !defined.has(n) && !existing.has(n));
  await applyObjects(kc, [...needed.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })), ...objects]);
}

/** Waits until every pod of the given namespaces is Running with all containers ready. */
export async function waitPodsReady(node: Node, namespaces: readonly string[], timeoutMs = 120_000): Promise<void> {
  const core = loadKubeConfig(node.kubeconfigPath).makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending: string[] = [];
    for (const ns of namespaces) {
      for (const p of (await core.listNamespacedPod({ namespace: ns })).items) {
        const ready = p.status?.phase === 'Running' && p.status.podIP && (p.status.containerStatuses ?? []).every((c) => c.ready);
        if (!ready) pending.push(`${ns}/${p.metadata?.name} (${p.status?.phase ?? 'no status'})`);
      }
    }
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`pods not ready after ${timeoutMs} ms: ${pending.join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a bundled example as real pods (see examples.ts) and waits until it is enforced. */
export async function applyExample(node: Node, exampleDir: string): Promise<string[]> {
  const objects = realExampleObjects(exampleDir);
  await applyToNode(node, objects);
  const namespaces = exampleNamespaces(objects);
  await waitPodsReady(node, namespaces);
  await waitRulesSettled(node);
  return namespaces;
}

/** Deletes namespaces and waits until they are gone (the namespace controller takes ~10 s). */
export async function deleteNamespaces(node: Node, names: readonly string[], timeoutMs = 90_000): Promise<void> {
  const core = loadKubeConfig(node.kubeconfigPath).makeApiClient(CoreV1Api);
  const doomed = names.filter((n) => !['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(n));
  for (const name of doomed) await core.deleteNamespace({ name }).catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = (await core.listNamespace()).items.map((n) => n.metadata?.name).filter((n) => n && doomed.includes(n));
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`namespaces still terminating after ${timeoutMs} ms: ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
