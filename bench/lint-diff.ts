// Benchmarks (not tests) for lint, the what-if diff and verified suggestions on generated clusters.
// Run: npx tsx bench/lint-diff.ts [pods...]   (default 5000). Prints figures; asserts nothing.
import { applyPolicyChanges, type AnyPolicy } from '../src/diff/apply.js';
import { diffStates } from '../src/diff/compute.js';
import { ClusterIndex, explain } from '../src/engine/index.js';
import type { NetworkPolicy } from '../src/engine/model.js';
import { lint } from '../src/lint/lint.js';
import { loadManifestTexts } from '../src/sources/files/load.js';
import { suggestFixes } from '../src/suggest/suggest.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestOf } from '../src/suggest/manifest.js';
import { generateCluster } from './generate.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const best = (n: number, f: () => void) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    f();
    xs.push(ms(t0));
  }
  return Math.min(...xs);
};

/** Ten changed policies across ten namespaces: ports changed, a peer widened, a default-deny removed, a policy added. */
function tenChanges(nps: readonly NetworkPolicy[]): { upserts: AnyPolicy[]; deletes: { kind: string; namespace: string; name: string }[] } {
  const nsList = [...new Set(nps.map((p) => p.namespace))].slice(0, 10);
  const find = (ns: string, name: string) => nps.find((p) => p.namespace === ns && p.name === name)!;
  const upserts: AnyPolicy[] = [];
  const deletes: { kind: string; namespace: string; name: string }[] = [];
  nsList.forEach((ns, i) => {
    if (i < 4) {
      const p = find(ns, 'db-from-api');
      upserts.push({ type: 'netpol', policy: { ...p, ingress: [{ ...p.ingress[0]!, ports: [{ protocol: 'TCP', port: 5433 }] }] } });
    } else if (i < 7) {
      const p = find(ns, 'metrics-scrape');
      upserts.push({ type: 'netpol', policy: { ...p, ingress: [{ ...p.ingress[0]!, peers: [{ namespaceSelector: {} }] }] } });
    } else if (i < 9) {
      const p = find(ns, 'api-egress');
      upserts.push({ type: 'netpol', policy: { ...p, egress: [{ ...p.egress[0]!, ports: [{ protocol: 'TCP', port: 5432 }] }] } });
    } else {
      const p = find(ns, 'db-from-api');
      deletes.push({ kind: 'NetworkPolicy', namespace: ns, name: p.name });
    }
  });
  return { upserts, deletes };
}

for (const size of sizes.length > 0 ? sizes : [5000]) {
  const { objects, podRefs } = generateCluster(size);
  const { state, diagnostics } = loadManifestTexts([{ file: 'gen.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }]);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics[0]!.message);
  const idx = new ClusterIndex(state);
  let report = lint(idx);
  const lintMs = best(3, () => (report = lint(new ClusterIndex(state))));
  const byRule = new Map<string, number>();
  for (const f of report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  console.log(`${size} pods, ${state.namespaces.length} namespaces, ${state.networkPolicies.length} policies`);
  console.log(`  lint: ${fmt(lintMs)} ms (best of 3), ${report.findings.length} findings (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')})`);

  const { upserts, deletes } = tenChanges(state.networkPolicies);
  const applied = applyPolicyChanges(state, upserts, deletes);
  let diff!: ReturnType<typeof diffStates>;
  // Cold: the first diff on this state, as one CLI run does it. Warm: again (cached classes and rule sets).
  const cpu0 = process.cpuUsage();
  const coldMs = best(1, () => (diff = diffStates(state, applied.after, applied.changes)));
  const cpu = process.cpuUsage(cpu0);
  const coldCpu = (cpu.user + cpu.system) / 1000;
  const diffMs = best(3, () => (diff = diffStates(state, applied.after, applied.changes)));
  const opened = diff.groups.reduce((n, g) => n + g.ports.filter((p) => p.now === 'allowed').length, 0);
  const blocked = diff.groups.reduce((n, g) => n + g.ports.filter((p) => p.now === 'blocked').length, 0);
  console.log(`  diff, ${applied.changes.length} changed policies: ${fmt(coldMs)} ms cold (cpu ${fmt(coldCpu)} ms), ${fmt(diffMs)} ms warm (best of 3); ${diff.stats.classes} classes, ${diff.stats.touchedClasses} touched, ${diff.stats.segments} port segments; ${diff.groups.length} workload pairs change (${opened} port ranges opened, ${blocked} blocked)`);

  // A denied path and its verified fix.
  let denied: ReturnType<typeof explain> | undefined;
  for (let i = 0; i < 200 && !denied; i++) {
    const r = explain({ from: podRefs[(i * 7919) % podRefs.length]!, to: podRefs[(i * 104729 + 13) % podRefs.length]!, port: 5432, namespace: 'default' }, idx);
    if (!r.allowed) denied = r;
  }
  if (denied) {
    // Cold: a freshly loaded state (nothing cached), as explain computes its fix lines.
    const fresh = new ClusterIndex(loadManifestTexts([{ file: 'gen.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }]).state);
    const coldQuery = explain({ from: denied.from.ref, to: denied.to.ref, port: 5432, namespace: 'default' }, fresh).pairs[0]!.verdict!;
    const sugCold = best(1, () => suggestFixes(coldQuery, fresh));
    const v = denied.pairs[0]!.verdict!;
    let s = suggestFixes(v, idx);
    const sugMs = best(3, () => (s = suggestFixes(v, idx)));
    console.log(`  suggest for ${denied.from.ref} -> ${denied.to.ref} TCP/5432: ${fmt(sugCold)} ms cold, ${fmt(sugMs)} ms warm (best of 3), ${s.suggestions.length} verified suggestions, best opens ${s.suggestions[0]?.opensCount ?? '-'} other pod pairs`);
  }
}

/** The commands as a user runs them (bundled CLI, load included), on the same generated cluster. */
function cliFigures(size: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-bench-lint-'));
  try {
    const { objects } = generateCluster(size);
    const base = join(dir, 'cluster.json');
    writeFileSync(base, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const { state } = loadManifestTexts([{ file: base, text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }]);
    const { upserts, deletes } = tenChanges(state.networkPolicies);
    const changes = join(dir, 'changes.json');
    writeFileSync(changes, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: upserts.map(manifestOf) }));
    // Wall time, and CPU time via /usr/bin/time when present (wall time is inflated on a busy machine).
    const timeBin = existsSync('/usr/bin/time');
    const run = (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const cmd = [process.execPath, 'dist/kubectl-netpol.mjs', ...args];
      const r = timeBin ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S rss %M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
      const m = /cpu ([\d.]+) ([\d.]+) rss (\d+)/.exec(r.stderr ?? '');
      const cpu = m ? `, cpu ${fmt((Number(m[1]) + Number(m[2])) * 1000)} ms, max RSS ${Math.round(Number(m[3]) / 1024)} MiB` : '';
      return `${fmt(ms(t0))} ms wall${cpu} (exit ${r.status})`;
    };
    const lintRun = run(['lint', '-f', base, '-o', 'json']);
    const diffRun = run(['diff', '--base', base, '-f', changes, ...deletes.flatMap((d) => ['--delete', `${d.namespace}/${d.name}`]), '-o', 'json']);
    console.log(`  CLI (bundled, load included): lint -f: ${lintRun}; diff --base -f (10 policies): ${diffRun}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const size of sizes.length > 0 ? sizes : [5000]) cliFigures(size);
