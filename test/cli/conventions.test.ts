// kubectl-like command-line conventions and loader error messages.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ex, runCli } from './run-cli.js';

describe('flags', () => {
  it('a flag without its value is a usage error pointing at the command help, not an internal error', async () => {
    const run = await runCli(['explain', 'a', 'b', '-n']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stderr).toContain('error: Not enough arguments following: n');
    expect(run.stderr).toContain('hint: see kubectl netpol explain --help');
  });

  it('-f takes comma-separated paths like kubectl', async () => {
    const files = ['namespaces', 'networkpolicies', 'nodes', 'pods', 'services', 'workloads'].map((f) => `${ex('bookstore')}/${f}.yaml`);
    const run = await runCli(['explain', '-f', files.slice(0, 3).join(','), '-f', files.slice(3).join(','), 'bookstore/shipping', 'bookstore/api', '--port', '8080']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DENIED {2}bookstore\/shipping -> bookstore\/api/);
  });

  it('-v=N is a kubectl log level: refused with a pointer to --verbose, never taken as --verbose', async () => {
    for (const flag of ['-v=6', '--v=6', '-v']) {
      const run = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432', flag]);
      expect(run.code, flag).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('-v/--v log levels are not supported; use --verbose');
    }
    const verbose = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '5432', '--verbose']);
    expect(verbose.code).toBe(1);
  });

  it('explain refuses a repeated --port or --protocol', async () => {
    const port = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--port', '80', '--port', '5432']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('explain takes one --port; use matrix or check for several');
    const proto = await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/db', '--protocol', 'tcp', '--protocol', 'udp']);
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('explain takes one --protocol');
    expect(proto.stderr).not.toContain('internal error');
  });

  it('bare kubectl netpol prints the help on stdout and exits 0', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Usage: kubectl netpol <command> [options]');
  });

  it('explain --help lists rs among the workload kinds', async () => {
    expect((await runCli(['explain', '--help'])).stdout).toMatch(/deploy, sts, ds, rs, job/);
  });

  it('usage errors of a command point at that command\'s help', async () => {
    const run = await runCli(['matrix', '-f', ex('shop'), '--nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: see kubectl netpol matrix --help');
  });
});

describe('loader errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-cli-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   oops: [\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a YAML syntax error names the file and document once, and does not claim the rest was used', async () => {
    const run = await runCli(['explain', '-f', bad, 'a/b', 'c/d']);
    expect(run.code).toBe(2);
    expect(run.stderr.split(bad)).toHaveLength(2);
    expect(run.stderr).toContain(`  ${bad}: document 1: YAML syntax error at line 5`);
    expect(run.stderr).not.toMatch(/document skipped|other documents were loaded/);
    expect(run.stderr).toContain('error: 1 problem in the input manifests; no verdict was computed (every invalid document or object would otherwise be ignored');
  });

  it('a missing -f path gets a hint about the path, not about objects', async () => {
    const run = await runCli(['explain', '-f', 'examples/nope', 'a/b', 'c/d']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('  examples/nope: no such file or directory\n    hint: check the path; -f takes files, directories or -');
    expect(run.stderr.split('examples/nope')).toHaveLength(2);
    expect(run.stderr).not.toContain('objects named above');
  });
});
