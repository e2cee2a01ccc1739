// Names for completion from the current kubeconfig context, within a deadline: a shell waiting on
// <TAB> must never hang on a slow or unreachable cluster, so any failure or timeout yields no names.
import { ApiClient } from '../sources/live/client.js';
import { mergeKubeconfigFiles, kubeconfigPaths } from '../sources/live/kubeconfig-files.js';
import { resolveKubeconfig, type KubeconfigFlags } from '../sources/live/kubeconfig.js';
import { RESOURCES, resourceRequest, type ResourceSpec } from '../sources/live/resources.js';
import type { Lookup } from './complete.js';

/** Default bound on a completion's cluster reads; NETPOL_COMPLETION_TIMEOUT (ms) overrides it. */
export const COMPLETION_TIMEOUT_MS = 1000;
/** Names beyond this are not useful in a completion menu (one list page). */
const MAX_NAMES = 500;

export interface LookupResult {
  readonly names: string[];
  readonly namespaces: string[];
}

const none: LookupResult = { names: [], namespaces: [] };

export async function lookupNames(lookup: Lookup, flags: KubeconfigFlags, env: NodeJS.ProcessEnv): Promise<LookupResult> {
  const timeoutMs = Number(env.NETPOL_COMPLETION_TIMEOUT) > 0 ? Number(env.NETPOL_COMPLETION_TIMEOUT) : COMPLETION_TIMEOUT_MS;
  if (lookup.kind === 'contexts') {
    try {
      const { paths, explicit } = kubeconfigPaths(flags, { env });
      return { names: [...mergeKubeconfigFiles(paths, explicit).contexts.keys()].sort(), namespaces: [] };
    } catch {
      return none;
    }
  }
  let client: ApiClient | undefined;
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<LookupResult>((resolve) => {
    timer = setTimeout(() => resolve(none), timeoutMs);
  });
  const read = (async (): Promise<LookupResult> => {
    const config = resolveKubeconfig(flags, { env });
    // Exec plugins may prompt: completion never runs them interactively, and they share the deadline.
    client = await ApiClient.connect(config, { timeoutMs, connectTimeoutMs: timeoutMs, execTimeoutMs: timeoutMs, stderr: { write: () => true }, env, stdinIsTTY: false, maxSockets: 2 });
    if (cancelled) client.close();
    const list = async (r: ResourceSpec, namespace?: string): Promise<string[]> => {
      const names: string[] = [];
      // One page: the first MAX_NAMES names are what a menu can show.
      const page = (await client!.get(resourceRequest(r, 'list', namespace, undefined, { limit: String(MAX_NAMES) }))) as { items?: { metadata?: { name?: string } }[] };
      for (const i of page.items ?? []) if (i.metadata?.name) names.push(i.metadata.name);
      return names.sort();
    };
    const namespace = lookup.namespace ?? config.namespace;
    const [names, namespaces] = await Promise.all([
      lookup.kind === 'namespaces' ? list(RESOURCES.namespaces) : list(lookup.kind === 'pods' ? RESOURCES.pods : RESOURCES.networkpolicies, namespace),
      lookup.withNamespaces ? list(RESOURCES.namespaces).catch(() => []) : Promise.resolve([]),
    ]);
    return { names, namespaces };
  })().catch(() => none);
  try {
    return await Promise.race([read, deadline]);
  } finally {
    cancelled = true;
    clearTimeout(timer);
    (client as ApiClient | undefined)?.close();
  }
}
