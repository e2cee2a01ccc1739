// Admin tiers (policy.networking.k8s.io, kubernetes-sigs/network-policy-api):
// - v1alpha1 AdminNetworkPolicy (tier Admin, priority 0-1000, actions Allow/Deny/Pass)
// - v1alpha1 BaselineAdminNetworkPolicy (tier Baseline, singleton named `default`, actions Allow/Deny)
// - v1alpha2 ClusterNetworkPolicy (spec.tier Admin|Baseline, priority 0-1000, actions Accept/Deny/Pass,
//   ports as `protocols: [{tcp|udp|sctp: {destinationPort: {number | range}}} | {destinationNamedPort}]`)
// Field names and rules follow apis/v1alpha1/*.go and apis/v1alpha2/clusternetworkpolicy_types.go
// (and the CEL rules of the generated CRDs) at network-policy-api v0.1.7 / v0.2.0.

import type { AdminAction, AdminPeer, AdminPolicy, AdminPort, AdminRule, AdminSubject, AdminTier, LabelSelector } from '../engine/model.js';
import { ADMIN_KINDS, adminApiVersion, type AdminKindSpec } from './admin-kinds.js';
import { oneOf, portEntryAt, protocolEntryAt } from './admin-ports.js';
import { readMeta } from './core.js';
import { absent, checkFields, intAt, isObj, listAt, objAt, selectorAt, strAt } from './fields.js';
import { cidrAt } from './net.js';
import { describe, index, join, Reporter, type Converted, type ObjectContext } from './problems.js';

type Flavor = AdminKindSpec;
type Dir = 'ingress' | 'egress';
const INGRESS_PEERS = ['namespaces', 'pods'];

export { ADMIN_GROUP, adminApiVersion } from './admin-kinds.js';

export const convertAdminNetworkPolicy = (obj: unknown, ctx: ObjectContext = {}): Converted<AdminPolicy> =>
  convertAdmin(ADMIN_KINDS.AdminNetworkPolicy, obj, ctx);
export const convertBaselineAdminNetworkPolicy = (obj: unknown, ctx: ObjectContext = {}): Converted<AdminPolicy> =>
  convertAdmin(ADMIN_KINDS.BaselineAdminNetworkPolicy, obj, ctx);
export const convertClusterNetworkPolicy = (obj: unknown, ctx: ObjectContext = {}): Converted<AdminPolicy> =>
  convertAdmin(ADMIN_KINDS.ClusterNetworkPolicy, obj, ctx);

function convertAdmin(f: Flavor, obj: unknown, ctx: ObjectContext): Converted<AdminPolicy> {
  const r = new Reporter(f.kind, ctx);
  if (!isObj(obj)) {
    r.error('', `is not an object; got ${describe(obj)}`);
    return r.result<AdminPolicy>(undefined);
  }
  const meta = readMeta(obj, r, false);
  if (!meta) return r.result<AdminPolicy>(undefined);
  const spec = objAt(obj['spec'], 'spec', r);
  if (!spec) {
    if (absent(obj['spec'])) r.error('spec', 'is required');
    return r.result<AdminPolicy>(undefined);
  }
  const specFields =
    f.kind === 'ClusterNetworkPolicy'
      ? ['tier', 'priority', 'subject', 'ingress', 'egress']
      : f.kind === 'AdminNetworkPolicy'
        ? ['priority', 'subject', 'ingress', 'egress']
        : ['subject', 'ingress', 'egress'];
  checkFields(spec, specFields, 'spec', r, f.kind === 'BaselineAdminNetworkPolicy' ? { priority: 'BaselineAdminNetworkPolicy has no priority (there is only one, named default)' } : undefined);

  let tier: AdminTier = f.kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin';
  let priority = 0;
  if (f.kind === 'BaselineAdminNetworkPolicy') {
    if (meta.name !== 'default')
      r.error('metadata.name', `must be "default"; got "${meta.name}"`, 'BaselineAdminNetworkPolicy is a singleton: name it default');
  } else {
    const p = intAt(spec['priority'], 'spec.priority', r);
    if (absent(spec['priority'])) r.error('spec.priority', 'is required', 'set a priority from 0 to 1000 (lower is evaluated first)');
    else if (p !== undefined && (p < 0 || p > 1000)) r.error('spec.priority', `must be 0-1000; got ${p}`);
    else if (p !== undefined) priority = p;
  }
  if (f.kind === 'ClusterNetworkPolicy') {
    const t = strAt(spec['tier'], 'spec.tier', r);
    if (t === undefined) {
      if (absent(spec['tier'])) r.error('spec.tier', 'is required', 'set tier: Admin or tier: Baseline');
    } else if (t !== 'Admin' && t !== 'Baseline') {
      r.error('spec.tier', `unsupported tier ${describe(t)}`, 'use Admin or Baseline');
    } else tier = t;
  }

  const subject = subjectAt(spec['subject'], 'spec.subject', r);
  const ingress = rulesAt(f, 'ingress', spec['ingress'], r);
  const egress = rulesAt(f, 'egress', spec['egress'], r);
  if (r.failed || !subject) return r.result<AdminPolicy>(undefined);
  const policy: { -readonly [K in keyof AdminPolicy]: AdminPolicy[K] } = {
    kind: f.kind,
    apiVersion: adminApiVersion(f.kind),
    name: meta.name,
    tier,
    priority,
    subject,
    ingress,
    egress,
  };
  if (meta.annotations) policy.annotations = meta.annotations;
  if (ctx.source) policy.source = ctx.source;
  return r.result(policy);
}

/** NamespacedPod: both selectors are required by the CRD ({} selects all). */
function namespacedPodAt(v: unknown, path: string, r: Reporter): { namespaceSelector: LabelSelector; podSelector: LabelSelector } | undefined {
  const o = objAt(v, path, r);
  if (!o) return undefined;
  checkFields(o, ['namespaceSelector', 'podSelector'], path, r);
  const ns = selectorAt(o['namespaceSelector'], join(path, 'namespaceSelector'), r);
  const pod = selectorAt(o['podSelector'], join(path, 'podSelector'), r);
  if (absent(o['namespaceSelector'])) r.error(join(path, 'namespaceSelector'), 'is required', 'use namespaceSelector: {} for all namespaces');
  if (absent(o['podSelector'])) r.error(join(path, 'podSelector'), 'is required', 'use podSelector: {} for all pods');
  return ns && pod ? { namespaceSelector: ns, podSelector: pod } : undefined;
}

function subjectAt(v: unknown, path: string, r: Reporter): AdminSubject | undefined {
  if (absent(v)) {
    r.error(path, 'is required', 'select pods with subject.namespaces or subject.pods');
    return undefined;
  }
  const o = objAt(v, path, r);
  if (!o) return undefined;
  const key = oneOf(o, ['namespaces', 'pods'], path, r, 'subject (namespaces or pods)');
  if (key === 'namespaces') {
    const sel = selectorAt(o['namespaces'], join(path, 'namespaces'), r);
    return sel ? { kind: 'namespaces', namespaceSelector: sel } : undefined;
  }
  if (key === 'pods') {
    const np = namespacedPodAt(o['pods'], join(path, 'pods'), r);
    return np ? { kind: 'pods', ...np } : undefined;
  }
  return undefined;
}

function rulesAt(f: Flavor, dir: Dir, v: unknown, r: Reporter): AdminRule[] {
  const path = `spec.${dir}`;
  const list = listAt(v, path, r);
  if (!list) return [];
  if (list.length > f.maxRules) r.error(path, `may have at most ${f.maxRules} rules; got ${list.length}`);
  const out: AdminRule[] = [];
  list.forEach((rule, i) => {
    const x = ruleAt(f, dir, rule, index(path, i), r);
    if (x) out.push(x);
  });
  return out;
}

function ruleAt(f: Flavor, dir: Dir, v: unknown, path: string, r: Reporter): AdminRule | undefined {
  const o = objAt(v, path, r);
  if (!o) {
    if (absent(v)) r.error(path, 'must be a rule with action and ' + (dir === 'ingress' ? 'from' : 'to'));
    return undefined;
  }
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const portsKey = f.version === 'v1alpha2' ? 'protocols' : 'ports';
  checkFields(o, ['name', 'action', peersKey, portsKey], path, r, {
    [f.version === 'v1alpha2' ? 'ports' : 'protocols']:
      f.version === 'v1alpha2'
        ? 'ClusterNetworkPolicy (v1alpha2) matches ports with "protocols", e.g. protocols: [{tcp: {destinationPort: {number: 80}}}]'
        : 'AdminNetworkPolicy (v1alpha1) matches ports with "ports", e.g. ports: [{portNumber: {protocol: TCP, port: 80}}]',
    [dir === 'ingress' ? 'to' : 'from']: `${dir} rules use "${peersKey}"`,
  });
  const name = strAt(o['name'], join(path, 'name'), r);
  if (name !== undefined && name.length > 100) r.error(join(path, 'name'), `must be at most 100 characters; got ${name.length}`);

  const actionName = strAt(o['action'], join(path, 'action'), r);
  let action: AdminAction | undefined;
  const allowedActions = Object.keys(f.actions);
  if (actionName === undefined) {
    if (absent(o['action'])) r.error(join(path, 'action'), 'is required', `use one of ${allowedActions.join(', ')}`);
  } else {
    action = f.actions[actionName];
    if (action === undefined) {
      const hint =
        f.kind === 'ClusterNetworkPolicy' && actionName === 'Allow'
          ? 'ClusterNetworkPolicy (v1alpha2) spells it Accept'
          : f.kind !== 'ClusterNetworkPolicy' && actionName === 'Accept'
            ? `${f.kind} (v1alpha1) spells it Allow`
            : f.kind === 'BaselineAdminNetworkPolicy' && actionName === 'Pass'
              ? 'the baseline tier is the last one: there is nothing to pass to'
              : undefined;
      r.error(join(path, 'action'), `unsupported action ${describe(actionName)}; must be one of ${allowedActions.join(', ')}`, hint);
    }
  }

  const peersPath = join(path, peersKey);
  const peersList = listAt(o[peersKey], peersPath, r);
  if (peersList === undefined && absent(o[peersKey])) r.error(peersPath, 'is required and must contain at least one peer');
  else if (peersList && peersList.length === 0) r.error(peersPath, 'must contain at least one peer');
  else if (peersList && peersList.length > f.maxPeers) r.error(peersPath, `may have at most ${f.maxPeers} peers; got ${peersList.length}`);
  const allowedPeers = dir === 'ingress' ? INGRESS_PEERS : f.egressPeers;
  const peers: AdminPeer[] = [];
  (peersList ?? []).forEach((p, i) => {
    const peer = peerAt(p, index(peersPath, i), allowedPeers, r);
    if (peer) peers.push(peer);
  });

  let ports: AdminPort[] | undefined;
  if (!absent(o[portsKey])) {
    const portsPath = join(path, portsKey);
    const list = listAt(o[portsKey], portsPath, r);
    if (list) {
      if (list.length === 0) r.error(portsPath, 'must contain at least one entry when present', `omit ${portsKey} to match all ports`);
      ports = [];
      list.forEach((p, i) => {
        const pp = index(portsPath, i);
        const port = f.version === 'v1alpha2' ? protocolEntryAt(p, pp, r) : portEntryAt(p, pp, r);
        if (port) ports!.push(port);
      });
    }
  }

  if (ports?.some((p) => p.kind === 'named')) {
    const bad = peers.find((p) => p.kind === 'networks' || p.kind === 'nodes' || p.kind === 'domainNames');
    if (bad)
      r.error(
        join(path, portsKey),
        `named ports cannot be used with ${bad.kind} peers (there are no named ports for networks/nodes/domainNames)`,
        'use port numbers, or move the pod peers and the named port into a separate rule',
      );
  }
  if (action !== undefined && action !== 'Allow' && peers.some((p) => p.kind === 'domainNames'))
    r.warn(peersPath, `domainNames peers are only supported for ${f.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow'} rules`);

  if (action === undefined || actionName === undefined) return undefined;
  const rule: { -readonly [K in keyof AdminRule]: AdminRule[K] } = { action, actionName, peers };
  if (name) rule.name = name;
  if (ports) rule.ports = ports;
  return rule;
}

const DOMAIN_NAME = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

function peerAt(v: unknown, path: string, allowed: readonly string[], r: Reporter): AdminPeer | undefined {
  const o = objAt(v, path, r);
  if (!o) {
    if (absent(v)) r.error(path, `must set exactly one of ${allowed.join(', ')}`);
    return undefined;
  }
  const key = oneOf(o, allowed, path, r, 'peer');
  const p = key ? join(path, key) : path;
  switch (key) {
    case 'namespaces': {
      const sel = selectorAt(o['namespaces'], p, r);
      return sel ? { kind: 'namespaces', namespaceSelector: sel } : undefined;
    }
    case 'pods': {
      const np = namespacedPodAt(o['pods'], p, r);
      return np ? { kind: 'pods', ...np } : undefined;
    }
    case 'nodes': {
      const sel = selectorAt(o['nodes'], p, r);
      return sel ? { kind: 'nodes', nodeSelector: sel } : undefined;
    }
    case 'networks': {
      const list = listAt(o['networks'], p, r);
      if (!list) return undefined;
      if (list.length === 0 || list.length > 25) r.error(p, `must list 1-25 CIDRs; got ${list.length}`);
      const cidrs: string[] = [];
      list.forEach((c, i) => {
        const x = cidrAt(c, index(p, i), r);
        if (x) cidrs.push(x.text);
      });
      return { kind: 'networks', cidrs };
    }
    case 'domainNames': {
      const list = listAt(o['domainNames'], p, r);
      if (!list) return undefined;
      if (list.length === 0 || list.length > 25) r.error(p, `must list 1-25 domain names; got ${list.length}`);
      const domains: string[] = [];
      list.forEach((d, i) => {
        const s = strAt(d, index(p, i), r);
        if (s === undefined) return;
        if (!DOMAIN_NAME.test(s))
          r.error(index(p, i), `${describe(s)} is not a valid domain name`, 'use e.g. example.com or *.example.com ("*" only as the first label)');
        else domains.push(s);
      });
      return { kind: 'domainNames', domains };
    }
    default:
      return undefined;
  }
}
