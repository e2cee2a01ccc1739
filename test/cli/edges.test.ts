// Command-line edges a new user trips over: `--`, the help examples, a flows file given as a
// manifest, and the test script itself.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('check skips its own flows file inside a -f directory', async () => {
    const run = await runCli(['check', '-f', 'examples/shop', 'examples/shop/flows.yaml']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^(\d+) of \1 flows as expected$/m);
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

describe('smaller edges', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-edges-'));
  const manifests = join(dir, 'm.yaml');
  writeFileSync(
    manifests,
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: backend, labels: {app: db}}
spec: {containers: [{name: c, image: i}]}
status: {phase: Running, podIP: 10.1.0.5}
`,
  );
  const policy = (types: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: backend}\nspec: {podSelector: {}, policyTypes: [${types}]}\n`;
  const first = join(dir, 'policy-1.yaml');
  const second = join(dir, 'policy-2.yaml');
  writeFileSync(first, policy('Egress'));
  writeFileSync(second, policy('Ingress'));

  it('a duplicate object: one warning, the later one is used, and the verdict is computed', async () => {
    const run = await runCli(['explain', '-f', manifests, '-f', first, '-f', second, 'shop/deploy/web', 'backend/db', '--port', '80']);
    expect(run.stderr).toMatch(/^warning: .*duplicate NetworkPolicy backend\/db: defined in .*policy-1\.yaml \(document 1\) and again in .*policy-2\.yaml \(document 1\); using the later one/);
    expect(run.stderr).not.toContain('no verdict was computed');
    // The later policy isolates db for ingress: denied (the earlier one, Egress only, would allow it).
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^DENIED {2}shop\/deploy\/web -> backend\/db/);
  });

  it('a bare name that is a workload without pods says it uses the pod template', async () => {
    const run = await runCli(['explain', '-f', manifests, 'shop/web', 'backend/db', '--port', '80']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('note: no pod named web in namespace shop: using the pod template of Deployment shop/web (write shop/deploy/web to name it)');
  });

  it('a pod looked up in the wrong namespace suggests the one namespace that has it', async () => {
    const run = await runCli(['explain', '-f', manifests, 'db', 'shop/deploy/web']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: pod default/db not found\nhint: did you mean backend/db? (give NAMESPACE/POD, or -n backend)');
  });

  it('an empty directory says so instead of "pod not found"', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    const run = await runCli(['explain', '-f', empty, 'a/b', 'c/d']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${empty}: the directory has no manifests`);
    expect(run.stderr).not.toContain('not found');
  });

  it('an input without objects says so instead of "pod not found"', async () => {
    const blank = join(dir, 'blank.yaml');
    writeFileSync(blank, '# nothing yet\n---\n');
    const run = await runCli(['explain', '-f', blank, 'a/b', 'c/d']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: the input manifests (${blank}) hold no Kubernetes objects`);
    expect(run.stderr).not.toContain('not found');
  });
});

describe('first impression under an old system Node', () => {
  it('npm ci prints no EBADENGINE warnings: the project .npmrc logs errors only', () => {
    // Measured with the machine's Node 20 + npm 11: without this, `npm ci` prints 40 lines of
    // EBADENGINE warnings (packages that need Node >= 22 never run on it: the node devDependency runs them).
    const npmrc = readFileSync('.npmrc', 'utf8');
    expect(npmrc).toMatch(/^loglevel=error$/m);
  });
});
