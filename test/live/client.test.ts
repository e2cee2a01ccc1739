// Transport failures without an API server (a closed port, a socket that never answers), proxy
// environment rules, request paths, reference parsing and read plans.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ApiClient } from '../../src/sources/live/client.js';
import { proxyFromEnv } from '../../src/sources/live/proxy-env.js';
import { resolveKubeconfig } from '../../src/sources/live/kubeconfig.js';
import { ApiTransportError, requestPath } from '../../src/sources/live/request.js';
import { canICommand } from '../../src/sources/live/errors.js';
import { parseRef, selectorQuery } from '../../src/sources/live/refs.js';
import { loadLive, planFor } from '../../src/sources/live/source.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'netpol-client-'));
let blackHole: Server;
const sockets: Socket[] = [];
let blackHolePort = 0;
let closedPort = 0;

beforeAll(async () => {
  // Accepts connections and never says anything (not even a TLS hello).
  blackHole = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  blackHolePort = (blackHole.address() as { port: number }).port;
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as { port: number }).port;
  await new Promise((r) => tmp.close(r));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => blackHole.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfigFor(server: string): string {
  const p = join(dir, `kc-${server.replace(/\W/g, '_')}`);
  writeFileSync(
    p,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [{ name: 'k', cluster: { server } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
    }),
  );
  return p;
}

const io = () => {
  let text = '';
  return { stderr: { write: (s: string) => (text += s) }, env: {}, get text() { return text; } };
};

async function loadError(args: Parameters<typeof loadLive>[0]): Promise<CliError> {
  try {
    await loadLive(args, { endpoints: ['a/b', 'c/d'] }, io());
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('transport failures', () => {
  it('a closed port: unreachable, exit 3, naming the server', async () => {
    const server = `https://127.0.0.1:${closedPort}`;
    const e = await loadError({ kubeconfig: kubeconfigFor(server) });
    expect(e.message).toBe(`cannot reach the API server ${server}: connection refused (ECONNREFUSED)`);
    expect(e.exitCode).toBe(ExitCode.unreachable);
    expect(e.hint).toContain('context "c"');
  });

  it('a server that never answers: --request-timeout ends it, exit 6', async () => {
    const started = Date.now();
    const e = await loadError({ kubeconfig: kubeconfigFor(`https://127.0.0.1:${blackHolePort}`), 'request-timeout': '300ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.message).toMatch(/^request to https:\/\/127\.0\.0\.1:\d+ timed out after 300ms \(--request-timeout\): /);
    expect(e.exitCode).toBe(ExitCode.timeout);
  });

  it('without --request-timeout, a TLS handshake that never completes is still bounded (connect timeout)', async () => {
    const server = `https://127.0.0.1:${blackHolePort}`;
    const config = resolveKubeconfig({ kubeconfig: kubeconfigFor(server) }, { env: {} });
    const client = await ApiClient.connect(config, { timeoutMs: 0, connectTimeoutMs: 300, stderr: io().stderr, env: {} });
    try {
      const err = await client.get({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiTransportError);
      expect(err).toMatchObject({ kind: 'unreachable', code: 'ETIMEDOUT', detail: 'could not connect within 300ms' });
    } finally {
      client.close();
    }
  });

  it('through the CLI: exit codes and messages on stderr', async () => {
    const r = await runCli(['explain', 'a/b', 'c/d', '--kubeconfig', kubeconfigFor(`https://127.0.0.1:${closedPort}`)]);
    expect(r.code).toBe(ExitCode.unreachable);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: cannot reach the API server');
    const t = await runCli(['matrix', '-A', '--request-timeout', '1', '--kubeconfig', kubeconfigFor(`https://127.0.0.1:${blackHolePort}`)]);
    expect(t.code).toBe(ExitCode.timeout);
    expect(t.stderr).toContain('timed out after 1s');
  });

  it('a bad --request-timeout is a usage error', async () => {
    const r = await runCli(['matrix', '-A', '--request-timeout', 'soon', '--kubeconfig', kubeconfigFor(`https://127.0.0.1:${closedPort}`)]);
    expect(r.code).toBe(ExitCode.usage);
  });
});

describe('proxy environment (Go ProxyFromEnvironment rules)', () => {
  const url = (s: string) => new URL(s);
  it('HTTPS_PROXY for https servers, HTTP_PROXY for http, never for loopback', () => {
    expect(proxyFromEnv(url('https://api.example:6443'), { HTTPS_PROXY: 'proxy:3128' })).toBe('http://proxy:3128');
    expect(proxyFromEnv(url('https://api.example:6443'), { https_proxy: 'http://p:1' })).toBe('http://p:1');
    expect(proxyFromEnv(url('http://api.example'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFromEnv(url('http://api.example'), { HTTP_PROXY: 'http://p:2' })).toBe('http://p:2');
    expect(proxyFromEnv(url('https://127.0.0.1:6443'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFromEnv(url('https://localhost:6443'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });
  it('NO_PROXY: names, domain suffixes, CIDRs, ports, *', () => {
    const env = (no: string) => ({ HTTPS_PROXY: 'http://p:1', NO_PROXY: no });
    expect(proxyFromEnv(url('https://api.example:6443'), env('example'))).toBeUndefined();
    expect(proxyFromEnv(url('https://api.example:6443'), env('.example'))).toBeUndefined();
    expect(proxyFromEnv(url('https://api.example:6443'), env('other.example'))).toBe('http://p:1');
    expect(proxyFromEnv(url('https://10.1.2.3:6443'), env('10.0.0.0/8'))).toBeUndefined();
    expect(proxyFromEnv(url('https://10.1.2.3:6443'), env('192.168.0.0/16'))).toBe('http://p:1');
    expect(proxyFromEnv(url('https://api.example:6443'), env('api.example:443'))).toBe('http://p:1');
    expect(proxyFromEnv(url('https://api.example:6443'), env('api.example:6443'))).toBeUndefined();
    expect(proxyFromEnv(url('https://api.example:6443'), env('*'))).toBeUndefined();
  });
  // Go's net/http (httpproxy) rules for IPv6; before, `fd00::/8` was skipped and `fd00::10` was split at its colons.
  it.each([
    ['https://[fd00::10]:6443', 'fd00::/8', true],
    ['https://[fd00::10]:6443', 'fc00::/7', true],
    ['https://[fd00::10]:6443', '2001:db8::/32', false],
    ['https://[fd00::10]:6443', 'fd00::10', true],
    ['https://[fd00::10]:6443', 'fd00:0:0::10', true],
    ['https://[fd00::10]:6443', '[fd00::10]', true],
    ['https://[fd00::10]:6443', '[fd00::10]:6443', true],
    ['https://[fd00::10]:6443', '[fd00::10]:443', false],
    ['https://[fd00::10]:6443', 'fd00::11', false],
    ['https://[fd00::10]:6443', 'example.com, fd00::/8', true],
    ['https://10.1.2.3:6443', 'fd00::/8', false],
    ['https://10.1.2.3:6443', '10.1.2.3:6443', true],
    ['https://[2001:db8::1]', '[2001:db8::1]:443', true],
  ])('NO_PROXY for %s with %j: bypass %s', (server, no, bypass) => {
    expect(proxyFromEnv(url(server), { HTTPS_PROXY: 'http://p:1', NO_PROXY: no })).toBe(bypass ? undefined : 'http://p:1');
  });
  it.each(['https://[::1]:6443', 'https://[0:0::1]:6443', 'https://127.9.9.9'])('%s (loopback) never goes through a proxy', (server) => {
    expect(proxyFromEnv(url(server), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });
});

describe('requests', () => {
  it('paths for core, grouped, namespaced, named, discovery', () => {
    expect(requestPath({ verb: 'list', group: '', version: 'v1', resource: 'pods', query: { limit: 500, continue: undefined } })).toBe('/api/v1/pods?limit=500');
    expect(requestPath({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'shop' })).toBe('/api/v1/namespaces/shop');
    expect(requestPath({ verb: 'list', group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespace: 'a b' })).toBe('/apis/networking.k8s.io/v1/namespaces/a%20b/networkpolicies');
    expect(requestPath({ verb: 'list', group: '', version: 'v1', resource: 'pods', query: { fieldSelector: 'status.podIP=10.0.0.1' } })).toBe('/api/v1/pods?fieldSelector=status.podIP%3D10.0.0.1');
    expect(requestPath({ verb: 'get', group: 'policy.networking.k8s.io', version: '', resource: '' })).toBe('/apis/policy.networking.k8s.io');
  });

  it('kubectl auth can-i commands repeat the identity flags', () => {
    const ctx = { config: {} as never, kubectlFlags: ['--context prod'], timeoutMs: 0 };
    expect(canICommand({ verb: 'list', group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', namespace: 'shop' }, ctx)).toBe('kubectl auth can-i list networkpolicies.networking.k8s.io -n shop --context prod');
    expect(canICommand({ verb: 'list', group: '', version: 'v1', resource: 'pods' }, ctx)).toBe('kubectl auth can-i list pods --all-namespaces --context prod');
    expect(canICommand({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'shop' }, { ...ctx, kubectlFlags: [] })).toBe('kubectl auth can-i get namespaces/shop');
    expect(canICommand({ verb: 'list', group: 'policy.networking.k8s.io', version: 'v1alpha1', resource: 'adminnetworkpolicies' }, { ...ctx, kubectlFlags: [] })).toBe(
      'kubectl auth can-i list adminnetworkpolicies.policy.networking.k8s.io',
    );
  });
});

describe('references and plans', () => {
  it.each([
    ['shop/web', { kind: 'pod', namespace: 'shop', name: 'web' }],
    ['web', { kind: 'pod', namespace: 'dflt', name: 'web' }],
    ['pod/web', { kind: 'pod', namespace: 'dflt', name: 'web' }],
    ['shop/deploy/web', { kind: 'workload', namespace: 'shop', workload: 'Deployment', name: 'web' }],
    ['cj/nightly', { kind: 'workload', namespace: 'dflt', workload: 'CronJob', name: 'nightly' }],
    ['shop/svc/api:http', { kind: 'service', namespace: 'shop', name: 'api' }],
    ['node/n1', { kind: 'node', name: 'n1' }],
    ['10.0.0.7', { kind: 'ip', ip: '10.0.0.7' }],
    ['fd00::7', { kind: 'ip', ip: 'fd00::7' }],
    ['10.0.0.0/8', { kind: 'unknown' }],
    ['a/b/c/d', { kind: 'unknown' }],
    ['shop/widget/x', { kind: 'unknown' }],
  ])('%s', (ref, plan) => {
    expect(parseRef(ref, 'dflt')).toEqual(plan);
  });

  it('label selectors in query syntax', () => {
    expect(
      selectorQuery({
        matchLabels: { app: 'web', tier: 'fe' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists' },
          { key: 'z', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=fe,env in (a,b),x notin (c),y,!z');
    expect(selectorQuery({})).toBe('');
  });

  it('explain reads endpoints; matrix one namespace or all; check with many references reads all', () => {
    expect(planFor({ endpoints: ['a/b', 'c/d'] }, 'dflt')).toEqual({ mode: 'endpoints', refs: ['a/b', 'c/d'] });
    expect(planFor({ endpoints: ['a/b', 'a/b'] }, 'dflt')).toEqual({ mode: 'endpoints', refs: ['a/b'] });
    expect(planFor({ namespaces: [''] }, 'dflt')).toEqual({ mode: 'namespace', namespace: 'dflt' });
    expect(planFor({ namespaces: ['x'] }, 'dflt')).toEqual({ mode: 'namespace', namespace: 'x' });
    expect(planFor({ namespaces: 'all' }, 'dflt')).toEqual({ mode: 'all', services: false });
    expect(planFor({ endpoints: ['a/b', 'c/d', 'e/f'] }, 'dflt')).toEqual({ mode: 'all', services: false, namespaces: ['a', 'c', 'e'] });
    expect(planFor({ endpoints: ['a/b', 'c/d', 'e/svc/f'] }, 'dflt')).toEqual({ mode: 'all', services: true, namespaces: ['a', 'c', 'e'] });
    expect(planFor({ endpoints: ['a/b', 'x', '10.0.0.1'] }, 'dflt')).toEqual({ mode: 'all', services: true, namespaces: ['a', 'dflt'] });
  });
});
