// Exec credential plugins (client.authentication.k8s.io), run the way kubectl runs them — not the way
// @kubernetes/client-node's ExecAuth does (it leaves the plugin's stdin an open pipe, so a plugin
// that prompts hangs forever, does not set KUBERNETES_EXEC_INFO, and re-runs the plugin on every
// request when the credential has no expirationTimestamp):
// - KUBERNETES_EXEC_INFO = {"apiVersion": ..., "kind": "ExecCredential", "spec": {"interactive": ...}}
//   (plus spec.cluster with provideClusterInfo) is added to the plugin's env list;
// - interactive only when interactiveMode allows it and our stdin is a terminal; otherwise the
//   plugin's stdin is /dev/null, so a prompt fails fast instead of waiting;
// - the plugin's stderr is passed through (kubectl does the same: login instructions show up);
// - after a few seconds a notice names the plugin; after the time limit it is killed with an
//   error naming it and the command to run by hand;
// - the credential is cached for the whole run (until its expirationTimestamp); a 401 from the
//   server runs the plugin once more (ApiClient.send), as client-go does.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { CliError, ExitCode } from '../../errors.js';
import type { ClusterConfig, ExecConfig } from './kubeconfig.js';

export interface ExecCredentialStatus {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expirationTimestamp?: string;
}

export interface ExecRunOptions {
  /** Environment the plugin inherits (the CLI's). */
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: { write(s: string): unknown };
  /** Whether our stdin is a terminal the plugin could use. */
  readonly stdinIsTTY: boolean;
  /** Kill the plugin after this long (default 60 s, interactive 5 min). */
  readonly timeoutMs?: number;
  /** Say what we are waiting for after this long (default 5 s). */
  readonly noticeAfterMs?: number;
  /** For provideClusterInfo. */
  readonly cluster?: ClusterConfig;
  /** kubeconfig user name, for messages. */
  readonly userName: string;
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** KUBERNETES_EXEC_INFO for a run of the plugin. */
export function execInfo(cfg: ExecConfig, interactive: boolean, cluster?: ClusterConfig): string {
  const spec: Record<string, unknown> = { interactive };
  if (cfg.provideClusterInfo && cluster) {
    let caData = cluster.caData;
    if (!caData && cluster.caFile) {
      try {
        caData = readFileSync(cluster.caFile).toString('base64');
      } catch {
        caData = undefined;
      }
    }
    spec['cluster'] = {
      server: cluster.server,
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
      ...(cluster.insecureSkipTLSVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(caData ? { 'certificate-authority-data': caData } : {}),
      ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
      ...(cluster.execExtension !== undefined ? { config: cluster.execExtension } : {}),
    };
  }
  return JSON.stringify({ apiVersion: cfg.apiVersion, kind: 'ExecCredential', spec });
}

/** Runs an exec credential plugin once and returns the credential's status. Throws CliError. */
export async function runExecPlugin(cfg: ExecConfig, opts: ExecRunOptions): Promise<ExecCredentialStatus> {
  if (cfg.interactiveMode === 'Always' && !opts.stdinIsTTY)
    throw new CliError(
      `credential plugin ${cfg.command} (user "${opts.userName}") needs an interactive terminal (interactiveMode: Always), but stdin is not a terminal`,
      `run the plugin once in a terminal to log in: ${[cfg.command, ...cfg.args].map(quote).join(' ')}`,
      ExitCode.unauthorized,
    );
  const interactive = cfg.interactiveMode !== 'Never' && opts.stdinIsTTY;
  const env: NodeJS.ProcessEnv = { ...opts.env };
  // The plugin's env list, plus KUBERNETES_EXEC_INFO (client-go sets it; some plugins read it).
  const envList = [...cfg.env, { name: 'KUBERNETES_EXEC_INFO', value: execInfo(cfg, interactive, opts.cluster) }];
  for (const { name, value } of envList) env[name] = value;
  const timeoutMs = opts.timeoutMs ?? (interactive ? 300_000 : 60_000);
  const noticeAfterMs = opts.noticeAfterMs ?? 5_000;
  const commandLine = [cfg.command, ...cfg.args].map(quote).join(' ');
  const name = `credential plugin ${cfg.command} (user "${opts.userName}")`;

  const out = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderrTail = '';
    let settled = false;
    const child = spawn(cfg.command, [...cfg.args], { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'] });
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(notice);
      clearTimeout(kill);
      fn();
    };
    const notice = setTimeout(() => {
      opts.stderr.write(`waiting for ${name}${interactive ? ' (it may be waiting for you to log in)' : ''}; giving up after ${Math.round(timeoutMs / 1000)} s\n`);
    }, noticeAfterMs);
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      // A grandchild (e.g. `sleep` under a shell script) may still hold the pipes: let go of them.
      child.stdout.destroy();
      child.stderr.destroy();
      finish(() =>
        reject(
          new CliError(
            `${name} did not return a credential within ${Math.round(timeoutMs / 1000)} s`,
            `it may be waiting for input it cannot get here; run it in a terminal to see what it needs: ${commandLine}`,
            ExitCode.timeout,
          ),
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      opts.stderr.write(d);
      stderrTail = (stderrTail + d).slice(-2000);
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          new CliError(
            err.code === 'ENOENT' ? `${name}: command not found` : `${name} could not be started: ${err.message}`,
            cfg.installHint ?? `install ${cfg.command} or fix users[].user.exec.command in the kubeconfig`,
            ExitCode.unauthorized,
          ),
        ),
      ),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        if (code === 0) resolve(stdout);
        else {
          const last = stderrTail.trim().split('\n').slice(-3).join(' / ');
          reject(new CliError(`${name} failed (${code !== null ? `exit code ${code}` : `signal ${signal}`})${last ? `: ${last}` : ''}`, `run it by hand to see why: ${commandLine}`, ExitCode.unauthorized));
        }
      }),
    );
  });

  let cred: unknown;
  try {
    cred = JSON.parse(out);
  } catch {
    throw new CliError(`${name} printed no ExecCredential JSON`, `its output starts with: ${JSON.stringify(out.slice(0, 80))}`, ExitCode.unauthorized);
  }
  const c = cred as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  if (c?.kind !== 'ExecCredential') throw new CliError(`${name} printed kind ${JSON.stringify(c?.kind)}, not ExecCredential`, undefined, ExitCode.unauthorized);
  if (c.apiVersion !== cfg.apiVersion)
    throw new CliError(`${name} answered with apiVersion ${JSON.stringify(c.apiVersion)}, but the kubeconfig asks for ${cfg.apiVersion}`, 'make exec.apiVersion match the plugin', ExitCode.unauthorized);
  const s = c.status ?? {};
  const status: { -readonly [K in keyof ExecCredentialStatus]: ExecCredentialStatus[K] } = {};
  if (typeof s['token'] === 'string' && s['token'] !== '') status.token = s['token'];
  if (typeof s['clientCertificateData'] === 'string' && s['clientCertificateData'] !== '') status.clientCertificateData = s['clientCertificateData'];
  if (typeof s['clientKeyData'] === 'string' && s['clientKeyData'] !== '') status.clientKeyData = s['clientKeyData'];
  if (typeof s['expirationTimestamp'] === 'string') status.expirationTimestamp = s['expirationTimestamp'];
  if (!status.token && !(status.clientCertificateData && status.clientKeyData))
    throw new CliError(`${name} returned neither a token nor a client certificate and key`, undefined, ExitCode.unauthorized);
  return status;
}

/** A @kubernetes/client-node authenticator that runs the plugin through runExecPlugin, once per run. */
export class ExecPluginAuthenticator {
  static readonly PROVIDER = 'kubectl-netpol-exec';
  private cached: ExecCredentialStatus | undefined;
  private pending: Promise<ExecCredentialStatus> | undefined;
  runs = 0;

  constructor(
    private readonly cfg: ExecConfig,
    private readonly opts: ExecRunOptions,
  ) {}

  isAuthProvider(user: { authProvider?: { name?: string } }): boolean {
    return user.authProvider?.name === ExecPluginAuthenticator.PROVIDER;
  }

  async credential(): Promise<ExecCredentialStatus> {
    const c = this.cached;
    if (c && (!c.expirationTimestamp || Date.parse(c.expirationTimestamp) > Date.now())) return c;
    this.pending ??= runExecPlugin(this.cfg, this.opts).then(
      (v) => {
        this.runs++;
        this.cached = v;
        this.pending = undefined;
        return v;
      },
      (e: unknown) => {
        this.pending = undefined;
        throw e;
      },
    );
    return this.pending;
  }

  /** Runs the plugin again, whatever is cached (after the server refused the credential with 401). */
  renew(): Promise<ExecCredentialStatus> {
    this.cached = undefined;
    return this.credential();
  }

  async applyAuthentication(_user: unknown, opts: { headers?: Record<string, unknown>; cert?: unknown; key?: unknown }): Promise<void> {
    const cred = await this.credential();
    if (cred.clientCertificateData) opts.cert = cred.clientCertificateData;
    if (cred.clientKeyData) opts.key = cred.clientKeyData;
    if (cred.token) {
      opts.headers ??= {};
      opts.headers['Authorization'] = `Bearer ${cred.token}`;
    }
  }
}
