// Exit codes through the CLI, and the README's table of them: a missing or unusable kubeconfig is a
// cluster-configuration error (7), not a usage error (2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { ex, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let closedPort = 0;
beforeAll(async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedPort = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
});

const explain = ['explain', 'frontend/app', 'backend/db', '--port', '5432'];
/** No kubeconfig anywhere and not in a pod: HOME is an empty directory. */
const nowhere = () => ({ HOME: dir, NO_COLOR: '1' });

describe('exit codes', () => {
  it('0 allowed, 1 denied, 2 bad input or usage', async () => {
    expect((await runCli(['explain', '-f', ex('shop'), 'backend/api', 'backend/db', '--port', '5432'])).code).toBe(ExitCode.ok);
    expect((await runCli(['explain', '-f', ex('shop'), ...explain.slice(1)])).code).toBe(ExitCode.denied);
    expect((await runCli(['explain', '-f', ex('shop'), 'frontend/app'])).code).toBe(ExitCode.usage);
    expect((await runCli(['explain', '-f', ex('shop'), 'frontend/app', 'backend/nope'])).code).toBe(ExitCode.input);
  });

  it('7: no kubeconfig at all (and not running in a pod)', async () => {
    const r = await runCli(explain, { env: nowhere() });
    expect(r.code).toBe(ExitCode.config);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('no kubeconfig found');
    expect(r.stderr).toContain('pass --kubeconfig FILE or set KUBECONFIG; or analyse manifests instead with -f');
  });

  it.each([
    ['--kubeconfig that does not exist', (f: string) => ({ args: ['--kubeconfig', join(f, 'missing')], env: {} }), 'no such file'],
    ['KUBECONFIG whose files do not exist', (f: string) => ({ args: [], env: { KUBECONFIG: join(f, 'missing') } }), 'none of the KUBECONFIG files exist'],
    ['a kubeconfig that is not YAML', (f: string) => (writeFileSync(join(f, 'bad'), 'clusters: [\n'), { args: ['--kubeconfig', join(f, 'bad')], env: {} }), 'is not valid YAML'],
    ['--context it does not have', (f: string) => (writeFileSync(join(f, 'one'), JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }], 'current-context': 'c' })), { args: ['--kubeconfig', join(f, 'one'), '--context', 'prod'], env: {} }), 'no such context'],
  ])('7: %s', async (_name, setup, message) => {
    const { args, env } = setup(dir);
    const r = await runCli([...explain, ...args], { env: { ...nowhere(), ...env } });
    expect(r.code).toBe(ExitCode.config);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('3: the API server cannot be reached', async () => {
    const kc = join(dir, 'closed');
    writeFileSync(kc, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'k', cluster: { server: `https://127.0.0.1:${closedPort}` } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }], 'current-context': 'c' }));
    const r = await runCli([...explain, '--kubeconfig', kc], { env: nowhere() });
    expect(r.code).toBe(ExitCode.unreachable);
  });

  it('the README lists every exit code with its meaning', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Exit codes'));
    const documented = [...section.matchAll(/^\| (\d+) \| /gm)].map((m) => Number(m[1]));
    expect(documented).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
  });
});
