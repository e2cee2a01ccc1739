// Which network plugin(s) run in the cluster, and does any of them enforce NetworkPolicy?
// Kubernetes stores NetworkPolicy objects but never enforces them; the CNI plugin does, and some
// (flannel alone, old kindnet, the AWS VPC CNI without its agent, ...) silently do not. Pure: the
// caller lists objects (see CNI_NAMESPACES) and passes them in. Facts: docs/cni-detection.md.

import { isObj, type Obj } from '../convert/fields.js';
import {
  API_GROUP_SIGS,
  CONFIGMAP_SIGS,
  NODE_SIGS,
  PLATFORM_HINTS,
  PLUGINS,
  WORKLOAD_SIGS,
  type Platform,
  type PluginId,
} from './table.js';
import { CONFIGMAP_RULES, WORKLOAD_RULES, k3sArgsRule, parseImage, type Container, type Verdict, type Workload } from './rules.js';

export { CNI_NAMESPACES } from './table.js';

/** Plain Kubernetes objects (parsed JSON/YAML, or @kubernetes/client-node objects: same field names). */
export interface CniInput {
  pods?: unknown[];
  daemonSets?: unknown[];
  deployments?: unknown[];
  configMaps?: unknown[];
  nodes?: unknown[];
  /** API group names (`crd.projectcalico.org`; `group/version` and CRD names `x.group` also work). */
  apiGroups?: string[];
}

export interface CniPlugin {
  name: string;
  enforcesPolicy: boolean | 'depends';
  evidence: string[];
}

export interface CniReport {
  enforces: 'yes' | 'no' | 'unknown';
  confidence: 'high' | 'medium' | 'low';
  plugins: CniPlugin[];
  /** The full explanation (evidence, how to check or fix) when enforcement is not confirmed. */
  warning?: string;
  /** The same in one short line, for the warning every live command prints (the rest is in `warning`). */
  headline?: string;
  summary: string;
}

/** 3: a running agent (or k3s node args); 2: control workload, ConfigMap, node annotation; 1: API group only. */
type Strength = 1 | 2 | 3;

interface Finding {
  plugin: PluginId;
  evidence: string;
  strength: Strength;
  verdict?: boolean | 'depends';
  why?: string;
}

const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
function strMap(v: unknown): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') m.set(k, x);
  return m;
}

function containersOf(podSpec: unknown): Container[] {
  return list(obj(podSpec)['containers']).map((c) => {
    const o = obj(c);
    const env = new Map<string, string>();
    for (const e of list(o['env'])) {
      const name = str(obj(e)['name']);
      const value = str(obj(e)['value']);
      if (name !== undefined && value !== undefined) env.set(name, value);
    }
    const args = [...list(o['command']), ...list(o['args'])].filter((a): a is string => typeof a === 'string');
    return { name: str(o['name']) ?? '', image: str(o['image']) ?? '', args, env };
  });
}

function workloadsOf(input: CniInput): Workload[] {
  const out: Workload[] = [];
  const seen = new Set<string>();
  const add = (kind: 'DaemonSet' | 'Deployment', items: readonly unknown[] | undefined): void => {
    for (const item of items ?? []) {
      const meta = obj(obj(item)['metadata']);
      const name = str(meta['name']) ?? '';
      const namespace = str(meta['namespace']) ?? '';
      seen.add(`${namespace}/${name}`);
      out.push({ kind, namespace, name, owner: name, containers: containersOf(obj(obj(obj(item)['spec'])['template'])['spec']) });
    }
  };
  add('DaemonSet', input.daemonSets);
  add('Deployment', input.deployments);
  for (const item of input.pods ?? []) {
    const meta = obj(obj(item)['metadata']);
    const name = str(meta['name']) ?? '';
    const namespace = str(meta['namespace']) ?? '';
    const ref = list(meta['ownerReferences']).map(obj).find((r) => r['controller'] === true) ?? obj(list(meta['ownerReferences'])[0]);
    let owner = str(ref['name']) ?? name;
    if (ref['kind'] === 'ReplicaSet') owner = owner.replace(/-[a-z0-9]{5,10}$/, '');
    const key = `${namespace}/${owner}`;
    if (seen.has(key)) continue; // its DaemonSet/Deployment (or a sibling Pod) is already in the list
    seen.add(key);
    out.push({ kind: 'Pod', namespace, name, owner, containers: containersOf(obj(item)['spec']) });
  }
  return out;
}

function workloadFindings(w: Workload): Finding[] {
  const out: Finding[] = [];
  const suppressed = new Set<PluginId>();
  for (const sig of WORKLOAD_SIGS) {
    if (suppressed.has(sig.plugin) || (sig.namespaces && !sig.namespaces.includes(w.namespace))) continue;
    const byContainer = w.containers.find(
      (c) => sig.images?.some((r) => r.test(parseImage(c.image).repo)) || sig.containers?.includes(c.name),
    );
    const byName = sig.names?.includes(w.owner) ?? false;
    if (!byName && !byContainer) continue;
    if (out.some((f) => f.plugin === sig.plugin)) continue;
    for (const p of sig.suppresses ?? []) suppressed.add(p);
    const shown = byContainer ?? w.containers[0];
    const v: Verdict = WORKLOAD_RULES[sig.plugin]?.(w) ?? {};
    const image = shown?.image ? ` (image ${shown.image})` : '';
    out.push({
      plugin: sig.plugin,
      evidence: `${w.kind} ${w.namespace}/${w.name}${image}${v.why ? `: ${v.why}` : ''}`,
      strength: sig.role === 'agent' ? 3 : 2,
      verdict: v.enforces,
      why: v.why,
    });
  }
  return out;
}

function configMapFindings(items: readonly unknown[]): Finding[] {
  const out: Finding[] = [];
  for (const item of items) {
    const meta = obj(obj(item)['metadata']);
    const name = str(meta['name']) ?? '';
    const sig = CONFIGMAP_SIGS.find((s) => s.names?.includes(name) || s.prefixes?.some((p) => name.startsWith(p)));
    if (!sig) continue;
    const v: Verdict = CONFIGMAP_RULES[sig.plugin]?.(strMap(obj(item)['data'])) ?? {};
    const where = `ConfigMap ${str(meta['namespace']) ?? ''}/${name}`;
    out.push({ plugin: sig.plugin, evidence: v.why ? `${where}: ${v.why}` : where, strength: 2, verdict: v.enforces, why: v.why });
  }
  return out;
}

interface NodeView {
  name: string;
  labels: Map<string, string>;
  annotations: Map<string, string>;
  providerID: string;
  kubelet: string;
}

function nodeViews(items: readonly unknown[]): NodeView[] {
  return items.map((n) => {
    const meta = obj(obj(n)['metadata']);
    return {
      name: str(meta['name']) ?? '',
      labels: strMap(meta['labels']),
      annotations: strMap(meta['annotations']),
      providerID: str(obj(obj(n)['spec'])['providerID']) ?? '',
      kubelet: str(obj(obj(obj(n)['status'])['nodeInfo'])['kubeletVersion']) ?? '',
    };
  });
}

/** "Node a (and 2 more nodes) has label x". */
const nodesPhrase = (nodes: readonly NodeView[], what: string): string =>
  `Node ${nodes[0]!.name}${nodes.length > 1 ? ` (and ${nodes.length - 1} more node${nodes.length > 2 ? 's' : ''})` : ''} ${what}`;

function nodeFindings(nodes: readonly NodeView[]): Finding[] {
  const out: Finding[] = [];
  for (const sig of NODE_SIGS) {
    const map = (n: NodeView) => (sig.where === 'label' ? n.labels : n.annotations);
    const hits = nodes.filter((n) => map(n).has(sig.key) && (sig.value === undefined || map(n).get(sig.key) === sig.value));
    if (hits.length === 0) continue;
    const kv = sig.value === undefined ? sig.key : `${sig.key}=${sig.value}`;
    out.push({ plugin: sig.plugin, evidence: nodesPhrase(hits, `has ${sig.where} ${kv}`), strength: 2 });
  }
  // k3s: flannel + kube-router's network policy controller, both embedded in the k3s binary.
  const k3s = nodes.filter((n) => n.kubelet.includes('+k3s') || n.labels.get('node.kubernetes.io/instance-type') === 'k3s' || n.annotations.has('k3s.io/node-args'));
  if (k3s.length > 0) {
    const judged = k3s.map((n) => ({ n, v: k3sArgsRule(n.annotations.get('k3s.io/node-args')) }));
    const pick = judged.find((j) => j.v.enforces === false) ?? judged.find((j) => j.v.enforces === true);
    const ver = k3s[0]!.kubelet ? ` (kubelet ${k3s[0]!.kubelet})` : '';
    out.push({ plugin: 'k3s', evidence: nodesPhrase(k3s, `runs k3s${ver}, which embeds kube-router's network policy controller`), strength: 2 });
    if (pick?.v.why) out.push({ plugin: 'k3s', evidence: `Node ${pick.n.name}: ${pick.v.why}`, strength: 3, verdict: pick.v.enforces, why: pick.v.why });
  }
  const auto = nodes.filter((n) => n.labels.get('eks.amazonaws.com/compute-type') === 'auto');
  if (auto.length > 0) {
    out.push({ plugin: 'eks-auto-mode', evidence: nodesPhrase(auto, 'has label eks.amazonaws.com/compute-type=auto (EKS Auto Mode)'), strength: 2 });
  }
  return out;
}

function platformsOf(nodes: readonly NodeView[], groups: readonly string[]): Set<Platform> {
  const p = new Set<Platform>();
  for (const n of nodes) {
    const has = (k: string) => n.labels.has(k);
    if (n.kubelet.includes('+k3s') || n.labels.get('node.kubernetes.io/instance-type') === 'k3s' || n.annotations.has('k3s.io/node-args')) p.add('k3s');
    if (n.kubelet.includes('+rke2') || n.annotations.has('rke2.io/node-args')) p.add('rke2');
    if (n.kubelet.includes('+k0s')) p.add('k0s');
    if (has('microk8s.io/cluster')) p.add('microk8s');
    if (has('minikube.k8s.io/name')) p.add('minikube');
    if (n.providerID.startsWith('aws://') || [...n.labels.keys()].some((k) => k.startsWith('eks.amazonaws.com/'))) p.add('eks');
    if (has('cloud.google.com/gke-nodepool')) p.add('gke');
    if (has('kubernetes.azure.com/cluster')) p.add('aks');
    if (has('node.openshift.io/os_id')) p.add('openshift');
  }
  if (groups.includes('networking.gke.io')) p.add('gke');
  return p;
}

const groupOf = (g: string): string => g.split('/')[0]!.trim().toLowerCase();
const servesGroup = (groups: readonly string[], group: string): boolean => groups.some((g) => g === group || g.endsWith(`.${group}`));

/** Findings that belong to a combined plugin are moved onto it (Canal = Calico + flannel, ...). */
function fold(findings: Finding[], input: CniInput): Finding[] {
  const has = (p: PluginId, min: Strength = 1) => findings.some((f) => f.plugin === p && f.strength >= min);
  const move = (from: PluginId, to: PluginId, keepVerdict: boolean) => {
    for (const f of findings) if (f.plugin === from) Object.assign(f, { plugin: to }, keepVerdict ? {} : { verdict: undefined, why: undefined });
  };
  if (has('canal')) {
    move('calico', 'canal', false);
    move('flannel', 'canal', false);
  }
  if (has('gke-dataplane-v2')) move('cilium', 'gke-dataplane-v2', false);
  if (has('k3s') && !has('flannel', 3)) move('flannel', 'k3s', false);
  if (has('eks-auto-mode') && !has('aws-vpc-cni', 3)) {
    if (input.configMaps !== undefined && !has('aws-vpc-cni', 2)) {
      findings.push({
        plugin: 'eks-auto-mode',
        evidence: 'no ConfigMap kube-system/amazon-vpc-cni: the network policy controller is not enabled',
        strength: 2,
        verdict: false,
        why: 'ConfigMap kube-system/amazon-vpc-cni (enable-network-policy-controller) is missing',
      });
    }
    move('aws-vpc-cni', 'eks-auto-mode', true);
  }
  return findings;
}

interface Group {
  id: PluginId;
  strength: Strength;
  enforces: boolean | 'depends';
  evidence: string[];
  whys: string[];
}

function group(findings: readonly Finding[]): Group[] {
  const by = new Map<PluginId, Finding[]>();
  for (const f of findings) by.set(f.plugin, [...(by.get(f.plugin) ?? []), f]);
  const out: Group[] = [];
  for (const [id, fs] of by) {
    const explicit = [...new Set(fs.map((f) => f.verdict).filter((v) => v !== undefined))];
    const enforces = explicit.length === 0 ? PLUGINS[id].enforces : explicit.length === 1 ? explicit[0]! : 'depends';
    const whys = [...new Set(fs.filter((f) => f.why && f.verdict !== undefined).map((f) => f.why!))];
    out.push({ id, strength: Math.max(...fs.map((f) => f.strength)) as Strength, enforces, evidence: [...new Set(fs.map((f) => f.evidence))], whys });
  }
  return out.sort((a, b) => b.strength - a.strength);
}

const names = (gs: readonly Group[]): string => gs.map((g) => g.id).join(', ');
const why = (gs: readonly Group[]): string =>
  gs.map((g) => (g.whys.length ? `${g.id}: ${g.whys.join('; ')}` : PLUGINS[g.id].depends && g.enforces === 'depends' ? `${g.id}: ${PLUGINS[g.id].depends}` : g.id)).join('; ');

export function detectCni(input: CniInput): CniReport {
  const groups = (input.apiGroups ?? []).map(groupOf);
  const nodes = nodeViews(input.nodes ?? []);
  const platforms = platformsOf(nodes, groups);
  const workloadsListed = input.daemonSets !== undefined || input.pods !== undefined;

  let findings: Finding[] = [
    ...workloadsOf(input).flatMap(workloadFindings),
    ...configMapFindings(input.configMaps ?? []),
    ...nodeFindings(nodes),
  ];
  for (const sig of API_GROUP_SIGS) {
    const g = sig.groups.find((x) => servesGroup(groups, x));
    if (g) findings.push({ plugin: sig.plugin, evidence: `API group ${g} is served (CRDs installed)`, strength: 1 });
  }
  if (servesGroup(groups, 'networking.k8s.aws')) {
    for (const p of ['aws-vpc-cni', 'eks-auto-mode'] as const) {
      if (findings.some((f) => f.plugin === p)) findings.push({ plugin: p, evidence: 'API group networking.k8s.aws is served (PolicyEndpoint CRD)', strength: 1 });
    }
  }
  findings = fold(findings, input);

  // A managed platform with no plugin found in a complete listing runs its default, policy-less dataplane.
  if (workloadsListed && !findings.some((f) => !PLUGINS[f.plugin].meta)) {
    const fallback = (p: PluginId, label: string, what: string) => {
      const hits = nodes.filter((n) => n.labels.has(label));
      if (hits.length) findings.push({ plugin: p, evidence: `${nodesPhrase(hits, `has label ${label}`)}; ${what}`, strength: 2 });
    };
    fallback('gke-dataplane-v1', 'cloud.google.com/gke-nodepool', 'no anetd (Dataplane V2) or calico-node DaemonSet found');
    fallback('aks-default', 'kubernetes.azure.com/cluster', 'no azure-npm, Calico or Cilium found');
    fallback('bridge', 'minikube.k8s.io/name', 'no CNI DaemonSet found (minikube default bridge CNI)');
  }

  const all = group(findings);
  const plugins: CniPlugin[] = all.map((g) => ({ name: g.id, enforcesPolicy: g.enforces, evidence: g.evidence }));
  const real = all.filter((g) => !PLUGINS[g.id].meta);
  const yes = real.filter((g) => g.enforces === true);
  const depends = real.filter((g) => g.enforces === 'depends');
  const no = real.filter((g) => g.enforces === false);
  const platform = platforms.size ? ` Platform: ${[...platforms].join(', ')}.` : '';
  const hint = [...platforms].map((p) => PLATFORM_HINTS[p]).filter(Boolean).join('; ');
  const listed = all.map((g) => `${g.id} (${g.enforces === true ? 'enforces' : g.enforces === false ? 'does not enforce' : 'may enforce'})`).join(', ');
  const report = (enforces: CniReport['enforces'], confidence: CniReport['confidence'], warning?: string, headline?: string): CniReport => ({
    enforces,
    confidence,
    plugins,
    ...(warning ? { warning, headline: headline ?? warning } : {}),
    summary: `${all.length ? `Network plugins: ${listed}.` : 'No network plugin identified.'} NetworkPolicy enforced: ${enforces} (${confidence} confidence).${platform}`,
  });
  const check =
    'check with `kubectl get ds -n kube-system` (and `kubectl get ds -A`) which network plugin runs' + (hint ? `; ${hint}` : '');

  if (yes.length > 0) {
    const s = Math.max(...yes.map((g) => g.strength));
    if (s === 3) return report('yes', 'high');
    if (s === 2) return report('yes', 'medium');
    if (!workloadsListed) return report('yes', 'low');
    return report(
      'unknown',
      'low',
      `Only leftovers of ${names(yes)} were found (CRDs), but no running agent in the listed namespaces, so it is unknown whether NetworkPolicy is enforced` +
        (no.length ? `; ${names(no)} does not enforce it` : '') +
        `. ${check[0]!.toUpperCase()}${check.slice(1)}.`,
      `NetworkPolicy enforcement is unknown: only leftovers of ${names(yes)} were found, no running agent`,
    );
  }
  if (depends.length > 0) {
    return report(
      'unknown',
      depends.some((g) => g.strength === 3) ? 'medium' : 'low',
      `Cannot tell whether NetworkPolicy is enforced: ${why(depends)}.` +
        (depends.map((g) => PLUGINS[g.id].fix).filter(Boolean).length ? ` To be sure it is: ${depends.map((g) => PLUGINS[g.id].fix).filter(Boolean).join('; ')}.` : ''),
      `NetworkPolicy may not be enforced: ${names(depends)} enforces it only when configured to`,
    );
  }
  if (no.length > 0) {
    const s = Math.max(...no.map((g) => g.strength));
    const fixes = [...new Set(no.map((g) => PLUGINS[g.id].fix).filter(Boolean))];
    return report(
      'no',
      s === 3 && workloadsListed ? 'high' : s >= 2 ? 'medium' : 'low',
      `NetworkPolicy is NOT enforced: the network plugin${no.length > 1 ? 's found do' : ' found does'} not implement it (${why(no)}). ` +
        'The API server accepts NetworkPolicy objects but nothing applies them, so traffic is not restricted; verdicts show what the policies intend, not what the network does.' +
        (fixes.length ? ` To enforce them: ${fixes.join('; ')}.` : ''),
      `NetworkPolicy is NOT enforced: ${names(no)} ${no.length > 1 ? 'do' : 'does'} not implement it, so verdicts show what the policies intend, not what the network does`,
    );
  }
  return report(
    'unknown',
    'low',
    `Could not identify the cluster's network (CNI) plugin, so it is unknown whether NetworkPolicy is enforced. ${check[0]!.toUpperCase()}${check.slice(1)}. ` +
      'Plugins that do not enforce NetworkPolicy include flannel alone, kindnet before kind v0.24.0 and the AWS VPC CNI without its network policy agent.',
    'NetworkPolicy enforcement is unknown: the network (CNI) plugin was not identified',
  );
}
