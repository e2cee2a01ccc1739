// Side-by-side benchmark (prints figures; not a test): kubectl-netpol against np-guard/netpol-analyzer
// v1.4.4 (`netpolicy`) on the same generated snapshots (bench/snapshot.ts). For each size: the whole
// `matrix -A -o json` command against `netpolicy list -o json` (wall time, CPU time, peak RSS, ratio),
// a cross-check that both give the same allowed workload connections and ports, and one cold `explain`
// against `netpolicy eval` (several runs of each, interleaved; medians).
//
// Run: npm run build && npx tsx bench/side-by-side.ts [SIZES...]      (default: 1000 5000 20000 50000)
// Env: BENCH_SHAPES=apps,single  apps: workloads of 1-8 replicas; single: one pod per workload
//      BENCH_PEER_MAX=5000        largest snapshot (pods) the peer runs on for `apps` (bigger: skipped)
//      BENCH_PEER_SINGLE_MAX=1000 the same for `single` (netpolicy at 1k single pods: ~3 minutes here)
//      BENCH_PEER_FRESH=1000      up to this size the peer runs in this run, same machine, same load;
//                                 above it a result cached by an earlier run is reused (it says so)
//      BENCH_PEER_CACHE=DIR       peer results are cached there by snapshot hash (default /tmp/netpol-bench-peer)
//      BENCH_PEER_DIR=DIR         where the peer is built (default /tmp/netpol-bench-peer-build)
//      BENCH_EXPLAIN_RUNS=9       cold explain / netpolicy eval runs per size, interleaved (medians)
// Without Go the peer is skipped with a line saying so. The peer's code is never copied into the repo.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPeer, peerList, snapshotHash, timed, type Timed } from './peer.js';
import { generateSnapshot, listDocument } from './snapshot.js';
import { crossCheck } from './compare.js';

const args = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = args.length > 0 ? args : [1000, 5000, 20000, 50000];
const SHAPES = (process.env.BENCH_SHAPES ?? 'apps,single').split(',').filter((s) => s === 'apps' || s === 'single');
const PEER_MAX = { apps: Number(process.env.BENCH_PEER_MAX ?? 5000), single: Number(process.env.BENCH_PEER_SINGLE_MAX ?? 1000) };
const CACHE = process.env.BENCH_PEER_CACHE ?? '/tmp/netpol-bench-peer';
const FRESH = Number(process.env.BENCH_PEER_FRESH ?? 1000);
const CLI = join(import.meta.dirname, '..', 'dist', 'kubectl-netpol.mjs');
const EXPLAIN_RUNS = Math.max(1, Number(process.env.BENCH_EXPLAIN_RUNS ?? 9));

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** Wall, CPU and RSS medians taken separately (the first run's output). */
const medianOf = (ts: Timed[]): Timed => ({ ...ts[0]!, seconds: median(ts.map((t) => t.seconds)), cpuSeconds: median(ts.map((t) => t.cpuSeconds)), rssMiB: median(ts.map((t) => t.rssMiB)) });

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const fmtS = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2)} s`);
const fig = (t: Timed) => `${fmtS(t.seconds)} (${Number.isNaN(t.cpuSeconds) ? 'cpu not recorded' : `cpu ${fmtS(t.cpuSeconds)}`}), ${t.rssMiB.toFixed(0)} MiB`;

console.log(`side-by-side: kubectl-netpol (node ${process.version}) vs netpol-analyzer v1.4.4; load average at start: ${load()} (2 cores)`);
const peer = buildPeer(process.env.BENCH_PEER_DIR ?? '/tmp/netpol-bench-peer-build');
if (!peer.ok) console.log(`peer skipped: ${peer.why}`);
const ours = (argv: string[]) => timed(process.execPath, [CLI, ...argv]);

const dir = mkdtempSync(join(tmpdir(), 'netpol-side-'));
const rows: string[] = [];
try {
  for (const shape of SHAPES)
    for (const size of SIZES) {
      const snap = generateSnapshot(size, shape === 'apps' ? 8 : 1);
      const sdir = join(dir, `${shape}-${size}`);
      mkdirSync(sdir);
      const text = listDocument(snap.objects);
      const file = join(sdir, 'cluster.json');
      writeFileSync(file, text);
      const label = `${shape} ${size} pods, ${snap.workloads} workloads`;
      const m = ours(['matrix', '-A', '-f', file, '-o', 'json']);
      if (m.status !== 0) throw new Error(`matrix failed on ${label} (exit ${m.status})`);
      const items = (JSON.parse(m.stdout) as { items: unknown[] }).items.length;
      let line = `${label} | matrix -A -o json: ${fig(m)}, ${items} connections [load ${load()}]`;
      const a = snap.pods.find((p) => p.ref.startsWith('team-0/web-'))!.ref;
      const b = snap.pods.find((p) => p.ref.startsWith('team-0/api-'))!.ref;
      // Cold explain against netpolicy eval: EXPLAIN_RUNS runs of each, interleaved, medians.
      const [ans, an] = a.split('/') as [string, string];
      const [bns, bn] = b.split('/') as [string, string];
      const es: Timed[] = [];
      const pes: Timed[] = [];
      for (let i = 0; i < EXPLAIN_RUNS; i++) {
        es.push(ours(['explain', '-f', file, a, b, '--port', '8080']));
        // eval is quick at every size: always run it.
        if (peer.ok) pes.push(timed(peer.binary, ['eval', '--dirpath', sdir, '-n', ans, '-s', an, '--destination-namespace', bns, '-d', bn, '-p', '8080']));
      }
      const e = medianOf(es);
      let eline = `${label} | explain ${a} -> ${b} TCP/8080 (median of ${EXPLAIN_RUNS}): ${fig(e)}`;
      if (peer.ok) {
        const pe = medianOf(pes);
        const peerAllowed = pes.every((t) => /: true\s*$/.test(t.stdout));
        const oursAllowed = es.every((t) => t.status === 0);
        eline += ` | netpolicy eval: ${fig(pe)} | ratio ${(pe.seconds / e.seconds).toFixed(1)}x (cpu ${(pe.cpuSeconds / e.cpuSeconds).toFixed(1)}x) | verdicts ${peerAllowed === oursAllowed ? 'agree' : 'DISAGREE'} [load ${load()}]`;
      }
      if (!peer.ok) line += ' | peer skipped (no Go)';
      else if (size > PEER_MAX[shape as 'apps' | 'single']) line += ` | peer skipped: above BENCH_${shape === 'apps' ? '' : 'SINGLE_'}PEER_MAX`;
      else {
        const p = peerList(peer.binary, sdir, snapshotHash(text), CACHE, size > FRESH);
        const check = crossCheck(m.stdout, p.stdout);
        line += ` | netpolicy list: ${fig(p)}${p.cached ? ` (cached run${p.load ? `, load then ${p.load}` : ''})` : ''} | ratio ${(p.seconds / m.seconds).toFixed(1)}x | cross-check: ${check}`;
      }
      console.log(line);
      console.log(eline);
      rows.push(line, eline);
      rmSync(sdir, { recursive: true, force: true });
    }
  // Text output at the size people read: 400 pods pod by pod (a list), and a workload grid.
  const snap = generateSnapshot(400);
  const file = join(dir, 'text-400.json');
  writeFileSync(file, listDocument(snap.objects));
  const t = ours(['matrix', '-A', '-f', file, '--by', 'pod']);
  console.log(`text matrix, 400 pods --by pod: ${fig(t)}, ${t.stdout.split('\n').length} lines, widest ${Math.max(...t.stdout.split('\n').map((l) => [...l].length))} columns`);
  const g = ours(['matrix', '-n', 'team-0', '-f', file]);
  console.log(`text matrix, namespace team-0 (grid): ${fig(g)}, widest ${Math.max(...g.stdout.split('\n').map((l) => [...l].length))} columns`);
  console.log(`load average at end: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
