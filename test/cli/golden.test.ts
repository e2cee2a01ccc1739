// Golden explain output, one per tier outcome. Regenerate with UPDATE_GOLDEN=1 after an intended change,
// then review the diff: these files are what a user reads.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ex, runCli } from './run-cli.js';

const cases: { name: string; args: string[]; code: number }[] = [
  { name: 'netpol-denied-both-sides', args: ['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432'], code: 1 },
  { name: 'netpol-allowed-named-port', args: ['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', 'postgres'], code: 0 },
  { name: 'netpol-ipblock-except', args: ['explain', '-f', ex('shop'), '10.10.99.7', 'frontend/app', '--port', '80'], code: 1 },
  { name: 'netpol-all-ports', args: ['explain', '-f', ex('shop'), 'frontend/app', 'backend/api'], code: 0 },
  { name: 'netpol-service-target', args: ['explain', '-f', ex('shop'), 'frontend/app', 'backend/svc/api'], code: 0 },
  { name: 'netpol-one-dash-namespace', args: ['explain', '-f', ex('bookstore'), 'ops/toolbox', 'bookstore/api', '--port', '8080'], code: 1 },
  { name: 'admin-allow', args: ['explain', '-f', ex('admin-tiers'), 'monitoring/prometheus-0', 'tenant-a/payments-db', '--port', 'metrics'], code: 0 },
  { name: 'admin-deny', args: ['explain', '-f', ex('admin-tiers'), 'ci/runner', 'tenant-a/payments-db', '--port', '5432'], code: 1 },
  { name: 'admin-pass-then-netpol', args: ['explain', '-f', ex('admin-tiers'), 'tenant-a/web', 'tenant-a/api', '--port', 'http'], code: 0 },
  { name: 'admin-pass-then-baseline-deny', args: ['explain', '-f', ex('admin-tiers'), 'tenant-b/client', 'tenant-a/web', '--port', '8080'], code: 1 },
  { name: 'admin-node-peer-deny', args: ['explain', '-f', ex('admin-tiers'), 'tenant-a/web', '172.18.0.3', '--port', '10250'], code: 1 },
  { name: 'cnp-accept-named-port', args: ['explain', '-f', ex('cluster-network-policy'), 'observability/prometheus-0', 'tenant-red/api', '--port', 'metrics'], code: 0 },
  { name: 'cnp-pass-then-baseline-deny', args: ['explain', '-f', ex('cluster-network-policy'), 'tenant-blue/shop', 'tenant-red/web', '--port', '8080'], code: 1 },
  { name: 'cnp-egress-networks-deny', args: ['explain', '-f', ex('cluster-network-policy'), 'tenant-red/web', '169.254.169.254', '--port', '80'], code: 1 },
  { name: 'default-allow-no-policies', args: ['explain', '-f', ex('admin-tiers'), 'tenant-a/web', 'kube-system/svc/kube-dns:dns'], code: 0 },
];

/** -o json goldens of the other kinds (test/cli/schema.test.ts validates every golden .json against docs/schema/). */
const dataCases: { name: string; args: string[]; code: number }[] = [
  { name: 'matrix-shop', args: ['matrix', '-f', ex('shop'), '-A', '--port', '5432', '--port', '8080', '-o', 'json'], code: 0 },
  { name: 'check-shop', args: ['check', '-f', ex('shop'), 'examples/shop/flows.yaml', '-o', 'json'], code: 0 },
  { name: 'check-failing-flows', args: ['check', '-f', ex('shop'), 'test/cli/fixtures/failing-flows.yaml', '-o', 'json'], code: 1 },
];

async function compareGolden(file: string, args: string[], code: number): Promise<void> {
  const run = await runCli([...args, '--color', 'never']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(code);
  const url = new URL(`./golden/${file}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(url)) {
    if (process.env.CI) throw new Error(`golden file ${file} is missing; run UPDATE_GOLDEN=1 npx vitest run test/cli locally`);
    writeFileSync(url, run.stdout);
  }
  expect(run.stdout).toBe(readFileSync(url, 'utf8'));
}

describe('explain golden text', () => {
  it.each(cases)('$name', ({ name, args, code }) => compareGolden(`${name}.txt`, args, code));
});

describe('golden -o json', () => {
  it.each(cases)('explain $name', ({ name, args, code }) => compareGolden(`${name}.json`, [...args, '-o', 'json'], code));
  it.each(dataCases)('$name', ({ name, args, code }) => compareGolden(`${name}.json`, args, code));
});
