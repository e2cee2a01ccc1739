// Benchmark (not a test): kubectl netpol probe on the real node (test/node), end to end with the
// built CLI as a user runs it. Prints: one path in ephemeral mode (wall time, several runs);
// 100 paths from 10 source pods with the default concurrency (rejecting and dropping enforcer);
// the CLI's peak RSS for 10, 50 and 100 paths (memory should stay flat in the number of paths).
// Run: node build.mjs && npx tsx bench/probe-node.ts     (root; starts and stops its own node)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { adminClient, apply, type Obj } from '../test/live/cluster-support.js';
import { waitPodsReady } from '../test/node/apply.js';
import { setEnforcer, waitRulesSettled } from '../test/node/control.js';
import { nodeUnavailable, startRealNode } from '../test/node/harness.js';
import { np, servingPod } from '../test/node/probe-support.js';

const reason = nodeUnavailable();
if (reason) {
  process.stdout.write(`probe benchmark skipped: ${reason}\n`);
  process.exit(0);
}
const SRC = 'bench-src';
const DST = 'bench-dst';
const node = await startRealNode();
const dir = mkdtempSync(join(tmpdir(), 'netpol-probe-bench-'));
const rows: string[] = [];
try {
  const client = await adminClient(node.kubeconfigPath);
  const sleeper = (i: number): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `client-${i}`, namespace: SRC, labels: { app: `client-${i}`, role: i % 2 === 0 ? 'allowed' : 'other' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'sleep', image: node.image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '36000'] }] },
  });
  await apply(client, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SRC } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: DST } },
    ...Array.from({ length: 10 }, (_, i) => sleeper(i)),
    ...Array.from({ length: 10 }, (_, i) => servingPod(node.image, DST, `server-${i}`, { app: `server-${i}` })),
    np(DST, 'from-allowed', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'allowed' } } }] }] }),
  ]);
  await waitPodsReady(node, [SRC, DST]);
  await waitRulesSettled(node);
  client.close();

  const cli = (args: string[]): { ms: number; rssMiB: number; code: number | null; out: string } => {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'dist/kubectl-netpol.mjs', ...args, '--kubeconfig', node.kubeconfigPath, '-o', 'json'], { env: { ...process.env, NO_COLOR: '1', NETPOL_NO_PROGRESS: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    const rss = Number(r.stderr.trim().split('\n').at(-1));
    return { ms, rssMiB: rss / 1024, code: r.status, out: r.stdout };
  };
  const summary = (out: string) => {
    const d = JSON.parse(out) as { summary: { total: number; match: number; mismatch: number; errors: number } };
    return `${d.summary.total} probes, ${d.summary.match} match, ${d.summary.mismatch} mismatch, ${d.summary.errors} errors`;
  };

  // One path, ephemeral mode: a fresh source pod each time would add pod start-up; the same pod gets one more ephemeral container per run.
  const one: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = cli(['probe', `${SRC}/client-${i * 2}`, `${DST}/server-0`, '--port', '8080']);
    one.push(r.ms);
    if (i === 0) rows.push(`one path (ephemeral): ${summary(r.out)}`);
  }
  one.sort((a, b) => a - b);
  rows.push(`one path end to end, ephemeral: median ${(one[2]! / 1000).toFixed(2)} s, min ${(one[0]! / 1000).toFixed(2)} s, max ${(one[4]! / 1000).toFixed(2)} s (5 runs)`);

  for (const enforcer of ['reject', 'drop'] as const) {
    if (enforcer === 'drop') {
      await setEnforcer(node, 'drop');
      await waitRulesSettled(node);
    }
    const r = cli(['probe', '-n', SRC, '--to-namespace', DST, '--port', '8080']);
    rows.push(`100 paths from 10 source pods (${enforcer} enforcer, default concurrency 10, timeout 2s): ${(r.ms / 1000).toFixed(2)} s; ${summary(r.out)}; CLI peak RSS ${r.rssMiB.toFixed(0)} MiB`);
  }
  await setEnforcer(node, 'reject');
  await waitRulesSettled(node);

  // Memory against the number of paths: flows files of 10, 50 and 100 flows (check --probe).
  for (const n of [10, 50, 100]) {
    const flows = Array.from({ length: n }, (_, k) => ({ from: `${SRC}/client-${k % 10}`, to: `${DST}/server-${Math.floor(k / 10)}`, port: 8080, expect: k % 2 === 0 ? 'allowed' : 'denied' }));
    const file = join(dir, `flows-${n}.json`);
    writeFileSync(file, JSON.stringify({ flows }));
    const r = cli(['check', '--probe', file]);
    rows.push(`check --probe, ${n} flows: ${(r.ms / 1000).toFixed(2)} s, CLI peak RSS ${r.rssMiB.toFixed(0)} MiB; ${summary(r.out)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await node.stop();
}
process.stdout.write(`\nkubectl netpol probe on the real node (2 cores shared)\n${rows.map((r) => `  ${r}`).join('\n')}\n`);
