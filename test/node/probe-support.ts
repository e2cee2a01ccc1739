// Helpers for the probe suites on the real node: pods that serve real ports, the CLI as a user
// runs it (in-process, or as a child process for signals), and what probe runs leave behind.
import { spawn, type ChildProcess } from 'node:child_process';

import { RUN_LABEL } from '../../src/probe/objects.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { runCli, type CliRun } from '../cli/run-cli.js';
import { adminClient, type Obj } from '../live/cluster-support.js';
import type { RealNodeInfo } from './harness.js';

export const ENV = { NO_COLOR: '1', NETPOL_NO_PROGRESS: '1' };

/** Pod Security "restricted" contexts for the test's own pods (so they run in restricted namespaces too). */
const restricted = {
  pod: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  container: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

/** A pod running agnhost netexec on `tcp` (HTTP) and `udp` (-1: none), with those ports declared. */
export function servingPod(image: string, ns: string, name: string, labels: Record<string, string>, tcp = 8080, udp = -1): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { terminationGracePeriodSeconds: 0, securityContext: restricted.pod, containers: [servingContainer(image, tcp, udp)] },
  };
}

export function servingContainer(image: string, tcp = 8080, udp = -1): Obj {
  return {
    name: 'netexec',
    image,
    imagePullPolicy: 'IfNotPresent',
    args: ['netexec', `--http-port=${tcp}`, `--udp-port=${udp}`],
    ports: [{ name: 'http', containerPort: tcp }, ...(udp > 0 ? [{ name: 'udp', containerPort: udp, protocol: 'UDP' }] : [])],
    securityContext: restricted.container,
  };
}

export const np = (ns: string, name: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

/** kubectl netpol against the node, in-process. */
export const netpol = (node: RealNodeInfo, args: string[], kubeconfig = node.kubeconfigPath): Promise<CliRun> => runCli([...args, '--kubeconfig', kubeconfig], { env: ENV });

/** Items of a `-o json` ProbeResult. */
export function items(r: CliRun): Obj[] {
  try {
    return JSON.parse(r.stdout).items as Obj[];
  } catch {
    throw new Error(`not a ProbeResult (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** The built CLI as a child process (signals reach it as they would from a terminal or an orchestrator). */
export function spawnCli(node: RealNodeInfo, args: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['dist/kubectl-netpol.mjs', ...args, '--kubeconfig', node.kubeconfigPath], { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, exited, stderr: () => err };
}

export const admin = (node: RealNodeInfo): Promise<ApiClient> => adminClient(node.kubeconfigPath);

/** Every pod and ConfigMap with the run label, in all namespaces (what a run could have left). */
export async function leftovers(client: ApiClient): Promise<string[]> {
  const out: string[] = [];
  for (const resource of ['pods', 'configmaps']) {
    const list = (await client.get({ verb: 'list', group: '', version: 'v1', resource, query: { labelSelector: RUN_LABEL } })) as Obj;
    for (const o of list.items ?? []) out.push(`${resource}/${o.metadata.namespace}/${o.metadata.name}${o.status?.phase ? ` (${o.status.phase})` : ''}`);
  }
  return out.sort();
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Namespaces a cluster always has: never deleted by a test (their objects are removed one by one). */
export const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** Deletes namespaces (system ones excepted) and waits until they are gone (the namespace controller takes ~10 s). */
export async function deleteNamespaces(client: ApiClient, all: readonly string[]): Promise<void> {
  const names = all.filter((n) => !SYSTEM_NAMESPACES.has(n));
  for (const name of names) await client.delete({ group: '', version: 'v1', resource: 'namespaces', name }).catch(() => undefined);
  await until(
    `namespaces ${names.join(', ')} to go`,
    async () => {
      for (const name of names) {
        try {
          await client.get({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name });
          return undefined;
        } catch {
          /* gone */
        }
      }
      return true;
    },
    120_000,
    500,
  );
}
