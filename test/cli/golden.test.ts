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

describe('explain golden text', () => {
  it.each(cases)('$name', async ({ name, args, code }) => {
    const run = await runCli([...args, '--color', 'never']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    const file = new URL(`./golden/${name}.txt`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.CI) throw new Error(`golden file ${name}.txt is missing; run UPDATE_GOLDEN=1 npx vitest run test/cli locally`);
      writeFileSync(file, run.stdout);
    }
    expect(run.stdout).toBe(readFileSync(file, 'utf8'));
  });
});
