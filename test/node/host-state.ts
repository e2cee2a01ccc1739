// A snapshot of everything on the host a real node could leave behind or change — interfaces,
// addresses, routes, mounts, network namespaces, iptables (legacy and nft), nft tables, ipsets,
// cgroups, sysctls, the kubelet's hard-coded paths, node processes — and the difference of two.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export type HostState = Record<string, string[]>;

function sh(cmd: string): Promise<string> {
  return new Promise((resolve) => execFile('bash', ['-c', cmd], { maxBuffer: 64 * 1024 * 1024 }, (_e, out) => resolve(out)));
}

const lines = (text: string): string[] => text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');

/** Sysctls that change on their own (counters, random values). */
const VOLATILE_SYSCTLS = /^(fs\.(dentry-state|file-nr|inode-nr|inode-state|aio-nr|quota\.\w+)|kernel\.(ns_last_pid|random\.uuid|random\.entropy_avail|pty\.nr)|net\.netfilter\.nf_conntrack_count)\b/;
/** Processes of a real node (matched on the command name). */
const NODE_PROCESSES = /^(kubelet|containerd|containerd-shim.*|runc|kube-controller|kube-scheduler|kube-proxy|kube-router.*|nsrelay|pause|agnhost|netpol-node-hol.*)$/;

function cgroupDirs(): string[] {
  const out: string[] = [];
  if (!existsSync('/sys/fs/cgroup')) return out;
  for (const h of readdirSync('/sys/fs/cgroup')) {
    const dir = `/sys/fs/cgroup/${h}`;
    try {
      for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) out.push(`${h}/${d.name}`);
    } catch {
      /* not a directory */
    }
  }
  return out.sort();
}

function nodeProcesses(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // kube-apiserver and etcd also run for the API-server-only suite: count them only when they belong to a node run.
      if (state !== 'Z' && (NODE_PROCESSES.test(comm) || cmdline.includes('/netpol-node-'))) out.push(`${comm} (pid ${pid}): ${cmdline.slice(0, 160)}`);
    } catch {
      /* exited meanwhile */
    }
  }
  return out.sort();
}

export async function snapshotHost(): Promise<HostState> {
  const clean = (s: string): string[] => lines(s.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '[]'));
  const [links, addrs, routes, routes6, rules, legacy, legacy6, nftSave, nft6Save, nftRules, ipsets, sysctls] = await Promise.all([
    sh("ip -o link show | sed -E 's/^[0-9]+: //; s/ +link\\/.*//'"),
    sh('ip -o addr show | sed -E "s/^[0-9]+: //; s/ +valid_lft.*//"'),
    sh('ip route show table all'),
    sh('ip -6 route show table all'),
    sh('ip rule show; ip -6 rule show'),
    sh('iptables-legacy-save 2>/dev/null'),
    sh('ip6tables-legacy-save 2>/dev/null'),
    sh('iptables-nft-save 2>/dev/null'),
    sh('ip6tables-nft-save 2>/dev/null'),
    sh('nft list ruleset 2>/dev/null'),
    sh('ipset list -n 2>/dev/null'),
    sh('sysctl -a 2>/dev/null'),
  ]);
  const mounts = lines(readFileSync('/proc/self/mountinfo', 'utf8')).map((l) => {
    const f = l.split(' ');
    return `${f[4]} ${f[f.indexOf('-') + 1]} ${f[f.indexOf('-') + 2]}`;
  });
  const paths = ['/run/containerd', '/var/lib/kubelet', '/var/log/containers', '/var/log/pods', '/usr/libexec/kubernetes', '/etc/cni', '/opt/cni'].filter((p) => existsSync(p));
  return {
    links: lines(links).sort(),
    addresses: lines(addrs).sort(),
    routes: [...lines(routes), ...lines(routes6)].sort(),
    rules: lines(rules).sort(),
    mounts: mounts.sort(),
    netns: existsSync('/run/netns') ? readdirSync('/run/netns').sort() : [],
    'iptables-legacy': [...clean(legacy), ...clean(legacy6)],
    'iptables-nft': [...clean(nftSave), ...clean(nft6Save)],
    nft: lines(nftRules),
    ipsets: lines(ipsets).sort(),
    cgroups: cgroupDirs(),
    sysctls: lines(sysctls).filter((l) => !VOLATILE_SYSCTLS.test(l)),
    paths,
    processes: nodeProcesses(),
  };
}

/** Human-readable differences, one line each ("mounts: + overlay /run/containerd/..."). */
export function diffHost(before: HostState, after: HostState): string[] {
  const out: string[] = [];
  for (const key of Object.keys(before)) {
    const a = new Set(before[key]);
    const b = new Set(after[key] ?? []);
    for (const x of b) if (!a.has(x)) out.push(`${key}: + ${x}`);
    for (const x of a) if (!b.has(x)) out.push(`${key}: - ${x}`);
  }
  return out;
}
