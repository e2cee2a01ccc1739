// kubectl netpol lint through the CLI: goldens per output format (text, JSON, SARIF validated against
// the official SARIF 2.1.0 schema), the config file, the lint-ignore annotation, --fail-on and exit codes.
import { readFileSync, writeFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { golden } from './golden-file.js';
import { runCli } from './run-cli.js';

const F = 'test/cli/fixtures/lint';
const CONFIG = 'test/cli/fixtures/lint-config.yaml';


describe('lint goldens', () => {
  it.each([
    ['lint.txt', ['--color', 'never']],
    ['lint.json', ['-o', 'json']],
    ['lint.sarif', ['-o', 'sarif']],
  ])('%s', async (name, extra) => {
    const run = await runCli(['lint', '-f', F, ...extra]);
    expect(run.code).toBe(1); // one error (named-port-not-declared) at the default --fail-on error
    golden(name, run.stdout);
  });
});

describe('lint -o sarif', () => {
  it('validates against the official SARIF 2.1.0 schema, with file and line for every -f finding', async () => {
    const schema = JSON.parse(readFileSync('test/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, logger: false }).compile(schema);
    const sarif = JSON.parse((await runCli(['lint', '-f', F, '-o', 'sarif'])).stdout);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results as { ruleId: string; locations: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.locations[0]!.physicalLocation?.artifactLocation.uri).toMatch(/^test\/cli\/fixtures\/lint\/(cluster|policies)\.yaml$/);
      expect(r.locations[0]!.physicalLocation?.region?.startLine).toBeGreaterThan(0);
    }
    // Without a file (stdin, or a live cluster) a result has only the object as a logical location: still valid.
    const fromStdin = JSON.parse((await runCli(['lint', '-f', '-', '-o', 'sarif'], { stdin: readFileSync(`${F}/policies.yaml`, 'utf8') + '\n---\n' + readFileSync(`${F}/cluster.yaml`, 'utf8') })).stdout);
    expect(fromStdin.runs[0].results.length).toBeGreaterThan(0);
    expect(fromStdin.runs[0].results.every((r: { locations: { physicalLocation?: unknown }[] }) => r.locations[0]!.physicalLocation === undefined)).toBe(true);
    expect(validate(fromStdin), JSON.stringify(validate.errors)).toBe(true);
    // The schema check is real: a broken document fails it.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
  });
});

describe('lint findings point at the field', () => {
  it('file:line of the field, also inside a kind: List document', async () => {
    const items = JSON.parse((await runCli(['lint', '-f', F, '-o', 'json'])).stdout).items as { rule: string; file: string; line: number; field: string }[];
    const at = (rule: string) => items.find((i) => i.rule === rule)!;
    const lines = readFileSync(`${F}/policies.yaml`, 'utf8').split('\n');
    expect(lines[at('named-port-not-declared').line - 1]).toContain('port: postgresql');
    expect(lines[at('ipblock-host-bits').line - 1]).toContain('cidr: 10.0.1.1/16');
    expect(lines[at('empty-egress-does-not-isolate').line - 1]).toContain('egress: []');
    expect(lines[at('policy-selects-no-pods').line - 1]).toContain('podSelector:');
  });
});

describe('lint config, annotations and --fail-on', () => {
  it('the lint-ignore annotation silences its object only: a Namespace for namespace rules, "*" for every rule', async () => {
    const data = JSON.parse((await runCli(['lint', '-f', F, '-o', 'json'])).stdout);
    const objects = (data.items as { object: { name: string } }[]).map((i) => i.object.name);
    expect(objects).not.toContain('legacy');
    expect(objects).not.toContain('quiet');
    expect(data.summary.suppressed).toBe(3);
  });

  it('the config disables rules, overrides severities and exempts namespaces by glob', async () => {
    const base = JSON.parse((await runCli(['lint', '-f', F, '-o', 'json'])).stdout);
    const run = await runCli(['lint', '-f', F, '-o', 'json', '--config', CONFIG, '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const data = JSON.parse(run.stdout);
    expect(data.skipped).toContainEqual({ rule: 'namespace-default-deny-egress', reason: 'disabled in the config' });
    expect(data.items.find((i: { rule: string }) => i.rule === 'ipblock-host-bits').severity).toBe('error');
    expect(base.items.find((i: { rule: string }) => i.rule === 'ipblock-host-bits').severity).toBe('warning');
  });

  it.each([
    ['error', 1],
    ['warning', 1],
    ['none', 0],
  ])('--fail-on %s exits %i', async (level, code) => {
    expect((await runCli(['lint', '-f', F, '--fail-on', level])).code).toBe(code);
  });

  it('--fail-on error passes when only warnings remain', async () => {
    const run = await runCli(['lint', '-f', `${F}/cluster.yaml`, '--fail-on', 'error']);
    expect(run.stdout).toContain('warning');
    expect(run.code).toBe(0);
  });

  it('a config with an unknown rule is bad input naming the field and the known rules', async () => {
    const run = await runCli(['lint', '-f', F, '--config', 'test/cli/fixtures/lint-config-bad.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('disabledRules[0]: unknown rule "no-such-rule"');
    expect(run.stderr).toContain('redundant-rule');
  });
});

describe('lint lines in JSON manifests', () => {
  it('a kubectl get -o json style List points at the field line too', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { loadAll } = await import('js-yaml');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'netpol-lint-json-'));
    try {
      const items = readFileSync(`${F}/cluster.yaml`, 'utf8') + '\n---\n' + readFileSync(`${F}/policies.yaml`, 'utf8');
      const objects = (loadAll(items) as Record<string, unknown>[]).flatMap((o) => (o['kind'] === 'List' ? (o['items'] as unknown[]) : [o]));
      const file = join(dir, 'all.json');
      writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2));
      const data = JSON.parse((await runCli(['lint', '-f', file, '-o', 'json'])).stdout);
      const lines = readFileSync(file, 'utf8').split('\n');
      const f = (data.items as { rule: string; line: number }[]).find((i) => i.rule === 'named-port-not-declared')!;
      expect(lines[f.line - 1]).toContain('"port": "postgresql"');
      const e = (data.items as { rule: string; line: number }[]).find((i) => i.rule === 'empty-egress-does-not-isolate')!;
      expect(lines[e.line - 1]).toContain('"egress": []');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
