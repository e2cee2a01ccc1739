// What tests do to a running real node beyond the API: switch the NetworkPolicy enforcer, run a
// command in the node's network namespace, open a real connection from inside a pod's network
// namespace, and wait until the enforcer has programmed a pod.

import { execFile, execFileSync } from 'node:child_process';
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
 * The network namespace of a pod, by the pod's UID: a process in one of its containers, found in
 * the kubelet's cgroup for the pod (cgroupfs driver: .../pod<uid>/<container>/cgroup.procs), has
 * the pod's exact network identity — its address, its veth, the bridge and the node's iptables,
 * as the pod's own process would. (Looking a pod up by IP can hit the netns of a deleted pod that
 * held the same address a moment ago.)
 */
export async function podNetns(node: Pick<RealNodeInfo, 'runDir'>, podUid: string): Promise<string> {
  const root = readFileSync(join(node.runDir, 'cgroup-root'), 'utf8').trim();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { stdout } = await run('bash', ['-c', `d=$(find /sys/fs/cgroup/pids/${root} /sys/fs/cgroup/${root} -maxdepth 6 -type d -name 'pod${podUid}' 2>/dev/null | head -1); [ -n "$d" ] && find "$d" -mindepth 2 -name cgroup.procs -exec cat {} + 2>/dev/null | head -1`]);
    const pid = stdout.trim();
    if (pid) return `/proc/${pid}/ns/net`;
    if (Date.now() > deadline) throw new Error(`no running process of pod ${podUid} under the cgroup root ${root}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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

/** Peak resident memory (VmHWM) of the node's daemons, and the current RSS of everything in its pods' cgroups, in MiB. */
export function nodePeakRss(runDir: string): { total: number; detail: string; pods: number } {
  const kib = (pid: string, field: 'VmHWM' | 'VmRSS'): number => {
    try {
      return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  const parts: string[] = [];
  let total = 0;
  for (const name of ['etcd', 'kube-apiserver', 'containerd', 'kubelet', 'kube-scheduler', 'kube-controller-manager', 'kube-proxy', 'kube-router', 'nsrelay']) {
    let pid = '';
    try {
      pid = readFileSync(join(runDir, 'pids', name), 'utf8').trim();
    } catch {
      continue;
    }
    const mib = Math.round(kib(pid, 'VmHWM') / 1024);
    total += mib;
    parts.push(`${name} ${mib}`);
  }
  let pods = 0;
  try {
    const root = readFileSync(join(runDir, 'cgroup-root'), 'utf8').trim();
    const procs = execFileSync('bash', ['-c', `find /sys/fs/cgroup/memory/${root} -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u`], { encoding: 'utf8' });
    for (const pid of procs.split('\n').filter(Boolean)) pods += kib(pid, 'VmRSS');
  } catch {
    /* no memory hierarchy */
  }
  return { total, detail: parts.join(', '), pods: Math.round(pods / 1024) };
}
