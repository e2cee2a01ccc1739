// What tests do to a running real node beyond the API: switch the NetworkPolicy enforcer, run a
// command in the node's network namespace, open a real connection from inside a pod's network
// namespace, and wait until the enforcer has programmed a pod.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { runScript, type Enforcer, type RealNodeInfo } from './harness.js';

type Node = Pick<RealNodeInfo, 'runDir' | 'binDir'>;

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

function run(file: string, args: readonly string[], timeoutMs = 30_000): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

const holderPid = (node: Node): string => readFileSync(join(node.runDir, 'pids', 'holder'), 'utf8').trim();

/** Restarts the enforcer as `reject` (kube-router), `drop` (kube-router-drop) or `off` (none). */
export async function setEnforcer(node: Node, mode: Enforcer): Promise<void> {
  await runScript('enforcer.sh', [node.runDir, mode], { quiet: true });
}

/** Runs argv inside the node's network namespace (iptables-nft-save, ip, conntrack, ...). */
export function nodeExec(node: Node, argv: readonly string[], timeoutMs?: number): Promise<ExecResult> {
  return run('nsenter', ['-t', holderPid(node), '-n', '--', ...argv], timeoutMs);
}

/**
 * The network namespace file of the pod that holds `podIP` (containerd pins each sandbox's netns
 * under /run/netns/cni-*). A connection made from there has the pod's exact network identity:
 * its address, its veth, the bridge and the node's iptables, as the pod's own process would.
 */
export async function podNetns(podIP: string): Promise<string> {
  const { stdout } = await run('bash', ['-c', 'for n in /run/netns/cni-*; do [ -e "$n" ] && printf "%s %s\\n" "$n" "$(nsenter --net="$n" ip -4 -o addr show 2>/dev/null | tr "\\n" " ")"; done']);
  const line = stdout.split('\n').find((l) => new RegExp(`inet ${podIP.replace(/\./g, '\\.')}/`).test(l));
  if (!line) throw new Error(`no pod network namespace under /run/netns holds ${podIP}`);
  return line.split(' ')[0]!;
}

export type Outcome = 'connected' | 'refused' | 'timeout' | 'other';

/**
 * Opens one real connection from inside a network namespace with agnhost connect (upstream e2e's
 * client: TCP connect, or a UDP request answered by agnhost netexec) and classifies the result.
 */
export async function connect(node: Node, netns: string, ip: string, port: number, protocol: 'TCP' | 'UDP', timeoutS = 1): Promise<Outcome> {
  const r = await run('nsenter', [`--net=${netns}`, '--', join(node.binDir, 'agnhost'), 'connect', `${ip}:${port}`, `--protocol=${protocol.toLowerCase()}`, `--timeout=${timeoutS}s`], (timeoutS + 10) * 1000);
  if (r.code === 0) return 'connected';
  if (/REFUSED/.test(r.stderr)) return 'refused';
  if (/TIMEOUT/.test(r.stderr)) return 'timeout';
  return 'other';
}

/**
 * Waits until the enforcer has a firewall chain for `podIP` (kube-router programs a pod only after
 * its IP appears in the API, so a brand-new pod is briefly unprotected). Resolves false on timeout.
 */
export async function waitProgrammed(node: Node, podIP: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const needle = new RegExp(`-[ds] ${podIP.replace(/\./g, '\\.')}/32 .*-j KUBE-POD-FW-`);
  while (Date.now() < deadline) {
    const { stdout } = await nodeExec(node, ['iptables-nft-save', '-t', 'filter']);
    if (needle.test(stdout)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Waits until the enforcer's rule set has not changed for `quietMs` (a policy change is programmed). */
export async function waitRulesSettled(node: Node, quietMs = 400, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  while (Date.now() < deadline) {
    const { stdout } = await nodeExec(node, ['iptables-nft-save', '-t', 'filter']);
    const now = stdout.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '');
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
