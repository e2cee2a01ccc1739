// Each screen as lines at the terminal's size (pure): namespaces, a namespace's pods and policies,
// the reachability grid, explain, full-screen text.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { explain, type ExplainResult } from '../engine/explain.js';
import { ResolveError } from '../engine/resolve.js';
import { formatSelector } from '../engine/labels.js';
import wrapAnsi from 'wrap-ansi';

import { renderExplainText } from '../render/explain-text.js';
import { makeStyle } from '../render/style.js';
import { suggestForExplain } from '../suggest/explain.js';
import { fit, seg, windowStart, wrapLine, type Line, type Seg } from './lines.js';
import { adminKey, adminRows, matrixFor, memo, nsRows, podRows, policyRows, podKey, policyKey, selectedIndex } from './rows.js';
import type { Screen } from './state.js';
import { adminDetail as computeAdminDetail, adminText, isolationText, podDetail as computePodDetail, policyDetail as computePolicyDetail, type Isolation, type PodDetail, type PolicyDetail } from './summary.js';

const podDetails = new WeakMap<ClusterIndex, Map<string, PodDetail>>();
const policyDetails = new WeakMap<ClusterIndex, Map<string, PolicyDetail>>();
const podDetail = (idx: ClusterIndex, p: Parameters<typeof computePodDetail>[1]) => memo(podDetails, idx, podKey(p), () => computePodDetail(idx, p));
const policyDetail = (idx: ClusterIndex, p: Parameters<typeof computePolicyDetail>[1]) => memo(policyDetails, idx, policyKey(p), () => computePolicyDetail(idx, p));
const adminDetails = new WeakMap<ClusterIndex, Map<string, ReturnType<typeof computeAdminDetail>>>();
const explained = new WeakMap<ClusterIndex, Map<string, { result?: ExplainResult; error?: string }>>();
const traces = new WeakMap<ClusterIndex, Map<string, string[]>>();

type S<K extends Screen['kind']> = Extract<Screen, { kind: K }>;

const isoColor = (i: Isolation): Seg['color'] => (i.kind === 'default-deny' || i.kind === 'isolated' ? 'green' : i.kind === 'partial' ? 'yellow' : i.kind === 'open' ? 'red' : 'gray');

export function namespacesLines(idx: ClusterIndex, s: S<'namespaces'>, width: number, height: number): Line[] {
  const rows = nsRows(idx, s.filter);
  const sel = selectedIndex(s.pos, rows.map((r) => r.name));
  const nameW = Math.max(12, Math.min(32, width - 56));
  const out: Line[] = [[seg(` ${fit('NAMESPACE', nameW - 1)} ${fit('INGRESS', 14)} ${fit('EGRESS', 14)} ${fit('PODS', 6)} ${fit('NETPOL', 7)} ADMIN`, { bold: true })]];
  const start = windowStart(sel, rows.length, height - 1);
  for (const [i, r] of rows.slice(start, start + height - 1).entries()) {
    const on = start + i === sel;
    out.push([
      seg(`${on ? '>' : ' '}${fit(r.name, nameW - 1)} `, { inverse: on }),
      seg(fit(isolationText(r.ingress), 14), { color: isoColor(r.ingress), inverse: on }),
      seg(' ', { inverse: on }),
      seg(fit(isolationText(r.egress), 14), { color: isoColor(r.egress), inverse: on }),
      seg(` ${fit(String(r.pods), 6)} ${fit(String(r.policies), 7)} ${r.adminPolicies.length}`, { inverse: on }),
    ]);
  }
  if (rows.length === 0) out.push([seg(s.filter ? `no namespace matches "${s.filter}"` : 'no namespaces in the input', { dim: true })]);
  return out;
}

function podListLine(idx: ClusterIndex, s: S<'namespace'>, w: number, on: boolean, i: number): Line {
  const p = podRows(idx, s.ns, s.filter)[i]!;
  const d = podDetail(idx, p);
  const marks = p.hostNetwork ? 'hostNetwork' : `in:${d.ingress.length} out:${d.egress.length}`;
  return [seg(`${on ? '>' : ' '}${fit(p.template ? `${podKey(p).slice(s.ns.length + 1)} (template)` : p.name, w - marks.length - 2)} `, { inverse: on }), seg(marks, { inverse: on, dim: !on })];
}

export function podDetailLines(idx: ClusterIndex, s: S<'namespace'>, i: number): Line[] {
  const p = podRows(idx, s.ns, s.filter)[i];
  if (!p) return [[seg('no pods', { dim: true })]];
  const d = podDetail(idx, p);
  const labels = Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '(none)';
  const ports = p.ports.map((cp) => `${cp.name ? `${cp.name} ` : ''}${cp.port}/${cp.protocol}`).join(', ') || '(none declared)';
  const out: Line[] = [[seg(d.label, { bold: true })], [seg('labels  ', { dim: true }), seg(labels)], [seg('ports   ', { dim: true }), seg(ports)]];
  if (p.ips.length > 0) out.push([seg('IPs     ', { dim: true }), seg(p.ips.join(', '))]);
  if (p.workload) out.push([seg('owner   ', { dim: true }), seg(`${p.workload.kind} ${p.workload.name}`)]);
  if (p.hostNetwork) out.push([seg('hostNetwork: NetworkPolicy does not select this pod; peers see it as its node', { color: 'yellow' })]);
  for (const [dir, list] of [['ingress', d.ingress], ['egress', d.egress]] as const) {
    out.push([], [seg(`${dir}: `, { bold: true }), list.length === 0 ? seg('not isolated (no policy selects it)', { color: 'red' }) : seg(`isolated by ${list.length} polic${list.length === 1 ? 'y' : 'ies'}`, { color: 'green' })]);
    for (const np of list) out.push([seg(`  ${np.name}`), seg(`  ${formatSelector(np.podSelector)}`, { dim: true })]);
  }
  if (d.admin.length > 0) out.push([], [seg('admin tiers:', { bold: true })], ...d.admin.map((a) => [seg(`  ${adminText(a)}`)]));
  return out;
}

function policyListLine(idx: ClusterIndex, s: S<'namespace'>, w: number, on: boolean, i: number): Line {
  const p = policyRows(idx, s.ns, s.filter)[i]!;
  const types = p.policyTypes.map((t) => t[0]).join('');
  return [seg(`${on ? '>' : ' '}${fit(p.name, w - types.length - 2)} `, { inverse: on }), seg(types, { inverse: on, dim: !on })];
}

export function policyDetailLines(idx: ClusterIndex, ns: string, filter: string, i: number): Line[] {
  const p = policyRows(idx, ns, filter)[i];
  if (!p) return [[seg('no NetworkPolicies in this namespace', { dim: true })]];
  const d = policyDetail(idx, p);
  const out: Line[] = [
    [seg(`NetworkPolicy ${p.namespace}/${p.name}`, { bold: true })],
    [seg('podSelector ', { dim: true }), seg(d.podSelector === '{}' ? '{} (every pod)' : d.podSelector), seg('  policyTypes ', { dim: true }), seg(d.types)],
    [seg(`selects ${d.selected.length} pod${d.selected.length === 1 ? '' : 's'}: `, { bold: true }), seg(d.selected.map((x) => x.slice(ns.length + 1)).join(', ') || '(none)')],
  ];
  if (d.rules.length === 0) out.push([seg(`no rules: denies every ${p.policyTypes.map((t) => t.toLowerCase()).join(' and ')} connection of the pods it selects (unless another policy allows it)`, { color: 'yellow' })]);
  for (const r of d.rules) {
    out.push([], [seg(r.title, { bold: true }), seg(`  ports: ${r.ports}`, { dim: true })]);
    if (!r.peers) out.push([seg(`  every ${r.title.startsWith('ingress') ? 'source' : 'destination'} (no ${r.title.startsWith('ingress') ? 'from' : 'to'})`, { color: 'yellow' })]);
    out.push(...peerLines(r.peers ?? []));
  }
  return out;
}

function adminListLine(idx: ClusterIndex, s: S<'namespace'>, w: number, on: boolean, i: number): Line {
  const p = adminRows(idx, s.ns, s.filter)[i]!;
  const tag = p.tier === 'Admin' ? `A ${p.priority}` : p.kind === 'BaselineAdminNetworkPolicy' ? 'B' : `B ${p.priority}`;
  return [seg(`${on ? '>' : ' '}${fit(p.name, w - tag.length - 2)} `, { inverse: on }), seg(tag, { inverse: on, dim: !on })];
}

const peerLines = (peers: readonly { text: string; pods: readonly string[] }[]): Line[] =>
  peers.flatMap((peer) => [
    [seg(`  ${peer.text}`)],
    [seg(`    ${peer.pods.length} pod${peer.pods.length === 1 ? '' : 's'}${peer.pods.length > 0 ? ': ' : ''}`, { dim: true }), seg(peer.pods.slice(0, 6).join(', ') + (peer.pods.length > 6 ? `, +${peer.pods.length - 6} more` : ''), { color: 'cyan' })],
  ]);

export function adminDetailLines(idx: ClusterIndex, ns: string, filter: string, i: number): Line[] {
  const p = adminRows(idx, ns, filter)[i];
  if (!p) return [[seg('no admin-tier policy covers this namespace', { dim: true })]];
  const d = memo(adminDetails, idx, `${ns}\0${adminKey(p)}`, () => computeAdminDetail(idx, p, ns));
  const out: Line[] = [
    [seg(adminText(p), { bold: true })],
    [seg('subject ', { dim: true }), seg(d.subject)],
    [seg(`selects ${d.selectedHere.length} pod${d.selectedHere.length === 1 ? '' : 's'} here: `, { bold: true }), seg(d.selectedHere.map((x) => x.slice(ns.length + 1)).join(', ') || '(none)')],
  ];
  for (const r of d.rules) {
    const color = r.action === 'Deny' ? 'red' : r.action === 'Pass' ? 'yellow' : 'green';
    out.push([], [seg(r.title, { bold: true }), seg(` ${r.action}`, { bold: true, color }), seg(`  ports: ${r.ports}`, { dim: true })], ...peerLines(r.peers ?? []));
  }
  return out;
}

export function namespaceLines(idx: ClusterIndex, s: S<'namespace'>, width: number, height: number): Line[] {
  const rows = { pods: podRows(idx, s.ns, s.filter), policies: policyRows(idx, s.ns, s.filter), admin: adminRows(idx, s.ns, s.filter) };
  const keys = s.pane === 'pods' ? rows.pods.map(podKey) : s.pane === 'policies' ? rows.policies.map(policyKey) : rows.admin.map(adminKey);
  const leftW = Math.max(24, Math.min(40, Math.floor(width * 0.4)));
  const tab = (pane: S<'namespace'>['pane'], label: string): Seg => seg(` ${label} (${rows[pane].length}) `, { inverse: s.pane === pane, bold: s.pane === pane });
  const tabs: Line = [tab('pods', 'Pods'), seg(' '), tab('policies', 'Policies'), seg(' '), tab('admin', 'Admin'), seg(`  ${s.ns}`, { dim: true })];
  const count = keys.length;
  const sel = selectedIndex(s[s.pane], keys);
  const bodyH = height - 1;
  const start = windowStart(sel, count, bodyH);
  const listLine = s.pane === 'pods' ? podListLine : s.pane === 'policies' ? policyListLine : adminListLine;
  const left: Line[] = [];
  for (let i = start; i < Math.min(count, start + bodyH); i++) left.push(listLine(idx, s, leftW, i === sel, i));
  if (count === 0) left.push([seg(s.filter ? `nothing matches "${s.filter}"` : s.pane === 'pods' ? 'no pods' : s.pane === 'policies' ? 'no NetworkPolicies' : 'no admin policies', { dim: true })]);
  const detail = s.pane === 'pods' ? podDetailLines(idx, s, sel) : s.pane === 'policies' ? policyDetailLines(idx, s.ns, s.filter, sel) : adminDetailLines(idx, s.ns, s.filter, sel);
  const right = detail.flatMap((l) => wrapLine(l, width - leftW - 1));
  const shown = right.length > bodyH ? [...right.slice(0, bodyH - 1), [seg(`… ${right.length - bodyH + 1} more lines: Enter shows all`, { dim: true })]] : right;
  const out: Line[] = [tabs];
  for (let i = 0; i < bodyH; i++) {
    const l = left[i] ?? [];
    const pad = leftW - l.reduce((n, x) => n + x.text.length, 0);
    out.push([...l, seg(' '.repeat(Math.max(0, pad))), seg('│', { dim: true }), ...(shown[i] ?? [])]);
  }
  return out;
}

/** Explain, with the engine's answer rendered by the CLI's own renderer. */
export function explainResult(idx: ClusterIndex, s: S<'explain'>, namespace: string): { result?: ExplainResult; error?: string } {
  if (!s.from || !s.to) return {};
  return memo(explained, idx, [s.from, s.to, s.port, s.protocol, namespace].join('\0'), () => computeExplain(idx, s, namespace));
}

function computeExplain(idx: ClusterIndex, s: S<'explain'>, namespace: string): { result?: ExplainResult; error?: string } {
  const portText = s.port.trim();
  let port: number | string | undefined;
  if (portText !== '') {
    if (/^\d+$/.test(portText)) {
      port = Number(portText);
      if (port < 1 || port > 65535) return { error: `port ${portText} is out of range (1-65535)` };
    } else port = portText;
  }
  try {
    return { result: explain({ from: s.from, to: s.to, protocol: s.protocol, namespace, ...(port !== undefined ? { port } : {}) }, idx) };
  } catch (e) {
    if (e instanceof ResolveError) return { error: `${e.message}${e.hint ? `\n${e.hint}` : ''}` };
    throw e;
  }
}

function wrapTrace(line: string, width: number): string[] {
  const indent = Math.min(12, (line.match(/^ */)?.[0].length ?? 0) + 4);
  const [first = '', ...rest] = wrapAnsi(line, width, { hard: true, trim: false }).split('\n').map((l) => l.trimEnd());
  if (rest.length === 0) return [first];
  const tail = wrapAnsi(rest.join(' ').trimStart(), width - indent, { hard: true }).split('\n');
  return [first, ...tail.map((t) => ' '.repeat(indent) + t)];
}

export function explainLines(idx: ClusterIndex, s: S<'explain'>, namespace: string, width: number, height: number, color: boolean): Line[] {
  const field = (name: string, value: string, f: S<'explain'>['focus'], hint: string): Line => [
    seg(`${fit(name, 9)}`, { dim: true }),
    seg(` ${value || '(choose)'} `, { inverse: s.focus === f, bold: s.focus === f, ...(value ? {} : { dim: true }) }),
    seg(s.focus === f ? `  ${hint}` : '', { dim: true }),
  ];
  const out: Line[] = [
    field('from', s.from, 'from', 'Enter: pick a source'),
    field('to', s.to, 'to', 'Enter: pick a destination'),
    field('port', s.port || (s.from && s.to ? 'any (which ports are open?)' : ''), 'port', 'Enter or a digit: type a port number or name'),
    field('protocol', s.protocol, 'protocol', 'Enter or p: next protocol'),
    [seg('─'.repeat(width), { dim: true })],
  ];
  const { result, error } = explainResult(idx, s, namespace);
  let body: string[];
  if (error) body = error.split('\n');
  else if (!result) body = ['Pick a source and a destination (Tab moves between fields, Enter picks).'];
  // Wrapped, not cut: the fix lines are the point and are long. Continuations keep the indent.
  // The fix lines are the CLI's: verified suggestions, computed once per question (memo).
  else body = memo(traces, idx, [s.from, s.to, s.port, s.protocol, namespace, width, color].join('\0'), () => renderExplainText(result, { style: makeStyle(color), suggestions: result.allowed ? new Map() : suggestForExplain(result, idx) }).trimEnd().split('\n').flatMap((l) => wrapTrace(l, width)));
  const bodyH = height - out.length;
  const scroll = Math.max(0, Math.min(s.scroll, Math.max(0, body.length - bodyH)));
  for (const l of body.slice(scroll, scroll + bodyH)) out.push([seg(l, error ? { color: 'red' } : {})]);
  if (body.length > bodyH) out[out.length - 1] = [seg(`… lines ${scroll + 1}-${scroll + bodyH} of ${body.length} (Tab to the trace, j/k scroll)`, { dim: true })];
  return out;
}

/** Column layout: wide mode puts (short) names over the columns; automatic when they all fit. */
export function matrixLayout(idx: ClusterIndex, s: S<'matrix'>, width: number): { labelW: number; nameW: number; wide: boolean } {
  const m = matrixFor(idx, s.ns, s.toNs, s.extraPorts);
  const labelW = Math.max(14, Math.min(34, Math.floor(width * 0.35)));
  const nameW = Math.min(12, Math.max(4, ...m.cols.map((c) => c.label.length - s.toNs.length - 1)));
  return { labelW, nameW, wide: s.wide ?? labelW + 1 + m.cols.length * (nameW + 1) <= width };
}

export function matrixLines(idx: ClusterIndex, s: S<'matrix'>, width: number, height: number): Line[] {
  const m = matrixFor(idx, s.ns, s.toNs, s.extraPorts);
  const pi = Math.min(s.port, m.ports.length - 1);
  const spec = m.ports[pi]!;
  const { labelW, nameW, wide } = matrixLayout(idx, s, width);
  const cellW = wide ? nameW + 1 : 2;
  const visibleCols = Math.max(1, Math.floor((width - labelW - 1) / cellW));
  const colStart = windowStart(s.col, m.cols.length, visibleCols);
  const headerRows = wide ? 1 : 2;
  const bodyH = Math.max(1, height - 3 - headerRows);
  const rowStart = windowStart(s.row, m.rows.length, bodyH);
  const cols = m.cols.slice(colStart, colStart + visibleCols);
  const out: Line[] = [
    [
      seg(`${spec.protocol}/${spec.port}`, { bold: true }),
      seg(`  port ${pi + 1}/${m.ports.length} ([ ])  ${m.allowedCount(pi)} of ${m.rows.length * m.cols.length} allowed  ${s.ns} → ${s.toNs}`, { dim: true }),
    ],
  ];
  const short = (label: string) => label.slice(s.toNs.length + 1);
  const shortRow = (label: string) => label.slice(s.ns.length + 1);
  if (wide) out.push([seg(fit('from \\ to', labelW) + ' ', { dim: true }), ...cols.map((c, j) => seg(fit(short(c.label), cellW), { bold: colStart + j === s.col }))]);
  else {
    out.push([seg(fit('', labelW) + ' '), ...cols.map((_, j) => seg(fit(String(Math.floor((colStart + j + 1) / 10) || ' '), 2), { dim: true }))]);
    out.push([seg(fit('from \\ to', labelW) + ' ', { dim: true }), ...cols.map((_, j) => seg(fit(String((colStart + j + 1) % 10), 2), { bold: colStart + j === s.col }))]);
  }
  for (let r = rowStart; r < Math.min(m.rows.length, rowStart + bodyH); r++) {
    const line: Seg[] = [seg(fit(shortRow(m.rows[r]!.label), labelW) + ' ', { bold: r === s.row })];
    cols.forEach((_, j) => {
      const c = colStart + j;
      const v = m.cell(pi, r, c);
      const mark = v === 'allowed' ? '✓' : v === 'denied' ? '✗' : '~';
      line.push(seg(fit(mark, cellW), { color: v === 'allowed' ? 'green' : v === 'denied' ? 'red' : 'yellow', inverse: r === s.row && c === s.col }));
    });
    out.push(line);
  }
  const row = m.rows[s.row];
  const col = m.cols[s.col];
  if (row && col) {
    const v = m.cell(pi, s.row, s.col);
    out.push([
      seg(`${row.label} → ${col.label}${wide ? '' : ` (column ${s.col + 1})`}: `),
      seg(v === 'allowed' ? 'ALLOWED' : v === 'denied' ? 'DENIED' : 'MIXED (replicas differ)', { bold: true, color: v === 'allowed' ? 'green' : v === 'denied' ? 'red' : 'yellow' }),
      seg('  Enter: explain', { dim: true }),
    ]);
  }
  out.push([seg(`✓ allowed  ✗ denied  ~ some replicas  ${m.classCount} group${m.classCount === 1 ? '' : 's'} evaluated${m.rows.length > bodyH || m.cols.length > visibleCols ? '  (scrolls: arrows, hjkl)' : ''}`, { dim: true })]);
  return out;
}

export function textLines(s: S<'text'>, height: number): Line[] {
  const bodyH = height - 1;
  const scroll = Math.max(0, Math.min(s.scroll, Math.max(0, s.lines.length - bodyH)));
  const more = s.lines.length > bodyH ? `  lines ${scroll + 1}-${Math.min(s.lines.length, scroll + bodyH)} of ${s.lines.length}` : '';
  return [[seg(s.title, { bold: true }), seg(more, { dim: true })], ...s.lines.slice(scroll, scroll + bodyH)];
}

export const textScreen = (title: string, text: string): Extract<Screen, { kind: 'text' }> => ({ kind: 'text', title, lines: text.trimEnd().split('\n').map((l) => [seg(l)]), scroll: 0 });
