// Command-line edges a new user trips over: `--`, the help examples, a flows file given as a
// manifest, and the test script itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBuilder } from '../../cmd/commands/check.js';
import { explainBuilder } from '../../cmd/commands/explain.js';
import { ex, runCli } from './run-cli.js';

describe('positionals after --', () => {
  it.each([
    ['explain', ['explain', '-f', ex('shop'), '--port', '5432', '--', 'frontend/app', 'backend/db'], 1, /^DENIED {2}frontend\/app -> backend\/db {2}TCP\/5432/],
    ['explain, one before and one after', ['explain', '-f', ex('shop'), '--port', '5432', 'backend/api', '--', 'backend/db'], 0, /^ALLOWED {2}backend\/api -> backend\/db/],
    ['check', ['check', '-f', ex('shop'), '--', 'examples/shop/flows.yaml'], 0, /flows as expected/],
  ])('%s keeps them', async (_name, args, code, stdout) => {
    const run = await runCli(args as string[]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    expect(run.stdout).toMatch(stdout);
  });
});

/** The examples a command builder declares, read through a chainable recorder instead of yargs. */
function examplesOf(builder: (y: never) => unknown): string[] {
  const examples: string[] = [];
  const recorder: object = new Proxy({}, {
    get: (_t, prop) => (prop === 'example' ? (cmd: string) => (examples.push(cmd), recorder) : () => recorder),
  });
  builder(recorder as never);
  return examples;
}

describe('help examples', () => {
  it.each([
    ['explain', explainBuilder],
    ['check', checkBuilder],
  ])('every -f example of `%s --help` runs (no usage or input error)', async (_command, builder) => {
    const examples = examplesOf(builder as never).filter((e) => e.includes(' -f '));
    expect(examples.length).toBeGreaterThan(0);
    for (const e of examples) {
      // Paths in examples that stand for the user's own files: manifests/ and flows.yaml become the shop example.
      const args = e.replace(/^kubectl netpol /, '').split(/\s+/).map((a) => (a === 'manifests/' ? ex('shop') : a === 'flows.yaml' ? 'examples/shop/flows.yaml' : a));
      const run = await runCli(args);
      expect(run.stderr, e).toBe('');
      expect([0, 1], e).toContain(run.code);
    }
  });
});

describe('a flows file passed with -f', () => {
  it('is named as a flows file, with the check command to use instead', async () => {
    const run = await runCli(['explain', '-f', 'examples/shop', 'frontend/app', 'backend/svc/api']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('examples/shop/flows.yaml (document 1, line 1): this looks like a flows file (pass it to check), not a manifest');
    expect(run.stderr).toContain('hint: kubectl netpol check -f MANIFESTS examples/shop/flows.yaml');
    expect(run.stderr).not.toContain('object has no kind');
  });
});

describe('npm test', () => {
  it('type-checks (tsc --noEmit) before running the tests', () => {
    const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.test;
    const steps = script.split('&&').map((s) => s.trim());
    const tsc = steps.findIndex((s) => /^tsc\b.*--noEmit/.test(s));
    expect(tsc, script).toBeGreaterThanOrEqual(0);
    expect(tsc).toBeLessThan(steps.findIndex((s) => s.startsWith('vitest')));
  });
});
