// Version and flag rules that decide whether a detected plugin actually enforces NetworkPolicy.
// Facts and sources: docs/cni-detection.md.

import type { PluginId } from './table.js';

export interface Container {
  readonly name: string;
  readonly image: string;
  /** command followed by args */
  readonly args: readonly string[];
  readonly env: ReadonlyMap<string, string>;
}

export interface Workload {
  readonly kind: 'DaemonSet' | 'Deployment' | 'Pod';
  readonly namespace: string;
  readonly name: string;
  /** DaemonSet/Deployment name for Pods that have an owner; else the name. */
  readonly owner: string;
  readonly containers: readonly Container[];
}

/** A rule's conclusion: `enforces` undefined keeps the plugin default. */
export interface Verdict {
  readonly enforces?: boolean | 'depends';
  readonly why?: string;
}

export function parseImage(image: string): { repo: string; tag?: string } {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  return colon > slash ? { repo: s.slice(0, colon), tag: s.slice(colon + 1) } : { repo: s };
}

/**
 * The value of `--name` / `-name` in an argument list: `--name=v` gives v, `--name v` gives v when v
 * is a boolean word, a bare `--name` gives 'true'. The last occurrence wins, like Go's flag package.
 */
export function flagValue(args: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  args.forEach((raw, i) => {
    for (const a of raw.split(/\s+/)) {
      const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
      if (!m || m[1] !== name) continue;
      if (m[2] !== undefined) found = m[2];
      else {
        const next = args[i + 1]?.trim().toLowerCase();
        found = next === 'true' || next === 'false' ? next : 'true';
      }
    }
  });
  return found;
}

export function asBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.trim().toLowerCase();
  if (['true', '1', 't', 'yes', 'y'].includes(s)) return true;
  if (['false', '0', 'f', 'no', 'n'].includes(s)) return false;
  return undefined;
}

const semver = (tag: string | undefined): [number, number, number] | undefined => {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
};
const atLeast = (v: readonly number[], min: readonly number[]): boolean => {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > (min[i] ?? 0);
  return true;
};

/** kind's kindnetd gained kube-network-policies in commit e7903573 (2024-07-15), first released in kind v0.24.0. */
export const KINDNETD_NETPOL_SINCE = '20240715';

/**
 * kindnet exists in two lines:
 * - kind's bundled kindnetd, `kindest/kindnetd:vYYYYMMDD-<commit>` (tag = build date): policy from
 *   20240715 (kind v0.24.0 ships v20240813-c6f155d6; v0.23.0 shipped v20240513-cd2ac642, no policy).
 *   No flag: always on.
 * - standalone kindnet (aojea/kindnet, now kubernetes-sigs/kindnet): `--network-policy` flag since
 *   v1.3.0, default false until v1.4.x, default true from v1.5.0; kubernetes-sigs images
 *   (registry.k8s.io/networking/kindnet) default true.
 */
export function kindnetRule(c: Container): Verdict {
  const { repo, tag } = parseImage(c.image);
  const flag = asBool(flagValue(c.args, 'network-policy'));
  if (flag === false) return { enforces: false, why: 'runs with --network-policy=false' };
  const dated = /^v(\d{8})-[0-9a-f]+/.exec(tag ?? '');
  if (dated) {
    const d = dated[1]!;
    return d >= KINDNETD_NETPOL_SINCE
      ? { enforces: true, why: `kindnetd build ${d} embeds kube-network-policies (kind >= v0.24.0)` }
      : { enforces: false, why: `kindnetd build ${d} predates network policy support (added 2024-07-15, kind v0.24.0)` };
  }
  const v = semver(tag);
  if (/(^|\/)networking\/kindnet$/.test(repo) || /kubernetes-sigs\/kindnet/.test(repo)) {
    return { enforces: true, why: 'kubernetes-sigs kindnet enables network policy by default' };
  }
  if (repo.endsWith('kindest/kindnetd') && v) {
    return { enforces: false, why: `kind's kindnetd ${tag} (semver-tagged, pre-2020) has no network policy` };
  }
  if (v) {
    if (!atLeast(v, [1, 3, 0])) return { enforces: false, why: `kindnet ${tag} predates network policy support (v1.3.0)` };
    if (!atLeast(v, [1, 5, 0])) {
      return flag === true
        ? { enforces: true, why: `kindnet ${tag} runs with --network-policy=true` }
        : { enforces: false, why: `kindnet ${tag} defaults to --network-policy=false (default true from v1.5.0)` };
    }
    return { enforces: true, why: `kindnet ${tag} enables network policy by default (v1.5.0+)` };
  }
  if (flag === true) return { enforces: true, why: 'runs with --network-policy=true' };
  return { enforces: 'depends', why: `cannot tell the kindnet version from image ${c.image}` };
}

const isAwsAgent = (c: Container): boolean =>
  c.name === 'aws-eks-nodeagent' || /(^|\/)amazon\/aws-network-policy-agent$/.test(parseImage(c.image).repo);

/**
 * aws-node: policy is enforced by the aws-eks-nodeagent container (image aws-network-policy-agent,
 * VPC CNI >= v1.14) only when started with --enable-network-policy=true (its default is false).
 */
export function awsNodeRule(w: Workload): Verdict {
  const agent = w.containers.find(isAwsAgent);
  if (!agent) {
    const cni = w.containers.find((c) => /amazon-k8s-cni$/.test(parseImage(c.image).repo));
    const tag = cni ? parseImage(cni.image).tag : undefined;
    const old = semver(tag) && !atLeast(semver(tag)!, [1, 14, 0]) ? ` (VPC CNI ${tag} < v1.14 has no network policy agent)` : '';
    return { enforces: false, why: `no aws-network-policy-agent container${old}` };
  }
  const on = asBool(flagValue(agent.args, 'enable-network-policy'));
  return on
    ? { enforces: true, why: `container ${agent.name} (image ${agent.image}) runs with --enable-network-policy=true` }
    : { enforces: false, why: `container ${agent.name} runs with --enable-network-policy=${on === false ? 'false' : '<unset, default false>'}` };
}

/** weave-net enforces only through its weave-npc container. */
export function weaveRule(w: Workload): Verdict {
  const npc = w.containers.find((c) => c.name === 'weave-npc' || /weave-npc$/.test(parseImage(c.image).repo));
  return npc ? { enforces: true, why: `container weave-npc (image ${npc.image})` } : { enforces: false, why: 'no weave-npc container' };
}

function flagRule(w: Workload, flag: string): Verdict {
  for (const c of w.containers) {
    const v = asBool(flagValue(c.args, flag));
    if (v === false) return { enforces: false, why: `container ${c.name} runs with --${flag}=false` };
  }
  return {};
}

/** Per-workload rules, by plugin. */
export const WORKLOAD_RULES: Partial<Record<PluginId, (w: Workload) => Verdict>> = {
  kindnet: (w) => {
    const c = w.containers.find((x) => /kindnet/.test(parseImage(x.image).repo)) ?? w.containers[0];
    return c ? kindnetRule(c) : {};
  },
  'aws-vpc-cni': awsNodeRule,
  'weave-net': weaveRule,
  'kube-router': (w) => flagRule(w, 'run-firewall'),
  'kube-ovn': (w) => flagRule(w, 'enable-np'),
  cilium: (w) => {
    for (const c of w.containers) {
      if (flagValue(c.args, 'enable-policy') === 'never') return { enforces: false, why: `container ${c.name} runs with --enable-policy=never` };
      if (asBool(flagValue(c.args, 'enable-k8s-networkpolicy')) === false) return { enforces: false, why: `container ${c.name} runs with --enable-k8s-networkpolicy=false` };
    }
    return {};
  },
};

/** Per-ConfigMap rules (data keys), by plugin. */
export const CONFIGMAP_RULES: Partial<Record<PluginId, (data: ReadonlyMap<string, string>) => Verdict>> = {
  cilium: (d) => {
    if (d.get('enable-policy')?.trim() === 'never') return { enforces: false, why: 'enable-policy: never' };
    if (asBool(d.get('enable-k8s-networkpolicy')) === false) return { enforces: false, why: 'enable-k8s-networkpolicy: "false"' };
    const chain = d.get('cni-chaining-mode');
    return chain && chain !== 'none' ? { why: `cni-chaining-mode: ${chain}` } : {};
  },
  // Written from the same enableNetworkPolicy value as the agent flag (aws-vpc-cni chart).
  'aws-vpc-cni': (d) => {
    const v = asBool(d.get('enable-network-policy-controller'));
    return v === undefined ? {} : v ? { why: 'enable-network-policy-controller: "true"' } : { enforces: false, why: 'enable-network-policy-controller: "false"' };
  },
};

/** k3s embeds kube-router's network policy controller unless started with --disable-network-policy. */
export function k3sArgsRule(nodeArgsJson: string | undefined): Verdict {
  if (nodeArgsJson === undefined) return {};
  let args: unknown;
  try {
    args = JSON.parse(nodeArgsJson);
  } catch {
    return {};
  }
  if (!Array.isArray(args)) return {};
  const list = args.filter((a): a is string => typeof a === 'string');
  const off = asBool(flagValue(list, 'disable-network-policy'));
  return off ? { enforces: false, why: 'k3s.io/node-args has --disable-network-policy' } : { enforces: true, why: 'k3s.io/node-args has no --disable-network-policy' };
}
