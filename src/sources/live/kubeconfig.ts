// Kubeconfig resolution exactly as kubectl (client-go clientcmd) does it (finding and merging the
// files: kubeconfig-files.ts; choosing the context, cluster, user and namespace: here):
// - `--kubeconfig FILE`: that one file (it must exist);
// - else `KUBECONFIG=a:b:c`: every existing file, merged so that the FIRST file to set a value or a
//   named cluster/user/context wins (client-node's loadFromDefault lets the last file win and throws
//   on duplicate names; kubectl keeps the first silently);
// - else `~/.kube/config`;
// - else, when no file was found at all, in-cluster config (KUBERNETES_SERVICE_HOST/PORT plus the
//   service-account token and CA).
// Relative paths inside a file (certificate-authority, client-certificate, client-key, token-file,
// an exec command containing a slash) are resolved against that file's directory.
// Then `--context`, `--cluster`, `--user` and `-n` override the current context's choices.
// The result is a ResolvedKubeconfig (client.ts hands it to client-node only for proxies and legacy auth providers).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CliError, ExitCode } from '../../errors.js';
import { configError, exists, isObj, kubeconfigPaths, mergeKubeconfigFiles, type Named, type Obj } from './kubeconfig-files.js';

export interface KubeconfigFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
}

export interface KubeconfigEnvironment {
  readonly env: NodeJS.ProcessEnv;
  /** Directory of the in-cluster service-account files (token, ca.crt, namespace). */
  readonly serviceAccountDir?: string;
  /** Base for relative `--kubeconfig` / KUBECONFIG paths (default: process.cwd()). */
  readonly cwd?: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The exec credential plugin configuration of a kubeconfig user (client.authentication.k8s.io). */
export interface ExecConfig {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment for the plugin; KUBERNETES_EXEC_INFO is appended when the plugin runs. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly installHint?: string;
  readonly provideClusterInfo: boolean;
  readonly interactiveMode: 'Never' | 'IfAvailable' | 'Always';
}

export interface ClusterConfig {
  readonly name: string;
  readonly server: string;
  readonly caFile?: string;
  /** Base64, as in the kubeconfig. */
  readonly caData?: string;
  readonly insecureSkipTLSVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
  readonly disableCompression: boolean;
  /** extensions[name=client.authentication.k8s.io/exec].extension, passed to exec plugins. */
  readonly execExtension?: unknown;
}

export interface UserConfig {
  readonly name: string;
  readonly token?: string;
  /** Where the token came from, for messages. */
  readonly tokenFile?: string;
  readonly clientCertificateFile?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyFile?: string;
  readonly clientKeyData?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: ExecConfig;
  /** Legacy auth-provider (oidc, gcp, azure): handed to @kubernetes/client-node as is. */
  readonly authProvider?: { readonly name: string; readonly config?: Record<string, unknown> };
  readonly impersonate?: string;
  readonly impersonateGroups?: readonly string[];
  readonly impersonateUid?: string;
}

export interface ResolvedKubeconfig {
  /** Files that were read, in merge order (empty for in-cluster config). */
  readonly files: readonly string[];
  readonly inCluster: boolean;
  /** The context used (undefined when only --cluster was given, or in-cluster). */
  readonly contextName?: string;
  readonly cluster: ClusterConfig;
  readonly user: UserConfig;
  /** -n, else the context's namespace, else "default" (in-cluster: POD_NAMESPACE / the SA namespace file). */
  readonly namespace: string;
  readonly namespaceSource: 'flag' | 'context' | 'in-cluster' | 'default';
}

// ---------------------------------------------------------------- resolution

/** Resolves the cluster, user and namespace to use, like kubectl does for the given flags. */
export function resolveKubeconfig(flags: KubeconfigFlags, kenv: KubeconfigEnvironment): ResolvedKubeconfig {
  const { paths, explicit, from } = kubeconfigPaths(flags, kenv);
  const merged = mergeKubeconfigFiles(paths, explicit);
  const empty = merged.clusters.size === 0 && merged.users.size === 0 && merged.contexts.size === 0 && merged.currentContext === undefined;
  if (empty && !explicit) {
    const inCluster = inClusterConfig(flags, kenv);
    if (inCluster) return inCluster;
    throw configError(
      merged.files.length === 0
        ? `no kubeconfig found (${from === 'KUBECONFIG' ? `none of the KUBECONFIG files exist: ${paths.join(', ')}` : `looked for ${paths[0] ?? '~/.kube/config'}`}) and not running inside a cluster`
        : `the kubeconfig (${merged.files.join(', ')}) defines no clusters, users or contexts`,
      'pass --kubeconfig FILE or set KUBECONFIG; or analyse manifests instead with -f',
    );
  }
  const where = merged.files.length === 1 ? `kubeconfig ${merged.files[0]}` : `the kubeconfig (${merged.files.join(', ')})`;
  const names = (m: ReadonlyMap<string, Named>): string => [...m.keys()].join(', ') || '(none)';

  const contextName = flags.context !== undefined && flags.context !== '' ? flags.context : merged.currentContext;
  let context: Obj | undefined;
  if (contextName !== undefined) {
    context = merged.contexts.get(contextName)?.value;
    if (!context) {
      const origin = flags.context ? `--context ${contextName}` : `current-context "${contextName}"`;
      throw configError(`${origin}: no such context in ${where}`, `contexts: ${names(merged.contexts)} (choose one with --context)`);
    }
  }
  const clusterName = flags.cluster || str(context?.['cluster']);
  if (!clusterName) {
    throw configError(
      contextName === undefined ? `${where} has no current-context` : `context "${contextName}" names no cluster`,
      `choose a context with --context (contexts: ${names(merged.contexts)}) or a cluster with --cluster`,
    );
  }
  const clusterEntry = merged.clusters.get(clusterName);
  if (!clusterEntry) {
    const origin = flags.cluster ? `--cluster ${clusterName}` : `cluster "${clusterName}" of context "${contextName}"`;
    throw configError(`${origin}: no such cluster in ${where}`, `clusters: ${names(merged.clusters)}`);
  }
  const cluster = readCluster(clusterName, clusterEntry);

  const userName = flags.user || str(context?.['user']);
  let user: UserConfig = { name: userName ?? '' };
  if (userName) {
    const userEntry = merged.users.get(userName);
    if (!userEntry) {
      const origin = flags.user ? `--user ${userName}` : `user "${userName}" of context "${contextName}"`;
      throw configError(`${origin}: no such user in ${where}`, `users: ${names(merged.users)}`);
    }
    user = readUser(userName, userEntry);
  }

  const ctxNs = str(context?.['namespace']);
  const [namespace, namespaceSource] = flags.namespace
    ? [flags.namespace, 'flag' as const]
    : ctxNs
      ? [ctxNs, 'context' as const]
      : ['default', 'default' as const];
  return {
    files: merged.files,
    inCluster: false,
    ...(contextName !== undefined ? { contextName } : {}),
    cluster,
    user,
    namespace,
    namespaceSource,
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function readCluster(name: string, entry: Named): ClusterConfig {
  const c = entry.value;
  const server = str(c['server']);
  if (!server) throw configError(`cluster "${name}" in kubeconfig ${entry.file} has no server`, 'set clusters[].cluster.server to the API server URL');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw configError(`cluster "${name}" in kubeconfig ${entry.file}: server "${server}" is not a URL`, 'use https://HOST:PORT');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`cluster "${name}": server "${server}" must be an http(s) URL`);
  const caFile = str(c['certificate-authority']);
  const caData = str(c['certificate-authority-data']);
  if (caFile && !caData && !exists(caFile)) throw configError(`cluster "${name}": certificate-authority ${caFile} does not exist`, `fix it in ${entry.file} (relative paths are relative to that file)`);
  const extensions = Array.isArray(c['extensions']) ? c['extensions'] : [];
  const execExt = extensions.find((e): e is Obj => isObj(e) && e['name'] === 'client.authentication.k8s.io/exec');
  return {
    name,
    server: server.replace(/\/+$/, ''),
    // certificate-authority-data wins over certificate-authority, like client-go.
    ...(caData ? { caData } : caFile ? { caFile } : {}),
    insecureSkipTLSVerify: c['insecure-skip-tls-verify'] === true,
    ...(str(c['tls-server-name']) ? { tlsServerName: str(c['tls-server-name'])! } : {}),
    ...(str(c['proxy-url']) ? { proxyUrl: str(c['proxy-url'])! } : {}),
    disableCompression: c['disable-compression'] === true,
    ...(execExt ? { execExtension: execExt['extension'] } : {}),
  };
}

function readUser(name: string, entry: Named): UserConfig {
  const u = entry.value;
  const out: { -readonly [K in keyof UserConfig]: UserConfig[K] } = { name };
  const token = str(u['token']);
  const tokenFile = str(u['token-file']);
  if (token) out.token = token;
  else if (tokenFile) {
    try {
      out.token = readFileSync(tokenFile, 'utf8').trim();
      out.tokenFile = tokenFile;
    } catch (e) {
      throw configError(`user "${name}": cannot read token-file ${tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, `fix it in ${entry.file} (relative paths are relative to that file)`);
    }
  }
  const certData = str(u['client-certificate-data']);
  const certFile = str(u['client-certificate']);
  const keyData = str(u['client-key-data']);
  const keyFile = str(u['client-key']);
  // *-data wins over the file, like client-go.
  if (certData) out.clientCertificateData = certData;
  else if (certFile) out.clientCertificateFile = checkFile(certFile, 'client-certificate', name, entry.file);
  if (keyData) out.clientKeyData = keyData;
  else if (keyFile) out.clientKeyFile = checkFile(keyFile, 'client-key', name, entry.file);
  if ((out.clientCertificateData || out.clientCertificateFile) && !(out.clientKeyData || out.clientKeyFile))
    throw configError(`user "${name}" has a client certificate but no client key`, `add client-key or client-key-data in ${entry.file}`);
  if (str(u['username'])) out.username = str(u['username'])!;
  if (typeof u['password'] === 'string') out.password = u['password'];
  if (str(u['as'])) out.impersonate = str(u['as'])!;
  if (Array.isArray(u['as-groups'])) out.impersonateGroups = u['as-groups'].filter((g): g is string => typeof g === 'string');
  if (str(u['as-uid'])) out.impersonateUid = str(u['as-uid'])!;
  const ap = u['auth-provider'];
  if (isObj(ap) && typeof ap['name'] === 'string') out.authProvider = { name: ap['name'], ...(isObj(ap['config']) ? { config: ap['config'] } : {}) };
  if (u['exec'] !== undefined && u['exec'] !== null) out.exec = readExec(name, u['exec'], entry.file);
  return out;
}

function checkFile(path: string, field: string, user: string, file: string): string {
  if (!exists(path)) throw configError(`user "${user}": ${field} ${path} does not exist`, `fix it in ${file} (relative paths are relative to that file)`);
  return path;
}

function readExec(user: string, e: unknown, file: string): ExecConfig {
  if (!isObj(e)) throw configError(`user "${user}": exec must be a mapping`, `fix it in ${file}`);
  const command = str(e['command']);
  if (!command) throw configError(`user "${user}": exec has no command`, `set users[].user.exec.command in ${file}`);
  const apiVersion = str(e['apiVersion']);
  if (!apiVersion) throw configError(`user "${user}": exec plugin ${command} has no apiVersion`, 'set exec.apiVersion to client.authentication.k8s.io/v1 (or v1beta1)');
  if (apiVersion !== 'client.authentication.k8s.io/v1' && apiVersion !== 'client.authentication.k8s.io/v1beta1')
    throw configError(`user "${user}": exec apiVersion ${apiVersion} is not supported`, 'use client.authentication.k8s.io/v1 or v1beta1 (v1alpha1 was removed from kubectl too)');
  const args = Array.isArray(e['args']) ? e['args'].map(String) : [];
  const env = Array.isArray(e['env'])
    ? e['env'].filter(isObj).map((x) => ({ name: String(x['name'] ?? ''), value: String(x['value'] ?? '') })).filter((x) => x.name !== '')
    : [];
  const mode = str(e['interactiveMode']);
  if (mode !== undefined && mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always')
    throw configError(`user "${user}": exec interactiveMode ${mode} is not one of Never, IfAvailable, Always`);
  return {
    apiVersion,
    command,
    args,
    env,
    ...(str(e['installHint']) ? { installHint: str(e['installHint'])! } : {}),
    provideClusterInfo: e['provideClusterInfo'] === true,
    // client-go defaults: IfAvailable for v1beta1; v1 requires the field but treat absence the same.
    interactiveMode: (mode ?? 'IfAvailable') as ExecConfig['interactiveMode'],
  };
}

/** In-cluster config (rest.InClusterConfig): only when no kubeconfig file exists at all. */
function inClusterConfig(flags: KubeconfigFlags, kenv: KubeconfigEnvironment): ResolvedKubeconfig | undefined {
  const host = kenv.env.KUBERNETES_SERVICE_HOST;
  const port = kenv.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const dir = kenv.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenPath = join(dir, 'token');
  if (!exists(tokenPath)) return undefined;
  let token: string;
  try {
    token = readFileSync(tokenPath, 'utf8').trim();
  } catch (e) {
    throw configError(`in-cluster config: cannot read ${tokenPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const caPath = join(dir, 'ca.crt');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let podNs = kenv.env.POD_NAMESPACE;
  if (!podNs) {
    try {
      podNs = readFileSync(join(dir, 'namespace'), 'utf8').trim();
    } catch {
      podNs = undefined;
    }
  }
  const [namespace, namespaceSource] = flags.namespace ? [flags.namespace, 'flag' as const] : podNs ? [podNs, 'in-cluster' as const] : ['default', 'default' as const];
  return {
    files: [],
    inCluster: true,
    cluster: {
      name: 'in-cluster',
      server: `https://${hostPart}:${port}`,
      ...(exists(caPath) ? { caFile: caPath } : {}),
      insecureSkipTLSVerify: false,
      disableCompression: false,
    },
    user: { name: 'in-cluster', token, tokenFile: tokenPath },
    namespace,
    namespaceSource,
  };
}

// ---------------------------------------------------------------- --request-timeout

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * kubectl's --request-timeout: an integer is seconds, otherwise a Go duration (10s, 1m30s, 1.5h,
 * 300ms); 0 means no timeout. Returns milliseconds (0 = none).
 */
export function parseRequestTimeout(value: string | undefined): number {
  if (value === undefined) return 0;
  const v = String(value).trim();
  const bad = (): CliError =>
    new CliError(`--request-timeout ${JSON.stringify(v)} is not a duration`, 'use a number of seconds or a duration with a unit: 30, 10s, 1m, 2h (0 = no timeout)', ExitCode.usage);
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (v === '' || v.startsWith('-')) throw bad();
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    at = re.lastIndex;
  }
  if (at !== v.length || at === 0) throw bad();
  return Math.ceil(total);
}
