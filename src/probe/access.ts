// Which probe mode RBAC permits (SelfSubjectAccessReview: asks the API server, creates nothing), and
// the ready-made Role / ClusterRole that `probe --print-rbac` prints.
import type { ApiClient } from '../sources/live/client.js';
import { ApiStatusError, type ApiRequest } from '../sources/live/request.js';
import type { ProbeMode } from './types.js';

/** One permission, as RBAC and `kubectl auth can-i` spell it. */
export interface Permission {
  readonly verb: ApiRequest['verb'];
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
}

/** What each mode needs in the source namespace, besides the reads every command does (get/list pods, ...). */
export const MODE_PERMISSIONS: Record<ProbeMode, readonly Permission[]> = {
  ephemeral: [
    { verb: 'patch', group: '', resource: 'pods', subresource: 'ephemeralcontainers' },
    { verb: 'get', group: '', resource: 'pods' },
  ],
  clone: [
    { verb: 'create', group: '', resource: 'pods' },
    { verb: 'delete', group: '', resource: 'pods' },
    { verb: 'get', group: '', resource: 'pods' },
    { verb: 'create', group: '', resource: 'configmaps' },
    { verb: 'delete', group: '', resource: 'configmaps' },
  ],
};

export const asRequest = (p: Permission, namespace: string): ApiRequest => ({ verb: p.verb, group: p.group, version: 'v1', resource: p.resource, namespace, ...(p.subresource ? { subresource: p.subresource } : {}) });

/** `kubectl auth can-i patch pods --subresource=ephemeralcontainers -n shop` */
export function canILine(p: Permission, namespace: string, kubectlFlags: readonly string[] = []): string {
  const res = p.group ? `${p.resource}.${p.group}` : p.resource;
  return `kubectl auth can-i ${p.verb} ${res}${p.subresource ? ` --subresource=${p.subresource}` : ''} -n ${namespace}${kubectlFlags.length ? ` ${kubectlFlags.join(' ')}` : ''}`;
}

/** Asks the API server whether the current user may do `p` in `namespace`; undefined when the review itself is refused. */
export async function canI(client: ApiClient, p: Permission, namespace: string): Promise<boolean | undefined> {
  try {
    const res = (await client.create(
      { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews' },
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb: p.verb, group: p.group, resource: p.resource, ...(p.subresource ? { subresource: p.subresource } : {}) } },
      },
    )) as { status?: { allowed?: boolean } };
    return res?.status?.allowed === true;
  } catch (e) {
    if (e instanceof ApiStatusError && (e.status === 403 || e.status === 404)) return undefined;
    throw e;
  }
}

export interface ModeDecision {
  readonly mode?: ProbeMode;
  /** Why this mode (shown to the user). */
  readonly why: string;
  /** Permissions that are missing, for the error when no mode is allowed. */
  readonly missing: readonly Permission[];
}

/** The missing permissions of one mode in a namespace (undefined answers count as allowed: the request itself will tell). */
export async function missingFor(client: ApiClient, mode: ProbeMode, namespace: string): Promise<Permission[]> {
  const answers = await Promise.all(MODE_PERMISSIONS[mode].map(async (p) => ({ p, ok: await canI(client, p, namespace) })));
  return answers.filter((a) => a.ok === false).map((a) => a.p);
}

/**
 * `auto`: ephemeral where permitted (exact identity, nothing new scheduled), else clone; an explicit
 * mode is used only if permitted. `missing` lists what would allow it.
 */
export async function decideMode(client: ApiClient, wanted: ProbeMode | 'auto', namespace: string): Promise<ModeDecision> {
  if (wanted !== 'auto') {
    const missing = await missingFor(client, wanted, namespace);
    return missing.length === 0 ? { mode: wanted, why: `--mode ${wanted}`, missing } : { why: `--mode ${wanted} is not permitted`, missing };
  }
  const eph = await missingFor(client, 'ephemeral', namespace);
  if (eph.length === 0) return { mode: 'ephemeral', why: 'ephemeral containers are permitted: the probe runs inside the source pod itself', missing: [] };
  const clone = await missingFor(client, 'clone', namespace);
  const ephText = eph.map((p) => canPhrase(p)).join(', ');
  if (clone.length === 0) return { mode: 'clone', why: `falling back to clone pods: RBAC forbids ${ephText} in namespace ${namespace}`, missing: [] };
  return { why: `neither mode is permitted in namespace ${namespace}`, missing: [...eph, ...clone] };
}

export const canPhrase = (p: Permission): string => `${p.verb} ${p.resource}${p.subresource ? `/${p.subresource}` : ''}`;

/** A Role (per namespace) or ClusterRole with exactly what probing needs in both modes, plus the reads. */
export function rbacManifest(kind: 'Role' | 'ClusterRole', namespace: string | undefined, name = 'kubectl-netpol-probe'): Record<string, unknown>[] {
  const meta = kind === 'Role' ? { name, namespace: namespace ?? 'default' } : { name };
  const rules = [
    { apiGroups: [''], resources: ['pods', 'namespaces', 'services', 'nodes', 'configmaps'], verbs: ['get', 'list'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list'] },
    { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list'] },
    { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: ['get', 'list'] },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list'] },
    { apiGroups: ['policy.networking.k8s.io'], resources: ['adminnetworkpolicies', 'baselineadminnetworkpolicies', 'clusternetworkpolicies'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] },
    { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['create', 'delete'] },
  ];
  // nodes, namespaces and the admin policies are cluster-scoped: a Role cannot grant them (reads then degrade gracefully).
  const namespaced = kind === 'Role' ? rules.map((r) => ({ ...r, resources: r.resources.filter((x) => !['namespaces', 'nodes', 'adminnetworkpolicies', 'baselineadminnetworkpolicies', 'clusternetworkpolicies'].includes(x)) })).filter((r) => r.resources.length > 0) : rules;
  return [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { ...meta, labels: { 'app.kubernetes.io/name': 'kubectl-netpol' } }, rules: namespaced }];
}
