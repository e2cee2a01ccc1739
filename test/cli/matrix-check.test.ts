// matrix and check through the CLI, and the promise that explain, matrix and check never disagree.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/sources/files/load.js';
import { checkFlows, ClusterIndex, computeMatrix, explain, type Protocol } from '../../src/engine/index.js';
import { ex, runCli } from './run-cli.js';

const EXAMPLES = readdirSync('examples', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('kubectl netpol matrix', () => {
  it('-o json lists every ordered pair for every port and protocol', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-A', '--port', '5432', '--port', '8080', '--protocol', 'TCP', '--protocol', 'udp', '-o', 'json']);
    expect(run.code).toBe(0);
    const { items } = JSON.parse(run.stdout);
    const pods = new Set(items.map((i: { from: string }) => i.from));
    expect(items).toHaveLength(pods.size * pods.size * 4);
    expect(items).toContainEqual({ from: 'backend/api', to: 'backend/db', port: 5432, protocol: 'TCP', allowed: true });
    expect(items).toContainEqual({ from: 'frontend/app', to: 'backend/db', port: 5432, protocol: 'TCP', allowed: false });
    expect(items).toContainEqual({ from: 'backend/api', to: 'backend/db', port: 5432, protocol: 'UDP', allowed: false });
  });

  it('-n limits the grid to one namespace and prints a table', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '-n', 'backend', '--port', '5432']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TCP/5432');
    expect(run.stdout).toContain('backend/db');
    expect(run.stdout).not.toContain('frontend/app');
  });

  it('refuses an empty namespace with a clear error', async () => {
    const empty = await runCli(['matrix', '-f', ex('shop'), '-n', 'nope']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no pods in namespace nope');
  });
});

describe('kubectl netpol check', () => {
  it.each(EXAMPLES)('examples/%s/flows.yaml passes (exit 0) and -o json keeps input order', async (name) => {
    const run = await runCli(['check', '-f', ex(name), `examples/${name}/flows.yaml`, '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { items } = JSON.parse(run.stdout);
    const { load } = await import('js-yaml');
    const { readFileSync } = await import('node:fs');
    const flows = (load(readFileSync(`examples/${name}/flows.yaml`, 'utf8')) as { flows: { from: string; to: string }[] }).flows;
    expect(items.map((i: { from: string; to: string }) => [i.from, i.to])).toEqual(flows.map((f) => [f.from, f.to]));
    for (const item of items) expect(Object.keys(item)).toEqual(expect.arrayContaining(['from', 'to', 'port', 'protocol', 'expect', 'allowed', 'pass']));
  });

  it('a wrong expectation fails with exit 1, in text and in JUnit', async () => {
    const flows = 'flows:\n  - {from: frontend/app, to: backend/db, port: 5432, expect: allowed}\n  - {from: backend/api, to: backend/db, port: postgres, expect: allowed}\n';
    const text = await runCli(['check', '-f', ex('shop'), '-'], { stdin: flows });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL  #1 frontend/app -> backend/db TCP/5432  expected allowed, got denied (isolatedNoRuleMatched)');
    expect(text.stdout).toContain('PASS  #2');
    expect(text.stdout).toContain('1 of 2 flows as expected, 1 not');
    const junit = await runCli(['check', '-f', ex('shop'), '-', '-o', 'junit'], { stdin: flows });
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<testsuites tests="2" failures="1" errors="0">');
    expect(junit.stdout).toMatch(/<failure message="expected allowed, got denied">/);
  });

  it('an unresolvable flow is an error item, not a silent pass', async () => {
    const flows = 'flows:\n  - {from: frontend/ghost, to: backend/db, port: 5432, expect: denied}\n';
    const run = await runCli(['check', '-f', ex('shop'), '-', '-o', 'json'], { stdin: flows });
    expect(run.code).toBe(1);
    const item = JSON.parse(run.stdout).items[0];
    expect(item).toMatchObject({ pass: false, allowed: null, error: { message: 'pod frontend/ghost not found' } });
  });

  it('invalid flow files are rejected with every problem named', async () => {
    const flows = 'flows:\n  - {from: a/b, port: 99999, protocol: ICMP, expect: maybe}\n';
    const run = await runCli(['check', '-f', ex('shop'), '-'], { stdin: flows });
    expect(run.code).toBe(2);
    for (const s of ['flows[0].to: required', 'flows[0].port: 99999', 'flows[0].protocol: "ICMP"', 'flows[0].expect: must be']) expect(run.stderr).toContain(s);
  });

  it.each([['"70000"'], ['"0"'], ['"Http"'], ['"-web"']])('a port %s that is neither 1-65535 nor a container port name is rejected', async (port) => {
    const flows = `flows:\n  - {from: frontend/app, to: backend/api, port: ${port}, expect: allowed}\n`;
    const run = await runCli(['check', '-f', ex('shop'), '-'], { stdin: flows });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`flows[0].port: ${port} is neither 1-65535 nor a container port name`);
  });

  it('a quoted port number and a port name are both accepted', async () => {
    const flows = 'flows:\n  - {from: frontend/app, to: backend/api, port: "8080", expect: allowed}\n  - {from: frontend/app, to: backend/api, port: http, expect: allowed}\n';
    const run = await runCli(['check', '-f', ex('shop'), '-', '-o', 'json'], { stdin: flows });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).items.map((i: { pass: boolean }) => i.pass)).toEqual([true, true]);
  });
});

describe('explain, matrix and check agree', () => {
  it.each(EXAMPLES)('on every pod pair of examples/%s', async (name) => {
    const { state, diagnostics } = await loadManifests([ex(name)]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const idx = new ClusterIndex(state);
    const pods = [...state.pods].filter((p) => !p.template);
    const specs: { port: number; protocol: Protocol }[] = [80, 53, 5432, 8080, 9090].flatMap((port) => (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol })));
    const matrix = computeMatrix(pods, specs, idx);
    const flows = specs.flatMap((s) => pods.flatMap((a) => pods.map((b) => ({ from: `${a.namespace}/${a.name}`, to: `${b.namespace}/${b.name}`, port: s.port, protocol: s.protocol, expect: 'allowed' as const }))));
    const checked = checkFlows(flows, 'default', idx);
    let k = 0;
    specs.forEach((s, pi) =>
      pods.forEach((a, i) =>
        pods.forEach((b, j) => {
          const viaExplain = explain({ from: `${a.namespace}/${a.name}`, to: `${b.namespace}/${b.name}`, port: s.port, protocol: s.protocol, namespace: 'default' }, idx).allowed;
          expect([matrix.allowed(pi, i, j), checked[k++]!.allowed], `${a.name} -> ${b.name} ${s.protocol}/${s.port}`).toEqual([viaExplain, viaExplain]);
        }),
      ),
    );
  });
});
