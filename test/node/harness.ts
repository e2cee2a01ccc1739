// The real-node test cluster from TypeScript: checks that this machine can run it, builds what it
// needs (Debian packages, Go binaries, images), starts it with start.sh under a watchdog that runs
// stop.sh if this process dies, and stops it. See README.md beside this file.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Enforcer = 'reject' | 'drop' | 'off';

/** A running real node, as tests and tools see it (everything but stop() is serialisable). */
export interface RealNodeInfo {
  /** Admin kubeconfig (group system:masters) for host-side clients: the API through nsrelay. */
  kubeconfigPath: string;
  /** Kubeconfig of user `limited` (system:authenticated only: nothing until a test grants it). */
  limitedKubeconfigPath: string;
  limitedUser: 'limited';
  server: string;
  /** The run directory: pids/, logs/, kubeconfigs; the argument of the scripts beside this file. */
  runDir: string;
  binDir: string;
  /** kubectl built from the pinned k8s.io/kubernetes module. */
  kubectl: string;
  nodeName: 'realnode';
  /** Tag of the local agnhost image (no registry: use imagePullPolicy IfNotPresent or Never). */
  image: string;
  enforcer: Enforcer;
  startMs: number;
}

export interface RealNode extends RealNodeInfo {
  /** Stops the node and restores the host (stop.sh); idempotent. Resolves to the time it took. */
  stop(): Promise<number>;
}

export const NODE_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.56';
export const here = fileURLToPath(new URL('.', import.meta.url));
const log = (msg: string): void => void process.stderr.write(`[netpol node] ${msg}\n`);

/** Why the real node cannot run on this machine, or undefined when it can. */
export function nodeUnavailable(): string | undefined {
  if (process.env.NETPOL_NODE === '0') return 'NETPOL_NODE=0';
  if (process.platform !== 'linux') return `the real node needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the real node needs root (network namespaces, iptables, cgroups, mounts)';
  if (!existsSync('/sys/fs/cgroup/memory') && !existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'no cgroup hierarchy is mounted at /sys/fs/cgroup';
  if (!readFileSync('/proc/filesystems', 'utf8').includes('overlay')) return 'the kernel has no overlay filesystem (containerd snapshots need it)';
  const status = readFileSync('/proc/self/status', 'utf8').match(/^CapEff:\s*([0-9a-f]+)/m)?.[1];
  // CAP_NET_ADMIN (12) and CAP_SYS_ADMIN (21).
  if (status && (BigInt(`0x${status}`) & ((1n << 12n) | (1n << 21n))) !== ((1n << 12n) | (1n << 21n))) return 'root lacks CAP_NET_ADMIN or CAP_SYS_ADMIN (an unprivileged container?)';
  return undefined;
}

/** A node already running in `runDir` (started by `npm run node:up`), described as startRealNode does. */
export function attachedNode(runDir: string): RealNodeInfo {
  if (!existsSync(join(runDir, 'ready'))) throw new Error(`NETPOL_NODE_RUN_DIR=${runDir}: no ready node there (start one with npm run node:up)`);
  const kubeconfig = JSON.parse(readFileSync(join(runDir, 'admin.kubeconfig'), 'utf8')) as { clusters: { cluster: { server: string } }[] };
  const binDir = readFileSync(join(runDir, 'bin-dir'), 'utf8').trim();
  return {
    kubeconfigPath: join(runDir, 'admin.kubeconfig'),
    limitedKubeconfigPath: join(runDir, 'limited.kubeconfig'),
    limitedUser: 'limited',
    server: kubeconfig.clusters[0]!.cluster.server,
    runDir,
    binDir,
    kubectl: join(binDir, 'kubectl'),
    nodeName: 'realnode',
    image: NODE_IMAGE,
    enforcer: readFileSync(join(runDir, 'enforcer'), 'utf8').trim() as Enforcer,
    startMs: 0,
  };
}

/** Runs a script beside this file; stdout is returned, stderr goes to ours (progress lines). */
export function runScript(script: string, args: readonly string[], opts: { quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(here, script), ...args], { stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'] });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} failed (exit ${code})${err ? `:\n${err.trimEnd()}` : '; see its messages above'}`))));
  });
}

/** Installs missing Debian packages, builds (or reuses) the binaries and images; returns their dirs. */
export async function prepareNode(): Promise<{ binDir: string; imageDir: string }> {
  await runScript('setup.sh', []);
  const binDir = (await runScript('../cluster/build.sh', ['node'])).trim().split('\n').pop() ?? '';
  const imageDir = (await runScript('images.sh', [binDir])).trim().split('\n').pop() ?? '';
  return { binDir, imageDir };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise((r) => s.close(r));
  if (addr === null || typeof addr === 'string') throw new Error('unexpected listen address');
  return addr.port;
}

/**
 * Starts the node. A detached watchdog polls this process and runs stop.sh when it is gone, so
 * even `kill -9` of the test process leaves nothing behind. `watchPid` overrides whose death
 * triggers it (the people-facing `npm run node:up` watches nobody: `npm run node:down` stops it).
 */
export async function startRealNode(opts: { enforcer?: Enforcer; watchPid?: number | null } = {}): Promise<RealNode> {
  const t0 = performance.now();
  const { binDir, imageDir } = await prepareNode();
  const runDir = await mkdtemp(join(tmpdir(), 'netpol-node-'));
  const enforcer = opts.enforcer ?? 'reject';
  const relayPort = await freePort();
  const watchPid = opts.watchPid === undefined ? process.pid : opts.watchPid;
  let watchdogPid: number | undefined;
  if (watchPid !== null) {
    const watchdog = spawn(
      'bash',
      ['-c', 'trap "" INT TERM HUP; while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; exec bash "$2" "$3"', 'netpol-node-watchdog', String(watchPid), join(here, 'stop.sh'), runDir],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
    watchdogPid = watchdog.pid;
  }
  let stopped: Promise<number> | undefined;
  const stop = (): Promise<number> =>
    (stopped ??= (async () => {
      const s = performance.now();
      if (watchdogPid) {
        try {
          process.kill(watchdogPid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await runScript('stop.sh', [runDir]);
      return Math.round(performance.now() - s);
    })());
  try {
    await runScript('start.sh', [runDir, binDir, imageDir, String(relayPort), enforcer === 'off' ? 'none' : enforcer]);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  const startMs = Math.round(performance.now() - t0);
  log(`ready in ${startMs} ms (run dir ${runDir})`);
  return {
    kubeconfigPath: join(runDir, 'admin.kubeconfig'),
    limitedKubeconfigPath: join(runDir, 'limited.kubeconfig'),
    limitedUser: 'limited',
    server: `https://127.0.0.1:${relayPort}`,
    runDir,
    binDir,
    kubectl: join(binDir, 'kubectl'),
    nodeName: 'realnode',
    image: NODE_IMAGE,
    enforcer,
    startMs,
    stop,
  };
}
