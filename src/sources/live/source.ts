// The live-cluster source: kubeconfig -> API client -> the reads a command needs -> ClusterState.
// `loadLive` is what cmd/commands/shared.ts calls when no -f is given.

import { isatty } from 'node:tty';

import type { ClusterState } from '../../engine/model.js';
import { detectCni, type CniReport } from '../../cni/detect.js';
import { ApiClient, fmtBytes } from './client.js';
import { toCliError, type ErrorContext } from './errors.js';
import { parseRequestTimeout, resolveKubeconfig, type KubeconfigEnvironment, type ResolvedKubeconfig } from './kubeconfig.js';
import { LiveReader, type LoadPlan, type LoadStats } from './reader.js';
import { parseRef } from './refs.js';

/** The global flags loadLive reads (cmd/options.ts GlobalOptions satisfies it). */
export interface LiveArgs {
  readonly namespace?: string;
  readonly 'all-namespaces'?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly 'request-timeout'?: string;
  readonly verbose?: boolean;
}

/** What the command needs (cmd/commands/shared.ts Needs). */
export interface LiveNeeds {
  readonly endpoints?: readonly string[];
  readonly namespaces?: readonly string[] | 'all';
}

export interface LiveIO {
  readonly stderr: { write(s: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

export interface LiveResult {
  readonly state: ClusterState;
  /** Namespace for references without one. */
  readonly namespace: string;
  readonly config: ResolvedKubeconfig;
  readonly plan: LoadPlan;
  /** Which network plugin runs, and whether it enforces NetworkPolicy (src/cni/detect.ts). */
  readonly cni: CniReport;
  readonly stats: LoadStats & { readonly requests: number; readonly bytes: number; readonly ms: number; readonly byResource: ReadonlyMap<string, number> };
}

export interface LiveOptions {
  /** In-cluster service-account directory (tests). */
  readonly serviceAccountDir?: string;
  readonly execTimeoutMs?: number;
  readonly execNoticeAfterMs?: number;
  readonly stdinIsTTY?: boolean;
  /** Items per list page (default 500; tests page small lists). */
  readonly pageSize?: number;
}

/**
 * At most this many distinct references are read one by one (explain: 2); more (check with a
 * flows file) list everything cluster-wide, which is fewer requests for many references.
 */
export const MAX_TARGETED_REFERENCES = 2;

export function planFor(needs: LiveNeeds, namespace: string): LoadPlan {
  if (needs.namespaces === 'all') return { mode: 'all', services: false };
  if (needs.namespaces !== undefined) {
    const ns = needs.namespaces.find((n) => n !== '') ?? namespace;
    return { mode: 'namespace', namespace: ns };
  }
  const refs = [...new Set(needs.endpoints ?? [])];
  if (refs.length > 0 && refs.length <= MAX_TARGETED_REFERENCES) return { mode: 'endpoints', refs };
  // Services and EndpointSlices only matter for svc/ references (and to recognise ClusterIPs).
  const parsed = refs.map((r) => parseRef(r, namespace));
  const services = refs.length === 0 || parsed.some((r) => r.kind === 'service' || r.kind === 'ip');
  const namespaces = [...new Set(parsed.flatMap((r) => ('namespace' in r ? [r.namespace] : [])))];
  return { mode: 'all', services, ...(namespaces.length > 0 ? { namespaces } : {}) };
}

/** kubectl flags to repeat in suggested commands, so they check the same identity. */
function kubectlFlags(args: LiveArgs): string[] {
  const out: string[] = [];
  if (args.kubeconfig) out.push(`--kubeconfig ${args.kubeconfig}`);
  if (args.context) out.push(`--context ${args.context}`);
  if (args.cluster) out.push(`--cluster ${args.cluster}`);
  if (args.user) out.push(`--user ${args.user}`);
  return out;
}

/** A connected client plus what error messages need; `loadLive` and the TUI's live feed share it. */
export interface LiveConnection {
  readonly config: ResolvedKubeconfig;
  readonly client: ApiClient;
  readonly errCtx: ErrorContext;
  readonly debugLevel: number;
  readonly debug: (line: string) => void;
}

/** Resolves the kubeconfig like kubectl and connects (runs an exec plugin if the user has one). */
export async function openLive(args: LiveArgs, io: LiveIO, options: LiveOptions & { readonly maxSockets?: number } = {}): Promise<LiveConnection> {
  const debugLevel = io.env.NETPOL_DEBUG && io.env.NETPOL_DEBUG !== '0' ? 2 : args.verbose ? 1 : 0;
  const kenv: KubeconfigEnvironment = { env: io.env, ...(options.serviceAccountDir ? { serviceAccountDir: options.serviceAccountDir } : {}) };
  const config = resolveKubeconfig(
    {
      ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}),
      ...(args.context !== undefined ? { context: args.context } : {}),
      ...(args.cluster !== undefined ? { cluster: args.cluster } : {}),
      ...(args.user !== undefined ? { user: args.user } : {}),
      ...(args.namespace !== undefined ? { namespace: args.namespace } : {}),
    },
    kenv,
  );
  const timeoutMs = parseRequestTimeout(args['request-timeout']);
  const errCtx: ErrorContext = { config, kubectlFlags: kubectlFlags(args), timeoutMs };
  const debug = (line: string): void => {
    io.stderr.write(`live: ${line}\n`);
  };
  try {
    const client = await ApiClient.connect(config, {
      timeoutMs,
      stderr: io.stderr,
      env: io.env,
      stdinIsTTY: options.stdinIsTTY ?? isatty(0), // not process.stdin: that would open a handle
      ...(debugLevel >= 2 ? { onRequest: debug } : {}),
      ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
      ...(options.execTimeoutMs !== undefined ? { execTimeoutMs: options.execTimeoutMs } : {}),
      ...(options.execNoticeAfterMs !== undefined ? { execNoticeAfterMs: options.execNoticeAfterMs } : {}),
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
    return { config, client, errCtx, debugLevel, debug };
  } catch (e) {
    throw toCliError(e, errCtx);
  }
}

/**
 * The reader's ClusterState with CNI detection applied: NetworkPolicy means nothing unless the
 * network plugin enforces it. The reader kept the evidence (DaemonSets, CNI namespaces'
 * Deployments/Pods/ConfigMaps, a few Nodes, API groups); when enforcement is not confirmed, the
 * report's warning becomes a limitation that qualifies every verdict.
 */
export function liveState(reader: LiveReader): { state: ClusterState; cni: CniReport } {
  const loaded = reader.state();
  const cni = detectCni(reader.cni.input());
  // One line on every command (NETPOL_NO_CNI_WARNING=1 hides it); the full text with --verbose.
  const state: ClusterState =
    cni.enforces === 'yes'
      ? loaded
      : { ...loaded, limitations: [...(loaded.limitations ?? []), { id: `cni-${cni.enforces}`, message: `${cni.headline ?? cni.summary} (--verbose says why)` }] };
  return { state, cni };
}

export async function loadLive(args: LiveArgs, needs: LiveNeeds, io: LiveIO, options: LiveOptions = {}): Promise<LiveResult> {
  const started = performance.now();
  const { config, client, errCtx, debugLevel, debug } = await openLive(args, io, options);
  const plan = planFor(needs, config.namespace);
  if (debugLevel >= 2)
    debug(
      `${config.inCluster ? 'in-cluster config' : `kubeconfig ${config.files.join(', ')}`}; context ${config.contextName ?? '(none)'}, cluster ${config.cluster.name} (${config.cluster.server}), user ${config.user.name || '(anonymous)'}, namespace ${config.namespace} (${config.namespaceSource}); plan ${plan.mode}`,
    );
  try {
    const reader = new LiveReader(client, config.namespace);
    await reader.load(plan);
    const { state, cni } = liveState(reader);
    const ms = performance.now() - started;
    const stats = { ...reader.stats, requests: client.stats.requests, bytes: client.stats.bytes, ms, byResource: client.stats.byResource };
    if (debugLevel >= 1) {
      debug(`${stats.requests} request${stats.requests === 1 ? '' : 's'} (${fmtBytes(stats.bytes)}) in ${(ms / 1000).toFixed(2)} s; ${state.pods.length} pods, ${state.networkPolicies.length} NetworkPolicies, ${state.adminPolicies.length} admin policies`);
    }
    if (debugLevel >= 1 && cni.warning) debug(`CNI: ${cni.warning}`);
    if (debugLevel >= 2) {
      debug(`CNI: ${cni.summary}`);
      for (const l of stats.lists)
        if (l.pages > 1 || l.restarts) debug(`${l.what}: ${l.items} items in ${l.pages} pages${l.restarts ? ` (started over ${l.restarts} time${l.restarts === 1 ? '' : 's'}: its continue token expired)` : ''}`);
      for (const n of stats.notes) debug(n);
      for (const w of reader.warnings()) debug(`warning: ${w.message}`);
    }
    return { state, namespace: config.namespace, config, plan, cni, stats };
  } catch (e) {
    // Nothing read so far is used: a failed read never becomes a verdict on part of the cluster.
    throw toCliError(e, { ...errCtx, answered: client.stats.answered });
  } finally {
    client.close();
  }
}

/** For callers outside the CLI (tests, benchmarks): a connected client from the same kubeconfig rules. */
export async function connect(args: LiveArgs, io: LiveIO): Promise<ApiClient> {
  const config = resolveKubeconfig(
    { ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}), ...(args.context !== undefined ? { context: args.context } : {}) },
    { env: io.env },
  );
  try {
    return await ApiClient.connect(config, { timeoutMs: parseRequestTimeout(args['request-timeout']), stderr: io.stderr, env: io.env });
  } catch (e) {
    throw toCliError(e, { config, kubectlFlags: [], timeoutMs: 0 });
  }
}
