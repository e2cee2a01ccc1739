// NetworkPolicy (networking.k8s.io/v1) -> model, with the API server's defaulting and validation.

import type {
  IPBlock,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicyRule,
  PolicyType,
} from '../engine/model.js';
import { readMeta, DEFAULT_NAMESPACE } from './core.js';
import {
  absent,
  checkFields,
  intAt,
  intOrNamedPortAt,
  isObj,
  isPortNumber,
  listAt,
  objAt,
  protocolAt,
  selectorAt,
  strAt,
  type Obj,
} from './fields.js';
import { cidrAt, cidrStrictlyInside } from './net.js';
import { describe, index, join, Reporter, type Converted, type ObjectContext } from './problems.js';

/**
 * Effective policyTypes, exactly as the API server defaults them
 * (k8s.io/kubernetes pkg/apis/networking/v1/defaults.go, SetDefaults_NetworkPolicy):
 *
 *   if len(spec.policyTypes) == 0 {
 *     policyTypes = [Ingress]; if len(spec.egress) != 0 { append Egress }
 *   }
 *
 * The k8s.io/api types.go comment says "policies that contain an egress section are assumed to
 * affect egress"; the code counts RULES, not the key. Quirks that follow:
 * - `egress: []` (present but empty) does NOT add Egress: the policy stays ingress-only, so it
 *   does not deny egress. A deny-all-egress policy must say `policyTypes: [Egress]`
 *   (or [Ingress, Egress]).
 * - `policyTypes: []` (present but empty) is treated like an omitted field and inferred.
 * - `ingress` never matters for inference: every policy without policyTypes affects ingress.
 */
export function inferPolicyTypes(egressRuleCount: number): PolicyType[] {
  return egressRuleCount !== 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

const SPEC_FIELDS = ['podSelector', 'ingress', 'egress', 'policyTypes'];
const PEER_FIELDS = ['podSelector', 'namespaceSelector', 'ipBlock'];
const PORT_FIELDS = ['protocol', 'port', 'endPort'];

export function convertNetworkPolicy(obj: unknown, ctx: ObjectContext = {}): Converted<NetworkPolicy> {
  const r = new Reporter('NetworkPolicy', ctx);
  if (!isObj(obj)) {
    r.error('', `is not an object; got ${describe(obj)}`);
    return r.result<NetworkPolicy>(undefined);
  }
  const meta = readMeta(obj, r, true);
  if (!meta) return r.result<NetworkPolicy>(undefined);
  const spec = objAt(obj['spec'], 'spec', r) ?? {};
  checkFields(spec, SPEC_FIELDS, 'spec', r, { from: 'from goes inside an ingress rule: spec.ingress[].from', to: 'to goes inside an egress rule: spec.egress[].to' });

  // spec.podSelector is optional and defaults to {} (all pods in the namespace).
  const podSelector: LabelSelector = selectorAt(spec['podSelector'], 'spec.podSelector', r) ?? {};
  const ingress = rules(spec['ingress'], 'spec.ingress', 'from', r);
  const egress = rules(spec['egress'], 'spec.egress', 'to', r);

  const typesList = listAt(spec['policyTypes'], 'spec.policyTypes', r);
  let policyTypes: PolicyType[];
  let inferred = false;
  if (typesList === undefined || typesList.length === 0) {
    inferred = true;
    policyTypes = inferPolicyTypes(egress?.length ?? 0);
    if (egress && egress.length === 0)
      r.warn(
        'spec.egress',
        'is an empty list, which does not make the policy apply to egress (policyTypes is inferred as [Ingress] because there are no egress rules)',
        'to deny all egress, set policyTypes: [Ingress, Egress] (or [Egress]); otherwise remove "egress: []"',
      );
  } else if (typesList.length > 2) {
    r.error('spec.policyTypes', `may not specify more than two policyTypes; got ${typesList.length}`, 'use [Ingress], [Egress] or [Ingress, Egress]');
    policyTypes = [];
  } else {
    policyTypes = [];
    typesList.forEach((t, i) => {
      const p = index('spec.policyTypes', i);
      const s = strAt(t, p, r);
      if (s === undefined) return;
      if (s !== 'Ingress' && s !== 'Egress') {
        const ci = ['Ingress', 'Egress'].find((x) => x.toLowerCase() === s.toLowerCase());
        r.error(p, `unsupported policy type ${describe(s)}`, ci ? `policy types are case-sensitive: use ${ci}` : 'use Ingress or Egress');
        return;
      }
      if (policyTypes.includes(s)) r.warn(p, `"${s}" is listed twice`);
      else policyTypes.push(s);
    });
    if (!policyTypes.includes('Egress') && (egress?.length ?? 0) > 0)
      r.warn('spec.egress', 'has rules but policyTypes does not include Egress, so they are ignored', 'add Egress to spec.policyTypes, or remove the egress rules');
    if (!policyTypes.includes('Ingress') && (ingress?.length ?? 0) > 0)
      r.warn('spec.ingress', 'has rules but policyTypes does not include Ingress, so they are ignored', 'add Ingress to spec.policyTypes, or remove the ingress rules');
  }

  if (r.failed || ingress === null || egress === null) return r.result<NetworkPolicy>(undefined);
  const np: { -readonly [K in keyof NetworkPolicy]: NetworkPolicy[K] } = {
    namespace: meta.namespace ?? DEFAULT_NAMESPACE,
    name: meta.name,
    podSelector,
    policyTypes,
    policyTypesInferred: inferred,
    ingress: ingress ?? [],
    egress: egress ?? [],
  };
  if (egress && egress.length === 0) np.emptyEgressList = true;
  if (meta.annotations) np.annotations = meta.annotations;
  if (ctx.source) np.source = ctx.source;
  return r.result(np);
}

/** undefined = field absent; null = not a list (reported). */
function rules(v: unknown, path: string, peersKey: 'from' | 'to', r: Reporter): NetworkPolicyRule[] | undefined | null {
  if (absent(v)) return undefined;
  const list = listAt(v, path, r);
  if (!list) return null;
  const other = peersKey === 'from' ? 'to' : 'from';
  return list.map((rule, i) => {
    const p = index(path, i);
    const ro = objAt(rule, p, r);
    if (!ro) {
      // `- ` with nothing after it is a null rule: the API decodes it as an empty rule (allow all).
      return {};
    }
    // @kubernetes/client-node names the ingress `from` field `_from` (a reserved word in its generator).
    const allowed = peersKey === 'from' ? ['from', '_from', 'ports'] : ['to', 'ports'];
    checkFields(ro, allowed, p, r, {
      [other]: `${path.endsWith('ingress') ? 'ingress' : 'egress'} rules use "${peersKey}", not "${other}"`,
    });
    const out: { peers?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] } = {};
    const peersPath = join(p, peersKey);
    const peersValue = peersKey === 'from' && absent(ro['from']) ? ro['_from'] : ro[peersKey];
    const peers = listAt(peersValue, peersPath, r);
    if (peers) out.peers = peers.flatMap((peer, j) => peerAt(peer, index(peersPath, j), r) ?? []);
    const portsPath = join(p, 'ports');
    const ports = listAt(ro['ports'], portsPath, r);
    if (ports) out.ports = ports.flatMap((port, j) => portAt(port, index(portsPath, j), r) ?? []);
    return out;
  });
}

function peerAt(v: unknown, path: string, r: Reporter): NetworkPolicyPeer | undefined {
  const o: Obj | undefined = absent(v) ? {} : objAt(v, path, r);
  if (!o) return undefined;
  checkFields(o, PEER_FIELDS, path, r);
  const podSelector = selectorAt(o['podSelector'], join(path, 'podSelector'), r);
  const namespaceSelector = selectorAt(o['namespaceSelector'], join(path, 'namespaceSelector'), r);
  const ipBlock = absent(o['ipBlock']) ? undefined : ipBlockAt(o['ipBlock'], join(path, 'ipBlock'), r);
  const set = [o['podSelector'], o['namespaceSelector'], o['ipBlock']].filter((x) => !absent(x)).length;
  if (set === 0) {
    r.error(path, 'must specify a peer: podSelector, namespaceSelector and/or ipBlock', 'to allow all peers, omit the from/to list entirely');
    return undefined;
  }
  if (!absent(o['ipBlock']) && set > 1) {
    r.error(path, 'may not specify both ipBlock and another peer (podSelector/namespaceSelector)', 'split it into two list items: "- ipBlock: ..." and "- podSelector: ..."');
    return undefined;
  }
  const peer: { -readonly [K in keyof NetworkPolicyPeer]: NetworkPolicyPeer[K] } = {};
  if (podSelector) peer.podSelector = podSelector;
  if (namespaceSelector) peer.namespaceSelector = namespaceSelector;
  if (ipBlock) peer.ipBlock = ipBlock;
  return peer;
}

function ipBlockAt(v: unknown, path: string, r: Reporter): IPBlock | undefined {
  const o = objAt(v, path, r);
  if (!o) return undefined;
  checkFields(o, ['cidr', 'except'], path, r);
  const cidrPath = join(path, 'cidr');
  if (o['cidr'] === '') {
    r.error(cidrPath, 'is required', 'set a CIDR such as 10.0.0.0/8 or 2001:db8::/64');
    return undefined;
  }
  const cidr = cidrAt(o['cidr'], cidrPath, r);
  const exceptPath = join(path, 'except');
  const except: string[] = [];
  (listAt(o['except'], exceptPath, r) ?? []).forEach((e, i) => {
    const p = index(exceptPath, i);
    const ex = cidrAt(e, p, r);
    if (!ex || !cidr) return;
    if (!cidrStrictlyInside(ex.parsed, cidr.parsed)) {
      r.error(p, `${ex.text} must be a strict subset of cidr ${cidr.text}`, `use a longer prefix inside ${cidr.text}, or remove this entry`);
      return;
    }
    except.push(ex.text);
  });
  if (!cidr) return undefined;
  const given = typeof o['cidr'] === 'string' && cidr.parsed.hostBitsSet ? { given: o['cidr'] } : {};
  return except.length > 0 ? { cidr: cidr.text, except, ...given } : { cidr: cidr.text, ...given };
}

function portAt(v: unknown, path: string, r: Reporter): NetworkPolicyPort | undefined {
  const o: Obj | undefined = absent(v) ? {} : objAt(v, path, r);
  if (!o) return undefined;
  checkFields(o, PORT_FIELDS, path, r);
  const protocol = protocolAt(o['protocol'], join(path, 'protocol'), r);
  const port = intOrNamedPortAt(o['port'], join(path, 'port'), r);
  const endPath = join(path, 'endPort');
  let endPort: number | undefined;
  if (!absent(o['endPort'])) {
    endPort = intAt(o['endPort'], endPath, r);
    if (endPort !== undefined) {
      if (absent(o['port'])) {
        r.error(endPath, 'may not be specified when port is not specified', 'set port to the first port of the range');
        endPort = undefined;
      } else if (typeof o['port'] === 'string') {
        r.error(endPath, `may not be specified when port is a named port (${describe(o['port'])})`, 'use a numeric port for ranges');
        endPort = undefined;
      } else if (!isPortNumber(endPort)) {
        r.error(endPath, `endPort must be 1-65535; got ${endPort}`);
        endPort = undefined;
      } else if (typeof port === 'number' && endPort < port) {
        r.error(endPath, `must be greater than or equal to port (${port}); got ${endPort}`, `swap them: port: ${endPort}, endPort: ${port}`);
        endPort = undefined;
      }
    }
  }
  if (protocol === undefined) return undefined;
  const out: { -readonly [K in keyof NetworkPolicyPort]: NetworkPolicyPort[K] } = { protocol };
  if (port !== undefined) out.port = port;
  if (endPort !== undefined) out.endPort = endPort;
  return out;
}
