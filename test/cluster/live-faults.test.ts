// Live reads under faults, against a real kube-apiserver + etcd of its own (this file stops and
// restarts the apiserver, and compacts etcd): a continue token that expires (410 Expired) restarts
// the list from the beginning (bounded), a server that goes away mid-read is a clear error and
// never a verdict on part of the cluster, client certificates (data and files) authenticate, and an
// exec credential plugin runs again after a 401.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ExitCode } from '../../src/errors.js';
import { CliError } from '../../src/errors.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { loadLive } from '../../src/sources/live/source.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, apply, namespace, pod, type Obj } from '../live/cluster-support.js';
import { startTestCluster, type TestCluster } from './harness.js';

// The shared cluster is not used, but with NETPOL_TEST_KUBECONFIG there may be no binaries to start one.
const shared = inject('netpolCluster');
const suffix = randomBytes(3).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'netpol-live-faults-'));
const env = { NO_COLOR: '1' };

let c: TestCluster;
let client: ApiClient;
let adminToken: string;
let caPem: string;

beforeAll(async () => {
  if (shared.external) return;
  c = await startTestCluster({
    ignoreExternal: true,
    clientCertificates: true,
    // Kubernetes 1.34 keeps list snapshots in the watch cache (ListFromCacheSnapshot, beta) and
    // serves continue tokens from them after etcd compacted their revision; servers without it (or
    // once the snapshot is gone) answer such a token with 410 Expired, which is what is tested here.
    apiserverArgs: ['--feature-gates=ListFromCacheSnapshot=false'],
  });
  client = await adminClient(c.kubeconfigPath);
  const kc = JSON.parse(readFileSync(c.kubeconfigPath, 'utf8'));
  adminToken = kc.users[0].user.token;
  caPem = Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8');
}, 600_000);

afterAll(async () => {
  client?.close();
  await c?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh namespace with pods p-0 .. p-(n-1), all Running with an IP. */
async function podsNamespace(name: string, n = 5): Promise<string> {
  const ns = `${name}-${suffix}`;
  const objects: Obj[] = [namespace(ns), ...Array.from({ length: n }, (_, i) => pod(ns, `p-${i}`, { app: 'x' }, `10.253.${(ns.length * 7) % 250}.${i + 1}`))];
  await apply(client, objects);
  return ns;
}

const deletePod = (ns: string, name: string) =>
  client.send({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: ns, name, query: { gracePeriodSeconds: 0 } }, 'DELETE');

/** Compacts etcd up to its current revision (etcd's v3 JSON gateway), as the apiserver's compactor does every 5 minutes. */
async function compactEtcd(): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${c.etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status}`);
    return (await res.json()) as { header: { revision: string } };
  };
  // A write first, so there is always a newer revision to compact to (outside the apiserver's /registry prefix).
  const { header } = await post('/v3/kv/put', { key: Buffer.from('netpol-test/tick').toString('base64'), value: Buffer.from(String(Date.now())).toString('base64') });
  await post('/v3/kv/compaction', { revision: header.revision, physical: true });
}

/**
 * A plain-http front on loopback that forwards every request to the apiserver with the admin token,
 * as `kubectl proxy` does, so a test can act between two pages of a list: `before` runs (and is
 * awaited) before a request is forwarded. It also shrinks pages (`limit=500` -> `limit=N`) and
 * records each answer's status and reason.
 */
interface Front {
  readonly kubeconfig: string;
  readonly answers: { path: string; status: number; reason?: string }[];
  before?: (path: string) => Promise<void> | void;
  close(): Promise<void>;
}

async function startFront(pageSize: number): Promise<Front> {
  const target = new URL(c.server);
  const front: Front = { kubeconfig: '', answers: [], close: async () => {} };
  const srv: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/([?&])limit=500(?=&|$)/, `$1limit=${pageSize}`);
    void (async () => {
      try {
        await front.before?.(path);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`test front: ${(e as Error).message}`);
        return;
      }
      const up = httpsRequest(
        { host: target.hostname, port: target.port, path, method: req.method, ca: caPem, headers: { accept: 'application/json', authorization: `Bearer ${adminToken}` } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (d: Buffer) => chunks.push(d));
          r.on('end', () => {
            const body = Buffer.concat(chunks);
            let reason: string | undefined;
            try {
              reason = (JSON.parse(body.toString('utf8')) as { reason?: string }).reason;
            } catch {
              reason = undefined;
            }
            front.answers.push({ path, status: r.statusCode ?? 0, ...(reason ? { reason } : {}) });
            res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'application/json' }).end(body);
          });
        },
      );
      up.on('error', (e) => res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy error: ${e.message}`));
      up.end();
    })();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  const kubeconfig = join(dir, `front-${(srv.address() as AddressInfo).port}.kubeconfig`);
  writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'p', clusters: [{ name: 'proxy', cluster: { server: url } }], users: [{ name: 'proxied', user: {} }], contexts: [{ name: 'p', context: { cluster: 'proxy', user: 'proxied' } }] }));
  return Object.assign(front, { kubeconfig, close: () => new Promise<void>((r) => srv.close(() => r())) });
}

const podsOf = (stdout: string): string[] => [...new Set((JSON.parse(stdout) as { items: { from: string }[] }).items.map((i) => i.from))].sort();

describe.skipIf(shared.external)('a continue token that expires (410 Expired)', () => {
  it('the list starts again from the first page, and a pod deleted in between is not in the answer', async () => {
    const ns = await podsNamespace('expire');
    const front = await startFront(2);
    const podsList = `/api/v1/namespaces/${ns}/pods?`;
    let fired = false;
    front.before = async (path) => {
      // Between page 1 (p-0, p-1) and page 2: p-0 goes away and etcd forgets the list's revision.
      if (fired || !path.startsWith(podsList) || !path.includes('continue=')) return;
      fired = true;
      await deletePod(ns, 'p-0');
      await compactEtcd();
    };
    try {
      const r = await runCli(['matrix', '-n', ns, '--kubeconfig', front.kubeconfig, '-o', 'json', '--port', '8080'], { env: { ...env, NETPOL_DEBUG: '1' } });
      expect(r.code).toBe(ExitCode.ok);
      // The real server refused the stale token ...
      expect(front.answers.filter((a) => a.path.startsWith(podsList)).map((a) => `${a.status}${a.reason ? ` ${a.reason}` : ''}`)).toEqual(['200', '410 Expired', '200', '200']);
      // ... and the answer is one consistent listing: p-0 from the first attempt is not kept.
      expect(podsOf(r.stdout)).toEqual(['p-1', 'p-2', 'p-3', 'p-4'].map((p) => `${ns}/${p}`));
      expect(r.stderr).toContain('list restarted (1 of at most 3): the continue token expired (410 Expired)');
      expect(r.stderr).toContain(`live: list pods in namespace "${ns}": 4 items in 2 pages (started over 1 time: its continue token expired)`);
    } finally {
      await front.close();
    }
  });

  it('a token that expires on every attempt: a clear error after 3 restarts, and no answer', async () => {
    const ns = await podsNamespace('churn');
    const front = await startFront(2);
    const podsList = `/api/v1/namespaces/${ns}/pods?`;
    front.before = async (path) => {
      if (path.startsWith(podsList) && path.includes('continue=')) await compactEtcd();
    };
    try {
      const r = await runCli(['matrix', '-n', ns, '--kubeconfig', front.kubeconfig, '-o', 'json'], { env });
      expect(r.code).toBe(ExitCode.unreachable);
      expect(r.stdout).toBe('');
      expect(front.answers.filter((a) => a.path.startsWith(podsList) && a.status === 410)).toHaveLength(4);
      expect(r.stderr).toContain(`could not give a consistent list pods in namespace "${ns}": the list changed faster than it could be paged through (its continue token expired 4 times, 410 Expired)`);
      expect(r.stderr).toContain('narrow the question');
    } finally {
      await front.close();
    }
  });
});

describe.skipIf(shared.external)('an API server that goes away in the middle of a read', () => {
  it('is a clear error (exit 3) and no state; once it is back, the same read gives every pod', async () => {
    const ns = await podsNamespace('gone');
    // Pages of 2: the apiserver is killed the moment the first page of pods has arrived.
    const firstPage = new RegExp(`^live: GET /api/v1/namespaces/${ns}/pods\\?limit=2 200 `, 'm');
    let killed = false;
    const stderr = {
      write: (s: string) => {
        if (!killed && firstPage.test(s)) {
          killed = true;
          void c.stopApiserver!({ kill: true }); // SIGKILL is sent synchronously, before the next page is asked for
        }
        return true;
      },
    };
    let err: unknown;
    try {
      await loadLive({ kubeconfig: c.kubeconfigPath }, { namespaces: [ns] }, { stderr, env: { NETPOL_DEBUG: '1' } }, { pageSize: 2 });
    } catch (e) {
      err = e;
    }
    expect(killed).toBe(true);
    expect(err).toBeInstanceOf(CliError);
    const e = err as CliError;
    expect(e.exitCode).toBe(ExitCode.unreachable);
    expect(e.message).toMatch(new RegExp(`^cannot reach the API server ${c.server.replace(/[.]/g, '\\.')}: (connection refused|connection reset|socket hang up)`));
    expect(e.hint).toContain('stopped answering in the middle of the read');
    expect(e.details.join('\n')).toMatch(/^it answered \d+ requests?, then failed to /);

    await c.startApiserver!();
    const again = await loadLive({ kubeconfig: c.kubeconfigPath }, { namespaces: [ns] }, { stderr: { write: () => true }, env: {} }, { pageSize: 2 });
    expect(again.state.pods.filter((p) => p.namespace === ns).map((p) => p.name).sort()).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
  });

  it('the CLI prints no verdict when the server dies under it, and a normal one after it restarted', async () => {
    const ns = await podsNamespace('restart', 2);
    await c.stopApiserver!();
    const down = await runCli(['explain', `${ns}/p-0`, `${ns}/p-1`, '--port', '8080', '--kubeconfig', c.kubeconfigPath], { env });
    expect(down.code).toBe(ExitCode.unreachable);
    expect(down.stdout).toBe('');
    expect(down.stderr).toContain(`cannot reach the API server ${c.server}: connection refused`);
    await c.startApiserver!();
    const up = await runCli(['explain', `${ns}/p-0`, `${ns}/p-1`, '--port', '8080', '--kubeconfig', c.kubeconfigPath], { env });
    expect(up.code).toBe(ExitCode.ok);
    expect(up.stdout).toMatch(/^ALLOWED /);
  });
});

describe.skipIf(shared.external)('client certificates (--client-ca-file)', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await podsNamespace('certs', 2);
  });
  const caData = () => Buffer.from(caPem).toString('base64');
  const kubeconfig = (name: string, user: Obj): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'c', clusters: [{ name: 'k', cluster: { server: c.server, 'certificate-authority-data': caData() } }], users: [{ name: 'cert-user', user }], contexts: [{ name: 'c', context: { cluster: 'k', user: 'cert-user' } }] }));
    return p;
  };
  const explain = (kc: string) => runCli(['explain', `${ns}/p-0`, `${ns}/p-1`, '--port', '8080', '--kubeconfig', kc], { env });
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('client-certificate-data / client-key-data', async () => {
    const { certPem, keyPem } = await c.issueClientCertificate!('cert-admin', ['system:masters']);
    const r = await explain(kubeconfig('cert-data.kubeconfig', { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) }));
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(ExitCode.ok);
  });

  it('client-certificate / client-key files, relative to the kubeconfig', async () => {
    const { certPem, keyPem } = await c.issueClientCertificate!('cert-admin', ['system:masters']);
    const sub = mkdtempSync(join(dir, 'files-'));
    writeFileSync(join(sub, 'client.crt'), certPem);
    writeFileSync(join(sub, 'client.key'), keyPem, { mode: 0o600 });
    const r = await explain(kubeconfig(join(sub.slice(dir.length + 1), 'kubeconfig'), { 'client-certificate': 'client.crt', 'client-key': 'client.key' }));
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(ExitCode.ok);
  });

  it('the certificate names the user: one without RBAC permissions is refused (403, exit 5)', async () => {
    const { certPem, keyPem } = await c.issueClientCertificate!('cert-nobody');
    const r = await explain(kubeconfig('cert-nobody.kubeconfig', { 'client-certificate-data': b64(certPem), 'client-key-data': b64(keyPem) }));
    expect(r.code).toBe(ExitCode.forbidden);
    expect(r.stderr).toContain('forbidden: user "cert-user" (context "c") may not');
    // The server read the user from the certificate's CN.
    expect(r.stderr).toMatch(/server said: .+ is forbidden: User "cert-nobody" cannot/);
  });

  it('a certificate from a CA the server does not trust: 401, exit 4', async () => {
    const key = join(dir, 'rogue.key');
    const crt = join(dir, 'rogue.crt');
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/CN=rogue/O=system:masters'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const r = await explain(kubeconfig('rogue.kubeconfig', { 'client-certificate-data': b64(readFileSync(crt, 'utf8')), 'client-key-data': b64(readFileSync(key, 'utf8')) }));
    expect(r.code).toBe(ExitCode.unauthorized);
    expect(r.stderr).toContain('(401 Unauthorized)');
  });
});

describe.skipIf(shared.external)('exec credential plugins and 401', () => {
  it('a plugin whose first token the server refuses is run once more, and its new token is used', async () => {
    const ns = await podsNamespace('exec', 2);
    const counter = join(dir, 'exec.count');
    writeFileSync(counter, '');
    const plugin = join(dir, 'plugin.sh');
    // First run: a token the server does not know; later runs: the admin token.
    writeFileSync(
      plugin,
      `#!/bin/sh\necho x >> ${counter}\nif [ "$(wc -l < ${counter})" -eq 1 ]; then t=revoked; else t="$NETPOL_TEST_TOKEN"; fi\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$t"'"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    const kc = join(dir, 'exec.kubeconfig');
    writeFileSync(
      kc,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'c',
        clusters: [{ name: 'k', cluster: { server: c.server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
        users: [{ name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, env: [{ name: 'NETPOL_TEST_TOKEN', value: adminToken }] } } }],
        contexts: [{ name: 'c', context: { cluster: 'k', user: 'exec-user' } }],
      }),
    );
    const r = await runCli(['explain', `${ns}/p-0`, `${ns}/p-1`, '--port', '8080', '--kubeconfig', kc], { env: { ...env, PATH: process.env.PATH ?? '' } });
    expect(r.stderr).not.toContain('error:');
    expect(r.code).toBe(ExitCode.ok);
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });
});
