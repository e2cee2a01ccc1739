// The -o json|yaml contract: every golden .json and a set of generated outputs (every pod pair of
// every example, with and without --port, matrix and check, json and yaml) validate against the
// JSON Schemas in docs/schema/ (draft 2020-12), and the schemas' id enums follow the code.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { NoteId, Reason } from '../../src/engine/reasons.js';
import { API_VERSION, Kind } from '../../src/render/contract.js';
import { ex, runCli } from './run-cli.js';

const schemaDir = new URL('../../docs/schema/', import.meta.url);
const readJson = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const kebab = (kind: string) => kind.replace(/[a-z][A-Z]/g, (m) => `${m[0]}-${m[1]}`).toLowerCase();

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(readJson(new URL('common.schema.json', schemaDir)));
const validators = new Map<string, ValidateFunction>();
for (const kind of Object.values(Kind)) validators.set(kind, ajv.compile(readJson(new URL(`${kebab(kind)}.schema.json`, schemaDir))));

/** Fails with the schema errors (path and message) when `doc` is not a valid document of its kind. */
function expectValid(doc: unknown, what: string): void {
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  expect(d.apiVersion, `${what}: apiVersion`).toBe(API_VERSION);
  const validate = validators.get(String(d.kind));
  expect(validate, `${what}: kind ${String(d.kind)} has a schema`).toBeDefined();
  if (!validate!(doc)) expect.fail(`${what} does not match docs/schema/${kebab(String(d.kind))}.schema.json:\n${ajv.errorsText(validate!.errors, { separator: '\n' })}`);
}

describe('docs/schema', () => {
  it('has one schema per kind, draft 2020-12, with the kind as a constant', () => {
    const files = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual(['common.schema.json', ...Object.values(Kind).map((k) => `${kebab(k)}.schema.json`)].sort());
    for (const kind of Object.values(Kind)) {
      const s = readJson(new URL(`${kebab(kind)}.schema.json`, schemaDir));
      expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(s.properties.kind).toEqual({ const: kind });
    }
  });

  it('lists exactly the reason ids and note ids of src/engine/reasons.ts', () => {
    const defs = readJson(new URL('common.schema.json', schemaDir)).$defs;
    expect([...defs.reasonId.enum].sort()).toEqual(Object.values(Reason).sort());
    expect([...defs.noteId.enum].sort()).toEqual(Object.values(NoteId).sort());
  });

  it('rejects what breaks the contract (a missing kind, an unknown reason, an extra field)', () => {
    const good = readJson(new URL('./golden/netpol-denied-both-sides.json', import.meta.url));
    const explanation = validators.get(Kind.Explanation)!;
    expect(explanation(good)).toBe(true);
    expect(explanation({ ...good, kind: undefined })).toBe(false);
    const badReason = structuredClone(good);
    badReason.paths[0].ranges[0].reason = 'somethingNew';
    expect(explanation(badReason)).toBe(false);
    expect(explanation({ ...good, surprise: 1 })).toBe(false);
  });
});

describe('every golden -o json output validates', () => {
  const goldenDir = new URL('./golden/', import.meta.url);
  const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.json'));
  it('there are goldens of every kind', () => {
    const kinds = new Set(goldens.map((f) => readJson(new URL(f, goldenDir)).kind));
    expect([...kinds].sort()).toEqual(Object.values(Kind).sort());
  });
  it.each(goldens)('%s', (f) => expectValid(readJson(new URL(f, goldenDir)), f));
});

describe('generated outputs validate', () => {
  const examples = readdirSync(new URL('../../examples/', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  /** Pods of each example, from its matrix. */
  const pods = new Map<string, string[]>();
  beforeAll(async () => {
    for (const e of examples) {
      const run = await runCli(['matrix', '-f', ex(e), '-A', '--by', 'pod', '--port', '80', '-o', 'json']);
      pods.set(e, [...new Set((JSON.parse(run.stdout) as { items: { from: string }[] }).items.map((i) => i.from))]);
    }
  });

  it.each(examples)('%s: matrix -A and check, as json and as yaml', async (e) => {
    for (const args of [
      ['matrix', '-f', ex(e), '-A', '--port', '80', '--port', '8080', '--protocol', 'TCP', '--protocol', 'UDP'],
      ['matrix', '-f', ex(e), '-A'],
      ['matrix', '-f', ex(e), '-A', '--by', 'pod', '--port', 'http'],
      ['check', '-f', ex(e), `examples/${e}/flows.yaml`],
    ]) {
      const json = await runCli([...args, '-o', 'json']);
      expectValid(JSON.parse(json.stdout), `${args.join(' ')} -o json`);
      const yaml = await runCli([...args, '-o', 'yaml']);
      expect(load(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    }
  });

  it.each(examples)('%s: explain for every pod pair with --port (and from the first 2 pods without), and check expecting all of them allowed', async (e) => {
    const names = pods.get(e)!;
    expect(names.length).toBeGreaterThan(2);
    const flows: string[] = ['flows:'];
    let n = 0;
    for (const from of names)
      for (const to of names) {
        // Without --port every range is evaluated: slower, so for fewer pairs.
        for (const port of names.indexOf(from) < 2 ? [['--port', '8080'], []] : [['--port', '8080']]) {
          const run = await runCli(['explain', '-f', ex(e), from, to, ...port, '-o', 'json']);
          expect(run.code, `${from} -> ${to} ${port.join(' ')}: ${run.stderr}`).toBeLessThan(2);
          expectValid(JSON.parse(run.stdout), `explain ${from} ${to} ${port.join(' ')}`);
          n++;
        }
        flows.push(`  - {from: ${from}, to: ${to}, port: 8080, expect: allowed}`);
      }
    expect(n).toBe(names.length * names.length + 2 * names.length);
    // Failing flows carry fixes: validate those too.
    const check = await runCli(['check', '-f', ex(e), '-', '-o', 'json'], { stdin: flows.join('\n') + '\n' });
    const doc = JSON.parse(check.stdout);
    expectValid(doc, `check (every pair of ${e} expected allowed)`);
    if (doc.items.some((i: { pass: boolean }) => !i.pass)) expect(doc.items.some((i: { fixes: unknown[] }) => i.fixes.length > 0)).toBe(true);
  });
});
