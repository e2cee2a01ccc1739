// Exec credential plugins run like kubectl runs them: KUBERNETES_EXEC_INFO in the env list, stdin
// not left open, a bounded wait with a message naming the plugin, one more run after a 401.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ExecPluginAuthenticator, execInfo, runExecPlugin } from '../../src/sources/live/exec.js';
import type { ExecConfig } from '../../src/sources/live/kubeconfig.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { connect, loadLive } from '../../src/sources/live/source.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const V1 = 'client.authentication.k8s.io/v1';
const cfg = (command: string, extra: Partial<ExecConfig> = {}): ExecConfig => ({ apiVersion: V1, command, args: [], env: [], provideClusterInfo: false, interactiveMode: 'IfAvailable', ...extra });

/** Echoes KUBERNETES_EXEC_INFO and $GREETING back inside the token. */
const echo = script(
  'echo-info',
  `printf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"%s"}}' "$(printf '%s|%s|%s' "$KUBERNETES_EXEC_INFO" "$GREETING" "$1" | base64 | tr -d '\\n')"`,
);
const decode = (token: string | undefined) => Buffer.from(token ?? '', 'base64').toString('utf8').split('|');

function stderrSink() {
  let text = '';
  return { write: (s: string) => (text += s), get text() { return text; } };
}

async function rejection(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('runExecPlugin', () => {
  it('passes KUBERNETES_EXEC_INFO (interactive false without a terminal), the env list and args', async () => {
    const status = await runExecPlugin(cfg(echo, { env: [{ name: 'GREETING', value: 'hi' }], args: ['arg1'] }), { env: { PATH: process.env.PATH }, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' });
    const [info, greeting, arg] = decode(status.token);
    expect(JSON.parse(info!)).toEqual({ apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } });
    expect(greeting).toBe('hi');
    expect(arg).toBe('arg1');
  });

  it('provideClusterInfo adds spec.cluster', () => {
    const info = JSON.parse(
      execInfo(cfg('x', { provideClusterInfo: true }), false, {
        name: 'k',
        server: 'https://k:6443',
        caData: 'Q0E=',
        insecureSkipTLSVerify: false,
        tlsServerName: 'api',
        disableCompression: false,
        execExtension: { audience: 'a' },
      }),
    );
    expect(info.spec.cluster).toEqual({ server: 'https://k:6443', 'certificate-authority-data': 'Q0E=', 'tls-server-name': 'api', config: { audience: 'a' } });
  });

  it('a plugin that prompts gets EOF on stdin instead of hanging', async () => {
    const prompt = script('prompt', `printf 'password: ' >&2\nif read pw; then printf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"%s"}}' "$pw"; else echo 'no input' >&2; exit 3; fi`);
    const err = stderrSink();
    const e = await rejection(runExecPlugin(cfg(prompt), { env: { PATH: process.env.PATH }, stderr: err, stdinIsTTY: false, userName: 'u', timeoutMs: 10_000 }));
    expect(e.message).toContain(`credential plugin ${prompt} (user "u") failed (exit code 3)`);
    expect(e.message).toContain('no input');
    expect(e.exitCode).toBe(ExitCode.unauthorized);
    expect(err.text).toContain('password: '); // its stderr is passed through
  });

  it('a plugin that never answers is killed after the time limit, with a notice naming it first', async () => {
    const slow = script('slow', 'sleep 30');
    const err = stderrSink();
    const started = Date.now();
    const e = await rejection(runExecPlugin(cfg(slow), { env: { PATH: process.env.PATH }, stderr: err, stdinIsTTY: false, userName: 'u', timeoutMs: 600, noticeAfterMs: 100 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err.text).toContain(`waiting for credential plugin ${slow} (user "u")`);
    expect(e.message).toContain(`credential plugin ${slow} (user "u") did not return a credential within 1 s`);
    expect(e.hint).toContain(slow);
    expect(e.exitCode).toBe(ExitCode.timeout);
  });

  it('interactiveMode Always without a terminal is refused at once', async () => {
    const e = await rejection(runExecPlugin(cfg(echo, { interactiveMode: 'Always' }), { env: {}, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' }));
    expect(e.message).toContain('needs an interactive terminal');
  });

  it('a missing command shows the installHint', async () => {
    const e = await rejection(runExecPlugin(cfg('netpol-no-such-plugin', { installHint: 'brew install it' }), { env: { PATH: process.env.PATH }, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' }));
    expect(e.message).toContain('command not found');
    expect(e.hint).toBe('brew install it');
  });

  it('output that is not an ExecCredential of the configured apiVersion is rejected', async () => {
    const wrongVersion = script('wrong-version', `echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'`);
    expect((await rejection(runExecPlugin(cfg(wrongVersion), { env: {}, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' }))).message).toContain('apiVersion');
    const garbage = script('garbage', 'echo hello');
    expect((await rejection(runExecPlugin(cfg(garbage), { env: {}, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' }))).message).toContain('no ExecCredential JSON');
    const empty = script('empty', `echo '{"apiVersion":"${V1}","kind":"ExecCredential","status":{}}'`);
    expect((await rejection(runExecPlugin(cfg(empty), { env: {}, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' }))).message).toContain('neither a token');
  });
});

describe('ExecPluginAuthenticator', () => {
  it('runs the plugin once per run and sets the bearer token', async () => {
    const counter = join(dir, 'count');
    writeFileSync(counter, '');
    const counting = script('counting', `echo x >> ${counter}\necho '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"tok"}}'`);
    const auth = new ExecPluginAuthenticator(cfg(counting), { env: { PATH: process.env.PATH }, stderr: stderrSink(), stdinIsTTY: false, userName: 'u' });
    const opts: { headers?: Record<string, unknown> } = {};
    await Promise.all([auth.applyAuthentication({}, opts), auth.applyAuthentication({}, {}), auth.applyAuthentication({}, {})]);
    await auth.applyAuthentication({}, {});
    expect(opts.headers?.['Authorization']).toBe('Bearer tok');
    expect(auth.runs).toBe(1);
    expect(auth.isAuthProvider({ authProvider: { name: ExecPluginAuthenticator.PROVIDER } })).toBe(true);
    expect(auth.isAuthProvider({})).toBe(false);
  });
});

describe('a 401 runs the plugin again, once', () => {
  /** A plain-http API server that accepts only `Bearer good` and records the tokens it saw. */
  async function server(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
    const seen: string[] = [];
    const srv = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      seen.push(auth);
      if (auth !== 'Bearer good') {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401, message: 'Unauthorized' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Namespace', metadata: { name: 'x' } }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => srv.close(() => r())) };
  }
  /** A plugin that prints the tokens given, one per run (the last one from then on), counting its runs. */
  function plugin(name: string, tokens: string[]): { command: string; runs(): number } {
    const counter = join(dir, `${name}.count`);
    writeFileSync(counter, '');
    const command = script(
      name,
      `echo x >> ${counter}\nn=$(wc -l < ${counter})\nset -- ${tokens.join(' ')}\n[ "$n" -gt $# ] && n=$#\neval t=\\\${$n}\necho '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"'"$t"'"}}'`,
    );
    return { command, runs: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
  }
  const kubeconfig = (url: string, command: string): string => {
    const p = join(dir, `kc-${Math.random().toString(36).slice(2)}`);
    writeFileSync(p, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', clusters: [{ name: 'k', cluster: { server: url } }], users: [{ name: 'u', user: { exec: { apiVersion: V1, command } } }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }] }));
    return p;
  };
  const ns = { verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'x' } as const;

  it('a revoked token: the plugin runs again and the request is sent again with the new token', async () => {
    const s = await server();
    const p = plugin('revoked', ['stale', 'good']);
    const client = await connect({ kubeconfig: kubeconfig(s.url, p.command) }, { stderr: stderrSink(), env: { PATH: process.env.PATH } });
    try {
      // Parallel requests that all get 401 share one new run of the plugin.
      await Promise.all([client.get(ns), client.get(ns), client.get(ns)]);
      await client.get(ns);
    } finally {
      client.close();
      await s.close();
    }
    expect(p.runs()).toBe(2);
    expect(s.seen.filter((a) => a === 'Bearer stale')).toHaveLength(3);
    expect(s.seen.filter((a) => a === 'Bearer good')).toHaveLength(4);
  });

  it('still 401 with the new credential: exit 4, and the plugin ran only twice', async () => {
    const s = await server();
    const p = plugin('always-bad', ['bad1', 'bad2', 'bad3']);
    const kc = kubeconfig(s.url, p.command);
    try {
      const err = await rejection(loadLive({ kubeconfig: kc }, { endpoints: ['x/a', 'x/b'] }, { stderr: stderrSink(), env: { PATH: process.env.PATH } }));
      expect(err.exitCode).toBe(ExitCode.unauthorized);
      expect(err.message).toContain('(401 Unauthorized)');
    } finally {
      await s.close();
    }
    expect(p.runs()).toBe(2);
    expect(new Set(s.seen)).toEqual(new Set(['Bearer bad1', 'Bearer bad2']));
  });
});
