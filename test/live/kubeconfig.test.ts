// Kubeconfig resolution like kubectl: --kubeconfig, KUBECONFIG merging (first file wins), relative
// paths, --context/--cluster/--user/-n overrides, in-cluster config, --request-timeout syntax.
// Temp files only; no server.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { CliError, ExitCode } from '../../src/errors.js';
import { parseRequestTimeout, resolveKubeconfig, type KubeconfigFlags } from '../../src/sources/live/kubeconfig.js';
import { kubeconfigPaths, mergeKubeconfigFiles } from '../../src/sources/live/kubeconfig-files.js';

const root = mkdtempSync(join(tmpdir(), 'netpol-kc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** Writes a kubeconfig (JSON is YAML) into its own directory and returns its path. */
function kubeconfig(doc: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const path = join(dir, 'config');
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...doc }));
  return path;
}

const cluster = (name: string, server: string, extra: Record<string, unknown> = {}) => ({ name, cluster: { server, ...extra } });
const user = (name: string, u: Record<string, unknown>) => ({ name, user: u });
const context = (name: string, c: Record<string, unknown>) => ({ name, context: c });

const resolve = (flags: KubeconfigFlags, env: NodeJS.ProcessEnv = {}, serviceAccountDir?: string) =>
  resolveKubeconfig(flags, { env, cwd: root, ...(serviceAccountDir ? { serviceAccountDir } : {}) });

function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

const fileA = kubeconfig(
  {
    'current-context': 'ctx-a',
    clusters: [cluster('shared', 'https://a.example:6443/', { 'certificate-authority': 'certs/ca.crt' })],
    contexts: [context('ctx-a', { cluster: 'shared', user: 'ua', namespace: 'from-a' }), context('dup', { cluster: 'shared', user: 'ua', namespace: 'dup-a' })],
    users: [user('ua', { token: 'tok-a' })],
  },
  { 'certs/ca.crt': 'CA' },
);
const fileB = kubeconfig({
  'current-context': 'ctx-b',
  clusters: [cluster('shared', 'https://b.example:6443'), cluster('only-b', 'https://onlyb.example:6443', { 'tls-server-name': 'api.internal', 'proxy-url': 'http://proxy:3128' })],
  contexts: [context('ctx-b', { cluster: 'only-b', user: 'ub' }), context('dup', { cluster: 'only-b', user: 'ub', namespace: 'dup-b' })],
  users: [user('ub', { token: 'tok-b' }), user('ua', { token: 'tok-a-from-b' })],
});

describe('which files', () => {
  it('--kubeconfig is the only file, relative to the working directory', () => {
    expect(kubeconfigPaths({ kubeconfig: 'x/config' }, { env: { KUBECONFIG: fileA }, cwd: '/w' })).toEqual({ paths: ['/w/x/config'], explicit: true, from: '--kubeconfig' });
  });

  it('KUBECONFIG: a list, empty entries dropped, duplicates once', () => {
    const r = kubeconfigPaths({}, { env: { KUBECONFIG: [fileA, '', fileB, fileA].join(delimiter) }, cwd: '/w' });
    expect(r.paths).toEqual([fileA, fileB]);
    expect(r.explicit).toBe(false);
  });

  it('else ~/.kube/config', () => {
    expect(kubeconfigPaths({}, { env: { HOME: '/home/u' } }).paths).toEqual(['/home/u/.kube/config']);
  });
});

describe('merging KUBECONFIG files', () => {
  it('the first file sets current-context and wins for duplicate cluster, user and context names', () => {
    const r = resolve({}, { KUBECONFIG: [fileA, fileB].join(delimiter) });
    expect(r.contextName).toBe('ctx-a');
    expect(r.cluster.server).toBe('https://a.example:6443'); // trailing slash dropped
    expect(r.user.token).toBe('tok-a');
    expect(r.namespace).toBe('from-a');
    expect(r.namespaceSource).toBe('context');
    expect(r.files).toEqual([fileA, fileB]);
  });

  it('in the other order, the other file wins', () => {
    const r = resolve({}, { KUBECONFIG: [fileB, fileA].join(delimiter) });
    expect(r.contextName).toBe('ctx-b');
    expect(r.cluster).toMatchObject({ name: 'only-b', server: 'https://onlyb.example:6443', tlsServerName: 'api.internal', proxyUrl: 'http://proxy:3128' });
    expect(r.user.token).toBe('tok-b');
    expect(r.namespace).toBe('default');
    expect(r.namespaceSource).toBe('default');
    // the duplicate context `dup` comes from the first file
    expect(resolve({ context: 'dup' }, { KUBECONFIG: [fileB, fileA].join(delimiter) }).namespace).toBe('dup-b');
    expect(resolve({ context: 'dup' }, { KUBECONFIG: [fileA, fileB].join(delimiter) }).namespace).toBe('dup-a');
  });

  it('entries only in a later file are still available', () => {
    const r = resolve({ context: 'ctx-b' }, { KUBECONFIG: [fileA, fileB].join(delimiter) });
    expect(r.cluster.name).toBe('only-b');
    expect(r.user).toMatchObject({ name: 'ub', token: 'tok-b' });
  });

  it('a later file does not set current-context when an earlier one did, but does when none did', () => {
    const noCurrent = kubeconfig({ clusters: [cluster('c', 'https://c.example')], contexts: [context('cc', { cluster: 'c' })] });
    expect(resolve({}, { KUBECONFIG: [noCurrent, fileB].join(delimiter) }).contextName).toBe('ctx-b');
  });

  it('missing files in KUBECONFIG are ignored', () => {
    const r = resolve({}, { KUBECONFIG: [join(root, 'nope'), fileA].join(delimiter) });
    expect(r.contextName).toBe('ctx-a');
    const m = mergeKubeconfigFiles([join(root, 'nope'), fileA], false);
    expect(m.files).toEqual([fileA]);
  });

  it('a missing --kubeconfig is an error', () => {
    const e = cliError(() => resolve({ kubeconfig: join(root, 'nope') }));
    expect(e.message).toContain('no such file');
    expect(e.exitCode).toBe(ExitCode.config);
  });

  it('no file anywhere and not in a cluster: an error that says what was looked for', () => {
    const e = cliError(() => resolve({}, { KUBECONFIG: join(root, 'nope1') + delimiter + join(root, 'nope2') }));
    expect(e.message).toMatch(/no kubeconfig found .*nope1/);
    expect(e.hint).toContain('-f');
    expect(cliError(() => resolve({}, { HOME: join(root, 'no-home') })).message).toContain(join(root, 'no-home', '.kube', 'config'));
  });

  it('invalid YAML names the file', () => {
    const dir = join(root, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config'), 'clusters: [unclosed');
    expect(cliError(() => resolve({ kubeconfig: join(dir, 'config') })).message).toContain(join(dir, 'config'));
  });
});

describe('relative paths are relative to the file that holds them', () => {
  const path = kubeconfig(
    {
      'current-context': 'c',
      clusters: [cluster('k', 'https://k.example', { 'certificate-authority': 'pki/ca.crt' })],
      users: [
        user('cert', { 'client-certificate': 'pki/client.crt', 'client-key': '../shared/client.key' }),
        user('tf', { 'token-file': 'token' }),
        user('exec-rel', { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/login', args: ['--x'] } }),
        user('exec-path', { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token'], env: [{ name: 'AWS_PROFILE', value: 'p' }], installHint: 'install aws', provideClusterInfo: true, interactiveMode: 'Never' } }),
      ],
      contexts: [context('c', { cluster: 'k', user: 'cert' })],
    },
    { 'pki/ca.crt': 'CA', 'pki/client.crt': 'CRT', '../shared/client.key': 'KEY', token: '  secret-token \n' },
  );
  const dir = join(path, '..');

  it('certificate-authority, client-certificate, client-key', () => {
    const r = resolve({ kubeconfig: path });
    expect(r.cluster.caFile).toBe(join(dir, 'pki/ca.crt'));
    expect(r.user.clientCertificateFile).toBe(join(dir, 'pki/client.crt'));
    expect(r.user.clientKeyFile).toBe(join(dir, '../shared/client.key'));
  });

  it('token-file (read and trimmed)', () => {
    const r = resolve({ kubeconfig: path, user: 'tf' });
    expect(r.user.token).toBe('secret-token');
    expect(r.user.tokenFile).toBe(join(dir, 'token'));
  });

  it('an exec command with a slash; a bare command stays a PATH lookup', () => {
    expect(resolve({ kubeconfig: path, user: 'exec-rel' }).user.exec).toMatchObject({ command: join(dir, 'bin/login'), args: ['--x'], interactiveMode: 'IfAvailable', provideClusterInfo: false });
    expect(resolve({ kubeconfig: path, user: 'exec-path' }).user.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token'],
      env: [{ name: 'AWS_PROFILE', value: 'p' }],
      installHint: 'install aws',
      provideClusterInfo: true,
      interactiveMode: 'Never',
    });
  });

  it('a referenced file that does not exist is named', () => {
    const p = kubeconfig({ 'current-context': 'c', clusters: [cluster('k', 'https://k', { 'certificate-authority': 'missing.crt' })], contexts: [context('c', { cluster: 'k' })] });
    expect(cliError(() => resolve({ kubeconfig: p })).message).toContain(join(p, '..', 'missing.crt'));
  });
});

describe('--context, --cluster, --user, -n', () => {
  const env = { KUBECONFIG: [fileA, fileB].join(delimiter) };

  it('--cluster and --user override the context\'s choices, keeping its namespace', () => {
    const r = resolve({ context: 'dup', cluster: 'only-b', user: 'ub' }, env);
    expect(r.cluster.name).toBe('only-b');
    expect(r.user.name).toBe('ub');
    expect(r.namespace).toBe('dup-a');
  });

  it('-n wins over the context namespace', () => {
    const r = resolve({ namespace: 'explicit' }, env);
    expect(r.namespace).toBe('explicit');
    expect(r.namespaceSource).toBe('flag');
  });

  it('--cluster alone works without any context', () => {
    const p = kubeconfig({ clusters: [cluster('k', 'https://k.example')] });
    const r = resolve({ kubeconfig: p, cluster: 'k' });
    expect(r.cluster.server).toBe('https://k.example');
    expect(r.user.name).toBe('');
    expect(r.namespace).toBe('default');
  });

  it('unknown names are errors that list what exists', () => {
    let e = cliError(() => resolve({ context: 'nope' }, env));
    expect(e.message).toContain('--context nope');
    expect(e.hint).toContain('ctx-a, dup, ctx-b');
    e = cliError(() => resolve({ cluster: 'nope' }, env));
    expect(e.message).toContain('--cluster nope');
    expect(e.hint).toContain('shared, only-b');
    e = cliError(() => resolve({ user: 'nope' }, env));
    expect(e.hint).toContain('ua, ub');
  });

  it('a current-context that does not exist, and no current-context at all', () => {
    const dangling = kubeconfig({ 'current-context': 'gone', clusters: [cluster('k', 'https://k')], contexts: [context('c', { cluster: 'k' })] });
    expect(cliError(() => resolve({ kubeconfig: dangling })).message).toContain('current-context "gone"');
    const none = kubeconfig({ clusters: [cluster('k', 'https://k')], contexts: [context('c', { cluster: 'k' })] });
    const e = cliError(() => resolve({ kubeconfig: none }));
    expect(e.message).toContain('has no current-context');
    expect(e.hint).toContain('--context');
    expect(resolve({ kubeconfig: none, context: 'c' }).cluster.name).toBe('k');
  });

  it('a context naming a user or cluster that does not exist', () => {
    const p = kubeconfig({ 'current-context': 'c', clusters: [cluster('k', 'https://k')], contexts: [context('c', { cluster: 'k', user: 'ghost' }), context('d', { cluster: 'ghost' })] });
    expect(cliError(() => resolve({ kubeconfig: p })).message).toContain('user "ghost" of context "c"');
    expect(cliError(() => resolve({ kubeconfig: p, context: 'd' })).message).toContain('cluster "ghost" of context "d"');
  });
});

describe('user and cluster fields', () => {
  it('*-data wins over files; token wins over token-file; impersonation; TLS options', () => {
    const p = kubeconfig(
      {
        'current-context': 'c',
        clusters: [cluster('k', 'https://k', { 'certificate-authority': 'ca.crt', 'certificate-authority-data': 'Q0E=', 'insecure-skip-tls-verify': true, 'disable-compression': true })],
        users: [user('u', { token: 't', 'token-file': 'missing', 'client-certificate': 'c.crt', 'client-certificate-data': 'Q1JU', 'client-key-data': 'S0VZ', as: 'alice', 'as-groups': ['g1', 'g2'], 'as-uid': '42', username: 'basic', password: 'pw' })],
        contexts: [context('c', { cluster: 'k', user: 'u' })],
      },
      { 'ca.crt': 'CA', 'c.crt': 'CRT' },
    );
    const r = resolve({ kubeconfig: p });
    expect(r.cluster).toMatchObject({ caData: 'Q0E=', insecureSkipTLSVerify: true, disableCompression: true });
    expect(r.cluster.caFile).toBeUndefined();
    expect(r.user).toMatchObject({ token: 't', clientCertificateData: 'Q1JU', clientKeyData: 'S0VZ', impersonate: 'alice', impersonateGroups: ['g1', 'g2'], impersonateUid: '42', username: 'basic', password: 'pw' });
    expect(r.user.clientCertificateFile).toBeUndefined();
  });

  it('a client certificate without a key, a server that is not a URL, an exec without apiVersion', () => {
    const base = (u: Record<string, unknown>, server = 'https://k') =>
      kubeconfig({ 'current-context': 'c', clusters: [cluster('k', server)], users: [user('u', u)], contexts: [context('c', { cluster: 'k', user: 'u' })] });
    expect(cliError(() => resolve({ kubeconfig: base({ 'client-certificate-data': 'x' }) })).message).toContain('no client key');
    expect(cliError(() => resolve({ kubeconfig: base({}, 'not a url') })).message).toContain('not a URL');
    expect(cliError(() => resolve({ kubeconfig: base({ exec: { command: 'x' } }) })).message).toContain('no apiVersion');
    expect(cliError(() => resolve({ kubeconfig: base({ exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' } }) })).message).toContain('not supported');
  });
});

describe('in-cluster config', () => {
  const sa = join(root, 'sa');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'token'), 'sa-token\n');
  writeFileSync(join(sa, 'ca.crt'), 'CA');
  writeFileSync(join(sa, 'namespace'), 'team-x');
  const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', HOME: join(root, 'no-home') };

  it('is used when no kubeconfig file exists', () => {
    const r = resolve({}, env, sa);
    expect(r.inCluster).toBe(true);
    expect(r.cluster).toMatchObject({ server: 'https://10.96.0.1:443', caFile: join(sa, 'ca.crt') });
    expect(r.user.token).toBe('sa-token');
    expect(r.namespace).toBe('team-x');
    expect(r.namespaceSource).toBe('in-cluster');
  });

  it('POD_NAMESPACE, then -n, override the namespace file; IPv6 hosts get brackets', () => {
    expect(resolve({}, { ...env, POD_NAMESPACE: 'from-env' }, sa).namespace).toBe('from-env');
    expect(resolve({ namespace: 'flag' }, { ...env, POD_NAMESPACE: 'from-env' }, sa).namespace).toBe('flag');
    expect(resolve({}, { ...env, KUBERNETES_SERVICE_HOST: 'fd00::1' }, sa).cluster.server).toBe('https://[fd00::1]:443');
  });

  it('is not used when a kubeconfig exists, or without a token', () => {
    expect(resolve({}, { ...env, KUBECONFIG: fileA }, sa).inCluster).toBe(false);
    expect(cliError(() => resolve({}, env, join(root, 'empty-sa'))).message).toContain('no kubeconfig found');
  });
});

describe('--request-timeout', () => {
  it.each([
    [undefined, 0],
    ['0', 0],
    ['30', 30_000],
    ['10s', 10_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['300ms', 300],
    ['0s', 0],
  ])('%s -> %i ms', (v, ms) => {
    expect(parseRequestTimeout(v)).toBe(ms);
  });

  it.each(['abc', '-1s', '10x', '1m x', 's', ''])('rejects %j', (v) => {
    const e = cliError(() => parseRequestTimeout(v));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.hint).toContain('10s');
  });
});
