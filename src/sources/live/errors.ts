// API failures -> CliError with a message that names what was asked, and an exit code per kind:
// 401 unauthorized (4), 403 forbidden (5, with the `kubectl auth can-i` command to check it),
// unreachable server / TLS verification failure (3), request timeout (6).

import { CliError, ExitCode } from '../../errors.js';
import { fmtMs } from './client.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import { ApiStatusError, ApiTransportError, describeRequest, ListExpiredError, resourceWithGroup, type ApiRequest } from './request.js';
import { RESOURCES } from './resources.js';

export interface ErrorContext {
  readonly config: ResolvedKubeconfig;
  /** Flags to repeat in suggested kubectl commands (--kubeconfig, --context, ...). */
  readonly kubectlFlags: readonly string[];
  readonly timeoutMs: number;
  /** Requests the server had already answered in this run: > 0 means it went away in the middle of the read. */
  readonly answered?: number;
}

/** `kubectl auth can-i list pods -n shop`, with the user's --kubeconfig/--context flags. */
export function canICommand(req: ApiRequest, ctx: ErrorContext): string {
  const res = resourceWithGroup(req);
  const target = req.name !== undefined ? `${res}/${req.name}` : res;
  const scope = req.namespace !== undefined ? ` -n ${req.namespace}` : namespacedResources.has(req.resource) ? ' --all-namespaces' : '';
  return `kubectl auth can-i ${req.verb} ${target}${scope}${ctx.kubectlFlags.length ? ` ${ctx.kubectlFlags.join(' ')}` : ''}`;
}

/** Plural names of the namespaced resources the reader reads (a list without a namespace spans them all). */
const namespacedResources = new Set<string>(Object.values(RESOURCES).filter((r) => r.namespaced).map((r) => r.resource));

/** `list pods in namespace "shop"` / `list pods in all namespaces` / `get namespace "shop"`. */
export function describeAccess(req: ApiRequest): string {
  if (req.name === undefined && req.namespace === undefined && namespacedResources.has(req.resource)) return `${req.verb} ${resourceWithGroup(req)} in all namespaces`;
  return `${req.verb} ${describeRequest(req)}`;
}

/** Several refused requests in one phrase: `list cronjobs.batch, deployments.apps in namespace "x"`. */
export function describeAccessMany(reqs: readonly ApiRequest[]): string {
  const groups = new Map<string, Set<string>>();
  for (const r of reqs) {
    const scope =
      r.name !== undefined ? '' : r.namespace !== undefined ? ` in namespace "${r.namespace}"` : namespacedResources.has(r.resource) ? ' in all namespaces' : '';
    const what = r.name !== undefined ? describeRequest(r) : resourceWithGroup(r);
    const k = `${r.verb}\0${scope}`;
    let set = groups.get(k);
    if (!set) groups.set(k, (set = new Set()));
    set.add(what);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, set]) => {
      const [verb, scope] = k.split('\0') as [string, string];
      return `${verb} ${[...set].sort().join(', ')}${scope}`;
    })
    .join('; ');
}

function who(ctx: ErrorContext): string {
  const c = ctx.config;
  if (c.inCluster) return 'the pod\'s service account (in-cluster config)';
  const u = c.user.name ? `user "${c.user.name}"` : 'the anonymous user';
  return c.contextName ? `${u} (context "${c.contextName}")` : u;
}

export function toCliError(e: unknown, ctx: ErrorContext): unknown {
  const server = ctx.config.cluster.server;
  if (e instanceof ListExpiredError)
    return new CliError(
      `the API server ${server} could not give a consistent ${describeAccess(e.req)}: the list changed faster than it could be paged through (its continue token expired ${e.attempts} times, 410 ${e.reason ?? 'Gone'})`,
      'try again; if it keeps happening, narrow the question (-n NAMESPACE instead of -A) so the list has fewer pages',
      ExitCode.unreachable,
      e.serverMessage ? [`server said: ${e.serverMessage}`] : [],
    );
  if (e instanceof ApiStatusError) {
    const details = e.serverMessage ? [`server said: ${e.serverMessage}`] : [];
    switch (e.status) {
      case 401:
        return new CliError(
          `the API server ${server} rejected the credentials of ${who(ctx)} (401 Unauthorized)`,
          'the token or client certificate is invalid or has expired: log in again, or pick another context with --context',
          ExitCode.unauthorized,
          details,
        );
      case 403:
        return new CliError(
          `forbidden: ${who(ctx)} may not ${describeAccess(e.req)} (403)`,
          `check with: ${canICommand(e.req, ctx)}`,
          ExitCode.forbidden,
          [
            ...details,
            'kubectl netpol only reads (get, list): namespaces, pods, networkpolicies, the policy.networking.k8s.io admin policies, and nodes, services, endpointslices and workloads when the question needs them',
          ],
        );
      case 504:
        return new CliError(`the API server ${server} timed out answering: ${describeAccess(e.req)} (504)`, 'try again, or narrow the question (-n NAMESPACE instead of -A)', ExitCode.timeout, details);
      default:
        if (e.reason === 'Timeout')
          return new CliError(`the API server ${server} timed out answering: ${describeAccess(e.req)}`, 'try again, or narrow the question', ExitCode.timeout, details);
        return new CliError(
          `the API server ${server} failed to ${describeAccess(e.req)} (HTTP ${e.status}${e.reason ? ` ${e.reason}` : ''})`,
          e.status >= 500 ? 'the server has a problem; try again later' : undefined,
          ExitCode.unreachable,
          details,
        );
    }
  }
  if (e instanceof ApiTransportError) {
    switch (e.kind) {
      case 'timeout':
        return new CliError(
          `request to ${server} timed out after ${fmtMs(ctx.timeoutMs)} (--request-timeout): ${describeAccess(e.req)}`,
          'raise --request-timeout (0 = no limit), or check the network path to the server',
          ExitCode.timeout,
        );
      case 'tls': {
        const hostname = e.code === 'ERR_TLS_CERT_ALTNAME_INVALID' || e.code === 'HOSTNAME_MISMATCH';
        const cluster = ctx.config.cluster;
        return new CliError(
          hostname
            ? `TLS: the API server's certificate is not valid for ${new URL(server).hostname}${cluster.tlsServerName ? ` (tls-server-name ${cluster.tlsServerName})` : ''}: ${e.detail}`
            : `TLS: cannot verify the API server ${server}: ${e.detail} (${e.code})`,
          hostname
            ? `set tls-server-name in cluster "${cluster.name}" to a name the certificate covers, or use an address it covers`
            : `check certificate-authority / certificate-authority-data of cluster "${cluster.name}" in the kubeconfig (insecure-skip-tls-verify: true would disable the check; not recommended)`,
          ExitCode.unreachable,
        );
      }
      case 'unreachable': {
        const why: Record<string, string> = {
          ECONNREFUSED: 'connection refused',
          ENOTFOUND: 'host not found',
          EAI_AGAIN: 'DNS lookup failed',
          EHOSTUNREACH: 'host unreachable',
          ENETUNREACH: 'network unreachable',
          ECONNRESET: 'connection reset',
          ETIMEDOUT: 'connection timed out',
        };
        const midRead = (ctx.answered ?? 0) > 0;
        return new CliError(
          `cannot reach the API server ${server}: ${why[e.code] ?? e.detail} (${e.code})`,
          midRead
            ? 'the server stopped answering in the middle of the read (restarting, or gone): try again once it is back; nothing was concluded from the part already read'
            : `is the cluster running, and is this the right context? (${ctx.config.contextName ? `context "${ctx.config.contextName}", ` : ''}check with: kubectl cluster-info${ctx.kubectlFlags.length ? ` ${ctx.kubectlFlags.join(' ')}` : ''})`,
          ExitCode.unreachable,
          midRead ? [`it answered ${ctx.answered} request${ctx.answered === 1 ? '' : 's'}, then failed to ${describeAccess(e.req)}`] : [],
        );
      }
    }
  }
  return e;
}
