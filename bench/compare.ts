// Cross-check of `matrix -A -o json` (workload rows) against `netpolicy list -o json`: the same
// allowed connections between workloads with the same ports. netpolicy never lists a workload to
// itself and lists IP ranges as peers (ours: pods only), so those are left out of the comparison.
interface OurItem {
  from: string;
  to: string;
  ports: { protocol: string; port?: number; endPort?: number }[];
  partialPorts?: unknown[];
}
interface PeerItem {
  src: string;
  dst: string;
  conn: string;
}

const KINDS: Record<string, string> = { rs: 'ReplicaSet', sts: 'StatefulSet', deploy: 'Deployment', ds: 'DaemonSet', job: 'Job', cronjob: 'CronJob', rc: 'ReplicationController' };

/** `ns/rs/name` -> `ns/name[ReplicaSet]`, netpolicy's spelling of a workload. */
function peerName(label: string): string {
  const [ns, kind, name] = label.split('/');
  return name === undefined ? label : `${ns}/${name}[${KINDS[kind!] ?? kind}]`;
}

/** Canonical port text: per protocol, sorted merged ranges. */
function canonical(ranges: { protocol: string; start: number; end: number }[]): string {
  const by = new Map<string, [number, number][]>();
  for (const r of ranges) by.set(r.protocol, [...(by.get(r.protocol) ?? []), [r.start, r.end]]);
  return [...by.keys()]
    .sort()
    .map((p) => {
      const rs = by.get(p)!.sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const r of rs) {
        const last = merged[merged.length - 1];
        if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
        else merged.push([...r]);
      }
      return `${p} ${merged.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`;
    })
    .join('; ');
}

/** netpolicy's "All Connections", "TCP 53,UDP 53", "TCP 8080,9000-9010". */
function peerPorts(conn: string): string {
  if (conn === 'All Connections') return canonical(['TCP', 'UDP', 'SCTP'].map((protocol) => ({ protocol, start: 1, end: 65535 })));
  const out: { protocol: string; start: number; end: number }[] = [];
  let protocol = '';
  for (const tok of conn.split(',')) {
    const m = /^\s*(?:(TCP|UDP|SCTP)\s+)?(\d+)(?:-(\d+))?\s*$/.exec(tok);
    if (!m) throw new Error(`unexpected netpolicy connection text: ${conn}`);
    protocol = m[1] ?? protocol;
    out.push({ protocol, start: Number(m[2]), end: Number(m[3] ?? m[2]) });
  }
  return canonical(out);
}

export function crossCheck(oursJson: string, peerJson: string): string {
  const ours = new Map<string, string>();
  let partial = 0;
  for (const i of (JSON.parse(oursJson) as { items: OurItem[] }).items) {
    if (i.from === i.to) continue;
    if (i.partialPorts) partial++;
    ours.set(`${peerName(i.from)} => ${peerName(i.to)}`, canonical(i.ports.map((p) => ({ protocol: p.protocol, start: p.port ?? 1, end: p.endPort ?? p.port ?? 65535 }))));
  }
  const peer = new Map<string, string>();
  for (const i of JSON.parse(peerJson) as PeerItem[]) if (i.src.includes('[') && i.dst.includes('[')) peer.set(`${i.src} => ${i.dst}`, peerPorts(i.conn));
  const diffs: string[] = [];
  for (const [k, v] of ours) if (peer.get(k) !== v) diffs.push(`${k}: ours ${v}, netpolicy ${peer.get(k) ?? 'none'}`);
  for (const [k, v] of peer) if (!ours.has(k)) diffs.push(`${k}: ours none, netpolicy ${v}`);
  const head = `${diffs.length} disagreements over ${ours.size} workload connections${partial ? ` (${partial} with partialPorts)` : ''}`;
  return diffs.length === 0 ? head : `${head}; e.g. ${diffs.slice(0, 3).join(' | ')}`;
}
