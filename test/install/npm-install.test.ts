// The npm alternative to krew: `npm pack`, `npm install -g` of the tarball into a temporary prefix,
// and the installed command run the way a user's shell runs it (its shebang picks node from PATH).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, ROOT, sh, VERSION } from './helpers.js';

const NODE24_BIN = dirname(join(ROOT, 'node_modules', 'node', 'bin', 'node'));
let dir: string;
let prefix: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netpol-npm-'));
  prefix = join(dir, 'prefix');
  // --ignore-scripts: `prepare` would rebuild dist/ under the other tests' feet; npm test built it.
  const tarball = ok('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` } }).trim().split('\n').pop()!;
  ok('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}` } });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm install -g kubectl-netpol', () => {
  const bin = () => join(prefix, 'bin', 'kubectl-netpol');
  const env = (node: string) => ({ PATH: `${node}:/usr/bin:/bin`, NO_COLOR: '1', HOME: dir });

  it('packs only the bundle, LICENSE and README', () => {
    // node_modules: npm still installs the dependencies listed in package.json, which the bundle does not load.
    const files = readdirSync(join(prefix, 'lib', 'node_modules', 'kubectl-netpol')).filter((f) => f !== 'node_modules').sort();
    expect(files).toEqual(['LICENSE', 'README.md', 'dist', 'package.json']);
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'kubectl-netpol', 'dist')).sort()).toEqual(['chunks', 'cli.mjs', 'explain.mjs', 'kubectl-netpol.mjs']);
  });

  it('runs version and explain on Node 24', () => {
    expect(ok(bin(), ['version'], { env: env(NODE24_BIN) })).toMatch(new RegExp(`^kubectl-netpol ${VERSION.replaceAll('.', '\\.')}\ncommit: \\S+\nnode: v24\\.\\d+\\.\\d+ \\(linux/amd64, Node\\.js bundle\\)\n$`));
    const out = ok(bin(), ['explain', '-f', join(ROOT, 'examples', 'shop', 'manifests'), 'frontend/app', 'backend/api'], { env: env(NODE24_BIN) });
    expect(out.split('\n')[0]).toBe('ALLOWED  frontend/app -> backend/api  only TCP/8080');
  });

  // The machine's own Node is 20 (end of life): the stub must say what is needed, in one line.
  const oldNode = existsSync('/usr/bin/node') ? sh('/usr/bin/node', ['--version']).stdout.trim() : '';
  it.skipIf(!/^v(1\d|2[01])\./.test(oldNode))(`on an unsupported Node (${oldNode || 'none at /usr/bin/node'}) it prints one line naming the Node it needs, exit 2`, () => {
    const r = sh(bin(), ['version'], { env: env('/usr/bin') });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: kubectl-netpol needs Node.js >= 22.19, but /usr/bin/node is Node.js ${oldNode.slice(1)}; install a newer Node.js or use the standalone executable (no Node.js needed)\n`);
  });
});
