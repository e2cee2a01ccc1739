// Live-cluster benchmark (prints figures; not a test): a generated cluster of N pods (default 5,000:
// 100 namespaces x 50 pods, 6 NetworkPolicies per namespace, pod IPs set through pods/status) in a
// local kube-apiserver + etcd started by the test harness, then the requests made and the time
// taken by the live source for explain, matrix -n, check and matrix -A (load + compute).
//
// Run: npx tsx bench/live-5k.ts [PODS]
// Needs the harness binaries (test/cluster/build.sh builds them on first use). The API server runs
// on the same machine, so load times include its work of serving the lists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadLive, type LiveNeeds, type LiveResult } from '../src/sources/live/source.js';
import { ClusterIndex, checkFlows, computeMatrix, explain, type Flow } from '../src/engine/index.js';
import { startTestCluster } from '../test/cluster/harness.js';
import { adminClient, apply, pool, type Obj } from '../test/live/cluster-support.js';
import { generateCluster } from './generate.js';

const size = Number(process.argv[2] ?? 5000);
const RUNS = 3;
const ms = (t0: number) => performance.now() - t0;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} kB`);

const cluster = await startTestCluster({ ignoreExternal: true });
const dir = mkdtempSync(join(tmpdir(), 'netpol-live-bench-'));
try {
  const { objects, podRefs } = generateCluster(size);
  const client = await adminClient(cluster.kubeconfigPath);
  let t0 = performance.now();
  const namespaces = objects.filter((o) => o['kind'] === 'Namespace') as Obj[];
  await pool(namespaces, 16, (o) => apply(client, [o]));
  await apply(client, objects.filter((o) => o['kind'] !== 'Namespace') as Obj[], 48);
  const createMs = ms(t0);
  client.close();
  const pods = objects.filter((o) => o['kind'] === 'Pod').length;
  const policies = objects.filter((o) => o['kind'] === 'NetworkPolicy').length;
  console.log(`cluster: ${pods} pods, ${namespaces.length} namespaces, ${policies} NetworkPolicies created in ${(createMs / 1000).toFixed(1)} s (${objects.length} objects + ${pods} status writes, 48 in parallel)`);

  const quiet = { stderr: { write: () => true }, env: {} };
  const args = { kubeconfig: cluster.kubeconfigPath };
  const podIP = (ref: string) => ((objects.find((o) => `${(o['metadata'] as Obj).namespace}/${(o['metadata'] as Obj).name}` === ref && o['kind'] === 'Pod') as Obj).status.podIP as string);
  const a = podRefs[3]!;
  const b = podRefs[Math.floor(podRefs.length / 2) + 7]!;
  const flows: Flow[] = Array.from({ length: 10 }, (_, i) => ({ from: podRefs[(i * 7919) % podRefs.length]!, to: podRefs[(i * 104729 + 13) % podRefs.length]!, port: 8080, expect: 'allowed' as const }));

  interface Scenario {
    name: string;
    needs: LiveNeeds;
    compute: (r: LiveResult) => string;
    namespace?: string;
  }
  const scenarios: Scenario[] = [
    { name: `explain ${a} -> ${b}`, needs: { endpoints: [a, b] }, compute: (r) => String(explain({ from: a, to: b, port: 8080, namespace: r.namespace }, new ClusterIndex(r.state)).allowed) },
    {
      name: `explain ${a} -> ${podIP(b)} (IP)`,
      needs: { endpoints: [a, podIP(b)] },
      compute: (r) => String(explain({ from: a, to: podIP(b), port: 8080, namespace: r.namespace }, new ClusterIndex(r.state)).allowed),
    },
    {
      name: `matrix -n ${a.split('/')[0]}`,
      needs: { namespaces: [a.split('/')[0]!] },
      compute: (r) => {
        const ns = a.split('/')[0]!;
        const m = computeMatrix(r.state.pods.filter((p) => p.namespace === ns), [{ port: 8080, protocol: 'TCP' }], new ClusterIndex(r.state));
        return `${m.pods.length} pods, ${m.classCount} classes`;
      },
    },
    {
      name: 'check (10 flows: reads all)',
      needs: { endpoints: flows.flatMap((f) => [f.from, f.to]) },
      compute: (r) => `${checkFlows(flows, r.namespace, new ClusterIndex(r.state)).filter((x) => x.allowed).length}/10 allowed`,
    },
    {
      name: 'matrix -A',
      needs: { namespaces: 'all' },
      compute: (r) => {
        const m = computeMatrix(r.state.pods, [{ port: 8080, protocol: 'TCP' }], new ClusterIndex(r.state));
        return `${m.pods.length} pods, ${m.classCount} classes`;
      },
    },
  ];

  console.log(`\n${'scenario'.padEnd(58)} requests  bytes     load (median of ${RUNS})  compute  result`);
  for (const s of scenarios) {
    const loads: number[] = [];
    const computes: number[] = [];
    let last: LiveResult | undefined;
    let result = '';
    for (let i = 0; i < RUNS; i++) {
      t0 = performance.now();
      last = await loadLive(args, s.needs, quiet);
      loads.push(ms(t0));
      t0 = performance.now();
      result = s.compute(last);
      computes.push(ms(t0));
    }
    const st = last!.stats;
    const pages = st.lists.filter((l) => l.pages > 1).map((l) => `${l.what.replace(' in all namespaces', '')}: ${l.pages} pages`);
    console.log(
      `${s.name.padEnd(58)} ${String(st.requests).padStart(8)}  ${kb(st.bytes).padEnd(8)}  ${`${fmt(median(loads))} ms (min ${fmt(Math.min(...loads))})`.padEnd(23)}  ${`${fmt(median(computes))} ms`.padEnd(8)} ${result}${pages.length ? `  [${pages.join('; ')}]` : ''}`,
    );
  }

  // End to end, as kubectl runs the plugin: a new process each time (bundled binary).
  if (existsSync('dist/kubectl-netpol.mjs')) {
    const kc = join(dir, 'kubeconfig');
    writeFileSync(kc, spawnSync('cat', [cluster.kubeconfigPath], { encoding: 'utf8' }).stdout);
    for (const argv of [
      ['explain', a, b, '--port', '8080'],
      ['matrix', '-n', a.split('/')[0]!],
    ]) {
      const times: number[] = [];
      let line = '';
      for (let i = 0; i < RUNS; i++) {
        t0 = performance.now();
        const r = spawnSync(process.execPath, ['dist/kubectl-netpol.mjs', ...argv, '--kubeconfig', kc, '-v'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        times.push(ms(t0));
        line = r.stderr.split('\n').find((l) => l.startsWith('live:')) ?? r.stderr.slice(0, 200);
      }
      console.log(`process: kubectl-netpol ${argv.join(' ')}: ${fmt(median(times))} ms wall (median of ${RUNS}); ${line}`);
    }
  } else console.log('(dist/kubectl-netpol.mjs not built: run npm run build for the end-to-end figures)');
} finally {
  rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}
