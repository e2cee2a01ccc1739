// Kubernetes objects -> ClusterState. Pure: no IO. Accepts plain parsed YAML/JSON objects and
// @kubernetes/client-node objects alike (same field names). Used by the file loader (files.ts)
// and by the live-cluster adapter.

import type {
  AdminPolicy,
  ClusterState,
  EndpointSliceInfo,
  Limitation,
  NamespaceInfo,
  NetworkPolicy,
  NodeInfo,
  ServiceInfo,
  SourceRef,
} from '../engine/model.js';
import { NAMESPACE_NAME_LABEL, type PodRead } from './core.js';
import { isObj } from './fields.js';
import { IRRELEVANT_KINDS, isListKind, splitApiVersion, SUPPORTED_KINDS, THIRD_PARTY_POLICY_GROUPS, type Converter } from './kinds.js';
import { describe, type ObjectContext, type Problem } from './problems.js';
import { attributePods, type WorkloadInfo } from './workloads.js';

export type { Converted, ObjectContext, Problem, Severity } from './problems.js';
export { convertNamespace, convertPod, convertNode, convertService, convertEndpointSlice, readPod } from './core.js';
export { convertNetworkPolicy, inferPolicyTypes } from './netpol.js';
export { convertAdminNetworkPolicy, convertBaselineAdminNetworkPolicy, convertClusterNetworkPolicy } from './admin.js';
export { convertWorkload, templatePod, WorkloadIndex, type WorkloadInfo } from './workloads.js';
export { IRRELEVANT_KINDS, SUPPORTED_KINDS, isListKind, splitApiVersion } from './kinds.js';

/** One object to convert, with where it came from. */
export interface RawObject {
  readonly object: unknown;
  /** Overrides `object.kind` / `object.apiVersion` (items of typed API lists lack them). */
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly source?: SourceRef;
  /** Index in the `items` of the List document it came from. */
  readonly itemIndex?: number;
}

export interface BuildOptions {
  /** Namespace of namespaced objects without metadata.namespace (like `kubectl -n`); default "default". */
  readonly defaultNamespace?: string;
}

export interface BuildResult {
  readonly state: ClusterState;
  /** Per-object errors (object skipped) and warnings, then per-kind summaries of skipped kinds. */
  readonly problems: readonly Problem[];
}

// ---------------------------------------------------------------- build

const fmtSource = (s: SourceRef | undefined, itemIndex?: number): string => {
  if (!s?.file) return s?.origin === 'live' ? 'the API server' : 'the input';
  const doc = s.documentIndex !== undefined ? ` (document ${s.documentIndex + 1}${itemIndex !== undefined ? `, items[${itemIndex}]` : ''})` : '';
  return `${s.file}${doc}`;
};

interface Tally {
  count: number;
  files: string[];
  seen: Set<string>;
  first: RawObject;
  kind: string;
  apiVersion: string | undefined;
  thirdParty: boolean;
}

export function buildClusterState(objects: Iterable<RawObject>, options: BuildOptions = {}): BuildResult {
  const problems: Problem[] = [];
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const namespaces = new Registry<NamespaceInfo>();
  const pods = new Registry<PodRead>();
  const nodes = new Registry<NodeInfo>();
  const services = new Registry<ServiceInfo>();
  const slices = new Registry<EndpointSliceInfo>();
  const netpols = new Registry<NetworkPolicy>();
  const admins = new Registry<AdminPolicy>();
  const workloads = new Registry<WorkloadInfo>();
  const ignored = new Map<string, Tally>();
  const unknown = new Map<string, Tally>();

  const tally = (m: Map<string, Tally>, label: string, raw: RawObject, kind: string, apiVersion: string | undefined, thirdParty = false): void => {
    let t = m.get(label);
    if (!t) m.set(label, (t = { count: 0, files: [], seen: new Set(), first: raw, kind, apiVersion, thirdParty }));
    t.count++;
    const f = raw.source?.file;
    if (f !== undefined && !t.seen.has(f)) {
      t.seen.add(f);
      t.files.push(f);
    }
  };

  const put = <T>(m: Registry<T>, kind: string, ns: string | undefined, name: string, value: T, raw: RawObject): void => {
    const prev = m.set(kind, ns ?? '', name, value, raw);
    if (prev) {
      const objName = `${kind} ${ns === undefined ? name : `${ns}/${name}`}`;
      // As `kubectl apply` of both would do: the later definition wins. Said once, as a warning; the
      // verdict is computed (an error here would contradict "using the later one").
      problems.push({
        severity: 'warning',
        kind,
        ...(ns !== undefined ? { namespace: ns } : {}),
        name,
        message: `duplicate ${objName}: defined in ${fmtSource(prev.source, prev.itemIndex)} and again in ${fmtSource(raw.source, raw.itemIndex)}; using the later one`,
        hint: 'remove one of them (when merging snapshots, keep one snapshot per cluster)',
        ...(raw.source ? { source: raw.source } : {}),
        ...(raw.itemIndex !== undefined ? { itemIndex: raw.itemIndex } : {}),
        ...(prev.source?.file && raw.source?.file ? { files: [prev.source.file, raw.source.file] } : {}),
      });
    }
  };

  const docProblem = (raw: RawObject, message: string, hint?: string): void => {
    problems.push({
      severity: 'error',
      message,
      ...(hint !== undefined ? { hint } : {}),
      ...(raw.source ? { source: raw.source } : {}),
      ...(raw.itemIndex !== undefined ? { itemIndex: raw.itemIndex } : {}),
    });
  };

  const handle = (raw: RawObject): void => {
    const o = raw.object;
    if (!isObj(o)) {
      docProblem(raw, `${fmtSource(raw.source, raw.itemIndex)}: not a Kubernetes object (got ${describe(o)})`, 'each document must be a mapping with apiVersion, kind and metadata');
      return;
    }
    const kind = raw.kind ?? (typeof o['kind'] === 'string' ? o['kind'] : undefined);
    const apiVersion = raw.apiVersion ?? (typeof o['apiVersion'] === 'string' ? o['apiVersion'] : undefined);
    if ((kind === undefined || kind === '') && Array.isArray(o['flows'])) {
      const file = raw.source?.file;
      docProblem(
        raw,
        `${fmtSource(raw.source, raw.itemIndex)}: this looks like a flows file (pass it to check), not a manifest`,
        `kubectl netpol check -f MANIFESTS ${file ?? 'FLOWS_FILE'} (check skips its flows file when a -f directory holds it)`,
      );
      return;
    }
    if (kind === undefined || kind === '') {
      docProblem(raw, `${fmtSource(raw.source, raw.itemIndex)}: object has no kind`, 'add "kind:" (and "apiVersion:") to the document');
      return;
    }
    if (isListKind(kind) && Array.isArray(o['items'])) {
      // kind: List (kubectl get -o yaml) or a typed list (PodList) whose items may lack kind/apiVersion.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -4);
      o['items'].forEach((item, i) => {
        const hasKind = isObj(item) && typeof item['kind'] === 'string';
        handle({
          object: item,
          ...(itemKind && !hasKind ? { kind: itemKind, ...(apiVersion ? { apiVersion } : {}) } : {}),
          ...(raw.source ? { source: raw.source } : {}),
          itemIndex: raw.itemIndex ?? i,
        });
      });
      return;
    }
    const gv = splitApiVersion(apiVersion);
    const spec = SUPPORTED_KINDS[kind];
    if (spec) {
      const versions = gv ? spec.groups[gv.group] : '*';
      if (versions === undefined) {
        tally(unknown, `${kind} (${apiVersion})`, raw, kind, apiVersion, gv ? THIRD_PARTY_POLICY_GROUPS.has(gv.group) || /Policy|Firewall/.test(kind) : false);
        return;
      }
      if (versions !== '*' && gv && !versions.includes(gv.version)) {
        const supported = Object.entries(spec.groups).flatMap(([g, vs]) => (vs === '*' ? [`${g}/*`] : vs.map((v) => (g ? `${g}/${v}` : v))));
        const name = isObj(o['metadata']) && typeof o['metadata']['name'] === 'string' ? o['metadata']['name'] : '<unnamed>';
        problems.push({
          severity: 'error',
          kind,
          name,
          field: 'apiVersion',
          message: `${kind} ${name}: apiVersion: ${apiVersion} is not supported; skipped`,
          hint: `supported: ${supported.join(', ')}`,
          ...(raw.source ? { source: raw.source } : {}),
          ...(raw.itemIndex !== undefined ? { itemIndex: raw.itemIndex } : {}),
        });
        return;
      }
      const ctx: ObjectContext = {
        defaultNamespace,
        ...(raw.source ? { source: raw.source } : {}),
        ...(raw.itemIndex !== undefined ? { itemIndex: raw.itemIndex } : {}),
      };
      convertOne(spec.convert, kind, o, ctx, raw);
      return;
    }
    if (IRRELEVANT_KINDS.has(kind)) {
      tally(ignored, kind, raw, kind, apiVersion);
      return;
    }
    const thirdParty = (gv !== undefined && THIRD_PARTY_POLICY_GROUPS.has(gv.group)) || /NetworkPolicy|Firewall/.test(kind);
    tally(unknown, apiVersion ? `${kind} (${apiVersion})` : kind, raw, kind, apiVersion, thirdParty);
  };

  const convertOne = (c: Converter, kind: string, o: unknown, ctx: ObjectContext, raw: RawObject): void => {
    switch (c.to) {
      case 'namespace': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(namespaces, kind, undefined, res.value.name, res.value, raw);
        return;
      }
      case 'pod': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(pods, kind, res.value.pod.namespace, res.value.pod.name, res.value, raw);
        return;
      }
      case 'node': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(nodes, kind, undefined, res.value.name, res.value, raw);
        return;
      }
      case 'service': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(services, kind, res.value.namespace, res.value.name, res.value, raw);
        return;
      }
      case 'slice': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(slices, kind, res.value.namespace, res.value.name, res.value, raw);
        return;
      }
      case 'netpol': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(netpols, kind, res.value.namespace, res.value.name, res.value, raw);
        return;
      }
      case 'admin': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(admins, kind, undefined, res.value.name, res.value, raw);
        return;
      }
      case 'workload': {
        const res = c.fn(o, ctx);
        problems.push(...res.problems);
        if (res.ok) put(workloads, kind, res.value.namespace, res.value.ref.name, res.value, raw);
        return;
      }
    }
  };

  for (const raw of objects) handle(raw);

  const allPods = attributePods(workloads.values(), pods.values());

  const nsList: NamespaceInfo[] = namespaces.values();
  const known = new Set(nsList.map((n) => n.name));
  const synthetic: string[] = [];
  const ref = (ns: string): void => {
    if (known.has(ns)) return;
    known.add(ns);
    synthetic.push(ns);
    nsList.push({ name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns }, synthetic: true, source: { origin: 'synthetic' } });
  };
  for (const p of allPods) ref(p.namespace);
  for (const value of services.values()) ref(value.namespace);
  for (const value of slices.values()) ref(value.namespace);
  for (const value of netpols.values()) ref(value.namespace);
  for (const value of workloads.values()) ref(value.namespace);

  const limitations: Limitation[] = [];
  if (synthetic.length > 0)
    limitations.push({
      id: 'synthetic-namespaces',
      message: `namespace${synthetic.length > 1 ? 's' : ''} ${synthetic.join(', ')} ${synthetic.length > 1 ? 'were' : 'was'} not supplied; only the ${NAMESPACE_NAME_LABEL} label is known, so namespaceSelector matches on other labels may be wrong`,
    });

  for (const t of ignored.values()) {
    problems.push(summary(t, `ignored ${t.count} ${t.kind} object${t.count > 1 ? 's' : ''} (not relevant to network policy)`));
  }
  for (const [label, t] of unknown.entries()) {
    const msg = t.thirdParty
      ? `skipped ${t.count} ${label} object${t.count > 1 ? 's' : ''}: this policy API is not evaluated, so verdicts ignore it`
      : `skipped ${t.count} object${t.count > 1 ? 's' : ''} of unknown kind ${label}`;
    const hint = t.thirdParty
      ? 'verdicts only cover NetworkPolicy and the policy.networking.k8s.io admin tiers; CNI-specific policies may change the real outcome'
      : `understood kinds: ${Object.keys(SUPPORTED_KINDS).join(', ')}`;
    problems.push(summary(t, msg, hint));
    if (t.thirdParty) limitations.push({ id: `unsupported-policy:${label}`, message: `${t.count} ${label} object${t.count > 1 ? 's are' : ' is'} not evaluated` });
  }

  const state: ClusterState = {
    namespaces: nsList,
    pods: allPods,
    nodes: nodes.values(),
    services: services.values(),
    endpointSlices: slices.values(),
    networkPolicies: netpols.values(),
    adminPolicies: admins.values(),
    limitations,
  };
  return { state, problems };
}

/** Objects by kind, namespace and name, in first-seen order; a later duplicate replaces the earlier. */
class Registry<T> {
  private readonly index = new Map<string, Map<string, Map<string, number>>>();
  private readonly items: T[] = [];
  private readonly raws: RawObject[] = [];

  /** Returns the replaced object's RawObject when (kind, ns, name) was already present. */
  set(kind: string, ns: string, name: string, value: T, raw: RawObject): RawObject | undefined {
    let byNs = this.index.get(kind);
    if (!byNs) this.index.set(kind, (byNs = new Map()));
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    const at = byName.get(name);
    if (at !== undefined) {
      const prev = this.raws[at];
      this.items[at] = value;
      this.raws[at] = raw;
      return prev;
    }
    byName.set(name, this.items.length);
    this.items.push(value);
    this.raws.push(raw);
    return undefined;
  }

  values(): T[] {
    return this.items;
  }
}

function summary(t: Tally, message: string, hint?: string): Problem {
  const files = t.files.length > 0 ? ` in ${t.files.slice(0, 5).join(', ')}${t.files.length > 5 ? ` and ${t.files.length - 5} more files` : ''}` : '';
  return {
    severity: 'warning',
    kind: t.kind,
    message: message + files,
    ...(hint !== undefined ? { hint } : {}),
    ...(t.first.source ? { source: t.first.source } : {}),
    files: t.files,
  };
}
