// Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController).
// They matter only through their pods: when a workload has no live pod in the input, its pod
// template stands in for one (`template: true`), so "what if it ran" questions can be answered
// from manifests alone.

import type { ContainerPort, LabelSelector, Labels, PodInfo, SourceRef, WorkloadRef } from '../engine/model.js';
import { controllerOf, DEFAULT_NAMESPACE, isWorkloadKind, readContainerPorts, readMeta, type OwnerRef, type PodRead } from './core.js';
import { boolAt, isObj, labelsAt, objAt, selectorAt, strAt, type Obj } from './fields.js';
import { describe, Reporter, type Converted, type ObjectContext } from './problems.js';
import { isEmptySelector, selectorMatches } from '../engine/labels.js';
import { isActivePod } from '../engine/pod-address.js';

export type WorkloadKind = WorkloadRef['kind'];

export interface WorkloadInfo {
  readonly ref: WorkloadRef;
  readonly namespace: string;
  /**
   * Which pods belong to it: spec.selector; for Job/CronJob without a manual selector and for
   * ReplicationController without one, the template labels (pods always carry them).
   */
  readonly selector: LabelSelector;
  readonly templateLabels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly serviceAccount?: string;
  /** Controller ownerReference (e.g. a ReplicaSet's Deployment, a Job's CronJob). */
  readonly owner?: OwnerRef;
  readonly source?: SourceRef;
}

const APPS_KINDS = new Set<string>(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
export const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'] as const;

export function convertWorkload(kind: WorkloadKind, obj: unknown, ctx: ObjectContext = {}): Converted<WorkloadInfo> {
  const r = new Reporter(kind, ctx);
  if (!isObj(obj)) {
    r.error('', `is not an object; got ${describe(obj)}`);
    return r.result<WorkloadInfo>(undefined);
  }
  const meta = readMeta(obj, r, true);
  if (!meta) return r.result<WorkloadInfo>(undefined);
  const spec = objAt(obj['spec'], 'spec', r) ?? {};
  let templateOwner: Obj = spec;
  let base = 'spec';
  if (kind === 'CronJob') {
    const jt = objAt(spec['jobTemplate'], 'spec.jobTemplate', r);
    const jts = jt ? objAt(jt['spec'], 'spec.jobTemplate.spec', r) : undefined;
    if (!jts) {
      if (!r.failed) r.error('spec.jobTemplate.spec', 'is required', 'a CronJob needs spec.jobTemplate.spec.template');
      return r.result<WorkloadInfo>(undefined);
    }
    templateOwner = jts;
    base = 'spec.jobTemplate.spec';
  }
  const tPath = `${base}.template`;
  const template = objAt(templateOwner['template'], tPath, r);
  if (!template) {
    if (!r.failed) r.error(tPath, 'is required', 'the workload needs a pod template');
    return r.result<WorkloadInfo>(undefined);
  }
  const tmeta = objAt(template['metadata'], `${tPath}.metadata`, r) ?? {};
  const labels: Record<string, string> = { ...(labelsAt(tmeta['labels'], `${tPath}.metadata.labels`, r) ?? {}) };
  const tspec = objAt(template['spec'], `${tPath}.spec`, r) ?? {};
  const ports = readContainerPorts(tspec, `${tPath}.spec`, r);
  const hostNetwork = boolAt(tspec['hostNetwork'], `${tPath}.spec.hostNetwork`, r) ?? false;
  const sa = strAt(tspec['serviceAccountName'], `${tPath}.spec.serviceAccountName`, r) ?? strAt(tspec['serviceAccount'], `${tPath}.spec.serviceAccount`, r);

  let selector: LabelSelector | undefined;
  if (kind === 'ReplicationController') {
    const sel = labelsAt(spec['selector'], 'spec.selector', r);
    if (sel && Object.keys(sel).length > 0) selector = { matchLabels: sel };
  } else {
    selector = selectorAt(templateOwner['selector'], `${base}.selector`, r);
  }
  if (APPS_KINDS.has(kind)) {
    if (selector === undefined && !r.failed)
      r.error('spec.selector', 'is required', `add spec.selector.matchLabels with the template's labels`);
    else if (selector && isEmptySelector(selector)) r.error('spec.selector', 'must not be empty', `select the template's labels with spec.selector.matchLabels`);
  }
  if (selector && !isEmptySelector(selector) && !selectorMatches(selector, labels))
    r.error(`${base}.selector`, `does not match the template labels (${tPath}.metadata.labels)`, 'make the selector select the pod template labels');
  // Pods of a Job carry the labels the Job controller adds (job-name since forever, the
  // batch.kubernetes.io/ one since 1.27); the default "belongs" selector uses only job-name.
  const defaultSelector: LabelSelector = { matchLabels: kind === 'Job' ? { ...labels, 'job-name': meta.name } : { ...labels } };
  if (kind === 'Job') for (const l of JOB_NAME_LABELS) labels[l] ??= meta.name;
  if (r.failed) return r.result<WorkloadInfo>(undefined);

  const info: { -readonly [K in keyof WorkloadInfo]: WorkloadInfo[K] } = {
    ref: { kind, name: meta.name },
    namespace: meta.namespace ?? DEFAULT_NAMESPACE,
    selector: selector ?? defaultSelector,
    templateLabels: labels,
    ports,
    hostNetwork,
  };
  if (sa) info.serviceAccount = sa;
  const owner = controllerOf(meta.ownerReferences);
  if (owner) info.owner = owner;
  if (ctx.source) info.source = ctx.source;
  return r.result(info);
}

/** The stand-in pod for a workload without live pods: no IPs, no node, `template: true`. */
export function templatePod(w: WorkloadInfo): PodInfo {
  const pod: { -readonly [K in keyof PodInfo]: PodInfo[K] } = {
    namespace: w.namespace,
    name: w.ref.name,
    labels: w.templateLabels,
    ips: [],
    ports: w.ports,
    hostNetwork: w.hostNetwork,
    workload: w.ref,
    template: true,
  };
  if (w.serviceAccount) pod.serviceAccount = w.serviceAccount;
  if (w.source) pod.source = w.source;
  return pod;
}

const key = (kind: string, ns: string, name: string): string => `${kind}\0${ns}\0${name}`;

/**
 * Resolves pods' owners to workloads and decides which workloads get template pods.
 * Ownership chain: a pod owned by ReplicaSet `<deploy>-<hash>` belongs to Deployment `<deploy>`
 * when that Deployment is known (in the input, or named as the ReplicaSet's controller owner);
 * a pod owned by Job `<cronjob>-<n>` belongs to the CronJob likewise; otherwise to the direct owner.
 */
export class WorkloadIndex {
  private readonly byKey = new Map<string, WorkloadInfo>();

  constructor(readonly workloads: readonly WorkloadInfo[]) {
    for (const w of workloads) this.byKey.set(key(w.ref.kind, w.namespace, w.ref.name), w);
  }

  private has(kind: WorkloadKind, ns: string, name: string): boolean {
    return this.byKey.has(key(kind, ns, name));
  }

  private readonly resolved = new Map<string, WorkloadRef | undefined>();

  /** The workload a pod's controller owner stands for. */
  resolve = (ns: string, owner: OwnerRef): WorkloadRef | undefined => {
    const k = key(owner.kind, ns, owner.name);
    if (this.resolved.has(k)) return this.resolved.get(k);
    const ref = this.resolveUncached(ns, owner);
    this.resolved.set(k, ref);
    return ref;
  };

  private resolveUncached(ns: string, owner: OwnerRef): WorkloadRef | undefined {
    if (!isWorkloadKind(owner.kind)) return undefined;
    if (owner.kind === 'ReplicaSet' || owner.kind === 'Job') {
      const parentKind = owner.kind === 'ReplicaSet' ? 'Deployment' : 'CronJob';
      const known = this.byKey.get(key(owner.kind, ns, owner.name));
      if (known?.owner?.kind === parentKind) return { kind: parentKind, name: known.owner.name };
      const dash = owner.name.lastIndexOf('-');
      if (dash > 0) {
        const parent = owner.name.slice(0, dash);
        const suffix = owner.name.slice(dash + 1);
        const suffixOk = owner.kind === 'ReplicaSet' ? /^[a-z0-9]+$/.test(suffix) : /^\d+$/.test(suffix);
        if (suffixOk && this.has(parentKind, ns, parent)) return { kind: parentKind, name: parent };
      }
    }
    return { kind: owner.kind, name: owner.name };
  }

  /**
   * Template pods for workloads with no live pod (finished pods and pods without an IP do not
   * count, see engine/pod-address.ts), and the orphans they adopt. A pod belongs to a workload
   * when its resolved workload is that workload; a live pod with no controller whose labels the
   * workload's selector matches (same namespace) is taken as the workload's pod (`adopted`), as
   * in a snapshot whose ownerReferences were trimmed, and then no template stands in. Workloads
   * controlled by another workload (a Deployment's ReplicaSets, a CronJob's Jobs) never get
   * templates: their parent stands for them.
   */
  templates(pods: readonly PodInfo[]): { templates: PodInfo[]; adopted: Map<PodInfo, WorkloadRef> } {
    const adopted = new Map<PodInfo, WorkloadRef>();
    // Snapshots of pods alone (kubectl get pods,ns,netpol) have no workloads to stand in for.
    if (this.workloads.length === 0) return { templates: [], adopted };
    const owned = new Set<string>();
    // Only pods that hold an address count: a completed Job's pods do not run it any more.
    for (const p of pods) if (p.workload && !p.template && isActivePod(p)) owned.add(key(p.workload.kind, p.namespace, p.workload.name));
    const candidates = this.workloads.filter(
      (w) => !(w.owner && isWorkloadKind(w.owner.kind)) && !owned.has(key(w.ref.kind, w.namespace, w.ref.name)),
    );
    if (candidates.length === 0) return { templates: [], adopted };
    // Index live pods of the namespaces concerned, by namespace and by label pair.
    const namespaces = new Set(candidates.map((w) => w.namespace));
    const byNs = new Map<string, PodInfo[]>();
    const byLabel = new Map<string, PodInfo[]>();
    for (const p of pods) {
      if (p.template || !namespaces.has(p.namespace) || !isActivePod(p)) continue;
      let list = byNs.get(p.namespace);
      if (!list) byNs.set(p.namespace, (list = []));
      list.push(p);
      for (const l in p.labels) {
        const k = `${p.namespace}\0${l}\0${p.labels[l]}`;
        let ll = byLabel.get(k);
        if (!ll) byLabel.set(k, (ll = []));
        ll.push(p);
      }
    }
    const out: PodInfo[] = [];
    for (const w of candidates) {
      // Candidates: pods carrying the selector's first matchLabels pair, else the whole namespace.
      const first = Object.entries(w.selector.matchLabels ?? {})[0];
      const pool = first ? (byLabel.get(`${w.namespace}\0${first[0]}\0${first[1]}`) ?? []) : (byNs.get(w.namespace) ?? []);
      const orphans = isEmptySelector(w.selector) ? [] : pool.filter((p) => !p.workload && !adopted.has(p) && selectorMatches(w.selector, p.labels));
      if (orphans.length === 0) out.push(templatePod(w));
      for (const p of orphans) adopted.set(p, w.ref);
    }
    return { templates: out, adopted };
  }
}

/**
 * The pods of a state: live pods attributed to their workloads (a controller owner resolved by
 * WorkloadIndex.resolve), then template pods for workloads without a live one. Shared by the file
 * loader (convert.ts) and the live reader, so both attribute pods the same way.
 */
export function attributePods(workloads: readonly WorkloadInfo[], reads: Iterable<PodRead>): PodInfo[] {
  const wl = new WorkloadIndex(workloads);
  const livePods: PodInfo[] = [];
  for (const { pod, owners } of reads) {
    const owner = controllerOf(owners);
    const ref = owner ? wl.resolve(pod.namespace, owner) : undefined;
    // The read is this load's own object: set the workload in place rather than copy every pod.
    if (ref) (pod as { workload?: WorkloadRef }).workload = ref;
    livePods.push(pod);
  }
  const { templates, adopted } = wl.templates(livePods);
  return [...livePods.map((p) => { const ref = adopted.get(p); return ref ? { ...p, workload: ref } : p; }), ...templates];
}
