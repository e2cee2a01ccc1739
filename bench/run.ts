// Benchmarks (not tests): prints figures for generated clusters of 1k / 5k / 20k pods.
// Run: npm run bench   (or: npx tsx bench/run.ts 1000 5000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests } from '../src/sources/files/load.js';
import { allowedPortRanges, ClusterIndex, computeMatrix, explain } from '../src/engine/index.js';
import { generateCluster } from './generate.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1000, 5000, 20000];
const MATRIX_MAX = Number(process.env.BENCH_MATRIX_MAX ?? 5000);

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 20);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

const rows: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'netpol-bench-'));
try {
  for (const size of SIZES) {
    const { objects, podRefs } = generateCluster(size);
    const file = join(dir, `cluster-${size}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    let t0 = process.hrtime.bigint();
    const { state, diagnostics } = await loadManifests([file]);
    const loadMs = ms(t0);
    if (diagnostics.some((d) => d.severity === 'error')) throw new Error(`generated cluster invalid: ${diagnostics[0]!.message}`);
    t0 = process.hrtime.bigint();
    const idx = new ClusterIndex(state);
    const indexMs = ms(t0);

    const lat: number[] = [];
    const noPortLat: number[] = [];
    for (let i = 0; i < 300; i++) {
      const from = podRefs[(i * 7919) % podRefs.length]!;
      const to = podRefs[(i * 104729 + 13) % podRefs.length]!;
      t0 = process.hrtime.bigint();
      explain({ from, to, port: i % 2 ? 8080 : 5432, namespace: 'default' }, idx);
      lat.push(ms(t0));
      if (i < 50) {
        const a = idx.pod(...(from.split('/') as [string, string]))!;
        const b = idx.pod(...(to.split('/') as [string, string]))!;
        t0 = process.hrtime.bigint();
        allowedPortRanges({ kind: 'pod', pod: a }, { kind: 'pod', pod: b }, idx);
        noPortLat.push(ms(t0));
      }
    }
    let matrixMs = NaN;
    let classes = NaN;
    if (size <= MATRIX_MAX) {
      t0 = process.hrtime.bigint();
      const m = computeMatrix(state.pods, [{ port: 8080, protocol: 'TCP' }], idx);
      matrixMs = ms(t0);
      classes = m.classCount;
    }
    sample();
    rows.push(
      `${String(size).padStart(6)} pods ${String(state.namespaces.length).padStart(4)} ns ${String(state.networkPolicies.length).padStart(5)} policies | load ${fmt(loadMs)} ms, index ${fmt(indexMs)} ms | explain p50 ${fmt(pct(lat, 50))} ms p99 ${fmt(pct(lat, 99))} ms | all-ports explain p50 ${fmt(pct(noPortLat, 50))} ms | matrix/port ${Number.isNaN(matrixMs) ? 'skipped' : `${fmt(matrixMs)} ms (${classes} classes)`}`,
    );
    console.log(rows[rows.length - 1]);
  }
  // CLI cold start: the bundled binary, as kubectl would run it.
  const starts: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['dist/kubectl-netpol.mjs', '--help'], { encoding: 'utf8' });
    starts.push(ms(t0));
    if (r.status !== 0) throw new Error(`--help failed: ${r.stderr}`);
  }
  console.log(`cold start (--help, bundled, node ${process.version}): p50 ${fmt(pct(starts, 50))} ms, min ${fmt(Math.min(...starts))} ms`);
  console.log(`peak RSS of this benchmark process: ${Math.round(peakRss / 2 ** 20)} MiB`);
} finally {
  clearInterval(timer);
  rmSync(dir, { recursive: true, force: true });
}
