// The benchmark's peer: np-guard/netpol-analyzer v1.4.4 (`netpolicy`), built from the Go module proxy
// into a scratch directory (never committed), and timed runs of it with results cached by snapshot hash.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export const PEER_MODULE = 'github.com/np-guard/netpol-analyzer';
export const PEER_VERSION = 'v1.4.4';

export type PeerBuild = { ok: true; binary: string } | { ok: false; why: string };

/** Downloads the module (go mod download), copies it somewhere writable, builds cmd/netpolicy. */
export function buildPeer(workDir: string): PeerBuild {
  const binary = join(workDir, 'netpolicy');
  if (existsSync(binary)) return { ok: true, binary };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return { ok: false, why: 'Go is not installed (go version failed)' };
  const dl = spawnSync('go', ['mod', 'download', '-json', `${PEER_MODULE}@${PEER_VERSION}`], { encoding: 'utf8' });
  if (dl.status !== 0) return { ok: false, why: `go mod download failed: ${(dl.stdout + dl.stderr).trim().slice(0, 300)}` };
  const dir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir;
  if (!dir) return { ok: false, why: 'go mod download printed no Dir' };
  const src = join(workDir, 'src');
  mkdirSync(workDir, { recursive: true });
  cpSync(dir, src, { recursive: true });
  makeWritable(src);
  const build = spawnSync('go', ['build', '-o', binary, './cmd/netpolicy'], { cwd: src, encoding: 'utf8' });
  if (build.status !== 0) return { ok: false, why: `go build failed: ${build.stderr.trim().slice(0, 300)}` };
  return { ok: true, binary };
}

function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) makeWritable(join(path, e));
}

export interface Timed {
  readonly seconds: number;
  /** User + system CPU seconds of the child (the machine is shared: wall time includes waiting). */
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  readonly stdout: string;
  readonly status: number | null;
}

/**
 * Runs a command under GNU time: peak RSS and CPU time (user + system, 10 ms resolution) of the child
 * from GNU time, wall time measured here to the millisecond (GNU time's %e has 10 ms resolution, too
 * coarse for the ~70 ms cold explains; the ~1 ms GNU time adds is in both tools' figures).
 */
export function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 2 ** 31 - 1, env });
  const seconds = (performance.now() - start) / 1000;
  const m = /@@time ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`could not time ${cmd}: ${r.error?.message ?? r.stderr?.slice(-300)}`);
  return { seconds, rssMiB: Number(m[2]) / 1024, cpuSeconds: Number(m[3]) + Number(m[4]), stdout: r.stdout, status: r.status };
}

export const snapshotHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * `netpolicy list --dirpath DIR -o json`, cached in `cacheDir` by the snapshot's hash so a long run
 * (5,000 pods: ~13 minutes) done once in the background is reused by later benchmark runs.
 */
export function peerList(binary: string, snapshotDir: string, hash: string, cacheDir: string, useCache = true): Timed & { cached: boolean; load?: string } {
  const file = join(cacheDir, `list-${hash}.json`);
  if (useCache && existsSync(file)) {
    const t = JSON.parse(readFileSync(file, 'utf8')) as Partial<Timed> & Omit<Timed, 'cpuSeconds'>;
    return { ...t, cpuSeconds: t.cpuSeconds ?? NaN, cached: true };
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const t = timed(binary, ['list', '--dirpath', snapshotDir, '-o', 'json']);
  if (t.status !== 0) throw new Error(`netpolicy list failed (exit ${t.status})`);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ ...t, load }));
  return { ...t, cached: false, load };
}

// `npx tsx bench/peer.ts SNAPSHOT_DIR CACHE_DIR WORK_DIR`: one peer list run into the cache (for a background run).
if (process.argv[1]?.endsWith('peer.ts') && process.argv.length >= 5) {
  const [snapshotDir, cacheDir, workDir] = process.argv.slice(2) as [string, string, string];
  const built = buildPeer(workDir);
  if (!built.ok) throw new Error(built.why);
  const text = readFileSync(join(snapshotDir, 'cluster.json'), 'utf8');
  const t = peerList(built.binary, snapshotDir, snapshotHash(text), cacheDir);
  console.log(`netpolicy list ${snapshotDir}: ${t.seconds} s, ${t.rssMiB.toFixed(0)} MiB${t.cached ? ' (cached)' : ''}`);
}
