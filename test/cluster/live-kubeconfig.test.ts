// Kubeconfig handling against the real API server: several files (first wins), contexts and their
// namespaces, relative paths, exec plugins, TLS (CA, tls-server-name, insecure), proxy-url,
// in-cluster config, and the errors for 401, TLS and unreachable servers.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { loadLive } from '../../src/sources/live/source.js';
import { ExitCode } from '../../src/errors.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, apply, namespace, pod, remove, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
// These tests build kubeconfigs from the harness's (static token, embedded CA) and create pods with
// made-up IPs: only against the local test server, never a real cluster.
const external = cluster.external;
const suffix = randomBytes(3).toString('hex');
const nsA = `kc-a-${suffix}`;
const nsB = `kc-b-${suffix}`;
const dir = mkdtempSync(join(tmpdir(), 'netpol-live-kc-'));

const adminKc = JSON.parse(readFileSync(cluster.kubeconfigPath, 'utf8'));
const server: string = adminKc.clusters[0].cluster.server;
const caData: string = adminKc.clusters[0].cluster['certificate-authority-data'];
const adminUser = adminKc.users[0];
const adminToken: string = adminUser.user.token;
const limitedKc = cluster.limitedKubeconfigPath ? JSON.parse(readFileSync(cluster.limitedKubeconfigPath, 'utf8')) : undefined;
const port = new URL(server).port;

let closedPort = 0;
let client: ApiClient;
const objects: Obj[] = [
  namespace(nsA, { team: 'a' }),
  namespace(nsB, { team: 'b' }),
  pod(nsA, 'web', { app: 'web' }, '10.250.1.1'),
  pod(nsB, 'web', { app: 'web' }, '10.250.2.1'),
  pod(nsB, 'db', { app: 'db' }, '10.250.2.2'),
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db-from-a', namespace: nsB },
    spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }] },
  },
];

beforeAll(async () => {
  if (external) return;
  client = await adminClient(cluster.kubeconfigPath);
  await apply(client, objects);
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as { port: number }).port;
  await new Promise((r) => tmp.close(r));
});

afterAll(async () => {
  if (external) return;
  await remove(client, objects);
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function write(doc: Obj, name = `kc${n++}`): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...doc }));
  return p;
}

const clusterEntry = (name: string, extra: Obj = {}, srv = server): Obj => ({ name, cluster: { server: srv, 'certificate-authority-data': caData, ...extra } });
const ctx = (name: string, clusterName: string, user: string, ns?: string): Obj => ({ name, context: { cluster: clusterName, user, ...(ns ? { namespace: ns } : {}) } });
const single = (clusterExtra: Obj = {}, srv = server, user: Obj = adminUser): string =>
  write({ 'current-context': 'c', clusters: [clusterEntry('k', clusterExtra, srv)], users: [user], contexts: [ctx('c', 'k', user.name, nsA)] });

/** explain nsA/web -> nsB/db: allowed (namespaceSelector team=a); exit 0. */
const explainArgs = (ref = `${nsA}/web`) => ['explain', ref, `${nsB}/db`, '--port', '8080'];
/** Success: nothing on stderr but warnings (the test server has no CNI, which is a limitation). */
const expectNoError = (stderr: string): void => {
  for (const line of stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^warning: /);
};
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { env: { NO_COLOR: '1', HOME: join(dir, 'no-home'), ...env } });

describe.skipIf(external)('several kubeconfig files (KUBECONFIG)', () => {
  // first.yaml: the admin context (namespace nsA) and the real cluster.
  // second.yaml: the same names pointing elsewhere (cluster -> a closed port, admin -> a bad token),
  // plus a context for the limited user, and its own current-context.
  const files = () => {
    const first = write({ 'current-context': 'admin', clusters: [clusterEntry('test')], users: [adminUser], contexts: [ctx('admin', 'test', adminUser.name, nsA)] }, 'first.yaml');
    const second = write(
      {
        'current-context': 'limited',
        clusters: [clusterEntry('test', {}, `https://127.0.0.1:${closedPort}`), clusterEntry('real')],
        users: [{ name: adminUser.name, user: { token: 'wrong' } }, ...(limitedKc ? [limitedKc.users[0]] : [])],
        contexts: [ctx('admin', 'real', adminUser.name, nsB), ctx('limited', 'real', limitedKc?.users[0].name ?? 'nobody', nsB)],
      },
      'second.yaml',
    );
    return { first, second };
  };

  it('the first file wins: current-context, cluster, user and context of the same name', async () => {
    const { first, second } = files();
    // `web` has no namespace: it comes from the context (nsA), found in the first file.
    const r = await run(explainArgs('web'), { KUBECONFIG: [first, second].join(delimiter) });
    expectNoError(r.stderr);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(new RegExp(`^ALLOWED  ${nsA}/web -> ${nsB}/db  TCP/8080`));
  });

  it('in the other order the other file wins (its cluster "test" is a closed port)', async () => {
    const { first, second } = files();
    const r = await run([...explainArgs(), '--context', 'admin'], { KUBECONFIG: [second, first].join(delimiter) });
    // context "admin" of the second file -> cluster "real" (fine) but user admin = the bad token
    expect(r.code).toBe(ExitCode.unauthorized);
    const r2 = await run([...explainArgs(), '--context', 'admin', '--cluster', 'test'], { KUBECONFIG: [second, first].join(delimiter) });
    expect(r2.code).toBe(ExitCode.unreachable);
    expect(r2.stderr).toContain(`127.0.0.1:${closedPort}`);
  });

  it.skipIf(!limitedKc)('--context picks the limited user from the second file: 403, exit 5', async () => {
    const { first, second } = files();
    const r = await run([...explainArgs(), '--context', 'limited'], { KUBECONFIG: [first, second].join(delimiter) });
    expect(r.code).toBe(ExitCode.forbidden);
    expect(r.stderr).toContain('forbidden');
  });

  it('-n overrides the context namespace; --user overrides the context user', async () => {
    const { first, second } = files();
    const env = { KUBECONFIG: [first, second].join(delimiter) };
    const r = await run(['explain', 'db', `${nsA}/web`, '-n', nsB, '--port', '8080'], env);
    expect(r.stdout).toMatch(new RegExp(`^ALLOWED  ${nsB}/db -> ${nsA}/web`));
    const bad = await run([...explainArgs(), '--user', 'nobody'], env);
    expect(bad.code).toBe(ExitCode.config);
    expect(bad.stderr).toContain('--user nobody: no such user');
  });

  it('the namespace defaults to "default" when the context has none', async () => {
    const p = write({ 'current-context': 'c', clusters: [clusterEntry('k')], users: [adminUser], contexts: [ctx('c', 'k', adminUser.name)] });
    const res = await loadLive({ kubeconfig: p }, { endpoints: [`${nsA}/web`, `${nsB}/db`] }, { stderr: { write: () => true }, env: {} });
    expect(res.namespace).toBe('default');
    expect(res.config.namespaceSource).toBe('default');
  });
});

describe.skipIf(external)('credentials and TLS', () => {
  it('relative certificate-authority and token-file paths resolve against the kubeconfig\'s directory', async () => {
    writeFileSync(join(dir, 'ca.crt'), Buffer.from(caData, 'base64'));
    writeFileSync(join(dir, 'admin.token'), `${adminToken}\n`);
    const p = write({
      'current-context': 'c',
      clusters: [{ name: 'k', cluster: { server, 'certificate-authority': 'ca.crt' } }],
      users: [{ name: 'u', user: { 'token-file': 'admin.token' } }],
      contexts: [ctx('c', 'k', 'u')],
    });
    const r = await run([...explainArgs(), '--kubeconfig', p]);
    expectNoError(r.stderr);
    expect(r.code).toBe(ExitCode.ok);
  });

  it('an exec credential plugin gets KUBERNETES_EXEC_INFO and its token is used', async () => {
    const infoFile = join(dir, 'exec-info.json');
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\nprintf '%s' "$KUBERNETES_EXEC_INFO" > ${infoFile}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$NETPOL_TEST_TOKEN"'"}}'\n`);
    chmodSync(plugin, 0o755);
    const p = single({}, server, {
      name: 'exec-user',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.sh', env: [{ name: 'NETPOL_TEST_TOKEN', value: adminToken }], interactiveMode: 'IfAvailable', provideClusterInfo: true } },
    });
    const r = await run([...explainArgs(), '--kubeconfig', p]);
    expectNoError(r.stderr);
    expect(r.code).toBe(ExitCode.ok);
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    expect(info).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: { interactive: false, cluster: { server, 'certificate-authority-data': caData } } });
  });

  it('a bad token: 401, exit 4', async () => {
    const r = await run([...explainArgs(), '--kubeconfig', single({}, server, { name: 'u', user: { token: 'not-a-valid-token' } })]);
    expect(r.code).toBe(ExitCode.unauthorized);
    expect(r.stderr).toContain(`error: the API server ${server} rejected the credentials of user "u" (context "c") (401 Unauthorized)`);
  });

  it('no CA: the self-signed serving certificate is refused (TLS error, exit 3); insecure-skip-tls-verify accepts it', async () => {
    const noCa = write({ 'current-context': 'c', clusters: [{ name: 'k', cluster: { server } }], users: [adminUser], contexts: [ctx('c', 'k', adminUser.name)] });
    const r = await run([...explainArgs(), '--kubeconfig', noCa]);
    expect(r.code).toBe(ExitCode.unreachable);
    expect(r.stderr).toMatch(/error: TLS: cannot verify the API server .*(SELF_SIGNED|UNABLE_TO_VERIFY|ISSUER)/);
    expect(r.stderr).toContain('certificate-authority');
    const insecure = write({ 'current-context': 'c', clusters: [{ name: 'k', cluster: { server, 'insecure-skip-tls-verify': true } }], users: [adminUser], contexts: [ctx('c', 'k', adminUser.name)] });
    expect((await run([...explainArgs(), '--kubeconfig', insecure])).code).toBe(ExitCode.ok);
  });

  it('a host name the certificate does not cover fails; tls-server-name fixes it', async () => {
    const viaLocalhost = `https://localhost:${port}`;
    const r = await run([...explainArgs(), '--kubeconfig', single({}, viaLocalhost)]);
    expect(r.code).toBe(ExitCode.unreachable);
    expect(r.stderr).toContain("error: TLS: the API server's certificate is not valid for localhost");
    expect(r.stderr).toContain('tls-server-name');
    const fixed = await run([...explainArgs(), '--kubeconfig', single({ 'tls-server-name': 'kubernetes.default.svc' }, viaLocalhost)]);
    expectNoError(fixed.stderr);
    expect(fixed.code).toBe(ExitCode.ok);
  });

  it('a closed port: unreachable, exit 3', async () => {
    const r = await run([...explainArgs(), '--kubeconfig', single({}, `https://127.0.0.1:${closedPort}`)]);
    expect(r.code).toBe(ExitCode.unreachable);
    expect(r.stderr).toContain(`error: cannot reach the API server https://127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`);
  });
});

describe.skipIf(external)('proxy-url', () => {
  let proxy: HttpServer;
  let proxyPort = 0;
  const tunnels: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // A CONNECT proxy on loopback that only tunnels to the test API server.
    proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket: Socket, head) => {
      tunnels.push(req.url ?? '');
      sockets.push(socket);
      if (req.url !== `127.0.0.1:${port}`) return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = netConnect(Number(port), '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      sockets.push(upstream);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyPort = (proxy.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy.close(r));
  });

  it('requests go through the proxy', async () => {
    const r = await run([...explainArgs(), '--kubeconfig', single({ 'proxy-url': `http://127.0.0.1:${proxyPort}` })]);
    expectNoError(r.stderr);
    expect(r.code).toBe(ExitCode.ok);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${port}`]));
  });
});

describe.skipIf(external)('in-cluster config', () => {
  it('with no kubeconfig file: KUBERNETES_SERVICE_HOST/PORT, the service-account token, CA and namespace', async () => {
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), adminToken);
    writeFileSync(join(sa, 'ca.crt'), Buffer.from(caData, 'base64'));
    writeFileSync(join(sa, 'namespace'), nsA);
    const res = await loadLive(
      {},
      { endpoints: ['web', `${nsB}/db`] },
      { stderr: { write: () => true }, env: { HOME: join(dir, 'no-home'), KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port } },
      { serviceAccountDir: sa },
    );
    expect(res.config.inCluster).toBe(true);
    expect(res.namespace).toBe(nsA);
    expect(res.state.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual([`${nsA}/web`, `${nsB}/db`]);
  });
});
