// A small Kubernetes API client over node:http(s) with a keep-alive agent, so we control what
// matters here: one JSON.parse per page (no typed deserialisation), pagination, per-request
// timeouts, counting, and errors that say what was asked. Credentials and TLS come from the
// resolved kubeconfig; @kubernetes/client-node's KubeConfig is used (loaded on demand) for proxies
// and legacy auth providers.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';

import { CliError, ExitCode } from '../../errors.js';
import { ExecPluginAuthenticator } from './exec.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import { isTlsCode, makeAgent } from './agent.js';
import { proxyFromEnv } from './proxy-env.js';
import { ApiStatusError, ApiTransportError, ListExpiredError, requestPath, resourceWithGroup, type ApiRequest } from './request.js';

export interface ClientOptions {
  /** Per-request timeout in ms (0 = none, like kubectl's --request-timeout 0). */
  readonly timeoutMs: number;
  /** Where exec plugins' messages and debug lines go. */
  readonly stderr: { write(s: string): unknown };
  /** The environment exec plugins inherit and proxy variables are read from. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdinIsTTY?: boolean;
  /** Called once per request with a one-line description (NETPOL_DEBUG). */
  readonly onRequest?: (line: string) => void;
  /** Parallel connections to the server (default 8: enough for the first round of an explain; each costs a TLS handshake). */
  readonly maxSockets?: number;
  /** TCP connect + TLS handshake limit for a new connection (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Exec plugin limits (tests). */
  readonly execTimeoutMs?: number;
  readonly execNoticeAfterMs?: number;
  /** Items per list page (default 500, as kubectl's --chunk-size). */
  readonly pageSize?: number;
}

export interface ClientStats {
  requests: number;
  /** Requests the server answered (any status): fewer than `requests` when it went away mid-read. */
  answered: number;
  bytes: number;
  /** Requests per resource (`pods`, `networkpolicies.networking.k8s.io`, ...). */
  readonly byResource: Map<string, number>;
}

const CONNECT_TIMEOUT_MS = 30_000; // client-go's dialer timeout

/** Runs the exec plugin again and puts its new credential in place (headers, or a new agent for a client certificate). */
type CredentialRenewal = (apply: { headers: Record<string, string | string[]>; replaceAgent(a: http.Agent): void }) => Promise<void>;

/** How often one paginated list starts over after its continue token expired (410) before giving up. */
export const MAX_LIST_RESTARTS = 3;


export class ApiClient {
  readonly stats: ClientStats = { requests: 0, answered: 0, bytes: 0, byResource: new Map() };
  private closed = false;

  private constructor(
    readonly config: ResolvedKubeconfig,
    private readonly server: URL,
    private agent: http.Agent,
    private readonly headers: Record<string, string | string[]>,
    private readonly auth: string | undefined,
    private readonly options: ClientOptions,
    /** Runs the exec credential plugin again and applies its answer (undefined without a plugin whose credential is used). */
    private readonly renewCredential?: CredentialRenewal,
  ) {}
  private renewed: Promise<void> | undefined;

  /**
   * Builds the client; runs the exec credential plugin if the user has one. Tokens, client
   * certificates, basic auth, exec plugins and TLS options are applied here directly;
   * @kubernetes/client-node (a large module: ~0.1 s to load) is loaded only for what it adds:
   * proxies (HTTP CONNECT and SOCKS agents) and the legacy auth-provider plugins (oidc, gcp, azure).
   */
  static async connect(config: ResolvedKubeconfig, options: ClientOptions): Promise<ApiClient> {
    const c = config.cluster;
    const u = config.user;
    const server = new URL(c.server);
    const plainHttp = server.protocol === 'http:';
    const proxyUrl = c.proxyUrl ?? proxyFromEnv(server, options.env);
    const userName = u.name || 'anonymous';
    const exec = u.exec
      ? new ExecPluginAuthenticator(u.exec, {
          env: options.env,
          stderr: options.stderr,
          stdinIsTTY: options.stdinIsTTY ?? false,
          cluster: c,
          userName,
          ...(options.execTimeoutMs !== undefined ? { timeoutMs: options.execTimeoutMs } : {}),
          ...(options.execNoticeAfterMs !== undefined ? { noticeAfterMs: options.execNoticeAfterMs } : {}),
        })
      : undefined;
    const maxSockets = options.maxSockets ?? 8;
    const headers: Record<string, string | string[]> = {};
    let agent: http.Agent;
    let auth: string | undefined;
    let renew: CredentialRenewal | undefined;

    if (proxyUrl || u.authProvider) {
      const { KubeConfig } = await import('./client-node.js');
      const kc = new KubeConfig();
      // client-node refuses http:// unless skipTLSVerify; kubectl allows it (e.g. `kubectl proxy`), and
      // TLS options mean nothing for plain http anyway.
      const cluster = {
        name: c.name,
        server: c.server,
        skipTLSVerify: c.insecureSkipTLSVerify || plainHttp,
        ...(c.caData ? { caData: c.caData } : c.caFile ? { caFile: c.caFile } : {}),
        ...(c.tlsServerName ? { tlsServerName: c.tlsServerName } : {}),
        ...(proxyUrl ? { proxyUrl } : {}),
      };
      const user: Record<string, unknown> = { name: userName };
      if (u.token) user['token'] = u.token;
      if (u.clientCertificateData) user['certData'] = u.clientCertificateData;
      else if (u.clientCertificateFile) user['certFile'] = u.clientCertificateFile;
      if (u.clientKeyData) user['keyData'] = u.clientKeyData;
      else if (u.clientKeyFile) user['keyFile'] = u.clientKeyFile;
      if (u.username) {
        user['username'] = u.username;
        user['password'] = u.password ?? '';
      }
      if (exec) {
        user['authProvider'] = { name: ExecPluginAuthenticator.PROVIDER, config: {} };
        kc.addAuthenticator(exec as never);
      } else if (u.authProvider) user['authProvider'] = u.authProvider;
      kc.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ name: 'netpol', cluster: c.name, user: userName }], currentContext: 'netpol' });
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String) : String(v);
      auth = typeof opts.auth === 'string' ? opts.auth : undefined;
      if (proxyUrl) agent = opts.agent as http.Agent; // client-node's HTTP(S)/SOCKS proxy agent
      else agent = makeAgent(plainHttp, maxSockets, { ca: opts.ca, cert: opts.cert, key: opts.key, servername: opts.servername, insecure: c.insecureSkipTLSVerify });
      if (exec && !u.token)
        renew = async (apply) => {
          // Through client-node's agents only the bearer token can change.
          const cred = await exec.renew();
          if (cred.token) apply.headers['Authorization'] = `Bearer ${cred.token}`;
        };
    } else {
      const read = (what: string, file: string): Buffer => {
        try {
          return readFileSync(file);
        } catch (e) {
          throw new CliError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'fix the path in the kubeconfig', ExitCode.config);
        }
      };
      const b64 = (s: string): Buffer => Buffer.from(s, 'base64');
      const ca = c.caData ? b64(c.caData) : c.caFile ? read('certificate-authority', c.caFile) : undefined;
      let cert: Buffer | string | undefined = u.clientCertificateData ? b64(u.clientCertificateData) : u.clientCertificateFile ? read('client-certificate', u.clientCertificateFile) : undefined;
      let key: Buffer | string | undefined = u.clientKeyData ? b64(u.clientKeyData) : u.clientKeyFile ? read('client-key', u.clientKeyFile) : undefined;
      let token = u.token;
      if (exec && !token) {
        // client-go: a static token in the kubeconfig wins over the exec plugin's.
        const cred = await exec.credential();
        token = cred.token;
        if (cred.clientCertificateData && cred.clientKeyData) {
          cert = cred.clientCertificateData;
          key = cred.clientKeyData;
        }
      }
      if (token) headers['Authorization'] = `Bearer ${token}`;
      if (u.username) auth = `${u.username}:${u.password ?? ''}`;
      agent = makeAgent(plainHttp, maxSockets, { ca, cert, key, servername: c.tlsServerName, insecure: c.insecureSkipTLSVerify });
      if (exec && !u.token)
        renew = async (apply) => {
          const cred = await exec.renew();
          if (cred.token) apply.headers['Authorization'] = `Bearer ${cred.token}`;
          if (cred.clientCertificateData && cred.clientKeyData)
            apply.replaceAgent(makeAgent(plainHttp, maxSockets, { ca, cert: cred.clientCertificateData, key: cred.clientKeyData, servername: c.tlsServerName, insecure: c.insecureSkipTLSVerify }));
        };
    }
    headers['Accept'] = 'application/json';
    headers['User-Agent'] = 'kubectl-netpol';
    if (!c.disableCompression) headers['Accept-Encoding'] = 'gzip';
    if (u.impersonate) headers['Impersonate-User'] = u.impersonate;
    if (u.impersonateGroups?.length) headers['Impersonate-Group'] = [...u.impersonateGroups];
    if (u.impersonateUid) headers['Impersonate-Uid'] = u.impersonateUid;
    return new ApiClient(config, server, agent, headers, auth, options, renew);
  }

  /** GET one object or document; resolves to the parsed JSON. */
  async get(req: ApiRequest): Promise<unknown> {
    return (await this.send(req, 'GET')).body;
  }

  /**
   * A paginated list (limit + continue): `onPage` gets each page's items as it arrives, so a
   * caller can convert and drop them. A continue token that expired (410 Gone, reason Expired: etcd
   * compacted the revision the list started at) cannot be resumed consistently, so the list starts
   * again from the first page, after `onRestart` has let the caller drop what the failed attempt
   * delivered; at most MAX_LIST_RESTARTS times, then the 410 is thrown (ListExpiredError).
   */
  async list(
    req: ApiRequest,
    onPage: (items: unknown[]) => void,
    opts: { limit?: number; onRestart?: (attempt: number) => void } = {},
  ): Promise<{ pages: number; items: number; restarts: number }> {
    const limit = opts.limit ?? this.options.pageSize ?? 500;
    let pages = 0;
    let items = 0;
    let restarts = 0;
    let token: string | undefined;
    for (;;) {
      let page: { items?: unknown[]; metadata?: { continue?: string } };
      try {
        page = (await this.get({ ...req, query: { ...req.query, limit, continue: token } })) as typeof page;
      } catch (e) {
        if (e instanceof ApiStatusError && e.status === 410 && token !== undefined) {
          if (restarts === MAX_LIST_RESTARTS) throw new ListExpiredError(e, restarts + 1);
          restarts++;
          this.options.onRequest?.(`list restarted (${restarts} of at most ${MAX_LIST_RESTARTS}): the continue token expired (410 ${e.reason ?? 'Gone'})`);
          opts.onRestart?.(restarts);
          pages = 0;
          items = 0;
          token = undefined;
          continue;
        }
        throw e;
      }
      pages++;
      const list = Array.isArray(page?.items) ? page.items : [];
      items += list.length;
      onPage(list);
      token = page?.metadata?.continue || undefined;
      if (!token) return { pages, items, restarts };
    }
  }

  /**
   * Any request with a JSON body (tests and benchmarks create objects with it). With an exec
   * credential plugin, a 401 runs the plugin again (once per run: its credential may have been
   * revoked or have expired before its expirationTimestamp, as client-go assumes too) and the
   * request is sent once more with the new credential.
   */
  async send(req: ApiRequest, method: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    try {
      return await this.sendOnce(req, method, body, contentType);
    } catch (e) {
      const renew = this.renewCredential;
      if (!renew || !(e instanceof ApiStatusError) || e.status !== 401) throw e;
      this.renewed ??= renew({
        headers: this.headers,
        replaceAgent: (a) => {
          const old = this.agent;
          this.agent = a;
          old.destroy();
        },
      });
      await this.renewed;
      return await this.sendOnce(req, method, body, contentType);
    }
  }

  private async sendOnce(req: ApiRequest, method: string, body: unknown, contentType: string): Promise<{ status: number; body: unknown }> {
    if (this.closed) throw new Error('ApiClient is closed');
    const path = this.server.pathname.replace(/\/+$/, '') + requestPath(req);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    this.stats.requests++;
    const key = req.resource === '' ? 'discovery' : resourceWithGroup(req);
    this.stats.byResource.set(key, (this.stats.byResource.get(key) ?? 0) + 1);
    const { status, raw, encoding } = await new Promise<{ status: number; raw: Buffer; encoding: string | undefined }>((resolve, reject) => {
      const mod = this.server.protocol === 'http:' ? http : https;
      const headers: Record<string, string | string[] | number> = { ...this.headers };
      if (payload) {
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = payload.length;
      }
      let timer: NodeJS.Timeout | undefined;
      const r = mod.request(
        {
          protocol: this.server.protocol,
          hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
          port: this.server.port || (this.server.protocol === 'http:' ? 80 : 443),
          path,
          method,
          agent: this.agent,
          headers,
          ...(this.auth ? { auth: this.auth } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(this.transportError(req, err)));
          res.on('end', () => {
            if (timer) clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, raw: Buffer.concat(chunks), encoding: res.headers['content-encoding'] });
          });
        },
      );
      if (this.options.timeoutMs > 0) {
        timer = setTimeout(() => {
          const err = new ApiTransportError(req, 'timeout', 'ETIMEDOUT', `no complete answer within ${fmtMs(this.options.timeoutMs)}`);
          reject(err);
          r.destroy(err);
        }, this.options.timeoutMs);
      }
      r.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        // A new connection: TCP connect and (https) the TLS handshake get CONNECT_TIMEOUT_MS, with
        // or without --request-timeout (client-go bounds both too).
        const limit = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
        const t = setTimeout(() => {
          const err = new ApiTransportError(req, 'unreachable', 'ETIMEDOUT', `could not connect within ${fmtMs(limit)}`);
          reject(err);
          r.destroy(err);
        }, limit);
        socket.once(this.server.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(t));
        socket.once('close', () => clearTimeout(t));
      });
      r.on('error', (err) => {
        if (timer) clearTimeout(timer);
        reject(err instanceof ApiTransportError ? err : this.transportError(req, err));
      });
      if (payload) r.write(payload);
      r.end();
    });
    this.stats.answered++;
    this.stats.bytes += raw.length;
    let text: string;
    try {
      text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    } catch (e) {
      throw new ApiStatusError(req, status, 'InvalidResponse', `the server's gzip answer could not be read: ${(e as Error).message}`);
    }
    this.options.onRequest?.(`${method} ${path} ${status} ${Math.round(performance.now() - started)} ms ${fmtBytes(raw.length)}`);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 400 || status < 200) {
      const st = parsed as { reason?: unknown; message?: unknown } | undefined;
      throw new ApiStatusError(
        req,
        status,
        typeof st?.reason === 'string' ? st.reason : undefined,
        typeof st?.message === 'string' ? st.message : text.trim().slice(0, 300) || undefined,
      );
    }
    if (parsed === undefined && text !== '') throw new ApiStatusError(req, status, 'InvalidResponse', `the server answered with something that is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
    return { status, body: parsed };
  }

  /** A long-running GET (a watch): resolves with the 2xx response for the caller to read and destroy; no gzip, no timeout. */
  async openStream(req: ApiRequest): Promise<http.IncomingMessage> {
    if (this.closed) throw new Error('ApiClient is closed');
    const path = this.server.pathname.replace(/\/+$/, '') + requestPath(req);
    this.stats.requests++;
    this.options.onRequest?.(`WATCH ${path}`);
    return new Promise((resolve, reject) => {
      const mod = this.server.protocol === 'http:' ? http : https;
      const headers = { ...this.headers, 'Accept-Encoding': 'identity' };
      const hostname = this.server.hostname.replace(/^\[|\]$/g, '');
      const port = this.server.port || (this.server.protocol === 'http:' ? 80 : 443);
      const r = mod.request({ protocol: this.server.protocol, hostname, port, path, method: 'GET', agent: this.agent, headers, ...(this.auth ? { auth: this.auth } : {}) }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(this.transportError(req, err)));
        res.on('end', () => {
          let st: { reason?: unknown; message?: unknown } | undefined;
          try {
            st = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            st = undefined;
          }
          reject(new ApiStatusError(req, status, typeof st?.reason === 'string' ? st.reason : undefined, typeof st?.message === 'string' ? st.message : undefined));
        });
      });
      r.on('error', (err) => reject(err instanceof ApiTransportError ? err : this.transportError(req, err)));
      r.end();
    });
  }

  private transportError(req: ApiRequest, err: unknown): ApiTransportError {
    const e = err as NodeJS.ErrnoException & { reason?: string };
    const code = e.code ?? 'UNKNOWN';
    if (isTlsCode(code)) return new ApiTransportError(req, 'tls', code, e.reason ?? e.message);
    return new ApiTransportError(req, 'unreachable', code, e.message);
  }

  /** Ends keep-alive connections so the process can exit. */
  close(): void {
    this.closed = true;
    this.agent.destroy();
  }
}

export const fmtMs = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
const fmtBytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
export { fmtBytes };
