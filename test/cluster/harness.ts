// Integration-test harness: a real kube-apiserver + etcd on 127.0.0.1.
//
// startTestCluster() builds the binaries if needed (./build.sh, cached in
// ./.bin), starts etcd and kube-apiserver on free loopback ports with data in a
// fresh temp dir, waits for /readyz, and writes two kubeconfigs:
//   - admin:   user "admin", group system:masters (everything allowed)
//   - limited: user "limited", no groups beyond system:authenticated, so RBAC
//              denies everything until a test binds it a Role.
// Both authenticate with static bearer tokens and verify the server's TLS
// certificate against the CA the apiserver generated for itself.
//
// With NETPOL_TEST_KUBECONFIG set, nothing is started: the TestCluster points
// at that kubeconfig and limitedKubeconfigPath is undefined.
//
// No controller-manager, scheduler or kubelet runs: objects are only stored.
// Pods stay Pending (set their status with setPodStatus), namespaces never
// finish deleting, Deployments get no ReplicaSets, Services get no
// EndpointSlices (create them yourself), garbage collection does not happen.
// The ServiceAccount admission plugin is disabled, so pods need no `default`
// ServiceAccount (nothing would create it).

import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export interface TestCluster {
  /** https URL of the apiserver (from the kubeconfig when external). */
  server: string;
  /** Kubeconfig of a cluster admin (group system:masters). */
  kubeconfigPath: string;
  /**
   * Kubeconfig of user `limited` (group system:authenticated only): no RBAC
   * permissions until a test grants some. Undefined when NETPOL_TEST_KUBECONFIG
   * points at an existing cluster.
   */
  limitedKubeconfigPath: string | undefined;
  /** RBAC user name behind limitedKubeconfigPath ('limited'), for RoleBindings. */
  limitedUser: string | undefined;
  /** True when NETPOL_TEST_KUBECONFIG was used and nothing was started. */
  external: boolean;
  /** Temp dir with kubeconfigs, pki, etcd data and logs (undefined when external). */
  dir: string | undefined;
  /** Kills both processes and removes the temp dir (no-op when external). Idempotent. */
  stop(): Promise<void>;
  /** etcd's client URL (plain http on loopback; its v3 JSON gateway answers under /v3/). Undefined when external. */
  etcdUrl?: string | undefined;
  /**
   * Stops kube-apiserver (SIGKILL when `kill`, else SIGTERM), leaving etcd running. The server's port
   * then refuses connections until startApiserver(). Only for clusters this harness started.
   */
  stopApiserver?(opts?: { kill?: boolean }): Promise<void>;
  /** Starts kube-apiserver again after stopApiserver(), with the same flags and port; resolves once /readyz is ok. */
  startApiserver?(): Promise<void>;
  /**
   * With StartOptions.clientCertificates: a client certificate and key (PEM) signed by the CA the
   * apiserver trusts (--client-ca-file), for user `user` in `groups` (CN and O, as Kubernetes reads them).
   */
  issueClientCertificate?(user: string, groups?: string[]): Promise<{ certPem: string; keyPem: string }>;
}

export interface StartOptions {
  /** Max time to wait for /readyz once the processes run. Default 120 s. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags, e.g. ['--feature-gates=Foo=true']. */
  apiserverArgs?: string[];
  /** Keep the temp dir (logs, data) after stop(). Also NETPOL_TEST_KEEP=1. */
  keepDir?: boolean;
  /** Ignore NETPOL_TEST_KUBECONFIG and always start a local cluster. */
  ignoreExternal?: boolean;
  /**
   * Also authenticate client certificates: generate a client CA (with the `openssl` CLI), pass it as
   * --client-ca-file and offer issueClientCertificate().
   */
  clientCertificates?: boolean;
}

export const LIMITED_USER = 'limited';
const here = fileURLToPath(new URL('.', import.meta.url));
const log = (msg: string): void => {
  process.stderr.write(`[netpol cluster] ${msg}\n`);
};

/** Runs ./build.sh (a no-op when the binaries are cached) and returns their directory. */
export async function ensureBinaries(): Promise<string> {
  const script = join(here, 'build.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const dir = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || dir === '') {
    throw new Error(`${script} failed (exit code ${code}); see its messages above`);
  }
  return dir;
}

export async function startTestCluster(opts: StartOptions = {}): Promise<TestCluster> {
  const external = process.env.NETPOL_TEST_KUBECONFIG;
  if (external && !opts.ignoreExternal) return externalCluster(external);

  const binDir = await ensureBinaries();
  let lastError: unknown;
  // A free port can be taken between probing and binding; retry on early exit.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binDir, opts);
    } catch (err) {
      lastError = err;
      if (!(err instanceof EarlyExitError)) throw err;
      log(`start attempt ${attempt} failed: ${err.message}`);
    }
  }
  throw lastError;
}

function externalCluster(kubeconfigPath: string): TestCluster {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`NETPOL_TEST_KUBECONFIG=${kubeconfigPath}: current context has no cluster server`);
  log(`using existing cluster ${server} from NETPOL_TEST_KUBECONFIG (nothing started)`);
  return {
    server,
    kubeconfigPath,
    limitedKubeconfigPath: undefined,
    limitedUser: undefined,
    external: true,
    dir: undefined,
    stop: async () => {},
  };
}

class EarlyExitError extends Error {}

async function startOnce(binDir: string, opts: StartOptions): Promise<TestCluster> {
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'netpol-cluster-'));
  const keep = opts.keepDir ?? process.env.NETPOL_TEST_KEEP === '1';
  const pki = join(dir, 'pki');
  await mkdir(pki, { recursive: true });

  // Service-account signing keys (kube-apiserver refuses to start without them).
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await writeFile(join(pki, 'sa.pub'), publicKey);
  await writeFile(join(pki, 'sa.key'), privateKey, { mode: 0o600 });

  const adminToken = randomBytes(24).toString('hex');
  const limitedToken = randomBytes(24).toString('hex');
  // token,user,uid,"group1,group2"
  await writeFile(
    join(pki, 'tokens.csv'),
    `${adminToken},admin,admin-uid,"system:masters"\n${limitedToken},${LIMITED_USER},${LIMITED_USER}-uid\n`,
    { mode: 0o600 },
  );

  const [etcdPort, peerPort, apiPort] = await freePorts(3);
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const server = `https://127.0.0.1:${apiPort}`;

  const procs: ChildProcess[] = [];
  const killAll = (): void => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  };
  // Dies with us: a plain 'exit' hook, plus a detached watchdog for the case
  // where this process is killed by a signal and runs no hooks at all.
  process.on('exit', killAll);

  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ETCD_')) delete env[k];

  const etcd = launch(binDir, 'etcd', dir, env, [
    '--name=netpol-test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=netpol-test=${peerUrl}`,
    '--unsafe-no-fsync', // throwaway data: skip fsync, much faster on slow disks
    '--log-level=warn',
  ]);
  procs.push(etcd);

  const clientCa = opts.clientCertificates ? await makeClientCa(pki) : undefined;

  const apiserverArgs = [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${pki}`, // self-signed serving cert + its CA, written as pki/apiserver.crt
    `--token-auth-file=${join(pki, 'tokens.csv')}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    // No controller-manager creates `default` ServiceAccounts, so pods would be rejected.
    '--disable-admission-plugins=ServiceAccount',
    // The `kubernetes` Service endpoints would point at 127.0.0.1, which is invalid; nothing needs them.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    ...(clientCa ? [`--client-ca-file=${clientCa.certFile}`] : []),
    ...(opts.apiserverArgs ?? []),
  ];
  let apiserver = launch(binDir, 'kube-apiserver', dir, env, apiserverArgs);
  procs.push(apiserver);

  const watchdog = spawn(
    'bash',
    [
      '-c',
      'trap "" INT TERM HUP; while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 "${@:2:2}" 2>/dev/null; [ "$4" = 1 ] || rm -rf "$5"',
      'netpol-watchdog',
      String(process.pid),
      String(etcd.pid),
      String(apiserver.pid),
      keep ? '1' : '0',
      dir,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await terminate(apiserver);
      await terminate(etcd);
      process.off('exit', killAll);
      if (watchdog.pid) {
        try {
          process.kill(watchdog.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      if (keep) log(`kept ${dir}`);
      else await rm(dir, { recursive: true, force: true });
    })());

  let stopping: Promise<void> | undefined;
  const stopApiserver = (o: { kill?: boolean } = {}): Promise<void> => {
    const p = apiserver;
    if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
    if (!o.kill) return (stopping = terminate(p));
    // The signal goes out now (synchronously); the promise settles when the process is reaped.
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGKILL');
    return (stopping = exited);
  };
  const startApiserver = async (): Promise<void> => {
    await stopping; // a killed process may not be reaped yet
    if (apiserver.exitCode === null && apiserver.signalCode === null) throw new Error('kube-apiserver is still running: call stopApiserver() first');
    apiserver = launch(binDir, 'kube-apiserver', dir, env, apiserverArgs);
    procs.push(apiserver);
    // The first watchdog knows only the first pid: this one covers the new process.
    spawn('bash', ['-c', 'trap "" INT TERM HUP; while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null', 'netpol-watchdog', String(process.pid), String(apiserver.pid)], {
      detached: true,
      stdio: 'ignore',
    }).unref();
    await waitReady(server, adminToken, [etcd, apiserver], dir, opts.readyTimeoutMs ?? 120_000);
  };

  try {
    await waitReady(server, adminToken, [etcd, apiserver], dir, opts.readyTimeoutMs ?? 120_000);

    // The serving cert file holds the leaf followed by the CA that signed it.
    const certs = readFileSync(join(pki, 'apiserver.crt'), 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g,
    );
    const ca = certs?.at(-1);
    if (!ca) throw new Error(`no CA certificate in ${join(pki, 'apiserver.crt')}`);
    await writeFile(join(pki, 'ca.crt'), ca);

    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    const limitedKubeconfigPath = join(dir, 'limited.kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig(server, ca, 'admin', adminToken), { mode: 0o600 });
    await writeFile(limitedKubeconfigPath, kubeconfig(server, ca, LIMITED_USER, limitedToken), {
      mode: 0o600,
    });

    // Prove that TLS verification against the CA works with the written kubeconfig.
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    await kc.makeApiClient(CoreV1Api).listNamespace({ limit: 1 });

    log(`ready at ${server} in ${Math.round(performance.now() - t0)} ms (dir ${dir})`);
    return {
      server,
      kubeconfigPath,
      limitedKubeconfigPath,
      limitedUser: LIMITED_USER,
      external: false,
      dir,
      stop,
      etcdUrl,
      stopApiserver,
      startApiserver,
      ...(clientCa ? { issueClientCertificate: (user: string, groups: string[] = []) => issueClientCertificate(pki, clientCa, user, groups) } : {}),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function launch(
  binDir: string,
  name: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  args: string[],
): ChildProcess {
  const logFile = join(dir, `${name}.log`);
  // Appends: a restarted apiserver (startApiserver) keeps the earlier log.
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(join(binDir, name), args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.on('error', (err) => out.write(`spawn error: ${err.message}\n`));
  // Do not keep the event loop alive just for our children.
  child.unref();
  for (const s of [child.stdout, child.stderr]) (s as unknown as { unref?: () => void })?.unref?.();
  return child;
}

interface ClientCa {
  readonly certFile: string;
  readonly keyFile: string;
}

/** Runs the openssl CLI (Node's crypto cannot sign X.509 certificates). */
async function openssl(args: string[], cwd: string): Promise<void> {
  const child = spawn('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`openssl could not be run (${e.message}); the client-certificate tests need the openssl CLI`)));
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit code ${code}): ${err.trim()}`);
}

/** A throwaway client CA (EC P-256, valid one day) for --client-ca-file. */
async function makeClientCa(pki: string): Promise<ClientCa> {
  const certFile = join(pki, 'client-ca.crt');
  const keyFile = join(pki, 'client-ca.key');
  await openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=netpol-test-client-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    pki,
  );
  return { certFile, keyFile };
}

let issued = 0;
async function issueClientCertificate(pki: string, ca: ClientCa, user: string, groups: string[]): Promise<{ certPem: string; keyPem: string }> {
  const base = join(pki, `client-${++issued}`);
  const subject = `/CN=${user}${groups.map((g) => `/O=${g}`).join('')}`;
  await openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject], pki);
  await writeFile(`${base}.ext`, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  await openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-days', '1', '-out', `${base}.crt`, '-extfile', `${base}.ext`], pki);
  return { certPem: readFileSync(`${base}.crt`, 'utf8'), keyPem: readFileSync(`${base}.key`, 'utf8') };
}

async function terminate(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function logTail(dir: string, name: string, lines = 30): string {
  const file = join(dir, `${name}.log`);
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  return `\n--- last lines of ${file} ---\n${text}`;
}

async function waitReady(
  server: string,
  token: string,
  procs: ChildProcess[],
  dir: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    for (const p of procs) {
      if (p.exitCode !== null || p.signalCode !== null) {
        const name = p.spawnfile.split('/').pop() ?? p.spawnfile;
        throw new EarlyExitError(
          `${name} exited (${p.exitCode ?? p.signalCode}) before the cluster was ready` +
            logTail(dir, name),
        );
      }
    }
    try {
      const { status, body } = await get(`${server}/readyz`, token);
      if (status === 200 && body.trim() === 'ok') return;
      last = `HTTP ${status}: ${body.slice(0, 500)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `kube-apiserver not ready after ${timeoutMs} ms (last /readyz: ${last})` +
      logTail(dir, 'kube-apiserver') +
      logTail(dir, 'etcd'),
  );
}

function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // Readiness probe only: the CA is not known until the apiserver has written
    // it; the real client below verifies TLS.
    const req = httpsRequest(
      url,
      { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const addr = s.address();
    if (addr === null || typeof addr === 'string') throw new Error('unexpected listen address');
    return addr.port;
  });
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function kubeconfig(server: string, caPem: string, user: string, token: string): string {
  // JSON is valid YAML; kubectl and client-node both read it.
  return (
    JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'netpol-test',
            cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
          },
        ],
        users: [{ name: user, user: { token } }],
        contexts: [{ name: `netpol-test-${user}`, context: { cluster: 'netpol-test', user, namespace: 'default' } }],
        'current-context': `netpol-test-${user}`,
        preferences: {},
      },
      null,
      2,
    ) + '\n'
  );
}

export { applyObjects, loadKubeConfig, setPodStatus, type PodStatusInput } from './objects.js';
