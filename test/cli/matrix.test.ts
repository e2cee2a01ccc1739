// kubectl netpol matrix as users see it: every port by default and the same answer as explain,
// named ports per destination, workload rows with replicas folded in (and differences kept),
// documents that follow docs/schema/matrix.schema.json in json, yaml and jsonl, 80-column text.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { dump, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { allowedPortRanges, ClusterIndex, explain, podLabel as label } from '../../src/engine/index.js';
import { loadManifests } from '../../src/sources/files/load.js';
import { ex, runCli } from './run-cli.js';

const schema = JSON.parse(readFileSync('docs/schema/matrix.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync('docs/schema/common.schema.json', 'utf8')));
const validate = ajv.compile(schema);
const validItem = (def: 'connection' | 'pair') => ajv.getSchema(`${schema.$id}#/$defs/${def}`)!;
const expectValid = (doc: unknown) => expect(validate(doc) ? [] : validate.errors).toEqual([]);

type Range = { protocol: string; port?: number | string; endPort?: number };
const text = (rs: { protocol: string; start: number; end: number }[]) => rs.map((r) => `${r.protocol}/${r.start}-${r.end}`).join(' ');
const fromItem = (ps: Range[]) => text(ps.map((p) => ({ protocol: p.protocol, start: Number(p.port ?? 1), end: p.endPort ?? Number(p.port ?? 65535) })));

describe('matrix without --port: every port', () => {
  it.each(['shop', 'bookstore'])('examples/%s --by pod: each pair allows exactly the ports explain lists', async (name) => {
    const run = await runCli(['matrix', '-f', ex(name), '-A', '--by', 'pod', '-o', 'json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expectValid(doc);
    expect(doc).toMatchObject({ apiVersion: 'netpol.kubectl.io/v1alpha1', kind: 'Matrix', by: 'pod', ports: 'all' });
    const got = new Map<string, string>(doc.items.map((i: { from: string; to: string; ports: Range[] }) => [`${i.from} ${i.to}`, fromItem(i.ports)]));
    const { state } = await loadManifests([ex(name)]);
    const idx = new ClusterIndex(state);
    for (const a of state.pods)
      for (const b of state.pods) {
        if (a === b && !a.template) continue;
        const merged: { protocol: string; start: number; end: number }[] = [];
        for (const r of allowedPortRanges({ kind: 'pod', pod: a }, { kind: 'pod', pod: b }, idx).filter((r) => r.allowed)) {
          const last = merged[merged.length - 1];
          if (last && last.protocol === r.protocol && last.end + 1 === r.start) last.end = r.end;
          else merged.push({ protocol: r.protocol, start: r.start, end: r.end });
        }
        expect(got.get(`${label(a)} ${label(b)}`) ?? '', `${label(a)} -> ${label(b)}`).toBe(text(merged));
      }
  });

  it('text lists allowed connections as src => dst : ports and keeps to 80 columns', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-A', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('backend/api => backend/db : TCP 5432\n');
    expect(run.stdout).toContain('frontend/app => backend/api : TCP 8080\n');
    for (const line of run.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('the grid letters port sets in a legend and fits 80 columns', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-A']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^a TCP 5432$/m);
    expect(run.stdout).toMatch(/^ *\d+ {2}backend\/db$/m);
    for (const line of run.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe('matrix --port', () => {
  it('a named port resolves against each destination pod, as explain --port does', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-A', '--by', 'pod', '--port', 'http', '-o', 'json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expectValid(doc);
    const { state } = await loadManifests([ex('shop')]);
    const idx = new ClusterIndex(state);
    const live = doc.items.filter((i: { from: string; to: string }) => !i.from.includes('/deploy/') && !i.to.includes('/deploy/') && i.from !== i.to);
    expect(live.length).toBeGreaterThan(0);
    for (const item of live) {
      let expected: boolean;
      try {
        expected = explain({ from: item.from, to: item.to, port: 'http', namespace: 'default' }, idx).allowed;
      } catch {
        expected = false; // the destination declares no port named http
      }
      expect(item.allowed, `${item.from} -> ${item.to}`).toBe(expected);
      expect(item.resolvedPort !== undefined || !item.allowed).toBe(true);
    }
    expect(doc.items).toContainEqual({ from: 'frontend/app', to: 'backend/api', port: 'http', protocol: 'TCP', allowed: true, resolvedPort: 8080 });
  });
});

describe('matrix documents', () => {
  it('-o yaml and -o jsonl carry the same items as -o json, and each validates', async () => {
    const json = JSON.parse((await runCli(['matrix', '-f', ex('bookstore'), '-A', '-o', 'json'])).stdout);
    const yaml = load((await runCli(['matrix', '-f', ex('bookstore'), '-A', '-o', 'yaml'])).stdout);
    const jsonl = (await runCli(['matrix', '-f', ex('bookstore'), '-A', '-o', 'jsonl'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expectValid(json);
    expect(json.items.length).toBeGreaterThan(0);
    expect(yaml).toEqual(json);
    expect(jsonl).toEqual(json.items);
    for (const item of jsonl) expect(validItem('connection')(item)).toBe(true);
    const pairs = (await runCli(['matrix', '-f', ex('bookstore'), '-A', '--port', '8080', '-o', 'jsonl'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const item of pairs) expect(validItem('pair')(item)).toBe(true);
  });

  it('an empty matrix is still a valid document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: lone, namespace: x}\nspec: {containers: [{name: c, image: i}]}\nstatus: {phase: Running, podIP: 10.0.0.1}\n');
    for (const o of ['json', 'yaml']) {
      const run = await runCli(['matrix', '-f', dir, '-A', '-o', o]);
      const doc = o === 'json' ? JSON.parse(run.stdout) : load(run.stdout);
      expectValid(doc);
      expect(doc).toMatchObject({ items: [], rows: 1, pods: 1 });
    }
  });
});

/** A Deployment's ReplicaSet with two pods, one relabelled so a policy tells them apart. */
function replicasThatDiffer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-'));
  const pod = (name: string, labels: Record<string, string>, ip: string, owner?: string) =>
    dump({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app', labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: 'u1', controller: true }] } : {}) }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running', podIP: ip } });
  const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'app' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'migrator' } } }], ports: [{ port: 5432 }] }] } };
  writeFileSync(join(dir, 'all.yaml'), [pod('web-7f9-a', { app: 'web', role: 'migrator' }, '10.0.0.1', 'web-7f9'), pod('web-7f9-b', { app: 'web' }, '10.0.0.2', 'web-7f9'), pod('db', { app: 'db' }, '10.0.0.3'), dump(policy)].join('---\n'));
  return dir;
}

describe('workload rows', () => {
  it('fold replicas, and a port only some replicas may use is reported as partial', async () => {
    const dir = replicasThatDiffer();
    const run = await runCli(['matrix', '-f', dir, '-A', '-o', 'json']);
    const doc = JSON.parse(run.stdout);
    expectValid(doc);
    expect(doc).toMatchObject({ by: 'workload', rows: 2, pods: 3 });
    expect(doc.items).toContainEqual({ from: 'app/rs/web-7f9', to: 'app/db', ports: [], partialPorts: [{ protocol: 'TCP', port: 5432 }] });
    // Replica to replica: nothing isolates web, so every port.
    expect(doc.items).toContainEqual({ from: 'app/rs/web-7f9', to: 'app/rs/web-7f9', ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }, { protocol: 'SCTP' }] });
    const list = await runCli(['matrix', '-f', dir, '-A', '--list']);
    expect(list.stdout).toContain('app/rs/web-7f9 => app/db : some pods only: TCP 5432\n');
    const byPod = JSON.parse((await runCli(['matrix', '-f', dir, '-A', '--by', 'pod', '-o', 'json'])).stdout);
    expect(byPod.items).toContainEqual({ from: 'app/web-7f9-a', to: 'app/db', ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(byPod.items.find((i: { from: string; to: string }) => i.from === 'app/web-7f9-b' && i.to === 'app/db')).toBeUndefined();
  });

  it('switches to the connection list when a grid cannot fit, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-'));
    const pods = Array.from({ length: 45 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: n}\nspec: {containers: [{name: c, image: i}]}\nstatus: {phase: Running, podIP: 10.0.1.${i + 1}}\n`);
    writeFileSync(join(dir, 'pods.yaml'), pods.join('---\n'));
    const run = await runCli(['matrix', '-f', dir, '-n', 'n']);
    expect(run.stderr).toContain('45 workloads do not fit a grid in 80 columns (at most 38); listing allowed connections (src => dst : ports) instead');
    expect(run.stdout).toContain('n/p0 => n/p1 : all ports\n');
    expect(run.stdout.split('\n').filter((l) => l.includes(' => '))).toHaveLength(45 * 44);
  });
});

describe('a reader that goes away (| head)', () => {
  it.each(['text', 'json', 'yaml', 'jsonl'])('-o %s ends quietly with exit 0', async (output) => {
    const dir = mkdtempSync(join(tmpdir(), 'netpol-matrix-'));
    const pods = Array.from({ length: 120 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: pod-with-a-longer-name-${i}, namespace: n}\nspec: {containers: [{name: c, image: i}]}\nstatus: {phase: Running, podIP: 10.0.1.${i + 1}}\n`);
    writeFileSync(join(dir, 'pods.yaml'), ['apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n', ...pods].join('---\n'));
    const child = spawn(process.execPath, ['dist/kubectl-netpol.mjs', 'matrix', '-f', dir, '-n', 'n', '--by', 'pod', '--port', '80', '-o', output], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve) => child.stdout.once('data', () => (child.stdout.destroy(), resolve())));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr.replace(/^note: .* do not fit a grid.*\n/, '')).toBe(''); // no EPIPE stack trace
    expect(code).toBe(0);
  });
});

describe('matrix --protocol without --port', () => {
  it('covers every port of those protocols only, and says so', async () => {
    const doc = JSON.parse((await runCli(['matrix', '-f', ex('shop'), '-A', '--protocol', 'udp', '-o', 'json'])).stdout);
    expectValid(doc);
    expect(doc).toMatchObject({ ports: 'all', protocols: ['UDP'] });
    for (const item of doc.items) for (const p of item.ports) expect(p.protocol).toBe('UDP');
    const text = await runCli(['matrix', '-f', ex('shop'), '-A', '--protocol', 'udp']);
    expect(text.stdout.split('\n')[0]).toBe('4 workloads (4 pods), every UDP port');
  });
});
